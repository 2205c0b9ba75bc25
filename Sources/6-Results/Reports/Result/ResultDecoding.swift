import Foundation
import InfraModel
import ModelIO
import ResultFiles

// Parsing and checking the data files of a result folder: CSV through ModelIO's `CSVReader`
// (RFC 4180, a BOM and CRLF line ends accepted), JSON through ResultFiles' `JSONReader` (keeps
// line numbers).

// MARK: - CSV

/// A result file's CSV table read strictly through ModelIO's `CSVReader` (the one CSV reader of
/// the project): rows are read one at a time, each with the line it starts on; a syntax error
/// (a stray or unclosed quote) ends the file with a problem, a row with another number of fields
/// than the header is reported and skipped.
final class ResultTable {
    let file: String
    let reader: CSVReader
    let column: [String: Int]
    private var stopped = false

    private init(file: String, reader: CSVReader, column: [String: Int]) {
        self.file = file; self.reader = reader; self.column = column
    }

    /// Where a table's bytes are: text in memory, or a file the reader reads itself (no copy
    /// of a large file as a String first).
    enum Source {
        case text(String)
        case path(String)
    }

    /// The table of `text` as the file `file`, or nil (with a problem) when it has no header
    /// row, a column appears twice in it, or it is not valid UTF-8.
    static func open(file: String, text: String, problems: inout DiagnosticBag) -> ResultTable? {
        open(file: file, source: .text(text), problems: &problems)
    }

    /// As `open(file:text:)`, from either source; problems name `file`.
    static func open(file: String, source: Source, problems: inout DiagnosticBag) -> ResultTable? {
        let reader: CSVReader
        do {
            switch source {
            case .text(let text): reader = try CSVReader(name: file, text: text)
            case .path(let path): reader = try CSVReader(path: path)
            }
        } catch {
            for d in error.diagnostics.errors { problems.error(file, line: d.line, field: d.field, d.message) }
            return nil
        }
        var column: [String: Int] = [:]
        var ok = true
        for (k, name) in reader.header.enumerated() {
            if column[name] != nil {
                problems.error(file, line: reader.line, field: name, "the column appears twice in the header")
                ok = false
            } else {
                column[name] = k
            }
        }
        if let e = reader.syntaxError {
            problems.error(file, line: e.line, e.message)
            return nil
        }
        return ok ? ResultTable(file: file, reader: reader, column: column) : nil
    }

    /// Reports required columns missing from the header; false when any is missing.
    func requireColumns(_ names: [String], problems: inout DiagnosticBag) -> Bool {
        var ok = true
        for name in names where column[name] == nil {
            problems.error(file, line: 1, field: name, "column missing from the header (expected \(names.joined(separator: ",")))")
            ok = false
        }
        return ok
    }

    /// Moves to the next row with as many fields as the header; false at the end of the file or
    /// at a syntax error (reported). A row with another number of fields is reported (file, line,
    /// the first missing field when it is short) and skipped.
    func nextRow(_ problems: inout DiagnosticBag) -> Bool {
        // rows are read into values at once: earlier rows' bytes can go
        reader.releaseEarlierRows()
        while !stopped && reader.nextRow() {
            if let e = reader.syntaxError {
                problems.error(file, line: e.line, e.message)
                stopped = true
                return false
            }
            let n = reader.fieldCount, h = reader.header.count
            guard n == h else {
                problems.error(file, line: reader.line, field: n < h ? reader.header[n] : "", "the row has \(n) fields, the header \(h)")
                continue
            }
            return true
        }
        stopped = true
        return false
    }

    /// The current row.
    var row: RowReader { RowReader(table: self, line: reader.line) }
}

/// Reads the fields of the current row of a `ResultTable`, recording a problem for each bad field.
struct RowReader {
    let table: ResultTable
    let line: Int

    /// The field of column `name` as written (empty when the column is absent).
    func text(_ name: String) -> String {
        guard let k = table.column[name] else { return "" }
        return String(decoding: table.reader.bytes(k), as: UTF8.self)
    }

    func required(_ name: String, _ problems: inout DiagnosticBag) -> String {
        let s = text(name)
        if s.isEmpty { problems.error(table.file, line: line, field: name, "must not be empty") }
        return s
    }

