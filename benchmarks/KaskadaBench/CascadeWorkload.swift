import Cascade
import InfraGraph
import InfraModel

// Workload 1 (shared/reference/README.md section 1): the Buldyrev et al. 2010 cascade on two fully
// interdependent ER networks, expressed as a Kaskada Network and run through StaticCascade.
#if canImport(Glibc)
    import Glibc
#endif

/// Seeds of realization r and attack r (reference section 0).
enum CascadeSeeds {
    static func a(_ r: UInt64) -> UInt64 { 0x1000 &+ r }
    static func b(_ r: UInt64) -> UInt64 { 0x2000 &+ r }
    static func attack(_ r: UInt64) -> UInt64 { 0x3000 &+ r }
}

/// Undirected edge list of an ER graph, self-loops dropped, multi-edges kept, in draw order.
struct EdgeList {
    var u: [Int32] = []
    var v: [Int32] = []
    var count: Int { u.count }

    /// `ER(N, k, seed)`: M = round(k N / 2) draws; draw e is (randint(sm(seed, 2e), N), randint(sm(seed, 2e+1), N)).
    static func erdosRenyi(n: Int, k: Double, seed: UInt64) -> EdgeList {
        let draws = Int((k * Double(n) / 2).rounded(.toNearestOrAwayFromZero)) // llround
        var e = EdgeList()
        e.u.reserveCapacity(draws); e.v.reserveCapacity(draws)
        let nn = UInt32(n)
        for d in 0..<UInt64(draws) {
            let a = RefRNG.randint(RefRNG.sm(seed, 2 &* d), nn), b = RefRNG.randint(RefRNG.sm(seed, 2 &* d &+ 1), nn)
            if a == b { continue }
            e.u.append(Int32(a)); e.v.append(Int32(b))
        }
        return e
    }
}

/// Builds a Network column by column, the way NetworkLoader fills it (every column of every table
/// gets one value per row; ids interned in one namespace with `idTarget`).
struct NetworkFiller {
    var net: Network
    var idBytes = [UInt8](repeating: 0, count: 64)
    let file: Int32
    /// Minimum number of digits of generated ids (zero-padded; 1: plain decimal).
    var idDigits = 1

    init(name: String, origin: String) {
        net = Network(name: name)
        net.files = [origin]
        file = 0
    }

    /// Interns `prefix` followed by the decimal digits of `number`; returns the id index.
    mutating func internId(_ prefix: StaticString, _ number: Int) -> Int32 {
        var len = 0
        prefix.withUTF8Buffer { p in for c in p { idBytes[len] = c; len += 1 } }
        var digits = 0, x = number
        repeat { digits += 1; x /= 10 } while x > 0
        digits = max(digits, idDigits)
        x = number
        for k in stride(from: len + digits - 1, through: len, by: -1) { idBytes[k] = UInt8(48 + x % 10); x /= 10 }
        len += digits
        let (index, inserted) = idBytes.withUnsafeBufferPointer { net.ids.insert(UnsafeBufferPointer(rebasing: $0[0..<len])) }
        precondition(inserted, "duplicate generated id")
        return index
    }

    static func appendCommon(_ c: inout ElementColumns, sector: Int32, kind: Int32, line: Int32, file: Int32) {
        c.sector.append(sector); c.kind.append(kind); c.owner.append(-1); c.zone.append(-1)
        c.x.append(.nan); c.y.append(.nan); c.priority.append(0)
        c.repairHours.append(.nan); c.repairBeta.append(.nan)
        c.source.append(SourceRef(file: file, line: line))
    }

    mutating func reserve(assets: Int, links: Int, dependencies: Int) {
        net.ids.reserve(assets + links)
        net.idTarget.reserveCapacity(assets + links)
        net.assets.reserve(assets)
        net.links.reserve(links)
        net.dependencies.reserve(dependencies)
    }

    @discardableResult
    mutating func addAsset(_ prefix: StaticString, _ number: Int, sector: Int32, kind: Int32, role: Role) -> Int32 {
        let idIndex = internId(prefix, number)
        let a = Int32(net.assets.count)
        precondition(Int(idIndex) == net.idTarget.count)
        net.idTarget.append(a)
        Self.appendCommon(&net.assets.common, sector: sector, kind: kind, line: a + 2, file: file)
        net.assets.role.append(role)
        net.assets.population.append(0)
        net.assets.idIndex.append(idIndex)
        return a
    }

