import Cascade
import Hazards
import InfraGraph
import InfraModel
import Stochastics

/// Per-sample and per-asset outcomes of a static Monte Carlo run, in sample order.
public struct MonteCarloResult: Sendable {
    /// Samples computed (fewer than asked when the early stop triggered).
    public var samples: Int
    public var seed: UInt64
    /// Sector names, in the order of `peopleWithout`.
    public var sectors: [String]
    /// Headline loss per sample: Σ weight × people without service.
    public var loss: [Double]
    /// People without service, `peopleWithout[s][i]` for sector s in sample i.
    public var peopleWithout: [[Double]]
    /// Per asset: samples in which it was damaged or out.
    public var damagedCount: [Int64]
    /// Per asset: samples in which it was not working.
    public var outageCount: [Int64]
    /// Whether the run stopped early because the confidence interval was narrow enough.
    public var stoppedEarly: Bool
    /// Timed mode's curves and durations (nil in static mode). In timed mode `loss` is
    /// Σ weight × people-hours, `peopleWithout` the peak over the horizon, `damagedCount` the
    /// samples in which an event hit the asset before the horizon, `outageCount` those in which
    /// it was not working at some moment.
    public var timed: TimedResult?
    /// Zones, carried dependencies and per-owner losses (nil when not collected).
    public var outcomes: OutcomeResult?
    /// For the engine's `watch` assets: `watchFailed[i * watch.count + k]` is 1 when watched
    /// asset k was not working in sample i (timed mode: at some moment before the horizon).
    /// Mitigation runs use it to tell which samples an option cannot change.
    public var watchFailed: [UInt8] = []

    public init(
        samples: Int, seed: UInt64, sectors: [String], loss: [Double], peopleWithout: [[Double]],
        damagedCount: [Int64], outageCount: [Int64], stoppedEarly: Bool, timed: TimedResult? = nil
    ) {
        self.samples = samples; self.seed = seed; self.sectors = sectors; self.loss = loss
        self.peopleWithout = peopleWithout; self.damagedCount = damagedCount; self.outageCount = outageCount
        self.stoppedEarly = stoppedEarly; self.timed = timed
    }

    /// Mean of `outcomes.ownerLoss` per owner.
    public var meanOwnerLoss: [Double] {
        guard let o = outcomes, samples > 0 else { return [] }
        return (0..<o.owners).map { k in (0..<samples).reduce(0.0) { $0 + o.ownerLoss[$1 * o.owners + k] } / Double(samples) }
    }
}

/// Runs chosen samples of a scenario again: what paired mitigation runs use.
public protocol SampleRunner: Sendable {
    /// The loss of each listed sample (indices into the run's samples), computed exactly as
    /// `run` computes it, so a listed sample's loss equals the full run's loss of that sample.
    func losses(of samples: [Int32], threads: Int) -> [Double]
}

/// A Monte Carlo engine (static or timed) as the command line and mitigation runs drive it:
/// blocks of samples, their result, chosen samples again, counterfactual runs.
public protocol SampleEngine: SampleRunner, CounterfactualRunner {
    /// Assets whose failures per sample are recorded (`MonteCarloResult.watchFailed`).
    var watch: [Int32] { get set }
    func emptyBlock(at start: Int) -> SampleBlock
    func runBlocks(
        _ range: Range<Int>, threads: Int, targetRelativeCI: Double?, resume: SampleBlock?, blockSize: Int,
        blockDone: (SampleBlock) -> Void, progress: (Int) -> Void, shouldStop: () -> Bool
    ) -> (SampleBlock, stoppedEarly: Bool)
    func result(from b: SampleBlock, stoppedEarly: Bool) -> MonteCarloResult
}

extension SampleEngine {
    /// Computes `samples` samples with `threads` threads; calls `progress(done)` after each block
    /// (on the calling thread). With `targetRelativeCI`, stops after the first whole block of
    /// 1,024 samples at which the 95% half-width of the mean loss is at most that fraction of the mean.
    /// - Complexity: O(samples × (reached elements + cascade or timed work)); memory O(samples × sectors + assets × threads).
    public func run(samples: Int, threads: Int, targetRelativeCI: Double? = nil, progress: (Int) -> Void = { _ in }) -> MonteCarloResult {
        let (block, stopped) = runBlocks(
            0..<samples, threads: threads, targetRelativeCI: targetRelativeCI, resume: nil,
            blockSize: SampleBlock.earlyStopBlock, blockDone: { _ in }, progress: progress,
            shouldStop: { false })
        return result(from: block, stoppedEarly: stopped)
    }
}

