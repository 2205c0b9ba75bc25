import Foundation
import InfraGraph
import InfraModel
import Mitigations
import Rankings
import ResultFiles
import Simulation
import Stochastics

/// Builds a run's `ResultData` once from what the run computed (the Monte Carlo result, the
/// rankings, the options and the portfolio): every decision the result files and reports show —
/// metric statistics and quantiles, the censoring of `restore95_hours`, the exceedance curve,
/// zone warning levels, the top dependencies per owner pair, `in_portfolio` — is made here,
/// before any file is written. Values are those the files carry: numbers that are not finite
/// are absent (null or empty), −0 is 0 (so a result read back from its files is the same value).
///
/// The two large tables stay lazy: a row of `assets.csv` or `dependencies.csv` is made from the
/// run's columns when read. O(assets + rows + owner pairs) to build, plus the sorts of the
/// report order (O(n log n)).
public enum ResultAssembly {
    /// The result of one run. `inputs` are each input on its own (`InputDigest.inputs`),
    /// `inputsDigest` the SHA-256 over them, seed, sample count and `version`.
    public static func assemble(
        scenario sc: Scenario, graph: CompiledGraph, result: MonteCarloResult, rankings: RankingResult?,
        options: [OptionResult]?, portfolio: Portfolio?, inputs: [(String, String)],
        inputsDigest: String, version: String
    ) -> ResultData {
        let sectors = sectorsByName(result)
        let summary = summaryData(sc, result, portfolio: portfolio, sectors: sectors)
        let assetOrder = assetOrder(graph)
        let dependencyOrder = dependencyOrder(sc.network, graph)
        let tables = ReportTables.of(sc.network, graph, result, rankings, assetOrder: assetOrder, dependencyOrder: dependencyOrder)
        let (assets, dependencies) = ResultData.orderRows(
            assetCount: tables.assetCount, asset: tables.asset,
            dependencyCount: tables.dependencyCount, dependency: tables.dependency,
            linesKnown: true)
        var data = ResultData(
            summary: summary, assets: assets, dependencies: dependencies,
            coordination: coordination(sc.network, result, rankings, dependencyOrder: dependencyOrder),
            zones: zones(sc.network, result, sectors: sectors), timeline: timeline(result, sectors: sectors),
            mitigations: mitigations(sc, options, portfolio: portfolio),
            footprints: HazardFootprints.shapes(sc))
        data.rankings = rankings != nil
        data.manifest = ManifestInfo(
            kaskadaVersion: version, scenario: sc.name, inputsDigest: inputsDigest, inputs: inputs,
            samples: result.samples, seed: String(result.seed))
        return data
    }

    /// `x` as a result file carries it: nil when not finite, 0 for −0.
    static func fin(_ x: Double) -> Double? { x.isFinite ? (x == 0 ? 0 : x) : nil }

    /// Sectors by name: (code, name).
    static func sectorsByName(_ result: MonteCarloResult) -> [(Int, String)] {
        result.sectors.enumerated().sorted { $0.element < $1.element }.map { ($0.offset, $0.element) }
    }

    // MARK: - summary.json

    static func summaryData(_ sc: Scenario, _ result: MonteCarloResult, portfolio: Portfolio?, sectors: [(Int, String)]) -> SummaryData {
        let coordinates: String
        switch sc.network.coordinates {
        case .geographic: coordinates = "wgs84"
        case .projected: coordinates = "projected"
        case .none: coordinates = "none"
        }
        var weights: [String: Double] = [:]
        for (_, name) in sectors { weights[name] = fin(sc.weight(sector: name)) ?? .nan }
        let metricList = metrics(result, sectors: sectors)
        var metrics: [String: MetricStats] = [:]
        for m in metricList { metrics[m.name] = stats(m) }
        var curve: [(loss: Double, probability: Double)] = []
        for (loss, probability) in exceedance(result.loss) {
            curve.append((loss: fin(loss) ?? .nan, probability: fin(probability) ?? .nan))
        }
        curve.sort { a, b in a.loss != b.loss ? a.loss > b.loss : a.probability < b.probability }
        let p = portfolio.map {
            PortfolioData(
                line: 0, options: $0.options, cost: fin($0.cost), lossReduction: fin($0.lossReduction),
                ci95Low: fin($0.ci95Low), ci95High: fin($0.ci95High), method: $0.method)
        }
        let timed = result.timed
        let annualRate: Double? = sc.annualRate.flatMap(fin)
        let horizon: Double? = timed.flatMap { fin($0.horizonHours) }
        let step: Double? = timed.flatMap { fin($0.stepHours) }
        let lossMean = Summary.of(result.loss).mean
        let eal: Double? = sc.annualRate.flatMap { fin($0 * lossMean) }
        let unit = timed == nil ? "people" : "people-hours"
        var s = SummaryData(
            schemaVersion: ResultWriter.schemaVersion, scenario: sc.name, mode: sc.simulation.mode.rawValue,
            samples: result.samples, seed: String(result.seed), stoppedEarly: result.stoppedEarly,
            annualRate: annualRate, horizonHours: horizon, stepHours: step, lossUnit: unit,
            model: sc.network.name, modelSHA256: InputDigest.model(sc), weights: weights,
            expectedAnnualLoss: eal, coordinates: coordinates, portfolio: p, metrics: metrics, exceedance: curve)
        s.metricNames = metricList.map(\.name)
        return s
    }

