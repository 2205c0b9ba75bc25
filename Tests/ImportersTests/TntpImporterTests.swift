import Foundation
import Importers
import InfraModel
import ModelIO
import Testing

/// TNTP road networks: Sioux Falls (24 nodes, 76 directed links in the file; TransportationNetworks
/// collection via AequilibraE, scenarios/source-data/transport). Every road of Sioux Falls is listed in
/// both directions, so the model has 38 undirected roads (76 / 2, counted with awk over the file).
@Suite struct TntpImporterTests {
    let net = ImportFixtures.real("transport/sioux_falls_net.tntp")
    let geo = ImportFixtures.real("transport/sioux_falls.geojson")

    @Test func siouxFallsBothDirectionsBecomeOneUndirectedRoad() throws {
        let m = try TntpImporter.read(ImportInput(path: net), options: ImportOptions(), lengthUnit: nil)
        #expect(m.assets.count == 24)
        #expect(m.links.count == 38)
        #expect(m.links.allSatisfy { !$0.directed })
        #expect(m.links.first?.id == "road:1-2")
        #expect(m.supply == "giant-component")
        // without a unit or coordinates the lengths are left out, with a warning
        #expect(m.links.allSatisfy { $0.lengthKm == nil })
        #expect(m.warnings.contains { $0.hasPrefix("road lengths left out") })
    }

    @Test func lengthUnitCheckedAgainstTheCoordinates() throws {
        var o = ImportOptions()
        o.nodesFile = geo
        let m = try TntpImporter.read(ImportInput(path: net), options: o, lengthUnit: nil)
        #expect(m.coordinates == .wgs84)
        // road 1-2 is 4,840.09 in the file; nodes 1 and 2 lie 4.8 km apart (haversine of the GeoJSON points)
        let r12 = try #require(m.links.first { $0.id == "road:1-2" })
        #expect(abs((r12.lengthKm ?? 0) - 4.840086266870737) < 1e-9)
        #expect(m.notes.contains { $0.hasPrefix("road lengths read in m") })
        let p1 = try #require(m.assets[0].point), p2 = try #require(m.assets[1].point)
        #expect(abs(TntpImporter.greatCircleKm(p1, p2) - 4.84) < 0.1)
        // the stated unit wins
        let km = try TntpImporter.read(ImportInput(path: net), options: o, lengthUnit: "km")
        #expect(km.links.first { $0.id == "road:1-2" }?.lengthKm == 4840.086266870737)
    }