    mutating func addLink(_ prefix: StaticString, _ number: Int, sector: Int32, kind: Int32, from: Int32, to: Int32) {
        let idIndex = internId(prefix, number)
        let l = Int32(net.links.count)
        precondition(Int(idIndex) == net.idTarget.count)
        net.idTarget.append(-(l + 1))
        Self.appendCommon(&net.links.common, sector: sector, kind: kind, line: l + 2, file: file)
        net.links.from.append(from); net.links.to.append(to)
        net.links.directed.append(false); net.links.lengthKm.append(.nan)
        net.links.idIndex.append(idIndex)
    }

    mutating func addDependency(consumer: Int32, provider: Int32, group: Int32, need: Need = .any) {
        let d = net.dependencies
        let row = Int32(d.count)
        net.dependencies.consumer.append(consumer); net.dependencies.provider.append(provider)
        net.dependencies.type.append(.physical); net.dependencies.group.append(group)
        net.dependencies.need.append(need); net.dependencies.backupHours.append(0)
        net.dependencies.probability.append(1)
        net.dependencies.source.append(SourceRef(file: file, line: row + 2))
    }

    /// Every column of every table has one value per row.
    func checkColumns() {
        let a = net.assets, l = net.links, d = net.dependencies
        for (name, c) in [("assets", a.common), ("links", l.common)] {
            let n = name == "assets" ? a.count : l.count
            for k in [
                c.sector.count, c.kind.count, c.owner.count, c.zone.count, c.x.count, c.y.count, c.priority.count,
                c.repairHours.count, c.repairBeta.count, c.source.count,
            ] where k != n {
                fail("\(name): a column holds \(k) values for \(n) rows")
            }
        }
        for k in [a.population.count, a.idIndex.count] where k != a.count { fail("assets: column length \(k) ≠ \(a.count)") }
        for k in [l.to.count, l.directed.count, l.lengthKm.count, l.idIndex.count] where k != l.count {
            fail("links: column length \(k) ≠ \(l.count)")
        }
        for k in [
            d.provider.count, d.type.count, d.group.count, d.need.count, d.backupHours.count, d.probability.count,
            d.source.count,
        ] where k != d.count { fail("dependencies: column length \(k) ≠ \(d.count)") }
        if net.idTarget.count != net.ids.count || net.ids.count != a.count + l.count {
            fail("ids: \(net.ids.count) ids, \(net.idTarget.count) targets")
        }
        if net.supply.count != net.sectors.count { fail("supply modes: \(net.supply.count) for \(net.sectors.count) sectors") }
    }
}

/// The two-network model: assets a0…a{N-1} (sector a, indices 0..<N) and b0…b{N-1} (sector b,
/// indices N..<2N), both `giant-component`; links = the ER edges; a_i ⟷ b_i (two rows, need any,
/// group named after the provider's sector as the loader's default). `paddedIds`: a0000123 etc., so
/// that byte order of ids is index order and the engine's tie rule (smallest id) is the reference's
/// (first cluster reached scanning indices upward).
func buildBuldyrevNetwork(n: Int, edgesA: EdgeList, edgesB: EdgeList, paddedIds: Bool = false) -> Network {
    var f = NetworkFiller(name: "buldyrev-er-\(n)", origin: "<kaskada-bench: workload 1, ER(\(n), 4), seeds 0x1000, 0x2000>")
    if paddedIds { f.idDigits = String(max(n - 1, 0)).count }
    f.reserve(assets: 2 * n, links: edgesA.count + edgesB.count, dependencies: 2 * n)
    let sa = f.net.internSector("a"), sb = f.net.internSector("b")
    f.net.supply[Int(sa)] = .giantComponent
    f.net.supply[Int(sb)] = .giantComponent
    let node = f.net.kinds.intern("node"), edge = f.net.kinds.intern("edge")
    let groupA = f.net.groups.intern("a"), groupB = f.net.groups.intern("b")
    for i in 0..<n { f.addAsset("a", i, sector: sa, kind: node, role: .node) }
    for i in 0..<n { f.addAsset("b", i, sector: sb, kind: node, role: .node) }
    for k in 0..<edgesA.count {
        f.addLink("a-e", k, sector: sa, kind: edge, from: edgesA.u[k], to: edgesA.v[k])
    }
    let off = Int32(n)
    for k in 0..<edgesB.count {
        f.addLink("b-e", k, sector: sb, kind: edge, from: edgesB.u[k] + off, to: edgesB.v[k] + off)
    }
    for i in 0..<Int32(n) {
        f.addDependency(consumer: i, provider: i + off, group: groupB)
        f.addDependency(consumer: i + off, provider: i, group: groupA)
    }
    f.checkColumns()
    return f.net
}

