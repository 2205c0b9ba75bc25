import Cascade
import Engines
import Foundation
import Hazards
import InfraGraph
import InfraModel
import Mitigations
import ModelIO
import Rankings
import Simulation
import Stochastics
import TestSupport
import Testing

/// Rankings against hand counts and brute force (docs/specification.md section 6).
@Suite struct RankingsTests {
    static let repo = Repository.root

    static func load(_ rel: String) throws -> Scenario {
        let path = repo.appendingPathComponent(rel).path
        return try ScenarioLoader.load(path: path, defaultFragility: FragilityLoader.locateDefault(scenarioPath: path)).scenario
    }

    /// A scenario written to a temporary folder.
    static func scenario(assets: String, links: String? = nil, deps: String? = nil, events: String, extra: String = "") throws -> Scenario {
        let dir = TemporaryFolder.url("rank")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        var net = "name: t\nassets: assets.csv\n"
        try assets.write(to: dir.appendingPathComponent("assets.csv"), atomically: true, encoding: .utf8)
        if let links { net += "links: links.csv\n"; try links.write(to: dir.appendingPathComponent("links.csv"), atomically: true, encoding: .utf8) }
        if let deps {
            net += "dependencies: dependencies.csv\n";
            try deps.write(to: dir.appendingPathComponent("dependencies.csv"), atomically: true, encoding: .utf8)
        }
        try net.write(to: dir.appendingPathComponent("network.yaml"), atomically: true, encoding: .utf8)
        let yaml = "name: t\nnetwork: network.yaml\nevents:\n\(events)\(extra)"
        let path = dir.appendingPathComponent("s.yaml").path
        try yaml.write(toFile: path, atomically: true, encoding: .utf8)
        return try ScenarioLoader.load(
            path: path, defaultFragility: FragilityLoader.locateDefault(scenarioPath: repo.appendingPathComponent("scenarios/x.yaml").path)
        ).scenario
    }

    static func n1(_ sc: Scenario) -> [String: Double] {
        let g = CompiledGraph(sc.network)
        let w = sc.network.sectors.names.map { sc.weight(sector: $0) }
        let r = N1All.compute(graph: g, population: sc.network.assets.population, weight: w, threads: 2)
        return Dictionary(uniqueKeysWithValues: (0..<g.assetCount).map { (sc.network.assetId(Int32($0)), r.impact[$0]) })
    }

    /// Wheatstone bridge S–A, S–B, A–B, A–T, B–T (scenarios/reference/exact-bridge): only the
    /// source cuts anyone else off. By hand: S 10+20+40 = 70, A 10, B 20, T 40.
    @Test func n1OfABridgeIsTheHandCount() throws {
        let n1 = Self.n1(try Self.load("scenarios/reference/exact-bridge/scenario.yaml"))
        #expect(n1 == ["S": 70, "A": 10, "B": 20, "T": 40])
    }

    /// Two sectors in a chain of mutual dependencies (scenarios/reference/exact-mutual):
    /// power S→P1→P2 (5, 7 people), water W→Q1→Q2 (11, 13); Q1 needs P1, P2 needs Q1, Q2 needs P2.
    /// By hand: S and P1 take P1, P2, Q1, Q2 (36); W and Q1 take Q1, Q2, P2 (31); P2 takes P2, Q2 (20); Q2 13.
    @Test func n1OfATwoSectorChainIsTheHandCount() throws {
        let n1 = Self.n1(try Self.load("scenarios/reference/exact-mutual/scenario.yaml"))
        #expect(n1 == ["S": 36, "P1": 36, "P2": 20, "W": 31, "Q1": 31, "Q2": 13])
    }

    /// The leaf and dominator shortcuts agree with a full cascade for every asset of the shipped
    /// municipality (4,077 assets, sources sectors with meshes, dependency chains).
    @Test func n1ShortcutsEqualFullCascades() throws {
        let sc = try Self.load("scenarios/riverside-windstorm.yaml")
        let g = CompiledGraph(sc.network)
        let w = sc.network.sectors.names.map { sc.weight(sector: $0) }
        let fast = N1All.compute(graph: g, population: sc.network.assets.population, weight: w, threads: 2)
        var probe = N1Impact(graph: g, population: sc.network.assets.population, weight: w)
        for a in 0..<g.assetCount {
            #expect(fast.impact[a] == probe.asset(a), "\(sc.network.assetId(Int32(a)))")
        }
        let shortcuts = g.assetCount - fast.cascades
        #expect(shortcuts > 500) // the shortcuts did work
    }

