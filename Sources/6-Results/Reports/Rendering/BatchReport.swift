import Foundation
import InfraModel
import ResultFiles

/// The comparison of the scenarios of one `kaskada batch` (docs/specification.md sections 7 and 8;
/// docs/outputs.md "Batch outputs"): `batch.csv`, `batch.md` and `batch.html` for the batch
/// folder, built from the data files of each scenario's result folder only (`summary.json`
/// required; `assets.csv` and `coordination.csv` when present).
///
/// The output holds no dates, host names or paths of result folders: the same entries and folders
/// give the same bytes. Scenarios appear in the order of the entries; every choice among rows
/// (top asset, top owner pair, worst sector) has an explicit tie-break in byte order of names.
public enum BatchReport {
    /// One scenario of the batch.
    public struct Entry: Sendable, Equatable {
        /// The scenario's name: its result folder's name, and the link `<name>/report.html`.
        public var name: String
        /// The path of its result folder (read unless the entry failed).
        public var resultDir: String
        /// "computed", "up to date (skipped)", "failed: <reason>", ... An entry whose status starts
        /// with "failed" has no figures and its folder is not read.
        public var status: String
        /// The scenario's `annual_rate` when given. `annual_rate` of `summary.json` takes precedence.
        public var annualRate: Double?

        public init(name: String, resultDir: String, status: String, annualRate: Double? = nil) {
            self.name = name
            self.resultDir = resultDir
            self.status = status
            self.annualRate = annualRate
        }

        /// True when the status starts with "failed".
        public var failed: Bool { status.hasPrefix("failed") }
    }

    /// The stable columns of `batch.csv` (docs/specification.md section 8), then the extra ones.
    public static let csvColumns = [
        "scenario", "annual_rate", "loss_mean", "loss_ci95_low", "loss_ci95_high", "worst_sector",
        "top_asset", "top_owner_pair", "mode", "samples", "loss_unit", "expected_annual_loss", "status",
        "model", "model_sha256",
    ]

    /// `batch.csv`, `batch.md` and `batch.html` for the entries, in the given order (deterministic
    /// bytes). Throws `ReportDataError` when the result folder of an entry that did not fail has no
    /// readable `summary.json`, or when its `summary.json`, `assets.csv` or `coordination.csv` is
    /// malformed; every problem names the file by its path (`<resultDir>/summary.json`), the line
    /// and the field.
    /// `computed`: the figures of scenarios the batch has just computed, by entry name
    /// (`figures(_:)`), so that their folders are not read back.
    public static func build(_ entries: [Entry], computed: [String: Figures] = [:]) throws -> (csv: String, markdown: String, html: String) {
        var problems: [ReportDataError.Problem] = []
        var omitted: [String: Int] = [:]
        var rows: [Row] = []
        for e in entries {
            if e.failed {
                rows.append(Row(entry: e))
                continue
            }
            switch read(e, known: computed[e.name]) {
            case .success(let r): rows.append(r)
            case .failure(let err):
                problems += err.problems
                for (k, v) in err.omitted { omitted[k, default: 0] += v }
            }
        }
        if !problems.isEmpty { throw ReportDataError(problems: problems, omitted: omitted) }
        return (csv(rows), markdown(rows), html(rows))
    }

    // MARK: - One scenario's figures

    /// The figures of one scenario, as read from its result folder (all nil for a failed entry).
    struct Row {
        var entry: Entry
        var mode: String?
        var samples: Int?
        var lossUnit: String?
        var annualRate: Double?
        var mean: Double?
        var ci95Low: Double?
        var ci95High: Double?
        var expectedAnnualLoss: Double?
        /// The model's name and digest from summary.json ("" when not recorded).
        var model = "", modelSHA256 = ""
        var worstSector: String = ""
        var topAsset: String = ""
        /// (owner, depends_on_owner); nil when coordination.csv is absent or no pair has a positive expected loss.
        var topOwnerPair: (String, String)?
        /// The folder holds `report.html`.
        var hasReport = false
        /// What `worstSector` was chosen by (for the notes).
        var worstBasis: WorstBasis = .none

        init(entry: Entry) {
            self.entry = entry
            self.annualRate = entry.annualRate
        }

