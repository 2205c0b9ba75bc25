/// One row of a fragility and repair library.
public struct FragilityCurve: Sendable, Equatable {
    /// Median intensity of the lognormal fragility (nil on repair-only `*` rows).
    public var median: Double?
    public var beta: Double?
    public var repairMedianHours: Double?
    public var repairBeta: Double?
    public var source: String
    /// Where the row was read, as "file:line".
    public var origin: String
    public init(
        median: Double?, beta: Double?, repairMedianHours: Double?, repairBeta: Double?,
        source: String, origin: String
    ) {
        self.median = median
        self.beta = beta
        self.repairMedianHours = repairMedianHours
        self.repairBeta = repairBeta
        self.source = source
        self.origin = origin
    }
}

/// Where a scenario's default fragility library came from: a file, or the copy of
/// `scenarios/fragility/default.csv` built into the binary (read from memory, never written out).
public enum DefaultFragilitySource: Sendable, Equatable {
    case file(String)
    /// The built-in library: its text.
    case builtIn(String)

    /// The name the library's rows are known by in diagnostics and curve origins.
    public static let builtInName = "kaskada:fragility/default.csv"

    /// The path of a file, or `builtInName`.
    public var name: String {
        switch self {
        case .file(let p): return p
        case .builtIn: return Self.builtInName
        }
    }
}

/// Fragility and repair curves by (kind, hazard); later libraries override earlier rows.
///
/// `hazard` may be `*` for a repair curve that holds for any hazard (docs/specification.md section 3).
public struct FragilityLibrary: Sendable, Equatable {
    public struct Key: Hashable, Sendable {
        public var kind: String
        public var hazard: String
        public init(kind: String, hazard: String) { self.kind = kind; self.hazard = hazard }
    }
    public private(set) var curves: [Key: FragilityCurve] = [:]
    public init() {}

    /// Adds or overrides the curve for (kind, hazard).
    public mutating func set(kind: String, hazard: String, _ curve: FragilityCurve) {
        curves[Key(kind: kind, hazard: hazard)] = curve
    }

    /// The damage curve of `kind` for `hazard`, if it has a median and beta.
    public func damageCurve(kind: String, hazard: String) -> FragilityCurve? {
        guard let c = curves[Key(kind: kind, hazard: hazard)], c.median != nil, c.beta != nil else { return nil }
        return c
    }

    /// The repair curve: the (kind, hazard) row's repair columns, else the (kind, `*`) row's.
    public func repairCurve(kind: String, hazard: String) -> (medianHours: Double, beta: Double)? {
        for h in [hazard, "*"] {
            if let c = curves[Key(kind: kind, hazard: h)], let m = c.repairMedianHours {
                return (m, c.repairBeta ?? 0)
            }
        }
        return nil
    }
}
