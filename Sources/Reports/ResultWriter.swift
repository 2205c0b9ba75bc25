import ResultFiles
import Foundation
import InfraGraph
import InfraModel
import Mitigations
import Rankings
import Simulation
import Stochastics

/// Writes a run's result folder (DESIGN.md section 8): `summary.json`, `assets.csv`,
/// `report.md`, `manifest.json` and `run.log`, staged in a temporary folder beside the target
/// and renamed into place, so that a failed run leaves nothing behind and an existing result is
/// replaced whole. Result files hold no times, host names or thread counts (those go to
/// `run.log`), so the same inputs and seed give the same bytes.
public struct ResultWriter {
    public static let schemaVersion = 1

    public let scenario: Scenario
    public let graph: CompiledGraph
    public let result: MonteCarloResult
    /// N-1, rrw, rank and the coordination matrix (nil with `--no-rankings`).
    public let rankings: RankingResult?
    /// Mitigation options compared with the baseline (nil: the scenario has none).
    public var options: [OptionResult]? = nil
    /// The best set of options within the scenario's budget (nil: no budget or nothing fits).
    public var portfolio: Portfolio? = nil
    /// Each input on its own (`InputDigest.inputs`), recorded in manifest.json so that a later
    /// run can say which input changed.
    public var inputs: [(String, String)] = []
    /// SHA-256 over the input files, seed, sample count and Kaskada's version.
    public let inputsDigest: String
    public let version: String

    public init(scenario: Scenario, graph: CompiledGraph, result: MonteCarloResult, rankings: RankingResult? = nil,
                inputsDigest: String, version: String) {
        self.scenario = scenario
        self.graph = graph
        self.result = result
        self.rankings = rankings
        self.inputsDigest = inputsDigest
        self.version = version
        assetOrder = Self.assetOrder(graph)
        dependencyOrder = Self.dependencyOrder(scenario.network, graph)
    }

    /// The data files of the result, by name: what `kaskada report` reads back.
    public func dataFiles() -> [(String, String)] {
        dataFileMakers().map { ($0.0, $0.1()) }
    }

    /// Each data file's name and the function that writes its text, so that a writer holds one
    /// large file at a time.
    func dataFileMakers() -> [(String, () -> String)] {
        var f: [(String, () -> String)] = [("summary.json", summaryJSON), ("assets.csv", assetsCSV)]
        if result.timed != nil { f.append(("timeline.csv", timelineCSV)) }
        if result.outcomes != nil {
            f.append(("dependencies.csv", dependenciesCSV))
            f.append(("zones.csv", zonesCSV))
        }
        if rankings?.coordination != nil { f.append(("coordination.csv", coordinationCSV)) }
        if let g = HazardFootprints.geoJSON(scenario) { f.append(("footprints.geojson", { g })) }
        if scenario.network.coordinates == .geographic { f.append(("results.geojson", { resultsGeoJSON() ?? "" })) }
        if options != nil { f.append(("mitigations.csv", mitigationsCSV)) }
        return f
    }

    /// The files the reports are built from as text: all but the two largest, which
    /// `reportTables` gives as rows.
    static let tableFiles: Set<String> = ["assets.csv", "dependencies.csv"]

