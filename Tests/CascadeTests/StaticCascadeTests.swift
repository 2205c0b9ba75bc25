import Cascade
import Foundation
import InfraGraph
import InfraModel
import ModelIO
import TestSupport
import Testing

/// A small model written to a temporary folder, compiled, with a cascade runner by id.
struct Fixture {
    let net: Network
    let graph: CompiledGraph
    let ws: CascadeWorkspace

    init(assets: String, links: String? = nil, deps: String? = nil, sectors: String = "") throws {
        let dir = TemporaryFolder.url("cascade")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        var yaml = "name: t\nassets: assets.csv\n"
        func put(_ name: String, _ text: String) throws {
            try text.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        try put("assets.csv", assets)
        if let links { yaml += "links: links.csv\n"; try put("links.csv", links) }
        if let deps { yaml += "dependencies: dependencies.csv\n"; try put("dependencies.csv", deps) }
        if !sectors.isEmpty { yaml += "sectors:\n" + sectors }
        try put("network.yaml", yaml)
        net = try NetworkLoader.load(path: dir.path).network
        graph = CompiledGraph(net)
        ws = CascadeWorkspace(graph: graph)
    }

    /// Working asset ids after damaging `hit` (asset or link ids), with the rows in `absentRows` (0-based) absent.
    func working(after hit: [String] = [], absentRows: Set<Int> = []) -> Set<String> {
        var a = [UInt8](repeating: 0, count: graph.assetCount), l = [UInt8](repeating: 0, count: graph.linkCount)
        for id in hit {
            switch net.element(id) {
            case .asset(let i)?: a[Int(i)] = 1
            case .link(let i)?: l[Int(i)] = 1
            case nil: Issue.record("unknown id \(id)")
            }
        }
        let rows = (0..<net.dependencies.count).map { UInt8(absentRows.contains($0) ? 0 : 1) }
        a.withUnsafeBufferPointer { ab in
            l.withUnsafeBufferPointer { lb in
                rows.withUnsafeBufferPointer { rb in
                    StaticCascade(graph: graph).run(assetHit: ab, linkHit: lb, rowPresent: rb, workspace: ws)
                }
            }
        }
        return Set((0..<graph.assetCount).filter { ws.alive[$0] != 0 }.map { net.assetId(Int32($0)) })
    }
}

/// Exact small systems computed by hand (docs/specification.md section 2 semantics).
@Suite struct StaticCascadeTests {
    // S - A - B - C in series (undirected), S the source
    static let series = (
        "id,sector,kind,role\nS,p,k,source\nA,p,k,node\nB,p,k,node\nC,p,k,node\n",
        "id,sector,from,to,kind\nl1,p,S,A,l\nl2,p,A,B,l\nl3,p,B,C,l\n"
    )

    @Test func seriesLosesEverythingDownstream() throws {
        let f = try Fixture(assets: Self.series.0, links: Self.series.1)
        #expect(f.working() == ["S", "A", "B", "C"])
        #expect(f.working(after: ["A"]) == ["S"])
        #expect(f.working(after: ["l3"]) == ["S", "A", "B"])
        #expect(f.working(after: ["S"]).isEmpty)
    }

    @Test func parallelPathsSurviveOneFailure() throws {
        // S feeds T through A or B
        let f = try Fixture(
            assets: "id,sector,kind,role\nS,p,k,source\nA,p,k,node\nB,p,k,node\nT,p,k,node\n",
            links: "id,sector,from,to,kind\n1,p,S,A,l\n2,p,S,B,l\n3,p,A,T,l\n4,p,B,T,l\n")
        #expect(f.working(after: ["A"]) == ["S", "B", "T"])
        #expect(f.working(after: ["A", "B"]) == ["S"])
        #expect(f.working(after: ["1", "4"]) == ["S", "B"]) // A only via 1, T only via A or link 4
        #expect(f.working(after: ["1"]) == ["S", "B", "T", "A"]) // A is fed back from T along 3
    }

    @Test func bridgeNetwork() throws {
        // Wheatstone bridge: S-A, S-B, A-B (bridge), A-T, B-T
        let f = try Fixture(
            assets: "id,sector,kind,role\nS,p,k,source\nA,p,k,node\nB,p,k,node\nT,p,k,node\n",
            links: "id,sector,from,to,kind\nsa,p,S,A,l\nsb,p,S,B,l\nab,p,A,B,l\nat,p,A,T,l\nbt,p,B,T,l\n")
        #expect(f.working(after: ["sa", "bt"]) == ["S", "A", "B", "T"]) // S-B-A-T through the bridge
        #expect(f.working(after: ["sa", "bt", "ab"]) == ["S", "B"])
        #expect(f.working(after: ["at", "bt"]) == ["S", "A", "B"])
    }

