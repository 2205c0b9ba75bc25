import InfraModel

/// What `kaskada validate` reports about a model: sizes per sector, requirement groups by type,
/// owners, zones, and the warnings a planner needs before trusting results.
public struct ModelSummary: Sendable, Codable, Equatable {
    public struct SectorLine: Sendable, Codable, Equatable {
        public var sector: String
        public var supply: String
        public var assets: Int
        public var links: Int
        public var sources: Int
        public var population: Double
        public var kinds: [String: Int]
    }
    public struct TypeLine: Sendable, Codable, Equatable {
        public var type: String
        public var rows: Int
        public var requirements: Int
    }
    public struct OwnerLine: Sendable, Codable, Equatable {
        public var owner: String
        public var assets: Int
        public var links: Int
        public var requirementsWithBackup: Int
        public var requirements: Int
    }
    public struct ZoneLine: Sendable, Codable, Equatable {
        public var zone: String
        public var assets: Int
        /// The largest population any one sector serves in the zone (an estimate of its residents).
        public var population: Double
    }
    public struct Warning: Sendable, Codable, Equatable {
        public var code: String
        public var message: String
        public var examples: [String]
    }

    public var name: String
    public var assets: Int
    public var links: Int
    public var dependencies: Int
    public var requirements: Int
    public var coordinates: String
    public var sectors: [SectorLine]
    public var dependencyTypes: [TypeLine]
    public var owners: [OwnerLine]
    public var zones: [ZoneLine]
    public var warnings: [Warning]
    /// Findings about the model that are not input problems (owners without any backup): printed
    /// as `note:` lines, not counted as warnings (shipped data give no warnings).
    public var notes: [Warning] = []

    /// Summarises `net` and runs the model checks.
    /// - Complexity: O(assets + links + dependencies).
    public init(_ net: Network, graph g: CompiledGraph) {
        name = net.name
        assets = net.assets.count
        links = net.links.count
        dependencies = net.dependencies.count
        requirements = g.requirementCount
        coordinates = net.coordinates.rawValue
        var sl = net.sectors.names.enumerated().map { (i, s) in
            SectorLine(sector: s, supply: net.supply[i].rawValue, assets: 0, links: 0, sources: 0, population: 0, kinds: [:])
        }
        let ac = net.assets.common
        for a in 0..<net.assets.count {
            let s = Int(ac.sector[a])
            sl[s].assets += 1
            sl[s].population += net.assets.population[a]
            if net.assets.role[a] == .source { sl[s].sources += 1 }
            sl[s].kinds[net.kinds[ac.kind[a]], default: 0] += 1
        }
        for l in 0..<net.links.count { sl[Int(net.links.common.sector[l])].links += 1 }
        sectors = sl.sorted { $0.sector < $1.sector }

        var types = DependencyType.allCases.map { TypeLine(type: $0.name, rows: 0, requirements: 0) }
        let d = net.dependencies
        for r in 0..<d.count { types[Int(d.type[r].rawValue)].rows += 1 }
        for r in 0..<g.requirementCount {
            var seen = Set<UInt8>()
            for k in g.slots(r) { seen.insert(d.type[g.row(slot: k)].rawValue) }
            for t in seen { types[Int(t)].requirements += 1 }
        }
        dependencyTypes = types.filter { $0.rows > 0 }

        var ol = net.owners.names.map { OwnerLine(owner: $0, assets: 0, links: 0, requirementsWithBackup: 0, requirements: 0) }
        for a in 0..<net.assets.count where ac.owner[a] >= 0 { ol[Int(ac.owner[a])].assets += 1 }
        for l in 0..<net.links.count where net.links.common.owner[l] >= 0 { ol[Int(net.links.common.owner[l])].links += 1 }
        for r in 0..<g.requirementCount {
            let o = ac.owner[g.consumer(r)]
            guard o >= 0 else { continue }
            ol[Int(o)].requirements += 1
            if d.backupHours[g.row(slot: g.slots(r).lowerBound)] > 0 { ol[Int(o)].requirementsWithBackup += 1 }
        }
        owners = ol.sorted { $0.owner < $1.owner }
        var zl = net.zones.names.map { ZoneLine(zone: $0, assets: 0, population: 0) }
        var zoneSector = [Double](repeating: 0, count: net.zones.count * max(1, net.sectors.count))
        for a in 0..<net.assets.count where ac.zone[a] >= 0 {
            zl[Int(ac.zone[a])].assets += 1
            zoneSector[Int(ac.zone[a]) * net.sectors.count + Int(ac.sector[a])] += net.assets.population[a]
        }
        for z in 0..<net.zones.count {
            zl[z].population = zoneSector[(z * net.sectors.count)..<((z + 1) * net.sectors.count)].max() ?? 0
        }
        zones = zl.sorted { $0.zone < $1.zone }
        let checks = ModelChecks.run(net, g)
        warnings = checks.filter { !ModelChecks.noteCodes.contains($0.code) }
        notes = checks.filter { ModelChecks.noteCodes.contains($0.code) }
    }
}

