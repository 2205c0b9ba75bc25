import Foundation
import Importers
import InfraModel
import ModelIO
import TestSupport
import Testing

/// `kaskada couple` rules on two small hand-made models whose distances are worked out by hand:
/// at latitude 48°, 0.01° of longitude is 0.744 km and 0.01° of latitude 1.112 km (haversine,
/// R = 6,371.0088 km).
@Suite struct CouplerTests {
    /// power: S1 at (48.000, 7.000), S2 at (48.000, 7.010), S3 at (48.000, 6.990) — S2 and S3 tie
    /// for a pump at (48.000, 7.000) when S1 is not a provider. water: P1 at S1's place, P2 0.01°
    /// north of S2, P3 far away (49°).
    func folder() throws -> URL {
        let root = TemporaryFolder.url("couple")
        let fm = FileManager.default
        for m in ["pw", "wt"] { try fm.createDirectory(at: root.appendingPathComponent(m), withIntermediateDirectories: true) }
        func w(_ rel: String, _ text: String) throws { try text.write(to: root.appendingPathComponent(rel), atomically: true, encoding: .utf8) }
        try w("pw/network.yaml", "name: pw\nassets: assets.csv\n")
        try w(
            "pw/assets.csv",
            "id,sector,kind,role,lat,lon\nS1,power,substation,source,48.000,7.000\nS2,power,substation,source,48.000,7.010\nS3,power,substation,source,48.000,6.990\n"
        )
        try w("wt/network.yaml", "name: wt\nassets: assets.csv\n")
        try w(
            "wt/assets.csv",
            "id,sector,kind,role,lat,lon,population\nP1,water,pump_station,source,48.000,7.000,10\nP2,water,pump_station,source,48.010,7.010,20\nP3,water,pump_station,source,49.000,7.000,30\nT1,water,tank,node,48.000,7.000,0\n"
        )
        return root
    }

    func write(_ root: URL, _ text: String) throws -> String {
        let p = root.appendingPathComponent("couple.yaml").path
        try text.write(toFile: p, atomically: true, encoding: .utf8)
        return p
    }

    let header = """
        name: town
        include:
          - {path: pw/network.yaml, prefix: "pw/"}
          - {path: wt/network.yaml, prefix: "wt/"}
        couplings:

        """

    @Test func nearestWithinMaxKmTiesAndUnmatched() throws {
        let root = try folder()
        defer { try? FileManager.default.removeItem(at: root) }
        let p = try write(
            root,
            header + """
                  - id: pumps
                    consumers: {model: wt, kind: pump_station}
                    providers: {model: pw, sector: power}
                    nearest: {k: 1, max_km: 2}
                    dependency: {type: physical, need: any, backup_hours: 4}
                  - id: tank-two
                    consumers: {model: wt, kind: tank}
                    providers: {model: pw, sector: power}
                    nearest: {k: 2, max_km: 1}
                    dependency: {group: power2, need: all}

                """)
        let spec = try CouplingLoader.load(path: p)
        let r = try Coupler.couple(spec)
        // P1 sits on S1 (0 km); P2 is 1.112 km north of S2; P3 is ~111 km from every substation
        #expect(r.rows.filter { $0.rule == "pumps" }.map { "\($0.consumer)>\($0.provider)" } == ["wt/P1>pw/S1", "wt/P2>pw/S2"])
        #expect(abs((r.rows[1].distanceKm ?? 0) - 1.112) < 0.002)
        #expect(r.unmatched.map(\.consumer) == ["wt/P3"])
        #expect(r.warnings.contains { $0.hasPrefix("rule 'pumps': 1 consumer(s) with no provider within 2 km: wt/P3") })
        // T1 at S1's place: S1 at 0 km, then S2 and S3 tie at 0.744 km: the smaller id (pw/S2) wins
        #expect(r.rows.filter { $0.rule == "tank-two" }.map(\.provider) == ["pw/S1", "pw/S2"])
        #expect(r.rows.filter { $0.rule == "tank-two" }.allSatisfy { $0.group == "power2" && $0.need == "all" })
        // the written model loads and carries the rows as requirements
        let out = root.appendingPathComponent("out").path
        try Coupler.write(spec, r, inputSHA256: "x", to: out)
        let net = try NetworkLoader.load(path: out + "/network.yaml").network
        #expect(net.assets.count == 7)
        #expect(net.dependencies.count == 4)
        let report = try String(contentsOfFile: out + "/coupling-report.csv", encoding: .utf8)
        #expect(report.contains("pumps,wt/P2,pw/S2,1.1120\npumps,wt/P3,,\ntank-two,"))
    }

