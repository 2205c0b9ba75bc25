import Foundation
import InfraModel
import ResultFiles

/// The hazard footprints of a scenario, kept in the result folder (`footprints.geojson`) so that
/// the report's map can draw them and `kaskada report` can redraw them from the result alone.
///
/// Polygon intensities (`intensity: {geojson: …}`) are written as they were read: one feature
/// per area with its value; a circular footprint (`intensity: {centre, peak, radius_km |
/// decay_km}`) as a Point feature with its radius. Coordinates are the model's (lon, lat in
/// WGS84, or projected metres), so the file is RFC 7946 GeoJSON when the model is geographic.
struct FootprintShape: Equatable {
    var event: String
    /// The GeoJSON property the intensity came from (its name carries the unit, e.g. depth_m).
    var property = ""
    /// Polygons, each its rings (exterior first), in model coordinates; empty for a circle.
    var polygons: [[[Point]]] = []
    /// The intensity of the area, or the peak of a circle.
    var value: Double
    /// A circle's centre and radius in km (the 1/e distance for `decay_km`).
    var centre: Point? = nil
    var radiusKm: Double? = nil

    /// Every polygon's rings, one after another.
    var rings: [[Point]] { polygons.flatMap { $0 } }
}

enum HazardFootprints {
    /// The scenario's polygon and circular hazard footprints (none when the model has no
    /// coordinates): events in scenario order, areas in file order; a circle's radius is its
    /// `radius_km`, else the 1/e distance of `decay_km`.
    static func shapes(_ sc: Scenario) -> [FootprintShape] {
        guard sc.network.coordinates != .none else { return [] }
        var out: [FootprintShape] = []
        for e in sc.events {
            guard case .hazard(let name, let source, _) = e.kind else { continue }
            switch source {
            case .polygons(_, let property, let areas):
                for a in areas {
                    out.append(FootprintShape(event: name, property: property, polygons: a.polygons.map { [$0.exterior] + $0.holes }, value: a.value))
                }
            case .footprint(let centre, let peak, let decay, let radius):
                out.append(FootprintShape(event: name, value: peak, centre: centre, radiusKm: radius ?? decay ?? 0))
            default:
                continue
            }
        }
        return out
    }

    /// `footprints.geojson` of `shapes`, nil when there are none: per area a MultiPolygon
    /// feature with `event`, `property` and `value`; per circle a Point with `event`, `value`
    /// (the peak) and `radius_km`.
    static func geoJSON(_ shapes: [FootprintShape]) -> String? {
        guard !shapes.isEmpty else { return nil }
        let features = shapes.map { s -> GeoJSON.Feature in
            if let centre = s.centre {
                return GeoJSON.Feature(
                    geometry: .point([centre.x, centre.y]),
                    properties: [("event", .text(s.event)), ("value", .number(s.value)), ("radius_km", .number(s.radiusKm ?? 0))],
                    propertiesFirst: true)
            }
            return GeoJSON.Feature(
                geometry: .multiPolygon(s.polygons.map { rings in rings.map { ring in ring.map { [$0.x, $0.y] } } }),
                properties: [("event", .text(s.event)), ("property", .text(s.property)), ("value", .number(s.value))],
                propertiesFirst: true)
        }
        return GeoJSON.featureCollection(features)
    }