    /// rrw recomputes only the samples in which the asset was hit; brute force recomputes every
    /// sample with the asset undamageable. Series S–A–B–C, A and B each out with probability 0.5,
    /// C (1 person) loses supply when A or B is out: the two agree exactly, and both are close to
    /// the exact expectation: rrw(A) = P(A out and B not) · 1 = 0.25.
    @Test func rrwEqualsBruteForceAndEnumeration() throws {
        var sc = try Self.load("scenarios/reference/series-probabilistic/scenario.yaml")
        sc.simulation.samples = 4000
        let g = CompiledGraph(sc.network)
        let plan = try HazardPlan(scenario: sc, graph: g)
        let mc = MonteCarlo(scenario: sc, graph: g, plan: plan)
        let base = mc.run(samples: 4000, threads: 2)
        let r = Rankings.compute(scenario: sc, graph: g, result: base, runner: mc, threads: 2)
        guard case .asset(let a)? = sc.network.element("A") else { Issue.record("A"); return }
        // brute force: every sample, A's damage removed
        var damage = plan.makeDamage()
        let stream = RandomStream(seed: 0, index: 0)
        let cascade = StaticCascadeProbe(graph: g)
        var sum = 0.0
        for i in 0..<4000 {
            plan.sample(i, seed: sc.simulation.seed, stream: stream, into: &damage)
            damage.asset[Int(a)] = 0
            sum += base.loss[i] - cascade.loss(damage.asset, population: sc.network.assets.population)
        }
        #expect(r.rrw[Int(a)] == sum / 4000)
        // exact: 0.25, standard error sqrt(0.25 · 0.75 / 4000) ≈ 0.0068
        #expect(abs(r.rrw[Int(a)] - 0.25) < 4 * 0.0069)
    }

    /// Two owners: X's clinic (100 people) needs Y's substation, which an outage takes out in
    /// every sample; Y's own feeder (5 people) needs nothing of X. By hand: with Y's assets
    /// undamageable X loses nothing, so expected_loss(X ← Y) = 100; expected_loss(Y ← X) = 0.
    @Test func coordinationOfTwoOwnersIsTheHandValue() throws {
        let sc = try Self.scenario(
            assets: "id,sector,kind,owner,population\nCLINIC,health,clinic,X,100\nSUB,power,substation,Y,0\nFEED,power,feeder,Y,5\n",
            deps: "consumer,provider\nCLINIC,SUB\nFEED,SUB\n",
            events: "  - type: outage\n    select: {ids: [SUB]}\n", extra: "simulation: {samples: 50, seed: 1}\n")
        let g = CompiledGraph(sc.network)
        let plan = try HazardPlan(scenario: sc, graph: g)
        let mc = MonteCarlo(scenario: sc, graph: g, plan: plan)
        let base = mc.run(samples: 50, threads: 2)
        let r = Rankings.compute(scenario: sc, graph: g, result: base, runner: mc, threads: 2)
        let owners = sc.network.owners.names
        let x = owners.firstIndex(of: "X")!, y = owners.firstIndex(of: "Y")!
        #expect(r.coordination?[x * 2 + y] == 100)
        #expect(r.coordination?[y * 2 + x] == 0)
        // ranks: SUB first (rrw 105), then the rest by p_damage × n1 (0) and id
        let rankOf = Dictionary(uniqueKeysWithValues: (0..<g.assetCount).map { (sc.network.assetId(Int32($0)), r.rank[$0]) })
        #expect(rankOf == ["SUB": 1, "CLINIC": 2, "FEED": 3])
        guard case .asset(let sub)? = sc.network.element("SUB") else { Issue.record("SUB"); return }
        #expect(r.rrw[Int(sub)] == 105)
    }
}

/// A static cascade with every row present and no link hit; returns the loss (weights 1).
struct StaticCascadeProbe {
    let graph: CompiledGraph
    func loss(_ hit: [UInt8], population: [Double]) -> Double {
        let c = StaticCascade(graph: graph)
        let ws = CascadeWorkspace(graph: graph)
        hit.withUnsafeBufferPointer { h in
            c.run(
                assetHit: h, linkHit: UnsafeBufferPointer(start: nil, count: 0), rowPresent: UnsafeBufferPointer(start: nil, count: 0),
                workspace: ws, allRowsPresent: true, noLinkHit: true)
        }
        return (0..<graph.assetCount).reduce(0.0) { $0 + (ws.alive[$1] == 0 ? population[$1] : 0) }
    }
}