/// Model checks that do not make a model invalid but that a planner must know about.
public enum ModelChecks {
    /// Check codes reported as notes (findings about the model), not warnings.
    public static let noteCodes: Set<String> = ["no-backup"]
    static func examples(_ net: Network, _ assets: [Int32], limit: Int = 5) -> [String] {
        assets.prefix(limit).map { net.assetId($0) }
    }

    /// Runs every check.
    public static func run(_ net: Network, _ g: CompiledGraph) -> [ModelSummary.Warning] {
        var out: [ModelSummary.Warning] = []
        let supplied = suppliedWithNothingDamaged(g)
        for s in 0..<g.sectorCount {
            var cut: [Int32] = []
            for a in 0..<g.assetCount where g.sector(a) == Int32(s) && !supplied[a] { cut.append(Int32(a)) }
            guard !cut.isEmpty else { continue }
            let mode = g.supply[s]
            let why = mode == .giantComponent ? "outside the largest cluster" : "not joined to any source by links"
            out.append(
                .init(
                    code: "unreachable",
                    message: "\(cut.count) asset(s) of sector \(net.sectors[Int32(s)]) are \(why) even with nothing damaged; they never work",
                    examples: examples(net, cut)))
        }
        let cycles = dependencyCycles(g)
        if !cycles.isEmpty {
            let sizes = cycles.map(\.count)
            out.append(
                .init(
                    code: "dependency-cycle",
                    message:
                        "\(cycles.count) group(s) of assets depend on each other in a cycle (largest \(sizes.max()!) assets): a failure anywhere in one takes out all of it unless backups or alternative providers hold",
                    examples: cycles.prefix(3).map { c in c.prefix(4).map { net.assetId($0) }.joined(separator: " ⇄ ") }))
        }
        // owners with no backup on any of their requirements
        var reqs = [Int](repeating: 0, count: net.owners.count), backed = reqs
        for r in 0..<g.requirementCount {
            let o = net.assets.common.owner[g.consumer(r)]
            guard o >= 0 else { continue }
            reqs[Int(o)] += 1
            if net.dependencies.backupHours[g.row(slot: g.slots(r).lowerBound)] > 0 { backed[Int(o)] += 1 }
        }
        let noBackup = (0..<net.owners.count).filter { reqs[$0] > 0 && backed[$0] == 0 }.map { net.owners.names[$0] }.sorted()
        if !noBackup.isEmpty {
            out.append(
                .init(
                    code: "no-backup",
                    message: "\(noBackup.count) owner(s) have no backup on any dependency: every outage of a provider reaches them at once",
                    examples: noBackup))
        }
        let layered = populationOnSeveralLevels(net, g)
        if !layered.isEmpty {
            out.append(
                .init(
                    code: "population-layers",
                    message:
                        "\(layered.count) asset(s) carry population and also supply other assets that carry population in the same chain: people may be counted twice (put people on the asset nearest to them, once per chain)",
                    examples: examples(net, layered)))
        }
        return out
    }