    /// A finite decimal, or nil when empty (a problem when `required`), checked against [lo, hi].
    func number(
        _ name: String, required: Bool = false, min lo: Double? = nil, max hi: Double? = nil,
        _ problems: inout DiagnosticBag
    ) -> Double? {
        let field = table.column[name].map { table.reader.number($0) } ?? .blank
        let x: Double
        switch field {
        case .blank:
            if required { problems.error(table.file, line: line, field: name, "must not be empty (a number is expected)") }
            return nil
        case .invalid(let s):
            problems.error(table.file, line: line, field: name, "expected a finite decimal number, found '\(s)'")
            return nil
        case .value(let v): x = v
        }
        if let lo, x < lo {
            problems.error(
                table.file, line: line, field: name,
                "expected a number \(hi != nil ? "in [\(NumberText.exact(lo)), \(NumberText.exact(hi!))]" : "≥ \(NumberText.exact(lo))"), found \(text(name))"
            )
            return nil
        }
        if let hi, x > hi {
            problems.error(
                table.file, line: line, field: name,
                "expected a number \(lo != nil ? "in [\(NumberText.exact(lo!)), \(NumberText.exact(hi))]" : "≤ \(NumberText.exact(hi))"), found \(text(name))"
            )
            return nil
        }
        return x
    }
}

enum RBNumber {
    /// A finite decimal (digits, sign, point, exponent); nil for anything else ("nan", "inf", hex).
    static func parse(_ s: String) -> Double? {
        if case .value(let x) = NumberParser.parse(s) { return x }
        return nil
    }
}

// MARK: - The data files

extension ResultData {
    // required columns: ResultSchema, shared with the writer
    static let assetColumns = ResultSchema.assets.required
    static let dependencyColumns = ResultSchema.dependencies.required
    static let coordinationColumns = ResultSchema.coordination.required
    static let zoneColumns = ResultSchema.zones.required
    static let timelineColumns = ResultSchema.timeline.required
    static let mitigationColumns = ResultSchema.mitigations.required

    /// The data files of a result folder read back into its `ResultData`, checked: every
    /// problem found (up to 50 per file) is thrown as `ReportDataError`, naming file, line and
    /// field. `paths` name files the CSV reader reads itself (`assets.csv` and `dependencies.csv`
    /// of a region: no copy of them as text first); a name in `files` wins.
    static func parse(files: [String: String], paths: [String: String] = [:]) throws -> ResultData {
        var problems = DiagnosticBag()
        // assets.csv and dependencies.csv: text, else a path read by the CSV reader
        func source(_ name: String) -> ResultTable.Source? { files[name].map { .text($0) } ?? paths[name].map { .path($0) } }
        for name in ["summary.json", "assets.csv"] where source(name) == nil {
            problems.error(name, line: 0, "the file is missing from the result folder (reports need summary.json and assets.csv)")
        }
        if !problems.isEmpty { throw ReportDataError(problems) }
        let summary = parseSummary(files["summary.json"]!, &problems)
        let strings = RowStrings()
        // the rows in file order
        let assetRows = parseAssets(source("assets.csv")!, coordinates: summary?.coordinates ?? "none", strings: strings, &problems)
        let unordered = AssetRows(order: (0..<Int32(assetRows.count)).map { $0 }, source: { assetRows[Int($0)] })
        var dependencyRows: [DependencyRow]? = nil
        if let src = source("dependencies.csv") {
            dependencyRows = parseDependencies(src, assets: unordered, strings: strings, &problems)
        }
        let rows = dependencyRows
        let (assets, dependencies) = orderRows(
            assetCount: assetRows.count, asset: { assetRows[Int($0)] },
            dependencyCount: rows?.count ?? 0, dependency: rows.map { r in { r[Int($0)] } },
            linesKnown: false)
        let coordination = files["coordination.csv"].map {
            parseCoordination($0, &problems).sorted { a, b in
                a.owner != b.owner ? RB.byteLess(a.owner, b.owner) : RB.byteLess(a.dependsOn, b.dependsOn)
            }
        }
        let zones = files["zones.csv"].map {
            parseZones($0, &problems).sorted { a, b in
                if a.zone != b.zone { return RB.byteLess(a.zone, b.zone) }
                if a.sector != b.sector { return RB.byteLess(a.sector, b.sector) }
                return a.line < b.line
            }
        }
        let timeline = files["timeline.csv"].map {
            parseTimeline($0, &problems).sorted { $0.sector != $1.sector ? RB.byteLess($0.sector, $1.sector) : $0.hours < $1.hours }
        }
        let mitigations = files["mitigations.csv"].map { parseMitigations($0, &problems) }
        let footprints = files["footprints.geojson"].map { HazardFootprints.parse($0, &problems) } ?? []
        if let mitigations, let summary { checkPortfolio(summary.portfolio, mitigations, &problems) }
        guard problems.isEmpty, let summary else { throw ReportDataError(problems) }
        var data = ResultData(
            summary: summary, assets: assets, dependencies: dependencies, coordination: coordination,
            zones: zones, timeline: timeline, mitigations: mitigations, footprints: footprints)
        data.rankings = assets.inSourceOrder.contains { $0.rank != nil }
        return data
    }

