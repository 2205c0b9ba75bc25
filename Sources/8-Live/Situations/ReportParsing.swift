import Foundation
import InfraModel

/// Strict JSON bodies of the service: every key known, every value of the expected type and range.
public enum StrictJSON {
    /// The object of `body`, or a problem saying what was expected.
    static func object(_ body: Data) throws(RequestError) -> [String: Any] {
        guard !body.isEmpty else { throw RequestError(field: "", "the body is empty: expected a JSON object") }
        let v: Any
        do { v = try JSONSerialization.jsonObject(with: body, options: []) } catch {
            throw RequestError(field: "", "the body is not valid JSON: expected a JSON object")
        }
        guard let o = v as? [String: Any] else { throw RequestError(field: "", "expected a JSON object") }
        return o
    }

    /// An ISO 8601 date-time with a time zone (`2026-12-05T10:00:00Z`, fractional seconds allowed).
    public static func date(_ s: String) -> Date? {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        if let d = f.date(from: s) { return d }
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f.date(from: s)
    }

    /// A finite number (not a boolean: Foundation reads `true` as a number whose type is `c`).
    static func number(_ v: Any) -> Double? {
        guard let n = v as? NSNumber, String(cString: n.objCType) != "c" else { return nil }
        let d = n.doubleValue
        return d.isFinite ? d : nil
    }
}

/// Problems of one request body in InfraModel's `DiagnosticBag`: the body is one file (no name,
/// no lines), so at most `DiagnosticBag.limit` (50) are kept, in the order found.
extension DiagnosticBag {
    /// Records a problem of the body's `field`.
    mutating func add(_ field: String, _ message: String) { error("", line: 0, field: field, message) }
    /// Throws the problems kept, in the order found, when there is any.
    func throwIfAny() throws(RequestError) {
        if hasErrors { throw RequestError(errors.map { Problem(field: $0.field, $0.message) }) }
    }
}

extension FieldReport {
    static let keys: [ReportKind: Set<String>] = [
        .damaged: ["type", "ids", "time", "duration_hours", "note"],
        .out: ["type", "ids", "time", "duration_hours", "note"],
        .restored: ["type", "ids", "time", "note"],
        .hazard: ["type", "hazard", "areas", "footprint", "scale", "time", "note"],
        .retract: ["type", "report", "time", "note"],
    ]
    /// Most ids one report may name.
    public static let maxIds = 10_000
    /// Longest report duration: a year of hours.
    public static let maxDurationHours = 8760.0