    @Test func requiredRuleWithAnUnmatchedConsumerIsAnError() throws {
        let root = try folder()
        defer { try? FileManager.default.removeItem(at: root) }
        let p = try write(
            root,
            header + """
                  - id: pumps
                    consumers: {model: wt, kind: pump_station}
                    providers: {model: pw}
                    nearest: {k: 1, max_km: 2}
                    required: true

                """)
        do {
            _ = try Coupler.couple(CouplingLoader.load(path: p))
            Issue.record("expected an error")
        } catch {
            #expect(
                error.diagnostics.errors.first?.description.contains(
                    "field 'couplings[pumps]': rule 'pumps': 1 consumer(s) with no provider within 2 km: wt/P3 (required: true)") == true,
                "\(error.diagnostics.report())")
        }
    }

    @Test func tableRuleAndBadInput() throws {
        let root = try folder()
        defer { try? FileManager.default.removeItem(at: root) }
        try "consumer,provider,need,backup_hours\nwt/P3,pw/S1,any,8\nwt/P9,pw/S1,,\n".write(
            to: root.appendingPathComponent("listed.csv"), atomically: true, encoding: .utf8)
        let p = try write(root, header + "  - {id: listed, table: listed.csv}\n")
        do {
            _ = try Coupler.couple(CouplingLoader.load(path: p))
            Issue.record("expected an error")
        } catch {
            #expect(
                error.diagnostics.errors.first?.description == root.appendingPathComponent("listed.csv").path
                    + ":3: error: field 'consumer': unknown id 'wt/P9': expected an asset id of an included model, with its prefix")
        }
        try "consumer,provider,need,backup_hours\nwt/P3,pw/S1,any,8\n".write(
            to: root.appendingPathComponent("listed.csv"), atomically: true, encoding: .utf8)
        let r = try Coupler.couple(CouplingLoader.load(path: p))
        #expect(r.rows.map { "\($0.consumer)>\($0.provider):\($0.backupHours)" } == ["wt/P3>pw/S1:8.0"])
        #expect(abs((r.rows[0].distanceKm ?? 0) - 111.19) < 0.05) // 1° of latitude
        // unknown keys and models are errors with line and field
        let bad = try write(root, header + "  - {id: x, consumers: {model: gas}, providers: {model: pw}, nearest: {k: 1, max_km: 1}, colour: red}\n")
        do {
            _ = try CouplingLoader.load(path: bad)
            Issue.record("expected an error")
        } catch {
            let msgs = error.diagnostics.errors.map(\.description)
            #expect(msgs.contains { $0.contains(":6:") && $0.contains("field 'couplings[0].colour': unknown key 'colour'") }, "\(msgs)")
            #expect(
                msgs.contains { $0.contains("field 'couplings[0].consumers.model': 'gas' is not an included model: expected one of pw, wt") },
                "\(msgs)")
        }
    }

    /// The grid search finds exactly what a brute-force search finds: 3,000 providers and 600
    /// consumers at seeded random points over 30 km × 30 km, k = 3 within 0.8 km.
    @Test func nearestEqualsBruteForce() throws {
        var rng = SeededGenerator(seed: 20261205)
        let root = TemporaryFolder.url("couple-bf")
        defer { try? FileManager.default.removeItem(at: root) }
        var pts: [String: [(String, Double, Double)]] = [:]
        for (m, sector, n) in [("pw", "power", 3000), ("wt", "water", 600)] {
            try FileManager.default.createDirectory(at: root.appendingPathComponent(m), withIntermediateDirectories: true)
            try "name: \(m)\nassets: assets.csv\n".write(to: root.appendingPathComponent(m + "/network.yaml"), atomically: true, encoding: .utf8)
            var csv = "id,sector,kind,role,lat,lon\n"
            for i in 0..<n {
                let lat = 48.3 + rng.unit() * 0.27, lon = 7.7 + rng.unit() * 0.4
                let la = (lat * 1e6).rounded() / 1e6, lo = (lon * 1e6).rounded() / 1e6
                pts[m, default: []].append(("\(m.prefix(1))\(i)", la, lo))
                csv += "\(m.prefix(1))\(i),\(sector),k,source,\(la),\(lo)\n"
            }
            try csv.write(to: root.appendingPathComponent(m + "/assets.csv"), atomically: true, encoding: .utf8)
        }
        let p = try write(
            root,
            header + """
                  - id: near
                    consumers: {model: wt}
                    providers: {model: pw}
                    nearest: {k: 3, max_km: 0.8}

                """)
        let r = try Coupler.couple(CouplingLoader.load(path: p))
        var expected: [String] = []
        for (cid, la, lo) in pts["wt"]! {
            let found = pts["pw"]!.map { (TntpImporter.greatCircleKm((la, lo), ($0.1, $0.2)), "pw/" + $0.0) }
                .filter { $0.0 <= 0.8 }
                .sorted { $0.0 != $1.0 ? $0.0 < $1.0 : Array($0.1.utf8).lexicographicallyPrecedes(Array($1.1.utf8)) }
            expected += found.prefix(3).map { "wt/\(cid)>\($0.1)" }
        }
        #expect(r.rows.map { "\($0.consumer)>\($0.provider)" } == expected)
        #expect(expected.count > 600)
    }
}