    /// The asset rows in report order (rank, then risk, then id) and the dependency rows in a
    /// canonical order (consumer, provider, group, type, line), from sources in file order, so
    /// that sums and ties do not depend on the order of a file's rows. `linesKnown`: every
    /// dependency row knows its consumer's and provider's lines in `assets.csv` (a run's rows).
    /// O(n) when the rows are already in these orders (as written), else O(n log n).
    static func orderRows(
        assetCount: Int, asset: @escaping (Int32) -> AssetRow, dependencyCount rowCount: Int,
        dependency: ((Int32) -> DependencyRow)?, linesKnown: Bool
    ) -> (AssetRows, DependencyRows?) {
        // Are the rows in id byte order (as assets.csv is written)? Then a row's position is an
        // integer key equivalent to its id (ids are unique): O(n) string comparisons here instead
        // of O(n log n) in the sorts.
        var idSorted = true
        if assetCount > 1 {
            var previous = asset(0).id
            for k in 1..<assetCount {
                let id = asset(Int32(k)).id
                if !RB.byteLess(previous, id) { idSorted = false; break }
                previous = id
            }
        }
        // by rank, then risk, then id, by precomputed keys (ids are unique, so the order is total)
        var rankKey = [Int32](repeating: 0, count: assetCount), riskKey = [Double](repeating: 0, count: assetCount)
        for k in 0..<assetCount {
            let a = asset(Int32(k))
            rankKey[k] = a.rank.map { Int32(clamping: $0) } ?? Int32.max
            riskKey[k] = a.risk
        }
        let assetOrder = RB.sortedOrder(assetCount) { i, j in
            if rankKey[i] != rankKey[j] { return rankKey[i] < rankKey[j] }
            if riskKey[i] != riskKey[j] { return riskKey[i] > riskKey[j] }
            return idSorted ? i < j : RB.byteLess(asset(Int32(i)).id, asset(Int32(j)).id)
        }
        rankKey = []; riskKey = []
        let assets = AssetRows(order: assetOrder, source: asset, sourceInIdOrder: idSorted)
        // dependency rows in a canonical order, so that sums and ties do not depend on the order
        // of the file's rows: by consumer and provider (their lines as keys when every row has
        // them and assets.csv is in id order), group, type, line
        var dependencyRows: DependencyRows?
        if let row = dependency {
            // the run's rows always know both lines; parsed rows may not
            var keyed = idSorted
            if !linesKnown {
                for k in 0..<rowCount where keyed {
                    let d = row(Int32(k))
                    if d.consumerLine < 0 || d.providerLine < 0 { keyed = false }
                }
            }
            func less(_ a: DependencyRow, _ b: DependencyRow) -> Bool {
                if keyed {
                    if a.consumerLine != b.consumerLine { return a.consumerLine < b.consumerLine }
                    if a.providerLine != b.providerLine { return a.providerLine < b.providerLine }
                } else {
                    if a.consumer != b.consumer { return RB.byteLess(a.consumer, b.consumer) }
                    if a.provider != b.provider { return RB.byteLess(a.provider, b.provider) }
                }
                if a.group != b.group { return RB.byteLess(a.group, b.group) }
                if a.type != b.type { return RB.byteLess(a.type, b.type) }
                return a.line < b.line
            }
            // as written, the rows are already in this order: checked in O(n), else sorted
            var inOrder = true
            if rowCount > 1 {
                var previous = row(0)
                for k in 1..<rowCount {
                    let d = row(Int32(k))
                    if !less(previous, d) { inOrder = false; break }
                    previous = d
                }
            }
            let order: [Int32]
            if inOrder {
                order = (0..<Int32(rowCount)).map { $0 }
            } else if keyed {
                let key = (0..<rowCount).map { k in
                    let d = row(Int32(k)); return UInt64(UInt32(d.consumerLine)) << 32 | UInt64(UInt32(d.providerLine))
                }
                order = RB.sortedOrder(rowCount) { i, j in key[i] != key[j] ? key[i] < key[j] : less(row(Int32(i)), row(Int32(j))) }
            } else {
                order = RB.sortedOrder(rowCount) { i, j in less(row(Int32(i)), row(Int32(j))) }
            }
            dependencyRows = DependencyRows(order: order, source: row)
        }
        return (assets, dependencyRows)
    }