    @Test func oneWayRoadsAreDirectedAndBadNodesAreErrors() throws {
        let text = """
            <NUMBER OF ZONES> 1
            <NUMBER OF NODES> 3
            <FIRST THRU NODE> 1
            <NUMBER OF LINKS> 3
            <END OF METADATA>
            ~ init_node term_node capacity length free_flow_time b power speed toll link_type ;
            1 2 100 1.5 1 0.15 4 0 0 1 ;
            2 1 100 1.5 1 0.15 4 0 0 1 ;
            2 3 100 2.0 1 0.15 4 0 0 1 ;
            """
        let m = try TntpImporter.read(ImportInput(path: ImportFixtures.tempFile("t.tntp", text)), options: ImportOptions(), lengthUnit: "km")
        #expect(m.links.map(\.id) == ["road:1-2", "road:2-3"])
        #expect(m.links.map(\.directed) == [false, true])
        #expect(m.links.map(\.line) == [7, 9])
        let bad = ImportFixtures.tempFile("b.tntp", text.replacingOccurrences(of: "2 3 100", with: "2 7 100"))
        do {
            _ = try TntpImporter.read(ImportInput(path: bad), options: ImportOptions(), lengthUnit: nil)
            Issue.record("expected an error")
        } catch {
            #expect(
                error.diagnostics.errors.first?.description
                    == "\(bad):9: error: field 'init_node/term_node': node 7 is outside 1…3 (<NUMBER OF NODES>)")
        }
    }

    /// Found by the tntp fuzz target (Fuzz/fixtures/tntp): a file without roads, and a road of
    /// 92,044 km, each gave a model that its own loader refused (exit 1, "a fault of kaskada
    /// import"); now both are input errors naming the file and line, and a node count above
    /// 10^7 is refused before anything is allocated.
    @Test func noRoadsTooLongARoadAndTooManyNodesAreInputErrors() throws {
        let head =
            "<NUMBER OF ZONES> 1\n<NUMBER OF NODES> 3\n<FIRST THRU NODE> 1\n<NUMBER OF LINKS> 1\n<END OF METADATA>\n"
            + "~ init_node term_node capacity length ;\n"
        func error(_ text: String, unit: String = "km") -> String {
            let p = ImportFixtures.tempFile("f.tntp", text)
            do {
                _ = try ImportFormat.tntp.read(ImportInput(path: p), options: ImportOptions(), lengthUnit: unit)
                return "no error"
            } catch {
                return error.diagnostics.errors.first.map { $0.description.replacingOccurrences(of: p, with: "F") } ?? "empty error"
            }
        }
        #expect(error(head) == "F: error: field 'links': no roads: expected at least one link row (init_node term_node ...) after <END OF METADATA>")
        #expect(
            error(head + "1 2 100 92044.5 ;\n")
                == "F:7: error: field 'road[1-2].length': 92044.5 km is not a length: expected 0 to 40,075 km (the Equator); check the file's length unit"
        )
        #expect(
            error(head.replacingOccurrences(of: "NODES> 3", with: "NODES> 10000001") + "1 2 100 1 ;\n")
                == "F:2: error: field 'NUMBER OF NODES': '10000001' is not a node count: expected an integer from 1 to 10000000")
        #expect(error(head + "1 2 100 1.5 ;\n") == "no error")
    }

    @Test func writtenModelLoadsAndIsByteIdenticalOnASecondImport() throws {
        var o = ImportOptions()
        o.nodesFile = geo
        let input = try ImportInput(path: net)
        let m = try TntpImporter.read(input, options: o, lengthUnit: nil)
        let a = ImportFixtures.tempDir("sf-a"), b = ImportFixtures.tempDir("sf-b")
        defer { for d in [a, b] { try? FileManager.default.removeItem(atPath: d) } }
        let prov = ModelFolderWriter.Provenance(inputName: input.fileName, inputSHA256: input.sha256, options: [:], kaskadaVersion: "t")
        try ModelFolderWriter.write(m, provenance: prov, to: a)
        let m2 = try TntpImporter.read(ImportInput(path: net), options: o, lengthUnit: nil)
        try ModelFolderWriter.write(m2, provenance: prov, to: b)
        for f in ["network.yaml", "assets.csv", "links.csv", "import-ids.csv", "import-report.json"] {
            #expect(FileManager.default.contentsEqual(atPath: a + "/" + f, andPath: b + "/" + f), "\(f)")
        }
        let loaded = try NetworkLoader.load(path: a + "/network.yaml").network
        #expect(loaded.assets.count == 24 && loaded.links.count == 38)
        #expect(componentCount(loaded) == 1)
    }
}

/// Id escaping and the written report (docs/specification.md section 11).
@Suite struct ImportIdsTests {
    @Test func escapingAndCollisions() {
        var ids = ImportIds()
        #expect(ids.make(table: "pump", nativeId: "WellPump#1") == "pump:WellPump_1")
        #expect(ids.make(table: "pump", nativeId: "WellPump@1") == "pump:WellPump_1.2")
        #expect(ids.make(table: "pump", nativeId: "~@Pump-1") == "pump:__Pump-1")
        #expect(ids.make(table: "junction", nativeId: "10") == "junction:10")
        #expect(ids.make(table: "pump", nativeId: "10") == "pump:10")
        #expect(ids.escapes.map(\.reason) == ["escaped", "escaped+renamed", "escaped"])
        #expect(ImportIds.escape("Straße 5") == "Stra_e_5")
    }
}
