import Cascade
import Foundation
import InfraGraph
import InfraModel

/// The deterministic state of a situation at a moment ("state now"): the reported facts
/// replayed from change to change, with backups running down as in timed mode (docs/specification.md
/// sections 2 and 5) — a requirement whose providers stop sufficing at t holds until t +
/// `backup_hours`, and its backup is full again once they suffice. Every dependency row is present.
///
/// - Complexity: O(changes × cascade) where changes are the report times and backup expiries up
///   to the moment: milliseconds on a municipality.
struct SituationClock {
    let s: Situation
    let net: Network
    let g: CompiledGraph

    init(_ s: Situation) { self.s = s; net = s.source.scenario.network; g = s.source.graph }

    /// The state at `hours` after the start.
    struct Snapshot {
        var hours: Double
        var alive: [UInt8]
        var elementHit: [UInt8] // assets then links
        var hitReason: [Int32: (SituationFacts.Reason, [Int], Double, Double)] // element -> reason, reports, pDamage, since
        var slack: [Int32]
        var forced: Set<Int32>
        /// Per backed requirement: when its providers stopped sufficing (NaN: they suffice).
        var unmetSince: [Double]
        var backedReq: [Int32], backedHours: [Double]
        /// Per asset: hours it has not been working (since its last failure; 0 when working).
        var downSince: [Double]
    }

    /// Requirements with backup hours > 0, and their hours (from the dependency rows).
    func backups() -> ([Int32], [Double]) {
        var req: [Int32] = [], hours: [Double] = []
        for r in 0..<g.requirementCount {
            let slots = g.slots(r)
            guard let k = slots.first else { continue }
            let h = net.dependencies.backupHours[g.row(slot: k)]
            if h > 0 { req.append(Int32(r)); hours.append(h) }
        }
        return (req, hours)
    }

    func snapshot(at hours: Double, facts: SituationFacts) -> Snapshot {
        let nA = net.assets.count, nL = net.links.count
        let (backedReq, backedHours) = backups()
        var unmetSince = [Double](repeating: .nan, count: backedReq.count)
        var downSince = [Double](repeating: .nan, count: nA)
        // change times: interval starts and ends up to `hours`, then backup expiries as they arise
        var times = Set<Double>()
        for iv in facts.intervals {
            if iv.start <= hours { times.insert(iv.start) }
            if iv.end <= hours { times.insert(iv.end) }
        }
        var queue = times.sorted()
        queue.append(hours)
        let ws = CascadeWorkspace(graph: g)
        let cascade = StaticCascade(graph: g)
        var assetHit = [UInt8](repeating: 0, count: nA), linkHit = [UInt8](repeating: 0, count: nL)
        let rows = [UInt8](repeating: 1, count: net.dependencies.count)
        var forced: [Int32] = []
        var k = 0
        var alive = [UInt8](repeating: 1, count: nA)
        while k < queue.count {
            let now = queue[k]; k += 1
            if now > hours { break }
            for i in 0..<nA { assetHit[i] = 0 }
            for i in 0..<nL { linkHit[i] = 0 }
            for iv in facts.intervals where iv.start <= now && iv.end > now {
                let e = Int(iv.element)
                if e < nA { assetHit[e] = 1 } else { linkHit[e - nA] = 1 }
            }
            while true {
                forced.removeAll(keepingCapacity: true)
                for b in backedReq.indices where unmetSince[b].isNaN || now < unmetSince[b] + backedHours[b] { forced.append(backedReq[b]) }
                cascade.run(
                    assetHit: assetHit, linkHit: linkHit, rowPresent: rows, workspace: ws, allRowsPresent: true, noLinkHit: !linkHit.contains(1),
                    forced: forced)
                var again = false
                let forcedSet = Set(forced)
                for b in backedReq.indices {
                    let r = backedReq[b]
                    let isForced = forcedSet.contains(r)
                    let suffices = ws.requirementSlack[Int(r)] - (isForced ? StaticCascade.forcedBonus : 0) >= 0
                    if suffices {
                        if !unmetSince[b].isNaN { unmetSince[b] = .nan; if !isForced { again = true } }
                    } else if unmetSince[b].isNaN {
                        unmetSince[b] = now
                        let expiry = now + backedHours[b]
                        if expiry <= hours, let pos = queue[k...].firstIndex(where: { $0 >= expiry }) {
                            if queue[pos] != expiry { queue.insert(expiry, at: pos) }
                        }
                    }
                }
                if !again { break }
            }
            for a in 0..<nA {
                let up = ws.alive[a] != 0
                if up { downSince[a] = .nan } else if downSince[a].isNaN { downSince[a] = now }
                alive[a] = up ? 1 : 0
            }
        }
        var hit = [UInt8](repeating: 0, count: nA + nL)
        var reasons: [Int32: (SituationFacts.Reason, [Int], Double, Double)] = [:]
        for iv in facts.intervals where iv.start <= hours && iv.end > hours {
            hit[Int(iv.element)] = 1
            if var r = reasons[iv.element] {
                if iv.reason.rawValue < r.0.rawValue { r.0 = iv.reason }
                r.1.append(iv.report); r.2 = max(r.2, iv.pDamage); r.3 = min(r.3, iv.start)
                reasons[iv.element] = r
            } else {
                reasons[iv.element] = (iv.reason, [iv.report], iv.pDamage, iv.start)
            }
        }
        let forcedFinal = Set(backedReq.indices.filter { unmetSince[$0].isNaN || hours < unmetSince[$0] + backedHours[$0] }.map { backedReq[$0] })
        return Snapshot(
            hours: hours, alive: alive, elementHit: hit, hitReason: reasons, slack: Array(ws.requirementSlack),
            forced: forcedFinal, unmetSince: unmetSince, backedReq: backedReq, backedHours: backedHours, downSince: downSince)
    }