/// The incremental supply steps (`IncrementalSources` from the baseline's forest in round 1 and
/// from the previous step's forest later; `IncrementalGiant`) against full searches every step,
/// sample by sample on the shipped scenarios' damage (floods, storms, attacks on a 4,077-asset
/// municipality with sources and giant-component sectors, and its region of two towns), and on
/// every single-asset failure (N-1).
@Suite struct IncrementalSupplyTests {
    @Test(arguments: [
        "scenarios/riverside-flood-100y.yaml", "scenarios/riverside-windstorm.yaml",
        "scenarios/riverside-scada-attack.yaml", "scenarios/region-flood.yaml",
    ])
    func incrementalEqualsFullSearches(_ rel: String) throws {
        let sc = try RankingsTests.load(rel)
        let g = CompiledGraph(sc.network)
        let plan = try HazardPlan(scenario: sc, graph: g)
        let inc = StaticCascade(graph: g, incremental: true), full = StaticCascade(graph: g, incremental: false)
        let wsI = CascadeWorkspace(graph: g), wsF = CascadeWorkspace(graph: g)
        var d = plan.makeDamage()
        let stream = RandomStream(seed: 0, index: 0)
        var differing = 0, killed = 0
        for i in 0..<150 {
            plan.sample(i, seed: 11, stream: stream, into: &d)
            d.asset.withUnsafeBufferPointer { a in
                d.link.withUnsafeBufferPointer { l in
                    d.rowPresent.withUnsafeBufferPointer { r in
                        d.hitLinks.withUnsafeBufferPointer { hl in
                            inc.run(assetHit: a, linkHit: l, rowPresent: r, workspace: wsI, noLinkHit: hl.isEmpty, hitLinks: hl)
                            full.run(assetHit: a, linkHit: l, rowPresent: r, workspace: wsF, noLinkHit: hl.isEmpty, hitLinks: hl)
                        }
                    }
                }
            }
            if !(0..<g.assetCount).allSatisfy({ wsI.alive[$0] == wsF.alive[$0] }) { differing += 1 }
            killed += (0..<g.assetCount).filter { wsF.alive[$0] == 0 }.count
        }
        #expect(differing == 0)
        #expect(killed > 150)
        // N-1 of every asset
        var hit = [UInt8](repeating: 0, count: g.assetCount)
        var n1Differing = 0
        for a in 0..<g.assetCount {
            hit[a] = 1
            hit.withUnsafeBufferPointer { h in
                let none = UnsafeBufferPointer<UInt8>(start: nil, count: 0)
                inc.run(assetHit: h, linkHit: none, rowPresent: none, workspace: wsI, allRowsPresent: true, noLinkHit: true)
                full.run(assetHit: h, linkHit: none, rowPresent: none, workspace: wsF, allRowsPresent: true, noLinkHit: true)
            }
            hit[a] = 0
            if !(0..<g.assetCount).allSatisfy({ wsI.alive[$0] == wsF.alive[$0] }) { n1Differing += 1 }
        }
        #expect(n1Differing == 0)
    }
}

/// Round 1 of a giant-component sector from the baseline giant (`giantFromBaseline`) against a
/// full search, on the 40,000-asset Buldyrev reference model: single failures (N-1) of 400 assets
/// spread over both networks, and attacks of 1–40 random assets.
@Suite struct GiantFromBaselineTests {
    @Test func singleAndSmallAttacksEqualFullSearches() throws {
        let sc = try RankingsTests.load("scenarios/reference/buldyrev-p065/scenario.yaml")
        let g = CompiledGraph(sc.network)
        let inc = StaticCascade(graph: g, incremental: true), full = StaticCascade(graph: g, incremental: false)
        let wsI = CascadeWorkspace(graph: g), wsF = CascadeWorkspace(graph: g)
        var hit = [UInt8](repeating: 0, count: g.assetCount)
        var x: UInt64 = 17
        func next(_ m: Int) -> Int { x = x &* 6364136223846793005 &+ 1442695040888963407; return Int((x >> 33) % UInt64(m)) }
        var differing = 0
        for t in 0..<500 {
            let picks = t < 400 ? [t * (g.assetCount / 400)] : (0..<(1 + next(40))).map { _ in next(g.assetCount) }
            for a in picks { hit[a] = 1 }
            hit.withUnsafeBufferPointer { h in
                let none = UnsafeBufferPointer<UInt8>(start: nil, count: 0)
                inc.run(assetHit: h, linkHit: none, rowPresent: none, workspace: wsI, allRowsPresent: true, noLinkHit: true)
                full.run(assetHit: h, linkHit: none, rowPresent: none, workspace: wsF, allRowsPresent: true, noLinkHit: true)
            }
            for a in picks { hit[a] = 0 }
            if !(0..<g.assetCount).allSatisfy({ wsI.alive[$0] == wsF.alive[$0] }) { differing += 1 }
        }
        #expect(differing == 0)
        #expect(inc.incremental && wsI.incrementalSteps > 400)
    }
}