/// Loss per sample with some assets undamageable, on the same samples (common random numbers):
/// what `rrw` and the coordination matrix compare against the baseline.
public protocol CounterfactualRunner: Sendable {
    /// For each set of assets: per sample, the loss and the loss at each owner's assets
    /// (`[i * owners + o]`) when no event damages or puts out the set. Each sample is drawn once
    /// for all sets; a sample in which none of a set's assets was hit is copied from `baseline`
    /// (its outcome cannot change).
    func losses(undamageable sets: [[Int32]], baseline: MonteCarloResult, threads: Int) -> [(loss: [Double], ownerLoss: [Double])]
}

/// Runs static Monte Carlo samples of a scenario.
///
/// Sample i draws every random number from stream (seed, i) (see `HazardPlan.sample`), so its
/// outcome does not depend on the thread count, the order of computation or on other samples.
/// Samples are computed in blocks of `blockSize`; within a block, threads take contiguous chunks;
/// per-sample results land at their index and per-asset counts are integers, so every reduction
/// is exact and the output is identical for any thread count.
public struct MonteCarlo: Sendable {
    public static let blockSize = 1024
    public let scenario: Scenario
    public let graph: CompiledGraph
    public let plan: HazardPlan
    let cascade: StaticCascade
    /// Sector weight per sector code.
    let weight: [Double]
    /// No dependency row is uncertain: every sample has all rows.
    let allRowsPresent: Bool
    let layout: OutcomeLayout
    /// Sector of each dependency row's consumer.
    let rowConsumerSector: [Int32]
    /// Assets whose failure per sample is recorded in `MonteCarloResult.watchFailed`.
    public var watch: [Int32] = []

    public init(scenario: Scenario, graph: CompiledGraph, plan: HazardPlan) {
        self.scenario = scenario
        self.graph = graph
        self.plan = plan
        cascade = StaticCascade(graph: graph)
        weight = scenario.network.sectors.names.map { scenario.weight(sector: $0) }
        allRowsPresent = plan.uncertainRows.isEmpty
        layout = OutcomeLayout(network: scenario.network, graph: graph, weights: weight)
        let net = scenario.network
        rowConsumerSector = net.dependencies.consumer.map { net.assets.common.sector[Int($0)] }
    }

    /// An empty block at `start` for this engine.
    public func emptyBlock(at start: Int) -> SampleBlock {
        SampleBlock(start: start, layout: layout, watch: watch.count, assets: graph.assetCount, timed: false)
    }

    /// Computes the samples of `range` in blocks of `blockSize` (the last may be shorter), after
    /// the samples of `resume` (a block of the range's first samples, from a checkpoint), and
    /// returns the block of the whole range. `blockDone` sees the cumulative block after each
    /// block (to write a checkpoint). The early stop is checked after every block ending on a
    /// multiple of `MonteCarlo.blockSize` (ranges starting at 0 only).
    public func runBlocks(
        _ range: Range<Int>, threads: Int, targetRelativeCI: Double? = nil, resume: SampleBlock? = nil,
        blockSize: Int = MonteCarlo.blockSize, blockDone: (SampleBlock) -> Void = { _ in },
        progress: (Int) -> Void = { _ in }, shouldStop: () -> Bool = { false }
    ) -> (SampleBlock, stoppedEarly: Bool) {
        let g = graph
        let net = scenario.network
        let nSectors = net.sectors.count
        let seed = scenario.simulation.seed
        let nOwners = layout.owners, nW = watch.count
        // per-thread state, created once
        var pool = WorkerPool(threads: threads) { Worker(graph: g, network: net, layout: layout) }
        return SampleBlock.accumulate(
            range, after: resume ?? emptyBlock(at: range.lowerBound), blockSize: blockSize,
            targetRelativeCI: targetRelativeCI, blockDone: blockDone, progress: progress,
            shouldStop: shouldStop
        ) { r, block in
            pool.forEach { $0.resetCounters() }
            let slabs = pool.forEachChunk(of: r) { w, chunk in
                var slab = StaticSlab(samples: chunk.count, sectors: nSectors, owners: nOwners, watch: nW)
                for i in chunk {
                    slab.loss.append(self.sample(i, seed: seed, worker: &w))
                    slab.people.append(contentsOf: w.people)
                    slab.ownerLoss.append(contentsOf: w.tally.ownerLoss)
                    let alive = w.workspace.alive
                    for a in watch { slab.watchFailed.append(alive[Int(a)] == 0 ? 1 : 0) }
                }
                return slab
            }
            for slab in slabs {
                block.loss += slab.loss; block.people += slab.people
                block.ownerLoss += slab.ownerLoss; block.watchFailed += slab.watchFailed
            }
            // per-asset counts: integer sums over workers
            for w in pool.workers {
                for a in 0..<g.assetCount {
                    block.damagedCount[a] += Int64(w.damaged[a])
                    block.outageCount[a] += Int64(w.outage[a])
                }
                block.add(tally: w.tally)
            }
        }
    }

