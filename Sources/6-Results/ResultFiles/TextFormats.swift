import Foundation

/// The one way Kaskada writes JSON scalars and CSV fields (result files, manifests, shards,
/// imported models), so that every writer gives the same bytes for the same values.
/// Deterministic JSON scalars.
public enum JSON {
    public static func string(_ s: String) -> String {
        var o: [UInt8] = []
        o.reserveCapacity(s.utf8.count + 2)
        appendString(s, to: &o)
        return String(decoding: o, as: UTF8.self)
    }

    /// Shortest round-tripping decimal; integers without a fraction; null for NaN/infinity.
    public static func number(_ x: Double) -> String {
        x.isFinite ? NumberText.exact(x) : "null"
    }

    /// Appends `string(s)`'s UTF-8 bytes (for writers that build bytes, not strings).
    static func appendString(_ s: String, to o: inout [UInt8]) {
        o.append(UInt8(ascii: "\""))
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "\""): o.append(contentsOf: "\\\"".utf8)
            case UInt8(ascii: "\\"): o.append(contentsOf: "\\\\".utf8)
            case UInt8(ascii: "\n"): o.append(contentsOf: "\\n".utf8)
            case UInt8(ascii: "\r"): o.append(contentsOf: "\\r".utf8)
            case UInt8(ascii: "\t"): o.append(contentsOf: "\\t".utf8)
            case ..<0x20:
                o.append(contentsOf: "\\u00".utf8)
                o.append(b >> 4 == 0 ? UInt8(ascii: "0") : UInt8(ascii: "1"))
                o.append(b & 15 < 10 ? UInt8(ascii: "0") + (b & 15) : UInt8(ascii: "a") + (b & 15) - 10)
            default: o.append(b) // bytes of non-ASCII characters pass as they are: UTF-8 in, UTF-8 out
            }
        }
        o.append(UInt8(ascii: "\""))
    }

    /// Appends `number(x)`'s bytes.
    static func appendNumber(_ x: Double, to o: inout [UInt8]) {
        o.append(contentsOf: number(x).utf8)
    }
}

/// The one home of the rules that turn a number into text: each rule once, named for its use.
/// Result files write numbers with `exact` (through `JSON.number`); reports and briefs with
/// `figure`, `grouped`, `whole`, `percent`, `probability` and `coordinate`; console lines and
/// logs with `fixed`, `significant` and `compact`.
public enum NumberText {
    /// Exact and shortest: an integer below 10^15 without a fraction, else Swift's shortest
    /// round-tripping decimal ("nan", "inf" as Swift writes them). For files and error messages.
    public static func exact(_ x: Double) -> String {
        x == x.rounded() && abs(x) < 1e15 ? String(Int64(x)) : "\(x)"
    }

    /// `decimals` decimals, as C's `%.Nf` ("0.125" with 3; "2" with 0).
    public static func fixed(_ x: Double, _ decimals: Int) -> String {
        String(format: "%.\(max(0, decimals))f", x)
    }

    /// `digits` significant digits, as C's `%.Ng` (no trailing zeros, an exponent when far from 1).
    public static func significant(_ x: Double, _ digits: Int) -> String {
        String(format: "%.\(max(1, digits))g", x)
    }

    /// Console losses and costs: whole numbers from 100 on (in magnitude), three significant digits below.
    public static func compact(_ x: Double) -> String {
        abs(x) >= 100 ? fixed(x, 0) : significant(x, 3)
    }

    /// Thousands separators (`,`) and `decimals` decimals: 276838 → "276,838"; "–" when not finite.
    public static func grouped(_ x: Double, decimals: Int = 0) -> String {
        guard x.isFinite else { return "–" }
        let s = fixed(abs(x), decimals)
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        var digits = Array(parts[0])
        var out: [Character] = []
        while digits.count > 3 {
            out = [","] + digits.suffix(3) + out
            digits.removeLast(3)
        }
        out = digits + out
        var text = String(out)
        if parts.count > 1 { text += "." + parts[1] }
        let negative = x < 0 && text.contains { $0 != "0" && $0 != "," && $0 != "." }
        return (negative ? "-" : "") + text
    }

    /// A human-readable figure of a report: integers and values of 1,000 and more grouped without
    /// decimals, values of 10 and more with one decimal (none when it is 0), smaller ones with three
    /// significant digits; "–" for none (one format in every report and brief).
    public static func figure(_ x: Double?) -> String {
        guard let x, x.isFinite else { return "–" }
        if abs(x) >= 1000 || x == x.rounded() { return grouped(x) } // 1,234,567
        if abs(x) >= 10 {
            let s = fixed(x, 1)
            return s.hasSuffix(".0") ? String(s.dropLast(2)) : s
        }
        return significant(x, 3)
    }

    /// Whole units (euros, people) rounded half away from zero, grouped ("1,950,000"); "–" for none.
    public static func whole(_ x: Double?) -> String {
        guard let x, x.isFinite else { return "–" }
        return grouped(x.rounded())
    }

    /// A probability as a percentage with up to three significant digits ("30%", "0.5%"); "–" for none.
    public static func percent(_ x: Double?) -> String {
        guard let x, x.isFinite else { return "–" }
        return significant(x * 100, 3) + "%"
    }

    /// A probability with three significant digits, 0 and 1 as integers; "–" for none.
    public static func probability(_ x: Double?) -> String {
        guard let x, x.isFinite else { return "–" }
        if x == 0 || x == 1 { return fixed(x, 0) }
        return significant(x, 3)
    }

    /// An SVG coordinate: two decimals, no trailing zeros, never "-0"; "0" when not finite.
    public static func coordinate(_ x: Double) -> String {
        guard x.isFinite else { return "0" }
        var s = fixed(x, 2)
        while s.hasSuffix("0") { s.removeLast() }
        if s.hasSuffix(".") { s.removeLast() }
        if s == "-0" { s = "0" }
        return s
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
