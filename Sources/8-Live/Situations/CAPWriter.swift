import Foundation
import InfraModel
import ResultFiles

/// Warnings as one OASIS Common Alerting Protocol 1.2 `<alert>` (namespace
/// `urn:oasis:names:tc:emergency:cap:1.2`): one `<info>` per zone and service, with the zone's
/// area as a polygon — the convex hull (Andrew's monotone chain) of its assets' points, each
/// widened by 0.002° (about 200 m) so that a zone of one asset still has an area. Projected
/// models (x, y metres) give the zone's name only (CAP polygons are WGS 84).
///
/// Level → CAP: `severe` → Severe, `warning` → Moderate, `advisory` → Minor. A service lost now is
/// urgency Immediate, certainty Observed; a forecast one Expected and Likely (p ≥ 0.5) or Possible.
struct CAPWriter {
    let s: Situation
    init(_ s: Situation) { self.s = s }

    static func capTime(_ d: Date) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyy-MM-dd'T'HH:mm:ss"
        return f.string(from: d) + "-00:00"
    }

    static func escape(_ t: String) -> String {
        var o = ""
        for c in t.unicodeScalars {
            switch c {
            case "&": o += "&amp;"
            case "<": o += "&lt;"
            case ">": o += "&gt;"
            case "\"": o += "&quot;"
            default:
                // XML 1.0 allows tab, newline, carriage return and characters from U+0020
                if c.value >= 0x20 || c == "\t" || c == "\n" || c == "\r" { o.unicodeScalars.append(c) }
            }
        }
        return o
    }

    /// The CAP polygon of each zone ("lat,lon lat,lon …", closed), or nil without coordinates.
    func zonePolygons() -> [String: String] {
        var out: [String: String] = [:]
        for z in zoneAreas() { out[z.zone] = z.polygon.map { NumberText.fixed($0[1], 5) + "," + NumberText.fixed($0[0], 5) }.joined(separator: " ") }
        return out
    }

    func zoneAreas() -> [ZoneArea] { s.source.zoneAreas }

    func document(_ warnings: [ZoneWarning], at: Date, sender: String) -> String {
        let polygons = zonePolygons()
        let sent = Self.capTime(at)
        var x = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<alert xmlns=\"urn:oasis:names:tc:emergency:cap:1.2\">\n"
        x += "  <identifier>kaskada.\(Self.escape(s.id)).v\(s.version).\(Int(at.timeIntervalSince1970))</identifier>\n"
        x += "  <sender>\(Self.escape(sender))</sender>\n"
        x += "  <sent>\(sent)</sent>\n  <status>Actual</status>\n  <msgType>Alert</msgType>\n  <scope>Public</scope>\n"
        x += "  <note>\(Self.escape("Kaskada situation \(s.name) (\(s.id)), report \(s.version)"))</note>\n"
        for w in warnings {
            let severity = w.level == "severe" ? "Severe" : w.level == "warning" ? "Moderate" : "Minor"
            let urgency = w.lostNow ? "Immediate" : "Expected"
            let certainty = w.lostNow ? "Observed" : w.pLoss >= 0.5 ? "Likely" : "Possible"
            let hours = w.horizonHours > 0 ? w.horizonHours : 24
            let headline =
                w.lostNow
                ? "\(w.sector) service lost in \(w.zone)"
                : "\(w.sector) service may be lost in \(w.zone) within \(Int(hours)) h"
            var description =
                w.lostNow
                ? "About \(Int(w.peopleAffectedNow)) of \(Int(w.population)) people in \(w.zone) are without \(w.sector) service."
                : "Probability \(NumberText.fixed(w.pLoss, 2)) that at least 5% of the \(Int(w.population)) people of \(w.zone) lose \(w.sector) service within \(Int(hours)) hours."
            if let d = w.meanDurationHours { description += " Expected duration when lost: \(NumberText.fixed(d, 0)) hours." }
            x += "  <info>\n    <language>en</language>\n    <category>Infra</category>\n"
            x += "    <event>\(Self.escape("Loss of \(w.sector) service"))</event>\n"
            x += "    <responseType>\(w.lostNow ? "Execute" : "Prepare")</responseType>\n"
            x += "    <urgency>\(urgency)</urgency>\n    <severity>\(severity)</severity>\n    <certainty>\(certainty)</certainty>\n"
            x += "    <effective>\(sent)</effective>\n    <expires>\(Self.capTime(at.addingTimeInterval(hours * 3600)))</expires>\n"
            x += "    <senderName>\(Self.escape("Regional operations centre (Kaskada)"))</senderName>\n"
            x += "    <headline>\(Self.escape(headline))</headline>\n    <description>\(Self.escape(description))</description>\n"
            x +=
                "    <instruction>\(Self.escape("Follow the instructions of the regional operations centre; keep reserves of water and fuel; check on neighbours who depend on power."))</instruction>\n"
            x += "    <parameter><valueName>kaskada:level</valueName><value>\(w.level)</value></parameter>\n"
            x += "    <parameter><valueName>kaskada:p_loss</valueName><value>\(NumberText.fixed(w.pLoss, 3))</value></parameter>\n"
            x += "    <area>\n      <areaDesc>\(Self.escape(w.zone))</areaDesc>\n"
            if let p = polygons[w.zone] { x += "      <polygon>\(p)</polygon>\n" }
            x += "    </area>\n  </info>\n"
        }
        x += "</alert>\n"
        return x
    }
}