    /// The run's result from the block of its samples (from sample 0).
    public func result(from b: SampleBlock, stoppedEarly: Bool) -> MonteCarloResult {
        let n = b.count, nSectors = b.sectors, nOwners = b.owners
        var bySector = [[Double]](repeating: [], count: nSectors)
        for s in 0..<nSectors { bySector[s] = (0..<n).map { b.people[$0 * nSectors + s] } }
        var result = MonteCarloResult(
            samples: n, seed: scenario.simulation.seed, sectors: scenario.network.sectors.names,
            loss: b.loss, peopleWithout: bySector, damagedCount: b.damagedCount,
            outageCount: b.outageCount, stoppedEarly: stoppedEarly, timed: nil)
        result.watchFailed = b.watchFailed
        return result.with(outcomes: OutcomeResult(tally: b.tally(layout), samples: n, ownerLoss: Array(b.ownerLoss[0..<(n * nOwners)])))
    }

    /// The static cascade of the damage in `w.damage`, into `w.workspace`.
    func runCascade(_ w: Worker) {
        cascade.run(
            assetHit: w.damage.asset, linkHit: w.damage.link, rowPresent: w.damage.rowPresent, workspace: w.workspace,
            allRowsPresent: allRowsPresent, noLinkHit: w.damage.hitLinks.isEmpty, hitLinks: w.damage.hitLinks)
    }

    /// One sample on one worker: events, cascade, consequences. Returns the loss; people per
    /// sector are left in `w.people`; per-asset counters are updated.
    func sample(_ i: Int, seed: UInt64, worker w: inout Worker) -> Double {
        plan.sample(i, seed: seed, stream: w.stream, into: &w.damage)
        runCascade(w)
        for a in w.damage.hitAssets { w.damaged[Int(a)] += 1 }
        for s in 0..<w.people.count { w.people[s] = 0 }
        let alive = w.workspace.alive
        let pop = w.population
        for a in 0..<graph.assetCount where alive[a] == 0 {
            w.outage[a] += 1
            w.people[Int(graph.sector(a))] += pop[a]
        }
        w.tally.begin()
        w.tally.observe(graph: graph, workspace: w.workspace, hit: w.damage.asset, rowPresent: allRowsPresent ? nil : w.damage.rowPresent)
        w.tally.advance(1)
        for s in 0..<w.people.count { w.sectorLoss[s] = weight[s] * w.people[s] }
        w.tally.end(sectorLoss: w.sectorLoss) { Int(rowConsumerSector[$0]) }
        var loss = 0.0
        for s in 0..<w.people.count { loss += weight[s] * w.people[s] }
        return loss
    }
}

/// One chunk's per-sample results in static mode, in sample order (a `WorkerPool` result).
struct StaticSlab: Sendable {
    var loss: [Double] = [], people: [Double] = [], ownerLoss: [Double] = [], watchFailed: [UInt8] = []

    /// Empty, with room for `samples` samples.
    init(samples: Int, sectors: Int, owners: Int, watch: Int) {
        loss.reserveCapacity(samples); people.reserveCapacity(samples * sectors)
        ownerLoss.reserveCapacity(samples * owners); watchFailed.reserveCapacity(samples * watch)
    }
}

/// The state one thread owns in static mode: its random stream, damage and cascade buffers,
/// per-asset counters. Sized once; nothing is allocated per sample. The counters hold one range
/// of at most a checkpoint block (`SampleBlock.progressStep`), so 32 bits hold them.
struct Worker {
    let stream: RandomStream
    var damage: SampleDamage
    let workspace: CascadeWorkspace
    var damaged: [UInt32]
    var outage: [UInt32]
    var people: [Double]
    var sectorLoss: [Double]
    let population: [Double]
    var tally: OutcomeTally

    /// Zeroes the per-asset and tally accumulators (a new block).
    mutating func resetCounters() {
        for a in damaged.indices { damaged[a] = 0; outage[a] = 0 }
        tally.resetAccumulators()
    }

