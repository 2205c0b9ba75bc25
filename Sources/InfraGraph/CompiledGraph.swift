import InfraModel

/// A network compiled for the cascade engine: 32-bit indices, CSR adjacency, requirement groups
/// and reverse indices, in contiguous arrays.
///
/// - Supply adjacency (`out*`): for each asset, the (neighbour, link) pairs along which supply
///   leaves it: both ways for undirected links, `from → to` for directed ones. Links join assets
///   of one sector, so each sector's rows hold only that sector's neighbours (per-sector CSR).
/// - Reverse adjacency (`in*`): the pairs along which supply arrives.
/// - Requirements: dependency rows grouped by (consumer, group); `reqProviders` lists providers,
///   `providerReqs` is the reverse index: the requirements that a provider serves.
///
/// - Complexity: built in O(assets + links + dependencies) time and space (a counting sort).
public struct CompiledGraph: Sendable {
    public let assetCount: Int
    public let linkCount: Int
    public let sectorCount: Int
    public let sector: [Int32]
    public let role: [Role]
    public let supply: [SupplyMode]
    /// Sectors that have at least one link.
    public let sectorHasLinks: [Bool]
    /// Rank of each asset's id in byte order (DESIGN.md: ties are broken by id).
    public let idRank: [Int32]

    public let outStart: [Int32], outNeighbour: [Int32], outLink: [Int32]
    public let inStart: [Int32], inNeighbour: [Int32], inLink: [Int32]
    /// Undirected view (direction ignored) for giant-component sectors.
    public let adjStart: [Int32], adjNeighbour: [Int32], adjLink: [Int32]

    /// Requirement r: consumer, group, the number of available providers it needs (Int32.max: all).
    public let reqConsumer: [Int32], reqGroup: [Int32], reqNeed: [Int32], reqBackupHours: [Double]
    /// Providers of requirement r: `reqProvider[reqStart[r]..<reqStart[r+1]]`, with their dependency row.
    public let reqStart: [Int32], reqProvider: [Int32], reqRow: [Int32]
    /// Requirements of asset a: `assetReq[assetReqStart[a]..<assetReqStart[a+1]]`.
    public let assetReqStart: [Int32], assetReq: [Int32]
    /// Requirements that provider p serves: `providerReq[providerReqStart[p]..<providerReqStart[p+1]]`,
    /// with the dependency row of that (requirement, provider) pair in `providerRow`.
    public let providerReqStart: [Int32], providerReq: [Int32], providerRow: [Int32]
    /// Assets of sector s: `sectorAsset[sectorStart[s]..<sectorStart[s+1]]`, in index order.
    public let sectorStart: [Int32], sectorAsset: [Int32]

    public var requirementCount: Int { reqConsumer.count }

    /// Compiles `net`.
    public init(_ net: Network) {
        let n = net.assets.count, m = net.links.count
        assetCount = n; linkCount = m; sectorCount = net.sectors.count
        sector = net.assets.common.sector
        role = net.assets.role
        idRank = Self.idRanks(net)
        supply = net.supply
        var hasLinks = [Bool](repeating: false, count: net.sectors.count)
        for s in net.links.common.sector { hasLinks[Int(s)] = true }
        sectorHasLinks = hasLinks

        // supply adjacency; with no directed link the three views are one (arrays share storage)
        let anyDirected = net.links.directed.contains(true)
        let from = net.links.from, to = net.links.to, directed = net.links.directed
        (outStart, outNeighbour, outLink) = Self.linkCSR(n, from: from, to: to) { l in (true, !directed[l]) }
        if anyDirected {
            (inStart, inNeighbour, inLink) = Self.linkCSR(n, from: from, to: to) { l in (!directed[l], true) }
            (adjStart, adjNeighbour, adjLink) = Self.linkCSR(n, from: from, to: to) { _ in (true, true) }
        } else {
            (inStart, inNeighbour, inLink) = (outStart, outNeighbour, outLink)
            (adjStart, adjNeighbour, adjLink) = (outStart, outNeighbour, outLink)
        }

        // requirements: sort rows by (consumer, group, provider)
        let d = net.dependencies
        let rows = (0..<d.count).sorted {
            (d.consumer[$0], d.group[$0], d.provider[$0]) < (d.consumer[$1], d.group[$1], d.provider[$1])
        }
        var rc: [Int32] = [], rg: [Int32] = [], rn: [Int32] = [], rb: [Double] = []
        var rs: [Int32] = [0], rp: [Int32] = [], rr: [Int32] = []
        var i = 0
        while i < rows.count {
            let first = rows[i]
            var j = i
            while j < rows.count && d.consumer[rows[j]] == d.consumer[first] && d.group[rows[j]] == d.group[first] {
                rp.append(d.provider[rows[j]]); rr.append(Int32(rows[j]))
                j += 1
            }
            rc.append(d.consumer[first]); rg.append(d.group[first]); rb.append(d.backupHours[first])
            switch d.need[first] {
            case .any: rn.append(1)
            case .all: rn.append(Int32.max)
            case .atLeast(let k): rn.append(Int32(clamping: k))
            }
            rs.append(Int32(rp.count))
            i = j
        }
        reqConsumer = rc; reqGroup = rg; reqNeed = rn; reqBackupHours = rb
        reqStart = rs; reqProvider = rp; reqRow = rr
        (assetReqStart, assetReq, _) = Self.csr(n, rc.enumerated().lazy.map { ($0.element, Int32($0.offset), 0) })
        var provPairs: [(Int32, Int32, Int32)] = []
        provPairs.reserveCapacity(rp.count)
        for r in 0..<rc.count {
            for k in Int(rs[r])..<Int(rs[r + 1]) { provPairs.append((rp[k], Int32(r), rr[k])) }
        }
        (providerReqStart, providerReq, providerRow) = Self.csr(n, provPairs.lazy.map { $0 })
        (sectorStart, sectorAsset, _) = Self.csr(net.sectors.count, net.assets.common.sector.enumerated().lazy.map { ($0.element, Int32($0.offset), 0) })
    }

