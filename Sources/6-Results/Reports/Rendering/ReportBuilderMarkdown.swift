import Foundation
import ResultFiles

// The report as a list of blocks, rendered to Markdown here and to HTML in ReportBuilderHTML.swift,
// so that both files carry the same content. Charts are HTML-only blocks.

/// A run of text in a paragraph.
enum Inline {
    case text(String)
    case code(String)
    case strong(String)
}

/// A table: headers, which columns are numeric (right-aligned), rows of plain-text cells.
struct ReportTable {
    var headers: [String]
    var numeric: [Bool]
    var rows: [[String]]
    /// The row holds a cell whose text is a file-internal class for HTML (e.g. a warning level).
    var rowClass: [String?] = []
}

enum Block {
    /// Level 1–3 and a stable anchor (HTML id; ignored in Markdown).
    case heading(Int, String, anchor: String)
    case paragraph([Inline])
    case bullets([[Inline]])
    case table(ReportTable)
    /// An inline SVG chart with a caption (HTML only).
    case chart(svg: String, caption: String)
    /// A paragraph in HTML only (e.g. why a chart is missing).
    case htmlParagraph([Inline])
    /// A paragraph in Markdown only (e.g. where a chart is).
    case markdownParagraph([Inline])
}

enum BlockRenderer {
    static func markdown(_ blocks: [Block]) -> String {
        var o = ""
        func inline(_ xs: [Inline]) -> String {
            xs.map { x -> String in
                switch x {
                case .text(let s): return RB.md(s)
                case .code(let s): return "`" + s.replacingOccurrences(of: "`", with: "'") + "`"
                case .strong(let s): return "**" + RB.md(s) + "**"
                }
            }.joined()
        }
        for b in blocks {
            switch b {
            case .heading(let level, let text, _):
                o += String(repeating: "#", count: level) + " " + RB.md(text) + "\n\n"
            case .paragraph(let xs), .markdownParagraph(let xs):
                o += inline(xs) + "\n\n"
            case .bullets(let items):
                for item in items { o += "- " + inline(item) + "\n" }
                o += "\n"
            case .table(let t):
                o += "| " + t.headers.map(RB.md).joined(separator: " | ") + " |\n"
                o += "|" + t.numeric.map { $0 ? "---:|" : "---|" }.joined() + "\n"
                for row in t.rows {
                    o += "| " + row.map { $0.isEmpty ? " " : RB.md($0) }.joined(separator: " | ") + " |\n"
                }
                o += "\n"
            case .chart, .htmlParagraph:
                continue
            }
        }
        while o.hasSuffix("\n\n") { o.removeLast() }
        return o
    }
}

/// The content of `report.md` and `report.html`.
struct ReportDocument {
    let data: ResultData

    var summary: SummaryData { data.summary }
    var unit: String { data.lossUnit }

    func blocks() -> [Block] {
        var b: [Block] = []
        b.append(.heading(1, summary.scenario, anchor: "top"))
        b.append(.paragraph([.text(runLine())]))
        b += summarySection()
        b += headline()
        b += data.timed ? restoration() : peopleWithoutService()
        b += mitigations()
        b += topAssets()
        b += outageAssets()
        b += map()
        b += dependencies()
        b += coordination()
        b += zones()
        b += lossDistribution()
        b.append(
            .paragraph(
                [.text("Built only from the data files of this result folder: ")]
                    + sourceFiles().enumerated().flatMap { k, f -> [Inline] in (k == 0 ? [] : [.text(", ")]) + [.code(f)] }
                    + [.text(". Briefs per owner are in "), .code("briefs/"), .text(".")]))
        return b
    }

    func sourceFiles() -> [String] {
        var f = ["summary.json", "assets.csv"]
        if data.dependencies != nil { f.append("dependencies.csv") }
        if data.coordination != nil { f.append("coordination.csv") }
        if data.zones != nil { f.append("zones.csv") }
        if data.timeline != nil { f.append("timeline.csv") }
        if data.mitigations != nil { f.append("mitigations.csv") }
        return f
    }

    func runLine() -> String {
        var o: String
        if data.timed {
            o = "Timed Monte Carlo, \(summary.samples) samples, seed \(summary.seed)"
            if let h = summary.horizonHours { o += ", horizon \(NumberText.figure(h)) h" }
            if let s = summary.stepHours { o += ", curves every \(NumberText.figure(s)) h" }
        } else {
            o = "Static Monte Carlo, \(summary.samples) samples, seed \(summary.seed)"
        }
        if let r = summary.annualRate { o += ", annual rate \(NumberText.exact(r))" }
        if summary.stoppedEarly { o += " (stopped early: the 95% confidence interval reached the target)" }
        return o + "."
    }

    // MARK: headline