        var pairText: String { topOwnerPair.map { "\($0.0)->\($0.1)" } ?? "" }
    }

    public enum WorstBasis: Sendable { case none, weighted, peopleHours, peopleWithout }

    static func path(_ dir: String, _ file: String) -> String {
        dir.hasSuffix("/") ? dir + file : dir + "/" + file
    }

    /// Reads `<dir>/<file>`: nil when absent, an error when it exists but cannot be read as UTF-8 text.
    static func readText(_ dir: String, _ file: String) -> Result<String?, ReportDataError> {
        let p = path(dir, file)
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: p, isDirectory: &isDir) else { return .success(nil) }
        if isDir.boolValue {
            return .failure(ReportDataError(problems: [.init(file: p, line: 0, field: "", message: "is a folder, a file is expected")]))
        }
        guard let data = FileManager.default.contents(atPath: p) else {
            return .failure(ReportDataError(problems: [.init(file: p, line: 0, field: "", message: "the file could not be read")]))
        }
        guard let text = String(data: data, encoding: .utf8) else {
            return .failure(ReportDataError(problems: [.init(file: p, line: 0, field: "", message: "the file is not UTF-8 text")]))
        }
        return .success(text)
    }

    /// Problems of the report parser, with each file named by its path in the result folder.
    static func located(_ list: DiagnosticBag, _ dir: String) -> ReportDataError {
        let e = ReportDataError(list)
        return ReportDataError(
            problems: e.problems.map { .init(file: path(dir, $0.file), line: $0.line, field: $0.field, message: $0.message) },
            omitted: Dictionary(uniqueKeysWithValues: e.omitted.map { (path(dir, $0.key), $0.value) }))
    }

    /// The figures of one scenario's result as the batch shows them: from the result in memory
    /// (`figures(_:)`, a scenario the batch computed) or read from its folder (`read`).
    public struct Figures: Sendable {
        var mode: String
        var samples: Int
        var lossUnit: String
        /// `annual_rate` of summary.json.
        var annualRate: Double?
        var mean, ci95Low, ci95High: Double?
        /// `expected_annual_loss` of summary.json.
        var expectedAnnualLoss: Double?
        var model = "", modelSHA256 = ""
        var worstSector = "", worstBasis: WorstBasis = .none
        var topAsset = ""
        var topOwnerPair: (String, String)?
    }

    /// The figures of a result in memory (a scenario the batch has just computed: its files are
    /// not read back).
    public static func figures(_ d: ResultData) -> Figures {
        figures(summary: d.summary, weights: d.summary.weights, assets: d.assets.inSourceOrder, coordination: d.coordination)
    }

    /// The figures of a summary, its `weights` (nil: not recorded), its asset rows and its
    /// coordination rows (nil: absent).
    static func figures<S: Sequence>(
        summary: SummaryData, weights: [String: Double]?, assets: S?,
        coordination: [CoordinationRow]?
    ) -> Figures where S.Element == AssetRow {
        let loss = summary.metrics["loss"]
        var f = Figures(
            mode: summary.mode, samples: summary.samples, lossUnit: summary.lossUnit, annualRate: summary.annualRate,
            mean: loss?.mean, ci95Low: loss?.ci95Low, ci95High: loss?.ci95High,
            expectedAnnualLoss: summary.expectedAnnualLoss, model: summary.model, modelSHA256: summary.modelSHA256)
        (f.worstSector, f.worstBasis) = worstSector(summary, weights: weights)
        // a scenario without loss has no top asset or pair: nothing to act on
        if f.mean != 0 {
            if let assets { f.topAsset = topAsset(assets) }
            if let coordination { f.topOwnerPair = topOwnerPair(coordination) }
        }
        return f
    }

    /// The row of an entry that did not fail: its figures as given (`known`), else read from its
    /// result folder.
    static func read(_ e: Entry, known: Figures? = nil) -> Result<Row, ReportDataError> {
        let f: Figures
        if let known {
            f = known
        } else {
            switch readFigures(e.resultDir) {
            case .failure(let err): return .failure(err)
            case .success(let x): f = x
            }
        }
        var row = Row(entry: e)
        row.mode = f.mode
        row.samples = f.samples
        row.lossUnit = f.lossUnit
        row.mean = f.mean
        row.ci95Low = f.ci95Low
        row.ci95High = f.ci95High
        row.annualRate = f.annualRate ?? e.annualRate
        if let x = f.expectedAnnualLoss {
            row.expectedAnnualLoss = x
        } else if let r = row.annualRate, let m = row.mean {
            row.expectedAnnualLoss = r * m
        }
        (row.worstSector, row.worstBasis) = (f.worstSector, f.worstBasis)
        row.model = f.model
        row.modelSHA256 = f.modelSHA256
        row.topAsset = f.topAsset
        row.topOwnerPair = f.topOwnerPair
        var isDir: ObjCBool = false
        row.hasReport = FileManager.default.fileExists(atPath: path(e.resultDir, "report.html"), isDirectory: &isDir) && !isDir.boolValue
        return .success(row)
    }

    /// The figures of the result folder `dir`, read from `summary.json` (required), `assets.csv`
    /// and `coordination.csv` (when present).
    static func readFigures(_ dir: String) -> Result<Figures, ReportDataError> {
        var problems = DiagnosticBag()
        // summary.json (required)
        let summaryText: String
        switch readText(dir, "summary.json") {
        case .failure(let err): return .failure(err)
        case .success(nil):
            return .failure(
                ReportDataError(problems: [
                    .init(
                        file: path(dir, "summary.json"), line: 0, field: "",
                        message: "the file is missing (the batch report needs the summary.json of every scenario that did not fail)")
                ]))
        case .success(let t?): summaryText = t
        }
        let parsed = ResultData.parseSummary(summaryText, &problems)
        guard problems.isEmpty, let summary = parsed else { return .failure(located(problems, dir)) }
        // assets.csv (optional: top asset)
        var assets: [AssetRow]? = nil
        switch readText(dir, "assets.csv") {
        case .failure(let err): return .failure(err)
        case .success(nil): break
        case .success(let t?): assets = ResultData.parseAssets(.text(t), coordinates: summary.coordinates, &problems)
        }
        // coordination.csv (optional: top owner pair)
        var pairs: [CoordinationRow]? = nil
        switch readText(dir, "coordination.csv") {
        case .failure(let err): return .failure(err)
        case .success(nil): break
        case .success(let t?): pairs = ResultData.parseCoordination(t, &problems)
        }
        if !problems.isEmpty { return .failure(located(problems, dir)) }
        return .success(figures(summary: summary, weights: weights(summaryText), assets: assets, coordination: pairs))
    }

    /// `weights` of summary.json (sector → number) when present; `ResultWriter` does not write it
    /// today, so this is normally nil.
    static func weights(_ text: String) -> [String: Double]? {
        guard let root = try? JSONReader.parse(text), let w = root["weights"], case .object(let members) = w.kind else { return nil }
        var out: [String: Double] = [:]
        for (k, v) in members { if case .number(_, let x) = v.kind { out[k] = x } }
        return out
    }

    /// The sector with the largest mean loss, ties by name in byte order; "" when no sector has a
    /// positive mean. Sector losses are `people_hours.<sector>` (timed) or
    /// `people_without_service.<sector>` (static), weighted by `weights` of summary.json when it
    /// has them (missing sectors weigh 1). `ResultWriter` does not write the scenario's weights,
    /// so in practice the sector losses are **unweighted**: the worst sector is the one with the
    /// most people-hours (timed) or people (static) without service, which may differ from the
    /// sector that contributes most to the weighted headline `loss`.
    static func worstSector(_ s: SummaryData, weights: [String: Double]?) -> (String, WorstBasis) {
        let prefix = s.timed ? "people_hours." : "people_without_service."
        var best: (String, Double)? = nil
        for (name, m) in s.metrics where name.hasPrefix(prefix) {
            let sector = String(name.dropFirst(prefix.count))
            guard !sector.isEmpty, let mean = m.mean, mean.isFinite else { continue }
            let v = mean * (weights?[sector] ?? 1)
            guard v > 0 else { continue }
            if let b = best, !(v > b.1 || (v == b.1 && RB.byteLess(sector, b.0))) { continue }
            best = (sector, v)
        }
        guard let b = best else { return ("", .none) }
        return (b.0, weights != nil ? .weighted : s.timed ? .peopleHours : .peopleWithout)
    }

    /// The asset with rank 1; else (no ranks: run with `--no-rankings`) the highest positive
    /// `p_damage × n1_impact`; else the highest positive `p_outage` (ties: larger population, then
    /// id in byte order); "" when none.
    static func topAsset<S: Sequence>(_ assets: S) -> String where S.Element == AssetRow {
        if let a = assets.first(where: { $0.rank == 1 }) { return a.id }
        func pick(_ score: (AssetRow) -> Double?) -> String? {
            var best: (AssetRow, Double)? = nil
            for a in assets {
                guard let v = score(a), v.isFinite, v > 0 else { continue }
                if let b = best {
                    if v < b.1 { continue }
                    if v == b.1 {
                        if a.population < b.0.population { continue }
                        if a.population == b.0.population && !RB.byteLess(a.id, b.0.id) { continue }
                    }
                }
                best = (a, v)
            }
            return best?.0.id
        }
        return pick({ a in a.n1.map { a.pDamage * $0 } }) ?? pick({ $0.pOutage }) ?? ""
    }

    /// The pair with the largest positive `expected_loss`, ties by (owner, depends_on_owner) in byte order.
    static func topOwnerPair(_ rows: [CoordinationRow]) -> (String, String)? {
        var best: CoordinationRow? = nil
        for r in rows where r.expectedLoss.isFinite && r.expectedLoss > 0 {
            if let b = best {
                if r.expectedLoss < b.expectedLoss { continue }
                if r.expectedLoss == b.expectedLoss {
                    let less = r.owner != b.owner ? RB.byteLess(r.owner, b.owner) : RB.byteLess(r.dependsOn, b.dependsOn)
                    if !less { continue }
                }
            }
            best = r
        }
        return best.map { ($0.owner, $0.dependsOn) }
    }

    // MARK: - batch.csv

    static func num(_ x: Double?) -> String { x.map { JSON.number($0) } ?? "" }

    static func csv(_ rows: [Row]) -> String {
        var o = csvColumns.joined(separator: ",") + "\n"
        for r in rows {
            let fields: [String] = [
                CSV.field(r.entry.name), num(r.annualRate), num(r.mean), num(r.ci95Low), num(r.ci95High),
                CSV.field(r.worstSector), CSV.field(r.topAsset), CSV.field(r.pairText),
                CSV.field(r.mode ?? ""), r.samples.map(String.init) ?? "", CSV.field(r.lossUnit ?? ""),
                num(r.expectedAnnualLoss), CSV.field(r.entry.status), CSV.field(r.model), CSV.field(r.modelSHA256),
            ]
            o += fields.joined(separator: ",") + "\n"
        }
        return o
    }

    // MARK: - Content shared by batch.md and batch.html

    /// A table cell: text, optionally a link (a relative URL).
    struct Cell {
        var text: String
        var link: String? = nil
    }

    static let tableHeaders = [
        "scenario", "mode", "samples", "loss mean", "95% CI", "loss unit", "annual rate",
        "expected annual loss", "worst sector", "top asset", "top owner pair", "status",
    ]
    static let tableNumeric = [false, false, true, true, true, false, true, true, false, false, false, false]

    /// Percent-encodes everything but `[A-Za-z0-9._~-]` (a path segment).
    static func urlSegment(_ s: String) -> String {
        var o = ""
        for b in s.utf8 {
            if (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x2E || b == 0x5F || b == 0x7E || b == 0x2D {
                o.unicodeScalars.append(Unicode.Scalar(b))
            } else {
                o += String(format: "%%%02X", b)
            }
        }
        return o
    }

    static func reportLink(_ r: Row) -> String? {
        r.hasReport ? urlSegment(r.entry.name) + "/report.html" : nil
    }

    static func tableRows(_ rows: [Row]) -> [[Cell]] {
        rows.map { r in
            if r.entry.failed {
                return [
                    Cell(text: r.entry.name), Cell(text: ""), Cell(text: ""), Cell(text: ""), Cell(text: ""), Cell(text: ""),
                    Cell(text: r.annualRate.map(NumberText.exact) ?? ""), Cell(text: ""), Cell(text: ""), Cell(text: ""), Cell(text: ""),
                    Cell(text: r.entry.status),
                ]
            }
            return [
                Cell(text: r.entry.name, link: reportLink(r)), Cell(text: r.mode ?? ""), Cell(text: r.samples.map(String.init) ?? ""),
                Cell(text: NumberText.figure(r.mean)), Cell(text: r.ci95Low == nil && r.ci95High == nil ? "–" : RB.ci(r.ci95Low, r.ci95High)),
                Cell(text: r.lossUnit ?? ""), Cell(text: r.annualRate.map(NumberText.exact) ?? "–"),
                Cell(text: r.expectedAnnualLoss == nil ? "–" : NumberText.figure(r.expectedAnnualLoss)),
                Cell(text: r.worstSector.isEmpty ? "–" : r.worstSector), Cell(text: r.topAsset.isEmpty ? "–" : r.topAsset),
                Cell(text: r.topOwnerPair.map { "\($0.0) → \($0.1)" } ?? "–"), Cell(text: r.entry.status),
            ]
        }
    }

    /// Loss units of the scenarios with figures, in byte order.
    static func units(_ rows: [Row]) -> [String] {
        Array(Set(rows.compactMap { $0.entry.failed ? nil : $0.lossUnit })).sorted(by: RB.byteLess)
    }

    /// Σ expected annual loss per model and loss unit over the scenarios with one: (model label,
    /// unit, total, scenario names), models in order of first appearance, units in byte order.
    /// Losses of two models are never added: a flood over a town and over the region that includes
    /// it counts the town's people twice. Models are told apart by `model_sha256` (the content of
    /// their files); the label is the model's name, with the digest's first 8 digits when two
    /// models share a name. Results that record no model form one group, "model not recorded".
    static func totals(_ rows: [Row]) -> [(model: String, unit: String, total: Double, scenarios: [String])] {
        let with = rows.filter { !$0.entry.failed && $0.expectedAnnualLoss != nil }
        var keys: [String] = [], name: [String: String] = [:]
        for r in with where name[r.modelSHA256] == nil {
            keys.append(r.modelSHA256)
            name[r.modelSHA256] = r.model
        }
        var nameCount: [String: Int] = [:]
        for k in keys { nameCount[name[k]!, default: 0] += 1 }
        func label(_ k: String) -> String {
            let n = name[k]!
            if k.isEmpty && n.isEmpty { return "model not recorded" }
            return nameCount[n]! > 1 ? "\(n) (\(k.prefix(8)))" : n
        }
        var out: [(String, String, Double, [String])] = []
        for k in keys {
            let mine = with.filter { $0.modelSHA256 == k }
            for u in units(mine) {
                let us = mine.filter { $0.lossUnit == u }
                out.append((label(k), u, us.reduce(0) { $0 + $1.expectedAnnualLoss! }, us.map(\.entry.name)))
            }
        }
        return out
    }

    static func introText(_ rows: [Row]) -> String {
        let failed = rows.filter { $0.entry.failed }.count
        var o = "\(RB.plural(rows.count, "scenario")) in this batch"
        if failed > 0 { o += ", \(failed) failed" }
        o +=
            ". Loss is each scenario's headline loss (weighted people without service in static mode, weighted people-hours without service in timed mode): its mean over the samples with the 95% confidence interval of the mean, in its loss unit. Expected annual loss = annual rate × mean loss."
        return o
    }

    static func notesText(_ rows: [Row]) -> String {
        var o = "Worst sector: the sector with the largest mean "
        let weighted = rows.contains { $0.worstBasis == .weighted }
        o +=
            weighted
            ? "weighted loss"
            : "people-hours (timed) or people (static) without service, unweighted (summary.json does not hold the scenario's weights)"
        o +=
            ". Top asset: rank 1 in assets.csv; without rankings, the highest p_damage × n1_impact, else the highest p_outage; none when the mean loss is 0. "
        o +=
            "Top owner pair X → Y: the pair of coordination.csv with the largest positive expected loss at X's assets due to Y's (none without coordination.csv)."
        return o
    }

    static let unitsSentence =
        "Totals are given per model and per loss unit. Losses of different models are not added: the same flood over a town and over the region that includes it would count the town's people twice. Losses in different units (people in static scenarios, people-hours in timed ones) measure different things and cannot be added either."

    static func totalLines(_ rows: [Row]) -> [String] {
        totals(rows).map { t in
            "model \(t.model), \(t.unit): \(NumberText.figure(t.total)) \(t.unit) per year (\(RB.plural(t.scenarios.count, "scenario")): \(t.scenarios.joined(separator: ", ")))"
        }
    }

    static func noRateText(_ rows: [Row]) -> String? {
        let without = rows.filter { !$0.entry.failed && $0.expectedAnnualLoss == nil }.map(\.entry.name)
        guard !without.isEmpty else { return nil }
        return "Without an annual rate, not in the totals: \(without.joined(separator: ", "))."
    }

    /// Entries not computed in this batch: (name, status), in entry order.
    static func notComputed(_ rows: [Row]) -> [(String, String)] {
        rows.filter { $0.entry.status != "computed" }.map { ($0.entry.name, $0.entry.status) }
    }

    // MARK: - batch.md

    static func markdown(_ rows: [Row]) -> String {
        var o = "# Batch comparison\n\n"
        o += RB.md(introText(rows)) + "\n\n"
        o += "## Scenarios\n\n"
        o += "| " + tableHeaders.map(RB.md).joined(separator: " | ") + " |\n"
        o += "|" + tableNumeric.map { $0 ? "---:|" : "---|" }.joined() + "\n"
        for cells in tableRows(rows) {
            o +=
                "| "
                + cells.map { c -> String in
                    if c.text.isEmpty { return " " }
                    if let l = c.link { return "[" + RB.md(c.text) + "](" + l + ")" }
                    return RB.md(c.text)
                }.joined(separator: " | ") + " |\n"
        }
        o += "\n" + RB.md(notesText(rows)) + "\n\n"
        o += "## Expected annual loss\n\n"
        let lines = totalLines(rows)
        if lines.isEmpty {
            o += "No scenario has an annual rate, so there is no expected annual loss.\n\n"
        } else {
            o += "Σ annual rate × mean loss over the scenarios with an annual rate. " + RB.md(unitsSentence) + "\n\n"
            for l in lines { o += "- " + RB.md(l) + "\n" }
            o += "\n"
        }
        if let t = noRateText(rows) { o += RB.md(t) + "\n\n" }
        o += "## Failed or skipped scenarios\n\n"
        let nc = notComputed(rows)
        if nc.isEmpty {
            o += "None: every scenario was computed in this batch.\n"
        } else {
            for (name, status) in nc { o += "- " + RB.md(name) + ": " + RB.md(status) + "\n" }
        }
        return o
    }

    // MARK: - batch.html

    static let extraCSS = """
        a { color: #2f5d8a; }
        table.batch { font-size: 0.85em; }
        table.batch td.status { min-width: 8em; }
        tr.failed td { color: #8a1c1c; }
        """

    static func html(_ rows: [Row]) -> String {
        var o = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        o += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        o += "<title>Batch comparison — Kaskada</title>\n<style>\n\(ReportHTML.css)\n\(extraCSS)\n</style>\n</head>\n<body>\n<main>\n"
        o += "<h1 id=\"top\">Batch comparison</h1>\n"
        o +=
            "<nav><a href=\"#scenarios\">Scenarios</a> <a href=\"#loss\">Mean loss</a> <a href=\"#expected-annual-loss\">Expected annual loss</a> <a href=\"#not-computed\">Failed or skipped scenarios</a></nav>\n"
        o += "<p>" + RB.html(introText(rows)) + "</p>\n"
        o += "<h2 id=\"scenarios\">Scenarios</h2>\n<div class=\"wide\">\n<table class=\"batch\">\n<thead><tr>"
        for (k, h) in tableHeaders.enumerated() { o += (tableNumeric[k] ? "<th class=\"num\">" : "<th>") + RB.html(h) + "</th>" }
        o += "</tr></thead>\n<tbody>\n"
        for (r, cells) in zip(rows, tableRows(rows)) {
            o += r.entry.failed ? "<tr class=\"failed\">" : "<tr>"
            for (k, c) in cells.enumerated() {
                o += tableNumeric[k] ? "<td class=\"num\">" : k == cells.count - 1 ? "<td class=\"status\">" : "<td>"
                if let l = c.link { o += "<a href=\"" + RB.html(l) + "\">" + RB.html(c.text) + "</a>" } else { o += RB.html(c.text) }
                o += "</td>"
            }
            o += "</tr>\n"
        }
        o += "</tbody>\n</table>\n</div>\n"
        o += "<p class=\"note\">" + RB.html(notesText(rows)) + "</p>\n"
        o += "<h2 id=\"loss\">Mean loss</h2>\n"
        var charts = 0
        for (k, u) in units(rows).enumerated() {
            guard let svg = chart(rows.filter { !$0.entry.failed && $0.lossUnit == u }, unit: u, id: "chart-batch-loss-\(k + 1)") else { continue }
            charts += 1
            o +=
                "<figure>\n" + svg + "<figcaption>"
                + RB.html("Mean loss per scenario in \(u), with the 95% confidence interval of the mean (whiskers).") + "</figcaption>\n</figure>\n"
        }
        if charts == 0 { o += "<p class=\"note\">No scenario has a mean loss to draw.</p>\n" }
        o += "<h2 id=\"expected-annual-loss\">Expected annual loss</h2>\n"
        let lines = totalLines(rows)
        if lines.isEmpty {
            o += "<p>No scenario has an annual rate, so there is no expected annual loss.</p>\n"
        } else {
            o += "<p>" + RB.html("Σ annual rate × mean loss over the scenarios with an annual rate. " + unitsSentence) + "</p>\n"
            o += "<ul>\n" + lines.map { "<li>" + RB.html($0) + "</li>\n" }.joined() + "</ul>\n"
        }
        if let t = noRateText(rows) { o += "<p>" + RB.html(t) + "</p>\n" }
        o += "<h2 id=\"not-computed\">Failed or skipped scenarios</h2>\n"
        let nc = notComputed(rows)
        if nc.isEmpty {
            o += "<p>None: every scenario was computed in this batch.</p>\n"
        } else {
            o += "<ul>\n" + nc.map { "<li>" + RB.html($0.0) + ": " + RB.html($0.1) + "</li>\n" }.joined() + "</ul>\n"
        }
        o += "</main>\n</body>\n</html>\n"
        return o
    }

    static let barColour = "#4e79a7"

    /// Horizontal bars of mean loss with 95% CI whiskers, one row per scenario (entry order); nil when no row has a mean.
    static func chart(_ rows: [Row], unit: String, id: String) -> String? {
        let items = rows.filter { $0.mean?.isFinite == true }
        guard !items.isEmpty else { return nil }
        let labelW = 220.0, plotW = 520.0, rightW = 90.0
        let T = 36.0, rowH = 26.0, barH = 14.0
        let plotH = Double(items.count) * rowH
        let W = labelW + plotW + rightW, H = T + plotH + 62
        var lo = 0.0, hi = 0.0
        for r in items {
            for v in [r.mean, r.ci95Low, r.ci95High] { if let v, v.isFinite { lo = min(lo, v); hi = max(hi, v) } }
        }
        let xt = ReportCharts.ticks(lo, hi, count: 5)
        func fx(_ v: Double) -> Double { labelW + (v - xt.lo) / (xt.hi - xt.lo) * plotW }
        func cy(_ k: Int) -> Double { T + (Double(k) + 0.5) * rowH }
        var o = ReportCharts.open(id: id, width: W, height: H, title: "Mean loss per scenario with 95% CI (\(unit))")
        o += ReportCharts.text(labelW, T - 14, "Mean loss with its 95% CI (\(unit))", anchor: "start", extra: "font-weight=\"600\"")
        o += "<g stroke=\"#e3e6ea\" stroke-width=\"1\">\n"
        for x in xt.ticks { o += ReportCharts.line(fx(x), T, fx(x), T + plotH, "") }
        o += "</g>\n<g fill=\"#333\" font-size=\"10\">\n"
        for x in xt.ticks { o += ReportCharts.text(fx(x), T + plotH + 14, NumberText.figure(x)) }
        o += "</g>\n<g fill=\"#333\" font-size=\"11\">\n"
        o += ReportCharts.text(labelW + plotW / 2, T + plotH + 30, "mean loss (\(unit))")
        o += "</g>\n"
        o +=
            "<rect x=\"\(NumberText.coordinate(labelW))\" y=\"\(NumberText.coordinate(T))\" width=\"\(NumberText.coordinate(plotW))\" height=\"\(NumberText.coordinate(plotH))\" fill=\"none\" stroke=\"#9aa3ad\"/>\n"
        for (k, r) in items.enumerated() {
            let y = cy(k), v = r.mean!
            let name = r.entry.name
            o +=
                "<text x=\"\(NumberText.coordinate(labelW - 8))\" y=\"\(NumberText.coordinate(y + 4))\" text-anchor=\"end\">\(RB.html(ReportCharts.shorten(name, 32)))<title>\(RB.html(name))</title></text>\n"
            var tip = "\(name): mean loss \(NumberText.figure(v)) \(unit)"
            if r.ci95Low != nil || r.ci95High != nil { tip += " (95% CI \(RB.ci(r.ci95Low, r.ci95High)))" }
            if let e = r.expectedAnnualLoss { tip += ", expected annual loss \(NumberText.figure(e)) \(unit) per year" }
            let x0 = min(fx(0), fx(v)), x1 = max(fx(0), fx(v))
            o +=
                "<rect class=\"batch-bar\" x=\"\(NumberText.coordinate(x0))\" y=\"\(NumberText.coordinate(y - barH / 2))\" width=\"\(NumberText.coordinate(x1 - x0))\" height=\"\(NumberText.coordinate(barH))\" fill=\"\(barColour)\"><title>\(RB.html(tip))</title></rect>\n"
            var right = max(x1, fx(0))
            if let l = r.ci95Low, let h = r.ci95High, l.isFinite, h.isFinite {
                let a = fx(l), b = fx(h)
                o +=
                    "<path class=\"batch-ci\" d=\"M\(NumberText.coordinate(a)) \(NumberText.coordinate(y))H\(NumberText.coordinate(b))M\(NumberText.coordinate(a)) \(NumberText.coordinate(y - 5))V\(NumberText.coordinate(y + 5))M\(NumberText.coordinate(b)) \(NumberText.coordinate(y - 5))V\(NumberText.coordinate(y + 5))\" fill=\"none\" stroke=\"#1b1f24\" stroke-width=\"1.3\"/>\n"
                right = max(right, a, b)
            }
            o += ReportCharts.text(right + 6, y + 4, NumberText.figure(v), anchor: "start", extra: "font-size=\"11\" fill=\"#444\"")
        }
        if xt.lo < 0 { o += ReportCharts.line(fx(0), T, fx(0), T + plotH, "stroke=\"#6b7280\" stroke-width=\"1\"") }
        // legend
        let ly = T + plotH + 52, lx = labelW
        o += "<rect x=\"\(NumberText.coordinate(lx))\" y=\"\(NumberText.coordinate(ly - 9))\" width=\"12\" height=\"10\" fill=\"\(barColour)\"/>\n"
        o += ReportCharts.text(lx + 16, ly, "mean loss", anchor: "start", extra: "font-size=\"11\"")
        let wx = lx + 100
        o +=
            "<path d=\"M\(NumberText.coordinate(wx)) \(NumberText.coordinate(ly - 4))H\(NumberText.coordinate(wx + 24))M\(NumberText.coordinate(wx)) \(NumberText.coordinate(ly - 9))V\(NumberText.coordinate(ly + 1))M\(NumberText.coordinate(wx + 24)) \(NumberText.coordinate(ly - 9))V\(NumberText.coordinate(ly + 1))\" fill=\"none\" stroke=\"#1b1f24\" stroke-width=\"1.3\"/>\n"
        o += ReportCharts.text(wx + 30, ly, "95% CI of the mean", anchor: "start", extra: "font-size=\"11\"")
        return o + "</svg>\n"
    }
}
