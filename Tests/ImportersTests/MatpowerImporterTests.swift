import Foundation
import Importers
import InfraGraph
import InfraModel
import ModelIO
import Simulation
import Testing

/// MATPOWER cases (IEEE 118 and PEGASE 1354 from the MATPOWER distribution, scenarios/source-data).
/// Expected figures: counted from the case files by hand (awk over mpc.bus/gen/branch) and the
/// issue's reference parser (case118: 118 buses, 54 generators, 186 branches of which 11 have a
/// tap ratio, total Pd 4,242 MW; bus 12 feeds the radial bus 117, Pd 47 + 20 MW).
@Suite struct MatpowerImporterTests {
    func importCase(_ rel: String, _ opts: ImportOptions) throws -> ImportedModel {
        try MatpowerImporter.read(ImportInput(path: ImportFixtures.real(rel)), options: opts)
    }

    @Test func case118CountsSourcesAndPopulation() throws {
        var o = ImportOptions()
        o.peoplePerUnit = 1000
        let m = try importCase("power/case118.m", o)
        #expect(m.assets.filter { $0.table == "bus" }.count == 118)
        #expect(m.assets.filter { $0.table == "gen" }.count == 54)
        #expect(m.assets.filter { $0.role == "source" }.count == 54)
        let branches = m.links.filter { $0.table == "branch" }
        #expect(branches.count == 186)
        #expect(branches.filter { $0.kind == "transformer" }.count == 11)
        #expect(m.links.filter { $0.kind == "connector" }.count == 54)
        let pop = m.assets.reduce(0.0) { $0 + $1.population }
        #expect(abs(pop - 4_242_000) < 1e-6)
        #expect(m.assets.first { $0.id == "bus:12" }?.population == 47_000)
        #expect(m.assets.first { $0.id == "bus:12" }?.name == "TwinBrch  V2") // mpc.bus_name row 12
        #expect(m.leftOut.isEmpty)
    }

    @Test func case118WritesAModelThatLoadsAsOneComponentAndBus12Loses67000() throws {
        var o = ImportOptions()
        o.peoplePerUnit = 1000
        let m = try importCase("power/case118.m", o)
        let dir = ImportFixtures.tempDir("m118")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try ModelFolderWriter.write(
            m, provenance: .init(inputName: "case118.m", inputSHA256: "x", options: ["people_per_mw": "1000"], kaskadaVersion: "test"), to: dir)
        let net = try NetworkLoader.load(path: dir + "/network.yaml").network
        #expect(net.assets.count == 172)
        // N-1 of bus 12: itself and the radial bus 117 lose power (47 + 20 MW × 1000 people)
        let lost = n1Impacts(net)["bus:12"] ?? -1
        #expect(abs(lost - 67_000) < 1e-6, "\(lost)")
        #expect(componentCount(net) == 1)
    }

    @Test func pegaseBusNumbersWithGapsNegativeLoadsAndLoadGenerators() throws {
        var o = ImportOptions()
        o.peoplePerUnit = 1000
        let m = try importCase("power/case1354pegase.m", o)
        #expect(m.assets.filter { $0.table == "bus" }.count == 1354)
        #expect(m.assets.contains { $0.id == "bus:9241" } && m.assets.contains { $0.id == "bus:3" })
        #expect(m.links.filter { $0.table == "branch" }.count == 1991)
        // 52 buses with Pd < 0 (counted with Python over mpc.bus) get population 0 and are reported
        #expect(m.warnings.contains { $0.hasPrefix("52 bus(es) with negative load") })
        #expect(m.assets.allSatisfy { $0.population >= 0 })
        // generators with Pg < 0 stand for loads: consumers, not sources, reported
        // of the 260 generators (all in service), 67 have Pg < 0 and 193 are sources (Python count)
        let loadGens = m.assets.filter { $0.table == "gen" && $0.role == "consumer" }
        #expect(loadGens.count == 67)
        #expect(m.assets.filter { $0.role == "source" }.count == 193)
        #expect(m.warnings.contains { $0.contains("generator(s) with negative output stand for loads") })
        #expect(loadGens.allSatisfy { $0.population == 0 })
    }