    func headline() -> [Block] {
        var b: [Block] = [.heading(2, "Headline", anchor: "headline")]
        guard let loss = data.metric("loss") else { return b }
        let what = data.timed ? "weighted people-hours without service" : "weighted people without service"
        var line: [Inline] = [
            .text("Loss (\(what), in \(unit)): mean "), .strong(NumberText.figure(loss.mean)),
            .text(
                " (95% CI \(NumberText.figure(loss.ci95Low))–\(NumberText.figure(loss.ci95High))), median \(NumberText.figure(loss.p50)), p90 \(NumberText.figure(loss.p90)), p95 \(NumberText.figure(loss.p95)), p99 \(NumberText.figure(loss.p99)), CVaR95 \(NumberText.figure(loss.cvar95))."
            ),
        ]
        if let eal = expectedAnnualLoss() {
            line += [.text(" Expected annual loss: "), .strong(NumberText.figure(eal.value)), .text(" \(unit) per year (\(eal.how)).")]
        }
        b.append(.paragraph(line))
        var rows: [[String]] = [
            ["mean", NumberText.figure(loss.mean)], ["95% CI", "\(NumberText.figure(loss.ci95Low))–\(NumberText.figure(loss.ci95High))"],
            ["std", NumberText.figure(loss.std)], ["p50", NumberText.figure(loss.p50)], ["p90", NumberText.figure(loss.p90)],
            ["p95", NumberText.figure(loss.p95)],
            ["p99", NumberText.figure(loss.p99)], ["CVaR95 (mean of the worst 5%)", NumberText.figure(loss.cvar95)],
        ]
        if let eal = expectedAnnualLoss() { rows.append(["expected annual loss (\(unit) per year)", NumberText.figure(eal.value)]) }
        b.append(.table(ReportTable(headers: ["loss (\(unit))", "value"], numeric: [false, true], rows: rows)))
        return b
    }

    /// From summary.json, else annual_rate × mean loss.
    func expectedAnnualLoss() -> (value: Double, how: String)? {
        if let e = summary.expectedAnnualLoss {
            return (e, summary.annualRate.map { "annual rate \(NumberText.exact($0)) × mean loss" } ?? "from summary.json")
        }
        if let r = summary.annualRate, let m = data.metric("loss")?.mean {
            return (r * m, "annual rate \(NumberText.exact(r)) × mean loss")
        }
        return nil
    }

    // MARK: people without service (static)

    func peopleWithoutService() -> [Block] {
        var b: [Block] = [.heading(2, "People without service", anchor: "people")]
        var rows: [[String]] = []
        for s in data.sectors {
            guard let m = data.metric("people_without_service.\(s)") else { continue }
            rows.append([
                s, NumberText.figure(m.mean), "\(NumberText.figure(m.ci95Low))–\(NumberText.figure(m.ci95High))", NumberText.figure(m.p90),
                NumberText.figure(m.p99),
            ])
        }
        if rows.isEmpty {
            b.append(.paragraph([.text("summary.json has no people_without_service metrics, so no sector table is shown.")]))
        } else {
            b.append(
                .table(ReportTable(headers: ["sector", "mean", "95% CI", "p90", "p99"], numeric: [false, true, false, true, true], rows: rows)))
        }
        return b
    }

    // MARK: restoration (timed)

    /// Times of the restoration table: the first grid time at or after each of these hours.
    static let selectedHours: [Double] = [0, 6, 12, 24, 48, 72, 120, 168, 336, 720]

    /// "25% (10 of 40)": the samples in which the sector was restored by the horizon.
    static func restoredShare(_ r: MetricStats?, samples: Int) -> String {
        guard let r else { return "–" }
        let censored = r.censored ?? 0
        let restored = max(0, samples - censored)
        let pct = samples > 0 ? Double(restored) / Double(samples) * 100 : .nan
        return NumberText.fixed(pct, 0) + "% (\(restored) of \(samples))"
    }

