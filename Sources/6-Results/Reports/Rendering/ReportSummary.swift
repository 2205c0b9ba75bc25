import Foundation
import ResultFiles

/// The summary that opens `report.md` and `report.html`: who is left without
/// which service, what the weighted loss weighs, what to do, who must agree with whom and which
/// zones are under warning — each figure with its unit and no more digits than its CI supports.
/// The sections below it give the details.
extension ReportDocument {
    /// People served per sector: Σ population of the sector's assets in assets.csv.
    /// - Complexity: O(assets), one pass in file order.
    func sectorPopulation() -> [String: Double] {
        var out: [String: Double] = [:]
        for a in data.assets.inSourceOrder where a.population > 0 { out[a.sector, default: 0] += a.population }
        return out
    }

    func summarySection() -> [Block] {
        var b: [Block] = [.heading(2, "Summary", anchor: "summary")]
        let population = sectorPopulation()
        b += peopleSummary(population)
        if let p = weightedLossParagraph(population) { b.append(.paragraph(p)) }
        var items: [[Inline]] = []
        if let a = actionsItem() { items.append(a) }
        if let c = agreementsItem() { items.append(c) }
        if let z = zonesItem() { items.append(z) }
        if !items.isEmpty { b.append(.bullets(items)) }
        return b
    }

    /// The sentence and table of people without each service (unweighted), largest share first.
    func peopleSummary(_ population: [String: Double]) -> [Block] {
        let metric = "people_without_service."
        var rows: [(sector: String, m: MetricStats, served: Double)] = []
        for s in data.sectors {
            guard let m = data.metric(metric + s), let mean = m.mean, mean.isFinite else { continue }
            rows.append((s, m, population[s] ?? 0))
        }
        func share(_ r: (sector: String, m: MetricStats, served: Double)) -> Double { r.served > 0 ? (r.m.mean ?? 0) / r.served : 0 }
        rows.sort { share($0) != share($1) ? share($0) > share($1) : RB.byteLess($0.sector, $1.sector) }
        let hit = rows.filter { ($0.m.mean ?? 0) > 0 }
        var b: [Block] = []
        let when =
            data.timed
            ? "at the worst moment of the \(NumberText.figure(summary.horizonHours)) h horizon (mean over \(summary.samples) samples)"
            : "on average over \(summary.samples) samples"
        if hit.isEmpty {
            b.append(.paragraph([.text("No one loses a service in this scenario (\(summary.samples) samples): nothing below calls for action.")]))
            return b
        }
        let top = hit.prefix(3).map { r in
            "\(Figures.roundedMean(r.m.mean, low: r.m.ci95Low, high: r.m.ci95High)) of \(NumberText.grouped(r.served)) people lose \(r.sector) (\(Figures.percent(r.m.mean ?? 0, of: r.served)))"
        }
        b.append(
            .paragraph([
                .text("People without service \(when): "), .strong(top.joined(separator: "; ")),
                .text(hit.count > 3 ? "; \(hit.count - 3) more sectors in the table." : "."),
            ]))
        var headers = [
            "sector", data.timed ? "peak people without service (mean, 95% CI)" : "people without service (mean, 95% CI)", "people served", "share",
        ]
        var numeric = [false, true, true, true]
        if data.timed { headers += ["people-hours without service (mean)", "restored by the horizon"]; numeric += [true, true] }
        let table = rows.map { r -> [String] in
            var row = [
                r.sector, Figures.mean(r.m.mean, low: r.m.ci95Low, high: r.m.ci95High, unit: "people"),
                NumberText.grouped(r.served), Figures.percent(r.m.mean ?? 0, of: r.served),
            ]
            if data.timed {
                let ph = data.metric("people_hours." + r.sector)
                row += [
                    Figures.mean(ph?.mean, low: ph?.ci95Low, high: ph?.ci95High, unit: "people-hours"),
                    Self.restoredShare(data.metric("restore95_hours." + r.sector), samples: summary.samples),
                ]
            }
            return row
        }
        b.append(.table(ReportTable(headers: headers, numeric: numeric, rows: table)))
        return b
    }