/// The same model straight into the compiler's plain columns (`CompiledGraph.Input`), without
/// the `Network`'s ids and optional columns: the ER edges are drawn into the link columns
/// directly; ids are a0000000… (zero-padded, so id order is index order: the reference's tie
/// rule, and no rank table); no link is damaged in this workload, so the adjacency carries no
/// link numbers; the rows are written in consumer order (a_i needs b_i, then b_i needs a_i).
func buldyrevInput(n: Int) -> CompiledGraph.Input {
    var input = CompiledGraph.Input(
        sectorCount: 2, supply: [.giantComponent, .giantComponent],
        sector: [Int32](repeating: 0, count: n) + [Int32](repeating: 1, count: n),
        role: [Role](repeating: .node, count: 2 * n))
    let draws = Int((4 * Double(n) / 2).rounded(.toNearestOrAwayFromZero))
    input.linkFrom.reserveCapacity(2 * draws); input.linkTo.reserveCapacity(2 * draws)
    let nn = UInt32(n)
    for (seed, off) in [(CascadeSeeds.a(0), Int32(0)), (CascadeSeeds.b(0), Int32(n))] {
        for d in 0..<UInt64(draws) {
            let a = RefRNG.randint(RefRNG.sm(seed, 2 &* d), nn), b = RefRNG.randint(RefRNG.sm(seed, 2 &* d &+ 1), nn)
            if a == b { continue }
            input.linkFrom.append(Int32(a) + off); input.linkTo.append(Int32(b) + off)
        }
    }
    input.linkNumbers = false
    input.depConsumer = (0..<Int32(2 * n)).map { $0 }
    input.depProvider = (0..<Int32(n)).map { $0 + Int32(n) } + (0..<Int32(n)).map { $0 }
    input.rowsMayBeAbsent = false
    return input
}