    func restoration() -> [Block] {
        var b: [Block] = [.heading(2, "Restoration", anchor: "restoration")]
        let horizon = data.summary.horizonHours
        b.append(
            .paragraph([
                .text("People-hours without service over the horizon, and the time until 95% of each sector's people have service again for good ("),
                .code("restore95"),
                .text(
                    "). Samples in which that had not happened by the horizon (\(NumberText.figure(horizon)) h) are counted, not dropped: a median or p90 of \u{201C}> \(NumberText.figure(horizon))\u{201D} means that in at least half (a tenth) of the samples the sector was not restored within the horizon; \u{201C}restored by the horizon\u{201D} is the share of samples in which it was."
                ),
            ]))
        var rows: [[String]] = []
        for s in data.sectors {
            guard let ph = data.metric("people_hours.\(s)") else { continue }
            let r = data.metric("restore95_hours.\(s)")
            let peak = data.metric("people_without_service.\(s)")
            let censored = (r?.censored ?? 0) > 0
            rows.append([
                s, NumberText.figure(ph.mean), "\(NumberText.figure(ph.ci95Low))–\(NumberText.figure(ph.ci95High))", NumberText.figure(ph.p90),
                NumberText.figure(peak?.mean),
                RB.hours(r?.p50, beyond: censored && r?.p50 == nil, horizon: horizon),
                RB.hours(r?.p90, beyond: censored && r?.p90 == nil, horizon: horizon),
                Self.restoredShare(r, samples: data.summary.samples),
            ])
        }
        if rows.isEmpty {
            b.append(.paragraph([.text("summary.json has no people_hours metrics, so no restoration table is shown.")]))
        } else {
            b.append(
                .table(
                    ReportTable(
                        headers: [
                            "sector", "people-hours mean", "95% CI", "p90", "peak people without (mean)",
                            "restore95 median h", "restore95 p90 h", "restored by the horizon",
                        ],
                        numeric: [false, true, false, true, true, true, true, true], rows: rows)))
        }
        guard let timeline = data.timeline else {
            b.append(.paragraph([.code("timeline.csv"), .text(" is not in this result folder, so the restoration curve over time is not shown.")]))
            return b
        }
        let grid = Array(Set(timeline.map(\.hours))).sorted()
        let sectors = Array(Set(timeline.map(\.sector))).sorted(by: RB.byteLess)
        if grid.isEmpty || sectors.isEmpty {
            b.append(.paragraph([.code("timeline.csv"), .text(" has no rows, so the restoration curve over time is not shown.")]))
            return b
        }
        var byKey: [String: TimelineRow] = [:]
        for r in timeline { byKey["\(r.hours)|\(r.sector)"] = r }
        let gridEnd = summary.horizonHours ?? grid.last!
        var picks: [Double] = []
        for w in Self.selectedHours where w <= gridEnd {
            if let t = grid.first(where: { $0 >= w - 1e-9 }), !picks.contains(t) { picks.append(t) }
        }
        if !picks.isEmpty {
            b.append(
                .paragraph([.text("Mean people without service (90% band) at selected times; every step is in "), .code("timeline.csv"), .text(".")]))
            var rows: [[String]] = []
            for t in picks {
                var row = [NumberText.figure(t)]
                for s in sectors {
                    if let r = byKey["\(t)|\(s)"] {
                        row.append("\(NumberText.figure(r.mean)) (\(NumberText.figure(r.p05))–\(NumberText.figure(r.p95)))")
                    } else {
                        row.append("–")
                    }
                }
                rows.append(row)
            }
            b.append(.table(ReportTable(headers: ["hours"] + sectors, numeric: [true] + sectors.map { _ in false }, rows: rows)))
        }
        if let svg = ReportCharts.restoration(timeline: timeline, sectors: sectors, horizon: summary.horizonHours) {
            b.append(
                .chart(
                    svg: svg,
                    caption:
                        "Restoration curves: mean people without service per sector (line) with the band from p05 to p95 (shaded), from timeline.csv."
                ))
        }
        return b
    }

    // MARK: mitigations

    /// Options shown in the matrix of probabilities of beating (at most).
    static let maxBeatsMatrix = 12

    /// Evaluated options by loss reduction descending, then lower cost, then id.
    static func mitigationOrder(_ a: MitigationRow, _ b: MitigationRow) -> Bool {
        let x = a.lossReduction ?? -.infinity, y = b.lossReduction ?? -.infinity
        if x != y { return x > y }
        let ca = a.cost ?? .infinity, cb = b.cost ?? .infinity
        if ca != cb { return ca < cb }
        if a.option != b.option { return RB.byteLess(a.option, b.option) }
        return a.line < b.line
    }

    /// Whether the option is in the recommended portfolio; nil when the scenario has no budget.
    func inPortfolio(_ r: MitigationRow) -> Bool? {
        if let p = summary.portfolio { return p.options.contains(r.option) }
        return r.inPortfolio
    }

