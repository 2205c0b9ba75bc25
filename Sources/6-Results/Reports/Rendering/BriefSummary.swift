import Foundation
import ResultFiles

/// The parts of a brief that open it and explain it: a summary of
/// what is at stake for the owner, the terms every figure uses (each defined once), and the
/// mitigation options that act on the owner's assets.
extension BriefWriter {
    /// Owners and expected losses of `coordination.csv` rows with this owner on one side.
    /// "at your assets" (caused by others) and "at others' assets" (caused by yours), largest first.
    func stakes() -> (inbound: [CoordinationRow], outbound: [CoordinationRow]) {
        let rows = (scope.coordination ?? []).filter { $0.expectedLoss > 0 && $0.owner != $0.dependsOn }
        let inbound = rows.filter { $0.owner == owner }.sorted(by: ReportDocument.coordinationOrder)
        let outbound = rows.filter { $0.dependsOn == owner }.sorted(by: ReportDocument.coordinationOrder)
        return (inbound, outbound)
    }

    /// The options of `mitigations.csv` whose actions touch this owner's assets or links.
    var myOptions: [MitigationRow] { (data.mitigations ?? []).filter { $0.owners.contains(owner) } }

    func briefSummary() -> [Block] {
        var b: [Block] = [.heading(2, "Summary", anchor: "summary")]
        var people = 0.0, count = 0
        for a in mine { people += a.population; count += 1 }
        var items: [[Inline]] = []
        items.append([
            .strong("Your assets"),
            .text(
                ": \(NumberText.grouped(Double(count))) assets serving \(NumberText.grouped(people)) people (population counted once per asset, see Terms)."
            ),
        ])
        let (inbound, outbound) = stakes()
        if scope.coordination == nil {
            items.append([
                .strong("Dependencies on other owners"),
                .text(": coordination.csv is not in this result folder (run with rankings), so the expected losses between owners are not known."),
            ])
        } else {
            if let top = inbound.first {
                let others = inbound.dropFirst().prefix(2).map { "\($0.dependsOn) (\(Figures.approx($0.expectedLoss)))" }
                items.append([
                    .strong("What others' assets cost you"),
                    .text(
                        ": \(top.dependsOn)'s assets cause an expected loss of \(Figures.approx(top.expectedLoss)) \(unit) at your assets"
                            + (others.isEmpty ? "." : "; then \(others.joined(separator: ", ")).")
                            + " Each figure is for one provider owner alone; they overlap and are not added."),
                ])
            } else {
                items.append([.strong("What others' assets cost you"), .text(": no other owner's assets cause a loss at yours in this run.")])
            }
            if let top = outbound.first {
                let others = outbound.dropFirst().prefix(2).map { "\($0.owner) (\(Figures.approx($0.expectedLoss)))" }
                items.append([
                    .strong("What your assets cost others"),
                    .text(
                        ": an expected loss of \(Figures.approx(top.expectedLoss)) \(unit) at \(top.owner)'s assets"
                            + (others.isEmpty ? "." : "; then \(others.joined(separator: ", ")).")),
                ])
            } else {
                items.append([.strong("What your assets cost others"), .text(": your assets cause no loss at another owner's assets in this run.")])
            }
        }
        let options = myOptions
        if data.mitigations != nil {
            let inPortfolio = options.filter { $0.inPortfolio == true }.map(\.option)
            var text =
                options.isEmpty
                ? ": no mitigation option of the scenario acts on your assets."
                : ": \(RB.plural(options.count, "option")) act on your assets (section Options that concern you)"
            if !inPortfolio.isEmpty { text += "; in the recommended portfolio: \(inPortfolio.joined(separator: ", "))" }
            items.append([.strong("Options"), .text(options.isEmpty ? text : text + ".")])
        }
        b.append(.bullets(items))
        return b
    }