    /// One metric of `summary.json`: its summary over the samples that have a value, and how
    /// many samples have none (`restore95_hours` when 95% of the people never have service again
    /// before the horizon).
    struct Metric {
        var name: String
        var summary: Summary?
        var censored: Int?
        /// `restore95_hours`: the fraction of samples restored by the horizon.
        var restoredFraction: Double?
    }

    static func stats(_ m: Metric) -> MetricStats {
        let s = m.summary
        return MetricStats(
            mean: s.flatMap { fin($0.mean) }, std: s.flatMap { fin($0.std) }, ci95Low: s.flatMap { fin($0.ci95Low) },
            ci95High: s.flatMap { fin($0.ci95High) }, p50: s.flatMap { fin($0.p50) }, p90: s.flatMap { fin($0.p90) },
            p95: s.flatMap { fin($0.p95) }, p99: s.flatMap { fin($0.p99) }, cvar95: s.flatMap { fin($0.cvar95) },
            censored: m.censored, restoredFraction: m.restoredFraction.flatMap(fin))
    }

    /// Metric names in output order: `loss`; static mode `people_without_service.<sector>`; timed
    /// mode `people_hours.<sector>`, `restore95_hours.<sector>`, then `people_without_service.<sector>`
    /// (the peak over the horizon); sectors by name.
    static func metrics(_ result: MonteCarloResult, sectors: [(Int, String)]) -> [Metric] {
        var out = [Metric(name: "loss", summary: Summary.of(result.loss))]
        if let t = result.timed {
            for (s, name) in sectors { out.append(Metric(name: "people_hours.\(name)", summary: Summary.of(t.peopleHours[s]))) }
            for (s, name) in sectors { out.append(restoreMetric("restore95_hours.\(name)", t.restore95[s])) }
        }
        for (s, name) in sectors {
            out.append(Metric(name: "people_without_service.\(name)", summary: Summary.of(result.peopleWithout[s])))
        }
        return out
    }

    /// A `restore95_hours` metric: samples never restored within the horizon (NaN) are censored.
    /// Without censored samples, the usual summary. With some, the quantiles are taken over all
    /// samples with the censored ones beyond the horizon (`Censored.quantile`: null when the
    /// quantile lies beyond it), and the mean, std, CI and CVaR are null: a mean over the
    /// restored samples alone would make a sector that stays down in most samples look quickly
    /// restored.
    static func restoreMetric(_ name: String, _ values: [Double]) -> Metric {
        var known = values.filter { !$0.isNaN }
        let censored = values.count - known.count
        let fraction = values.isEmpty ? Double.nan : Double(known.count) / Double(values.count)
        if censored == 0 {
            return Metric(name: name, summary: known.isEmpty ? nil : Summary.of(known), censored: 0, restoredFraction: fraction)
        }
        Statistics.sortInPlace(&known)
        func q(_ p: Double) -> Double { Censored.quantile(observed: known, censored: censored, p: p) ?? .nan }
        let summary = Summary(
            mean: .nan, std: .nan, ci95Low: .nan, ci95High: .nan,
            p50: q(0.5), p90: q(0.9), p95: q(0.95), p99: q(0.99), cvar95: .nan)
        return Metric(name: name, summary: summary, censored: censored, restoredFraction: fraction)
    }

