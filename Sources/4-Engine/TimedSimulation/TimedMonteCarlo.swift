import Cascade
import Hazards
import InfraGraph
import InfraModel
import Simulation
import Stochastics

/// Timed Monte Carlo (docs/specification.md section 5): per sample, an event-driven simulation from change
/// to change — an event starting, an out ending, a repair finishing, a backup running out — with
/// the state at every moment the static cascade's greatest fixed point, in which a requirement
/// whose backup still runs holds. `step_hours` only sets the resolution of the reported curves:
/// a sample costs O(changes × cascade), whatever the horizon and the step.
///
/// Backups: a requirement with `backup_hours` b whose providers stop sufficing at time t keeps
/// holding until t + b; once its providers suffice again, its backup is full again. Crews: an
/// owner with c crews repairs at most c of its damaged elements at once, taking the waiting ones
/// in `TimedPlan`'s repair order; the repair time counts from the moment a crew takes the element.
/// An element damaged by several events is damaged from the earliest of their start times and
/// needs the longest of their sampled repair times.
///
/// Determinism as in static mode: sample i draws only from stream (seed, i) and its keyed
/// uniforms; per-sample results land at their index; per-asset sums are integers (outage time
/// in microhours), so the output does not depend on the thread count.
public struct TimedMonteCarlo: Sendable {
    public static let blockSize = 1024
    public let scenario: Scenario
    public let graph: CompiledGraph
    public let plan: HazardPlan
    public let timed: TimedPlan
    let cascade: StaticCascade
    let allRowsPresent: Bool
    let layout: OutcomeLayout
    let rowConsumerSector: [Int32]
    /// Assets whose failure (at any moment of a sample) is recorded in `MonteCarloResult.watchFailed`.
    public var watch: [Int32] = []

    public init(scenario: Scenario, graph: CompiledGraph, plan: HazardPlan, timed: TimedPlan) {
        self.scenario = scenario
        self.graph = graph
        self.plan = plan
        self.timed = timed
        cascade = StaticCascade(graph: graph)
        allRowsPresent = plan.uncertainRows.isEmpty
        let net = scenario.network
        layout = OutcomeLayout(network: net, graph: graph, weights: net.sectors.names.map { scenario.weight(sector: $0) })
        rowConsumerSector = net.dependencies.consumer.map { net.assets.common.sector[Int($0)] }
    }

    /// An empty block at `start` for this engine.
    public func emptyBlock(at start: Int) -> SampleBlock {
        SampleBlock(start: start, layout: layout, watch: watch.count, assets: graph.assetCount, timed: true)
    }

    /// As `MonteCarlo.runBlocks`: the samples of `range` in blocks, after `resume`, with
    /// `blockDone` after each block and the early stop after blocks ending on a multiple of
    /// `blockSize` samples.
    public func runBlocks(
        _ range: Range<Int>, threads: Int, targetRelativeCI: Double? = nil, resume: SampleBlock? = nil,
        blockSize: Int = TimedMonteCarlo.blockSize, blockDone: (SampleBlock) -> Void = { _ in },
        progress: (Int) -> Void = { _ in }, shouldStop: () -> Bool = { false }
    ) -> (SampleBlock, stoppedEarly: Bool) {
        let nS = scenario.network.sectors.count
        let nA = graph.assetCount
        let nO = layout.owners, nW = watch.count
        var pool = WorkerPool(threads: threads) { TimedWorker(self) }
        let seed = scenario.simulation.seed
        return SampleBlock.accumulate(
            range, after: resume ?? emptyBlock(at: range.lowerBound), blockSize: blockSize,
            targetRelativeCI: targetRelativeCI, blockDone: blockDone, progress: progress,
            shouldStop: shouldStop
        ) { r, block in
            pool.forEach { $0.resetCounters() }
            let slabs = pool.forEachChunk(of: r) { w, chunk in
                var slab = TimedSlab(samples: chunk.count, sectors: nS, owners: nO)
                for i in chunk { w.simulate(i, seed: seed, into: &slab) }
                return slab
            }
            let base = r.lowerBound
            for s in slabs {
                block.loss += s.loss; block.people += s.peak; block.hours += s.hours; block.restore += s.restore
                block.curveT += s.curveT; block.curveP += s.curveP; block.ownerLoss += s.ownerLoss
            }
            var watchFailed = [UInt8](repeating: 0, count: r.count * nW)
            for w in pool.workers {
                let c = w.counters
                block.add(tally: w.tally)
                block.stateComputations += c.stateComputations
                for a in 0..<nA {
                    block.damagedCount[a] += c.damagedCount[a]; block.outageCount[a] += c.outageCount[a]
                    block.outageMicroHours[a] += c.outageMicroHours[a]
                }
                block.durAsset += c.durAsset; block.durSample += c.durSample; block.durHours += c.durHours
                for h in c.watchHits { watchFailed[h - base * nW] = 1 }
            }
            block.watchFailed += watchFailed
        }
    }