    // MARK: answers

    func hours(_ at: Date) -> Double { at.timeIntervalSince(s.startedAt) / 3600 }

    func ownerName(_ a: Int) -> String? { let o = net.assets.common.owner[a]; return o < 0 ? nil : net.owners[o] }
    func zoneName(_ a: Int) -> String? { let z = net.assets.common.zone[a]; return z < 0 ? nil : net.zones[z] }
    func sectorName(_ a: Int) -> String { net.sectors[net.assets.common.sector[a]] }

    /// Requirements of asset a that fail at the snapshot, with the providers that are down.
    func failedRequirements(_ a: Int, _ snap: Snapshot) -> [FailedRequirement] {
        var out: [FailedRequirement] = []
        for r in g.requirements(of: a) where !snap.forced.contains(Int32(r)) && snap.slack[r] < 0 {
            let slots = g.slots(r)
            let row = g.row(slot: slots.first!)
            var down: [String] = [], up = 0
            for k in slots {
                let p = Int(g.reqProvider[k])
                if snap.alive[p] != 0 { up += 1 } else { down.append(net.assetId(Int32(p))) }
            }
            out.append(
                FailedRequirement(
                    group: net.groups[net.dependencies.group[row]], need: net.dependencies.need[row].description,
                    providersDown: down.sorted(), providersWorking: up))
        }
        return out
    }

    /// The elements down at the snapshot (assets and reported links), in id order.
    func downElements(_ snap: Snapshot) -> [DownElement] {
        let nA = net.assets.count
        var out: [DownElement] = []
        for a in 0..<nA where snap.alive[a] == 0 {
            var d = DownElement(
                id: net.assetId(Int32(a)), sector: sectorName(a), owner: ownerName(a), zone: zoneName(a),
                reason: .unsupplied, reports: nil, pDamage: nil, failed: nil,
                downHours: snap.downSince[a].isNaN ? 0 : snap.hours - snap.downSince[a],
                population: net.assets.population[a])
            if let r = snap.hitReason[Int32(a)] {
                d.reason = r.0 == .damaged ? .damaged : r.0 == .out ? .out : .hazard
                d.reports = r.1.sorted(); if r.0 == .hazard { d.pDamage = r.2 }
                d.downHours = snap.hours - r.3
            } else {
                let f = failedRequirements(a, snap)
                if !f.isEmpty { d.reason = .requirement; d.failed = f }
            }
            out.append(d)
        }
        for l in 0..<net.links.count where snap.elementHit[nA + l] != 0 {
            let e = Int32(nA + l), r = snap.hitReason[e]!
            let o = net.links.common.owner[l], z = net.links.common.zone[l]
            out.append(
                DownElement(
                    id: net.linkId(Int32(l)), sector: net.sectors[net.links.common.sector[l]],
                    owner: o < 0 ? nil : net.owners[o], zone: z < 0 ? nil : net.zones[z],
                    reason: r.0 == .damaged ? .damaged : r.0 == .out ? .out : .hazard, reports: r.1.sorted(),
                    pDamage: r.0 == .hazard ? r.2 : nil, failed: nil, downHours: snap.hours - r.3, population: 0))
        }
        return out.sorted { $0.id.utf8.lexicographicallyPrecedes($1.id.utf8) }
    }