    /// Points of the exceedance curve of `loss`: (loss, probability that a sample's loss is at
    /// least it), at up to `points` evenly spaced positions of the sorted losses.
    static func exceedance(_ loss: [Double], points: Int = 101) -> [(Double, Double)] {
        let sorted = loss.sorted(by: >)
        let n = sorted.count
        guard n > 0 else { return [] }
        var out: [(Double, Double)] = []
        var last = -1
        for k in 0..<points {
            let j = min(n - 1, Int((Double(k) / Double(points - 1) * Double(n - 1)).rounded()))
            if j == last { continue }
            last = j
            // P(loss >= x) counts ties
            var m = j
            while m + 1 < n && sorted[m + 1] == sorted[j] { m += 1 }
            out.append((sorted[j], Double(m + 1) / Double(n)))
        }
        return out
    }

    // MARK: - Row orders

    /// Asset indices in id byte order (the order of `assets.csv`): the inverse of the id ranks, O(assets).
    static func assetOrder(_ graph: CompiledGraph) -> [Int32] {
        let n = graph.assetCount
        var order = [Int32](repeating: 0, count: n)
        for a in 0..<n { order[Int(graph.idRank(a))] = Int32(a) }
        return order
    }

    /// Dependency rows in (consumer id, group, provider id) order, sorted by integer keys (id
    /// ranks, and group names ranked once): O(rows log rows).
    static func dependencyOrder(_ net: Network, _ graph: CompiledGraph) -> [Int32] {
        let d = net.dependencies
        let groupRank = rankOfNames(net.groups.names)
        var order = (0..<Int32(d.count)).map { $0 }
        order.sort { x, y in
            let cx = graph.idRank(Int(d.consumer[Int(x)])), cy = graph.idRank(Int(d.consumer[Int(y)]))
            if cx != cy { return cx < cy }
            let gx = groupRank[Int(d.group[Int(x)])], gy = groupRank[Int(d.group[Int(y)])]
            if gx != gy { return gx < gy }
            return graph.idRank(Int(d.provider[Int(x)])) < graph.idRank(Int(d.provider[Int(y)]))
        }
        return order
    }

    /// Per name, its position among `names` sorted by Swift's String order (the order the rows
    /// have always been written in).
    static func rankOfNames(_ names: [String]) -> [Int32] {
        var rank = [Int32](repeating: 0, count: names.count)
        for (k, i) in names.indices.sorted(by: { names[$0] < names[$1] }).enumerated() { rank[i] = Int32(k) }
        return rank
    }

    // MARK: - zones, coordination, timeline, mitigations

    /// Warning level of a zone's probability of losing a service (docs/specification.md section 6).
    static func warning(_ p: Double) -> String {
        WarningLevel(probability: p).rawValue
    }

    /// Every zone and sector with population there, by zone and sector name; nil without outcomes.
    static func zones(_ net: Network, _ result: MonteCarloResult, sectors: [(Int, String)]) -> [ZoneRow]? {
        guard let out = result.outcomes else { return nil }
        let nS = net.sectors.count
        let n = Double(max(1, result.samples))
        var rows: [ZoneRow] = []
        let zones = (0..<net.zones.count).sorted { net.zones.names[$0] < net.zones.names[$1] }
        for z in zones {
            for (s, name) in sectors {
                let k = z * nS + s
                guard out.zonePopulation[k] > 0 else { continue }
                let p = Double(out.zoneLost[k]) / n
                rows.append(
                    ZoneRow(
                        line: rows.count + 2, zone: net.zones.names[z], sector: name, pLoss: fin(p) ?? .nan,
                        meanDuration: result.timed == nil ? nil : fin(out.zoneHoursMean[k]),
                        peopleAffected: fin(out.zonePeopleMean[k]) ?? .nan, warning: warning(p)))
            }
        }
        return rows.sorted { a, b in
            if a.zone != b.zone { return RB.byteLess(a.zone, b.zone) }
            if a.sector != b.sector { return RB.byteLess(a.sector, b.sector) }
            return a.line < b.line
        }
    }