/// A difference below the run's resolution is rounding, not a finding.
@Suite struct ResolutionTests {
    /// The timed flood's counterfactual runs split the people-hours integral at other event times,
    /// so owners whose loss no counterfactual changes used to get ±10^-9 people-hours (stop 19:
    /// `coordination.csv` held -9.31e-10 and 1.86e-9). Every figure is now 0 or at least one
    /// people-hour: no owner pair exists because of rounding.
    @Test func timedCoordinationHasNoRoundingNoise() throws {
        var sc = try RankingsTests.load("scenarios/riverside-flood-100y-timed.yaml")
        sc.simulation.samples = 16
        sc.mitigations = []
        let p = try PreparedScenario(sc)
        let (base, runner) = p.run(threads: 2)
        let r = Rankings.compute(scenario: sc, graph: p.graph, result: base, runner: runner, threads: 2, candidates: 8)
        let m = try #require(r.coordination)
        #expect(m.contains { $0 != 0 }, "the flood makes owners depend on each other")
        let noise = m.filter { $0 != 0 && abs($0) < 1 }
        #expect(noise.isEmpty, "figures below one people-hour: \(noise)")
        let rrw = r.rrw.filter { !$0.isNaN && $0 != 0 && abs($0) < 1 }
        #expect(rrw.isEmpty, "rrw below one people-hour: \(rrw)")
    }

    /// The static flood's rrw of assets whose protection changes nothing was ±10^-12 people
    /// (sums of the same terms in another order); it is now exactly 0.
    @Test func staticRrwHasNoRoundingNoise() throws {
        var sc = try RankingsTests.load("scenarios/riverside-flood-100y.yaml")
        sc.simulation.samples = 40
        sc.mitigations = []
        let p = try PreparedScenario(sc)
        let (base, runner) = p.run(threads: 2)
        let r = Rankings.compute(scenario: sc, graph: p.graph, result: base, runner: runner, threads: 2)
        let tiny = r.rrw.filter { !$0.isNaN && $0 != 0 && abs($0) < 1e-3 }
        #expect(tiny.isEmpty, "rrw below 10^-3 people: \(tiny)")
    }

    /// The tolerance is 10^-9 of the largest per-sample loss: Σ weight × population, times the
    /// horizon in timed mode (hand values: 2 × 100 + 1 × 5 = 205 people; × 168 h).
    @Test func toleranceIsTheStatedFraction() throws {
        var sc = try RankingsTests.scenario(
            assets: "id,sector,kind,owner,population\nCLINIC,health,clinic,X,100\nFEED,power,feeder,Y,5\n",
            events: "  - type: outage\n    select: {ids: [FEED]}\n", extra: "weights: {health: 2}\n")
        #expect(LossResolution(scenario: sc).tolerance == 1e-9 * 205)
        sc.simulation.mode = .timed
        #expect(LossResolution(scenario: sc).tolerance == 1e-9 * 205 * 168)
        let r = LossResolution(maximumLoss: 1000)
        #expect(r.clean(1e-7) == 0 && r.clean(-1e-6) == 0 && r.clean(2e-6) == 2e-6)
        #expect(r.meanDifference([3, 5], [3 + 1e-9, 4]) == 0.5)
    }

    /// `snapped` puts figures on the decimal grid of the tolerance (maximum loss 1000: tolerance
    /// 10^-6, grid 10^-6): the CI case, 52.5 and 52.50000000000006 (equal effects summed in
    /// another order), become the same double, 52.5, and tie in a ranking; a figure moves by at
    /// most half a step; -0 does not appear; a large tolerance rounds to whole powers of ten.
    @Test func snappedFiguresTie() {
        let r = LossResolution(maximumLoss: 1000)
        #expect(r.snapped(52.50000000000006) == 52.5 && r.snapped(52.5) == 52.5)
        #expect(r.snapped(269.99999999999994) == 270)
        #expect(r.snapped(1.2345674) == 1.234567 && r.snapped(1.2345676) == 1.234568)
        #expect(r.snapped(-1e-8).sign == .plus && r.snapped(-1e-8) == 0)
        #expect(LossResolution(maximumLoss: 5e10).snapped(12_345.6) == 12_350) // tolerance 50: grid 10
        #expect(LossResolution(maximumLoss: 0).snapped(0.1 + 0.2) == 0.1 + 0.2) // no grid
    }
}