    /// Supply state with nothing damaged and every requirement ignored (docs/specification.md: supply modes).
    /// - Complexity: O(assets + links).
    public static func suppliedWithNothingDamaged(_ g: CompiledGraph) -> [Bool] {
        var supplied = [Bool](repeating: false, count: g.assetCount)
        var queue: [Int32] = []
        queue.reserveCapacity(g.assetCount)
        // sources sectors: BFS from sources through source/node assets
        for a in 0..<g.assetCount {
            let s = Int(g.sector(a))
            switch g.supply[s] {
            case .none: supplied[a] = true
            case .sources:
                if !g.sectorHasLinks[s] || g.role[a] == .source { supplied[a] = true; queue.append(Int32(a)) }
            case .giantComponent: break
            }
        }
        var head = 0
        while head < queue.count {
            let u = Int(queue[head]); head += 1
            if g.role[u] == .consumer || !g.sectorHasLinks[Int(g.sector(u))] { continue }
            for k in Int(g.outStart[u])..<Int(g.outStart[u + 1]) {
                let v = Int(g.outNeighbour[k])
                if !supplied[v] { supplied[v] = true; queue.append(Int32(v)) }
            }
        }
        // giant-component sectors: the largest cluster (ties: the cluster holding the smallest id in byte order)
        var label = [Int32](repeating: -1, count: g.assetCount)
        var best: [(size: Int, label: Int32, minRank: Int32)] = Array(repeating: (0, -1, Int32.max), count: g.sectorCount)
        var sizes: [Int] = []
        for a in 0..<g.assetCount where g.supply[Int(g.sector(a))] == .giantComponent && label[a] < 0 {
            let lab = Int32(sizes.count)
            label[a] = lab
            queue.removeAll(keepingCapacity: true)
            queue.append(Int32(a))
            var h = 0
            while h < queue.count {
                let u = Int(queue[h]); h += 1
                for k in Int(g.adjStart[u])..<Int(g.adjStart[u + 1]) {
                    let v = Int(g.adjNeighbour[k])
                    if label[v] < 0 { label[v] = lab; queue.append(Int32(v)) }
                }
            }
            sizes.append(queue.count)
            let s = Int(g.sector(a))
            let minRank = queue.map { g.idRank(Int($0)) }.min()!
            if queue.count > best[s].size || (queue.count == best[s].size && minRank < best[s].minRank) {
                best[s] = (queue.count, lab, minRank)
            }
        }
        for a in 0..<g.assetCount where g.supply[Int(g.sector(a))] == .giantComponent {
            supplied[a] = label[a] == best[Int(g.sector(a))].label
        }
        return supplied
    }

