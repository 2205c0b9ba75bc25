import Foundation
import ResultFiles
import Simulation

/// One metric of `summary.json`.
struct MetricStats {
    var mean, std, ci95Low, ci95High, p50, p90, p95, p99, cvar95: Double?
    var censored: Int?
    /// `restore95_hours`: the fraction of samples restored by the horizon.
    var restoredFraction: Double?
}

/// `summary.json`.
struct SummaryData {
    var schemaVersion: Int
    var scenario: String
    var mode: String
    var samples: Int
    /// The literal digits (a seed may exceed Int64).
    var seed: String
    var stoppedEarly: Bool
    var annualRate: Double?
    var horizonHours: Double?
    var stepHours: Double?
    var lossUnit: String
    /// The model's name and the SHA-256 of its files ("" in results written before they were recorded).
    var model = "", modelSHA256 = ""
    /// The headline loss's weight per sector (empty in results written before they were recorded).
    var weights: [String: Double] = [:]
    var expectedAnnualLoss: Double?
    var coordinates: String
    /// The recommended set of mitigation options within the budget (nil: none in summary.json).
    var portfolio: PortfolioData?
    var metrics: [String: MetricStats]
    /// The metrics' names in file order (`loss` first).
    var metricNames: [String] = []
    /// (loss, probability that a sample's loss is at least it), loss descending.
    var exceedance: [(loss: Double, probability: Double)]

    var timed: Bool { mode == "timed" }
}

/// The strings of the asset and dependency rows, stored once for a region's millions of rows:
/// ids either read from the run's model (codes below `externalCount`) or back to back in one
/// byte arena, names (sector, kind, owner, zone, group, type) interned. Code 0 of the names is "".
final class RowStrings {
    private let externalId: ((Int32) -> String)?
    private let externalCount: Int32
    private var bytes: [UInt8] = []
    private var offsets: [Int] = [0]
    private var names: [String] = [""]
    private var nameCodes: [String: Int32] = ["": 0]

    /// Ids added one by one (`addId`).
    init() { externalId = nil; externalCount = 0 }

    /// Ids 0..<count read from `ids` (the run's model), no copy; further ids added by `addId`.
    init(ids: @escaping (Int32) -> String, count: Int) {
        externalId = ids
        externalCount = Int32(count)
    }

    /// Appends `id`; its code.
    func addId(_ id: String) -> Int32 {
        var id = id
        id.withUTF8 { bytes.append(contentsOf: $0) }
        offsets.append(bytes.count)
        return externalCount + Int32(offsets.count - 2)
    }

    func id(_ code: Int32) -> String {
        if code < externalCount, let ids = externalId { return ids(code) }
        let c = Int(code - externalCount)
        return String(decoding: bytes[offsets[c]..<offsets[c + 1]], as: UTF8.self)
    }

    /// The code of `name`, interned.
    func name(_ name: String) -> Int32 {
        if let c = nameCodes[name] { return c }
        let c = Int32(names.count)
        names.append(name)
        nameCodes[name] = c
        return c
    }

    func name(code: Int32) -> String { names[Int(code)] }
}

/// Rows in report order made when read, from a source in file order (the run's arrays, or the
/// rows parsed from the file): the order costs 4 bytes a row, a row exists only while read.
struct LazyRows<Row>: RandomAccessCollection {
    /// Position → source index (file order, 0-based).
    let order: [Int32]
    let source: (Int32) -> Row
    /// Whether the source is in id byte order (as `assets.csv` is written): then source indices
    /// compare as the ids do.
    var sourceInIdOrder = false

    var startIndex: Int { 0 }
    var endIndex: Int { order.count }
    subscript(i: Int) -> Row { source(order[i]) }

    /// The rows in source (file) order, for aggregates that do not depend on the order: the
    /// source's columns are read sequentially (in report order every row is a cache miss).
    var inSourceOrder: LazyMapSequence<Range<Int32>, Row> { (0..<Int32(order.count)).lazy.map(source) }

    /// The position of each source index (the inverse of `order`).
    func positions() -> [Int32] {
        var p = [Int32](repeating: 0, count: order.count)
        for (k, s) in order.enumerated() { p[Int(s)] = Int32(k) }
        return p
    }
}

typealias AssetRows = LazyRows<AssetRow>
typealias DependencyRows = LazyRows<DependencyRow>

