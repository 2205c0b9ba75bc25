import Foundation

/// Builds `report.md`, `report.html` and `briefs/<owner>.md` from the data files of a result
/// folder only (DESIGN.md section 8; docs/outputs.md "Reports"): `summary.json` and `assets.csv`
/// are required; `dependencies.csv`, `coordination.csv`, `zones.csv` and `timeline.csv` are
/// optional, and a report section whose file is absent is replaced by one sentence saying why.
/// `mitigations.csv` is optional too; without it the report has no mitigation section at all.
///
/// The output holds no dates, host names or other state: the same files give the same bytes.
/// Everything is sorted with explicit tie-breaks (ids and names in byte order).
public struct ReportBuilder {
    /// The parsed data files.
    let data: ReportData

    /// The data files the builder reads, required ones first (what `kaskada report` should pass).
    public static let dataFileNames = ["summary.json", "assets.csv", "dependencies.csv", "coordination.csv",
                                       "zones.csv", "timeline.csv", "mitigations.csv", "footprints.geojson"]

    /// `files` maps a data file name (`summary.json`, `assets.csv`, ...) to its content. Names the
    /// builder does not read are ignored. Throws `ReportDataError` listing every problem found
    /// (up to 50 per file), each naming the file, line and field.
    public init(files: [String: String]) throws {
        data = try ReportData.parse(files: files)
    }

    /// As `init(files:)`, with `paths` naming files the builder reads itself (for `assets.csv`
    /// and `dependencies.csv` of a region: no copy of them as text first). A name in `files`
    /// wins.
    public init(files: [String: String], paths: [String: String]) throws {
        data = try ReportData.parse(files: files, tables: nil, paths: paths)
    }

    /// As `init(files:)`, with `assets.csv` and `dependencies.csv` given as the rows the run
    /// holds (the other files as text).
    init(files: [String: String], tables: ReportTables) throws {
        data = try ReportData.parse(files: files, tables: tables)
    }

    /// `report.md`, `report.html`, then `briefs/<owner>.md` per owner in file-name order.
    public func build() -> [(name: String, content: String)] {
        let doc = ReportDocument(data: data)
        let blocks = doc.blocks()
        var out: [(name: String, content: String)] = [
            ("report.md", BlockRenderer.markdown(blocks)),
            ("report.html", ReportHTML.page(title: data.summary.scenario, blocks: blocks)),
        ]
        let scopes = BriefWriter.Scope.all(data)
        let slots = BriefWriter.SlotTable()
        for (file, owner) in Self.briefFileNames(owners: data.owners) {
            out.append(("briefs/\(file)", BriefWriter(data: data, owner: owner, scope: scopes[owner] ?? .init(), slots: slots).markdown()))
        }
        return out
    }

    /// An owner's name reduced to `[A-Za-z0-9._-]` (every other character becomes `_`).
    public static func safeFileName(_ owner: String) -> String {
        var s = ""
        for ch in owner {
            if ch.isASCII, let a = ch.asciiValue,
               (a >= 0x30 && a <= 0x39) || (a >= 0x41 && a <= 0x5A) || (a >= 0x61 && a <= 0x7A) || a == 0x2E || a == 0x5F || a == 0x2D {
                s.append(ch)
            } else {
                s.append("_")
            }
        }
        return s
    }

    /// Brief file names (`<safe owner>.md`) for owners in byte order. Two owners that reduce to
    /// the same name: the first in byte order keeps it, the next get `-2`, `-3`, ...
    static func briefFileNames(owners: [String]) -> [(file: String, owner: String)] {
        var used = Set<String>()
        var out: [(file: String, owner: String)] = []
        for owner in owners.sorted(by: RB.byteLess) {
            let base = safeFileName(owner)
            var name = base + ".md"
            var k = 2
            while used.contains(name) {
                name = "\(base)-\(k).md"
                k += 1
            }
            used.insert(name)
            out.append((name, owner))
        }
        return out.sorted { RB.byteLess($0.file, $1.file) }
    }
}

/// Problems found in the data files of a result folder.
public struct ReportDataError: Error, Sendable, CustomStringConvertible {
    public struct Problem: Sendable, Equatable, CustomStringConvertible {
        /// The data file's name (`assets.csv`).
        public var file: String
        /// 1-based line, 0 when the problem concerns the whole file.
        public var line: Int
        /// The column or key concerned ("" when none).
        public var field: String
        public var message: String