    /// The rows of `assets.csv` and `dependencies.csv` with exactly the values those files carry
    /// (numbers written shortest round-trip read back to the same doubles; −0 written as 0), by
    /// their position in the files, made when read from the model and the result (no row is
    /// stored). O(assets + rows) to set up.
    func reportTables() -> ReportTables {
        let net = scenario.network
        let c = net.assets.common
        let n = Double(max(1, result.samples))
        func v(_ x: Double) -> Double { x == 0 ? 0 : x }
        func opt(_ x: Double) -> Double? { x.isFinite ? v(x) : nil }
        // ids by code = row = id rank, read from the model
        let order = assetOrder
        let strings = RowStrings(ids: { net.assetId(order[Int($0)]) }, count: order.count)
        // network name codes → row string codes (−1, no owner or zone, → "")
        let sectorCode = (0..<net.sectors.count).map { strings.name(net.sectors[Int32($0)]) }
        let kindCode = (0..<net.kinds.count).map { strings.name(net.kinds[Int32($0)]) }
        let ownerCode = (0..<net.owners.count).map { strings.name(net.owners[Int32($0)]) }
        let zoneCode = (0..<net.zones.count).map { strings.name(net.zones[Int32($0)]) }
        func owner(_ o: Int32) -> Int32 { o >= 0 ? ownerCode[Int(o)] : 0 }
        let graph = graph
        // the columns the rows read, as locals (no struct captured whole, no retain per row)
        let population = net.assets.population, damaged = result.damagedCount, outage = result.outageCount
        let n1 = rankings?.n1, rrw = rankings?.rrw, rank = rankings?.rank
        let meanHours = result.timed?.meanOutageHours, p90Hours = result.timed?.p90OutageHours
        let sector = c.sector, kind = c.kind, ownerColumn = c.owner, zone = c.zone, xs = c.x, ys = c.y
        let asset: (Int32) -> AssetRow = { k in
            let a = Int(order[Int(k)])
            return AssetRow(strings: strings, line: Int(k) + 2, idCode: k, sector: sectorCode[Int(sector[a])], kind: kindCode[Int(kind[a])],
                            owner: owner(ownerColumn[a]), zone: zone[a] >= 0 ? zoneCode[Int(zone[a])] : 0,
                            population: v(population[a]),
                            pDamage: Double(damaged[a]) / n, pOutage: Double(outage[a]) / n,
                            n1: n1.flatMap { opt($0[a]) }, rrw: rrw.flatMap { opt($0[a]) },
                            meanOutage: meanHours.flatMap { opt($0[a]) }, rank: rank.map { Int($0[a]) },
                            p90Outage: p90Hours.flatMap { opt($0[a]) }, x: opt(xs[a]), y: opt(ys[a]))
        }
        var dependency: ((Int32) -> DependencyRow)? = nil
        if let out = result.outcomes {
            let d = net.dependencies
            let groupCode = (0..<net.groups.count).map { strings.name(net.groups[Int32($0)]) }
            let typeCode = DependencyType.allCases.map { strings.name($0.name) }
            let rowOrder = dependencyOrder
            let consumer = d.consumer, provider = d.provider, group = d.group, type = d.type
            let carried = out.rowCarried, lossFollowing = out.rowLossFollowing
            dependency = { k in
                let r = Int(rowOrder[Int(k)])
                let cons = consumer[r], prov = provider[r]
                let cRank = graph.idRank(Int(cons)), pRank = graph.idRank(Int(prov))
                return DependencyRow(strings: strings, line: Int(k) + 2, consumer: cRank, provider: pRank, group: groupCode[Int(group[r])],
                                     type: typeCode[Int(type[r].rawValue)], pCarried: Double(carried[r]) / n,
                                     lossFollowing: opt(lossFollowing[r]),
                                     consumerOwner: owner(ownerColumn[Int(cons)]), providerOwner: owner(ownerColumn[Int(prov)]),
                                     consumerLine: cRank + 2, providerLine: pRank + 2)
            }
        }
        return ReportTables(assetCount: order.count, asset: asset, dependencyCount: dependencyOrder.count, dependency: dependency)
    }