    /// The headline loss with its weights shown and what it counts.
    func weightedLossParagraph(_ population: [String: Double]) -> [Inline]? {
        guard let loss = data.metric("loss") else { return nil }
        var p: [Inline] = [
            .text("The headline loss weighs each sector's \(data.timed ? "people-hours" : "people") without service: "),
            .strong(Figures.mean(loss.mean, low: loss.ci95Low, high: loss.ci95High, unit: unit)), .text(" per sample"),
        ]
        if let eal = expectedAnnualLoss() { p.append(.text(", \(Figures.approx(eal.value)) \(unit) per year (\(eal.how))")) }
        p.append(.text(". "))
        let w = summary.weights
        if w.isEmpty {
            p.append(
                .text(
                    "The weights are not recorded in this result (summary.json before they were); every sector not named under the scenario's weights counts 1."
                ))
        } else {
            let heavy = w.filter { $0.value != 1 }.sorted { $0.value != $1.value ? $0.value > $1.value : RB.byteLess($0.key, $1.key) }
            let list = heavy.map { "\($0.key) × \(NumberText.exact($0.value))" }
            p.append(.text("Weights: " + (list.isEmpty ? "every sector × 1" : list.joined(separator: ", ") + ", every other sector × 1") + ". "))
        }
        let largest = population.max { $0.value != $1.value ? $0.value < $1.value : RB.byteLess($1.key, $0.key) }
        p.append(
            .text(
                "A person who loses several services counts once per service and weight, so this sum can exceed the population"
                    + (largest.map { " (the largest sector, \($0.key), serves \(NumberText.grouped($0.value)) people)" } ?? "") + "."))
        return p
    }

    /// The recommended actions: the portfolio within the budget, else the options with the
    /// largest reduction.
    func actionsItem() -> [Inline]? {
        guard data.mitigations != nil else { return nil } // like the mitigation section
        if let pf = summary.portfolio, !pf.options.isEmpty {
            return [
                .strong("What to do"), .text(": within the budget, "), .strong(pf.options.joined(separator: ", ")),
                .text(
                    " (\(Figures.eur(pf.cost))) together reduce the loss by \(Figures.mean(pf.lossReduction, low: pf.ci95Low, high: pf.ci95High, unit: unit)) per sample (section Mitigation options)."
                ),
            ]
        }
        let evaluated = (data.mitigations ?? []).filter { $0.evaluated && ($0.lossReduction ?? 0) > 0 }
            .sorted { ($0.lossReduction ?? 0) > ($1.lossReduction ?? 0) }
        guard !evaluated.isEmpty else { return nil }
        let list = evaluated.prefix(3).map {
            "\($0.option) (\(Figures.eur($0.cost)), −\(Figures.mean($0.lossReduction, low: $0.ci95Low, high: $0.ci95High, unit: unit)))"
        }
        return [
            .strong("What to do"),
            .text(": the options that reduce the loss most: " + list.joined(separator: "; ") + " (no budget given, so no portfolio)."),
        ]
    }

    /// The three owner pairs with the largest expected loss at stake.
    func agreementsItem() -> [Inline]? {
        let pairs = (data.coordination ?? []).filter { $0.expectedLoss > 0 }.sorted(by: ReportDocument.coordinationOrder).prefix(3)
        guard !pairs.isEmpty else { return nil }
        let list = pairs.map { "\($0.owner) depends on \($0.dependsOn) (\(Figures.approx($0.expectedLoss)) \(unit) at stake)" }
        return [
            .strong("Who must agree"),
            .text(": " + list.joined(separator: "; ") + ". Per owner, the brief in briefs/ says what to ask and to offer."),
        ]
    }

    /// Zones under a severe or warning level.
    func zonesItem() -> [Inline]? {
        guard let zones = data.zones else { return nil }
        let warned = zones.filter { $0.severity <= 1 }.sorted { a, b in
            a.severity != b.severity
                ? a.severity < b.severity
                : a.pLoss != b.pLoss ? a.pLoss > b.pLoss : RB.byteLess(a.zone + "\u{0}" + a.sector, b.zone + "\u{0}" + b.sector)
        }
        guard !warned.isEmpty else {
            return [.strong("Zones"), .text(": no zone is under a severe or warning level (a sector lost in at least 20% of samples).")]
        }
        let list = warned.prefix(5).map { "\($0.zone) \($0.sector) (\($0.warning), lost in \(Figures.percent($0.pLoss, of: 1)) of samples)" }
        return [
            .strong("Zones under warning"),
            .text(
                ": \(warned.count) zone–sector pairs; " + list.joined(separator: "; ")
                    + (warned.count > 5 ? "; the rest in section Zone warnings." : ".")),
        ]
    }
}
