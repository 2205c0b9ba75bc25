import Cascade
import Dispatch
import Hazards
import InfraGraph
import InfraModel
import Simulation
import Stochastics

/// Timed Monte Carlo (DESIGN.md section 5): per sample, an event-driven simulation from change
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
    public func runBlocks(_ range: Range<Int>, threads: Int, targetRelativeCI: Double? = nil, resume: SampleBlock? = nil,
                          blockSize: Int = TimedMonteCarlo.blockSize, blockDone: (SampleBlock) -> Void = { _ in },
                          progress: (Int) -> Void = { _ in }, shouldStop: () -> Bool = { false }) -> (SampleBlock, stoppedEarly: Bool) {
        let nS = scenario.network.sectors.count
        let nA = graph.assetCount
        let threads = max(1, threads)
        let nO = layout.owners
        let workers = (0..<threads).map { _ in TimedWorker(self) }
        let seed = scenario.simulation.seed
        return SampleBlock.accumulate(range, after: resume ?? emptyBlock(at: range.lowerBound), blockSize: blockSize,
                                      targetRelativeCI: targetRelativeCI, blockDone: blockDone, progress: progress,
                                      shouldStop: shouldStop) { r in
            let blockEnd = r.upperBound
            let count = r.count
            let chunk = (count + threads - 1) / threads
            let base = r.lowerBound
            var loss = [Double](repeating: 0, count: count)
            var peak = [Double](repeating: 0, count: count * nS + 1)
            var hours = peak, restore = peak
            var curveT = [[Double]](repeating: [], count: count), curveP = curveT
            var ownerLoss = [Double](repeating: 0, count: count * nO + 1)
            for w in workers { w.resetCounters() }
            loss.withUnsafeMutableBufferPointer { lossB in
            peak.withUnsafeMutableBufferPointer { peakB in
            hours.withUnsafeMutableBufferPointer { hoursB in
            restore.withUnsafeMutableBufferPointer { restoreB in
            curveT.withUnsafeMutableBufferPointer { ctB in
            curveP.withUnsafeMutableBufferPointer { cpB in
            ownerLoss.withUnsafeMutableBufferPointer { olB in
                let out = Outputs(loss: lossB.baseAddress!, peak: peakB.baseAddress!, hours: hoursB.baseAddress!,
                                  restore: restoreB.baseAddress!, curveT: ctB.baseAddress!, curveP: cpB.baseAddress!,
                                  ownerLoss: olB.baseAddress!)
                DispatchQueue.concurrentPerform(iterations: threads) { t in
                    let lo = base + t * chunk, hi = min(blockEnd, lo + chunk)
                    guard lo < hi else { return }
                    let w = workers[t]
                    for i in lo..<hi { w.simulate(i, seed: seed, into: out, slot: i - base) }
                }
            } } } } } } }
            var block = emptyBlock(at: base)
            block.count = count
            block.loss = loss
            block.people = Array(peak[0..<(count * nS)])
            block.hours = Array(hours[0..<(count * nS)])
            block.restore = Array(restore[0..<(count * nS)])
            block.curveT = curveT; block.curveP = curveP
            block.ownerLoss = Array(ownerLoss[0..<(count * nO)])
            var watchFailed = [UInt8](repeating: 0, count: count * watch.count)
            for w in workers {
                block.add(tally: w.tally)
                block.stateComputations += w.stateComputations
                for a in 0..<nA {
                    block.damagedCount[a] += w.damagedCount[a]; block.outageCount[a] += w.outageCount[a]
                    block.outageMicroHours[a] += w.outageMicroHours[a]
                }
                block.durAsset += w.durAsset; block.durSample += w.durSample; block.durHours += w.durHours
                for h in w.watchHits { watchFailed[h - base * watch.count] = 1 }
            }
            block.watchFailed = watchFailed
            return block
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
            medianWhenOut[Int(entries[k].asset)] = anyCensored
                ? (Censored.kaplanMeierMedian(entries[k..<j].map { (abs($0.hours), $0.hours < 0) }) ?? .nan)
                : Self.quantileWithZeros(nonzero, samples: nonzero.count, p: 0.5)
            k = j
        }
        let meanOutage = b.outageMicroHours.map { Double($0) * 1e-6 / Double(max(1, n)) }
        func bySector(_ flat: [Double]) -> [[Double]] { (0..<nS).map { s in (0..<n).map { flat[$0 * nS + s] } } }
        var timedResult = TimedResult(horizonHours: timed.horizon, stepHours: timed.step,
                                      peopleHours: bySector(b.hours), restore95: bySector(b.restore),
                                      curveTimes: b.curveT, curvePeople: b.curveP,
                                      meanOutageHours: meanOutage, p90OutageHours: p90)
        timedResult.stateComputations = b.stateComputations
        timedResult.medianOutageHoursWhenOut = medianWhenOut
        var result = MonteCarloResult(samples: n, seed: scenario.simulation.seed, sectors: scenario.network.sectors.names,
                                      loss: b.loss, peopleWithout: bySector(b.people), damagedCount: b.damagedCount,
                                      outageCount: b.outageCount, stoppedEarly: stoppedEarly, timed: timedResult)
        result.watchFailed = b.watchFailed
        return result.with(outcomes: OutcomeResult(tally: b.tally(layout), samples: n, ownerLoss: Array(b.ownerLoss[0..<(n * nO)])))
    }

    /// The p-quantile (GSL definition) of `samples` values of which all but `nonzero` (sorted) are 0.
    static func quantileWithZeros(_ nonzero: [Double], samples n: Int, p: Double) -> Double {
        guard n > 0 else { return 0 }
        let zeros = n - nonzero.count
        func at(_ k: Int) -> Double { k < zeros ? 0 : nonzero[k - zeros] }
        let f = p * Double(n - 1)
        let lo = Int(f.rounded(.down)), delta = f - Double(lo)
        return lo + 1 < n ? (1 - delta) * at(lo) + delta * at(lo + 1) : at(lo)
    }
}