    /// Parses a report body (a JSON object; DESIGN of the service in docs/serve-api.md). Unknown
    /// keys, keys of another report type, wrong types and out-of-range values are problems.
    public static func parse(_ body: Data) throws(RequestError) -> FieldReport {
        let o = try StrictJSON.object(body)
        var p = DiagnosticBag()
        guard let t = o["type"] as? String, let kind = ReportKind(rawValue: t) else {
            throw RequestError(field: "type", "expected one of " + ReportKind.allCases.map(\.rawValue).joined(separator: ", "))
        }
        var r = FieldReport(type: kind)
        let allowed = keys[kind]!
        for k in o.keys.sorted() where !allowed.contains(k) {
            p.add(k, "unknown key for a '\(t)' report: expected one of " + allowed.sorted().joined(separator: ", "))
        }
        if let v = o["time"] {
            if let s = v as? String, let d = StrictJSON.date(s) {
                r.time = d
            } else {
                p.add("time", "expected an ISO 8601 date-time with a time zone, e.g. 2026-12-05T10:00:00Z")
            }
        }
        if let v = o["note"] {
            if let s = v as? String, s.count <= 2000 { r.note = s } else { p.add("note", "expected a string of at most 2000 characters") }
        }
        if allowed.contains("ids") {
            if let v = o["ids"] {
                if let a = v as? [Any], !a.isEmpty, a.count <= maxIds {
                    var ids: [String] = []
                    for (i, x) in a.enumerated() {
                        if let s = x as? String, !s.isEmpty { ids.append(s) } else { p.add("ids[\(i)]", "expected an asset or link id (a string)") }
                    }
                    r.ids = ids
                } else {
                    p.add("ids", "expected a list of 1 to \(maxIds) asset or link ids")
                }
            } else {
                p.add("ids", "required for a '\(t)' report: the assets or links it is about")
            }
        }
        if allowed.contains("duration_hours"), let v = o["duration_hours"] {
            if let d = StrictJSON.number(v), d > 0, d <= maxDurationHours {
                r.durationHours = d
            } else {
                p.add("duration_hours", "expected a number of hours > 0 and ≤ \(Int(maxDurationHours))")
            }
        }
        if kind == .hazard {
            if let v = o["hazard"] as? String, v.range(of: "^[a-z][a-z0-9_]*$", options: .regularExpression) != nil {
                r.hazard = v
            } else if o["hazard"] != nil {
                p.add("hazard", "expected a hazard name in lowercase, e.g. flood")
            }
            if let v = o["areas"] {
                if let a = v as? [Any], !a.isEmpty, a.count <= 1000 {
                    var areas: [ReportArea] = []
                    for (i, x) in a.enumerated() {
                        if let area = parseArea(x, "areas[\(i)]", &p) { areas.append(area) }
                    }
                    r.areas = areas
                } else {
                    p.add("areas", "expected a list of 1 to 1000 areas {polygon, intensity}")
                }
            }
            if let v = o["footprint"] {
                if let s = v as? String, !s.isEmpty {
                    r.footprint = s
                } else if let n = StrictJSON.number(v), n == n.rounded(), n >= 1 {
                    r.footprint = String(Int(n))
                } else {
                    p.add("footprint", "expected a hazard event of the scenario: its number (1-based) or its hazard name")
                }
            }
            if let v = o["scale"] {
                if let d = StrictJSON.number(v), d > 0, d <= 100 { r.scale = d } else { p.add("scale", "expected a factor > 0 and ≤ 100") }
            }
            if o["areas"] == nil && o["footprint"] == nil {
                p.add("areas", "a hazard report needs areas (polygons with intensities) or a footprint of the scenario")
            }
            if o["areas"] != nil && o["footprint"] != nil { p.add("footprint", "give areas or a footprint, not both") }
            if o["scale"] != nil && o["footprint"] == nil { p.add("scale", "scale applies to a footprint only") }
            if o["hazard"] == nil && o["footprint"] == nil { p.add("hazard", "required with areas: the hazard observed, e.g. flood") }
        }
        if kind == .retract {
            if let v = o["report"], let n = StrictJSON.number(v), n == n.rounded(), n >= 1, n < 1e9 {
                r.report = Int(n)
            } else {
                p.add("report", "expected the number of the report to withdraw (an integer ≥ 1)")
            }
        }
        try p.throwIfAny()
        return r
    }

    static func parseArea(_ x: Any, _ field: String, _ p: inout DiagnosticBag) -> ReportArea? {
        guard let o = x as? [String: Any] else { p.add(field, "expected an object {polygon, intensity}"); return nil }
        for k in o.keys.sorted() where k != "polygon" && k != "intensity" { p.add("\(field).\(k)", "unknown key: expected polygon, intensity") }
        var ok = true
        let intensity = o["intensity"].flatMap(StrictJSON.number)
        if intensity == nil || intensity! < 0 { p.add("\(field).intensity", "expected a number ≥ 0"); ok = false }
        var rings: [[[Double]]] = []
        if let rs = o["polygon"] as? [Any], !rs.isEmpty, rs.count <= 100 {
            for (i, r) in rs.enumerated() {
                guard let pts = r as? [Any], pts.count >= 4, pts.count <= 100_000 else {
                    p.add("\(field).polygon[\(i)]", "expected a closed ring of at least 4 positions [x, y]"); ok = false; continue
                }
                var ring: [[Double]] = []
                for (j, q) in pts.enumerated() {
                    if let xy = q as? [Any], xy.count == 2, let a = StrictJSON.number(xy[0]), let b = StrictJSON.number(xy[1]) {
                        ring.append([a, b])
                    } else {
                        p.add("\(field).polygon[\(i)][\(j)]", "expected a position [lon, lat] (or [x, y])"); ok = false; break
                    }
                }
                if ring.count == pts.count && ring.first! != ring.last! {
                    p.add("\(field).polygon[\(i)]", "the ring is not closed: its last position must equal its first"); ok = false
                }
                rings.append(ring)
            }
        } else {
            p.add("\(field).polygon", "expected GeoJSON Polygon coordinates: a list of rings (outer first, then holes)"); ok = false
        }
        return ok ? ReportArea(polygon: rings, intensity: intensity!) : nil
    }
}