    init(graph: CompiledGraph, network: Network, layout: OutcomeLayout) {
        tally = OutcomeTally(layout)
        sectorLoss = [Double](repeating: 0, count: network.sectors.count)
        stream = RandomStream(seed: 0, index: 0)
        damage = SampleDamage(assets: graph.assetCount, links: graph.linkCount, rows: network.dependencies.count)
        workspace = CascadeWorkspace(graph: graph)
        damaged = [UInt32](repeating: 0, count: graph.assetCount)
        outage = damaged
        people = [Double](repeating: 0, count: network.sectors.count)
        population = network.assets.population
    }
}

extension MonteCarloResult {
    /// A copy with `outcomes` set.
    public func with(outcomes: OutcomeResult?) -> MonteCarloResult {
        var r = self
        r.outcomes = outcomes
        return r
    }
}

extension MonteCarlo: CounterfactualRunner {
    public func losses(undamageable sets: [[Int32]], baseline: MonteCarloResult, threads: Int) -> [(loss: [Double], ownerLoss: [Double])] {
        let n = baseline.samples, nO = layout.owners
        let baseOwner = baseline.outcomes?.ownerLoss ?? [Double](repeating: 0, count: n * nO)
        let seed = scenario.simulation.seed
        var pool = WorkerPool(threads: threads) { Worker(graph: graph, network: scenario.network, layout: layout) }
        let slabs = pool.forEachChunk(of: 0..<n) { w, chunk in
            // per set: the chunk's losses and owner losses, the baseline's until recomputed
            var slab = CounterfactualSlab(sets: sets.count, chunk: chunk, loss: baseline.loss, ownerLoss: baseOwner, owners: nO)
            var saved: [UInt8] = []
            for i in chunk {
                plan.sample(i, seed: seed, stream: w.stream, into: &w.damage)
                for (k, set) in sets.enumerated() {
                    saved.removeAll(keepingCapacity: true)
                    var any = false
                    for u in set {
                        saved.append(w.damage.asset[Int(u)])
                        if w.damage.asset[Int(u)] != 0 { w.damage.asset[Int(u)] = 0; any = true }
                    }
                    if any {
                        runCascade(w)
                        let alive = w.workspace.alive
                        var total = 0.0
                        let row = (i - chunk.lowerBound) * nO
                        for o in 0..<nO { slab.ownerLoss[k][row + o] = 0 }
                        for a in 0..<graph.assetCount where alive[a] == 0 && w.population[a] > 0 {
                            let v = weight[Int(graph.sector(a))] * w.population[a]
                            total += v
                            let o = Int(layout.assetOwner[a])
                            if o >= 0 { slab.ownerLoss[k][row + o] += v }
                        }
                        slab.loss[k][i - chunk.lowerBound] = total
                    }
                    for (j, u) in set.enumerated() { w.damage.asset[Int(u)] = saved[j] }
                }
            }
            return slab
        }
        return CounterfactualSlab.join(slabs, sets: sets.count)
    }
}

extension MonteCarlo: SampleEngine {
    /// - Complexity: one sample (events and cascade) per listed index, on `threads` threads.
    public func losses(of samples: [Int32], threads: Int) -> [Double] {
        guard !samples.isEmpty else { return [] }
        let seed = scenario.simulation.seed
        var pool = WorkerPool(threads: min(threads, samples.count)) { Worker(graph: graph, network: scenario.network, layout: layout) }
        return pool.forEachChunk(of: samples.indices) { w, chunk in
            chunk.map { self.sample(Int(samples[$0]), seed: seed, worker: &w) }
        }.flatMap { $0 }
    }
}

/// One chunk's losses per undamageable set, for `CounterfactualRunner` (both engines): per set
/// k, the chunk's loss per sample and loss per (sample, owner), starting from the baseline's.
public struct CounterfactualSlab: Sendable {
    public var loss: [[Double]]
    public var ownerLoss: [[Double]]

    /// The baseline's values of `chunk` for each of `sets` sets.
    public init(sets: Int, chunk: Range<Int>, loss: [Double], ownerLoss: [Double], owners: Int) {
        self.loss = Array(repeating: Array(loss[chunk]), count: sets)
        self.ownerLoss = Array(repeating: Array(ownerLoss[(chunk.lowerBound * owners)..<(chunk.upperBound * owners)]), count: sets)
    }

    /// Per set, the chunks' values joined in chunk order.
    public static func join(_ slabs: [CounterfactualSlab], sets: Int) -> [(loss: [Double], ownerLoss: [Double])] {
        (0..<sets).map { k in (slabs.flatMap { $0.loss[k] }, slabs.flatMap { $0.ownerLoss[k] }) }
    }
}