    /// Strongly connected components of size > 1 of the "consumer depends on provider" graph
    /// (iterative Tarjan 1972), each sorted by index; components ordered by their smallest member.
    /// - Complexity: O(assets + dependency rows).
    public static func dependencyCycles(_ g: CompiledGraph) -> [[Int32]] {
        let n = g.assetCount
        var index = [Int32](repeating: -1, count: n), low = [Int32](repeating: 0, count: n)
        var onStack = [Bool](repeating: false, count: n)
        var stack: [Int32] = [], out: [[Int32]] = []
        var next: Int32 = 0
        // successors of a: providers of all its requirements
        var call: [(node: Int32, req: Int32, slot: Int32)] = []
        // requirements of asset a: assetReqStart[a]..<assetReqStart[a+1] (they are in consumer order)
        var assetReqStart = [Int32](repeating: 0, count: n + 1)
        for r in 0..<g.requirementCount { assetReqStart[g.consumer(r) + 1] += 1 }
        for a in 0..<n { assetReqStart[a + 1] += assetReqStart[a] }
        for root in 0..<n where index[root] < 0 && assetReqStart[root] < assetReqStart[root + 1] {
            call.append((Int32(root), assetReqStart[root], -1))
            index[root] = next; low[root] = next; next += 1
            stack.append(Int32(root)); onStack[root] = true
            while !call.isEmpty {
                var (v, rq, slot) = call.removeLast()
                let vi = Int(v)
                var descended = false
                while rq < assetReqStart[vi + 1] {
                    let r = Int(rq)
                    if slot < 0 { slot = Int32(g.slots(r).lowerBound) }
                    while slot < Int32(g.slots(r).upperBound) {
                        let w = Int(g.reqProvider[Int(slot)])
                        slot += 1
                        if index[w] < 0 {
                            call.append((v, rq, slot))
                            index[w] = next; low[w] = next; next += 1
                            stack.append(Int32(w)); onStack[w] = true
                            call.append((Int32(w), assetReqStart[w], -1))
                            descended = true
                            break
                        } else if onStack[w] {
                            low[vi] = min(low[vi], index[w])
                        }
                    }
                    if descended { break }
                    rq += 1; slot = -1
                }
                if descended { continue }
                if low[vi] == index[vi] {
                    var comp: [Int32] = []
                    while true {
                        let w = stack.removeLast(); onStack[Int(w)] = false
                        comp.append(w)
                        if w == v { break }
                    }
                    if comp.count > 1 { out.append(comp.sorted()) }
                }
                if let parent = call.last { low[Int(parent.node)] = min(low[Int(parent.node)], low[vi]) }
            }
        }
        return out.sorted { $0[0] < $1[0] }
    }

    /// Populated assets that supply a populated asset of another kind in the same chain (a
    /// higher level of the hierarchy carrying people that a lower level carries again): along
    /// the supply network's BFS layering from the sources, or as provider of a same-sector
    /// requirement. Chains of one kind (distribution substations along a feeder) are fine.
    /// - Complexity: O(assets + links + requirement slots).
    static func populationOnSeveralLevels(_ net: Network, _ g: CompiledGraph) -> [Int32] {
        let pop = net.assets.population
        let kind = net.assets.common.kind
        let n = g.assetCount
        var dist = [Int32](repeating: -1, count: n)
        var order: [Int32] = []
        for a in 0..<n where g.supply[Int(g.sector(a))] == .sources && g.role[a] == .source && g.sectorHasLinks[Int(g.sector(a))] {
            dist[a] = 0; order.append(Int32(a))
        }
        var h = 0
        while h < order.count {
            let u = Int(order[h]); h += 1
            if g.role[u] == .consumer { continue }
            for k in Int(g.outStart[u])..<Int(g.outStart[u + 1]) {
                let v = Int(g.outNeighbour[k])
                if dist[v] < 0 { dist[v] = dist[u] + 1; order.append(Int32(v)) }
            }
        }
        // kinds (as a 64-bit mask) of populated assets below each asset, in reverse BFS order
        var below = [UInt64](repeating: 0, count: n)
        var flagged = Set<Int32>()
        for u in order.reversed() {
            let ui = Int(u)
            if g.role[ui] == .consumer { continue }
            var mask: UInt64 = 0
            for k in Int(g.outStart[ui])..<Int(g.outStart[ui + 1]) {
                let v = Int(g.outNeighbour[k])
                guard dist[v] == dist[ui] + 1 else { continue }
                mask |= below[v]
                if pop[v] > 0 { mask |= 1 << UInt64(kind[v] & 63) }
            }
            below[ui] = mask
            if pop[ui] > 0 && mask & ~(1 << UInt64(kind[ui] & 63)) != 0 { flagged.insert(u) }
        }
        for r in 0..<g.requirementCount {
            let c = g.consumer(r)
            guard pop[c] > 0 else { continue }
            for k in g.slots(r) {
                let p = Int(g.reqProvider[k])
                if pop[p] > 0 && g.sector(p) == g.sector(c) && kind[p] != kind[c] { flagged.insert(Int32(p)) }
            }
        }
        return flagged.sorted()
    }
}