/// `cascade N SAMPLES [--p P] [--full] [--via-network [--padded-ids]] [--check] [--quiet]`.
func runCascade(_ args: [String]) {
    var pos: [String] = []
    var p = 0.65, check = false, quiet = false, full = false, padded = false, viaNetwork = false, sequential = false
    var i = 0
    while i < args.count {
        switch args[i] {
        case "--p": i += 1; guard i < args.count, let v = Double(args[i]) else { fail("--p needs a number") }; p = v
        case "--check": check = true
        case "--full": full = true
        case "--sequential": sequential = true
        case "--padded-ids": padded = true
        case "--via-network": viaNetwork = true
        case "--quiet": quiet = true
        default: pos.append(args[i])
        }
        i += 1
    }
    guard pos.count == 2, let nD = Double(pos[0]), let samples = Int(pos[1]), nD >= 2, samples >= 1 else {
        fail("usage: kaskada-bench cascade N SAMPLES [--p 0.65] [--full] [--sequential] [--via-network [--padded-ids]] [--check] [--quiet]")
    }
    let n = Int(nD)

    // graph construction, timed separately: edges, (Network,) CompiledGraph
    let rss0 = currentRSSMiB()
    let t0 = now()
    var graph: CompiledGraph
    var t1 = t0, t2 = t0, rssNetwork = Double.nan
    if viaNetwork {
        // the model as NetworkLoader would hold it, then compiled
        var edgesA = EdgeList.erdosRenyi(n: n, k: 4, seed: CascadeSeeds.a(0))
        var edgesB = EdgeList.erdosRenyi(n: n, k: 4, seed: CascadeSeeds.b(0))
        t1 = now()
        var net = buildBuldyrevNetwork(n: n, edgesA: edgesA, edgesB: edgesB, paddedIds: padded)
        edgesA = EdgeList(); edgesB = EdgeList()
        rssNetwork = currentRSSMiB() // the Network (ids, columns) before compiling
        t2 = now()
        graph = CompiledGraph(net)
        net = Network(name: "") // the engine needs only the compiled graph
    } else {
        graph = CompiledGraph(buldyrevInput(n: n))
        t1 = now(); t2 = t1
    }
    let t3 = now()
    let links = graph.linkCount
    let rssAfterBuild = currentRSSMiB() // the compiled graph and what the allocator kept

    // the engine's default is the incremental giant-component step; --full: a full search every step
    if !quiet {
        // which tables the compiler kept (0: left out as identity or constant)
        print(
            "graph tables: sector \(graph.sectorTable.count) id_rank \(graph.idRankTable.count) adj_start \(graph.outStart.count) adj_neighbour \(graph.outNeighbour.count) adj_link \(graph.outLink.count) req_consumer \(graph.reqConsumerTable.count) req_need \(graph.reqNeed.count) req_start \(graph.reqStart.count) req_provider \(graph.reqProvider.count) req_row \(graph.reqRowTable.count) served_start \(graph.providerReqStart.count) served_req \(graph.providerReq.count) served_row \(graph.providerRow.count) sector_members \(graph.sectorAssetTable.count); rss_start_mib=\(fmt(rss0, 1))"
        )
    }
    // sequential: sector a's step, its dependencies, then b's (Buldyrev's alternating process, as the reference)
    if sequential { graph.sequentialOrder = [0, 1] }
    let engine = StaticCascade(graph: graph, incremental: !full)
    let peakBuild = peakRSSMiB()
    let ws = CascadeWorkspace(graph: graph)
    var hit = [UInt8](repeating: 0, count: graph.assetCount)
    let linkHit = [UInt8](), rowPresent = [UInt8]() // no link is hit, every row is present
    var times: [Double] = [], pinf: [Double] = [], rounds: [Int] = [], aliveB: [Int] = []
    times.reserveCapacity(samples); pinf.reserveCapacity(samples)
    let reference = check ? ReferenceCascade(graph: graph, n: n) : nil
    var mismatches = 0, simultaneousMismatches = 0
    var incSteps: [Int] = []
    for r in 0..<samples {
        let incBefore = ws.incrementalSteps
        let seed = CascadeSeeds.attack(UInt64(r))
        let ts = now()
        // attack: node i of A survives iff u01(sm(SEED_R(r), i)) < p; B is not attacked
        hit.withUnsafeMutableBufferPointer { h in
            for a in 0..<n { h[a] = RefRNG.u01(RefRNG.sm(seed, UInt64(a))) < p ? 0 : 1 }
        }
        hit.withUnsafeBufferPointer { h in
            linkHit.withUnsafeBufferPointer { lh in
                rowPresent.withUnsafeBufferPointer { rp in
                    engine.run(assetHit: h, linkHit: lh, rowPresent: rp, workspace: ws, allRowsPresent: true, noLinkHit: true)
                }
            }
        }
        var cntA = 0
        let al = ws.alive
        for a in 0..<n { cntA &+= Int(al[a]) }
        let te = now()
        var cntB = 0
        for a in n..<(2 * n) { cntB &+= Int(al[a]) }
        incSteps.append(ws.incrementalSteps - incBefore)
        times.append(te - ts); pinf.append(Double(cntA) / Double(n)); rounds.append(ws.rounds); aliveB.append(cntB)
        var line =
            "sample \(r) P_inf=\(fmt(Double(cntA) / Double(n), 5)) alive_a=\(cntA) alive_b=\(cntB) rounds=\(ws.rounds) incremental_steps=\(ws.incrementalSteps - incBefore) s=\(fmt(te - ts, 6)) rss=\(fmt(currentRSSMiB(), 1))"
        if let ref = reference {
            let (refA, refSteps) = hit.withUnsafeBufferPointer { ref.run(attack: $0) }
            let same = refA == cntA && (0..<(2 * n)).allSatisfy { ws.alive[$0] == ref.alive[$0] }
            if !same { mismatches += 1 }
            line += " reference_alive_a=\(refA) reference_giant_steps=\(refSteps) same_set=\(same)"
            if !same {
                // is the difference the round structure? the same plain code with Kaskada's rounds
                let (simA, _) = hit.withUnsafeBufferPointer { ref.runSimultaneous(attack: $0) }
                let sameSim = simA == cntA && (0..<(2 * n)).allSatisfy { ws.alive[$0] == ref.alive[$0] }
                if !sameSim { simultaneousMismatches += 1 }
                line += " simultaneous_rounds_alive_a=\(simA) same_set_as_simultaneous=\(sameSim)"
            }
        }
        if !quiet { print(line) }
    }
    let meanP = pinf.reduce(0, +) / Double(samples)
    let meanRounds = Double(rounds.reduce(0, +)) / Double(samples)
    let consistent = zip(pinf, aliveB).allSatisfy { Int(($0 * Double(n)).rounded()) == $1 }
    var summary =
        "tool=kaskada workload=cascade mode=\(full ? "fullbfs" : "incremental")\(sequential ? "-sequential" : "") N=\(n) p=\(fmt(p, 4)) samples=\(samples) "
    summary +=
        "build=\(viaNetwork ? "network" : "engine-input") graph_build_s=\(fmt(t3 - t0, 4)) er_s=\(fmt(t1 - t0, 4)) network_s=\(fmt(t2 - t1, 4)) compile_s=\(fmt(t3 - t2, 4)) "
    summary += "median_s=\(fmt(median(times), 6)) min_s=\(fmt(times.min()!, 6)) max_s=\(fmt(times.max()!, 6)) "
    summary +=
        "mean_Pinf=\(fmt(meanP, 5)) mean_rounds=\(fmt(meanRounds, 1)) mean_incremental_steps=\(fmt(Double(incSteps.reduce(0, +)) / Double(samples), 1)) a_b_equal=\(consistent) "
    if reference != nil { summary += "reference_mismatches=\(mismatches) simultaneous_round_mismatches=\(simultaneousMismatches) " }
    summary +=
        "links=\(links) requirements=\(graph.requirementCount) rss_with_network_mib=\(fmt(rssNetwork, 1)) rss_after_build_mib=\(fmt(rssAfterBuild, 1)) peak_build_rss_mib=\(fmt(peakBuild, 1)) peak_rss_mib=\(fmt(peakRSSMiB(), 1))"
    print(summary)
}