    /// Every term of the brief, defined once (docs/specification.md section 6).
    func terms() -> [Block] {
        let u = unit
        var items: [[Inline]] = [
            [
                .code(u),
                .text(
                    data.timed
                        ? ": loss unit of this timed run: people without a service × hours without it, over the \(NumberText.figure(data.summary.horizonHours)) h horizon, weighted by sector."
                        : ": loss unit of this static run: people without a service at the end of the cascade, weighted by sector."),
            ],
            [
                .code("population"),
                .text(": people who lose the asset's service when it fails. Summed over assets of several sectors, a person counts once per sector."),
            ],
            [
                .code("p_damage"), .text(" / "), .code("p_outage"),
                .text(
                    ": share of samples in which the asset is damaged or put out by the event / not working for any reason (damage, lost supply, a failed provider)."
                ),
            ],
            [.code("n1_impact"), .text(": loss in people when only this asset fails and nothing else (every dependency present).")],
            [
                .code("rrw"),
                .text(
                    ": risk reduction worth: how much the mean loss falls, in \(u), if this asset could not be damaged (same samples). The rank orders assets by it."
                ),
            ],
            [
                .code("p_carried"),
                .text(
                    ": share of samples in which a dependency row passed a failure on (its provider was not working and its consumer could otherwise work)."
                ),
            ],
            [.code("loss_following"), .text(": mean loss in the consumer's sector over the samples in which the row passed a failure on, in \(u).")],
            [
                .strong("exposure score"),
                .text(
                    ": Σ p_carried × loss_following over a set of dependency rows. A ranking score, not a loss: a loss reached through several rows is counted once per row, so sums can exceed the population."
                ),
            ],
            [
                .strong("expected loss"),
                .text(
                    " (coordination.csv): mean loss at one owner's assets minus the mean loss with every asset of the other owner undamageable (same samples), in \(u). The only figure here that is a loss at stake."
                ),
            ],
        ]
        if data.timed {
            items.append([
                .strong("mean / p90 outage h"),
                .text(
                    ": hours the asset is out within the horizon (all samples; 0 when never out), so an outage that outlasts the horizon counts up to its end."
                ),
            ])
            items.append([
                .strong("provider median outage h"),
                .text(
                    ": median length of the providers' outages when out; \u{201C}> \(NumberText.figure(data.summary.horizonHours))\u{201D} when more than half outlast the horizon."
                ),
            ])
        }
        return [.heading(2, "Terms", anchor: "terms"), .bullets(items)]
    }

    /// The options that act on this owner's assets, with their effect on the whole loss.
    func optionsForOwner() -> [Block] {
        guard let all = data.mitigations, !all.isEmpty else { return [] }
        var b: [Block] = [.heading(2, "Options that concern you", anchor: "options")]
        let options = myOptions
        if all.allSatisfy({ $0.owners.isEmpty }) {
            b.append(
                .paragraph([
                    .code("mitigations.csv"),
                    .text(" does not record which owners an option acts on (a result written before it did); see the report's mitigation section."),
                ]))
            return b
        }
        if options.isEmpty {
            b.append(.paragraph([.text("No mitigation option of the scenario acts on your assets.")]))
            return b
        }
        b.append(
            .paragraph([
                .text(
                    "Options whose actions act on your assets or links, with the reduction of the whole scenario's loss (mean per sample, 95% CI) and the other owners involved."
                )
            ]))
        let rows = options.map { r -> [String] in
            let effect =
                r.evaluated ? Figures.mean(r.lossReduction, low: r.ci95Low, high: r.ci95High, unit: unit) : "not evaluated: " + r.notEvaluated
            let others = r.owners.filter { $0 != owner }
            return [
                r.option, Figures.eur(r.cost), effect, r.inPortfolio.map { $0 ? "yes" : "no" } ?? "–",
                others.isEmpty ? "–" : others.joined(separator: ", "),
            ]
        }
        b.append(
            .table(
                ReportTable(
                    headers: ["option", "cost", "loss reduction", "in portfolio", "other owners involved"],
                    numeric: [false, true, false, false, false], rows: rows)))
        return b
    }
}
