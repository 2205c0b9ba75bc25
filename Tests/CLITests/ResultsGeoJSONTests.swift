import Foundation
import Testing

/// `results.geojson` of a run on a model with lat/lon (docs/outputs.md), read with Foundation's
/// JSON parser (independent of the writer): RFC 7946 structure, one asset feature per asset with
/// coordinates carrying the values of assets.csv, links as two-point lines, zones as closed
/// counter-clockwise hulls with a warning. CI also checks the file with python3-geojson and shapely
/// (scripts/check-geojson.py).
@Suite struct ResultsGeoJSONTests {
    @Test func floodResultForGIS() throws {
        let out = try RunTests.tempDir()
        defer { try? FileManager.default.removeItem(at: out) }
        let r = try CLI.run(["run", "scenarios/riverside-flood-100y.yaml", "--samples", "40", "--no-mitigations", "--out", out.path, "--quiet"])
        #expect(r.code == 0, "\(r.err)")
        let doc = try RunTests.json(out.appendingPathComponent("results.geojson"))
        #expect(doc["type"] as? String == "FeatureCollection")
        #expect(doc["crs"] == nil)
        let features = doc["features"] as? [[String: Any]] ?? []
        let rows = try RunTests.csvRows(out.appendingPathComponent("assets.csv"))
        var layers: [String: Int] = [:]
        for f in features {
            let p = f["properties"] as? [String: Any] ?? [:]
            let layer = p["layer"] as? String ?? "?"
            layers[layer, default: 0] += 1
            let g = f["geometry"] as? [String: Any]
            switch layer {
            case "asset":
                let c = g?["coordinates"] as? [Double] ?? []
                let row = rows[p["id"] as? String ?? ""]
                #expect(g?["type"] as? String == "Point" && c.count == 2)
                // [lon, lat] order: assets.csv x = lon, y = lat
                #expect(row.flatMap { Double($0["x"] ?? "") } == c.first && row.flatMap { Double($0["y"] ?? "") } == c.last)
                #expect(row.flatMap { Double($0["p_outage"] ?? "") } == p["p_outage"] as? Double)
            case "link":
                let line = g?["coordinates"] as? [[Double]]
                #expect(g?["type"] as? String == "LineString" && line?.count == 2 && line?.first != line?.last)
            case "zone":
                #expect(["none", "advisory", "warning", "severe"].contains(p["warning"] as? String ?? ""))
                if let ring = (g?["coordinates"] as? [[[Double]]])?.first {
                    #expect(ring.first == ring.last && ring.count >= 4)
                    var area = 0.0
                    for k in 0..<(ring.count - 1) { area += ring[k][0] * ring[k + 1][1] - ring[k + 1][0] * ring[k][1] }
                    #expect(area > 0, "exterior ring clockwise")
                }
            default:
                Issue.record("unknown layer \(layer)")
            }
        }
        #expect(layers["asset"] == rows.count)
        #expect((layers["link"] ?? 0) > 0)
        #expect((layers["zone"] ?? 0) == 10) // the Riverside model's zones Z01…Z10
    }
}
