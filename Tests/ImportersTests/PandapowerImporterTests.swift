import Foundation
import Importers
import InfraModel
import ModelIO
import Testing

/// pandapower and pandapipes files (pandapower 3.5.6 and pandapipes networks, scenarios/source-data).
/// Expected figures counted with pandapower/pandapipes themselves (pp.from_json, then pandas:
/// len(net.bus), the open switches by element type, Σ p_mw × scaling of the loads in service).
@Suite struct PandapowerImporterTests {
    func read(_ rel: String, _ o: ImportOptions = ImportOptions()) throws -> ImportedModel {
        try PandapowerImporter.read(ImportInput(path: ImportFixtures.real(rel)), options: o)
    }

    @Test func oberrheinIdsFromTheIndexOpenSwitchesAndCoordinates() throws {
        var o = ImportOptions()
        o.peoplePerUnit = 1000
        let m = try read("power/mv_oberrhein.json", o)
        // 179 buses with indices 0…319 (gaps): ids use the index
        #expect(m.assets.filter { $0.table == "bus" }.count == 179)
        #expect(m.assets.contains { $0.id == "bus:319" })
        // 181 lines, 6 of them behind an open switch (line elements 8, 23, 31, 66, 88, 188)
        let behind = m.leftOut.filter { $0.table == "line" && $0.reason.hasPrefix("behind open switch") }
        #expect(behind.map(\.nativeId) == ["8", "23", "31", "66", "88", "188"])
        #expect(m.links.filter { $0.table == "line" }.count == 175)
        #expect(m.links.filter { $0.kind == "line_overhead" }.count + m.links.filter { $0.kind == "line_cable" }.count == 175)
        #expect(m.links.filter { $0.table == "trafo" }.count == 2)
        // two external grids at the 110 kV buses 58 and 318, the sources
        #expect(m.assets.filter { $0.role == "source" }.map(\.id) == ["ext_grid:0", "ext_grid:1"])
        #expect(m.links.filter { $0.kind == "connector" }.map(\.to) == ["bus:58", "bus:318"])
        // Σ p_mw × scaling = 37.116 MW
        #expect(abs(m.assets.reduce(0.0) { $0 + $1.population } - 37_116) < 1e-6)
        // geo cells are GeoJSON points in WGS84 around Offenburg/Oberrhein
        #expect(m.coordinates == .wgs84)
        #expect(m.assets.allSatisfy { a in a.point.map { $0.0 > 48.3 && $0.0 < 48.5 && $0.1 > 7.7 && $0.1 < 8.0 } ?? false })
        #expect(m.notes.contains { $0.hasPrefix("153 static generators") })
    }

    @Test func schutterwaldLowVoltageLoadsAndDuplicateNames() throws {
        var o = ImportOptions()
        o.populationTotal = 7000
        let m = try read("power/lv_schutterwald.json", o)
        #expect(m.assets.filter { $0.table == "bus" }.count == 2940)
        #expect(m.assets.filter { $0.role == "source" }.count == 14) // 14 external grids at the 20 kV side
        // 88 open line switches act on 87 distinct lines (two on one line)
        #expect(m.leftOut.filter { $0.table == "line" }.count == 87)
        #expect(m.links.filter { $0.table == "line" }.count == 3000 - 87)
        #expect(abs(m.assets.reduce(0.0) { $0 + $1.population } - 7000) < 1e-6)
        let dir = ImportFixtures.tempDir("lv")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try ModelFolderWriter.write(m, provenance: .init(inputName: "lv.json", inputSHA256: "x", options: [:], kaskadaVersion: "t"), to: dir)
        let net = try NetworkLoader.load(path: dir + "/network.yaml").network
        #expect(net.assets.count == 2954)
    }

