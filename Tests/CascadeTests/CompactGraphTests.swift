import Cascade
import InfraGraph
import InfraModel
import Testing

/// The compiler leaves identity and constant tables out (`CompiledGraph` doc); the cascade must
/// give the same working set whichever tables a graph keeps.
@Suite struct CompactGraphTests {
    /// Two interdependent random graphs of n nodes each (a_i needs b_i and b_i needs a_i), as
    /// plain columns. `interleaved`: assets a_i, b_i alternate (sectors not contiguous, so the
    /// sector and member tables are kept); `shuffledRows`: dependency rows in a scrambled order
    /// (row table kept); `extraGroup`: a_0 also needs 2 of b_1, b_2, b_3 (slot and need tables kept).
    static func input(n: Int, interleaved: Bool, shuffledRows: Bool, extraGroup: Bool, linkNumbers: Bool) -> CompiledGraph.Input {
        func a(_ i: Int) -> Int32 { Int32(interleaved ? 2 * i : i) }
        func b(_ i: Int) -> Int32 { Int32(interleaved ? 2 * i + 1 : n + i) }
        var sector = [Int32](repeating: 0, count: 2 * n)
        for i in 0..<n { sector[Int(a(i))] = 0; sector[Int(b(i))] = 1 }
        var input = CompiledGraph.Input(
            sectorCount: 2, supply: [.giantComponent, .giantComponent], sector: sector,
            role: [Role](repeating: .node, count: 2 * n))
        var x: UInt64 = 12345
        func next(_ m: Int) -> Int { x = x &* 6364136223846793005 &+ 1442695040888963407; return Int((x >> 33) % UInt64(m)) }
        for _ in 0..<(2 * n) {
            let u = next(n), v = next(n)
            input.linkFrom.append(a(u)); input.linkTo.append(a(v))
            let p = next(n), q = next(n)
            input.linkFrom.append(b(p)); input.linkTo.append(b(q))
        }
        input.linkNumbers = linkNumbers
        var rows: [(Int32, Int32, Int32, Int32)] = [] // consumer, provider, group, need
        for i in 0..<n { rows.append((a(i), b(i), 1, 1)); rows.append((b(i), a(i), 0, 1)) }
        if extraGroup { for j in 1...3 { rows.append((a(0), b(j), 2, 2)) } }
        if !interleaved && !shuffledRows { rows.sort { ($0.0, $0.2, $0.1) < ($1.0, $1.2, $1.1) } }
        if shuffledRows { for k in stride(from: rows.count - 1, to: 0, by: -1) { rows.swapAt(k, next(k + 1)) } }
        input.depConsumer = rows.map(\.0); input.depProvider = rows.map(\.1)
        input.depGroup = rows.map(\.2); input.depNeed = rows.map(\.3)
        input.rowsMayBeAbsent = false
        return input
    }

    /// Working a-nodes (by i) after attacking a_i for i in `attack`.
    static func survivors(_ g: CompiledGraph, n: Int, interleaved: Bool, attack: [Int]) -> [Int] {
        var hit = [UInt8](repeating: 0, count: g.assetCount)
        for i in attack { hit[interleaved ? 2 * i : i] = 1 }
        let ws = CascadeWorkspace(graph: g)
        hit.withUnsafeBufferPointer { h in
            StaticCascade(graph: g).run(
                assetHit: h, linkHit: UnsafeBufferPointer(start: nil, count: 0),
                rowPresent: UnsafeBufferPointer(start: nil, count: 0), workspace: ws,
                allRowsPresent: true, noLinkHit: true)
        }
        return (0..<n).filter { ws.alive[interleaved ? 2 * $0 : $0] != 0 }
    }

    @Test func identityTablesAreLeftOut() {
        let g = CompiledGraph(Self.input(n: 500, interleaved: false, shuffledRows: false, extraGroup: false, linkNumbers: false))
        #expect(g.checkInvariants().isEmpty)
        #expect(g.sectorTable.isEmpty && g.sectorAssetTable.isEmpty && g.idRankTable.isEmpty)
        #expect(g.reqConsumerTable.isEmpty && g.reqStart.isEmpty && g.reqNeed.isEmpty && g.reqRowTable.isEmpty)
        #expect(g.providerReqStart.isEmpty && g.providerRow.isEmpty && g.outLink.isEmpty)
        #expect(g.requirementCount == 1000 && g.sector(499) == 0 && g.sector(500) == 1)
    }

    @Test func tablesAreKeptWhenNeeded() {
        let g = CompiledGraph(Self.input(n: 500, interleaved: true, shuffledRows: true, extraGroup: true, linkNumbers: true))
        #expect(g.checkInvariants().isEmpty)
        #expect(!g.sectorTable.isEmpty && !g.sectorAssetTable.isEmpty && !g.reqRowTable.isEmpty)
        #expect(!g.reqStart.isEmpty && !g.reqNeed.isEmpty && !g.providerReqStart.isEmpty && !g.outLink.isEmpty)
        #expect(g.sector(0) == 0 && g.sector(1) == 1)
        let r = g.requirements(of: 0)
        #expect(r.count == 2)
        #expect(r.map { g.slots($0).count }.sorted() == [1, 3])
        #expect(r.map { g.need($0) }.sorted() == [1, 2])
    }

    /// Compact and full forms of the same system give the same survivors for 30 random attacks
    /// at p = 0.55…0.85 kept (near and above the collapse of this k = 4 system).
    @Test func compactAndFullFormsAgree() {
        let n = 2000
        let compact = CompiledGraph(Self.input(n: n, interleaved: false, shuffledRows: false, extraGroup: false, linkNumbers: false))
        let full = CompiledGraph(Self.input(n: n, interleaved: true, shuffledRows: true, extraGroup: false, linkNumbers: true))
        #expect(compact.reqRowTable.isEmpty && !full.reqRowTable.isEmpty && !full.sectorTable.isEmpty)
        var x: UInt64 = 99
        var collapsed = 0, survived = 0
        for t in 0..<30 {
            let keep = 0.55 + 0.01 * Double(t)
            var attack: [Int] = []
            for i in 0..<n {
                x = x &* 6364136223846793005 &+ 1442695040888963407
                if Double(x >> 11) / Double(1 << 53) >= keep { attack.append(i) }
            }
            let s1 = Self.survivors(compact, n: n, interleaved: false, attack: attack)
            let s2 = Self.survivors(full, n: n, interleaved: true, attack: attack)
            #expect(s1 == s2, "attack \(t)")
            if s1.count < n / 10 { collapsed += 1 } else { survived += 1 }
        }
        // both regimes were exercised
        #expect(collapsed > 0 && survived > 0)
    }
}