extension WhatIfAction {
    /// Parses a what-if body: `action`, `ids`, `hours` (generator), `group` (generator, default
    /// `power`), and the forward settings `samples`, `horizon_hours`, `seed`.
    public static func parse(_ body: Data) throws(RequestError) -> (WhatIfAction, ForwardSettings) {
        let o = try StrictJSON.object(body)
        var p = DiagnosticBag()
        let allowed: Set<String> = ["action", "ids", "hours", "group", "samples", "horizon_hours", "seed"]
        for k in o.keys.sorted() where !allowed.contains(k) { p.add(k, "unknown key: expected one of " + allowed.sorted().joined(separator: ", ")) }
        guard let a = o["action"] as? String, let kind = WhatIfKind(rawValue: a) else {
            throw RequestError(field: "action", "expected one of " + WhatIfKind.allCases.map(\.rawValue).joined(separator: ", "))
        }
        var ids: [String] = []
        if let v = o["ids"] as? [Any], !v.isEmpty, v.count <= FieldReport.maxIds {
            for (i, x) in v.enumerated() {
                if let s = x as? String, !s.isEmpty { ids.append(s) } else { p.add("ids[\(i)]", "expected an id (a string)") }
            }
        } else {
            p.add("ids", "expected a list of 1 to \(FieldReport.maxIds) asset or link ids")
        }
        var action = WhatIfAction(action: kind, ids: ids)
        if kind == .generator {
            if let v = o["hours"], let h = StrictJSON.number(v), h > 0, h <= FieldReport.maxDurationHours {
                action.hours = h
            } else {
                p.add("hours", "a generator needs hours of fuel: a number > 0 and ≤ 8760")
            }
            if let v = o["group"] {
                if let g = v as? String, !g.isEmpty { action.group = g } else { p.add("group", "expected a requirement group, e.g. power") }
            }
        } else {
            if o["hours"] != nil { p.add("hours", "only a generator takes hours") }
            if o["group"] != nil { p.add("group", "only a generator takes a group") }
        }
        var settings = ForwardSettings()
        settings.read(o.mapValues { $0 }, &p)
        try p.throwIfAny()
        return (action, settings)
    }
}

extension ForwardSettings {
    /// Most samples of one forward run.
    public static let maxSamples = 100_000
    /// Longest forward horizon: 90 days.
    public static let maxHorizonHours = 2160.0

    /// Reads `samples`, `horizon_hours` and `seed` from query parameters; other names are problems.
    public static func parse(query: [String: String]) throws(RequestError) -> ForwardSettings {
        var p = DiagnosticBag()
        for k in query.keys.sorted() where !["samples", "horizon_hours", "seed"].contains(k) {
            p.add(k, "unknown parameter: expected samples, horizon_hours, seed (and at)")
        }
        var s = ForwardSettings()
        var values: [String: Any] = [:]
        for (k, v) in query { values[k] = Double(v).map { NSNumber(value: $0) } ?? v }
        s.read(values, &p)
        try p.throwIfAny()
        return s
    }

    mutating func read(_ o: [String: Any], _ p: inout DiagnosticBag) {
        if let v = o["samples"] {
            if let n = StrictJSON.number(v), n == n.rounded(), n >= 1, n <= Double(Self.maxSamples) {
                samples = Int(n)
            } else {
                p.add("samples", "expected an integer from 1 to \(Self.maxSamples)")
            }
        }
        if let v = o["horizon_hours"] {
            if let h = StrictJSON.number(v), h >= 1, h <= Self.maxHorizonHours {
                horizonHours = h
            } else {
                p.add("horizon_hours", "expected hours from 1 to \(Int(Self.maxHorizonHours))")
            }
        }
        if let v = o["seed"] {
            if let n = StrictJSON.number(v), n == n.rounded(), n >= 0, n < 9.007e15 {
                seed = UInt64(n)
            } else {
                p.add("seed", "expected an integer from 0 to 2^53")
            }
        }
    }
}