    @Test func outOfServiceAndIsolatedElementsAreLeftOutAndReported() throws {
        let text = """
            function mpc = tiny
            mpc.version = '2';
            mpc.baseMVA = 100;
            mpc.bus = [
            \t1\t3\t0\t0\t0\t0\t1\t1\t0\t230\t1\t1.1\t0.9;
            \t2\t1\t10\t0\t0\t0\t1\t1\t0\t230\t1\t1.1\t0.9;
            \t5\t4\t7\t0\t0\t0\t1\t1\t0\t20\t1\t1.1\t0.9;   % isolated
            ];
            mpc.gen = [
            \t1\t50\t0\t0\t0\t1\t100\t1\t100\t0;
            \t2\t0\t0\t0\t0\t1\t100\t0\t100\t0;
            ];
            mpc.branch = [
            \t1\t2\t0.01\t0.1\t0\t0\t0\t0\t0\t0\t1\t-360\t360;
            \t1\t2\t0.01\t0.1\t0\t0\t0\t0\t0\t0\t1\t-360\t360;
            \t2\t5\t0.01\t0.1\t0\t0\t0\t0\t0\t0\t1\t-360\t360;
            \t1\t2\t0.01\t0.1\t0\t0\t0\t0\t0.98\t0\t0\t-360\t360;
            ];
            """
        let m = try MatpowerImporter.read(ImportInput(path: ImportFixtures.tempFile("tiny.m", text)), options: ImportOptions())
        #expect(m.assets.map(\.id) == ["bus:1", "bus:2", "gen:1"])
        #expect(m.assets.first { $0.id == "bus:1" }?.kind == "bus_ehv")
        // parallel branches 1 and 2 kept; 3 ends at an isolated bus; 4 is out of service
        #expect(m.links.map(\.id) == ["branch:1", "branch:2", "connector:gen:1"])
        #expect(m.leftOut.map { "\($0.table):\($0.nativeId)@\($0.line)" } == ["bus:5@7", "gen:2@11", "branch:3@16", "branch:4@17"])
        #expect(m.leftOut[1].reason == "out of service (status 0)")
        // no population option: zero, with a warning
        #expect(m.assets.allSatisfy { $0.population == 0 })
        #expect(m.warnings.contains { $0.hasPrefix("no population option") })
    }

    @Test func badInputNamesFileLineAndField() throws {
        let text = "mpc.version = '2';\nmpc.bus = [\n1 3 0 0 0 0 1 1 0 230 1 1.1 0.9;\n2 1 x 0 0 0 1 1 0 230 1 1.1 0.9;\n];\n"
        let p = ImportFixtures.tempFile("bad.m", text)
        do {
            _ = try MatpowerImporter.read(ImportInput(path: p), options: ImportOptions())
            Issue.record("expected an error")
        } catch {
            #expect(error.diagnostics.errors.first?.description == "\(p):4: error: field 'mpc.bus': 'x' is not a number")
        }
        let v1 = ImportFixtures.tempFile("v1.m", "mpc.version = '1';\nmpc.bus = [\n];\n")
        #expect(throws: InputError.self) { try MatpowerImporter.read(ImportInput(path: v1), options: ImportOptions()) }
    }
}

/// n1_impact (docs/specification.md section 6, every sector weight 1) of every asset of a loaded model, by id:
/// the engine's own N-1 computation.
func n1Impacts(_ net: Network) -> [String: Double] {
    let g = CompiledGraph(net)
    let r = N1All.compute(
        graph: g, population: net.assets.population,
        weight: [Double](repeating: 1, count: net.sectors.count), threads: 1)
    var out: [String: Double] = [:]
    for a in 0..<net.assets.count { out[net.assetId(Int32(a))] = r.impact[a] }
    return out
}

/// Number of connected components of the model's assets over its links (direction ignored).
func componentCount(_ net: Network) -> Int {
    var parent = Array(0..<net.assets.count)
    func find(_ x: Int) -> Int { var x = x; while parent[x] != x { parent[x] = parent[parent[x]]; x = parent[x] }; return x }
    for l in 0..<net.links.count {
        let a = find(Int(net.links.from[l])), b = find(Int(net.links.to[l]))
        if a != b { parent[a] = b }
    }
    return (0..<parent.count).filter { find($0) == $0 }.count
}