    @Test func directedLinksCarrySupplyOneWay() throws {
        let f = try Fixture(
            assets: "id,sector,kind,role\nS,p,k,source\nA,p,k,node\nB,p,k,node\n",
            links: "id,sector,from,to,kind,directed\n1,p,S,A,l,true\n2,p,B,A,l,true\n")
        #expect(f.working() == ["S", "A"]) // B is fed by nothing: only A→? links point into A
    }

    @Test func consumerDoesNotRelay() throws {
        // S - C(consumer) - D: D cannot be supplied through C
        let f = try Fixture(
            assets: "id,sector,kind,role\nS,p,k,source\nC,p,k,consumer\nD,p,k,node\n",
            links: "id,sector,from,to,kind\n1,p,S,C,l\n2,p,C,D,l\n")
        #expect(f.working() == ["S", "C"])
    }

    @Test func kOfNRequirement() throws {
        // H needs 2 of its 3 providers P1..P3 (sector q has no links: supplied everywhere)
        let f = try Fixture(
            assets: "id,sector,kind\nH,h,k\nP1,q,k\nP2,q,k\nP3,q,k\n",
            deps: "consumer,provider,need\nH,P1,2\nH,P2,2\nH,P3,2\n",
            sectors: "  h: {supply: none}\n")
        #expect(f.working(after: ["P1"]).contains("H"))
        #expect(!f.working(after: ["P1", "P3"]).contains("H"))
        // with P3's row absent, 2 present providers: both must work
        #expect(!f.working(after: ["P1"], absentRows: [2]).contains("H"))
        // k larger than the providers present means all present: only P2 present (rows 0, 2 absent)
        #expect(f.working(after: ["P1", "P3"], absentRows: [0, 2]).contains("H"))
    }

    @Test func allAndAnyNeeds() throws {
        let f = try Fixture(
            assets: "id,sector,kind\nX,h,k\nY,h,k\nP1,q,k\nP2,q,k\n",
            deps: "consumer,provider,group,need\nX,P1,g,any\nX,P2,g,any\nY,P1,g,all\nY,P2,g,all\n",
            sectors: "  h: {supply: none}\n")
        let w = f.working(after: ["P1"])
        #expect(w.contains("X") && !w.contains("Y"))
    }

    @Test func requirementWithNoPresentProviderIsDropped() throws {
        let f = try Fixture(
            assets: "id,sector,kind\nX,h,k\nP,q,k\n", deps: "consumer,provider\nX,P\n",
            sectors: "  h: {supply: none}\n")
        #expect(!f.working(after: ["P"]).contains("X"))
        #expect(f.working(after: ["P"], absentRows: [0]).contains("X"))
    }

    @Test func twoSectorMutualDependencyCascades() throws {
        // power line S-P1-P2, water line W-Q1-Q2; P2 needs Q1, Q2 needs P2, Q1 needs P1.
        // Damaging P1: P2 unsupplied (round 1 supply), Q1 loses P1 (deps), Q2 loses P2 (deps);
        // round 2: water supply from W: Q1 dead already, Q2 dead. Working: S, W.
        let f = try Fixture(
            assets: "id,sector,kind,role\nS,power,k,source\nP1,power,k,node\nP2,power,k,node\nW,water,k,source\nQ1,water,k,node\nQ2,water,k,node\n",
            links: "id,sector,from,to,kind\na,power,S,P1,l\nb,power,P1,P2,l\nc,water,W,Q1,l\nd,water,Q1,Q2,l\n",
            deps: "consumer,provider\nP2,Q1\nQ2,P2\nQ1,P1\n")
        #expect(f.working() == ["S", "P1", "P2", "W", "Q1", "Q2"])
        #expect(f.working(after: ["P1"]) == ["S", "W"])
        // damaging Q2 only: P2 does not need Q2, nothing else fails
        #expect(f.working(after: ["Q2"]) == ["S", "P1", "P2", "W", "Q1"])
        // damaging the water source: Q1, Q2 unsupplied; P2 loses Q1
        #expect(f.working(after: ["W"]) == ["S", "P1"])
        // rounds, by hand: (1) water supply drops Q1 and Q2, dependencies drop P2 (needs Q1);
        // (2) power supply: P1 still fed by S, nothing more falls, so the cascade stops: 2 rounds
        #expect(f.ws.rounds == 2)
    }

    @Test func giantComponentKeepsTheLargestCluster() throws {
        // road network: a 3-asset cluster and a 2-asset cluster after cutting r3
        let f = try Fixture(
            assets: "id,sector,kind\nA,road,j\nB,road,j\nC,road,j\nD,road,j\nE,road,j\n",
            links: "id,sector,from,to,kind\nr1,road,A,B,r\nr2,road,B,C,r\nr3,road,C,D,r\nr4,road,D,E,r\n",
            sectors: "  road: {supply: giant-component}\n")
        #expect(f.working().count == 5)
        #expect(f.working(after: ["r3"]) == ["A", "B", "C"])
        #expect(f.working(after: ["C"]) == ["A", "B"]) // {A,B} and {D,E} tie: A has the smallest id
    }