    /// Ranks asset ids in byte order: sorts by the first 8 bytes (big-endian), then by the rest.
    /// - Complexity: O(n log n) comparisons, most of them on one integer.
    static func idRanks(_ net: Network) -> [Int32] {
        let n = net.assets.count
        var keys = [(UInt64, Int32)]()
        keys.reserveCapacity(n)
        for a in 0..<n {
            let p = net.ids.withBytes(net.assets.idIndex[a]) { b -> UInt64 in
                var k: UInt64 = 0
                for i in 0..<8 { k = k << 8 | UInt64(i < b.count ? b[i] : 0) }
                return k
            }
            keys.append((p, Int32(a)))
        }
        keys.sort { x, y in
            if x.0 != y.0 { return x.0 < y.0 }
            return net.ids.less(net.assets.idIndex[Int(x.1)], net.assets.idIndex[Int(y.1)])
        }
        var rank = [Int32](repeating: 0, count: n)
        for (r, k) in keys.enumerated() { rank[Int(k.1)] = Int32(r) }
        return rank
    }

    /// The CSR of links seen from their ends: for link l, `along(l).forward` adds `from → to`
    /// (in row `from`), `.backward` adds `to → from`; self-loops are left out. Rows keep link order.
    /// Two passes over the links (count, then fill), no temporary pairs.
    /// - Complexity: O(assets + links) time; the output only.
    static func linkCSR(_ n: Int, from: [Int32], to: [Int32], along: (Int) -> (forward: Bool, backward: Bool))
        -> ([Int32], [Int32], [Int32]) {
        var start = [Int32](repeating: 0, count: n + 1)
        for l in 0..<from.count where from[l] != to[l] {
            let (f, b) = along(l)
            if f { start[Int(from[l]) + 1] += 1 }
            if b { start[Int(to[l]) + 1] += 1 }
        }
        for k in 0..<n { start[k + 1] += start[k] }
        let total = Int(start[n])
        var nb = [Int32](repeating: 0, count: total), link = [Int32](repeating: 0, count: total)
        var cursor = Array(start.prefix(n))
        for l in 0..<from.count where from[l] != to[l] {
            let (f, b) = along(l)
            let u = Int(from[l]), v = Int(to[l])
            if f { let p = Int(cursor[u]); nb[p] = Int32(v); link[p] = Int32(l); cursor[u] += 1 }
            if b { let p = Int(cursor[v]); nb[p] = Int32(u); link[p] = Int32(l); cursor[v] += 1 }
        }
        return (start, nb, link)
    }

    /// Builds a CSR from (row, value, extra) triples by counting sort, keeping input order within a row.
    static func csr<S: Sequence>(_ rows: Int, _ pairs: S) -> ([Int32], [Int32], [Int32]) where S.Element == (Int32, Int32, Int32) {
        var start = [Int32](repeating: 0, count: rows + 1)
        var count = 0
        for (r, _, _) in pairs { start[Int(r) + 1] += 1; count += 1 }
        for k in 0..<rows { start[k + 1] += start[k] }
        var fill = Array(start.prefix(rows))
        var vals = [Int32](repeating: 0, count: count), extra = [Int32](repeating: 0, count: count)
        for (r, v, e) in pairs {
            let p = Int(fill[Int(r)])
            vals[p] = v; extra[p] = e
            fill[Int(r)] += 1
        }
        return (start, vals, extra)
    }

    #if KASKADA_INVARIANTS || DEBUG
    /// Checks the CSR and requirement invariants; messages name the element and the bound.
    public func checkInvariants() -> [String] {
        var problems: [String] = []
        func checkCSR(_ name: String, _ start: [Int32], _ nb: [Int32]) {
            if start.count != assetCount + 1 { problems.append("\(name): \(start.count) row starts for \(assetCount) assets") }
            for a in 0..<assetCount where start[a] > start[a + 1] { problems.append("\(name): row \(a) starts after it ends") }
            for (k, v) in nb.enumerated() where v < 0 || Int(v) >= assetCount { problems.append("\(name)[\(k)] = \(v) outside 0..<\(assetCount)") }
        }
        checkCSR("out", outStart, outNeighbour)
        checkCSR("in", inStart, inNeighbour)
        checkCSR("adj", adjStart, adjNeighbour)
        for a in 0..<assetCount {
            for k in Int(outStart[a])..<Int(outStart[a + 1]) where sector[Int(outNeighbour[k])] != sector[a] {
                problems.append("link \(outLink[k]) joins asset \(a) (sector \(sector[a])) to asset \(outNeighbour[k]) of another sector")
            }
        }
        for r in 0..<requirementCount {
            if reqStart[r] >= reqStart[r + 1] { problems.append("requirement \(r) has no provider") }
            for k in Int(reqStart[r])..<Int(reqStart[r + 1]) where reqProvider[k] == reqConsumer[r] {
                problems.append("requirement \(r): asset \(reqConsumer[r]) provides to itself")
            }
        }
        if providerReq.count != reqProvider.count { problems.append("reverse index holds \(providerReq.count) entries for \(reqProvider.count) provider slots") }
        return problems
    }
    #endif
}