    /// The "Mitigation options" section: portfolio, ranked options, chart, matrix (none without mitigations.csv).
    func mitigations() -> [Block] {
        guard let rows = data.mitigations else { return [] }
        var b: [Block] = [.heading(2, "Mitigation options", anchor: "mitigations")]
        if rows.isEmpty {
            b.append(.paragraph([.code("mitigations.csv"), .text(" lists no options.")]))
            return b
        }
        let ranked = rows.filter(\.evaluated).sorted(by: Self.mitigationOrder)
        let skipped = rows.filter { !$0.evaluated }.sorted { $0.option != $1.option ? RB.byteLess($0.option, $1.option) : $0.line < $1.line }
        let hasBudget = summary.portfolio != nil || rows.contains { $0.inPortfolio != nil }
        b.append(.paragraph(portfolioSentence(rows: rows, hasBudget: hasBudget)))
        if !data.timed {
            b.append(
                .paragraph([
                    .text(
                        "This is a static run: every backup counts as exhausted and nothing is repaired, so options that act through backup hours, repair times or crews cannot act here (they are listed as not evaluated, with the timed scenario that evaluates them when there is one). A timed run of the same event can therefore recommend another portfolio."
                    )
                ]))
        }

        // benefit/cost: one unit in the header when all options share it, else per cell
        let units = Set(ranked.map(\.benefitCostUnit))
        let commonUnit = units.count == 1 ? units.first! : nil
        if !ranked.isEmpty {
            var how =
                "Each option was simulated on the same samples as the baseline (common random numbers), so its loss reduction is the mean of the paired per-sample differences (baseline loss minus loss with the option, in \(unit)) and its 95% CI is that of this paired mean (usually much narrower than comparing two independent runs). Options are ranked by loss reduction"
            if commonUnit == "ratio" {
                how +=
                    "; benefit/cost is the discounted value of the annual loss reduction over the option's lifetime divided by its discounted cost (above 1 it pays for itself)."
            } else if let u = commonUnit, !u.isEmpty {
                how += "; benefit/cost is the loss reduction per million EUR of cost (\(u))."
            } else {
                how += "."
            }
            b.append(.paragraph([.text(how)]))
            var headers = [
                "rank", "option", "cost (EUR)", "loss reduction (\(unit))", "95% CI",
                commonUnit.map { $0.isEmpty ? "benefit/cost" : "benefit/cost (\($0))" } ?? "benefit/cost",
            ]
            var numeric = [true, false, true, true, false, true]
            if hasBudget {
                headers.append("in portfolio")
                numeric.append(false)
            }
            var t = ReportTable(headers: headers, numeric: numeric, rows: [])
            for (k, r) in ranked.enumerated() {
                var bc = NumberText.figure(r.benefitCost)
                if commonUnit == nil, r.benefitCost != nil, !r.benefitCostUnit.isEmpty { bc += " " + r.benefitCostUnit }
                var row = [String(k + 1), r.option, NumberText.whole(r.cost), NumberText.figure(r.lossReduction), RB.ci(r.ci95Low, r.ci95High), bc]
                if hasBudget { row.append(inPortfolio(r).map { $0 ? "yes" : "no" } ?? "–") }
                t.rows.append(row)
            }
            b.append(.table(t))
            b += uncertainOptions(ranked)
        }
        if !skipped.isEmpty {
            var line: [Inline] = [.text(ranked.isEmpty ? "No option was evaluated: " : "Not evaluated: ")]
            for (k, r) in skipped.enumerated() {
                line.append(.text((k == 0 ? "" : "; ") + r.option + " (" + (r.notEvaluated.isEmpty ? "no reason given" : r.notEvaluated) + ")"))
            }
            line.append(.text("."))
            b.append(.paragraph(line))
        }
        if let (svg, note) = ReportCharts.mitigations(
            ranked: ranked, member: { hasBudget ? (inPortfolio($0) ?? false) : nil },
            unit: unit, benefitCostUnit: commonUnit, skipped: skipped.map(\.option))
        {
            var caption = "Mitigation options: mean loss reduction (\(unit)) per option with its 95% CI (whisker) and the cost as a label"
            caption += hasBudget ? ", options of the recommended portfolio highlighted" : ""
            caption += "; right: benefit/cost" + (commonUnit.map { $0.isEmpty ? "" : " (\($0))" } ?? "") + ". From mitigations.csv." + note
            b.append(.chart(svg: svg, caption: caption))
        }
        b += beatsMatrix(ranked)
        return b
    }

    /// The recommended portfolio with its cost, joint loss reduction and search method, or why there is none.
    func portfolioSentence(rows: [MitigationRow], hasBudget: Bool) -> [Inline] {
        guard let p = summary.portfolio else {
            if hasBudget {
                return [.text("No portfolio is recommended: no evaluated option fits within the scenario's budget.")]
            }
            return [.text("The scenario sets no budget, so no portfolio is recommended; the options are compared one by one.")]
        }
        if p.options.isEmpty { return [.text("The portfolio in "), .code("summary.json"), .text(" holds no option.")] }
        var o: [Inline] = [
            .text("Recommended portfolio within the budget: "), .strong(RB.list(p.options)),
            .text(", cost \(NumberText.whole(p.cost)) EUR, joint loss reduction "), .strong(NumberText.figure(p.lossReduction)),
            .text(" \(unit) (95% CI \(RB.ci(p.ci95Low, p.ci95High))), with all its actions applied together on the same samples"),
        ]
        switch p.method {
        case "exact": o.append(.text(" (exact search: every set of options within the budget was evaluated)."))
        case "greedy":
            o.append(
                .text(
                    " (greedy search: options added one at a time by the largest joint gain per euro, the set re-evaluated at each step; not guaranteed to be the best set)."
                ))
        case "": o.append(.text("."))
        default: o.append(.text(" (search method: \(p.method))."))
        }
        let singles = p.options.compactMap { id in rows.first { $0.option == id }?.lossReduction }
        if p.options.count > 1 && singles.count == p.options.count {
            o.append(.text(" Separately, its options reduce the loss by \(NumberText.figure(singles.reduce(0, +))) \(unit) in sum."))
        }
        return o
    }