/// Where workers put per-sample results (disjoint indices per thread).
struct Outputs: @unchecked Sendable {
    let loss: UnsafeMutablePointer<Double>
    let peak: UnsafeMutablePointer<Double>
    let hours: UnsafeMutablePointer<Double>
    let restore: UnsafeMutablePointer<Double>
    let curveT: UnsafeMutablePointer<[Double]>
    let curveP: UnsafeMutablePointer<[Double]>
    let ownerLoss: UnsafeMutablePointer<Double>
}

/// One sample's worth of `Outputs` per thread, for samples simulated again one at a time
/// (counterfactual and mitigation runs); allocated once per call.
final class ScratchOutputs: @unchecked Sendable {
    let threads: Int, sectors: Int, owners: Int
    let loss: UnsafeMutablePointer<Double>, peak: UnsafeMutablePointer<Double>, hours: UnsafeMutablePointer<Double>
    let restore: UnsafeMutablePointer<Double>, ownerLoss: UnsafeMutablePointer<Double>
    let curveT: UnsafeMutablePointer<[Double]>, curveP: UnsafeMutablePointer<[Double]>

    init(threads: Int, sectors: Int, owners: Int) {
        self.threads = threads; self.sectors = sectors; self.owners = owners
        func doubles(_ n: Int) -> UnsafeMutablePointer<Double> {
            let p = UnsafeMutablePointer<Double>.allocate(capacity: max(1, n))
            p.initialize(repeating: 0, count: max(1, n))
            return p
        }
        loss = doubles(threads); peak = doubles(threads * sectors); hours = doubles(threads * sectors)
        restore = doubles(threads * sectors); ownerLoss = doubles(threads * owners)
        curveT = .allocate(capacity: threads); curveT.initialize(repeating: [], count: threads)
        curveP = .allocate(capacity: threads); curveP.initialize(repeating: [], count: threads)
    }

