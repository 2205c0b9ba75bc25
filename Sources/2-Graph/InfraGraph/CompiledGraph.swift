import InfraModel

/// A network compiled for the cascade engine: 32-bit indices, CSR adjacency, requirement groups
/// and reverse indices, in contiguous arrays.
///
/// - Supply adjacency (`out*`): for each asset, the (neighbour, link) pairs along which supply
///   leaves it: both ways for undirected links, `from → to` for directed ones. Links join assets
///   of one sector, so each sector's rows hold only that sector's neighbours (per-sector CSR).
/// - Reverse adjacency (`in*`): the pairs along which supply arrives.
/// - Requirements: dependency rows grouped by (consumer, group), in consumer order; `reqProvider`
///   lists providers, `providerReq` is the reverse index: the requirements that a provider serves.
///
/// Tables that would be the identity or a constant are left empty and read through accessors
/// (`idRank(_:)`, `slots(_:)`, `need(_:)`, `row(slot:)`, `member(_:)`): ids already in index
/// order, sectors stored contiguously, requirements of one provider each, `need: any`
/// everywhere, dependency rows already in requirement order, and link numbers when no link can
/// be damaged. At 2,000,000 assets each omitted table saves 8 MB.
///
/// - Complexity: built in O(assets + links + dependencies) time and space (counting sorts;
///   the rows of one consumer are sorted among themselves).
public struct CompiledGraph: Sendable {
    /// Sector codes in the order of a `sequential` cascade (`Network.sequentialSectorOrder`);
    /// empty: the `simultaneous` order (docs/specification.md section 2). Set after compiling, from the
    /// scenario's `simulation.cascade_order`.
    public var sequentialOrder: [Int32] = []

    /// What the compiler needs, as plain columns: filled from a `Network`, or directly by a
    /// generator (the benchmark workloads) without the model's ids and optional columns.
    public struct Input: Sendable {
        public var sectorCount: Int
        public var supply: [SupplyMode]
        /// Per asset: sector code and role.
        public var sector: [Int32]
        public var role: [Role]
        /// Rank of each asset's id in byte order; empty: index order is id order.
        public var idRank: [Int32] = []
        /// Links: ends and direction (`linkDirected` empty: every link undirected).
        public var linkFrom: [Int32] = [], linkTo: [Int32] = [], linkDirected: [Bool] = []
        /// Keep link numbers in the adjacency (needed when a link can be damaged or out).
        public var linkNumbers = true
        /// Dependency rows: consumer, provider, group code (empty: one group), need (1: any,
        /// `Int32.max`: all, k: at least k; empty: every row `any`).
        public var depConsumer: [Int32] = [], depProvider: [Int32] = [], depGroup: [Int32] = [], depNeed: [Int32] = []
        /// Some dependency row may be absent in a sample (a probability below 1): keeps the
        /// reverse index's row numbers.
        public var rowsMayBeAbsent = true

        public init(sectorCount: Int, supply: [SupplyMode], sector: [Int32], role: [Role]) {
            self.sectorCount = sectorCount; self.supply = supply; self.sector = sector; self.role = role
        }
    }

    public let assetCount: Int
    public let linkCount: Int
    public let sectorCount: Int
    /// Sector code of each asset (empty: sectors are stored contiguously, see `sectorStart`);
    /// read with `sector(_:)`.
    public let sectorTable: [Int32]
    public let role: [Role]
    public let supply: [SupplyMode]
    /// Sectors that have at least one link.
    public let sectorHasLinks: [Bool]
    /// Rank of each asset's id in byte order (empty: the identity); read with `idRank(_:)`.
    public let idRankTable: [Int32]
    /// Whether the adjacency carries link numbers (`outLink`, `inLink`, `adjLink`); without
    /// them no sample may damage a link.
    public let hasLinkNumbers: Bool
    /// Sector of each link (with link numbers only).
    public let linkSectorTable: [Int32]

    public let outStart: [Int32], outNeighbour: [Int32], outLink: [Int32]
    public let inStart: [Int32], inNeighbour: [Int32], inLink: [Int32]
    /// Undirected view (direction ignored) for giant-component sectors.
    public let adjStart: [Int32], adjNeighbour: [Int32], adjLink: [Int32]

