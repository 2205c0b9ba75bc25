import InfraModel
import Yams

/// Reads RFC 7946 GeoJSON polygons (Polygon, MultiPolygon; in a FeatureCollection, a Feature or
/// bare) with one numeric property per feature, for hazard intensity zones.
///
/// Parsed with the YAML composer (JSON is YAML 1.2), so every error has a line and column.
/// Rings must be closed with at least four positions; positions are [lon, lat] within range
/// (or [x, y] metres of the model's projected system when `geographic` is false).
public enum GeoJSONLoader {
    /// Loads the polygons of `path`, each feature's value read from `property`, and the warnings.
    /// - Throws: `InputError` listing every problem found.
    public static func load(path: String, property: String, geographic: Bool = true) throws(InputError) -> (
        areas: [IntensityArea], warnings: [Diagnostic]
    ) {
        let text = try Paths.readText(path)
        var y = YAMLReader(file: path)
        guard let root = y.compose(text) else {
            if !y.bag.hasErrors { y.error(nil, "", "the file is empty: expected a GeoJSON FeatureCollection") }
            throw InputError(y.bag)
        }
        var areas: [IntensityArea] = []
        var foreign = Set<String>()
        /// Keys of a GeoJSON object: known ones returned, foreign members (RFC 7946 §6.1) noted.
        func members(_ n: Node, _ field: String, known: [String]) -> [String: Node]? {
            guard case .mapping(let m) = n else {
                y.error(n, field, "expected a GeoJSON object, found \(YAMLReader.describe(n))"); return nil
            }
            var out: [String: Node] = [:]
            for (k, v) in m {
                guard case .scalar(let ks) = k else { continue }
                if known.contains(ks.string) { out[ks.string] = v } else { foreign.insert(ks.string) }
            }
            return out
        }
        func type(of n: Node, _ field: String) -> String? {
            guard case .mapping(let m) = n else {
                y.error(n, field, "expected a GeoJSON object, found \(YAMLReader.describe(n))"); return nil
            }
            guard let t = m["type"], case .scalar(let s) = t else {
                y.error(n, field + ".type", "missing key 'type'"); return nil
            }
            return s.string
        }
        func feature(_ n: Node, _ field: String) {
            guard let t = type(of: n, field) else { return }
            guard t == "Feature" else {
                if case .mapping(let raw) = n { y.error(raw["type"], field + ".type", "'\(t)' is not a Feature: expected \"type\": \"Feature\"") }
                return
            }
            guard let m = members(n, field, known: ["type", "id", "geometry", "properties", "bbox"]) else { return }
            guard let props = m["properties"], case .mapping(let pm) = props else {
                y.error(n, field + ".properties", "missing properties: expected a map with '\(property)'"); return
            }
            guard let vn = pm[property] else {
                y.error(props, field + ".properties.\(property)", "missing property '\(property)': expected a number"); return
            }
            guard let v = y.number(vn, field + ".properties.\(property)", min: 0, max: Bounds.intensity) else { return }
            guard let g = m["geometry"] else { y.error(n, field + ".geometry", "missing key 'geometry'"); return }
            if let polys = geometry(g, field + ".geometry") { areas.append(IntensityArea(polygons: polys, value: v)) }
        }
        func position(_ n: Node, _ field: String) -> Point? {
            guard case .sequence(let s) = n, s.count >= 2 else {
                y.error(n, field, "expected a position [lon, lat], found \(YAMLReader.describe(n))"); return nil
            }
            guard let lon = y.number(s[0], field + "[0]", min: geographic ? -180 : nil, max: geographic ? 180 : nil),
                let lat = y.number(s[1], field + "[1]", min: geographic ? -90 : nil, max: geographic ? 90 : nil)
            else { return nil }
            return Point(x: lon, y: lat)
        }
        func ring(_ n: Node, _ field: String) -> [Point]? {
            guard let items = y.sequence(n, field) else { return nil }
            var pts: [Point] = []
            for (i, p) in items.enumerated() {
                guard let pt = position(p, "\(field)[\(i)]") else { return nil }
                pts.append(pt)
            }
            guard pts.count >= 4 else {
                y.error(n, field, "a linear ring needs at least 4 positions, found \(pts.count)"); return nil
            }
            guard pts.first == pts.last else {
                y.error(n, field, "the ring is not closed: its first and last positions must be equal"); return nil
            }
            return pts
        }
        func polygon(_ n: Node, _ field: String) -> Polygon? {
            guard let rings = y.sequence(n, field) else { return nil }
            guard !rings.isEmpty else { y.error(n, field, "a polygon needs an exterior ring"); return nil }
            var rs: [[Point]] = []
            for (i, r) in rings.enumerated() {
                guard let pts = ring(r, "\(field)[\(i)]") else { return nil }
                rs.append(pts)
            }
            return Polygon(exterior: rs[0], holes: Array(rs.dropFirst()))
        }
        func geometry(_ n: Node, _ field: String) -> [Polygon]? {
            guard let t = type(of: n, field) else { return nil }
            guard let m = members(n, field, known: ["type", "coordinates", "bbox"]) else { return nil }
            guard let c = m["coordinates"] else { y.error(n, field + ".coordinates", "missing key 'coordinates'"); return nil }
            switch t {
            case "Polygon":
                return polygon(c, field + ".coordinates").map { [$0] }
            case "MultiPolygon":
                guard let items = y.sequence(c, field + ".coordinates") else { return nil }
                var out: [Polygon] = []
                for (i, p) in items.enumerated() {
                    guard let poly = polygon(p, "\(field).coordinates[\(i)]") else { return nil }
                    out.append(poly)
                }
                return out
            default:
                y.error(n, field + ".type", "geometry type '\(t)' is not supported: expected Polygon or MultiPolygon")
                return nil
            }
        }
        if let t = type(of: root, "") {
            switch t {
            case "FeatureCollection":
                if let m = members(root, "", known: ["type", "features", "bbox"]) {
                    if let f = m["features"], let items = y.sequence(f, "features") {
                        for (i, item) in items.enumerated() { feature(item, "features[\(i)]") }
                        if items.isEmpty { y.error(f, "features", "expected at least one feature") }
                    } else if m["features"] == nil {
                        y.error(root, "features", "missing key 'features'")
                    }
                }
            case "Feature": feature(root, "")
            default:
                y.error(
                    root, "type", "'\(t)' is not supported here: expected a FeatureCollection or Feature with polygons and a '\(property)' property")
            }
        }
        if y.bag.hasErrors { throw InputError(y.bag) }
        // a collection's `name` (written by QGIS and GDAL) is a label and harmless: no warning
        foreign.remove("name")
        if !foreign.isEmpty {
            y.warning(nil, "", "foreign members ignored (RFC 7946 section 6.1): \(foreign.sorted().joined(separator: ", "))")
        }
        return (areas, y.bag.warnings)
    }
}
