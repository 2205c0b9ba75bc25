import Cascade
import Hazards
import Simulation
import Stochastics

/// One thread's timed sampler (docs/specification.md section 5): the sample's damage and event log, its
/// state per element (`SampleState`), the change queue, crews (`CrewQueues`), backups
/// (`BackupClocks`), down times (`DownClocks`) and the people curve (`PeopleCurve`), plus the
/// block's accumulators (`TimedCounters`). Every buffer is sized once and reused: a sample
/// allocates nothing but its curve's copy in the results.
///
/// - Complexity: per sample O(hits + changes × (cascade + assets + backed requirements)).
struct TimedWorker {
    let mc: TimedMonteCarlo
    let stream = RandomStream(seed: 0, index: 0)
    var damage: SampleDamage
    /// The sample's hits per event (start times and durations differ per event).
    var events = EventLog()
    let ws: CascadeWorkspace
    var state: SampleState
    var queue = ChangeQueue()
    var crews: CrewQueues
    var backups: BackupClocks
    var down: DownClocks
    var curve: PeopleCurve
    var counters: TimedCounters
    var tally: OutcomeTally
    var sectorLoss: [Double]
    /// Per element: 1 when no event may damage or put it out (counterfactual runs; empty otherwise).
    var skip: [UInt8] = []
    /// Per asset: its position in `mc.watch`, or -1 (empty when nothing is watched).
    var watchIndex: [Int32] = []

    init(_ mc: TimedMonteCarlo) {
        self.mc = mc
        let g = mc.graph, t = mc.timed
        tally = OutcomeTally(mc.layout)
        sectorLoss = [Double](repeating: 0, count: g.sectorCount)
        damage = mc.plan.makeDamage()
        ws = CascadeWorkspace(graph: g)
        state = SampleState(assets: g.assetCount, links: g.linkCount)
        crews = CrewQueues(owners: t.ownerCrews.count)
        backups = BackupClocks(plan: t)
        down = DownClocks(assets: g.assetCount)
        curve = PeopleCurve(sectors: g.sectorCount)
        counters = TimedCounters(assets: g.assetCount)
        if !mc.watch.isEmpty {
            watchIndex = [Int32](repeating: -1, count: g.assetCount)
            for (k, a) in mc.watch.enumerated() { watchIndex[Int(a)] = Int32(k) }
        }
    }

    /// Zeroes the block's accumulators (a new block).
    mutating func resetCounters() {
        counters.reset()
        tally.resetAccumulators()
    }

    /// Simulates sample i and appends its results to `out`. `sampled`: the sample's damage and
    /// event log are already in `damage` and `events` (counterfactual runs).
    mutating func simulate(_ i: Int, seed: UInt64, sampled: Bool = false, into out: inout TimedSlab) {
        let t = mc.timed
        let nA = mc.graph.assetCount, nS = curve.people.count
        let horizon = t.horizon
        if !sampled { mc.plan.sample(i, seed: seed, stream: stream, into: &damage, log: &events) }

        // reset what the previous sample touched
        state.reset()
        queue.removeAll()
        crews.reset()
        backups.reset()
        down.reset()
        curve.reset()

        // the sample's hits become changes in time
        for k in 0..<events.count {
            let e = Int(events.event[k])
            let start = t.eventStart[e]
            guard start < horizon else { continue }
            let el = events.element[k]
            let x = el >= 0 ? Int(el) : nA + Int(-el - 1)
            if !skip.isEmpty && skip[x] != 0 { continue }
            state.touch(x)
            if events.state[k] == 1 {
                if start < state.damageStart[x] { state.damageStart[x] = start }
                state.repairNeed[x] = max(state.repairNeed[x], t.repairHours(element: x, event: e, seed: seed, index: i))
            } else {
                queue.push(start, .outStart, Int32(x))
                let end = start + t.eventOutDuration[e]
                if end < horizon { queue.push(end, .outEnd, Int32(x)) }
            }
        }
        for x in state.touched where state.damageStart[Int(x)] < .infinity { queue.push(state.damageStart[Int(x)], .damage, x) }
        // p_damage: assets an event hit before the horizon
        for x in state.touched where Int(x) < nA { counters.damagedCount[Int(x)] += 1 }

        // from change to change
        var now = 0.0
        tally.begin()
        var lastObserved = 0.0
        while true {
            while queue.count > 0 && queue.time[0] <= now { apply(queue.pop(), now) }
            crews.dispatch(now, crews: t.ownerCrews, rank: t.repairRank, repairNeed: state.repairNeed, queue: &queue)
            tally.advance(now - lastObserved)
            lastObserved = now
            recompute(now)
            guard queue.count > 0, queue.time[0] < horizon else { break }
            now = queue.time[0]
        }
        tally.advance(horizon - lastObserved)

        // per-sample figures from the curve
        var lossValue = 0.0
        for s in 0..<nS {
            let f = curve.figures(sector: s, horizon: horizon, threshold: 0.05 * t.sectorPopulation[s])
            out.hours.append(f.hours)
            out.peak.append(f.peak)
            out.restore.append(f.restore)
            lossValue += t.sectorWeight[s] * f.hours
            sectorLoss[s] = t.sectorWeight[s] * f.hours
        }
        out.loss.append(lossValue)
        out.curveT.append(curve.times)
        out.curveP.append(curve.values)
        for o in 0..<mc.layout.owners { out.ownerLoss.append(tally.ownerLoss[o]) }
        let rowSector = mc.rowConsumerSector
        tally.end(sectorLoss: sectorLoss) { Int(rowSector[$0]) }

        // per-asset outage time
        let nW = mc.watch.count
        for a in down.touched {
            let ai = Int(a)
            // still out at the horizon: the outage's length is censored (recorded with a minus sign)
            let censored = !down.since[ai].isNaN
            if censored { down.hours[ai] += horizon - down.since[ai]; down.since[ai] = .nan }
            counters.outageCount[ai] += 1
            if !watchIndex.isEmpty && watchIndex[ai] >= 0 { counters.watchHits.append(i * nW + Int(watchIndex[ai])) }
            let h = down.hours[ai]
            counters.outageMicroHours[ai] += Int64((h * 1e6).rounded())
            if h > 0 { counters.durAsset.append(a); counters.durSample.append(Int32(i)); counters.durHours.append(censored ? -h : h) }
        }
    }