    /// Every ordered pair of owners (X, Y) such that X depends on Y's assets or Y's assets cause
    /// loss at X's, by owner names; its top dependencies are the (up to) five rows from X's
    /// assets to Y's with the highest p_carried × loss_following (> 0). Nil without the matrix.
    static func coordination(
        _ net: Network, _ result: MonteCarloResult, _ rankings: RankingResult?,
        dependencyOrder: [Int32]
    ) -> [CoordinationRow]? {
        guard let r = rankings, let m = r.coordination else { return nil }
        guard let out = result.outcomes else { return [] }
        let d = net.dependencies
        let nO = net.owners.count
        let n = Double(max(1, result.samples))
        // dependency rows per (consumer owner, provider owner)
        // (only the pairs that have rows: O(rows), not O(owners²) arrays)
        var rowsOf: [Int: [Int]] = [:]
        for row32 in dependencyOrder {
            let row = Int(row32)
            let x = net.assets.common.owner[Int(d.consumer[row])], y = net.assets.common.owner[Int(d.provider[row])]
            if x >= 0 && y >= 0 && x != y { rowsOf[Int(x) * nO + Int(y), default: []].append(row) }
        }
        func score(_ row: Int) -> Double { Double(out.rowCarried[row]) / n * out.rowLossFollowing[row] }
        var rows: [CoordinationRow] = []
        let owners = (0..<nO).sorted { net.owners.names[$0] < net.owners.names[$1] }
        for x in owners {
            for y in owners where x != y {
                let pairRows = rowsOf[x * nO + y] ?? []
                let loss = m[x * nO + y]
                guard !pairRows.isEmpty || loss != 0 else { continue }
                let top = pairRows.filter { score($0) > 0 }.sorted { score($0) > score($1) }.prefix(5)
                var row = CoordinationRow(
                    line: rows.count + 2, owner: net.owners.names[x], dependsOn: net.owners.names[y],
                    expectedLoss: fin(loss) ?? .nan,
                    top: top.map { (net.assetId(d.consumer[$0]), net.assetId(d.provider[$0])) },
                    providerMedianOutage: nil, backupHours: nil)
                if let t = result.timed {
                    let providers = (top.isEmpty ? Array(pairRows) : Array(top)).map { Int(d.provider[$0]) }
                    let medians = providers.map { t.medianOutageHoursWhenOut[$0] }
                    // a provider whose median outage lies beyond the horizon: no backup within the
                    // horizon rides through it; both figures are empty and the row says so
                    if medians.contains(where: { $0.isNaN }) {
                        row.medianCensored = true
                    } else {
                        let median = medians.max() ?? 0
                        row.providerMedianOutage = fin(median)
                        row.backupHours = fin(median.rounded(.up))
                    }
                }
                rows.append(row)
            }
        }
        return rows.sorted { a, b in a.owner != b.owner ? RB.byteLess(a.owner, b.owner) : RB.byteLess(a.dependsOn, b.dependsOn) }
    }

    /// People without service per sector at every step (timed mode), by sector then hours; nil
    /// in static mode.
    static func timeline(_ result: MonteCarloResult, sectors: [(Int, String)]) -> [TimelineRow]? {
        guard let t = result.timed else { return nil }
        let rows = t.timeline(sectors: result.sectors.count)
        let nS = result.sectors.count
        var out: [TimelineRow] = []
        out.reserveCapacity(rows.count)
        for k in 0..<t.gridTimes.count {
            for (s, name) in sectors {
                let r = rows[k * nS + s]
                out.append(
                    TimelineRow(
                        hours: fin(r.hours) ?? .nan, sector: name, mean: fin(r.mean) ?? .nan,
                        p05: fin(r.p05) ?? .nan, p95: fin(r.p95) ?? .nan))
            }
        }
        return out.sorted { $0.sector != $1.sector ? RB.byteLess($0.sector, $1.sector) : $0.hours < $1.hours }
    }

    /// The options in scenario order with the owners they act on; `in_portfolio` only when the
    /// scenario has a budget and the option was evaluated. Nil when the scenario has none.
    static func mitigations(_ sc: Scenario, _ options: [OptionResult]?, portfolio: Portfolio?) -> [MitigationRow]? {
        guard let options else { return nil }
        let byId = Dictionary(sc.mitigations.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        var rows: [MitigationRow] = []
        for r in options {
            let owners = byId[r.id].map { OptionOwners.of($0, in: sc.network) } ?? []
            var row = MitigationRow(
                line: rows.count + 2, option: r.id, cost: fin(r.cost), lossReduction: nil, ci95Low: nil, ci95High: nil,
                benefitCost: nil, benefitCostUnit: "", inPortfolio: nil, beats: [],
                notEvaluated: r.notEvaluated ?? "", owners: owners.filter { !$0.isEmpty })
            if r.notEvaluated == nil {
                row.lossReduction = fin(r.lossReduction)
                row.ci95Low = fin(r.ci95Low)
                row.ci95High = fin(r.ci95High)
                row.benefitCost = r.benefitCost.flatMap(fin)
                row.benefitCostUnit = r.benefitCostUnit
                if sc.budget != nil { row.inPortfolio = portfolio?.options.contains(r.id) ?? false }
                row.beats = r.beats.map { (option: $0.0, p: fin($0.1) ?? .nan) }
            }
            rows.append(row)
        }
        return rows
    }
}
