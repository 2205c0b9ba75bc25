import Foundation

/// Why an asset or link is not working now.
public enum OutReason: String, Sendable, Codable {
    /// Reported damaged (not yet restored).
    case damaged
    /// Reported out (within its duration).
    case out
    /// Damaged with probability ≥ 0.5 by an observed hazard (fragility at the observed intensity).
    case hazard
    /// Not joined to a working source of its sector (supply `sources`), or outside the sector's
    /// largest working cluster (`giant-component`).
    case unsupplied
    /// A requirement failed: its providers do not suffice and its backup (if any) ran out.
    case requirement
}

/// A failed requirement: its group, what it needs, and the providers that are not working.
public struct FailedRequirement: Sendable, Equatable, Codable {
    public var group: String
    public var need: String
    public var providersDown: [String]
    public var providersWorking: Int
}

/// One element that is not working now.
public struct DownElement: Sendable, Equatable, Codable {
    public var id: String
    public var sector: String
    public var owner: String?
    public var zone: String?
    public var reason: OutReason
    /// Numbers of the reports behind `damaged`, `out` and `hazard`.
    public var reports: [Int]?
    /// `hazard`: the probability of damage at the observed intensity.
    public var pDamage: Double?
    /// `requirement`: the requirements that failed.
    public var failed: [FailedRequirement]?
    /// Hours since it stopped working (from the report times).
    public var downHours: Double
    public var population: Double
}

/// People without one service in one zone (`zone` nil: assets without a zone).
public struct PeopleWithout: Sendable, Equatable, Codable {
    public var sector: String
    public var zone: String?
    public var people: Double
    /// People of that sector in that zone (the share is people / population).
    public var population: Double
}

/// An asset that works now only because a backup (generator, tank, battery) still runs.
public struct BackupCountdown: Sendable, Equatable, Codable {
    public var id: String
    public var sector: String
    public var owner: String?
    public var zone: String?
    public var group: String
    /// Hours of backup left at `at` (counted from the moment the requirement became unmet).
    public var hoursLeft: Double
    /// When the backup runs out, if nothing is restored (ISO 8601).
    public var runsOutAt: Date
    public var population: Double
}

/// Counts of the elements of other owners, without ids (need to know, as in the result briefs).
public struct OthersAggregate: Sendable, Equatable, Codable {
    public var owner: String
    public var down: Int
    public var onBackup: Int
    public var people: Double
}

/// The static state at a moment on the reported facts (`GET /v1/situations/{id}/state`).
public struct SituationState: Sendable, Equatable, Codable {
    public var situation: String
    public var at: Date
    /// Hours since the situation started.
    public var hours: Double
    /// Number of the last report taken into account (0: none).
    public var version: Int
    public var assets: Int
    public var assetsDown: Int
    public var linksDown: Int
    /// Elements not working, by id (scoped: an owner sees its own).
    public var down: [DownElement]
    public var onBackup: [BackupCountdown]
    /// People without each service, by sector and zone (rounded to whole people).
    public var peopleWithout: [PeopleWithout]
    /// Totals by sector (the sum over zones).
    public var peopleWithoutBySector: [String: Double]
    /// For an owner: the other owners' counts, without ids.
    public var others: [OthersAggregate]?
    /// Milliseconds the state took to compute.
    public var computeMs: Double
}

/// Restoration of one sector over the forward horizon, across samples.
public struct SectorRestoration: Sendable, Equatable, Codable {
    public var sector: String
    /// Hours from now until 95% of the sector's people have service to the horizon: median and
    /// 90% band over samples; nil where more than half (or 5%, 95%) of the samples never get there
    /// within the horizon, with that count in `censored`.
    public var restore95Median: Double?
    public var restore95P05: Double?
    public var restore95P95: Double?
    public var censored: Int
    /// Mean people-hours without the service over the horizon, with its 95% confidence interval.
    public var peopleHoursMean: Double
    public var peopleHoursCi95Low: Double
    public var peopleHoursCi95High: Double
    /// People without service at whole hours from now: mean and 90% band.
    public var curveHours: [Double]
    public var curveMean: [Double]
    public var curveP05: [Double]
    public var curveP95: [Double]
}

