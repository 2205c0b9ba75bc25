import InfraModel

/// Applies a mitigation option's actions (docs/specification.md section 4) to a scenario, giving the scenario
/// the option would leave. Random draws are keyed by ids (see `HazardPlan`), so running the
/// result with the same seed and sample count pairs its samples with the baseline's (common
/// random numbers): sample i of both sees the same hazard draws and the same uniform for each
/// element's damage and repair.
///
/// Every action of docs/specification.md section 4 is supported: `harden` (median factor, or undamageable),
/// `backup`, `redundant_supply` (a dependency row, or a new link: appended after the model's
/// links, so every other element keeps its index and its draws), `protect_zone`,
/// `faster_repair` (`Scenario.repairFactor`), `add_crews`.
public enum MitigationApplier {
    public enum ApplyError: Error, CustomStringConvertible {
        case unsupported(String)
        case unknownId(String)

        public var description: String {
            switch self {
            case .unsupported(let what): return "\(what) is not evaluated by this version yet"
            case .unknownId(let id): return "'\(id)' is not an asset of the model"
            }
        }
    }

    /// The scenario with every action of `option` applied, in order.
    public static func apply(_ option: Mitigation, to base: Scenario) throws(ApplyError) -> Scenario {
        var sc = base
        for action in option.actions {
            switch action {
            case let .harden(_, match, factor, undamageable):
                if undamageable { makeUndamageable(Set(match.assets), &sc) } else if let f = factor { harden(match.assets, factor: f, &sc) }
            case let .backup(_, match, group, hours):
                setBackup(Set(match.assets), group: group, hours: hours, &sc)
            case let .redundantDependency(consumer, provider, group, need):
                try addDependency(consumer: consumer, provider: provider, group: group, need: need, &sc)
            case let .redundantLink(id, sector, from, to, kind):
                try addLink(id: id, sector: sector, from: from, to: to, kind: kind, &sc)
            case let .protectZone(zone, hazard, reduceBy, factor):
                protect(zone: zone, hazard: hazard, reduceBy: reduceBy, factor: factor, &sc)
            case let .fasterRepair(_, match, factor):
                scaleRepair(match, factor: factor, &sc)
            case let .addCrews(owner, count):
                // an owner without crews repairs everything in parallel already
                if let c = sc.crews[owner] { sc.crews[owner] = c + count }
            }
        }
        return sc
    }

    /// No event damages or puts out `assets`: they leave every event's reach and selection.
    static func makeUndamageable(_ assets: Set<Int32>, _ sc: inout Scenario) {
        let all = (0..<Int32(sc.network.assets.count))
        for e in sc.events.indices {
            if var reach = sc.events[e].reach {
                let keep = reach.assets.indices.filter { !assets.contains(reach.assets[$0]) }
                reach.assets = keep.map { reach.assets[$0] }
                reach.assetIntensity = keep.map { reach.assetIntensity[$0] }
                sc.events[e].reach = reach
            }
            if var m = sc.events[e].match {
                m.assets.removeAll { assets.contains($0) }
                sc.events[e].match = m
            } else if case .attack = sc.events[e].kind {
                sc.events[e].match = SelectionMatch(assets: all.filter { !assets.contains($0) })
            }
        }
    }

    /// Multiplies the fragility median of `assets` by `factor` for every hazard of the scenario
    /// (their own curve, else the library's; beta unchanged).
    static func harden(_ assets: [Int32], factor: Double, _ sc: inout Scenario) {
        var hazards: [String] = []
        for ev in sc.events { if case .hazard(let h, _, _) = ev.kind, !hazards.contains(h) { hazards.append(h) } }
        let n = sc.network.assets.count
        for h in hazards {
            var cols = sc.network.assets.common.fragility[h] ?? FragilityColumns(count: n)
            if cols.median.count < n { cols = FragilityColumns(count: n) }
            for a in assets.map({ Int($0) }) {
                var median = cols.median[a], beta = cols.beta[a]
                if median.isNaN {
                    let kind = sc.network.kinds[sc.network.assets.common.kind[a]]
                    guard let c = sc.fragility.damageCurve(kind: kind, hazard: h) else { continue }
                    median = c.median!; beta = c.beta!
                }
                cols.median[a] = median * factor
                cols.beta[a] = beta
            }
            sc.network.assets.common.fragility[h] = cols
        }
    }

    /// Sets `backup_hours` of the rows of requirement (consumer, `group`) for consumers in `assets`.
    static func setBackup(_ assets: Set<Int32>, group: String, hours: Double, _ sc: inout Scenario) {
        let d = sc.network.dependencies
        for r in 0..<d.count where assets.contains(d.consumer[r]) && sc.network.groups[d.group[r]] == group {
            sc.network.dependencies.backupHours[r] = hours
        }
    }

    /// Adds a dependency row; it joins the existing requirement (consumer, group) and takes its
    /// backup hours (rows of one requirement agree).
    static func addDependency(consumer: String, provider: String, group: String, need: Need, _ sc: inout Scenario) throws(ApplyError) {
        guard case .asset(let c)? = sc.network.element(consumer) else { throw .unknownId(consumer) }
        guard case .asset(let p)? = sc.network.element(provider) else { throw .unknownId(provider) }
        let g = sc.network.groups.intern(group)
        let d = sc.network.dependencies
        let existing = (0..<d.count).first { d.consumer[$0] == c && d.group[$0] == g }
        sc.network.dependencies.consumer.append(c)
        sc.network.dependencies.provider.append(p)
        sc.network.dependencies.type.append(.physical)
        sc.network.dependencies.group.append(g)
        sc.network.dependencies.need.append(existing.map { d.need[$0] } ?? need)
        sc.network.dependencies.backupHours.append(existing.map { d.backupHours[$0] } ?? 0)
        sc.network.dependencies.probability.append(1)
        sc.network.dependencies.source.append(SourceRef(file: 0, line: 0))
    }