    /// Requirement r's consumer, non-decreasing in r (empty: asset r, every asset having exactly
    /// one requirement); read with `consumer(_:)`.
    public let reqConsumerTable: [Int32]
    /// Number of requirements.
    public let requirementCount: Int
    /// How many available providers requirement r needs, clamped to its provider count (`all`
    /// is its count); empty: 1 for every requirement. Read with `need(_:)`.
    public let reqNeed: [Int32]
    /// Provider slots of requirement r: `reqStart[r]..<reqStart[r+1]` (empty: slot r alone);
    /// read with `slots(_:)`. Slot k holds provider `reqProvider[k]` and dependency row `row(slot: k)`.
    public let reqStart: [Int32], reqProvider: [Int32]
    /// Dependency row of each slot (empty: slot k is row k).
    public let reqRowTable: [Int32]
    /// Requirements that provider p serves: `providerReq[k]` for k in `served(p)`
    /// (`providerReqStart[p]..<providerReqStart[p+1]`; empty: every asset serves exactly one,
    /// slot p), with the dependency row of each pair in `providerRow` (empty when no row can be absent).
    public let providerReqStart: [Int32], providerReq: [Int32], providerRow: [Int32]
    /// Assets of sector s: `member(k)` for k in `sectorStart[s]..<sectorStart[s+1]`, in index
    /// order (`sectorAssetTable` empty: sectors are stored contiguously and member(k) is k).
    public let sectorStart: [Int32], sectorAssetTable: [Int32]

    /// Sector code of asset a. Without a table: the sector whose range holds a (sectors are few).
    @inlinable @inline(__always) public func sector(_ a: Int) -> Int32 {
        if !sectorTable.isEmpty { return sectorTable[a] }
        var s = 0
        while Int(sectorStart[s + 1]) <= a { s += 1 }
        return Int32(s)
    }
    /// Whether sectors are stored contiguously (asset a of sector s lies in `sectorStart[s]..<sectorStart[s+1]`).
    public var sectorsContiguous: Bool { sectorTable.isEmpty }
    /// Rank of asset a's id in byte order.
    @inlinable @inline(__always) public func idRank(_ a: Int) -> Int32 { idRankTable.isEmpty ? Int32(a) : idRankTable[a] }
    /// Provider slots of requirement r.
    @inlinable @inline(__always) public func slots(_ r: Int) -> Range<Int> {
        reqStart.isEmpty ? r..<(r + 1) : Int(reqStart[r])..<Int(reqStart[r + 1])
    }
    /// The consumer of requirement r.
    @inlinable @inline(__always) public func consumer(_ r: Int) -> Int { reqConsumerTable.isEmpty ? r : Int(reqConsumerTable[r]) }
    /// Positions in `providerReq` of the requirements that asset p serves.
    @inlinable @inline(__always) public func served(_ p: Int) -> Range<Int> {
        providerReqStart.isEmpty ? p..<(p + 1) : Int(providerReqStart[p])..<Int(providerReqStart[p + 1])
    }
    /// The number of available providers requirement r needs (at most its provider count).
    @inlinable @inline(__always) public func need(_ r: Int) -> Int32 { reqNeed.isEmpty ? 1 : reqNeed[r] }
    /// The dependency row of provider slot k.
    @inlinable @inline(__always) public func row(slot k: Int) -> Int { reqRowTable.isEmpty ? k : Int(reqRowTable[k]) }
    /// The k-th asset in sector order (see `sectorStart`).
    @inlinable @inline(__always) public func member(_ k: Int) -> Int { sectorAssetTable.isEmpty ? k : Int(sectorAssetTable[k]) }
    /// The requirements of asset a (requirements are in consumer order).
    /// - Complexity: O(log requirements).
    public func requirements(of a: Int) -> Range<Int> {
        if reqConsumerTable.isEmpty { return a..<(a + 1) }
        func lowerBound(_ x: Int32) -> Int {
            var lo = 0, hi = reqConsumerTable.count
            while lo < hi { let mid = (lo + hi) / 2; if reqConsumerTable[mid] < x { lo = mid + 1 } else { hi = mid } }
            return lo
        }
        return lowerBound(Int32(a))..<lowerBound(Int32(a) + 1)
    }
    /// Assets of sector s, in index order.
    public func assets(ofSector s: Int) -> [Int32] {
        (Int(sectorStart[s])..<Int(sectorStart[s + 1])).map { Int32(member($0)) }
    }

