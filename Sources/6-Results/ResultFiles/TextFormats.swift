import Foundation

/// The one way Kaskada writes JSON scalars and CSV fields (result files, manifests, shards,
/// imported models), so that every writer gives the same bytes for the same values.
/// Deterministic JSON scalars.
public enum JSON {
    public static func string(_ s: String) -> String {
        var o = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": o += "\\\""
            case "\\": o += "\\\\"
            case "\n": o += "\\n"
            case "\r": o += "\\r"
            case "\t": o += "\\t"
            default:
                if u.value < 0x20 { o += String(format: "\\u%04x", u.value) } else { o.unicodeScalars.append(u) }
            }
        }
        return o + "\""
    }

    /// Shortest round-tripping decimal; integers without a fraction; null for NaN/infinity.
    public static func number(_ x: Double) -> String {
        guard x.isFinite else { return "null" }
        if x == x.rounded() && abs(x) < 1e15 { return String(Int64(x)) }
        return "\(x)"
    }
}

/// CSV quoting.
public enum CSV {
    public static func field(_ s: String) -> String {
        // a byte scan (UTF-8 continuation bytes are never ASCII), not a walk over Characters
        guard s.utf8.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