    /// The shapes of `footprints.geojson`; problems name the file, line and field.
    static func parse(_ text: String, _ problems: inout DiagnosticBag) -> [FootprintShape] {
        let file = "footprints.geojson"
        let root: JSONValue
        do { root = try JSONReader.parse(text) } catch {
            problems.error(file, line: error.line, error.message)
            return []
        }
        guard let fv = root["features"], case .array(let features) = fv.kind else {
            problems.error(file, line: root.line, field: "features", "expected a FeatureCollection with a 'features' array")
            return []
        }
        func number(_ v: JSONValue?) -> Double? { if let v, case .number(_, let x) = v.kind { return x }; return nil }
        func point(_ v: JSONValue) -> Point? {
            guard case .array(let xy) = v.kind, xy.count >= 2, let x = number(xy[0]), let y = number(xy[1]) else { return nil }
            return Point(x: x, y: y)
        }
        var out: [FootprintShape] = []
        for (k, f) in features.enumerated() {
            let field = "features[\(k)]"
            guard let props = f["properties"], let geometry = f["geometry"], let value = number(props["value"]),
                let ev = props["event"], case .string(let event) = ev.kind,
                let tv = geometry["type"], case .string(let type) = tv.kind, let coords = geometry["coordinates"]
            else {
                problems.error(file, line: f.line, field: field, "expected a feature with properties event and value and a geometry")
                continue
            }
            switch type {
            case "MultiPolygon":
                var polygons: [[[Point]]] = []
                if case .array(let polys) = coords.kind {
                    for poly in polys {
                        guard case .array(let rs) = poly.kind else { continue }
                        var rings: [[Point]] = []
                        for r in rs {
                            guard case .array(let pts) = r.kind else { continue }
                            rings.append(pts.compactMap(point))
                        }
                        polygons.append(rings)
                    }
                }
                var property = ""
                if let pv = props["property"], case .string(let s) = pv.kind { property = s }
                out.append(FootprintShape(event: event, property: property, polygons: polygons, value: value))
            case "Point":
                guard let c = point(coords), let r = number(props["radius_km"]) else {
                    problems.error(file, line: f.line, field: field, "a Point footprint needs coordinates and radius_km"); continue
                }
                out.append(FootprintShape(event: event, value: value, centre: c, radiusKm: r))
            default:
                problems.error(file, line: f.line, field: field + ".geometry.type", "expected MultiPolygon or Point, found \(type)")
            }
        }
        return out
    }

    /// SVG of the footprints with `project` (model coordinates → map pixels) and `kmToPixels`,
    /// clipped to the plot: areas shaded by their value (darker: higher), vertices closer than
    /// half a pixel to the previous one dropped (a detailed outline costs what the map shows).
    static func svg(
        _ shapes: [FootprintShape], project: (Point) -> (Double, Double), kmToPixels: Double,
        clip: (x: Double, y: Double, w: Double, h: Double)
    ) -> String {
        guard !shapes.isEmpty else { return "" }
        let values = shapes.map(\.value)
        let lo = values.min() ?? 0, hi = values.max() ?? 1
        var o =
            "<clipPath id=\"map-clip\"><rect x=\"\(NumberText.coordinate(clip.x))\" y=\"\(NumberText.coordinate(clip.y))\" width=\"\(NumberText.coordinate(clip.w))\" height=\"\(NumberText.coordinate(clip.h))\"/></clipPath>\n"
        o += "<g clip-path=\"url(#map-clip)\" fill=\"#2c7fb8\" stroke=\"#2c7fb8\" stroke-width=\"0.6\">\n"
        for s in shapes {
            let t = hi > lo ? (s.value - lo) / (hi - lo) : 1
            let opacity = NumberText.coordinate(0.08 + 0.22 * t)
            let title = "<title>\(RB.html("\(s.event) footprint: \(NumberText.figure(s.value))"))</title>"
            if let c = s.centre, let r = s.radiusKm {
                let (x, y) = project(c)
                o +=
                    "<circle cx=\"\(NumberText.coordinate(x))\" cy=\"\(NumberText.coordinate(y))\" r=\"\(NumberText.coordinate(r * kmToPixels))\" fill-opacity=\"\(opacity)\" stroke-dasharray=\"4 2\">\(title)</circle>\n"
                continue
            }
            var d = ""
            for ring in s.rings {
                var last: (Double, Double)? = nil
                var part = ""
                for p in ring {
                    let q = project(p)
                    if let l = last, abs(l.0 - q.0) < 0.5 && abs(l.1 - q.1) < 0.5 { continue }
                    part += (part.isEmpty ? "M" : "L") + "\(NumberText.coordinate(q.0)) \(NumberText.coordinate(q.1))"
                    last = q
                }
                if !part.isEmpty { d += part + "Z" }
            }
            if !d.isEmpty { o += "<path d=\"\(d)\" fill-rule=\"evenodd\" fill-opacity=\"\(opacity)\" stroke-opacity=\"0.5\">\(title)</path>\n" }
        }
        return o + "</g>\n"
    }
}
