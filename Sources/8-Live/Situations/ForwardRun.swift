import Engines
import Foundation
import InfraGraph
import InfraModel
import Simulation
import Stochastics

/// The forward timed Monte Carlo of a situation from a moment `at` (time 0 of the run):
/// what the reports say is in force then becomes the events of a scenario on the same model,
/// and the scenario's timed engine (docs/specification.md section 5) runs it.
///
/// - Damaged elements without an expected duration are damaged at 0 and repaired by crews from
///   then (their repair time is drawn afresh at `at`, the library's `*` curve for their kind or
///   their own `repair_hours`); those without any repair curve stay out to the horizon.
/// - Elements out (or damaged with an expected duration) are out for the time that remains.
/// - Each hazard report acts again as a hazard event on the elements it reached and that were
///   not restored since: damage is drawn from the fragility curves (the state shows the likely
///   damage, p ≥ 0.5; the outlook samples it).
/// - A backup running at `at` starts with the hours it has left (and refills to that much).
/// - Dependency rows with `probability` < 1 are drawn as in a run; crews, weights and the
///   fragility libraries are the scenario's; its own events and options are not used.
///
/// A what-if changes only the scenario's constants (priorities, backups) or removes elements
/// from the events, never the list of events, so the runs with and without it draw the same
/// random numbers (keys of (seed, sample, event, id)): the comparison is paired.
struct ForwardRun {
    let s: Situation
    let at: Date
    let settings: ForwardSettings
    let clock: SituationClock
    let facts: SituationFacts
    let snap: SituationClock.Snapshot

    /// Synthetic hazard name under which reported damage is applied (damage probability 1).
    static let reportedHazard = "reported-damage"

    init(_ s: Situation, at: Date, settings: ForwardSettings) {
        self.s = s; self.at = at; self.settings = settings
        clock = SituationClock(s)
        facts = SituationFacts(s)
        snap = clock.snapshot(at: clock.hours(at), facts: facts)
    }

    var seed: UInt64 { settings.seed ?? s.source.scenario.simulation.seed }

    /// The forward scenario at `at`.
    func scenario() -> Scenario {
        let base = s.source.scenario
        var sc = base
        let net = base.network
        let nA = net.assets.count
        let now = snap.hours
        sc.events = []; sc.mitigations = []; sc.budget = nil; sc.timedTwin = nil
        sc.simulation.mode = .timed
        sc.simulation.samples = settings.samples
        sc.simulation.seed = seed
        sc.simulation.horizonHours = settings.horizonHours
        sc.simulation.stepHours = settings.horizonHours <= 168 ? 1 : (settings.horizonHours / 168).rounded(.up)
        sc.simulation.targetRelativeCI = nil
        // damage as reported: probability 1 at intensity 1 for every kind
        for k in net.kinds.names {
            sc.fragility.set(
                kind: k, hazard: Self.reportedHazard,
                FragilityCurve(median: 1e-9, beta: 0, repairMedianHours: nil, repairBeta: nil, source: "situation report", origin: "kaskada serve"))
        }
        func hasRepair(_ e: Int32) -> Bool {
            let (common, i) = e < Int32(nA) ? (net.assets.common, Int(e)) : (net.links.common, Int(e) - nA)
            if !common.repairHours[i].isNaN { return true }
            return base.fragility.repairCurve(kind: net.kinds[common.kind[i]], hazard: Self.reportedHazard) != nil
        }
        var damaged = Reach()
        var outs: [String: (start: Double, duration: Double?, SelectionMatch)] = [:]
        var seen = Set<Int32>()
        for iv in facts.intervals where iv.end > now && iv.reason != .hazard {
            let start = max(0, iv.start - now)
            if iv.reason == .damaged && !iv.durationGiven && iv.end == .infinity && hasRepair(iv.element) {
                if seen.insert(iv.element).inserted {
                    if iv.element < Int32(nA) {
                        damaged.assets.append(iv.element); damaged.assetIntensity.append(1)
                    } else {
                        damaged.links.append(iv.element - Int32(nA)); damaged.linkIntensity.append(1)
                    }
                }
                continue
            }
            let duration: Double? = iv.end.isFinite ? iv.end - max(now, iv.start) : nil
            let k = "\(start)/\(duration.map { "\($0)" } ?? "-")"
            var entry = outs[k] ?? (start, duration, SelectionMatch())
            if iv.element < Int32(nA) { entry.2.assets.append(iv.element) } else { entry.2.links.append(iv.element - Int32(nA)) }
            outs[k] = entry
        }
        if !damaged.assets.isEmpty || !damaged.links.isEmpty {
            var ev = Event(kind: .hazard(name: Self.reportedHazard, intensity: .value(1), uncertainty: Uncertainty()))
            damaged = Self.sorted(damaged)
            ev.reach = damaged
            sc.events.append(ev)
        }
        for k in outs.keys.sorted() {
            let (start, duration, m) = outs[k]!
            var match = m
            match.assets = Array(Set(match.assets)).sorted(); match.links = Array(Set(match.links)).sorted()
            sc.events.append(Event(kind: .outage(probability: 1, durationHours: duration), select: Selection(), match: match, startHours: start))
        }
        // observed hazards, on what they reached and was not restored since
        let restoredAfter: [Int: Set<Int32>] = Dictionary(
            grouping: facts.intervals.filter { $0.reason == .hazard && $0.end <= now },
            by: \.report
        ).mapValues { Set($0.map(\.element)) }
        for number in facts.hazardReach.keys.sorted() {
            let h = facts.hazardReach[number]!
            let report = s.reports.first { $0.number == number }!
            if SituationFacts.hours(s, report) > now { continue }
            let gone = restoredAfter[number] ?? []
            var reach = Reach()
            for (k, e) in h.elements.enumerated() where !gone.contains(e) {
                if e < Int32(nA) {
                    reach.assets.append(e); reach.assetIntensity.append(h.intensity[k])
                } else {
                    reach.links.append(e - Int32(nA)); reach.linkIntensity.append(h.intensity[k])
                }
            }
            var ev = Event(kind: .hazard(name: h.hazard, intensity: .value(0), uncertainty: Uncertainty()))
            ev.reach = Self.sorted(reach)
            sc.events.append(ev)
        }
        // backups running now start with the hours they have left
        for b in snap.backedReq.indices where !snap.unmetSince[b].isNaN {
            let left = max(0, snap.unmetSince[b] + snap.backedHours[b] - now)
            for k in s.source.graph.slots(Int(snap.backedReq[b])) {
                sc.network.dependencies.backupHours[s.source.graph.row(slot: k)] = left
            }
        }
        return sc
    }

