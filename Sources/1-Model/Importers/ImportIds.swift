/// Model ids for imported elements: `<table>:<native id>`, escaped and made unique
/// (docs/specification.md section 11).
///
/// Every character outside `[A-Za-z0-9._:/-]` becomes `_` (EPANET's `WellPump#1` becomes
/// `pump:WellPump_1`); when the result is already taken, `.2`, `.3`, … is appended in file order.
/// Assets and links share one namespace, as in any model. The escapes are recorded for
/// `import-report.json`. O(1) expected per id (one hash set).
public struct ImportIds: Sendable {
    /// An id that is not `<table>:<native id>` verbatim.
    public struct Escape: Sendable, Equatable {
        public var table: String
        public var nativeId: String
        public var id: String
        /// `escaped` (characters replaced), `renamed` (suffix added), or both joined by `+`.
        public var reason: String
    }

    private var taken = Set<String>()
    public private(set) var escapes: [Escape] = []

    public init() {}

    /// The id for element `nativeId` of `table`; marks it taken.
    public mutating func make(table: String, nativeId: String) -> String {
        let raw = table + ":" + nativeId
        let clean = Self.escape(raw)
        var id = clean
        var n = 2
        while taken.contains(id) {
            id = clean + ".\(n)"
            n += 1
        }
        taken.insert(id)
        if id != raw {
            let reason = [clean != raw ? "escaped" : nil, id != clean ? "renamed" : nil].compactMap { $0 }.joined(separator: "+")
            escapes.append(Escape(table: table, nativeId: nativeId, id: id, reason: reason))
        }
        return id
    }

    /// `s` with every character outside `[A-Za-z0-9._:/-]` replaced by `_` (one per Unicode scalar).
    public static func escape(_ s: String) -> String {
        var out = String.UnicodeScalarView()
        for u in s.unicodeScalars {
            let ok =
                (u >= "a" && u <= "z") || (u >= "A" && u <= "Z") || (u >= "0" && u <= "9")
                || u == "." || u == "_" || u == ":" || u == "/" || u == "-"
            out.append(ok ? u : "_")
        }
        return String(out)
    }
}