    /// Compiles `net`. `linkNumbers: false` leaves link numbers out of the adjacency (for
    /// scenarios in which no link can be damaged or out).
    public init(_ net: Network, linkNumbers: Bool = true) {
        var input = Input(
            sectorCount: net.sectors.count, supply: net.supply, sector: net.assets.common.sector.array,
            role: net.assets.role)
        input.idRank = Self.idRanks(net)
        input.linkFrom = net.links.from; input.linkTo = net.links.to
        input.linkDirected = net.links.directed.isStored ? net.links.directed.array : []
        input.linkNumbers = linkNumbers
        let d = net.dependencies
        input.depConsumer = d.consumer; input.depProvider = d.provider; input.depGroup = d.group
        input.depNeed =
            d.need.contains { $0 != .any }
            ? d.need.map { need in
                switch need {
                case .any: return 1
                case .all: return Int32.max
                case .atLeast(let k): return Int32(clamping: k)
                }
            } : []
        input.rowsMayBeAbsent = true // callers may remove rows (tests, mitigations), not only probabilities
        self.init(input)
    }

    /// Compiles plain columns. Takes the input over so that link ends and dependency rows are
    /// released as soon as their part of the graph is built (peak memory).
    public init(_ input: consuming Input) {
        var input = input
        let n = input.sector.count, m = input.linkFrom.count
        precondition(
            input.role.count == n && input.linkTo.count == m && input.supply.count == input.sectorCount,
            "CompiledGraph.Input: column lengths differ")
        assetCount = n; linkCount = m; sectorCount = input.sectorCount
        let sector = input.sector
        role = input.role; supply = input.supply
        idRankTable = Self.isIdentity(input.idRank) ? [] : input.idRank
        input.idRank = []
        var hasLinks = [Bool](repeating: false, count: sectorCount)
        for l in 0..<m { hasLinks[Int(sector[Int(input.linkFrom[l])])] = true }
        sectorHasLinks = hasLinks
        hasLinkNumbers = input.linkNumbers
        linkSectorTable = input.linkNumbers ? input.linkFrom.map { sector[Int($0)] } : []

        // supply adjacency; with no directed link the three views are one (arrays share storage)
        let directed = input.linkDirected
        let keep = input.linkNumbers
        if directed.isEmpty {
            (outStart, outNeighbour, outLink) = Self.linkCSR(n, from: input.linkFrom, to: input.linkTo, keepLinks: keep) { _ in (true, true) }
            (inStart, inNeighbour, inLink) = (outStart, outNeighbour, outLink)
            (adjStart, adjNeighbour, adjLink) = (outStart, outNeighbour, outLink)
        } else {
            (outStart, outNeighbour, outLink) = Self.linkCSR(n, from: input.linkFrom, to: input.linkTo, keepLinks: keep) { l in (true, !directed[l]) }
            (inStart, inNeighbour, inLink) = Self.linkCSR(n, from: input.linkFrom, to: input.linkTo, keepLinks: keep) { l in (!directed[l], true) }
            (adjStart, adjNeighbour, adjLink) = Self.linkCSR(n, from: input.linkFrom, to: input.linkTo, keepLinks: keep) { _ in (true, true) }
        }
        input.linkFrom = []; input.linkTo = []; input.linkDirected = []

        // requirements: rows in (consumer, group, provider) order
        let order = Self.requirementOrder(n, consumer: input.depConsumer, group: input.depGroup, provider: input.depProvider)
        let rows = input.depConsumer.count
        // rs and rn are materialised only at the first requirement that needs them
        var rc: [Int32] = [], rn: [Int32] = [], rs: [Int32] = [], rp: [Int32] = []
        var slotTable = false, needTable = false
        rc.reserveCapacity(rows); rp.reserveCapacity(rows)
        let consumerOf = input.depConsumer, groupOf = input.depGroup, needOf = input.depNeed
        @inline(__always) func at(_ k: Int) -> Int { order.isEmpty ? k : Int(order[k]) }
        var i = 0
        while i < rows {
            let first = at(i)
            let c = consumerOf[first], gr = groupOf.isEmpty ? 0 : groupOf[first]
            var j = i
            while j < rows {
                let x = at(j)
                guard consumerOf[x] == c && (groupOf.isEmpty || groupOf[x] == gr) else { break }
                rp.append(input.depProvider[x])
                j += 1
            }
            let count = Int32(j - i)
            let raw = needOf.isEmpty ? 1 : needOf[first]
            let need = min(raw, count) // all (Int32.max) and k above the count: every provider
            if count != 1 && !slotTable { slotTable = true; rs = (0...rc.count).map { Int32($0) } }
            if need != 1 && !needTable { needTable = true; rn = [Int32](repeating: 1, count: rc.count) }
            rc.append(c)
            if slotTable { rs.append(Int32(rp.count)) }
            if needTable { rn.append(need) }
            i = j
        }
        input.depConsumer = []; input.depProvider = []; input.depGroup = []; input.depNeed = []
        requirementCount = rc.count
        reqConsumerTable = rc.count == n && Self.isIdentity(rc) ? [] : rc
        reqNeed = rn
        reqStart = rs
        reqProvider = rp
        reqRowTable = order
        rn = []; rs = []

        // reverse index: provider → (requirement, row)
        let R = rc.count
        var pstart = [Int32](repeating: 0, count: n + 1)
        for p in rp { pstart[Int(p) + 1] += 1 }
        for k in 0..<n { pstart[k + 1] += pstart[k] }
        var preq = [Int32](repeating: 0, count: rp.count)
        var prow = input.rowsMayBeAbsent ? [Int32](repeating: 0, count: rp.count) : []
        var fill = Array(pstart.prefix(n))
        for r in 0..<R {
            let range = reqStart.isEmpty ? r..<(r + 1) : Int(reqStart[r])..<Int(reqStart[r + 1])
            for k in range {
                let p = Int(rp[k]), pos = Int(fill[p])
                preq[pos] = Int32(r)
                if !prow.isEmpty { prow[pos] = reqRowTable.isEmpty ? Int32(k) : reqRowTable[k] }
                fill[p] += 1
            }
        }
        fill = []
        providerReqStart = Self.isIdentity(pstart) ? [] : pstart
        providerReq = preq; providerRow = prow

        // sectors: contiguous storage leaves the member table out
        var sstart = [Int32](repeating: 0, count: sectorCount + 1)
        for s in sector { sstart[Int(s) + 1] += 1 }
        for s in 0..<sectorCount { sstart[s + 1] += sstart[s] }
        var contiguous = true
        for a in 1..<max(1, n) where sector[a] < sector[a - 1] { contiguous = false; break }
        if contiguous {
            sectorAssetTable = []
            sectorTable = []
        } else {
            sectorTable = sector
            var cursor = Array(sstart.prefix(sectorCount)), members = [Int32](repeating: 0, count: n)
            for a in 0..<n { let s = Int(sector[a]); members[Int(cursor[s])] = Int32(a); cursor[s] += 1 }
            sectorAssetTable = members
        }
        sectorStart = sstart
        input.sector = []
    }

