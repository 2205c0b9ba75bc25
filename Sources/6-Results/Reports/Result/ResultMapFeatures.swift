import InfraModel
import ResultFiles
import Simulation

/// The result on a map, feature by feature and by layer: what `results.geojson` and
/// `results.gpkg` both write, decided here once. Written when the model has `lat`/`lon`
/// coordinates (WGS 84 longitude/latitude).
/// - `asset`: a Point per asset with coordinates and the columns of `assets.csv` (same values),
///   in `assets.csv`'s order;
/// - `link`: a LineString per link whose two ends have coordinates (id, sector, kind, from, to),
///   in id byte order; no geometry when the two ends coincide;
/// - `zone`: per zone, by name, the convex hull of its assets (a Polygon, counter-clockwise and
///   closed as RFC 7946 section 3.1.6 asks; no geometry for fewer than three distinct points) with
///   `p_loss_<sector>`, `warning_<sector>` per sector with people there, and `warning`, the highest
///   of them.
/// The values are the result's (`ResultData`: asset rows, zone warnings); the links and the zones'
/// assets come from the model. O(assets + links + zones × log) time, one feature at a time.
enum ResultMapFeatures {
    enum Layer: String, CaseIterable {
        case asset, link, zone
        /// The layer's place in the order features come in.
        var rawIndex: Int { Self.allCases.firstIndex(of: self) ?? 0 }
    }
    /// A column's type, for writers that declare columns (GeoPackage).
    enum ColumnType { case text, real, integer }
    /// A feature's geometry in longitude/latitude: an asset's point, a link's segment, a zone's
    /// closed ring (counter-clockwise); each writer encodes it its own way.
    enum Shape {
        case point(Double, Double)
        case segment(Double, Double, Double, Double)
        case ring([(Double, Double)])
    }

    /// The asset layer's columns, in the order of each asset feature's properties.
    static func assetColumns(_ d: ResultData) -> [(String, ColumnType)] {
        var c: [(String, ColumnType)] = [
            ("id", .text), ("sector", .text), ("kind", .text), ("owner", .text), ("zone", .text),
            ("population", .real), ("p_damage", .real), ("p_outage", .real),
        ]
        if d.rankings { c += [("n1_impact", .real), ("rrw", .real), ("rank", .integer)] }
        if d.timed { c += [("mean_outage_hours", .real), ("p90_outage_hours", .real)] }
        return c
    }

    /// The link layer's columns.
    static let linkColumns: [(String, ColumnType)] = [("id", .text), ("sector", .text), ("kind", .text), ("from", .text), ("to", .text)]

    /// The zone layer's columns: `zone`, `p_loss_<sector>` and `warning_<sector>` for every sector
    /// that has people in some zone (in `zones.csv`'s order), then `warning`. A zone feature carries
    /// its own sectors only.
    static func zoneColumns(_ d: ResultData) -> [(String, ColumnType)] {
        var seen = Set<String>(), c: [(String, ColumnType)] = [("zone", .text)]
        for r in d.zones ?? [] where seen.insert(r.sector).inserted {
            c += [("p_loss_" + r.sector, .real), ("warning_" + r.sector, .text)]
        }
        return c + [("warning", .text)]
    }

    /// Calls `body` with each feature: its layer, geometry (nil: none) and properties (without
    /// the layer), assets first, then links, then zones.
    static func forEach(
        _ d: ResultData, _ net: Network, _ body: (Layer, Shape?, [(String, GeoJSON.Value)]) throws -> Void
    ) rethrows {
        for a in d.assets.inSourceOrder {
            guard let lon = a.x, let lat = a.y else { continue }
            var p: [(String, GeoJSON.Value)] = [
                ("id", .text(a.id)), ("sector", .text(a.sector)), ("kind", .text(a.kind)), ("owner", .text(a.owner)),
                ("zone", .text(a.zone)), ("population", .number(a.population)), ("p_damage", .number(a.pDamage)),
                ("p_outage", .number(a.pOutage)),
            ]
            if d.rankings { p += [("n1_impact", .number(a.n1)), ("rrw", .number(a.rrw)), ("rank", a.rank.map { .integer($0) } ?? .null)] }
            if d.timed { p += [("mean_outage_hours", .number(a.meanOutage)), ("p90_outage_hours", .number(a.p90Outage))] }
            try body(.asset, .point(lon, lat), p)
        }
        let c = net.assets.common
        // links in id byte order, as assets: the file never depends on the order of rows in links.csv
        let idLess = { (a: Int, b: Int) in net.ids.less(net.links.idIndex[a], net.links.idIndex[b]) }
        var links = Array(0..<net.links.count)
        // models usually list links in id order: checked in O(links) before a sort
        if !zip(links, links.dropFirst()).allSatisfy(idLess) { links.sort(by: idLess) }
        for l in links {
            let f = Int(net.links.from[l]), t = Int(net.links.to[l])
            guard c.x[f].isFinite, c.y[f].isFinite, c.x[t].isFinite, c.y[t].isFinite else { continue }
            // a link whose ends coincide (a connector at its node, a transformer in one station)
            // has no line: a two-point line of one point is invalid in GIS
            let same = c.x[f] == c.x[t] && c.y[f] == c.y[t]
            try body(
                .link, same ? nil : .segment(c.x[f], c.y[f], c.x[t], c.y[t]),
                [
                    ("id", .text(net.linkId(Int32(l)))), ("sector", .text(net.sectors.names[Int(net.links.common.sector[l])])),
                    ("kind", .text(net.kinds[net.links.common.kind[l]])), ("from", .text(net.assetId(Int32(f)))),
                    ("to", .text(net.assetId(Int32(t)))),
                ])
        }
        guard net.zones.count > 0 else { return }
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
            var geometry: Shape? = nil
            if hull.count >= 3 {
                // exterior rings counter-clockwise (positive signed area)
                var area = 0.0
                for i in hull.indices { let j = (i + 1) % hull.count; area += hull[i].0 * hull[j].1 - hull[j].0 * hull[i].1 }
                if area < 0 { hull.reverse() }
                geometry = .ring(hull + [hull[0]])
            }
            var p: [(String, GeoJSON.Value)] = [("zone", .text(net.zones.names[z]))]
            var worst = 0
            for r in rowsOf[net.zones.names[z]] ?? [] {
                worst = max(worst, levels.firstIndex(of: r.warning) ?? 0)
                p += [("p_loss_" + r.sector, .number(r.pLoss)), ("warning_" + r.sector, .text(r.warning))]
            }
            p.append(("warning", .text(levels[worst])))
            try body(.zone, geometry, p)
        }
    }
}