/// A warning for one zone and service (docs/specification.md section 6 levels).
public struct ZoneWarning: Sendable, Equatable, Codable {
    public var zone: String
    public var sector: String
    /// `severe` (p_loss ≥ 0.5), `warning` (≥ 0.2), `advisory` (≥ 0.05).
    public var level: String
    /// Probability that at least 5% of the zone's people of that sector lose it within the horizon.
    public var pLoss: Double
    /// Whether the zone has lost the service now (at least 5% of its people without it).
    public var lostNow: Bool
    public var peopleAffectedNow: Double
    /// Mean hours without the service over the horizon, in samples where the zone lost it.
    public var meanDurationHours: Double?
    public var population: Double
    /// Hours ahead the probability covers.
    public var horizonHours: Double
}

/// What fails next (`GET /v1/situations/{id}/outlook`): backups running down, and a forward
/// timed Monte Carlo from now.
public struct Outlook: Sendable, Equatable, Codable {
    public var situation: String
    public var at: Date
    public var version: Int
    public var samples: Int
    public var seed: UInt64
    public var horizonHours: Double
    public var onBackup: [BackupCountdown]
    public var restoration: [SectorRestoration]
    public var warnings: [ZoneWarning]
    /// Assets most often failing during the horizon that are working now: probability, by id (scoped).
    public var nextFailures: [NextFailure]
    public var computeMs: Double
}

/// An asset working now that fails within the horizon in some samples.
public struct NextFailure: Sendable, Equatable, Codable {
    public var id: String
    public var sector: String
    public var owner: String?
    public var zone: String?
    public var pFail: Double
    public var population: Double
}

/// A what-if answer: the same forward run with the action, paired on the same samples.
public struct WhatIfResult: Sendable, Equatable, Codable {
    public var situation: String
    public var at: Date
    public var version: Int
    public var action: WhatIfAction
    public var samples: Int
    public var seed: UInt64
    public var horizonHours: Double
    /// People-hours without service over the horizon (sum over sectors, unweighted): mean without
    /// and with the action.
    public var peopleHoursBaseline: Double
    public var peopleHoursWithAction: Double
    /// Mean paired saving (baseline minus action) with its 95% confidence interval.
    public var peopleHoursSaved: Double
    public var savedCi95Low: Double
    public var savedCi95High: Double
    /// Savings by sector (mean); a sector whose difference is within summation rounding is left out.
    public var savedBySector: [String: Double]
    /// Why an action may change nothing (e.g. an owner without a crew limit repairs everything at once).
    public var notes: [String]
    public var computeMs: Double
}

/// A need-to-know brief for one owner (`GET /v1/situations/{id}/briefs/{owner}`).
public struct OwnerBrief: Sendable, Equatable, Codable {
    public var situation: String
    public var owner: String
    public var at: Date
    public var version: Int
    /// Its assets not working, and those on backup.
    public var down: [DownElement]
    public var onBackup: [BackupCountdown]
    /// Its assets that depend on other owners' assets that are down now: consumer id, the other
    /// owner, and how many of that owner's providers are down (no ids of the other owner).
    public var dependsOnDown: [ExternalDependency]
    /// Other owners' assets that depend on its assets that are down now: counts per owner.
    public var othersDependingOnIt: [OthersAggregate]
    public var peopleWithoutBySector: [String: Double]
}

/// An owner's asset whose provider of another owner is down.
public struct ExternalDependency: Sendable, Equatable, Codable {
    public var consumer: String
    public var group: String
    public var providerOwner: String
    public var providersDown: Int
}

/// A situation as listed (`GET /v1/situations`).
public struct SituationSummary: Sendable, Equatable, Codable {
    public var id: String
    public var name: String
    public var source: String
    public var startedAt: Date
    public var closedAt: Date?
    public var reports: Int
}

/// JSON as the service writes it: snake_case keys, sorted, ISO 8601 dates, no escaped slashes.
public enum SituationJSON {
    public static func encoder() -> JSONEncoder {
        let e = JSONEncoder()
        e.keyEncodingStrategy = .convertToSnakeCase
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        e.dateEncodingStrategy = .iso8601
        return e
    }
    public static func decoder() -> JSONDecoder {
        let d = JSONDecoder()
        d.keyDecodingStrategy = .convertFromSnakeCase
        d.dateDecodingStrategy = .iso8601
        return d
    }
    /// Encodes `value` (never fails for the types of this module).
    public static func encode<T: Encodable>(_ value: T) -> Data {
        (try? encoder().encode(value)) ?? Data("{}".utf8)
    }
}

/// A zone's area for maps and CAP (`GET /v1/situations/{id}/zones`): a closed ring of [lon, lat].
public struct ZoneArea: Sendable, Equatable, Codable {
    public var zone: String
    public var polygon: [[Double]]
}