    /// The run's result from the block of its samples (from sample 0).
    public func result(from b: SampleBlock, stoppedEarly: Bool) -> MonteCarloResult {
        let n = b.count, nS = b.sectors, nO = b.owners, nA = graph.assetCount
        // durations sorted by (asset, sample): the same order however the samples were split
        var entries: [(asset: Int32, sample: Int32, hours: Double)] = []
        entries.reserveCapacity(b.durAsset.count)
        for k in b.durAsset.indices { entries.append((b.durAsset[k], b.durSample[k], b.durHours[k])) }
        entries.sort { ($0.asset, $0.sample) < ($1.asset, $1.sample) }
        var p90 = [Double](repeating: 0, count: nA), medianWhenOut = [Double](repeating: 0, count: nA)
        var k = 0
        while k < entries.count {
            var j = k
            while j < entries.count && entries[j].asset == entries[k].asset { j += 1 }
            let nonzero = entries[k..<j].map { abs($0.hours) }.sorted()
            p90[Int(entries[k].asset)] = Self.quantileWithZeros(nonzero, samples: n, p: 0.9)
            // the median outage when out: with outages still running at the horizon, Kaplan–Meier
            // (NaN: beyond the longest follow-up); without, the sample median as before
            let anyCensored = entries[k..<j].contains { $0.hours < 0 }
            medianWhenOut[Int(entries[k].asset)] =
                anyCensored
                ? (Censored.kaplanMeierMedian(entries[k..<j].map { (abs($0.hours), $0.hours < 0) }) ?? .nan)
                : Self.quantileWithZeros(nonzero, samples: nonzero.count, p: 0.5)
            k = j
        }
        let meanOutage = b.outageMicroHours.map { Double($0) * 1e-6 / Double(max(1, n)) }
        func bySector(_ flat: [Double]) -> [[Double]] { (0..<nS).map { s in (0..<n).map { flat[$0 * nS + s] } } }
        var timedResult = TimedResult(
            horizonHours: timed.horizon, stepHours: timed.step,
            peopleHours: bySector(b.hours), restore95: bySector(b.restore),
            curveTimes: b.curveT, curvePeople: b.curveP,
            meanOutageHours: meanOutage, p90OutageHours: p90)
        timedResult.stateComputations = b.stateComputations
        timedResult.medianOutageHoursWhenOut = medianWhenOut
        var result = MonteCarloResult(
            samples: n, seed: scenario.simulation.seed, sectors: scenario.network.sectors.names,
            loss: b.loss, peopleWithout: bySector(b.people), damagedCount: b.damagedCount,
            outageCount: b.outageCount, stoppedEarly: stoppedEarly, timed: timedResult)
        result.watchFailed = b.watchFailed
        return result.with(outcomes: OutcomeResult(tally: b.tally(layout), samples: n, ownerLoss: Array(b.ownerLoss[0..<(n * nO)])))
    }

    /// The p-quantile (GSL's rule, `Statistics.quantileSorted`) of `samples` values of which all
    /// but `nonzero` (sorted, non-negative) are 0; 0 when there are no samples. O(1): the zeros are
    /// never stored (this runs once per asset with an outage).
    static func quantileWithZeros(_ nonzero: [Double], samples n: Int, p: Double) -> Double {
        guard n > 0 else { return 0 }
        let zeros = n - nonzero.count
        return Statistics.quantileSorted(count: n, p: p) { $0 < zeros ? 0 : nonzero[$0 - zeros] }
    }
}

extension TimedMonteCarlo: CounterfactualRunner {
    public func losses(undamageable sets: [[Int32]], baseline: MonteCarloResult, threads: Int) -> [(loss: [Double], ownerLoss: [Double])] {
        let n = baseline.samples, nO = layout.owners, nS = scenario.network.sectors.count
        let baseOwner = baseline.outcomes?.ownerLoss ?? [Double](repeating: 0, count: n * nO)
        let nE = graph.assetCount + graph.linkCount
        var pool = WorkerPool(threads: threads) { () -> TimedWorker in
            var w = TimedWorker(self)
            w.skip = [UInt8](repeating: 0, count: nE)
            return w
        }
        let seed = scenario.simulation.seed
        let slabs = pool.forEachChunk(of: 0..<n) { w, chunk in
            // per set: the chunk's losses and owner losses, the baseline's until recomputed
            var slab = CounterfactualSlab(sets: sets.count, chunk: chunk, loss: baseline.loss, ownerLoss: baseOwner, owners: nO)
            var out = TimedSlab(samples: 1, sectors: nS, owners: nO) // one re-simulated sample
            for i in chunk {
                plan.sample(i, seed: seed, stream: w.stream, into: &w.damage, log: &w.events)
                let j = i - chunk.lowerBound
                for (k, set) in sets.enumerated() {
                    // a sample in which no event reaches the set cannot change
                    var any = false
                    for u in set where w.damage.asset[Int(u)] != 0 { any = true; break }
                    guard any else { continue }
                    for u in set { w.skip[Int(u)] = 1 }
                    out.removeAll()
                    w.simulate(i, seed: seed, sampled: true, into: &out)
                    for u in set { w.skip[Int(u)] = 0 }
                    slab.loss[k][j] = out.loss[0]
                    for o in 0..<nO { slab.ownerLoss[k][j * nO + o] = out.ownerLoss[o] }
                }
            }
            return slab
        }
        return CounterfactualSlab.join(slabs, sets: sets.count)
    }
}

extension TimedMonteCarlo: SampleEngine {
    /// - Complexity: one timed sample per listed index, on `threads` threads.
    public func losses(of samples: [Int32], threads: Int) -> [Double] {
        guard !samples.isEmpty else { return [] }
        let nO = layout.owners, nS = scenario.network.sectors.count
        var pool = WorkerPool(threads: min(threads, samples.count)) { TimedWorker(self) }
        let seed = scenario.simulation.seed
        return pool.forEachChunk(of: samples.indices) { w, chunk in
            var out = TimedSlab(samples: 1, sectors: nS, owners: nO)
            return chunk.map { k in
                out.removeAll()
                w.simulate(Int(samples[k]), seed: seed, into: &out)
                return out.loss[0]
            }
        }.flatMap { $0 }
    }
}