/// A row of `assets.csv`, 112 bytes (a region holds millions): strings are codes into a shared
/// `RowStrings`, absent numbers NaN, an absent rank −1.
struct AssetRow {
    private let strings: RowStrings
    private var line32: Int32
    private var rank32: Int32
    /// The id's code in `strings`.
    private(set) var idCode: Int32
    private var sectorCode, kindCode, ownerCode, zoneCode: Int32
    var population: Double
    var pDamage, pOutage: Double
    private var n1Raw, rrwRaw, meanOutageRaw, p90OutageRaw, xRaw, yRaw: Double

    /// A row whose strings are already in `strings` (codes).
    init(
        strings: RowStrings, line: Int, idCode: Int32, sector: Int32, kind: Int32, owner: Int32, zone: Int32, population: Double,
        pDamage: Double, pOutage: Double, n1: Double?, rrw: Double?, meanOutage: Double?, rank: Int?,
        p90Outage: Double?, x: Double?, y: Double?
    ) {
        self.strings = strings
        line32 = Int32(clamping: line); rank32 = rank.map { Int32(clamping: $0) } ?? -1
        self.idCode = idCode; sectorCode = sector; kindCode = kind; ownerCode = owner; zoneCode = zone
        self.population = population; self.pDamage = pDamage; self.pOutage = pOutage
        n1Raw = n1 ?? .nan; rrwRaw = rrw ?? .nan; meanOutageRaw = meanOutage ?? .nan
        p90OutageRaw = p90Outage ?? .nan; xRaw = x ?? .nan; yRaw = y ?? .nan
    }

    var line: Int { Int(line32) }
    var id: String { strings.id(idCode) }
    var sector: String { strings.name(code: sectorCode) }
    var kind: String { strings.name(code: kindCode) }
    var owner: String { strings.name(code: ownerCode) }
    var zone: String { strings.name(code: zoneCode) }
    /// Empty when the run computed no rankings.
    var rank: Int? { rank32 < 0 ? nil : Int(rank32) }
    var n1: Double? { n1Raw.isNaN ? nil : n1Raw }
    var rrw: Double? { rrwRaw.isNaN ? nil : rrwRaw }
    var meanOutage: Double? { meanOutageRaw.isNaN ? nil : meanOutageRaw }
    var p90Outage: Double? { p90OutageRaw.isNaN ? nil : p90OutageRaw }
    var x: Double? { xRaw.isNaN ? nil : xRaw }
    var y: Double? { yRaw.isNaN ? nil : yRaw }

    /// p_damage × n1_impact, else p_outage × population when n1_impact is empty.
    var risk: Double {
        if let n = n1 { return pDamage * n }
        return pOutage * population
    }
}

/// A row of `dependencies.csv`, 64 bytes: strings are codes into the assets' `RowStrings`.
struct DependencyRow {
    private let strings: RowStrings
    private var line32: Int32
    private var consumerCode, providerCode, groupCode, typeCode, consumerOwnerCode, providerOwnerCode: Int32
    /// Lines of the consumer's and the provider's rows in `assets.csv` (−1: not known). When
    /// `assets.csv` is in id byte order (as written), they are integer keys equivalent to the ids.
    var consumerLine: Int32, providerLine: Int32
    /// 0 when empty.
    var pCarried: Double
    private var lossRaw: Double

    /// A row whose strings are already in `strings` (codes: ids for consumer and provider, names
    /// for the rest).
    init(
        strings: RowStrings, line: Int, consumer: Int32, provider: Int32, group: Int32, type: Int32, pCarried: Double,
        lossFollowing: Double?, consumerOwner: Int32, providerOwner: Int32, consumerLine: Int32, providerLine: Int32
    ) {
        self.strings = strings
        line32 = Int32(clamping: line)
        consumerCode = consumer; providerCode = provider; groupCode = group; typeCode = type
        consumerOwnerCode = consumerOwner; providerOwnerCode = providerOwner
        self.consumerLine = consumerLine; self.providerLine = providerLine
        self.pCarried = pCarried; lossRaw = lossFollowing ?? .nan
    }

    var line: Int { Int(line32) }
    var consumer: String { strings.id(consumerCode) }
    var provider: String { strings.id(providerCode) }
    var group: String { strings.name(code: groupCode) }
    var type: String { strings.name(code: typeCode) }
    var consumerOwner: String { strings.name(code: consumerOwnerCode) }
    var providerOwner: String { strings.name(code: providerOwnerCode) }
    var lossFollowing: Double? { lossRaw.isNaN ? nil : lossRaw }

