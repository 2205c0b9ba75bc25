import Foundation
import Importers
import InfraModel
import ModelIO
import Testing

/// `kaskada import` against the goldens of scripts/import-oracle.py, which reads the same files
/// with the engineers' own tools (matpowercaseframes, pandapower, pandapipes, wntr, networkx) and
/// builds the supply graph independently: counts per table, sources, total population, connected
/// components and n1_impact of selected assets must agree.
@Suite struct ImportGoldenTests {
    static let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Goldens")
    static var goldens: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []).filter { $0.hasSuffix(".json") }.sorted()
    }

    @Test func thereAreGoldens() { #expect(Self.goldens.count >= 3) }

    @Test(arguments: ImportGoldenTests.goldens)
    func importAgreesWithTheOracle(_ name: String) throws {
        let g = try JSONSerialization.jsonObject(with: Data(contentsOf: Self.dir.appendingPathComponent(name))) as? [String: Any] ?? [:]
        let format = try #require(ImportFormat(rawValue: g["format"] as? String ?? ""), "\(name): format not read by kaskada import")
        let opts = g["options"] as? [String: Any] ?? [:]
        var o = ImportOptions()
        o.peoplePerUnit = (opts["people_per_mw"] ?? opts["people_per_unit"]) as? Double
        o.populationTotal = opts["population_total"] as? Double
        o.tanksAsSources = opts["tanks_as_sources"] as? Bool ?? false
        o.crs = opts["crs"] as? String
        let input = try ImportInput(path: ImportFixtures.real(g["file"] as? String ?? ""))
        let m = try format.read(input, options: o, lengthUnit: opts["length_unit"] as? String)
        var assets: [String: Int] = [:], links: [String: Int] = [:]
        for a in m.assets { assets[a.table, default: 0] += 1 }
        for l in m.links { links[l.table, default: 0] += 1 }
        #expect(assets == g["assets_by_table"] as? [String: Int], "\(name)")
        #expect(links == g["links_by_table"] as? [String: Int], "\(name)")
        #expect(m.assets.filter { $0.role == "source" }.count == g["sources"] as? Int, "\(name)")
        let pop = m.assets.reduce(0.0) { $0 + $1.population }, want = g["population_total"] as? Double ?? -1
        #expect(abs(pop - want) <= 1e-9 * max(1, want), "\(name): population \(pop), oracle \(want)")
        let out = ImportFixtures.tempDir("golden-" + name)
        defer { try? FileManager.default.removeItem(atPath: out) }
        try ModelFolderWriter.write(
            m, provenance: .init(inputName: input.fileName, inputSHA256: input.sha256, options: [:], kaskadaVersion: "t"), to: out)
        let net = try NetworkLoader.load(path: out + "/network.yaml").network
        #expect(componentCount(net) == g["components"] as? Int, "\(name)")
        let expected = g["n1_impact"] as? [String: Double] ?? [:]
        if !expected.isEmpty {
            let n1 = n1Impacts(net)
            for (id, v) in expected.sorted(by: { $0.key < $1.key }) {
                let got = try #require(n1[id], "\(name): no asset \(id)")
                #expect(abs(got - v) <= 1e-6 * max(1, abs(v)), "\(name) \(id): n1_impact \(got), oracle \(v)")
            }
        }
    }
}