    /// Thread t's slot, written as sample slot 0.
    func outputs(thread t: Int) -> Outputs {
        Outputs(loss: loss + t, peak: peak + t * sectors, hours: hours + t * sectors, restore: restore + t * sectors,
                curveT: curveT + t, curveP: curveP + t, ownerLoss: ownerLoss + t * owners)
    }

    deinit {
        for p in [loss, peak, hours, restore, ownerLoss] { p.deallocate() }
        curveT.deinitialize(count: threads); curveT.deallocate()
        curveP.deinitialize(count: threads); curveP.deallocate()
    }
}

/// A min-heap of timed changes ordered by (time, kind, element): a total order, so changes at
/// one time are applied in the same order in every run.
struct ChangeQueue {
    enum Kind: UInt8 { case repairDone = 0, outEnd = 1, outStart = 2, damage = 3, backupEnd = 4 }
    var time: [Double] = [], kind: [UInt8] = [], element: [Int32] = []
    var count: Int { time.count }

    mutating func removeAll() {
        time.removeAll(keepingCapacity: true); kind.removeAll(keepingCapacity: true); element.removeAll(keepingCapacity: true)
    }

    @inline(__always) func less(_ i: Int, _ j: Int) -> Bool {
        if time[i] != time[j] { return time[i] < time[j] }
        if kind[i] != kind[j] { return kind[i] < kind[j] }
        return element[i] < element[j]
    }

    mutating func push(_ t: Double, _ k: Kind, _ x: Int32) {
        time.append(t); kind.append(k.rawValue); element.append(x)
        var c = count - 1
        while c > 0 {
            let p = (c - 1) / 2
            if !less(c, p) { break }
            swap(c, p); c = p
        }
    }

    mutating func pop() -> (Double, Kind, Int32) {
        let top = (time[0], Kind(rawValue: kind[0])!, element[0])
        let last = count - 1
        swap(0, last)
        time.removeLast(); kind.removeLast(); element.removeLast()
        var p = 0
        while true {
            let l = 2 * p + 1, r = l + 1
            var m = p
            if l < count && less(l, m) { m = l }
            if r < count && less(r, m) { m = r }
            if m == p { break }
            swap(p, m); p = m
        }
        return top
    }

    @inline(__always) mutating func swap(_ i: Int, _ j: Int) {
        time.swapAt(i, j); kind.swapAt(i, j); element.swapAt(i, j)
    }
}

/// One thread's state for timed samples; every buffer is sized once and reused.
final class TimedWorker: @unchecked Sendable {
    let mc: TimedMonteCarlo
    let stream = RandomStream(seed: 0, index: 0)
    @exclusivity(unchecked) var damage: SampleDamage
    let ws: CascadeWorkspace
    @exclusivity(unchecked) var assetHit: [UInt8], linkHit: [UInt8]
    @exclusivity(unchecked) var hitLinks = 0
    /// Per element: damaged (not yet repaired), number of outs in force, damage start, repair hours.
    @exclusivity(unchecked) var damaged: [UInt8], outs: [Int32], damageStart: [Double], repairNeed: [Double]
    @exclusivity(unchecked) var touched: [Int32] = []
    /// Per element: the simulation (epoch) that last touched it.
    @exclusivity(unchecked) var touchMark: [Int32]
    @exclusivity(unchecked) var touchEpoch: Int32 = 0
    /// Links an event of this sample acts on (hit or not at the moment).
    @exclusivity(unchecked) var touchedLinks: [Int32] = []
    @exclusivity(unchecked) var queue = ChangeQueue()
    /// Per owner: crews busy, and the waiting elements (a min-heap by repair rank).
    @exclusivity(unchecked) var busy: [Int32]
    @exclusivity(unchecked) var waiting: [[Int32]]
    /// Per backed requirement: when its providers stopped sufficing (NaN: they suffice).
    @exclusivity(unchecked) var unmetSince: [Double]
    @exclusivity(unchecked) var forced: [Int32] = []
    @exclusivity(unchecked) var downSince: [Double], downHours: [Double]
    @exclusivity(unchecked) var downTouched: [Int32] = []
    @exclusivity(unchecked) var people: [Double]
    @exclusivity(unchecked) var curveT: [Double] = [], curveP: [Double] = []
    // per-asset accumulators (integers: exact in any order)
    @exclusivity(unchecked) var damagedCount: [Int64], outageCount: [Int64], outageMicroHours: [Int64]
    @exclusivity(unchecked) var durAsset: [Int32] = [], durSample: [Int32] = [], durHours: [Double] = []
    @exclusivity(unchecked) var stateComputations: Int64 = 0
    let tally: OutcomeTally
    @exclusivity(unchecked) var lastObserved = 0.0
    @exclusivity(unchecked) var sectorLoss: [Double]
    /// Per element: 1 when no event may damage or put it out (counterfactual runs).
    @exclusivity(unchecked) var skip: [UInt8] = []
    /// Per asset: its position in `mc.watch`, or -1; and the (sample × watch count + position)
    /// of every watched failure seen.
    @exclusivity(unchecked) var watchIndex: [Int32] = []
    @exclusivity(unchecked) var watchHits: [Int] = []