        public init(file: String, line: Int, field: String, message: String) {
            self.file = file
            self.line = line
            self.field = field
            self.message = message
        }

        /// `file:line: error: field 'name': message`.
        public var description: String {
            var s = file
            if line > 0 { s += ":\(line)" }
            s += ": error: "
            if !field.isEmpty { s += "field '\(field)': " }
            return s + message
        }
    }

    /// Problems in file order, then line order; at most 50 per file.
    public var problems: [Problem]
    /// Problems per file beyond the 50 listed.
    public var omitted: [String: Int]

    public init(problems: [Problem], omitted: [String: Int] = [:]) {
        self.problems = problems
        self.omitted = omitted
    }

    public var description: String {
        var lines = problems.map(\.description)
        for (file, n) in omitted.sorted(by: { RB.byteLess($0.key, $1.key) }) where n > 0 {
            lines.append("\(file): error: \(n) more errors not shown")
        }
        return lines.joined(separator: "\n")
    }
}

// MARK: - The data

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
        return bytes.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[offsets[c]..<offsets[c + 1]]), as: UTF8.self) }
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
    init(strings: RowStrings, line: Int, idCode: Int32, sector: Int32, kind: Int32, owner: Int32, zone: Int32, population: Double,
         pDamage: Double, pOutage: Double, n1: Double?, rrw: Double?, meanOutage: Double?, rank: Int?,
         p90Outage: Double?, x: Double?, y: Double?) {
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
    init(strings: RowStrings, line: Int, consumer: Int32, provider: Int32, group: Int32, type: Int32, pCarried: Double,
         lossFollowing: Double?, consumerOwner: Int32, providerOwner: Int32, consumerLine: Int32, providerLine: Int32) {
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

    static let levels = ["severe", "warning", "advisory", "none"]
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

/// All data files of a result folder, parsed and checked.
struct ReportData {
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

// MARK: - Shared helpers

/// Small deterministic helpers shared by the report writers.
enum RB {
    /// Byte order of UTF-8 (the order of ids everywhere in Kaskada's outputs).
    static func byteLess(_ a: String, _ b: String) -> Bool {
        a.utf8.lexicographicallyPrecedes(b.utf8)
    }

    /// Human-readable numbers: integers and values of 1,000 and more without decimals and with
    /// thousands separators (one format in every report and brief, issue 13), values of 10 and
    /// more with one decimal, smaller ones with three significant digits; "–" for none.
    /// A time that may lie beyond the horizon: `> H` when `beyond` (a censored quantile or
    /// median: the event had not happened by the horizon in enough samples), else `g(x)`.
    static func hours(_ x: Double?, beyond: Bool, horizon: Double?) -> String {
        beyond ? "> " + g(horizon) : g(x)
    }

    static func g(_ x: Double?) -> String {
        guard let x, x.isFinite else { return "–" }
        if abs(x) >= 1000 || x == x.rounded() { return Figures.grouped(x) }   // 1,234,567
        if abs(x) >= 10 {
            let s = String(format: "%.1f", x)
            return s.hasSuffix(".0") ? String(s.dropLast(2)) : s
        }
        return String(format: "%.3g", x)
    }

    /// A 95% CI "lo–hi", "lo to hi" when a bound is negative (a dash would read as a minus sign).
    static func ci(_ lo: Double?, _ hi: Double?) -> String {
        if (lo ?? 0) < 0 || (hi ?? 0) < 0 { return "\(g(lo)) to \(g(hi))" }
        return "\(g(lo))–\(g(hi))"
    }

    /// Euros rounded to whole units, thousands separated by commas ("1,950,000"); "–" for none.
    static func eur(_ x: Double?) -> String {
        guard let x, x.isFinite else { return "–" }
        let v = x.rounded()
        var grouped = ""
        for (k, ch) in String(format: "%.0f", abs(v)).reversed().enumerated() {
            if k > 0 && k % 3 == 0 { grouped.append(",") }
            grouped.append(ch)
        }
        return (v < 0 ? "-" : "") + String(grouped.reversed())
    }

    /// Euros for chart labels: "1.2 M EUR", "150 k EUR", "900 EUR"; "–" for none.
    static func eurShort(_ x: Double?) -> String {
        guard let x, x.isFinite else { return "–" }
        let a = abs(x)
        let (d, suffix) = a >= 1e9 ? (1e9, " bn") : a >= 1e6 ? (1e6, " M") : a >= 1e3 ? (1e3, " k") : (1.0, "")
        return g(x / d) + suffix + " EUR"
    }

    /// A probability as a percentage with up to three significant digits ("30%", "0.5%").
    static func pct(_ x: Double?) -> String {
        guard let x, x.isFinite else { return "–" }
        return String(format: "%.3g", x * 100) + "%"
    }

    /// Probabilities: three significant digits, "–" for none.
    static func p(_ x: Double?) -> String {
        guard let x, x.isFinite else { return "–" }
        if x == 0 || x == 1 { return String(format: "%.0f", x) }
        return String(format: "%.3g", x)
    }

    /// Numbers in SVG coordinates: two decimals, no trailing zeros, never "-0".
    static func c(_ x: Double) -> String {
        guard x.isFinite else { return "0" }
        var s = String(format: "%.2f", x)
        while s.hasSuffix("0") { s.removeLast() }
        if s.hasSuffix(".") { s.removeLast() }
        if s == "-0" { s = "0" }
        return s
    }

    static func html(_ s: String) -> String {
        var o = ""
        o.reserveCapacity(s.utf8.count)
        for ch in s.unicodeScalars {
            switch ch {
            case "&": o += "&amp;"
            case "<": o += "&lt;"
            case ">": o += "&gt;"
            case "\"": o += "&quot;"
            case "'": o += "&#39;"
            default:
                if ch.value < 0x20 && ch != "\n" && ch != "\t" { o += " " } else { o.unicodeScalars.append(ch) }
            }
        }
        return o
    }

    /// Markdown text: characters that could start markup are backslash-escaped; line breaks become spaces.
    static func md(_ s: String) -> String {
        var o = ""
        let chars = Array(s)
        for (i, ch) in chars.enumerated() {
            switch ch {
            case "\\", "`", "*", "|", "<", ">", "[", "]", "#":
                o.append("\\")
                o.append(ch)
            case "_":
                // intraword underscores are not emphasis in CommonMark
                let before = i > 0 && (chars[i - 1].isLetter || chars[i - 1].isNumber)
                let after = i + 1 < chars.count && (chars[i + 1].isLetter || chars[i + 1].isNumber)
                if before && after { o.append(ch) } else { o += "\\_" }
            case "\n", "\r":
                o.append(" ")
            default:
                o.append(ch)
            }
        }
        return o
    }

    /// The permutation that sorts positions 0..<n by `less` (a strict total order on positions):
    /// element k is the position that comes k-th. 32-bit, so 4 bytes a row.
    /// - Complexity: O(n log n) comparisons.
    static func sortedOrder(_ n: Int, by less: (Int, Int) -> Bool) -> [Int32] {
        var order = [Int32](unsafeUninitializedCapacity: n) { b, c in
            for k in 0..<n { b[k] = Int32(k) }
            c = n
        }
        order.sort { less(Int($0), Int($1)) }
        return order
    }

    /// The first `k` elements of `xs` in the order `less` (a strict total order), without sorting all of them.
    static func topK<S: Sequence>(_ xs: S, _ k: Int, by less: (S.Element, S.Element) -> Bool) -> [S.Element] {
        guard k > 0 else { return [] }
        var top: [S.Element] = []
        top.reserveCapacity(k + 1)
        for x in xs {
            if top.count == k, !less(x, top[k - 1]) { continue }
            var i = top.count
            while i > 0 && less(x, top[i - 1]) { i -= 1 }
            top.insert(x, at: i)
            if top.count > k { top.removeLast() }
        }
        return top
    }

    /// "x, y and z".
    static func list(_ items: [String]) -> String {
        switch items.count {
        case 0: return ""
        case 1: return items[0]
        default: return items.dropLast().joined(separator: ", ") + " and " + items.last!
        }
    }

    static func plural(_ n: Int, _ one: String, _ many: String? = nil) -> String {
        "\(n) " + (n == 1 ? one : (many ?? one + "s"))
    }
}