    /// A sentence naming options that changed the loss in no sample and options whose 95% CI includes 0.
    func uncertainOptions(_ ranked: [MitigationRow]) -> [Block] {
        var none: [String] = [], unsure: [String] = []
        for r in ranked {
            guard let lo = r.ci95Low, let hi = r.ci95High, lo <= 0, hi >= 0 else { continue }
            if lo == 0 && hi == 0 && r.lossReduction == 0 { none.append(r.option) } else { unsure.append(r.option) }
        }
        var text: [String] = []
        if !none.isEmpty {
            text.append("\(RB.list(none)) \(none.count == 1 ? "changes" : "change") the loss in no sample.")
        }
        if !unsure.isEmpty {
            text.append(
                "The 95% CI of \(RB.list(unsure)) includes 0, so these samples do not show that \(unsure.count == 1 ? "it reduces" : "they reduce") the loss (more samples narrow the CI)."
            )
        }
        return text.isEmpty ? [] : [.paragraph([.text(text.joined(separator: " "))])]
    }

    /// Probabilities that the row's option beats the column's, for 2 to 12 evaluated options.
    func beatsMatrix(_ ranked: [MitigationRow]) -> [Block] {
        guard ranked.count >= 2, ranked.contains(where: { !$0.beats.isEmpty }) else { return [] }
        guard ranked.count <= Self.maxBeatsMatrix else {
            return [
                .paragraph([
                    .text(
                        "With \(ranked.count) evaluated options (more than \(Self.maxBeatsMatrix)) the probabilities of beating are not tabled here; they are in the "
                    ),
                    .code("p_beats"), .text(" column of "), .code("mitigations.csv"), .text("."),
                ])
            ]
        }
        var b: [Block] = [
            .paragraph([
                .text(
                    "Probability of beating: the fraction of samples in which the row's option has a lower loss than the column's (columns by rank as in the table above; equal losses count for neither side)."
                )
            ])
        ]
        var t = ReportTable(
            headers: ["rank", "option"] + ranked.indices.map { "vs \($0 + 1)" },
            numeric: [true, false] + ranked.map { _ in true }, rows: [])
        for (i, r) in ranked.enumerated() {
            var p: [String: Double] = [:]
            for (other, x) in r.beats where p[other] == nil { p[other] = x }
            var row = [String(i + 1), r.option]
            for (j, c) in ranked.enumerated() { row.append(i == j ? "–" : NumberText.probability(p[c.option])) }
            t.rows.append(row)
        }
        b.append(.table(t))
        return b
    }

    // MARK: assets

    func topAssets() -> [Block] {
        var b: [Block] = [.heading(2, "Top assets by rank", anchor: "assets")]
        let top = data.assets.prefix(20)
        if top.isEmpty {
            b.append(.paragraph([.code("assets.csv"), .text(" has no rows, so no assets are ranked.")]))
            return b
        }
        let noRankings = data.assets.inSourceOrder.allSatisfy { $0.n1 == nil && $0.rrw == nil }
        var intro: [Inline] = [
            .text("Rank: by risk reduction worth ("), .code("rrw"),
            .text(", mean loss avoided if the asset could not be damaged) descending, assets without it after them by "),
            .code("p_damage × n1_impact"), .text("; "), .code("n1_impact"), .text(" is the loss in people when only this asset is damaged."),
        ]
        if noRankings {
            intro += [
                .text(" This run computed no rankings ("), .code("n1_impact"), .text(" and "), .code("rrw"),
                .text(" are empty), so the order is that of the "), .code("rank"), .text(" column, else "), .code("p_outage × population"),
                .text("."),
            ]
        }
        b.append(.paragraph(intro))
        var headers = ["rank", "asset", "sector", "kind", "owner", "zone", "population", "p_damage", "p_outage", "n1_impact", "rrw"]
        var numeric = [true, false, false, false, false, false, true, true, true, true, true]
        if data.timed {
            headers += ["mean outage h", "p90 outage h"]
            numeric += [true, true]
        }
        var rows: [[String]] = []
        for a in top {
            var row = [
                a.rank.map(String.init) ?? "–", a.id, a.sector, a.kind, a.owner, a.zone, NumberText.figure(a.population),
                NumberText.probability(a.pDamage), NumberText.probability(a.pOutage), NumberText.figure(a.n1), NumberText.figure(a.rrw),
            ]
            if data.timed { row += [NumberText.figure(a.meanOutage), NumberText.figure(a.p90Outage)] }
            rows.append(row)
        }
        b.append(.table(ReportTable(headers: headers, numeric: numeric, rows: rows)))
        if data.assets.count > top.count {
            b.append(.paragraph([.text("… \(data.assets.count - top.count) more assets in "), .code("assets.csv"), .text(", in rank order.")]))
        }
        return b
    }