    /// Zeroes the per-asset, duration, watch and tally accumulators (a new block).
    func resetCounters() {
        for a in damagedCount.indices { damagedCount[a] = 0; outageCount[a] = 0; outageMicroHours[a] = 0 }
        durAsset.removeAll(keepingCapacity: true); durSample.removeAll(keepingCapacity: true); durHours.removeAll(keepingCapacity: true)
        watchHits.removeAll(keepingCapacity: true)
        stateComputations = 0
        tally.resetAccumulators()
    }

    init(_ mc: TimedMonteCarlo) {
        self.mc = mc
        let g = mc.graph, t = mc.timed
        tally = OutcomeTally(mc.layout)
        sectorLoss = [Double](repeating: 0, count: g.sectorCount)
        damage = mc.plan.makeDamage()
        damage.logEvents = true
        ws = CascadeWorkspace(graph: g)
        assetHit = [UInt8](repeating: 0, count: g.assetCount)
        linkHit = [UInt8](repeating: 0, count: g.linkCount)
        let nE = g.assetCount + g.linkCount
        damaged = [UInt8](repeating: 0, count: nE)
        outs = [Int32](repeating: 0, count: nE)
        damageStart = [Double](repeating: .infinity, count: nE)
        repairNeed = [Double](repeating: 0, count: nE)
        touchMark = [Int32](repeating: 0, count: nE)
        busy = [Int32](repeating: 0, count: t.ownerCrews.count)
        waiting = [[Int32]](repeating: [], count: t.ownerCrews.count)
        unmetSince = [Double](repeating: .nan, count: t.backedReq.count)
        downSince = [Double](repeating: .nan, count: g.assetCount)
        downHours = [Double](repeating: 0, count: g.assetCount)
        people = [Double](repeating: 0, count: g.sectorCount)
        damagedCount = [Int64](repeating: 0, count: g.assetCount)
        outageCount = damagedCount
        outageMicroHours = damagedCount
        if !mc.watch.isEmpty {
            watchIndex = [Int32](repeating: -1, count: g.assetCount)
            for (k, a) in mc.watch.enumerated() { watchIndex[Int(a)] = Int32(k) }
        }
    }

    @inline(__always) func setHit(_ x: Int, _ on: Bool) {
        let nA = mc.graph.assetCount
        if x < nA { assetHit[x] = on ? 1 : 0; return }
        let l = x - nA
        let v: UInt8 = on ? 1 : 0
        if linkHit[l] != v { hitLinks += on ? 1 : -1; linkHit[l] = v }
    }