    /// Assets working only because a backup still runs, soonest out first.
    func backupCountdowns(_ snap: Snapshot) -> [BackupCountdown] {
        var out: [BackupCountdown] = []
        for b in snap.backedReq.indices where !snap.unmetSince[b].isNaN {
            let r = Int(snap.backedReq[b])
            let left = snap.unmetSince[b] + snap.backedHours[b] - snap.hours
            guard left > 0 else { continue }
            let a = g.consumer(r)
            guard snap.alive[a] != 0 else { continue }
            let row = g.row(slot: g.slots(r).first!)
            out.append(
                BackupCountdown(
                    id: net.assetId(Int32(a)), sector: sectorName(a), owner: ownerName(a), zone: zoneName(a),
                    group: net.groups[net.dependencies.group[row]], hoursLeft: left,
                    runsOutAt: s.startedAt.addingTimeInterval((snap.unmetSince[b] + snap.backedHours[b]) * 3600),
                    population: net.assets.population[a]))
        }
        return out.sorted { ($0.hoursLeft, $0.id) < ($1.hoursLeft, $1.id) }
    }

    /// People without each service by sector and zone, and the populations.
    func people(_ snap: Snapshot) -> [PeopleWithout] {
        var without: [String: (String, String?, Double, Double)] = [:]
        for a in 0..<net.assets.count {
            let pop = net.assets.population[a]
            guard pop > 0 else { continue }
            let key = sectorName(a) + "\u{0}" + (zoneName(a) ?? "")
            var v = without[key] ?? (sectorName(a), zoneName(a), 0, 0)
            v.3 += pop
            if snap.alive[a] == 0 { v.2 += pop }
            without[key] = v
        }
        return without.values.map { PeopleWithout(sector: $0.0, zone: $0.1, people: $0.2.rounded(), population: $0.3.rounded()) }
            .sorted { ($0.sector, $0.zone ?? "") < ($1.sector, $1.zone ?? "") }
    }

    func state(at: Date, scope: Scope) -> SituationState {
        let t0 = DispatchTime.now().uptimeNanoseconds
        let snap = snapshot(at: hours(at), facts: SituationFacts(s))
        var down = downElements(snap), backups = backupCountdowns(snap)
        let ppl = people(snap)
        var bySector: [String: Double] = [:]
        for p in ppl { bySector[p.sector, default: 0] += p.people }
        let assetsDown = snap.alive.reduce(0) { $0 + ($1 == 0 ? 1 : 0) }
        let linksDown = (net.assets.count..<(net.assets.count + net.links.count)).reduce(0) { $0 + (snap.elementHit[$1] != 0 ? 1 : 0) }
        var others: [OthersAggregate]? = nil
        switch scope {
        case .centre: break
        case .owner(let o):
            others = aggregates(down, backups, except: o)
            down = down.filter { $0.owner == o }.map { scoped($0, owner: o) }
            backups = backups.filter { $0.owner == o }
        case .publicAudience:
            others = aggregates(down, backups, except: nil)
            down = []; backups = []
        }
        return SituationState(
            situation: s.id, at: at, hours: snap.hours, version: s.version, assets: net.assets.count,
            assetsDown: assetsDown, linksDown: linksDown, down: down, onBackup: backups, peopleWithout: ppl,
            peopleWithoutBySector: bySector, others: others,
            computeMs: Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6)
    }

    /// An owner's view of its own down element: providers of other owners are counted, not named.
    func scoped(_ d: DownElement, owner: String) -> DownElement {
        guard let f = d.failed else { return d }
        var e = d
        e.failed = f.map { r in
            var q = r
            let own = r.providersDown.filter { id in
                guard case .asset(let a)? = net.element(id) else { return false }
                return ownerName(Int(a)) == owner
            }
            let hidden = r.providersDown.count - own.count
            q.providersDown = own + (hidden > 0 ? ["(\(hidden) of other owners)"] : [])
            return q
        }
        return e
    }

