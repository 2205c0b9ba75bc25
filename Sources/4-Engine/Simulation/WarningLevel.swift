/// The warning level of a zone's probability of losing a service (docs/specification.md section 6): `severe`
/// (p ≥ 0.5), `warning` (≥ 0.2), `advisory` (≥ 0.05), else `none`. The one rule for result
/// files and reports (`zones.csv`, `results.geojson`) and live situations (the outlook's warnings).
public enum WarningLevel: String, Sendable, CaseIterable, Comparable {
    // mildest first: `allCases` and `<` go from none to severe
    case none, advisory, warning, severe

    /// The level of probability `p` (NaN: none).
    public init(probability p: Double) {
        self = p >= 0.5 ? .severe : p >= 0.2 ? .warning : p >= 0.05 ? .advisory : .none
    }

    /// 0 for none ... 3 for severe.
    public var rank: Int { Self.allCases.firstIndex(of: self) ?? 0 }

    public static func < (a: WarningLevel, b: WarningLevel) -> Bool { a.rank < b.rank }
}