    @Test func smallFileOutOfServiceOpenBusSwitchAndErrors() throws {
        func frame(_ cols: [String], _ index: [Int], _ rows: [String]) -> String {
            let inner =
                "{\"columns\":[" + cols.map { "\"\($0)\"" }.joined(separator: ",") + "],\"index\":\(index),\"data\":[" + rows.joined(separator: ",")
                + "]}"
            let escaped = inner.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            return "{\"_module\": \"pandas.core.frame\", \"_class\": \"DataFrame\", \"_object\": \"\(escaped)\"}"
        }
        let bus = frame(
            ["name", "vn_kv", "in_service", "geo"], [3, 7, 9],
            ["[\"a\",20.0,true,null]", "[\"a\",0.4,true,null]", "[\"c\",0.4,true,null]"])
        let line = frame(["from_bus", "to_bus", "length_km", "type", "in_service"], [0, 1], ["[3,7,0.5,\"ol\",true]", "[7,9,0.1,\"cs\",false]"])
        let sw = frame(["bus", "element", "et", "closed"], [0, 1], ["[7,9,\"b\",false]", "[3,9,\"b\",true]"])
        let ext = frame(["bus", "in_service"], [0], ["[3,true]"])
        let text =
            "{\"_module\": \"pandapower.auxiliary\", \"_class\": \"pandapowerNet\", \"_object\": {\n\"bus\": \(bus),\n\"line\": \(line),\n\"switch\": \(sw),\n\"ext_grid\": \(ext)\n}}\n"
        let p = ImportFixtures.tempFile("small.json", text)
        let m = try PandapowerImporter.read(ImportInput(path: p), options: ImportOptions())
        #expect(m.assets.map(\.id) == ["bus:3", "bus:7", "bus:9", "ext_grid:0"])
        #expect(m.links.map(\.id) == ["line:0", "switch:1", "connector:ext_grid:0"])
        #expect(m.links[0].kind == "line_overhead" && m.links[0].lengthKm == 0.5)
        #expect(m.leftOut.map { "\($0.table):\($0.nativeId) \($0.reason)" } == ["line:1 out of service", "switch:0 open bus-bus switch"])
        // a bad cell names the file, the table's line, the element and the column
        let bad = ImportFixtures.tempFile("bad.json", text.replacingOccurrences(of: "20.0,true", with: "\\\"x\\\",true"))
        do {
            _ = try PandapowerImporter.read(ImportInput(path: bad), options: ImportOptions())
            Issue.record("expected an error")
        } catch {
            #expect(error.diagnostics.errors.first?.description == "\(bad):2: error: field 'bus[3].vn_kv': 'x' is not a number")
        }
        // a pandapipes file given as pandapower
        #expect(throws: InputError.self) {
            try PandapowerImporter.read(ImportInput(path: ImportFixtures.real("gas/gas_net_schutterwald_1bar.json")), options: ImportOptions())
        }
    }
}

/// The Schutterwald gas network (pandapipes): counts from pandapipes (2,559 junctions, 2,559
/// pipes, 1 external grid, 1,506 sinks), and its Gauss–Krüger coordinates converted with the DHDN
/// datum shift.
@Suite struct PandapipesImporterTests {
    let path = ImportFixtures.real("gas/gas_net_schutterwald_1bar.json")

    @Test func countsAndPopulation() throws {
        var o = ImportOptions()
        o.populationTotal = 7000
        let m = try PandapipesImporter.read(ImportInput(path: path), options: o)
        #expect(m.assets.filter { $0.table == "junction" }.count == 2559)
        #expect(m.links.filter { $0.table == "pipe" }.count == 2559)
        #expect(m.assets.filter { $0.role == "source" }.map(\.id) == ["ext_grid:0"])
        #expect(m.links.first { $0.kind == "connector" }?.to == "junction:168")
        #expect(abs(m.assets.reduce(0.0) { $0 + $1.population } - 7000) < 1e-6)
        // no --crs: the x/y stay as they are, with a warning (never guessed)
        #expect(m.coordinates == .local)
        #expect(m.warnings.contains { $0.contains("give --crs") })
    }

    @Test func gaussKruegerWithTheDatumShiftLandsOnTheLowVoltageGrid() throws {
        var o = ImportOptions()
        o.crs = "EPSG:31467"
        let m = try PandapipesImporter.read(ImportInput(path: path), options: o)
        #expect(m.coordinates == .wgs84)
        // within the bounding box of lv_schutterwald's buses (48.448–48.463 N, 7.872–7.902 E), with a margin
        #expect(m.assets.allSatisfy { a in a.point.map { $0.0 > 48.44 && $0.0 < 48.47 && $0.1 > 7.86 && $0.1 < 7.91 } ?? false })
        // junction 0 at (3417460.371, 5369562.073): PROJ's EPSG:31467 → WGS84 against the same
        // projection on the Bessel ellipsoid without the datum shift: about 100–130 m apart
        let withShift = try #require(CoordinateTransform(from: "EPSG:31467").latLon(x: 3417460.371, y: 5369562.073))
        let noShift = try #require(
            CoordinateTransform(from: "+proj=tmerc +lat_0=0 +lon_0=9 +k=1 +x_0=3500000 +y_0=0 +ellps=bessel +units=m +no_defs +type=crs")
                .latLon(x: 3417460.371, y: 5369562.073))
        let d = TntpImporter.greatCircleKm(withShift, noShift) * 1000
        #expect(d > 90 && d < 140, "\(d) m")
        #expect(m.assets[0].point.map { TntpImporter.greatCircleKm($0, withShift) < 1e-6 } == true)
    }
}
