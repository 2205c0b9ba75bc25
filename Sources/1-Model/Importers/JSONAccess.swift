import ResultFiles

/// Typed access to `JSONValue`s for the importers' readers (pandapower, pandapipes, GeoJSON).
extension JSONValue {
    var number: Double? { if case .number(_, let x) = kind { return x }; return nil }
    var string: String? { if case .string(let s) = kind { return s }; return nil }
    var bool: Bool? { if case .bool(let b) = kind { return b }; return nil }
    var array: [JSONValue]? { if case .array(let a) = kind { return a }; return nil }
    var members: [(key: String, value: JSONValue)]? { if case .object(let m) = kind { return m }; return nil }
    var isNull: Bool { if case .null = kind { return true }; return false }
    /// A number, or a string or bool read as one (pandas writes some ids and flags either way).
    var looseNumber: Double? {
        switch kind {
        case .number(_, let x): return x
        case .string(let s): return Double(s)
        case .bool(let b): return b ? 1 : 0
        default: return nil
        }
    }
    /// The value as an id: a string as is, an integral number without decimals.
    var idText: String? {
        switch kind {
        case .string(let s): return s
        case .number(let lit, let x): return x == x.rounded() && abs(x) < 1e15 ? String(Int64(x)) : lit
        default: return nil
        }
    }
}