    /// Simulates sample i and writes its results at index `slot ?? i` of `out`. `sampled`: the
    /// sample's damage is already in `damage` (counterfactual runs).
    func simulate(_ i: Int, seed: UInt64, into out: Outputs, sampled: Bool = false, slot: Int? = nil) {
        let t = mc.timed
        let nA = mc.graph.assetCount, nS = people.count
        let horizon = t.horizon
        if !sampled { mc.plan.sample(i, seed: seed, stream: stream, into: &damage) }
        let j = slot ?? i

        // reset what the previous sample touched
        for x in touched {
            let xi = Int(x)
            damaged[xi] = 0; outs[xi] = 0; damageStart[xi] = .infinity; repairNeed[xi] = 0
            setHit(xi, false)
        }
        touched.removeAll(keepingCapacity: true)
        touchedLinks.removeAll(keepingCapacity: true)
        touchEpoch &+= 1
        if touchEpoch == Int32.max { for k in touchMark.indices { touchMark[k] = 0 }; touchEpoch = 1 }
        queue.removeAll()
        for o in 0..<busy.count { busy[o] = 0; waiting[o].removeAll(keepingCapacity: true) }
        for b in 0..<unmetSince.count { unmetSince[b] = .nan }
        for a in downTouched { downSince[Int(a)] = .nan; downHours[Int(a)] = 0 }
        downTouched.removeAll(keepingCapacity: true)
        curveT.removeAll(keepingCapacity: true); curveP.removeAll(keepingCapacity: true)

        // the sample's hits become changes in time
        for k in 0..<damage.logEvent.count {
            let e = Int(damage.logEvent[k])
            let start = t.eventStart[e]
            guard start < horizon else { continue }
            let el = damage.logElement[k]
            let x = el >= 0 ? Int(el) : nA + Int(-el - 1)
            if !skip.isEmpty && skip[x] != 0 { continue }
            if touchMark[x] != touchEpoch {
                touchMark[x] = touchEpoch; touched.append(Int32(x))
                if x >= nA { touchedLinks.append(Int32(x - nA)) }
            }
            if damage.logState[k] == 1 {
                if start < damageStart[x] { damageStart[x] = start }
                repairNeed[x] = max(repairNeed[x], t.repairHours(element: x, event: e, seed: seed, index: i))
            } else {
                queue.push(start, .outStart, Int32(x))
                let end = start + t.eventOutDuration[e]
                if end < horizon { queue.push(end, .outEnd, Int32(x)) }
            }
        }
        for x in touched where damageStart[Int(x)] < .infinity { queue.push(damageStart[Int(x)], .damage, x) }
        // p_damage: assets an event hit before the horizon
        for x in touched where Int(x) < nA { damagedCount[Int(x)] += 1 }

        // from change to change
        var now = 0.0
        tally.begin()
        lastObserved = 0
        while true {
            while queue.count > 0 && queue.time[0] <= now { apply(queue.pop(), now) }
            dispatchCrews(now)
            tally.advance(now - lastObserved)
            lastObserved = now
            recompute(now)
            guard queue.count > 0, queue.time[0] < horizon else { break }
            now = queue.time[0]
        }
        tally.advance(horizon - lastObserved)

        // per-sample figures from the curve
        var lossValue = 0.0
        let points = curveT.count
        for s in 0..<nS {
            var integral = 0.0, peakValue = 0.0
            for k in 0..<points {
                let end = k + 1 < points ? curveT[k + 1] : horizon
                let v = curveP[k * nS + s]
                integral += v * (end - curveT[k])
                peakValue = max(peakValue, v)
            }
            // restore95: the end of the last interval with more than 5% of the sector's people without
            let threshold = 0.05 * t.sectorPopulation[s]
            var restore = 0.0
            for k in stride(from: points - 1, through: 0, by: -1) where curveP[k * nS + s] > threshold {
                restore = k + 1 < points ? curveT[k + 1] : .nan
                break
            }
            out.hours[j * nS + s] = integral
            out.peak[j * nS + s] = peakValue
            out.restore[j * nS + s] = restore
            lossValue += t.sectorWeight[s] * integral
        }
        out.loss[j] = lossValue
        out.curveT[j] = curveT
        out.curveP[j] = curveP
        let nO = mc.layout.owners
        for o in 0..<nO { out.ownerLoss[j * nO + o] = tally.ownerLoss[o] }
        for s in 0..<nS { sectorLoss[s] = t.sectorWeight[s] * out.hours[j * nS + s] }
        tally.end(sectorLoss: sectorLoss) { Int(self.mc.rowConsumerSector[$0]) }

        // per-asset outage time
        for a in downTouched {
            let ai = Int(a)
            // still out at the horizon: the outage's length is censored (recorded with a minus sign)
            let censored = !downSince[ai].isNaN
            if censored { downHours[ai] += horizon - downSince[ai]; downSince[ai] = .nan }
            outageCount[ai] += 1
            if !watchIndex.isEmpty && watchIndex[ai] >= 0 { watchHits.append(i * mc.watch.count + Int(watchIndex[ai])) }
            let h = downHours[ai]
            outageMicroHours[ai] += Int64((h * 1e6).rounded())
            if h > 0 { durAsset.append(a); durSample.append(Int32(i)); durHours.append(censored ? -h : h) }
        }
    }