    // MARK: summary.json

    static func parseSummary(_ text: String, _ problems: inout DiagnosticBag) -> SummaryData? {
        let file = "summary.json"
        let root: JSONValue
        do { root = try JSONReader.parse(text) } catch {
            problems.error(file, line: error.line, error.message)
            return nil
        }
        guard case .object = root.kind else {
            problems.error(file, line: root.line, "the top level must be an object, found \(root.typeName)")
            return nil
        }
        func bad(_ key: String, _ v: JSONValue, _ expected: String) {
            problems.error(file, line: v.line, field: key, "expected \(expected), found \(v.typeName)")
        }
        func missing(_ key: String) { problems.error(file, line: root.line, field: key, "missing (required)") }
        func string(_ key: String, required: Bool) -> String? {
            guard let v = root[key] else { if required { missing(key) }; return nil }
            if case .string(let s) = v.kind { return s }
            bad(key, v, "a string")
            return nil
        }
        func number(_ key: String, required: Bool, in v: JSONValue? = nil, label: String? = nil) -> Double? {
            guard let v = v ?? root[key] else { if required { missing(label ?? key) }; return nil }
            switch v.kind {
            case .number(_, let x): return x
            case .null where !required: return nil
            default: bad(label ?? key, v, required ? "a number" : "a number or null"); return nil
            }
        }
        func integer(_ key: String) -> (String, Int?)? {
            guard let v = root[key] else { missing(key); return nil }
            if case .number(let t, let x) = v.kind, t.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
                return (t, x <= Double(Int.max) ? Int(x) : nil)
            }
            bad(key, v, "a non-negative integer")
            return nil
        }
        let schema = integer("schema_version")
        let scenario = string("scenario", required: true)
        let mode = string("mode", required: true)
        if let m = mode, m != "static" && m != "timed" {
            problems.error(file, line: root["mode"]!.line, field: "mode", "expected \"static\" or \"timed\", found \"\(m)\"")
        }
        let samples = integer("samples")
        let seed = integer("seed")
        var stopped = false
        if let v = root["stopped_early"] {
            if case .bool(let x) = v.kind { stopped = x } else { bad("stopped_early", v, "true or false") }
        }
        let annual = number("annual_rate", required: false)
        let timed = mode == "timed"
        let horizon = number("horizon_hours", required: false)
        let step = number("step_hours", required: false)
        var unit = string("loss_unit", required: false) ?? (timed ? "people-hours" : "people")
        if unit.isEmpty { unit = timed ? "people-hours" : "people" }
        let eal = number("expected_annual_loss", required: false)
        let model = string("model", required: false) ?? "", modelSHA = string("model_sha256", required: false) ?? ""
        var weights: [String: Double] = [:]
        if let wv = root["weights"] {
            if case .object(let members) = wv.kind {
                for (k, v) in members {
                    if case .number(_, let x) = v.kind { weights[k] = x } else { bad("weights.\(k)", v, "a number") }
                }
            } else {
                bad("weights", wv, "an object of sector weights")
            }
        }
        let coordinates = string("coordinates", required: false) ?? "none"
        if !["wgs84", "projected", "none"].contains(coordinates) {
            problems.error(
                file, line: root["coordinates"]!.line, field: "coordinates", "expected \"wgs84\", \"projected\" or \"none\", found \"\(coordinates)\""
            )
        }
        var portfolio: PortfolioData? = nil
        if let pv = root["portfolio"] {
            switch pv.kind {
            case .null:
                break
            case .object:
                var options: [String] = []
                if let ov = pv["options"] {
                    if case .array(let items) = ov.kind {
                        for (k, item) in items.enumerated() {
                            if case .string(let s) = item.kind {
                                options.append(s)
                            } else {
                                bad("portfolio.options[\(k)]", item, "a string (an option id)")
                            }
                        }
                    } else {
                        bad("portfolio.options", ov, "an array of option ids")
                    }
                } else {
                    problems.error(file, line: pv.line, field: "portfolio.options", "missing (required)")
                }
                func field(_ key: String) -> Double? {
                    pv[key].flatMap { number(key, required: false, in: $0, label: "portfolio.\(key)") }
                }
                var method = ""
                if let m = pv["method"] {
                    if case .string(let s) = m.kind { method = s } else { bad("portfolio.method", m, "a string") }
                }
                portfolio = PortfolioData(
                    line: pv.line, options: options, cost: field("cost"), lossReduction: field("loss_reduction"),
                    ci95Low: field("ci95_low"), ci95High: field("ci95_high"), method: method)
            default:
                bad("portfolio", pv, "an object")
            }
        }
        var metrics: [String: MetricStats] = [:], metricNames: [String] = []
        if let mv = root["metrics"] {
            if case .object(let members) = mv.kind {
                for (name, v) in members {
                    guard case .object = v.kind else { bad("metrics.\(name)", v, "an object"); continue }
                    var m = MetricStats()
                    let keys: [(String, WritableKeyPath<MetricStats, Double?>)] = [
                        ("mean", \.mean), ("std", \.std), ("ci95_low", \.ci95Low), ("ci95_high", \.ci95High),
                        ("p50", \.p50), ("p90", \.p90), ("p95", \.p95), ("p99", \.p99), ("cvar95", \.cvar95),
                        ("restored_fraction", \.restoredFraction),
                    ]
                    for (key, path) in keys {
                        if let x = v[key] { m[keyPath: path] = number(key, required: false, in: x, label: "metrics.\(name).\(key)") }
                    }
                    if let c = v["censored"] {
                        if case .number(_, let x) = c.kind, x >= 0, x == x.rounded(), x < 1e15 {
                            m.censored = Int(x)
                        } else {
                            bad("metrics.\(name).censored", c, "a non-negative integer")
                        }
                    }
                    metrics[name] = m
                    metricNames.append(name)
                }
                if metrics["loss"] == nil { problems.error(file, line: mv.line, field: "metrics.loss", "missing (required)") }
            } else {
                bad("metrics", mv, "an object")
            }
        } else {
            missing("metrics")
        }
        var exceedance: [(loss: Double, probability: Double)] = []
        if let ev = root["exceedance"] {
            if case .array(let items) = ev.kind {
                for (k, item) in items.enumerated() {
                    guard case .object = item.kind else { bad("exceedance[\(k)]", item, "an object with loss and probability"); continue }
                    let l = item["loss"].flatMap { number("loss", required: true, in: $0, label: "exceedance[\(k)].loss") }
                    let p = item["probability"].flatMap { number("probability", required: true, in: $0, label: "exceedance[\(k)].probability") }
                    if item["loss"] == nil { problems.error(file, line: item.line, field: "exceedance[\(k)].loss", "missing (required)") }
                    if item["probability"] == nil {
                        problems.error(file, line: item.line, field: "exceedance[\(k)].probability", "missing (required)")
                    }
                    guard let l, let p else { continue }
                    if p < 0 || p > 1 {
                        problems.error(
                            file, line: item.line, field: "exceedance[\(k)].probability", "expected a number in [0, 1], found \(NumberText.exact(p))")
                        continue
                    }
                    exceedance.append((l, p))
                }
            } else {
                bad("exceedance", ev, "an array")
            }
        }
        exceedance.sort { $0.loss != $1.loss ? $0.loss > $1.loss : $0.probability < $1.probability }
        guard let schemaV = schema, let scenario, let mode, let samplesV = samples, let seedV = seed else { return nil }
        return SummaryData(
            schemaVersion: schemaV.1 ?? 0, scenario: scenario, mode: mode, samples: samplesV.1 ?? 0, seed: seedV.0,
            stoppedEarly: stopped, annualRate: annual, horizonHours: horizon, stepHours: step, lossUnit: unit,
            model: model, modelSHA256: modelSHA, weights: weights,
            expectedAnnualLoss: eal, coordinates: coordinates, portfolio: portfolio, metrics: metrics,
            metricNames: metricNames, exceedance: exceedance)
    }

    // MARK: assets.csv

    static func parseAssets(_ source: ResultTable.Source, coordinates: String, strings: RowStrings = RowStrings(), _ problems: inout DiagnosticBag)
        -> [AssetRow]
    {
        guard let t = ResultTable.open(file: "assets.csv", source: source, problems: &problems),
            t.requireColumns(assetColumns, problems: &problems)
        else { return [] }
        var out: [AssetRow] = []
        out.reserveCapacity(t.reader.estimatedRows)
        var seen: [String: Int] = [:]
        var ranks: [Int: Int] = [:]
        while t.nextRow(&problems) {
            let r = t.row, line = r.line
            let id = r.required("id", &problems)
            if !id.isEmpty {
                if let first = seen[id] { problems.error(t.file, line: line, field: "id", "'\(id)' appears again (first on line \(first))") }
                seen[id] = line
            }
            let sector = r.required("sector", &problems)
            let pop = r.number("population", required: true, min: 0, &problems)
            let pd = r.number("p_damage", required: true, min: 0, max: 1, &problems)
            let po = r.number("p_outage", required: true, min: 0, max: 1, &problems)
            let n1 = r.number("n1_impact", &problems)
            let rrw = r.number("rrw", &problems)
            let mo = r.number("mean_outage_hours", min: 0, &problems)
            let p90 = r.number("p90_outage_hours", min: 0, &problems)
            var rank: Int? = nil
            let rankText = r.text("rank")
            if !rankText.isEmpty {
                if let k = Int(rankText), k >= 1 {
                    if let first = ranks[k] { problems.error(t.file, line: line, field: "rank", "rank \(k) appears again (first on line \(first))") }
                    ranks[k] = line
                    rank = k
                } else {
                    problems.error(t.file, line: line, field: "rank", "expected an integer ≥ 1, found '\(rankText)'")
                }
            }
            let wgs = coordinates == "wgs84"
            let x = r.number("x", min: wgs ? -180 : nil, max: wgs ? 180 : nil, &problems)
            let y = r.number("y", min: wgs ? -90 : nil, max: wgs ? 90 : nil, &problems)
            if (r.text("x").isEmpty) != (r.text("y").isEmpty) {
                problems.error(t.file, line: line, field: r.text("x").isEmpty ? "x" : "y", "x and y must both be given or both be empty")
            }
            guard let pop, let pd, let po else { continue }
            out.append(
                AssetRow(
                    strings: strings, line: line, idCode: strings.addId(id), sector: strings.name(sector), kind: strings.name(r.text("kind")),
                    owner: strings.name(r.text("owner")), zone: strings.name(r.text("zone")),
                    population: pop, pDamage: pd, pOutage: po, n1: n1, rrw: rrw, meanOutage: mo, rank: rank,
                    p90Outage: p90, x: x, y: y))
        }
        return out
    }

    // MARK: dependencies.csv

    static func parseDependencies(_ source: ResultTable.Source, assets: AssetRows, strings: RowStrings, _ problems: inout DiagnosticBag)
        -> [DependencyRow]
    {
        guard let t = ResultTable.open(file: "dependencies.csv", source: source, problems: &problems),
            t.requireColumns(dependencyColumns, problems: &problems)
        else { return [] }
        let hasOwners = t.column["consumer_owner"] != nil && t.column["provider_owner"] != nil
        // asset position by id: the assets' lines in assets.csv, and their owners when the file
        // has no owner columns
        var index: [String: Int] = [:]
        index.reserveCapacity(assets.count)
        for (k, a) in assets.enumerated() { index[a.id] = k }
        var out: [DependencyRow] = []
        while t.nextRow(&problems) {
            let r = t.row, line = r.line
            let c = r.required("consumer", &problems)
            let p = r.required("provider", &problems)
            let pc = r.number("p_carried", min: 0, max: 1, &problems)
            let lf = r.number("loss_following", &problems)
            // owners from the columns, else from assets.csv; ids of known assets by their code
            let ci = index[c], pi = index[p]
            let co = hasOwners ? r.text("consumer_owner") : ci.map { assets[$0].owner } ?? ""
            let po = hasOwners ? r.text("provider_owner") : pi.map { assets[$0].owner } ?? ""
            out.append(
                DependencyRow(
                    strings: strings, line: line, consumer: ci.map { assets[$0].idCode } ?? strings.addId(c),
                    provider: pi.map { assets[$0].idCode } ?? strings.addId(p),
                    group: strings.name(r.text("group")), type: strings.name(r.text("type")),
                    pCarried: pc ?? 0, lossFollowing: lf, consumerOwner: strings.name(co), providerOwner: strings.name(po),
                    consumerLine: ci.map { Int32(assets[$0].line) } ?? -1,
                    providerLine: pi.map { Int32(assets[$0].line) } ?? -1))
        }
        return out
    }

    // MARK: coordination.csv

    static func parseCoordination(_ text: String, _ problems: inout DiagnosticBag) -> [CoordinationRow] {
        guard let t = ResultTable.open(file: "coordination.csv", text: text, problems: &problems),
            t.requireColumns(coordinationColumns, problems: &problems)
        else { return [] }
        var out: [CoordinationRow] = []
        var seen: [String: Int] = [:]
        while t.nextRow(&problems) {
            let r = t.row, line = r.line
            let o = r.required("owner", &problems)
            let d = r.required("depends_on_owner", &problems)
            let key = o + "\u{0}" + d
            if let first = seen[key] {
                problems.error(t.file, line: line, field: "depends_on_owner", "the pair (\(o), \(d)) appears again (first on line \(first))")
            }
            seen[key] = line
            let e = r.number("expected_loss", required: true, &problems)
            var top: [(consumer: String, provider: String)] = []
            let topText = r.text("top_dependencies")
            if !topText.isEmpty {
                for item in topText.split(separator: ";", omittingEmptySubsequences: false) {
                    let s = String(item)
                    if let range = s.range(of: "<-"), range.lowerBound != s.startIndex, range.upperBound != s.endIndex {
                        top.append((String(s[..<range.lowerBound]), String(s[range.upperBound...])))
                    } else {
                        problems.error(
                            t.file, line: line, field: "top_dependencies", "expected consumer<-provider items separated by ';', found '\(s)'")
                    }
                }
            }
            let med = r.number("provider_median_outage_hours", min: 0, &problems)
            let backup = r.number("backup_hours_to_ride_through", min: 0, &problems)
            let censoredText = r.text("median_outage_censored")
            if !["", "true", "false"].contains(censoredText) {
                problems.error(t.file, line: line, field: "median_outage_censored", "expected true, false or empty, found '\(censoredText)'")
            }
            guard let e else { continue }
            out.append(
                CoordinationRow(
                    line: line, owner: o, dependsOn: d, expectedLoss: e, top: top,
                    providerMedianOutage: med, backupHours: backup, medianCensored: censoredText == "true"))
        }
        return out
    }

    // MARK: zones.csv

    static func parseZones(_ text: String, _ problems: inout DiagnosticBag) -> [ZoneRow] {
        guard let t = ResultTable.open(file: "zones.csv", text: text, problems: &problems),
            t.requireColumns(zoneColumns, problems: &problems)
        else { return [] }
        var out: [ZoneRow] = []
        while t.nextRow(&problems) {
            let r = t.row, line = r.line
            let z = r.required("zone", &problems)
            let s = r.required("sector", &problems)
            let p = r.number("p_loss", required: true, min: 0, max: 1, &problems)
            let d = r.number("mean_duration_hours", min: 0, &problems)
            let people = r.number("people_affected", required: true, min: 0, &problems)
            let w = r.text("warning")
            if !ZoneRow.levels.contains(w) {
                problems.error(t.file, line: line, field: "warning", "expected none, advisory, warning or severe, found '\(w)'")
                continue
            }
            guard let p, let people else { continue }
            out.append(ZoneRow(line: line, zone: z, sector: s, pLoss: p, meanDuration: d, peopleAffected: people, warning: w))
        }
        return out
    }

    // MARK: timeline.csv

    static func parseTimeline(_ text: String, _ problems: inout DiagnosticBag) -> [TimelineRow] {
        guard let t = ResultTable.open(file: "timeline.csv", text: text, problems: &problems),
            t.requireColumns(timelineColumns, problems: &problems)
        else { return [] }
        var out: [TimelineRow] = []
        out.reserveCapacity(t.reader.estimatedRows)
        while t.nextRow(&problems) {
            let r = t.row
            let h = r.number("hours", required: true, min: 0, &problems)
            let s = r.required("sector", &problems)
            let m = r.number("mean", required: true, min: 0, &problems)
            let lo = r.number("p05", required: true, min: 0, &problems)
            let hi = r.number("p95", required: true, min: 0, &problems)
            guard let h, let m, let lo, let hi else { continue }
            out.append(TimelineRow(hours: h, sector: s, mean: m, p05: lo, p95: hi))
        }
        return out
    }

    // MARK: mitigations.csv

    /// Options in the file's order; columns found by header name, so appended columns are ignored.
    static func parseMitigations(_ text: String, _ problems: inout DiagnosticBag) -> [MitigationRow] {
        guard let t = ResultTable.open(file: "mitigations.csv", text: text, problems: &problems),
            t.requireColumns(mitigationColumns, problems: &problems)
        else { return [] }
        var out: [MitigationRow] = []
        var seen: [String: Int] = [:]
        while t.nextRow(&problems) {
            let r = t.row, line = r.line
            let id = r.required("option", &problems)
            if !id.isEmpty {
                if let first = seen[id] { problems.error(t.file, line: line, field: "option", "'\(id)' appears again (first on line \(first))") }
                seen[id] = line
            }
            let cost = r.number("cost", min: 0, &problems)
            let reduction = r.number("loss_reduction", &problems)
            let lo = r.number("ci95_low", &problems)
            let hi = r.number("ci95_high", &problems)
            let bc = r.number("benefit_cost", &problems)
            var inPortfolio: Bool? = nil
            switch r.text("in_portfolio") {
            case "": break
            case "true": inPortfolio = true
            case "false": inPortfolio = false
            case let other: problems.error(t.file, line: line, field: "in_portfolio", "expected true, false or empty, found '\(other)'")
            }
            var beats: [(option: String, p: Double)] = []
            let beatsText = r.text("p_beats")
            if !beatsText.isEmpty {
                for item in beatsText.split(separator: ";", omittingEmptySubsequences: false) {
                    let s = String(item)
                    // ids may hold ':'; the probability follows the last one
                    if let colon = s.lastIndex(of: ":"), colon != s.startIndex,
                        let p = RBNumber.parse(String(s[s.index(after: colon)...])), p >= 0, p <= 1
                    {
                        beats.append((String(s[..<colon]), p))
                    } else {
                        problems.error(
                            t.file, line: line, field: "p_beats",
                            "expected option:probability items (probability in [0, 1]) separated by ';', found '\(s)'")
                    }
                }
            }
            out.append(
                MitigationRow(
                    line: line, option: id, cost: cost, lossReduction: reduction, ci95Low: lo, ci95High: hi,
                    benefitCost: bc, benefitCostUnit: r.text("benefit_cost_unit"), inPortfolio: inPortfolio,
                    beats: beats, notEvaluated: r.text("not_evaluated"),
                    owners: r.text("owners").split(separator: ";").map(String.init)))
        }
        return out
    }

    /// Reports portfolio options missing from mitigations.csv and `in_portfolio` values that contradict the portfolio.
    static func checkPortfolio(_ portfolio: PortfolioData?, _ rows: [MitigationRow], _ problems: inout DiagnosticBag) {
        let ids = Set(rows.map(\.option))
        let members = Set(portfolio?.options ?? [])
        for id in portfolio?.options ?? [] where !ids.contains(id) {
            problems.error("summary.json", line: portfolio!.line, field: "portfolio.options", "'\(id)' is not an option of mitigations.csv")
        }
        for r in rows {
            if r.inPortfolio == true && !members.contains(r.option) {
                problems.error(
                    "mitigations.csv", line: r.line, field: "in_portfolio",
                    "true, but the portfolio of summary.json does not list '\(r.option)'")
            } else if r.inPortfolio == false && members.contains(r.option) {
                problems.error(
                    "mitigations.csv", line: r.line, field: "in_portfolio",
                    "false, but the portfolio of summary.json lists '\(r.option)'")
            }
        }
    }
}