    /// Counts per owner other than `except`, without ids.
    func aggregates(_ down: [DownElement], _ backups: [BackupCountdown], except: String?) -> [OthersAggregate] {
        var m: [String: OthersAggregate] = [:]
        for d in down {
            let o = d.owner ?? "(none)"; guard o != except else { continue }
            m[o, default: OthersAggregate(owner: o, down: 0, onBackup: 0, people: 0)].down += 1
            m[o]!.people += d.population
        }
        for b in backups {
            let o = b.owner ?? "(none)"; guard o != except else { continue }
            m[o, default: OthersAggregate(owner: o, down: 0, onBackup: 0, people: 0)].onBackup += 1
        }
        return m.values.map {
            var x = $0; x.people = x.people.rounded(); return x
        }.sorted { $0.owner < $1.owner }
    }

    /// Zones that have lost a service now (≥ 5% of the zone's people of that sector without it).
    func warningsNow(at: Date) -> [ZoneWarning] {
        let snap = snapshot(at: hours(at), facts: SituationFacts(s))
        return Self.lostNow(people(snap)).map {
            ZoneWarning(
                zone: $0.zone!, sector: $0.sector, level: "severe", pLoss: 1, lostNow: true, peopleAffectedNow: $0.people,
                meanDurationHours: nil, population: $0.population, horizonHours: 0)
        }
    }

    /// Zone rows in which at least 5% of the people (and someone) are without the service.
    static func lostNow(_ rows: [PeopleWithout]) -> [PeopleWithout] {
        rows.filter { $0.zone != nil && $0.people > 0 && $0.people >= 0.05 * $0.population }
    }

    func brief(owner: String, at: Date) throws(RequestError) -> OwnerBrief {
        guard net.owners.code(owner) != nil else {
            throw RequestError(field: "owner", "unknown owner '\(owner)': expected one of " + net.owners.names.sorted().joined(separator: ", "))
        }
        let snap = snapshot(at: hours(at), facts: SituationFacts(s))
        let down = downElements(snap).filter { $0.owner == owner }.map { scoped($0, owner: owner) }
        let allBackups = backupCountdowns(snap)
        let backups = allBackups.filter { $0.owner == owner }
        var depends: [String: ExternalDependency] = [:]
        var others: [String: OthersAggregate] = [:]
        let backupSet = Set(allBackups.map(\.id))
        for r in 0..<g.requirementCount {
            let c = g.consumer(r)
            let co = ownerName(c)
            let row = g.row(slot: g.slots(r).first!)
            let group = net.groups[net.dependencies.group[row]]
            var downByOwner: [String: Int] = [:]
            for k in g.slots(r) {
                let p = Int(g.reqProvider[k])
                if snap.alive[p] == 0 { downByOwner[ownerName(p) ?? "(none)", default: 0] += 1 }
            }
            if co == owner {
                for (po, n) in downByOwner where po != owner {
                    let key = net.assetId(Int32(c)) + "\u{0}" + group + "\u{0}" + po
                    depends[key] = ExternalDependency(consumer: net.assetId(Int32(c)), group: group, providerOwner: po, providersDown: n)
                }
            } else if let n = downByOwner[owner], n > 0 {
                let o = co ?? "(none)"
                var agg = others[o] ?? OthersAggregate(owner: o, down: 0, onBackup: 0, people: 0)
                let id = net.assetId(Int32(c))
                if snap.alive[c] == 0 { agg.down += 1; agg.people += net.assets.population[c] } else if backupSet.contains(id) { agg.onBackup += 1 }
                others[o] = agg
            }
        }
        var bySector: [String: Double] = [:]
        for p in people(snap) { bySector[p.sector, default: 0] += p.people }
        return OwnerBrief(
            situation: s.id, owner: owner, at: at, version: s.version, down: down, onBackup: backups,
            dependsOnDown: depends.values.sorted { ($0.consumer, $0.group, $0.providerOwner) < ($1.consumer, $1.group, $1.providerOwner) },
            othersDependingOnIt: others.values.map {
                var x = $0; x.people = x.people.rounded(); return x
            }.sorted { $0.owner < $1.owner },
            peopleWithoutBySector: bySector)
    }
}