    /// Applies one change at time `now`.
    func apply(_ change: (Double, ChangeQueue.Kind, Int32), _ now: Double) {
        let (_, kind, el) = change
        let x = Int(el)
        let t = mc.timed
        switch kind {
        case .outStart:
            outs[x] += 1
            setHit(x, true)
        case .outEnd:
            outs[x] -= 1
            if outs[x] == 0 && damaged[x] == 0 { setHit(x, false) }
        case .damage:
            damaged[x] = 1
            setHit(x, true)
            let o = Int(t.elemOwner[x])
            if o >= 0 && t.ownerCrews[o] > 0 {
                pushWaiting(o, el)
            } else {
                queue.push(now + repairNeed[x], .repairDone, el)
            }
        case .repairDone:
            damaged[x] = 0
            if outs[x] == 0 { setHit(x, false) }
            let o = Int(t.elemOwner[x])
            if o >= 0 && t.ownerCrews[o] > 0 { busy[o] -= 1 }
        case .backupEnd:
            break   // the backup's state is read from `unmetSince` at the recompute
        }
    }

    /// Free crews take the next waiting elements.
    func dispatchCrews(_ now: Double) {
        let t = mc.timed
        for o in 0..<busy.count where !waiting[o].isEmpty {
            while busy[o] < t.ownerCrews[o] && !waiting[o].isEmpty {
                let x = popWaiting(o)
                busy[o] += 1
                queue.push(now + repairNeed[Int(x)], .repairDone, x)
            }
        }
    }

    func pushWaiting(_ o: Int, _ x: Int32) {
        let rank = mc.timed.repairRank
        waiting[o].append(x)
        var c = waiting[o].count - 1
        while c > 0 {
            let p = (c - 1) / 2
            if rank[Int(waiting[o][c])] >= rank[Int(waiting[o][p])] { break }
            waiting[o].swapAt(c, p); c = p
        }
    }

    func popWaiting(_ o: Int) -> Int32 {
        let rank = mc.timed.repairRank
        let top = waiting[o][0]
        waiting[o].swapAt(0, waiting[o].count - 1)
        waiting[o].removeLast()
        var p = 0
        let n = waiting[o].count
        while true {
            let l = 2 * p + 1, r = l + 1
            var m = p
            if l < n && rank[Int(waiting[o][l])] < rank[Int(waiting[o][m])] { m = l }
            if r < n && rank[Int(waiting[o][r])] < rank[Int(waiting[o][m])] { m = r }
            if m == p { break }
            waiting[o].swapAt(p, m); p = m
        }
        return top
    }