    static func sorted(_ r: Reach) -> Reach {
        var out = Reach()
        for i in r.assets.indices.sorted(by: { r.assets[$0] < r.assets[$1] }) {
            out.assets.append(r.assets[i]); out.assetIntensity.append(r.assetIntensity[i])
        }
        for i in r.links.indices.sorted(by: { r.links[$0] < r.links[$1] }) {
            out.links.append(r.links[i]); out.linkIntensity.append(r.linkIntensity[i])
        }
        return out
    }

    func run(_ sc: Scenario, threads: Int) throws(RequestError) -> MonteCarloResult {
        let prepared: PreparedScenario
        do { prepared = try PreparedScenario(sc) } catch {
            throw RequestError(field: "", "the forward run cannot start: \(error)")
        }
        return prepared.run(threads: max(1, threads)).0
    }

    func outlook(threads: Int, scope: Scope) throws(RequestError) -> Outlook {
        let t0 = DispatchTime.now().uptimeNanoseconds
        let sc = scenario()
        let r = try run(sc, threads: threads)
        let net = sc.network
        let n = r.samples
        let timed = r.timed!
        let nS = r.sectors.count
        // restoration per sector with population
        var sectorPopulation = [Double](repeating: 0, count: nS)
        for a in 0..<net.assets.count { sectorPopulation[Int(net.assets.common.sector[a])] += net.assets.population[a] }
        let rows = timed.timeline(sectors: nS)
        var restoration: [SectorRestoration] = []
        for sIdx in 0..<nS where sectorPopulation[sIdx] > 0 {
            var v = timed.restore95[sIdx].map { $0.isNaN ? Double.infinity : $0 }
            let censored = v.reduce(0) { $0 + ($1.isInfinite ? 1 : 0) }
            Statistics.sortInPlace(&v)
            func q(_ p: Double) -> Double? { let x = Statistics.quantileSorted(v, p: p); return x.isFinite ? x : nil }
            let ph = timed.peopleHours[sIdx]
            let m = Statistics.mean(ph), sd = Statistics.sd(ph)
            let ci = Statistics.confidenceInterval95(mean: m, sd: sd, n: n)
            let mine = rows.filter { $0.sector == sIdx }
            restoration.append(
                SectorRestoration(
                    sector: r.sectors[sIdx], restore95Median: q(0.5), restore95P05: q(0.05), restore95P95: q(0.95),
                    censored: censored, peopleHoursMean: m, peopleHoursCi95Low: max(0, ci.low), peopleHoursCi95High: ci.high,
                    curveHours: mine.map(\.hours), curveMean: mine.map(\.mean), curveP05: mine.map(\.p05), curveP95: mine.map(\.p95)))
        }
        // warnings per zone and service over the horizon
        let nowRows = clock.people(snap)
        var lostNow: [String: PeopleWithout] = [:]
        for p in SituationClock.lostNow(nowRows) { lostNow[p.zone! + "\u{0}" + p.sector] = p }
        var warnings: [ZoneWarning] = []
        if let o = r.outcomes {
            for z in 0..<net.zones.count {
                for sIdx in 0..<nS {
                    let k = z * nS + sIdx
                    let pop = o.zonePopulation[k]
                    guard pop > 0 else { continue }
                    let lost = o.zoneLost[k]
                    let p = Double(lost) / Double(max(1, n))
                    let key = net.zones[Int32(z)] + "\u{0}" + r.sectors[sIdx]
                    let now = lostNow[key]
                    let level = now != nil ? "severe" : Self.level(p)
                    guard level != "none" else { continue }
                    warnings.append(
                        ZoneWarning(
                            zone: net.zones[Int32(z)], sector: r.sectors[sIdx], level: level, pLoss: max(p, now != nil ? 1 : 0),
                            lostNow: now != nil, peopleAffectedNow: now?.people ?? 0,
                            meanDurationHours: lost > 0 ? o.zoneHoursMean[k] * Double(n) / Double(lost) : nil,
                            population: pop.rounded(), horizonHours: settings.horizonHours))
                }
            }
        }
        warnings.sort { ($0.zone, $0.sector) < ($1.zone, $1.sector) }
        // assets working now that fail within the horizon in some samples
        var next: [NextFailure] = []
        for a in 0..<net.assets.count where snap.alive[a] != 0 && r.outageCount[a] > 0 {
            let owner = clock.ownerName(a)
            if case .owner(let o) = scope, owner != o { continue }
            if case .publicAudience = scope { continue }
            next.append(
                NextFailure(
                    id: net.assetId(Int32(a)), sector: clock.sectorName(a), owner: owner, zone: clock.zoneName(a),
                    pFail: Double(r.outageCount[a]) / Double(n), population: net.assets.population[a]))
        }
        next.sort { $0.pFail != $1.pFail ? $0.pFail > $1.pFail : $0.id.utf8.lexicographicallyPrecedes($1.id.utf8) }
        var backups = clock.backupCountdowns(snap)
        switch scope {
        case .centre: break
        case .owner(let o): backups = backups.filter { $0.owner == o }
        case .publicAudience: backups = []
        }
        return Outlook(
            situation: s.id, at: at, version: s.version, samples: n, seed: seed, horizonHours: settings.horizonHours,
            onBackup: backups, restoration: restoration, warnings: warnings, nextFailures: Array(next.prefix(50)),
            computeMs: Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6)
    }