    /// Applies one change at time `now`.
    mutating func apply(_ change: (Double, ChangeQueue.Kind, Int32), _ now: Double) {
        let (_, kind, el) = change
        let x = Int(el)
        let t = mc.timed
        switch kind {
        case .outStart:
            state.outs[x] += 1
            state.setHit(x, true)
        case .outEnd:
            state.outs[x] -= 1
            if state.outs[x] == 0 && state.damaged[x] == 0 { state.setHit(x, false) }
        case .damage:
            state.damaged[x] = 1
            state.setHit(x, true)
            let o = Int(t.elemOwner[x])
            if o >= 0 && t.ownerCrews[o] > 0 {
                crews.push(o, el, rank: t.repairRank)
            } else {
                queue.push(now + state.repairNeed[x], .repairDone, el)
            }
        case .repairDone:
            state.damaged[x] = 0
            if state.outs[x] == 0 { state.setHit(x, false) }
            let o = Int(t.elemOwner[x])
            if o >= 0 && t.ownerCrews[o] > 0 { crews.busy[o] -= 1 }
        case .backupEnd:
            break // the backup's state is read from `backups.unmetSince` at the recompute
        }
    }

    /// The state at `now`: the cascade with running backups forced to hold (`BackupClocks`),
    /// repeated while a refilled backup was not forced. Then records the people without service
    /// and the down times per asset.
    mutating func recompute(_ now: Double) {
        let t = mc.timed, g = mc.graph
        while true {
            backups.collectForced(at: now)
            counters.stateComputations += 1
            mc.cascade.run(
                assetHit: state.assetHit, linkHit: state.linkHit, rowPresent: damage.rowPresent, workspace: ws,
                allRowsPresent: mc.allRowsPresent, noLinkHit: state.hitLinkCount == 0, forced: backups.forced,
                hitLinks: state.touchedLinks)
            if !backups.update(at: now, workspace: ws, queue: &queue) { break }
        }
        tally.observe(
            graph: g, workspace: ws, hit: state.assetHit, rowPresent: mc.allRowsPresent ? nil : damage.rowPresent,
            ownersOnly: !skip.isEmpty)
        // people without service, and down times per asset
        for s in 0..<curve.people.count { curve.people[s] = 0 }
        let alive = ws.alive
        let pop = t.population
        if !skip.isEmpty {
            // counterfactual runs need the people only
            for a in 0..<g.assetCount where alive[a] == 0 && pop[a] > 0 { curve.people[Int(g.sector(a))] += pop[a] }
        } else {
            for a in 0..<g.assetCount {
                if alive[a] == 0 {
                    if pop[a] > 0 { curve.people[Int(g.sector(a))] += pop[a] }
                    if down.since[a].isNaN {
                        if down.hours[a] == 0 { down.touched.append(Int32(a)) }
                        down.since[a] = now
                    }
                } else if !down.since[a].isNaN {
                    down.hours[a] += now - down.since[a]
                    down.since[a] = .nan
                }
            }
        }
        curve.record(at: now)
    }
}