    @Test func moreDamageNeverLeavesMoreWorking() throws {
        // property: on a random meshed two-sector model, adding damage only shrinks the working set
        // (seeded, so that a failure can be replayed)
        var rng = SeededGenerator(seed: 20261205)
        var assets = "id,sector,kind,role\n", links = "id,sector,from,to,kind\n", deps = "consumer,provider,group\n"
        let n = 60
        for i in 0..<n { assets += "a\(i),\(i % 2 == 0 ? "p" : "w"),k,\(i < 4 ? "source" : "node")\n" }
        var seen = Set<String>()
        for j in 0..<150 {
            let u = Int.random(in: 0..<n, using: &rng), v = u + 2 * Int.random(in: 1...5, using: &rng)
            if v < n { links += "l\(j),\(u % 2 == 0 ? "p" : "w"),a\(u),a\(v),l\n" }
            let c = Int.random(in: 4..<n, using: &rng), p = Int.random(in: 0..<n, using: &rng)
            if c != p && seen.insert("\(c)-\(p)").inserted { deps += "a\(c),a\(p),g\(p % 2)\n" }
        }
        let f = try Fixture(assets: assets, links: links, deps: deps)
        for _ in 0..<50 {
            let hit = (0..<n).filter { _ in Int.random(in: 0..<10, using: &rng) == 0 }.map { "a\($0)" }
            let more = hit + (0..<n).filter { _ in Int.random(in: 0..<10, using: &rng) == 0 }.map { "a\($0)" }
            let w1 = f.working(after: hit), w2 = f.working(after: more)
            #expect(w2.isSubset(of: w1), "damage \(hit) → \(w1.count) working, more damage → \(w2.count)")
        }
    }
}

/// The incremental giant-component step gives exactly the full step's result.
@Suite struct IncrementalGiantTests {
    /// Two interdependent ER-like networks of n nodes (Buldyrev et al. 2010 structure), random
    /// damage; incremental and full cascades must leave the same working set.
    @Test(arguments: [0.55, 0.62, 0.7, 0.85])
    func incrementalEqualsFull(keep p: Double) throws {
        var rng = SeededGenerator(seed: 0xC0FFEE ^ UInt64(p * 1000))
        let n = 1500
        var assets = "id,sector,kind\n", links = "id,sector,from,to,kind\n", deps = "consumer,provider\n"
        for s in ["a", "b"] { for i in 0..<n { assets += "\(s)\(i),\(s),node\n" } }
        var e = 0
        for s in ["a", "b"] {
            for _ in 0..<(2 * n) {
                let u = Int(rng.next() % UInt64(n)), v = Int(rng.next() % UInt64(n))
                if u != v { links += "\(s)e\(e),\(s),\(s)\(u),\(s)\(v),edge\n"; e += 1 }
            }
        }
        for i in 0..<n { deps += "a\(i),b\(i)\nb\(i),a\(i)\n" }
        let f = try Fixture(
            assets: assets, links: links, deps: deps,
            sectors: "  a: {supply: giant-component}\n  b: {supply: giant-component}\n")
        let full = StaticCascade(graph: f.graph, incremental: false), inc = StaticCascade(graph: f.graph, incremental: true)
        let wsFull = CascadeWorkspace(graph: f.graph), wsInc = CascadeWorkspace(graph: f.graph)
        let none = [UInt8](repeating: 0, count: f.graph.linkCount)
        let rows = [UInt8](repeating: 1, count: f.net.dependencies.count)
        for _ in 0..<40 {
            var hit = [UInt8](repeating: 0, count: f.graph.assetCount)
            for a in 0..<f.graph.assetCount where f.net.assets.common.sector[a] == f.net.sectors.code("a")! {
                if Double(rng.next() >> 11) * 0x1p-53 >= p { hit[a] = 1 }
            }
            hit.withUnsafeBufferPointer { h in
                none.withUnsafeBufferPointer { l in
                    rows.withUnsafeBufferPointer { r in
                        // the plain path (full searches, counters from the rows, link checks, every supply
                        // step computed) against every shortcut (incremental steps, precomputed counters,
                        // no link reads, baseline supply of untouched sectors)
                        full.run(assetHit: h, linkHit: l, rowPresent: r, workspace: wsFull)
                        inc.run(assetHit: h, linkHit: l, rowPresent: r, workspace: wsInc, allRowsPresent: true, noLinkHit: true)
                    }
                }
            }
            #expect(Array(wsFull.alive) == Array(wsInc.alive), "p = \(p): incremental and full cascades differ")
        }
        #expect(wsInc.incrementalSteps > 0, "the incremental path was never taken")
        #expect(wsFull.incrementalSteps == 0)
    }
}
