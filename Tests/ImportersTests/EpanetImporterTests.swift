import Foundation
import Importers
import InfraModel
import ModelIO
import Testing

/// EPANET files: Net3, Micropolis and Kentucky ky8 (EPyT's copies of the ASCE TF-WDST networks,
/// scenarios/source-data/water). Counts from the files' sections (Net3: 92 junctions, 2 reservoirs,
/// 3 tanks, 117 pipes, 2 pumps); n1_impact of junction 201 (about 4,164.6 people of 10,000, from the
/// issue's reference parser, and 4,164.55 from the WNTR oracle, scripts/import-oracle.py).
@Suite struct EpanetImporterTests {
    func read(_ rel: String, _ o: ImportOptions = ImportOptions()) throws -> ImportedModel {
        try EpanetImporter.read(ImportInput(path: ImportFixtures.real(rel)), options: o)
    }

    @Test func net3CountsPatternsAndClosedLinksOpenedByControls() throws {
        var o = ImportOptions()
        o.populationTotal = 10_000
        let m = try read("water/Net3.inp", o)
        var byTable: [String: Int] = [:]
        for a in m.assets { byTable[a.table, default: 0] += 1 }
        #expect(byTable == ["junction": 92, "reservoir": 2, "tank": 3, "pump": 2])
        #expect(m.assets.filter { $0.role == "source" }.map(\.id) == ["reservoir:River", "reservoir:Lake"])
        #expect(m.assets.contains { $0.id == "junction:10" } && m.assets.contains { $0.id == "pump:10" })
        // pipe 330 ([PIPES] Closed) and pump 10 ([STATUS] Closed) are opened by [CONTROLS]: kept
        #expect(m.leftOut.isEmpty)
        #expect(m.links.contains { $0.id == "pipe:330" })
        #expect(m.links.filter { $0.table == "pump" }.map(\.id) == ["pump:10:in", "pump:10:out", "pump:335:in", "pump:335:out"])
        // patterns hold the real flows: junction 203 has base demand 1 and pattern 5 (mean ≈ 4,511)
        let j203 = try #require(m.assets.first { $0.id == "junction:203" })
        #expect(abs(j203.load - 4511.5) < 1e-9) // pattern 5: 108,276 / 24 multipliers (Python over [PATTERNS])
        let dir = ImportFixtures.tempDir("net3")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try ModelFolderWriter.write(m, provenance: .init(inputName: "Net3.inp", inputSHA256: "x", options: [:], kaskadaVersion: "t"), to: dir)
        let net = try NetworkLoader.load(path: dir + "/network.yaml").network
        let n1 = try #require(n1Impacts(net)["junction:201"])
        #expect(abs(n1 - 4164.6) < 0.1, "\(n1)") // 149.4 would mean base demand without patterns
    }

    @Test func micropolisEscapesIdsAndKeepsPumpsOpenedByClockTimeRules() throws {
        let m = try read("water/MICROPOLIS_v1.inp")
        #expect(m.assets.contains { $0.id == "pump:WellPump_1" })
        #expect(m.escapedIds.contains { $0.nativeId == "WellPump#1" && $0.id == "pump:WellPump_1" })
        // HSP#2 and HSP#3 are Closed in [STATUS]; RULE 1 (IF SYSTEM CLOCKTIME >= 6 AM …) opens them
        #expect(m.assets.contains { $0.id == "pump:HSP_2" } && m.assets.contains { $0.id == "pump:HSP_3" })
        #expect(m.leftOut.isEmpty)
        #expect(m.coordinates == .local)
        let ky8 = try read("water/ky8.inp")
        #expect(ky8.assets.contains { $0.id == "pump:__Pump-1" })
    }

