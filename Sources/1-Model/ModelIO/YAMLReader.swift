import InfraModel
import Yams

/// Typed access to a composed YAML document that records a diagnostic (file, line, column,
/// key path, what was expected) for every problem instead of stopping at the first.
struct YAMLReader {
    let file: String
    var bag = DiagnosticBag()

    init(file: String) { self.file = file }

    /// Parses `text`; a syntax error becomes a diagnostic with its line and column.
    mutating func compose(_ text: String) -> Node? {
        do {
            return try Yams.compose(yaml: text)
        } catch let e as YamlError {
            switch e {
            case let .scanner(_, problem, mark, _), let .parser(_, problem, mark, _),
                let .composer(_, problem, mark, _):
                bag.error(file, line: mark.line, column: mark.column, field: "", "invalid YAML: \(problem)")
            case let .duplicatedKeysInMapping(duplicates, context):
                let m = context.mark
                bag.error(
                    file, line: m.line, column: m.column, field: duplicates.joined(separator: ", "),
                    "key given more than once")
            default:
                bag.error(file, line: 1, field: "", "invalid YAML: \(e)")
            }
        } catch {
            bag.error(file, line: 1, field: "", "invalid YAML: \(error)")
        }
        return nil
    }

    func line(_ n: Node) -> Int { n.mark?.line ?? 0 }
    func column(_ n: Node) -> Int? { n.mark?.column }

    mutating func error(_ n: Node?, _ field: String, _ message: String) {
        bag.error(file, line: n?.mark?.line ?? 0, column: n?.mark?.column, field: field, message)
    }

    mutating func warning(_ n: Node?, _ field: String, _ message: String) {
        bag.warning(file, line: n?.mark?.line ?? 0, column: n?.mark?.column, field: field, message)
    }

    static func describe(_ n: Node) -> String {
        switch n {
        case .scalar(let s): return s.string.isEmpty ? "an empty value" : "'\(s.string)'"
        case .mapping: return "a map"
        case .sequence: return "a list"
        case .alias: return "an alias"
        }
    }

    /// The pairs of a mapping, each key checked against `allowed` (unknown keys are errors).
    mutating func mapping(_ n: Node, _ field: String, allowed: [String]) -> [String: Node]? {
        guard case .mapping(let m) = n else {
            error(n, field, "expected a map with keys \(allowed.joined(separator: ", ")), found \(Self.describe(n))")
            return nil
        }
        var out: [String: Node] = [:]
        for (k, v) in m {
            guard case .scalar(let ks) = k else {
                error(k, field, "expected a plain key")
                continue
            }
            let key = ks.string
            let path = field.isEmpty ? key : field + "." + key
            if !allowed.contains(key) {
                error(k, path, "unknown key '\(key)'; expected one of: \(allowed.joined(separator: ", "))")
                continue
            }
            out[key] = v
        }
        return out
    }

    /// A mapping whose keys are free names (e.g. sector → weight).
    mutating func freeMapping(_ n: Node, _ field: String) -> [(String, Node, Node)]? {
        guard case .mapping(let m) = n else {
            error(n, field, "expected a map, found \(Self.describe(n))")
            return nil
        }
        var out: [(String, Node, Node)] = []
        for (k, v) in m {
            guard case .scalar(let ks) = k else { error(k, field, "expected a plain key"); continue }
            out.append((ks.string, k, v))
        }
        return out
    }

    mutating func sequence(_ n: Node, _ field: String) -> [Node]? {
        guard case .sequence(let s) = n else {
            error(n, field, "expected a list, found \(Self.describe(n))")
            return nil
        }
        return Array(s)
    }

    mutating func string(_ n: Node, _ field: String) -> String? {
        guard case .scalar(let s) = n, !(s.string.isEmpty && s.style == .plain) else {
            error(n, field, "expected a text value, found \(Self.describe(n))")
            return nil
        }
        return s.string
    }

    /// A string matching `[A-Za-z0-9._-]+`-like rules given by `valid`.
    mutating func name(_ n: Node, _ field: String, pattern: String, valid: (String) -> Bool) -> String? {
        guard let s = string(n, field) else { return nil }
        guard valid(s) else {
            error(n, field, "'\(s)' is not valid: expected \(pattern)")
            return nil
        }
        return s
    }

    /// A finite number within the bounds.
    mutating func number(
        _ n: Node, _ field: String, min: Double? = nil, minExclusive: Bool = false,
        max: Double? = nil
    ) -> Double? {
        guard case .scalar(let s) = n, s.style == .plain || s.style == .any else {
            error(n, field, "expected a number, found \(Self.describe(n))")
            return nil
        }
        let text = s.string.replacingOccurrences(of: "_", with: "")
        let v: Double
        switch NumberParser.parse(text) {
        case .value(let x): v = x
        case .blank:
            error(n, field, "expected a number, found an empty value")
            return nil
        case .invalid:
            let lower = s.string.lowercased()
            if [".nan", "nan", ".inf", "-.inf", "+.inf", "inf", "-inf"].contains(lower) {
                error(n, field, "expected a finite number, found '\(s.string)'")
            } else {
                error(n, field, "expected a number, found '\(s.string)'")
            }
            return nil
        }
        if let lo = min {
            if minExclusive ? !(v > lo) : !(v >= lo) {
                let bound = minExclusive ? "greater than \(Self.fmt(lo))" : "at least \(Self.fmt(lo))"
                let range = max.map { " and at most \(Self.fmt($0))" } ?? ""
                error(n, field, "expected a number \(bound)\(range), found \(s.string)")
                return nil
            }
        }
        if let hi = max, v > hi {
            let range = min.map { " between \(Self.fmt($0)) and \(Self.fmt(hi))" } ?? " at most \(Self.fmt(hi))"
            error(n, field, "expected a number\(range), found \(s.string)")
            return nil
        }
        return v
    }

    static func fmt(_ v: Double) -> String {
        v == v.rounded() && abs(v) < 1e15 ? String(Int64(v)) : String(v)
    }

    /// A whole number within the bounds.
    mutating func integer(_ n: Node, _ field: String, min: Int? = nil, max: Int? = nil) -> Int? {
        guard case .scalar(let s) = n, let v = Int(s.string.replacingOccurrences(of: "_", with: "")) else {
            error(n, field, "expected a whole number, found \(Self.describe(n))")
            return nil
        }
        if let lo = min, v < lo {
            error(n, field, "expected a whole number of at least \(lo)\(max.map { " and at most \($0)" } ?? ""), found \(v)")
            return nil
        }
        if let hi = max, v > hi {
            error(n, field, "expected a whole number of at most \(hi), found \(v)")
            return nil
        }
        return v
    }

    mutating func bool(_ n: Node, _ field: String) -> Bool? {
        if case .scalar(let s) = n {
            switch s.string.lowercased() {
            case "true": return true
            case "false": return false
            default: break
            }
        }
        error(n, field, "expected true or false, found \(Self.describe(n))")
        return nil
    }

    /// A single text value or a list of them.
    mutating func stringList(_ n: Node, _ field: String) -> [String]? {
        switch n {
        case .scalar:
            return string(n, field).map { [$0] }
        case .sequence(let s):
            var out: [String] = []
            for item in s {
                guard let v = string(item, field) else { return nil }
                out.append(v)
            }
            if out.isEmpty { error(n, field, "expected at least one value, found an empty list") }
            return out
        default:
            error(n, field, "expected a value or a list of values, found \(Self.describe(n))")
            return nil
        }
    }
}