/// The reference's round structure, written plainly over the compiled graph's undirected CSR, for
/// `--check`: A := giant of A; B partners of dead A die; B := giant of B; A partners of dead B die;
/// repeat until a giant step kills nothing (ties: first component reached scanning indices upward).
/// Not timed; used to compare working sets sample by sample.
final class ReferenceCascade {
    let g: CompiledGraph
    let n: Int
    var alive: [UInt8]
    var stamp: [Int32]
    var queue: [Int32]

    init(graph: CompiledGraph, n: Int) {
        g = graph; self.n = n
        alive = [UInt8](repeating: 0, count: 2 * n)
        stamp = [Int32](repeating: -1, count: 2 * n)
        queue = [Int32](repeating: 0, count: 2 * n)
    }

    /// Keeps the largest component among alive assets lo..<hi; returns how many it killed.
    func giant(_ lo: Int, _ hi: Int) -> Int {
        var cnt = 0
        for a in lo..<hi { cnt += Int(alive[a]); stamp[a] = -1 }
        var best = 0, bestLabel: Int32 = -1, label: Int32 = 0
        for s in lo..<hi where alive[s] != 0 && stamp[s] < 0 && best * 2 <= cnt {
            var head = 0, tail = 0
            queue[tail] = Int32(s); tail += 1; stamp[s] = label
            while head < tail {
                let x = Int(queue[head]); head += 1
                for e in Int(g.adjStart[x])..<Int(g.adjStart[x + 1]) {
                    let y = Int(g.adjNeighbour[e])
                    if alive[y] != 0 && stamp[y] < 0 { stamp[y] = label; queue[tail] = Int32(y); tail += 1 }
                }
            }
            if tail > best { best = tail; bestLabel = label }
            label += 1
        }
        var killed = 0
        for a in lo..<hi where alive[a] != 0 && stamp[a] != bestLabel { alive[a] = 0; killed += 1 }
        return killed
    }

    /// Kaskada's round structure in the same plain code, for diagnosing differences: the partners
    /// of attacked nodes die first; then each round computes both giants from the round's starting
    /// set, then the partners of the dead die; until a round kills nothing.
    /// Returns (|A alive|, number of giant-component steps).
    func runSimultaneous(attack: UnsafeBufferPointer<UInt8>) -> (Int, Int) {
        for a in 0..<(2 * n) { alive[a] = attack[a] == 0 ? 1 : 0 }
        for i in 0..<n where (alive[i] == 0) != (alive[i + n] == 0) { alive[i] = 0; alive[i + n] = 0 }
        var steps = 0
        while true {
            let killed = giant(0, n) + giant(n, 2 * n)
            steps += 2
            for i in 0..<n where (alive[i] == 0) != (alive[i + n] == 0) { alive[i] = 0; alive[i + n] = 0 }
            if killed == 0 { break }
        }
        var cnt = 0
        for a in 0..<n { cnt += Int(alive[a]) }
        return (cnt, steps)
    }

    /// Returns (|A alive|, number of giant-component steps).
    func run(attack: UnsafeBufferPointer<UInt8>) -> (Int, Int) {
        for a in 0..<(2 * n) { alive[a] = attack[a] == 0 ? 1 : 0 }
        var steps = 0
        var onA = true
        while true {
            let (lo, hi) = onA ? (0, n) : (n, 2 * n)
            let killed = giant(lo, hi); steps += 1
            // the partners of the dead die (both directions: one pass covers the step's kills)
            for i in 0..<n where (alive[i] == 0) != (alive[i + n] == 0) { alive[i] = 0; alive[i + n] = 0 }
            if killed == 0 && steps >= 2 { break }
            onA.toggle()
        }
        var cnt = 0
        for a in 0..<n { cnt += Int(alive[a]) }
        return (cnt, steps)
    }
}