    /// The state at `now`: the cascade with running backups forced to hold; backups whose
    /// providers stopped sufficing start running down (an expiry change is queued), those whose
    /// providers suffice again are full again. Repeats when a refilled backup was not forced
    /// (the greatest fixed point can only grow). Then records the people without service.
    func recompute(_ now: Double) {
        let t = mc.timed, g = mc.graph
        let bonus = StaticCascade.forcedBonus
        while true {
            forced.removeAll(keepingCapacity: true)
            for b in 0..<t.backedReq.count where unmetSince[b].isNaN || now < unmetSince[b] + t.backedHours[b] {
                forced.append(t.backedReq[b])
            }
            stateComputations += 1
            let noLinkHit = hitLinks == 0
            assetHit.withUnsafeBufferPointer { a in
                linkHit.withUnsafeBufferPointer { l in
                    damage.rowPresent.withUnsafeBufferPointer { r in
                        forced.withUnsafeBufferPointer { f in
                            touchedLinks.withUnsafeBufferPointer { tl in
                                mc.cascade.run(assetHit: a, linkHit: l, rowPresent: r, workspace: ws,
                                               allRowsPresent: mc.allRowsPresent, noLinkHit: noLinkHit, forced: f, hitLinks: tl)
                            }
                        }
                    }
                }
            }
            var again = false
            let slack = ws.requirementSlack
            for b in 0..<t.backedReq.count {
                let r = Int(t.backedReq[b])
                let wasForced = unmetSince[b].isNaN || now < unmetSince[b] + t.backedHours[b]
                let suffice = slack[r] - (wasForced ? bonus : 0) >= 0
                if !suffice && unmetSince[b].isNaN {
                    unmetSince[b] = now
                    let end = now + t.backedHours[b]
                    if end < t.horizon { queue.push(end, .backupEnd, Int32(b)) }
                } else if suffice && !unmetSince[b].isNaN {
                    unmetSince[b] = .nan
                    if !wasForced { again = true }
                }
            }
            if !again { break }
        }
        assetHit.withUnsafeBufferPointer { hit in
            damage.rowPresent.withUnsafeBufferPointer { rows in
                tally.observe(graph: g, alive: ws.alive, hit: hit, slack: ws.requirementSlack,
                              rowPresent: mc.allRowsPresent ? UnsafeBufferPointer(start: nil, count: 0) : rows,
                              ownersOnly: !skip.isEmpty)
            }
        }
        // people without service, and down times per asset
        for s in 0..<people.count { people[s] = 0 }
        let alive = ws.alive
        let pop = t.population
        if !skip.isEmpty {
            // counterfactual runs need the people only
            for a in 0..<g.assetCount where alive[a] == 0 && pop[a] > 0 { people[Int(g.sector(a))] += pop[a] }
        } else {
        for a in 0..<g.assetCount {
            if alive[a] == 0 {
                if pop[a] > 0 { people[Int(g.sector(a))] += pop[a] }
                if downSince[a].isNaN {
                    if downHours[a] == 0 { downTouched.append(Int32(a)) }
                    downSince[a] = now
                }
            } else if !downSince[a].isNaN {
                downHours[a] += now - downSince[a]
                downSince[a] = .nan
            }
        }
        }
        let nS = people.count
        if let last = curveT.last {
            let base = (curveT.count - 1) * nS
            var same = true
            for s in 0..<nS where curveP[base + s] != people[s] { same = false; break }
            if same { return }
            if last == now { for s in 0..<nS { curveP[base + s] = people[s] }; return }
        }
        curveT.append(now)
        curveP.append(contentsOf: people)
    }
}