    /// p_carried × loss_following (0 when loss_following is empty).
    var score: Double { pCarried * (lossFollowing ?? 0) }
}

struct CoordinationRow {
    var line: Int
    var owner, dependsOn: String
    var expectedLoss: Double
    /// (consumer, provider) pairs.
    var top: [(consumer: String, provider: String)]
    var providerMedianOutage: Double?
    var backupHours: Double?
    /// The providers' median outage lies beyond the horizon (then both figures are nil).
    var medianCensored = false
}

struct ZoneRow {
    var line: Int
    var zone, sector: String
    var pLoss: Double
    var meanDuration: Double?
    var peopleAffected: Double
    var warning: String

    static let levels = WarningLevel.allCases.reversed().map(\.rawValue)
    /// 0 severe ... 3 none.
    var severity: Int { Self.levels.firstIndex(of: warning) ?? 3 }
}

/// `portfolio` of `summary.json`: the best set of options within the budget, evaluated jointly.
struct PortfolioData {
    var line: Int
    var options: [String]
    var cost: Double?
    var lossReduction, ci95Low, ci95High: Double?
    /// "exact" or "greedy" ("" when not given).
    var method: String
}

/// One option of `mitigations.csv`.
struct MitigationRow {
    var line: Int
    var option: String
    var cost: Double?
    /// Mean paired loss reduction and its 95% CI (nil when the option was not evaluated).
    var lossReduction, ci95Low, ci95High: Double?
    var benefitCost: Double?
    var benefitCostUnit: String
    /// nil when the column is absent or empty (no budget).
    var inPortfolio: Bool?
    /// (other option, fraction of samples in which this option's loss is lower), file order.
    var beats: [(option: String, p: Double)]
    /// Why the option was not evaluated ("" when it was or no reason is given).
    var notEvaluated: String
    /// Owners whose assets or links the option acts on (empty when not recorded).
    var owners: [String] = []

    var evaluated: Bool { lossReduction != nil }
}

struct TimelineRow {
    var hours: Double
    var sector: String
    var mean, p05, p95: Double
}

/// Everything a result folder holds, as one typed value (issue "One typed result from run to
/// report"): the summary with its statistics, the asset and dependency rows, coordination, zones
/// with their warning levels, the timeline, the mitigation options, the hazard footprints and the
/// manifest's information. A run assembles it once (`ResultAssembly.assemble`); the writers
/// serialise it (`ResultText`, `ResultWriter`) and the renderers read it (`ReportBuilder`);
/// `kaskada report` reads it back from a folder's files (`ResultData.parse`).
///
/// The two large tables are lazy: a row is made when read, from the run's columns or from the
/// rows parsed from the file.
public struct ResultData {
    var summary: SummaryData
    /// By rank (then id).
    var assets: AssetRows
    var dependencies: DependencyRows?
    var coordination: [CoordinationRow]?
    var zones: [ZoneRow]?
    var timeline: [TimelineRow]?
    /// `mitigations.csv` (nil: absent), in the file's order.
    var mitigations: [MitigationRow]?
    /// `footprints.geojson`: the hazard footprints drawn on the map (empty: absent).
    var footprints: [FootprintShape] = []
    /// Whether the run computed rankings (`n1_impact`, `rrw`, `rank`).
    var rankings = false
    /// What `manifest.json` records besides the files' digests (nil: not known, e.g. read from
    /// a folder's data files).
    public var manifest: ManifestInfo? = nil

    var timed: Bool { summary.timed }
    var lossUnit: String { summary.lossUnit }

    /// Distinct non-empty owners of assets, in byte order.
    var owners: [String] {
        var s = Set<String>()
        for a in assets.inSourceOrder where !a.owner.isEmpty { s.insert(a.owner) }
        return s.sorted(by: RB.byteLess)
    }

    /// Sectors named by metrics, assets and the timeline, in byte order.
    var sectors: [String] {
        var s = Set<String>()
        for a in assets.inSourceOrder { s.insert(a.sector) }
        for name in summary.metrics.keys {
            for prefix in ["people_without_service.", "people_hours.", "restore95_hours."] where name.hasPrefix(prefix) {
                s.insert(String(name.dropFirst(prefix.count)))
            }
        }
        for r in timeline ?? [] { s.insert(r.sector) }
        return s.filter { !$0.isEmpty }.sorted(by: RB.byteLess)
    }

    func metric(_ name: String) -> MetricStats? { summary.metrics[name] }
}