    /// Lowers the intensities of `hazard` events at elements of `zone`: minus `reduceBy` (not
    /// below 0) or times `factor`; elements left at 0 leave the event's reach.
    static func protect(zone: String, hazard: String, reduceBy: Double?, factor: Double?, _ sc: inout Scenario) {
        guard let z = sc.network.zones.names.firstIndex(of: zone).map({ Int32($0) }) else { return }
        func lowered(_ v: Double) -> Double { reduceBy.map { max(0, v - $0) } ?? factor.map { v * $0 } ?? v }
        for e in sc.events.indices {
            guard case .hazard(let h, _, _) = sc.events[e].kind, h == hazard, var reach = sc.events[e].reach else { continue }
            var assets: [Int32] = [], ai: [Double] = []
            for (k, a) in reach.assets.enumerated() {
                let v = sc.network.assets.common.zone[Int(a)] == z ? lowered(reach.assetIntensity[k]) : reach.assetIntensity[k]
                if v > 0 { assets.append(a); ai.append(v) }
            }
            var links: [Int32] = [], li: [Double] = []
            for (k, l) in reach.links.enumerated() {
                let v = sc.network.links.common.zone[Int(l)] == z ? lowered(reach.linkIntensity[k]) : reach.linkIntensity[k]
                if v > 0 { links.append(l); li.append(v) }
            }
            reach.assets = assets; reach.assetIntensity = ai; reach.links = links; reach.linkIntensity = li
            sc.events[e].reach = reach
        }
    }

    /// Multiplies the repair medians of the matched assets and links by `factor`.
    static func scaleRepair(_ match: SelectionMatch, factor: Double, _ sc: inout Scenario) {
        let nA = sc.network.assets.count, nE = nA + sc.network.links.count
        if sc.repairFactor.count != nE { sc.repairFactor = [Double](repeating: 1, count: nE) }
        for a in match.assets { sc.repairFactor[Int(a)] *= factor }
        for l in match.links { sc.repairFactor[nA + Int(l)] *= factor }
    }

    /// Appends a link of `sector` between two assets of that sector. It takes the owner of its
    /// `from` end, the zone both ends share (none when they differ), no coordinates of its own
    /// (its point is the midpoint of its ends), priority 0 and the library's curves for `kind`.
    /// Hazard events reach it like any other element: a hazard without `select` at its
    /// midpoint, an event with `select` when the selection (with `links: true`) matches its
    /// sector, kind, owner and zone.
    static func addLink(id: String, sector: String, from: String, to: String, kind: String, _ sc: inout Scenario) throws(ApplyError) {
        guard case .asset(let a)? = sc.network.element(from) else { throw .unknownId(from) }
        guard case .asset(let b)? = sc.network.element(to) else { throw .unknownId(to) }
        guard sc.network.element(id) == nil, let s = sc.network.sectors.code(sector) else { throw .unknownId(id) }
        var net = sc.network
        let k = net.kinds.intern(kind)
        let (idIndex, inserted) = net.ids.insert(id)
        guard inserted else { throw .unknownId(id) }
        while net.idTarget.count <= Int(idIndex) { net.idTarget.append(Int32.min) }
        let l = Int32(net.links.count)
        net.idTarget[Int(idIndex)] = -(l + 1)
        let ac = net.assets.common
        let zone = ac.zone[Int(a)] == ac.zone[Int(b)] ? ac.zone[Int(a)] : -1
        net.links.common.sector.append(s); net.links.common.kind.append(k)
        net.links.common.owner.append(ac.owner[Int(a)]); net.links.common.zone.append(zone)
        net.links.common.x.append(.nan); net.links.common.y.append(.nan)
        net.links.common.priority.append(0)
        net.links.common.repairHours.append(.nan); net.links.common.repairBeta.append(.nan)
        net.links.common.source.append(SourceRef(file: 0, line: 0))
        for (h, var cols) in net.links.common.fragility where cols.median.count == Int(l) {
            cols.median.append(.nan); cols.beta.append(.nan)
            net.links.common.fragility[h] = cols
        }
        net.links.from.append(a); net.links.to.append(b)
        net.links.directed.append(false); net.links.lengthKm.append(.nan)
        net.links.idIndex.append(idIndex)
        if !sc.repairFactor.isEmpty { sc.repairFactor.append(1) }
        sc.network = net
        // the events that can reach the new link
        for e in sc.events.indices {
            let ev = sc.events[e]
            if let sel = ev.select {
                guard sel.links, sel.ids.isEmpty, matches(sel, link: l, net) else { continue }
                sc.events[e].match?.links.append(l)
            }
            guard case .hazard = ev.kind, var reach = ev.reach else { continue }
            var one = ev
            one.match = SelectionMatch(assets: [], links: [l])
            let r = HazardField.reached(by: one, network: net)
            if let v = r.linkIntensity.first {
                reach.links.append(l); reach.linkIntensity.append(v)
                sc.events[e].reach = reach
            }
        }
    }

    /// Whether `sel` (without ids) matches link `l` by sector, kind, owner and zone names.
    static func matches(_ sel: Selection, link l: Int32, _ net: Network) -> Bool {
        let c = net.links.common, i = Int(l)
        func ok(_ names: [String], _ pool: NamePool, _ code: Int32) -> Bool {
            names.isEmpty || (code >= 0 && names.contains(pool[code]))
        }
        return ok(sel.sector, net.sectors, c.sector[i]) && ok(sel.kind, net.kinds, c.kind[i])
            && ok(sel.owner, net.owners, c.owner[i]) && ok(sel.zone, net.zones, c.zone[i])
    }
}