extension TimedMonteCarlo: CounterfactualRunner {
    public func losses(undamageable sets: [[Int32]], baseline: MonteCarloResult, threads: Int) -> [(loss: [Double], ownerLoss: [Double])] {
        let n = baseline.samples, nO = layout.owners, nS = scenario.network.sectors.count
        let baseOwner = baseline.outcomes?.ownerLoss ?? [Double](repeating: 0, count: n * nO)
        // set k, sample i: loss[k * n + i], owner loss[(k * n + i) * nO + o]; baseline values until recomputed
        var loss: [Double] = Array(repeating: baseline.loss, count: sets.count).flatMap { $0 } + [0]
        var owner: [Double] = Array(repeating: baseOwner, count: sets.count).flatMap { $0 } + [0]
        let threads = max(1, threads)
        let nE = graph.assetCount + graph.linkCount
        let workers = (0..<threads).map { _ in TimedWorker(self) }
        for w in workers { w.skip = [UInt8](repeating: 0, count: nE) }
        let seed = scenario.simulation.seed
        let chunk = (n + threads - 1) / threads
        // scratch outputs for re-simulated samples (one slot per thread)
        let scratch = ScratchOutputs(threads: threads, sectors: nS, owners: nO)
        loss.withUnsafeMutableBufferPointer { (lossBuf: inout UnsafeMutableBufferPointer<Double>) -> Void in
        owner.withUnsafeMutableBufferPointer { (ownerBuf: inout UnsafeMutableBufferPointer<Double>) -> Void in
            let lp = SendablePointer(lossBuf.baseAddress!), op = SendablePointer(ownerBuf.baseAddress!)
            DispatchQueue.concurrentPerform(iterations: threads) { t in
                let lo = t * chunk, hi = min(n, lo + chunk)
                guard lo < hi else { return }
                let w = workers[t]
                let out = scratch.outputs(thread: t)
                for i in lo..<hi {
                    plan.sample(i, seed: seed, stream: w.stream, into: &w.damage)
                    for (k, set) in sets.enumerated() {
                        // a sample in which no event reaches the set cannot change
                        var any = false
                        for u in set where w.damage.asset[Int(u)] != 0 { any = true; break }
                        guard any else { continue }
                        for u in set { w.skip[Int(u)] = 1 }
                        w.simulate(i, seed: seed, into: out, sampled: true, slot: 0)
                        for u in set { w.skip[Int(u)] = 0 }
                        lp.pointer[k * n + i] = out.loss[0]
                        for o in 0..<nO { op.pointer[(k * n + i) * nO + o] = out.ownerLoss[o] }
                    }
                }
            }
        } }
        var results: [(loss: [Double], ownerLoss: [Double])] = []
        for k in 0..<sets.count {
            let l = Array(loss[(k * n)..<((k + 1) * n)])
            let o = Array(owner[(k * n * nO)..<((k + 1) * n * nO)])
            results.append((l, o))
        }
        return results
    }
}

extension TimedMonteCarlo: SampleEngine {
    /// - Complexity: one timed sample per listed index, on `threads` threads.
    public func losses(of samples: [Int32], threads: Int) -> [Double] {
        guard !samples.isEmpty else { return [] }
        let nO = layout.owners, nS = scenario.network.sectors.count
        let threads = max(1, min(threads, samples.count))
        let workers = (0..<threads).map { _ in TimedWorker(self) }
        let seed = scenario.simulation.seed
        let chunk = (samples.count + threads - 1) / threads
        var result = [Double](repeating: 0, count: samples.count)
        let scratch = ScratchOutputs(threads: threads, sectors: nS, owners: nO)
        result.withUnsafeMutableBufferPointer { resBuf in
            let rp = SendablePointer(resBuf.baseAddress!)
            DispatchQueue.concurrentPerform(iterations: threads) { t in
                let lo = t * chunk, hi = min(samples.count, lo + chunk)
                guard lo < hi else { return }
                let out = scratch.outputs(thread: t)
                for k in lo..<hi {
                    workers[t].simulate(Int(samples[k]), seed: seed, into: out, slot: 0)
                    rp.pointer[k] = out.loss[0]
                }
            }
        }
        return result
    }
}