    /// `option,cost,loss_reduction,ci95_low,ci95_high,benefit_cost,in_portfolio` (DESIGN.md
    /// section 8), then `benefit_cost_unit`, `p_beats` (per other option: the fraction of samples
    /// in which this one's loss is lower), `not_evaluated` and `owners` (whose assets or links
    /// the option acts on, `;`-separated); options in scenario order.
    /// `in_portfolio` is empty when the scenario has no `budget`.
    public func mitigationsCSV() -> String {
        var o = ResultSchema.mitigations.header
        let byId = Dictionary(scenario.mitigations.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        for r in options ?? [] {
            let owners = byId[r.id].map { OptionOwners.of($0, in: scenario.network) } ?? []
            o += CSV.field(r.id) + "," + JSON.number(r.cost) + ","
            if r.notEvaluated == nil {
                o += JSON.number(r.lossReduction) + "," + JSON.number(r.ci95Low) + "," + JSON.number(r.ci95High) + ","
                let inPortfolio = scenario.budget == nil ? "" : ((portfolio?.options.contains(r.id) ?? false) ? "true" : "false")
                o += (r.benefitCost.map { JSON.number($0) } ?? "") + "," + inPortfolio + "," + CSV.field(r.benefitCostUnit) + ","
                o += CSV.field(r.beats.map { "\($0.0):\(JSON.number($0.1))" }.joined(separator: ";")) + ",,"
            } else {
                o += ",,,,,,," + CSV.field(r.notEvaluated ?? "") + ","
            }
            o += CSV.field(owners.joined(separator: ";")) + "\n"
        }
        return o
    }

    /// The files of the result, by name (everything but `run.log` and `manifest.json`): the data
    /// files, then `report.md`, `report.html` and `briefs/<owner>.md` built from them alone
    /// (`ReportBuilder`), so that `kaskada report` on the folder gives the same bytes.
    public func files() throws -> [(String, String)] {
        let data = dataFiles()
        let small = Dictionary(uniqueKeysWithValues: data.filter { !Self.tableFiles.contains($0.0) })
        let reports = try ReportBuilder(files: small, tables: reportTables()).build()
        return data + reports.map { ($0.name, $0.content) }
    }

    /// Writes the folder `dir` atomically (`AtomicFolder.replace`: a previous result stays whole
    /// until the new one replaces it). `runLog` goes to `run.log` (outside the identity guarantee).
    public func write(to dir: String, runLog: String) throws {
        try write(to: dir, runLog: { runLog })
    }

    /// The same, with `run.log`'s text made once every other file is staged (so that it can
    /// include the time spent writing them): nothing in the folder is written after the swap,
    /// where a kill would leave a temporary file inside the complete result.
    public func write(to dir: String, runLog: () -> String) throws {
        let fm = FileManager.default
        try AtomicFolder.replace(dir) { staging in
            var manifest: [(String, String)] = []
            func put(_ name: String, _ text: String) throws {
                let url = staging.appendingPathComponent(name)
                try fm.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                let w = try DigestingWriter(path: url.path)
                try w.write(text)
                manifest.append((name, try w.finish()))
            }
            // the data files one at a time (the large ones are not kept), then the reports
            func stream(_ name: String, _ body: ((String) throws -> Void) throws -> Void) throws {
                let w = try DigestingWriter(path: staging.appendingPathComponent(name).path)
                try body { try w.write($0) }
                manifest.append((name, try w.finish()))
            }
            var small: [String: String] = [:]
            for (name, make) in dataFileMakers() {
                switch name {
                case "assets.csv": try stream(name) { try writeAssetsCSV($0) }
                case "dependencies.csv": try stream(name) { try writeDependenciesCSV($0) }
                default:
                    let text = make()
                    try put(name, text)
                    small[name] = text
                }
            }
            for r in try ReportBuilder(files: small, tables: reportTables()).build() { try put(r.name, r.content) }
            try Data(runLog().utf8).write(to: staging.appendingPathComponent("run.log"))
            try Data(manifestJSON(manifest).utf8).write(to: staging.appendingPathComponent("manifest.json"))
        }
    }

    // MARK: - summary.json

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

    /// Sectors by name: (code, name).
    var sectorsByName: [(Int, String)] {
        result.sectors.enumerated().sorted { $0.element < $1.element }.map { ($0.offset, $0.element) }
    }

    /// Metric names in output order: `loss`; static mode `people_without_service.<sector>`; timed
    /// mode `people_hours.<sector>`, `restore95_hours.<sector>`, then `people_without_service.<sector>`
    /// (the peak over the horizon); sectors by name.
    func metrics() -> [Metric] {
        var out = [Metric(name: "loss", summary: Summary.of(result.loss))]
        if let t = result.timed {
            for (s, name) in sectorsByName { out.append(Metric(name: "people_hours.\(name)", summary: Summary.of(t.peopleHours[s]))) }
            for (s, name) in sectorsByName {
                out.append(Self.restoreMetric("restore95_hours.\(name)", t.restore95[s]))
            }
        }
        for (s, name) in sectorsByName {
            out.append(Metric(name: "people_without_service.\(name)", summary: Summary.of(result.peopleWithout[s])))
        }
        return out
    }

    /// A `restore95_hours` metric: samples never restored within the horizon (NaN) are censored.
    /// Without censored samples, the usual summary. With some, the quantiles are taken over all
    /// samples with the censored ones beyond the horizon (`Censored.quantile`: null when the
    /// quantile lies beyond it), and the mean, std, CI and CVaR are null: a mean over the
    /// restored samples alone would make a sector that stays down in most samples look quickly
    /// restored (issue 13).
    static func restoreMetric(_ name: String, _ values: [Double]) -> Metric {
        var known = values.filter { !$0.isNaN }
        let censored = values.count - known.count
        let fraction = values.isEmpty ? Double.nan : Double(known.count) / Double(values.count)
        if censored == 0 {
            return Metric(name: name, summary: known.isEmpty ? nil : Summary.of(known), censored: 0, restoredFraction: fraction)
        }
        Statistics.sortInPlace(&known)
        func q(_ p: Double) -> Double { Censored.quantile(observed: known, censored: censored, p: p) ?? .nan }
        let summary = Summary(mean: .nan, std: .nan, ci95Low: .nan, ci95High: .nan,
                              p50: q(0.5), p90: q(0.9), p95: q(0.95), p99: q(0.99), cvar95: .nan)
        return Metric(name: name, summary: summary, censored: censored, restoredFraction: fraction)
    }

    /// Points of the exceedance curve of `loss`: (loss, probability that a sample's loss is at least it).
    func exceedance(points: Int = 101) -> [(Double, Double)] {
        let sorted = result.loss.sorted(by: >)
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

    public func summaryJSON() -> String {
        var o = "{\n"
        o += "  \"schema_version\": \(Self.schemaVersion),\n"
        o += "  \"scenario\": \(JSON.string(scenario.name)),\n"
        o += "  \"mode\": \(JSON.string(scenario.simulation.mode.rawValue)),\n"
        o += "  \"samples\": \(result.samples),\n"
        o += "  \"seed\": \(result.seed),\n"
        o += "  \"stopped_early\": \(result.stoppedEarly),\n"
        o += "  \"loss_unit\": \(JSON.string(result.timed == nil ? "people" : "people-hours")),\n"
        o += "  \"model\": \(JSON.string(scenario.network.name)),\n"
        // the headline loss's weights, every sector (default 1), so that reports can show them
        o += "  \"weights\": {" + sectorsByName.map { "\(JSON.string($0.1)): \(JSON.number(scenario.weight(sector: $0.1)))" }.joined(separator: ", ") + "},\n"
        o += "  \"model_sha256\": \(JSON.string(InputDigest.model(scenario))),\n"
        if let r = scenario.annualRate {
            o += "  \"annual_rate\": \(JSON.number(r)),\n"
            o += "  \"expected_annual_loss\": \(JSON.number(r * Summary.of(result.loss).mean)),\n"
        }
        if let p = portfolio {
            o += "  \"portfolio\": {\"options\": [" + p.options.map { JSON.string($0) }.joined(separator: ", ") + "], "
            o += "\"method\": \(JSON.string(p.method)), \"cost\": \(JSON.number(p.cost)), "
            o += "\"loss_reduction\": \(JSON.number(p.lossReduction)), \"ci95_low\": \(JSON.number(p.ci95Low)), "
            o += "\"ci95_high\": \(JSON.number(p.ci95High))},\n"
        }
        let coords: String
        switch scenario.network.coordinates {
        case .geographic: coords = "wgs84"
        case .projected: coords = "projected"
        case .none: coords = "none"
        }
        o += "  \"coordinates\": \(JSON.string(coords)),\n"
        if let t = result.timed {
            o += "  \"horizon_hours\": \(JSON.number(t.horizonHours)),\n  \"step_hours\": \(JSON.number(t.stepHours)),\n"
        }
        o += "  \"metrics\": {\n"
        let m = metrics()
        for (i, metric) in m.enumerated() {
            o += "    \(JSON.string(metric.name)): {"
            let fields: [(String, Double?)] = [
                ("mean", metric.summary?.mean), ("std", metric.summary?.std), ("ci95_low", metric.summary?.ci95Low),
                ("ci95_high", metric.summary?.ci95High), ("p50", metric.summary?.p50), ("p90", metric.summary?.p90),
                ("p95", metric.summary?.p95), ("p99", metric.summary?.p99), ("cvar95", metric.summary?.cvar95)]
            o += fields.map { "\"\($0.0)\": \($0.1.map { JSON.number($0) } ?? "null")" }.joined(separator: ", ")
            if let c = metric.censored { o += ", \"censored\": \(c)" }
            if let f = metric.restoredFraction { o += ", \"restored_fraction\": \(JSON.number(f))" }
            o += "}"
            o += i + 1 < m.count ? ",\n" : "\n"
        }
        o += "  },\n"
        o += "  \"exceedance\": ["
        o += exceedance().map { "{\"loss\": \(JSON.number($0.0)), \"probability\": \(JSON.number($0.1))}" }.joined(separator: ", ")
        o += "]\n}\n"
        return o
    }

    // MARK: - assets.csv

    /// Asset indices in id byte order (the order of `assets.csv`): the inverse of the id ranks, O(assets).
    let assetOrder: [Int32]

    static func assetOrder(_ graph: CompiledGraph) -> [Int32] {
        let n = graph.assetCount
        return [Int32](unsafeUninitializedCapacity: n) { b, c in
            for a in 0..<n { b[Int(graph.idRank(a))] = Int32(a) }
            c = n
        }
    }

    /// Assets in id byte order (independent of row order), with the stable columns of DESIGN.md
    /// section 8; `n1_impact`, `rrw`, `mean_outage_hours` and `rank` stay empty until the
    /// rankings and timed mode exist.
    public func assetsCSV() -> String {
        var text = ""
        writeAssetsCSV { text += $0 }
        return text
    }

    /// `assets.csv` in pieces of about 64 KiB, so that a writer streams it to disk (O(assets), one
    /// piece in memory).
    func writeAssetsCSV(_ emit: (String) throws -> Void) rethrows {
        let net = scenario.network
        let order = assetOrder
        let n = Double(max(1, result.samples))
        var o = ResultSchema.assets.header
        o.reserveCapacity(Self.pieceBytes + 1024)
        let c = net.assets.common
        let r = rankings, timed = result.timed
        // appended piece by piece (no temporary strings per row)
        for a32 in order {
            let a = Int(a32)
            o.append(CSV.field(net.assetId(a32))); o.append(",")
            o.append(net.sectors[c.sector[a]]); o.append(",")
            o.append(net.kinds[c.kind[a]]); o.append(",")
            if c.owner[a] >= 0 { o.append(CSV.field(net.owners[c.owner[a]])) }
            o.append(",")
            if c.zone[a] >= 0 { o.append(CSV.field(net.zones[c.zone[a]])) }
            o.append(",")
            o.append(JSON.number(net.assets.population[a])); o.append(",")
            o.append(JSON.number(Double(result.damagedCount[a]) / n)); o.append(",")
            o.append(JSON.number(Double(result.outageCount[a]) / n)); o.append(",")
            if let r { o.append(JSON.number(r.n1[a])) }
            o.append(",")
            if let r, !r.rrw[a].isNaN { o.append(JSON.number(r.rrw[a])) }
            o.append(",")
            if let timed { o.append(JSON.number(timed.meanOutageHours[a])) }
            o.append(",")
            if let r { o.append(String(r.rank[a])) }
            o.append(",")
            if let timed { o.append(JSON.number(timed.p90OutageHours[a])) }
            o.append(",")
            let x = c.x[a], y = c.y[a]
            if !x.isNaN { o.append(JSON.number(x)) }
            o.append(",")
            if !y.isNaN { o.append(JSON.number(y)) }
            o.append("\n")
            if o.utf8.count >= Self.pieceBytes { try emit(o); o.removeAll(keepingCapacity: true) }
        }
        try emit(o)
    }

    /// Size of the pieces the large CSV files are streamed in.
    static let pieceBytes = 1 << 16

    // MARK: - dependencies.csv, zones.csv, coordination.csv

    func ownerName(_ code: Int32) -> String { code >= 0 ? scenario.network.owners[code] : "" }

    /// Dependency rows in (consumer id, group, provider id) order, computed once per writer.
    let dependencyOrder: [Int32]

    /// The rows sorted by integer keys (id ranks, and group names ranked once): O(rows log rows).
    static func dependencyOrder(_ net: Network, _ graph: CompiledGraph) -> [Int32] {
        let d = net.dependencies
        let groupRank = rankOfNames(net.groups.names)
        var order = [Int32](unsafeUninitializedCapacity: d.count) { b, c in
            for r in 0..<d.count { b[r] = Int32(r) }
            c = d.count
        }
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

    /// `consumer,provider,group,type,p_carried,loss_following,consumer_owner,provider_owner`.
    public func dependenciesCSV() -> String {
        var text = ""
        writeDependenciesCSV { text += $0 }
        return text
    }

    /// `dependencies.csv` in pieces (see `writeAssetsCSV`); nothing without outcomes.
    func writeDependenciesCSV(_ emit: (String) throws -> Void) rethrows {
        guard let out = result.outcomes else { return }
        let net = scenario.network, d = net.dependencies
        let n = Double(max(1, result.samples))
        var o = ResultSchema.dependencies.header
        o.reserveCapacity(Self.pieceBytes + 1024)
        let owner = net.assets.common.owner
        for r32 in dependencyOrder {
            let r = Int(r32)
            let c = d.consumer[r], p = d.provider[r]
            o.append(CSV.field(net.assetId(c))); o.append(",")
            o.append(CSV.field(net.assetId(p))); o.append(",")
            o.append(CSV.field(net.groups[d.group[r]])); o.append(",")
            o.append(d.type[r].name); o.append(",")
            o.append(JSON.number(Double(out.rowCarried[r]) / n)); o.append(",")
            o.append(JSON.number(out.rowLossFollowing[r])); o.append(",")
            o.append(CSV.field(ownerName(owner[Int(c)]))); o.append(",")
            o.append(CSV.field(ownerName(owner[Int(p)]))); o.append("\n")
            if o.utf8.count >= Self.pieceBytes { try emit(o); o.removeAll(keepingCapacity: true) }
        }
        try emit(o)
    }

    /// Warning level of a zone's probability of losing a service (DESIGN.md section 6).
    static func warning(_ p: Double) -> String {
        p >= 0.5 ? "severe" : p >= 0.2 ? "warning" : p >= 0.05 ? "advisory" : "none"
    }

    /// `zone,sector,p_loss,mean_duration_hours,people_affected,warning` for every zone and sector
    /// with population there, by zone and sector name.
    public func zonesCSV() -> String {
        guard let out = result.outcomes else { return "" }
        let net = scenario.network
        let nS = net.sectors.count
        let n = Double(max(1, result.samples))
        var o = ResultSchema.zones.header
        let zones = (0..<net.zones.count).sorted { net.zones.names[$0] < net.zones.names[$1] }
        for z in zones {
            for (s, name) in sectorsByName {
                let k = z * nS + s
                guard out.zonePopulation[k] > 0 else { continue }
                let p = Double(out.zoneLost[k]) / n
                o += CSV.field(net.zones.names[z]) + "," + name + "," + JSON.number(p) + ","
                o += (result.timed == nil ? "" : JSON.number(out.zoneHoursMean[k])) + ","
                o += JSON.number(out.zonePeopleMean[k]) + "," + Self.warning(p) + "\n"
            }
        }
        return o
    }

    /// `owner,depends_on_owner,expected_loss,top_dependencies,provider_median_outage_hours,
    /// backup_hours_to_ride_through` for every ordered pair of owners (X, Y) such that X depends
    /// on Y's assets or Y's assets cause loss at X's, by owner names.
    public func coordinationCSV() -> String {
        guard let r = rankings, let m = r.coordination, let out = result.outcomes else { return "" }
        let net = scenario.network, d = net.dependencies
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
        var o = ResultSchema.coordination.header
        let owners = (0..<nO).sorted { net.owners.names[$0] < net.owners.names[$1] }
        for x in owners {
            for y in owners where x != y {
                let rows = rowsOf[x * nO + y] ?? []
                let loss = m[x * nO + y]
                guard !rows.isEmpty || loss != 0 else { continue }
                let top = rows.filter { score($0) > 0 }.sorted { score($0) > score($1) }.prefix(5)
                let text = top.map { net.assetId(d.consumer[$0]) + "<-" + net.assetId(d.provider[$0]) }.joined(separator: ";")
                o += CSV.field(net.owners.names[x]) + "," + CSV.field(net.owners.names[y]) + "," + JSON.number(loss) + "," + CSV.field(text) + ","
                if let t = result.timed {
                    let providers = (top.isEmpty ? Array(rows) : Array(top)).map { Int(d.provider[$0]) }
                    let medians = providers.map { t.medianOutageHoursWhenOut[$0] }
                    // a provider whose median outage lies beyond the horizon: no backup within the
                    // horizon rides through it; both figures are empty and the row says so
                    if medians.contains(where: { $0.isNaN }) {
                        o += ",,true\n"
                    } else {
                        let median = medians.max() ?? 0
                        o += JSON.number(median) + "," + JSON.number(median.rounded(.up)) + ",false\n"
                    }
                } else {
                    o += ",,\n"
                }
            }
        }
        return o
    }

    // MARK: - timeline.csv

    /// `hours,sector,mean,p05,p95`: people without service per sector at every step (timed mode).
    public func timelineCSV() -> String {
        guard let t = result.timed else { return "" }
        var o = ResultSchema.timeline.header
        let rows = t.timeline(sectors: result.sectors.count)
        let nS = result.sectors.count
        let grid = t.gridTimes
        o.reserveCapacity(rows.count * 40)
        for k in 0..<grid.count {
            for (s, name) in sectorsByName {
                let r = rows[k * nS + s]
                o += JSON.number(r.hours) + "," + name + "," + JSON.number(r.mean) + "," + JSON.number(r.p05) + "," + JSON.number(r.p95) + "\n"
            }
        }
        return o
    }

    // MARK: - manifest.json

    func manifestJSON(_ files: [(String, String)]) -> String {
        var o = "{\n  \"schema_version\": \(Self.schemaVersion),\n  \"kaskada_version\": \(JSON.string(version)),\n"
        o += "  \"scenario\": \(JSON.string(scenario.name)),\n  \"inputs_sha256\": \(JSON.string(inputsDigest)),\n"
        if !inputs.isEmpty {
            o += "  \"inputs\": {" + inputs.map { "\(JSON.string($0.0)): \(JSON.string($0.1))" }.joined(separator: ", ") + "},\n"
        }
        o += "  \"samples\": \(result.samples),\n  \"seed\": \(result.seed),\n  \"files\": {\n"
        o += files.sorted { $0.0 < $1.0 }.map { "    \(JSON.string($0.0)): {\"sha256\": \(JSON.string($0.1))}" }.joined(separator: ",\n")
        o += "\n  }\n}\n"
        return o
    }
}

/// Human-readable numbers for reports.
enum Fmt {
    static func g(_ x: Double) -> String {
        guard x.isFinite else { return "–" }
        if abs(x) >= 1000 || x == x.rounded() { return String(format: "%.0f", x) }
        if abs(x) >= 10 { return String(format: "%.1f", x) }
        return String(format: "%.3g", x)
    }
}