    let small = """
        [TITLE]
        small
        [JUNCTIONS]
        ;ID Elev Demand Pattern
         J1  10   5      P1
         J2  10   2
         J3  10   1
        [RESERVOIRS]
         R1  100
        [PIPES]
         P1  R1  J1  1000  12  100  0  Open
         P2  J1  J2  1000  12  100  0  CV
         P3  J2  J3  1000  12  100  0  Closed
         P4  J1  J3  1000  12  100  0  Closed
        [PUMPS]
         PU1 J2  J3  HEAD 1
        [DEMANDS]
         J2  4   P1
         J2  1
        [STATUS]
         PU1 Closed
        [CONTROLS]
         LINK PU1 OPEN IF NODE J1 BELOW 20
        [RULES]
        RULE 1
        IF TANK T1 LEVEL ABOVE 5
        AND SYSTEM CLOCKTIME >= 6 AM
        THEN PIPE P4 STATUS IS OPEN
        [PATTERNS]
         P1  1  2
         P1  3
        [OPTIONS]
         Units LPS
         Demand Multiplier 2
        [END]
        """

    @Test func smallFileStatusDemandsPumpsAndDirections() throws {
        let m = try EpanetImporter.read(ImportInput(path: ImportFixtures.tempFile("small.inp", small)), options: ImportOptions())
        #expect(m.assets.map(\.id) == ["junction:J1", "junction:J2", "junction:J3", "reservoir:R1", "pump:PU1"])
        // P3 closed and nothing opens it; P4 closed but RULE 1 opens it; PU1 closed but a control opens it
        #expect(m.leftOut.map { "\($0.table):\($0.nativeId)@\($0.line)" } == ["pipe:P3@13"])
        #expect(m.links.map(\.id) == ["pipe:P1", "pipe:P2", "pipe:P4", "pump:PU1:in", "pump:PU1:out"])
        #expect(m.links.map(\.directed) == [false, true, false, true, true])
        #expect(m.links[0].lengthKm == 1.0) // SI units: metres
        // loads (× demand multiplier 2): J1 5 × mean(1, 2, 3) = 10 → 20; J2 from [DEMANDS], which
        // replaces its [JUNCTIONS] demand: 4 × mean(P1) + 1 × 1 (blank pattern, no default, no
        // pattern '1': constant 1) = 9 → 18; J3 1 → 2
        #expect(m.assets[0].load == 20)
        #expect(m.assets[1].load == 18)
        #expect(m.assets[2].load == 2)
    }

    @Test func crlfLineEndsReadTheSame() throws {
        let lf = try EpanetImporter.read(ImportInput(path: ImportFixtures.tempFile("lf.inp", small)), options: ImportOptions())
        let crlf = try EpanetImporter.read(
            ImportInput(path: ImportFixtures.tempFile("crlf.inp", small.replacingOccurrences(of: "\n", with: "\r\n"))),
            options: ImportOptions())
        #expect(crlf.assets.map(\.id) == lf.assets.map(\.id))
        #expect(crlf.links.map(\.id) == lf.links.map(\.id))
        #expect(crlf.leftOut == lf.leftOut)
        #expect(crlf.assets.map(\.load) == lf.assets.map(\.load))
    }

    @Test func badInputNamesLineAndField() throws {
        let bad = ImportFixtures.tempFile("bad.inp", small.replacingOccurrences(of: "P2  J1  J2  1000", with: "P2  J1  J9  1,5"))
        do {
            _ = try EpanetImporter.read(ImportInput(path: bad), options: ImportOptions())
            Issue.record("expected an error")
        } catch {
            #expect(
                error.diagnostics.errors.map(\.description) == [
                    "\(bad):12: error: field '[PIPES] Node2': unknown node 'J9': expected a junction, reservoir or tank"
                ])
        }
        let num = ImportFixtures.tempFile("num.inp", small.replacingOccurrences(of: "P1  R1  J1  1000", with: "P1  R1  J1  1,5"))
        do {
            _ = try EpanetImporter.read(ImportInput(path: num), options: ImportOptions())
            Issue.record("expected an error")
        } catch {
            #expect(error.diagnostics.errors.first?.description == "\(num):11: error: field '[PIPES] Length': '1,5' is not a number")
        }
        let sec = ImportFixtures.tempFile("sec.inp", small.replacingOccurrences(of: "[CONTROLS]", with: "[CONTROL]"))
        #expect(throws: InputError.self) { try EpanetImporter.read(ImportInput(path: sec), options: ImportOptions()) }
    }
}
