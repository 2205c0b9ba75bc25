import Foundation
import InfraGraph
import InfraModel
import ModelIO
import TestSupport
import Testing

/// Writes a small model to a temporary folder and loads it.
func loadModel(
    assets: String, links: String? = nil, dependencies: String? = nil,
    sectors: String = ""
) throws -> Network {
    let dir = TemporaryFolder.url("graph")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    var yaml = "name: t\nassets: assets.csv\n"
    try assets.write(to: dir.appendingPathComponent("assets.csv"), atomically: true, encoding: .utf8)
    if let links {
        yaml += "links: links.csv\n"
        try links.write(to: dir.appendingPathComponent("links.csv"), atomically: true, encoding: .utf8)
    }
    if let dependencies {
        yaml += "dependencies: dependencies.csv\n"
        try dependencies.write(to: dir.appendingPathComponent("dependencies.csv"), atomically: true, encoding: .utf8)
    }
    if !sectors.isEmpty { yaml += "sectors:\n" + sectors }
    try yaml.write(to: dir.appendingPathComponent("network.yaml"), atomically: true, encoding: .utf8)
    return try NetworkLoader.load(path: dir.path).network
}

@Suite struct CompiledGraphTests {
    /// A source S feeding A (undirected) and B (directed S→B), a consumer C behind A.
    let assets = """
        id,sector,kind,role,population
        S,power,plant,source,0
        A,power,sub,node,10
        B,power,sub,node,20
        C,power,sub,consumer,30
        D,power,sub,node,40
        H,health,hospital,,100
        """
    let links = """
        id,sector,from,to,kind,directed
        l1,power,S,A,line,false
        l2,power,S,B,line,true
        l3,power,A,C,line,false
        l4,power,C,D,line,false
        """

    @Test func csrFollowsLinkDirection() throws {
        let net = try loadModel(assets: assets, links: links, sectors: "  health: {supply: none}\n")
        let g = CompiledGraph(net)
        #expect(g.checkInvariants().isEmpty)
        func out(_ id: String) -> Set<String> {
            guard case .asset(let a)? = net.element(id) else { return [] }
            return Set((Int(g.outStart[Int(a)])..<Int(g.outStart[Int(a) + 1])).map { net.assetId(g.outNeighbour[$0]) })
        }
        #expect(out("S") == ["A", "B"])
        #expect(out("B").isEmpty) // l2 is directed S→B
        #expect(out("A") == ["S", "C"])
        #expect(out("C") == ["A", "D"]) // adjacency lists it; consumers stop relaying in the cascade
        // undirected view has both directions of l2
        guard case .asset(let b)? = net.element("B") else { Issue.record("no B"); return }
        #expect(g.adjStart[Int(b) + 1] - g.adjStart[Int(b)] == 1)
    }

    @Test func suppliedRespectsRolesAndDirection() throws {
        let net = try loadModel(assets: assets, links: links, sectors: "  health: {supply: none}\n")
        let g = CompiledGraph(net)
        let supplied = ModelChecks.suppliedWithNothingDamaged(g)
        let byId = Dictionary(uniqueKeysWithValues: (0..<net.assets.count).map { (net.assetId(Int32($0)), supplied[$0]) })
        // D hangs behind the consumer C, which passes supply on to nobody
        #expect(byId == ["S": true, "A": true, "B": true, "C": true, "D": false, "H": true])
        let summary = ModelSummary(net, graph: g)
        let w = summary.warnings.first { $0.code == "unreachable" }
        #expect(w?.examples == ["D"])
    }

    @Test func requirementsGroupRowsAndReverseIndex() throws {
        let deps = """
            consumer,provider,type,group,need,backup_hours
            H,A,physical,power,any,72
            H,B,physical,power,any,72
            H,D,cyber,it,all,0
            """
        let net = try loadModel(assets: assets, links: links, dependencies: deps, sectors: "  health: {supply: none}\n")
        let g = CompiledGraph(net)
        #expect(g.requirementCount == 2)
        #expect(g.checkInvariants().isEmpty)
        guard case .asset(let h)? = net.element("H"), case .asset(let a)? = net.element("A") else { Issue.record("ids"); return }
        let reqs = Array(g.requirements(of: Int(h)))
        #expect(reqs.count == 2)
        func firstRow(_ r: Int) -> Int { g.row(slot: g.slots(r).lowerBound) }
        let power = reqs.first { net.groups[net.dependencies.group[firstRow($0)]] == "power" }!
        #expect(g.need(power) == 1)
        #expect(net.dependencies.backupHours[firstRow(power)] == 72)
        #expect(g.slots(power).count == 2)
        let it = reqs.first { net.groups[net.dependencies.group[firstRow($0)]] == "it" }!
        // `all` of one provider: the need is clamped to the provider count
        #expect(g.need(it) == 1)
        #expect(g.slots(it).count == 1)
        // reverse index: A serves exactly the power requirement of H
        let served = g.served(Int(a)).map { Int(g.providerReq[$0]) }
        #expect(served == [power])
    }

    @Test func giantComponentTieGoesToSmallestId() throws {
        // two clusters of equal size: {a1,a2} and {b1,b2}; the one holding the smallest id wins
        let net = try loadModel(
            assets: "id,sector,kind\nb1,road,j\nb2,road,j\na2,road,j\na1,road,j\n",
            links: "id,sector,from,to,kind\nr1,road,b1,b2,road\nr2,road,a1,a2,road\n",
            sectors: "  road: {supply: giant-component}\n")
        let g = CompiledGraph(net)
        let supplied = ModelChecks.suppliedWithNothingDamaged(g)
        let on = Set((0..<net.assets.count).filter { supplied[$0] }.map { net.assetId(Int32($0)) })
        // ids in byte order: a1 < a2 < b1 < b2; both clusters have 2 assets
        #expect(on == ["a1", "a2"])
        // the rank of ids follows byte order, not row order
        let ranks = (0..<net.assets.count).map { (net.assetId(Int32($0)), g.idRank($0)) }.sorted { $0.1 < $1.1 }.map(\.0)
        #expect(ranks == ["a1", "a2", "b1", "b2"])
    }

    @Test func dependencyCyclesAreFound() throws {
        let deps = """
            consumer,provider,group
            A,H,health
            H,A,power
            B,D,x
            D,B,y
            C,D,z
            """
        let net = try loadModel(assets: assets, links: links, dependencies: deps, sectors: "  health: {supply: none}\n")
        let g = CompiledGraph(net)
        let cycles = ModelChecks.dependencyCycles(g).map { Set($0.map { net.assetId($0) }) }
        #expect(cycles.count == 2)
        #expect(cycles.contains(["A", "H"]))
        #expect(cycles.contains(["B", "D"]))
    }

    @Test func populationOnTwoLevelsIsFlaggedButFeederChainsAreNot() throws {
        let net = try loadModel(
            assets: """
                id,sector,kind,role,population
                S,power,plant,source,0
                P,power,primary,node,500
                D1,power,dist,node,100
                D2,power,dist,node,100
                """,
            links: "id,sector,from,to,kind\nl1,power,S,P,line\nl2,power,P,D1,line\nl3,power,D1,D2,line\n")
        let summary = ModelSummary(net, graph: CompiledGraph(net))
        let w = summary.warnings.first { $0.code == "population-layers" }
        #expect(w?.examples == ["P"]) // D1 → D2 is one level (same kind)
    }
}