    /// Static: assets most often out of service; timed: assets with the longest outages.
    func outageAssets() -> [Block] {
        if data.timed {
            let top = RB.topK(data.assets.inSourceOrder.filter { ($0.meanOutage ?? 0) > 0 }, 15) {
                let x = $0.meanOutage ?? 0, y = $1.meanOutage ?? 0
                return x != y ? x > y : RB.byteLess($0.id, $1.id)
            }
            guard !top.isEmpty else { return [] }
            let rows = top.map { a in
                [
                    a.id, a.sector, a.kind, a.owner, NumberText.figure(a.population), NumberText.probability(a.pDamage),
                    NumberText.figure(a.meanOutage), NumberText.figure(a.p90Outage),
                ]
            }
            return [
                .heading(2, "Assets with the longest outages", anchor: "outages"),
                .table(
                    ReportTable(
                        headers: ["asset", "sector", "kind", "owner", "population", "p_damage", "mean outage h", "p90 outage h"],
                        numeric: [false, false, false, false, true, true, true, true], rows: rows)),
            ]
        }
        let out = data.assets.inSourceOrder.filter { $0.pOutage > 0 }
        let top = RB.topK(out, 15) {
            $0.pOutage != $1.pOutage ? $0.pOutage > $1.pOutage : RB.byteLess($0.id, $1.id)
        }
        guard !top.isEmpty else { return [] }
        let rows = top.map { a in [a.id, a.sector, a.kind, a.owner, NumberText.probability(a.pDamage), NumberText.probability(a.pOutage)] }
        var b: [Block] = [
            .heading(2, "Assets most often out of service", anchor: "outages"),
            .table(
                ReportTable(
                    headers: ["asset", "sector", "kind", "owner", "p_damage", "p_outage"],
                    numeric: [false, false, false, false, true, true], rows: rows)),
        ]
        let more = out.count - top.count
        if more > 0 {
            b.append(
                .paragraph([
                    .text("… \(more) more assets out of service in some sample in "), .code("assets.csv"), .text(" (column "), .code("p_outage"),
                    .text(")."),
                ]))
        }
        return b
    }

    /// The map of assets (HTML only).
    func map() -> [Block] {
        var b: [Block] = [.heading(2, "Map of assets", anchor: "map")]
        if summary.coordinates == "none" {
            b.append(
                .paragraph([
                    .text("The model has no coordinates ("), .code("coordinates"), .text(" is \"none\" in "), .code("summary.json"),
                    .text("), so no map of assets is drawn."),
                ]))
            return b
        }
        guard let (svg, note) = ReportCharts.map(assets: data.assets, coordinates: summary.coordinates, footprints: data.footprints) else {
            b.append(.paragraph([.text("No asset in "), .code("assets.csv"), .text(" has x and y, so no map of assets is drawn.")]))
            return b
        }
        let risk = data.assets.inSourceOrder.contains { $0.n1 != nil } ? "p_damage × n1_impact" : "p_outage × population"
        b.append(.markdownParagraph([.text("The map of assets coloured by risk (\(risk)) is drawn in "), .code("report.html"), .text(".")]))
        b.append(
            .chart(
                svg: svg,
                caption: "Map of assets coloured by risk (\(risk))"
                    + (summary.coordinates == "wgs84" ? ", equirectangular projection." : ", projected coordinates.") + note))
        return b
    }

    // MARK: dependencies

    func dependencies() -> [Block] {
        var b: [Block] = [.heading(2, "Dependencies that carry failures", anchor: "dependencies")]
        guard let deps = data.dependencies else {
            b.append(
                .paragraph([.code("dependencies.csv"), .text(" is not in this result folder, so dependencies that carry failures are not listed.")]))
            return b
        }
        let top = RB.topK(deps.lazy.filter { $0.score > 0 }, 15, by: Self.dependencyOrder)
        if top.isEmpty {
            b.append(
                .paragraph([
                    .text("No dependency row carried a failure followed by a loss in any sample ("), .code("dependencies.csv"),
                    .text(", \(RB.plural(deps.count, "row"))."),
                ]))
            return b
        }
        b.append(
            .paragraph([
                .text(
                    "A row carried a failure in a sample when its provider was not working, its requirement did not hold and the consumer could otherwise work; "
                ),
                .code("loss_following"),
                .text(" is the mean loss at the consumer's sector in those samples. Top \(top.count) of \(deps.count) rows by "),
                .code("p_carried × loss_following"), .text("."),
            ]))
        let rows = top.map { d in
            [
                d.consumer, d.consumerOwner, d.provider, d.providerOwner, d.type, d.group, NumberText.probability(d.pCarried),
                NumberText.figure(d.lossFollowing), NumberText.figure(d.score),
            ]
        }
        b.append(
            .table(
                ReportTable(
                    headers: [
                        "consumer", "consumer owner", "provider", "provider owner", "type", "group", "p_carried", "loss_following",
                        "p_carried × loss_following",
                    ],
                    numeric: [false, false, false, false, false, false, true, true, true], rows: rows)))
        return b
    }