    /// docs/specification.md section 6: `severe` (p ≥ 0.5), `warning` (≥ 0.2), `advisory` (≥ 0.05), else `none`.
    static func level(_ p: Double) -> String { WarningLevel(probability: p).rawValue }

    func whatIf(_ a: WhatIfAction, threads: Int) throws(RequestError) -> WhatIfResult {
        let t0 = DispatchTime.now().uptimeNanoseconds
        let base = scenario()
        var alt = base
        let net = base.network, nA = net.assets.count
        var p = DiagnosticBag()
        var notes: [String] = []
        var elements: [Int32] = []
        for (i, id) in a.ids.enumerated() {
            if let e = SituationFacts.element(net, id) {
                elements.append(e)
            } else {
                p.add("ids[\(i)]", "unknown id '\(id)': expected an asset or link id of the model '\(net.name)'")
            }
        }
        try p.throwIfAny()
        switch a.action {
        case .restoreFirst:
            let damagedNow = Set(
                base.events.first { $0.kind.typeName == Self.reportedHazard }.map { ev in
                    ev.reach!.assets + ev.reach!.links.map { $0 + Int32(nA) }
                } ?? [])
            let top = (net.assets.common.priority.array + net.links.common.priority.array).max() ?? 0
            for (i, e) in elements.enumerated() {
                guard damagedNow.contains(e) else {
                    p.add(
                        "ids[\(i)]",
                        "'\(a.ids[i])' is not waiting for a repair now (not reported damaged, or out for a known time): nothing to restore first");
                    continue
                }
                let o = e < Int32(nA) ? net.assets.common.owner[Int(e)] : net.links.common.owner[Int(e) - nA]
                let owner = o < 0 ? "(no owner)" : net.owners[o]
                if o < 0 || base.crews[owner] == nil {
                    notes.append(
                        "\(owner) has no crew limit in the scenario: it repairs everything at once, so restoring '\(a.ids[i])' first changes nothing")
                }
                if e < Int32(nA) {
                    alt.network.assets.common.priority[Int(e)] = top + 1
                } else {
                    alt.network.links.common.priority[Int(e) - nA] = top + 1
                }
            }
        case .generator:
            let group = a.group ?? "power"
            let g = s.source.graph
            for (i, e) in elements.enumerated() {
                guard e < Int32(nA) else { p.add("ids[\(i)]", "'\(a.ids[i])' is a link: a generator serves an asset"); continue }
                var found = false
                for r in g.requirements(of: Int(e)) {
                    let rows = g.slots(r).map { g.row(slot: $0) }
                    guard net.groups[net.dependencies.group[rows[0]]] == group else { continue }
                    found = true
                    for row in rows { alt.network.dependencies.backupHours[row] = a.hours ?? 0 }
                }
                if !found { p.add("ids[\(i)]", "'\(a.ids[i])' has no '\(group)' requirement: nothing for a generator to back up") }
            }
        case .reopen:
            let drop = Set(elements)
            var dropped = Set<Int32>()
            for k in alt.events.indices {
                if var m = alt.events[k].match {
                    for x in m.assets where drop.contains(x) { dropped.insert(x) }
                    for x in m.links where drop.contains(x + Int32(nA)) { dropped.insert(x + Int32(nA)) }
                    m.assets.removeAll { drop.contains($0) }
                    m.links.removeAll { drop.contains($0 + Int32(nA)) }
                    alt.events[k].match = m
                }
                if var r = alt.events[k].reach {
                    let keepA = r.assets.indices.filter { !drop.contains(r.assets[$0]) }
                    let keepL = r.links.indices.filter { !drop.contains(r.links[$0] + Int32(nA)) }
                    for i in r.assets.indices where drop.contains(r.assets[i]) { dropped.insert(r.assets[i]) }
                    for i in r.links.indices where drop.contains(r.links[i] + Int32(nA)) { dropped.insert(r.links[i] + Int32(nA)) }
                    r.assets = keepA.map { r.assets[$0] }; r.assetIntensity = keepA.map { r.assetIntensity[$0] }
                    r.links = keepL.map { r.links[$0] }; r.linkIntensity = keepL.map { r.linkIntensity[$0] }
                    alt.events[k].reach = r
                }
            }
            for (i, e) in elements.enumerated() where !dropped.contains(e) {
                p.add("ids[\(i)]", "'\(a.ids[i])' is not damaged, out or reached by a hazard now: nothing to reopen")
            }
        }
        try p.throwIfAny()
        let r0 = try run(base, threads: threads), r1 = try run(alt, threads: threads)
        let n = r0.samples, nS = r0.sectors.count
        let t0h = r0.timed!.peopleHours, t1h = r1.timed!.peopleHours
        var diff = [Double](repeating: 0, count: n), tot0 = 0.0, tot1 = 0.0
        var bySector: [String: Double] = [:]
        for sIdx in 0..<nS {
            var sum = 0.0, scale = 0.0
            for i in 0..<n {
                diff[i] += t0h[sIdx][i] - t1h[sIdx][i]; sum += t0h[sIdx][i] - t1h[sIdx][i]
                tot0 += t0h[sIdx][i]; tot1 += t1h[sIdx][i]; scale += t0h[sIdx][i] + t1h[sIdx][i]
            }
            // a difference within summation rounding of the sector's people-hours is no finding
            if abs(sum) > 1e-9 * scale { bySector[r0.sectors[sIdx]] = sum / Double(n) }
        }
        let m = Statistics.mean(diff), ci = Statistics.confidenceInterval95(mean: m, sd: Statistics.sd(diff), n: n)
        return WhatIfResult(
            situation: s.id, at: at, version: s.version, action: a, samples: n, seed: seed,
            horizonHours: settings.horizonHours, peopleHoursBaseline: tot0 / Double(n), peopleHoursWithAction: tot1 / Double(n),
            peopleHoursSaved: m, savedCi95Low: ci.low, savedCi95High: ci.high, savedBySector: bySector, notes: Array(Set(notes)).sorted(),
            computeMs: Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6)
    }
}
