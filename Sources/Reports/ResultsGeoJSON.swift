import ResultFiles
import InfraModel
import Simulation

/// `results.geojson` (issue 14): the result on a map for GIS (QGIS, ArcGIS), written when the
/// model has `lat`/`lon` coordinates. RFC 7946: WGS84 longitude/latitude, no `crs` member,
/// polygon rings counter-clockwise and closed. One FeatureCollection with, by `layer`:
/// - `asset`: a Point per asset with coordinates and the columns of `assets.csv` (same values);
/// - `link`: a LineString per link whose two ends have coordinates (id, sector, kind, from, to),
///   in id byte order; null geometry when the two ends coincide;
/// - `zone`: per zone the convex hull of its assets (a Polygon; null geometry for fewer than three
///   distinct points) with `p_loss_<sector>`, `warning_<sector>` per sector with people there, and
///   `warning`, the highest of them.
/// The values are the result's (`ResultData`: asset rows, zone warnings); the links and the
/// zones' assets come from the model. O(assets + links + zones × log) time; the text is built whole.
enum ResultsGeoJSON {
    static func text(_ d: ResultData, _ net: Network) -> String {
        var o = "{\"type\":\"FeatureCollection\",\"features\":[\n"
        var first = true
        func feature(_ geometry: String, _ props: [(String, String)]) {
            if !first { o += ",\n" }
            first = false
            o += "{\"type\":\"Feature\",\"geometry\":" + geometry + ",\"properties\":{"
            o += props.map { JSON.string($0.0) + ":" + $0.1 }.joined(separator: ",") + "}}"
        }
        func num(_ x: Double?) -> String { x.map(JSON.number) ?? "null" }
        func point(_ lon: Double, _ lat: Double) -> String { "[" + JSON.number(lon) + "," + JSON.number(lat) + "]" }
        for a in d.assets.inSourceOrder {
            guard let lon = a.x, let lat = a.y else { continue }
            var p: [(String, String)] = [("layer", "\"asset\""), ("id", JSON.string(a.id)), ("sector", JSON.string(a.sector)),
                                         ("kind", JSON.string(a.kind)), ("owner", JSON.string(a.owner)), ("zone", JSON.string(a.zone)),
                                         ("population", JSON.number(a.population)), ("p_damage", JSON.number(a.pDamage)),
                                         ("p_outage", JSON.number(a.pOutage))]
            if d.rankings { p += [("n1_impact", num(a.n1)), ("rrw", num(a.rrw)), ("rank", a.rank.map(String.init) ?? "null")] }
            if d.timed { p += [("mean_outage_hours", num(a.meanOutage)), ("p90_outage_hours", num(a.p90Outage))] }
            feature("{\"type\":\"Point\",\"coordinates\":" + point(lon, lat) + "}", p)
        }
        let c = net.assets.common
        // links in id byte order, as assets: the file never depends on the order of rows in links.csv
        let links = (0..<net.links.count).sorted { net.ids.less(net.links.idIndex[$0], net.links.idIndex[$1]) }
        for l in links {
            let f = Int(net.links.from[l]), t = Int(net.links.to[l])
            guard c.x[f].isFinite, c.y[f].isFinite, c.x[t].isFinite, c.y[t].isFinite else { continue }
            // a link whose ends coincide (a connector at its node, a transformer in one station)
            // has no line: null geometry, as a two-point line of one point is invalid in GIS
            let same = c.x[f] == c.x[t] && c.y[f] == c.y[t]
            feature(same ? "null" : "{\"type\":\"LineString\",\"coordinates\":[" + point(c.x[f], c.y[f]) + "," + point(c.x[t], c.y[t]) + "]}",
                    [("layer", "\"link\""), ("id", JSON.string(net.linkId(Int32(l)))),
                     ("sector", JSON.string(net.sectors.names[Int(net.links.common.sector[l])])),
                     ("kind", JSON.string(net.kinds[net.links.common.kind[l]])),
                     ("from", JSON.string(net.assetId(Int32(f)))), ("to", JSON.string(net.assetId(Int32(t))))])
        }
        if net.zones.count > 0 {
            var points = [[(Double, Double)]](repeating: [], count: net.zones.count)
            for a in 0..<net.assets.count where c.zone[a] >= 0 && c.x[a].isFinite && c.y[a].isFinite {
                points[Int(c.zone[a])].append((c.x[a], c.y[a]))
            }
            let levels = WarningLevel.allCases.map(\.rawValue)
            // the zones' rows of zones.csv (sectors with people there, by name), by zone
            var rowsOf: [String: [ZoneRow]] = [:]
            for r in d.zones ?? [] { rowsOf[r.zone, default: []].append(r) }
            let zones = (0..<net.zones.count).sorted { net.zones.names[$0] < net.zones.names[$1] }
            for z in zones {
                var hull = GeometryMath.convexHull(points[z])
                var geometry = "null"
                if hull.count >= 3 {
                    // RFC 7946 section 3.1.6: exterior rings counter-clockwise (positive signed area)
                    var area = 0.0
                    for i in hull.indices { let j = (i + 1) % hull.count; area += hull[i].0 * hull[j].1 - hull[j].0 * hull[i].1 }
                    if area < 0 { hull.reverse() }
                    geometry = "{\"type\":\"Polygon\",\"coordinates\":[[" + (hull + [hull[0]]).map { point($0.0, $0.1) }.joined(separator: ",") + "]]}"
                }
                var p: [(String, String)] = [("layer", "\"zone\""), ("zone", JSON.string(net.zones.names[z]))]
                var worst = 0
                for r in rowsOf[net.zones.names[z]] ?? [] {
                    worst = max(worst, levels.firstIndex(of: r.warning) ?? 0)
                    p += [("p_loss_" + r.sector, JSON.number(r.pLoss)), ("warning_" + r.sector, JSON.string(r.warning))]
                }
                p.append(("warning", JSON.string(levels[worst])))
                feature(geometry, p)
            }
        }
        o += "\n]}\n"
        return o
    }
}