    static func dependencyOrder(_ a: DependencyRow, _ b: DependencyRow) -> Bool {
        if a.score != b.score { return a.score > b.score }
        if a.consumer != b.consumer { return RB.byteLess(a.consumer, b.consumer) }
        if a.provider != b.provider { return RB.byteLess(a.provider, b.provider) }
        if a.group != b.group { return RB.byteLess(a.group, b.group) }
        return a.line < b.line
    }

    // MARK: coordination

    func coordination() -> [Block] {
        var b: [Block] = [.heading(2, "Coordination between owners", anchor: "coordination")]
        guard let coord = data.coordination else {
            b.append(
                .paragraph([
                    .code("coordination.csv"), .text(" is not in this result folder (runs with "), .code("--no-rankings"),
                    .text(" skip it), so owner pairs are not listed."),
                ]))
            return b
        }
        let positive = coord.filter { $0.expectedLoss > 0 }.sorted(by: Self.coordinationOrder)
        if positive.isEmpty {
            b.append(
                .paragraph([
                    .text("No owner's assets lose anything because of another owner's assets ("), .code("coordination.csv"),
                    .text(", \(RB.plural(coord.count, "pair")), all with expected loss 0)."),
                ]))
        } else {
            let top = positive.prefix(15)
            b.append(
                .paragraph([
                    .code("expected_loss"),
                    .text(
                        ": mean loss at the owner's assets minus the mean loss with every asset of the other owner undamageable (same samples), in \(unit). Top \(top.count) of \(positive.count) pairs with an expected loss"
                    ),
                    .text(coord.count > positive.count ? "; \(coord.count - positive.count) pairs with none are not listed." : "."),
                ]))
            var headers = ["owner", "depends on owner", "expected loss", "top dependencies (consumer<-provider)"]
            var numeric = [false, false, true, false]
            if data.timed {
                headers += ["provider median outage h", "backup hours to ride through"]
                numeric += [true, true]
            }
            let rows = top.map { c -> [String] in
                var row = [
                    c.owner, c.dependsOn, NumberText.figure(c.expectedLoss), c.top.map { "\($0.consumer)<-\($0.provider)" }.joined(separator: "; "),
                ]
                if data.timed {
                    let h = data.summary.horizonHours
                    row += [
                        RB.hours(c.providerMedianOutage, beyond: c.medianCensored, horizon: h),
                        RB.hours(c.backupHours, beyond: c.medianCensored, horizon: h),
                    ]
                }
                return row
            }
            b.append(.table(ReportTable(headers: headers, numeric: numeric, rows: rows)))
            if data.timed {
                b.append(
                    .paragraph([
                        .text(
                            "Provider median outage: the median length of the providers' outages when out (Kaplan–Meier when outages were still running at the horizon); \u{201C}> \(NumberText.figure(data.summary.horizonHours)) h\u{201D}: more than half of them outlast the horizon, so no backup within it rides through."
                        )
                    ]))
            }
        }
        if let (svg, note) = ReportCharts.coordination(rows: coord) {
            b.append(
                .chart(
                    svg: svg,
                    caption: "Coordination heat map: expected loss at the row owner's assets due to the column owner's assets (\(unit))." + note))
        }
        return b
    }

    static func coordinationOrder(_ a: CoordinationRow, _ b: CoordinationRow) -> Bool {
        if a.expectedLoss != b.expectedLoss { return a.expectedLoss > b.expectedLoss }
        if a.owner != b.owner { return RB.byteLess(a.owner, b.owner) }
        return RB.byteLess(a.dependsOn, b.dependsOn)
    }

    // MARK: zones

    /// Zone–sector rows listed in the report (the most severe first); the rest are counted and
    /// left to `zones.csv`, so a region of thousands of zones keeps a readable report.
    static let maxZoneRows = 100