    /// Whether `a` is empty or 0, 1, 2, …
    static func isIdentity(_ a: [Int32]) -> Bool {
        for (k, v) in a.enumerated() where v != Int32(k) { return false }
        return true
    }

    /// Dependency rows in (consumer, group, provider) order: a counting sort by consumer, then
    /// each consumer's rows (few) sorted among themselves. Empty when the rows are in that order.
    /// - Complexity: O(assets + rows + Σ r_c log r_c) for r_c rows of consumer c.
    static func requirementOrder(_ n: Int, consumer: [Int32], group: [Int32], provider: [Int32]) -> [Int32] {
        let rows = consumer.count
        func key(_ r: Int) -> (Int32, Int32, Int32) { (consumer[r], group.isEmpty ? 0 : group[r], provider[r]) }
        var ordered = true
        for r in 1..<max(1, rows) where key(r) < key(r - 1) { ordered = false; break }
        if ordered { return [] }
        var start = [Int32](repeating: 0, count: n + 1)
        for c in consumer { start[Int(c) + 1] += 1 }
        for k in 0..<n { start[k + 1] += start[k] }
        var order = [Int32](repeating: 0, count: rows)
        var cursor = Array(start.prefix(n))
        for r in 0..<rows { let c = Int(consumer[r]); order[Int(cursor[c])] = Int32(r); cursor[c] += 1 }
        cursor = []
        for c in 0..<n where start[c + 1] - start[c] > 1 {
            let lo = Int(start[c]), hi = Int(start[c + 1])
            let sorted = order[lo..<hi].sorted { x, y in
                let gx = group.isEmpty ? 0 : group[Int(x)], gy = group.isEmpty ? 0 : group[Int(y)]
                return (gx, provider[Int(x)], x) < (gy, provider[Int(y)], y)
            }
            order.replaceSubrange(lo..<hi, with: sorted)
        }
        return order
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
    /// Two passes over the links (count, then fill), no temporary pairs; link numbers only with `keepLinks`.
    /// - Complexity: O(assets + links) time; the output only.
    static func linkCSR(_ n: Int, from: [Int32], to: [Int32], keepLinks: Bool, along: (Int) -> (forward: Bool, backward: Bool))
        -> ([Int32], [Int32], [Int32])
    {
        var start = [Int32](repeating: 0, count: n + 1)
        for l in 0..<from.count where from[l] != to[l] {
            let (f, b) = along(l)
            if f { start[Int(from[l]) + 1] += 1 }
            if b { start[Int(to[l]) + 1] += 1 }
        }
        for k in 0..<n { start[k + 1] += start[k] }
        let total = Int(start[n])
        var nb = [Int32](repeating: 0, count: total), link = [Int32](repeating: 0, count: keepLinks ? total : 0)
        var cursor = Array(start.prefix(n))
        for l in 0..<from.count where from[l] != to[l] {
            let (f, b) = along(l)
            let u = Int(from[l]), v = Int(to[l])
            if f { let p = Int(cursor[u]); nb[p] = Int32(v); if keepLinks { link[p] = Int32(l) }; cursor[u] += 1 }
            if b { let p = Int(cursor[v]); nb[p] = Int32(u); if keepLinks { link[p] = Int32(l) }; cursor[v] += 1 }
        }
        return (start, nb, link)
    }

    #if KASKADA_INVARIANTS || DEBUG
        /// Checks the CSR and requirement invariants; messages name the element and the bound.
        public func checkInvariants() -> [String] {
            var problems: [String] = []
            func checkCSR(_ name: String, _ start: [Int32], _ nb: [Int32], _ link: [Int32]) {
                if start.count != assetCount + 1 { problems.append("\(name): \(start.count) row starts for \(assetCount) assets") }
                for a in 0..<assetCount where start[a] > start[a + 1] { problems.append("\(name): row \(a) starts after it ends") }
                for (k, v) in nb.enumerated() where v < 0 || Int(v) >= assetCount {
                    problems.append("\(name)[\(k)] = \(v) outside 0..<\(assetCount)")
                }
                if link.count != (hasLinkNumbers ? nb.count : 0) { problems.append("\(name): \(link.count) link numbers for \(nb.count) entries") }
                for (k, l) in link.enumerated() where l < 0 || Int(l) >= linkCount {
                    problems.append("\(name) link[\(k)] = \(l) outside 0..<\(linkCount)")
                }
            }
            checkCSR("out", outStart, outNeighbour, outLink)
            checkCSR("in", inStart, inNeighbour, inLink)
            checkCSR("adj", adjStart, adjNeighbour, adjLink)
            for a in 0..<assetCount {
                for k in Int(outStart[a])..<Int(outStart[a + 1]) where sector(Int(outNeighbour[k])) != sector(a) {
                    problems.append("adjacency entry \(k) joins asset \(a) (sector \(sector(a))) to asset \(outNeighbour[k]) of another sector")
                }
            }
            for r in 0..<requirementCount {
                let s = slots(r)
                if s.isEmpty { problems.append("requirement \(r) has no provider") }
                if need(r) < 1 || Int(need(r)) > s.count { problems.append("requirement \(r) needs \(need(r)) of \(s.count) providers") }
                if r > 0 && consumer(r) < consumer(r - 1) { problems.append("requirement \(r) is out of consumer order") }
                for k in s where reqProvider[k] == Int32(consumer(r)) {
                    problems.append("requirement \(r): asset \(consumer(r)) provides to itself")
                }
            }
            if providerReq.count != reqProvider.count {
                problems.append("reverse index holds \(providerReq.count) entries for \(reqProvider.count) provider slots")
            }
            if !providerRow.isEmpty && providerRow.count != providerReq.count {
                problems.append("reverse index: \(providerRow.count) rows for \(providerReq.count) entries")
            }
            var seen = [Bool](repeating: false, count: assetCount)
            for s in 0..<sectorCount {
                for k in Int(sectorStart[s])..<Int(sectorStart[s + 1]) {
                    let a = member(k)
                    if sector(a) != Int32(s) { problems.append("sector \(s) lists asset \(a) of sector \(sector(a))") }
                    seen[a] = true
                }
            }
            if let a = seen.firstIndex(of: false) { problems.append("asset \(a) is in no sector's member list") }
            var ranks = [Bool](repeating: false, count: assetCount)
            for a in 0..<assetCount {
                let r = Int(idRank(a))
                if r < 0 || r >= assetCount || ranks[r] {
                    problems.append("id rank \(r) of asset \(a) is out of range or repeated")
                } else {
                    ranks[r] = true
                }
            }
            return problems
        }
    #endif
}
