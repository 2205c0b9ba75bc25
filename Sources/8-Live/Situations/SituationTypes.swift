import Foundation

/// Who is asking: the operations centre (everything), one utility (its own assets and
/// aggregates of the others, as in the result briefs), or the public (CAP warnings only).
public enum Scope: Sendable, Equatable, Hashable {
    case centre
    case owner(String)
    case publicAudience

    /// Parses a role as written in a tokens file: `centre`, `owner:<name>`, `public`.
    public init?(role: String) {
        if role == "centre" {
            self = .centre
        } else if role == "public" {
            self = .publicAudience
        } else if role.hasPrefix("owner:"), role.count > 6 {
            self = .owner(String(role.dropFirst(6)))
        } else {
            return nil
        }
    }

    /// The role as written in a tokens file.
    public var role: String {
        switch self {
        case .centre: return "centre"
        case .owner(let o): return "owner:" + o
        case .publicAudience: return "public"
        }
    }
}

/// One problem with a request body: the field (a JSON path such as `ids[2]`) and what was expected.
public struct Problem: Sendable, Equatable, Codable {
    public var field: String
    public var message: String
    public init(field: String, _ message: String) { self.field = field; self.message = message }
}

/// Thrown when a report, an action or a query is refused; the situation is unchanged.
public struct RequestError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Every problem found (at most 50).
    public var problems: [Problem]
    public init(_ problems: [Problem]) { self.problems = problems }
    public init(field: String, _ message: String) { problems = [Problem(field: field, message)] }
    public var description: String { problems.map { "\($0.field): \($0.message)" }.joined(separator: "; ") }
}

/// What a field report says (JSON key `type`).
public enum ReportKind: String, Sendable, Codable, CaseIterable {
    /// Assets or links damaged: repaired by crews (or back after `duration_hours` when given).
    case damaged
    /// Assets or links out without damage (switched off, closed, contaminated) for `duration_hours`.
    case out
    /// Assets or links back in service at `time`.
    case restored
    /// A hazard observed: polygons with intensities, or a footprint of the scenario scaled.
    case hazard
    /// Withdraws an earlier report (a correction): `report` is its number.
    case retract
}

/// A hazard polygon of a report: GeoJSON Polygon coordinates ([lon, lat] rings, first the outer
/// boundary, then holes; or x, y metres for projected models) and the intensity inside it.
public struct ReportArea: Sendable, Equatable, Codable {
    public var polygon: [[[Double]]]
    public var intensity: Double
    public init(polygon: [[[Double]]], intensity: Double) { self.polygon = polygon; self.intensity = intensity }
}

/// A field report as posted (`POST /v1/situations/{id}/reports`), after parsing.
///
/// JSON keys: `type` (damaged, out, restored, hazard, retract), `ids`, `time` (ISO 8601 UTC;
/// default: when it was received), `duration_hours`, `hazard`, `areas`, `footprint`, `scale`,
/// `report`, `note`. Unknown keys are refused.
public struct FieldReport: Sendable, Equatable, Codable {
    public var type: ReportKind
    public var ids: [String]?
    /// When it happened (ISO 8601, UTC); nil: when received.
    public var time: Date?
    public var durationHours: Double?
    public var hazard: String?
    public var areas: [ReportArea]?
    /// A hazard event of the scenario: its 1-based number, or its hazard name when only one event has it.
    public var footprint: String?
    /// Factor on the footprint's intensities (observed level / scenario level); default 1.
    public var scale: Double?
    /// For `retract`: the number of the report withdrawn.
    public var report: Int?
    /// Free text kept with the report (at most 2,000 characters).
    public var note: String?

    public init(type: ReportKind) { self.type = type }
}

/// A report the situation accepted, numbered from 1 in the order of acceptance.
public struct AcceptedReport: Sendable, Equatable, Codable {
    public var number: Int
    public var receivedAt: Date
    /// Who posted it (the token's role).
    public var by: String
    public var report: FieldReport
    public init(number: Int, receivedAt: Date, by: String, report: FieldReport) {
        self.number = number; self.receivedAt = receivedAt; self.by = by; self.report = report
    }
}

/// A what-if action (`POST /v1/situations/{id}/whatif`, key `action`).
public enum WhatIfKind: String, Sendable, Codable, CaseIterable {
    /// Crews take `ids` before anything else of their owners.
    case restoreFirst = "restore_first"
    /// A mobile generator (or tank) of `hours` at each of `ids`: backup of its `group` requirement (default `power`).
    case generator
    /// `ids` (a closed road, a switched-off line) are back in service now.
    case reopen
}

/// A what-if request after parsing.
public struct WhatIfAction: Sendable, Equatable, Codable {
    public var action: WhatIfKind
    public var ids: [String]
    public var hours: Double?
    public var group: String?
    public init(action: WhatIfKind, ids: [String], hours: Double? = nil, group: String? = nil) {
        self.action = action; self.ids = ids; self.hours = hours; self.group = group
    }
}

/// Settings of a forward run; defaults suit an operations centre (answers in seconds).
public struct ForwardSettings: Sendable, Equatable, Codable {
    /// Monte Carlo samples (1 to 100,000; default 1,000).
    public var samples: Int = 1000
    /// Hours ahead from now (1 to 2,160; default 72).
    public var horizonHours: Double = 72
    /// Seed of the random streams (default: the scenario's, else 1); what-ifs reuse it (paired).
    public var seed: UInt64?
    public init(samples: Int = 1000, horizonHours: Double = 72, seed: UInt64? = nil) {
        self.samples = samples; self.horizonHours = horizonHours; self.seed = seed
    }
}