    func zones() -> [Block] {
        var b: [Block] = [.heading(2, "Zone warnings", anchor: "zones")]
        guard let zones = data.zones else {
            b.append(.paragraph([.code("zones.csv"), .text(" is not in this result folder, so zone warnings are not listed.")]))
            return b
        }
        let warned = zones.filter { $0.severity < 3 }.sorted { a, b in
            if a.severity != b.severity { return a.severity < b.severity }
            if a.pLoss != b.pLoss { return a.pLoss > b.pLoss }
            if a.zone != b.zone { return RB.byteLess(a.zone, b.zone) }
            return RB.byteLess(a.sector, b.sector)
        }
        if warned.isEmpty {
            b.append(
                .paragraph([
                    .text(
                        "No zone reaches the advisory level for any sector (a zone loses a sector in a sample when at least 5% of its people of that sector are without service; advisory from p_loss 0.05) — \(RB.plural(zones.count, "zone–sector pair")) in "
                    ), .code("zones.csv"), .text("."),
                ]))
            return b
        }
        b.append(
            .paragraph([
                .text(
                    "A zone loses a sector in a sample when at least 5% of its people of that sector are without service. Warning levels: severe p_loss ≥ 0.5, warning ≥ 0.2, advisory ≥ 0.05; \(warned.count) of \(zones.count) zone–sector pairs reach advisory or worse, severe first."
                )
            ]))
        var headers = ["zone", "sector", "warning", "p_loss", "people affected"]
        var numeric = [false, false, false, true, true]
        if data.timed {
            headers.append("mean duration h")
            numeric.append(true)
        }
        var t = ReportTable(headers: headers, numeric: numeric, rows: [])
        for z in warned.prefix(Self.maxZoneRows) {
            var row = [z.zone, z.sector, z.warning, NumberText.probability(z.pLoss), NumberText.figure(z.peopleAffected)]
            if data.timed { row.append(NumberText.figure(z.meanDuration)) }
            t.rows.append(row)
            t.rowClass.append("level-\(z.warning)")
        }
        b.append(.table(t))
        if warned.count > Self.maxZoneRows {
            b.append(
                .paragraph([.text("… \(warned.count - Self.maxZoneRows) more zone–sector pairs with a warning in "), .code("zones.csv"), .text(".")]))
        }
        return b
    }

    // MARK: loss distribution

    static let readProbabilities: [Double] = [0.5, 0.1, 0.05, 0.01]

    /// The loss reached or exceeded with probability at least p: the largest loss on the curve
    /// whose probability is ≥ p (nil when the curve has no such point); `beyond` when the curve's
    /// smallest probability is above p (the samples do not resolve p: the largest loss is given).
    static func readOff(_ curve: [(loss: Double, probability: Double)], _ p: Double) -> (loss: Double, beyond: Bool)? {
        // curve: loss descending, probability ascending
        guard let k = curve.firstIndex(where: { $0.probability >= p - 1e-12 }) else { return nil }
        return (curve[k].loss, k == 0 && curve[0].probability > p + 1e-12)
    }

    func lossDistribution() -> [Block] {
        var b: [Block] = [.heading(2, "Loss distribution", anchor: "distribution")]
        let curve = summary.exceedance
        guard !curve.isEmpty else {
            b.append(.paragraph([.code("summary.json"), .text(" has no exceedance curve, so the loss distribution is not shown.")]))
            return b
        }
        b.append(
            .paragraph([
                .text("Loss (\(unit)) that a sample reaches or exceeds with the given probability, read off the exceedance curve in "),
                .code("summary.json"), .text("."),
            ]))
        var headers = ["probability of at least this loss", "loss (\(unit))"]
        var numeric = [true, true]
        if let r = summary.annualRate, r > 0 {
            headers += ["per year (× annual rate)", "return period (years)"]
            numeric += [true, true]
        }
        var rows: [[String]] = []
        var beyondNote = false
        for p in Self.readProbabilities {
            var row = [NumberText.probability(p)]
            if let v = Self.readOff(curve, p) {
                row.append(NumberText.figure(v.loss) + (v.beyond ? " (largest sampled)" : ""))
                beyondNote = beyondNote || v.beyond
            } else {
                row.append("–")
            }
            if let r = summary.annualRate, r > 0 { row += [NumberText.probability(r * p), NumberText.figure(1 / (r * p))] }
            rows.append(row)
        }
        b.append(.table(ReportTable(headers: headers, numeric: numeric, rows: rows)))
        if beyondNote {
            b.append(
                .paragraph([
                    .text(
                        "Largest sampled: the samples do not resolve this probability, so the largest sampled loss is given (reached with probability \(NumberText.probability(curve[0].probability)))."
                    )
                ]))
        }
        if let svg = ReportCharts.exceedance(
            curve: curve, unit: unit,
            marks: Self.readProbabilities.compactMap { p in Self.readOff(curve, p).flatMap { $0.beyond ? nil : (p, $0.loss) } })
        {
            b.append(
                .chart(
                    svg: svg,
                    caption:
                        "Exceedance curve of loss: probability that a sample's loss is at least the value (logarithmic axis); dots mark the probabilities of the table."
                ))
        }
        return b
    }
}
