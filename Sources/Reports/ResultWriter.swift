import Foundation
import InfraGraph
import InfraModel
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
    /// SHA-256 over the input files, seed, sample count and Kaskada's version.
    public let inputsDigest: String
    public let version: String

    public init(scenario: Scenario, graph: CompiledGraph, result: MonteCarloResult, inputsDigest: String, version: String) {
        self.scenario = scenario
        self.graph = graph
        self.result = result
        self.inputsDigest = inputsDigest
        self.version = version
    }

    /// The files of the result, by name (everything but `run.log` and `manifest.json`).
    public func files() -> [(String, String)] {
        var f = [("summary.json", summaryJSON()), ("assets.csv", assetsCSV()), ("report.md", reportMarkdown())]
        if result.timed != nil { f.append(("timeline.csv", timelineCSV())) }
        return f
    }

    /// Writes the folder `dir` atomically. `runLog` goes to `run.log` (outside the identity guarantee).
    public func write(to dir: String, runLog: String) throws {
        let fm = FileManager.default
        let target = URL(fileURLWithPath: dir).standardizedFileURL
        let parent = target.deletingLastPathComponent()
        try fm.createDirectory(at: parent, withIntermediateDirectories: true)
        let tag = "\(ProcessInfo.processInfo.processIdentifier)-\(UInt64(Date().timeIntervalSince1970 * 1000))"
        let staging = parent.appendingPathComponent(".\(target.lastPathComponent).tmp-\(tag)")
        try? fm.removeItem(at: staging)
        try fm.createDirectory(at: staging, withIntermediateDirectories: false)
        do {
            var manifest: [(String, String)] = []
            for (name, text) in files() {
                let data = Data(text.utf8)
                try data.write(to: staging.appendingPathComponent(name))
                manifest.append((name, SHA256.hex(data)))
            }
            try Data(runLog.utf8).write(to: staging.appendingPathComponent("run.log"))
            try Data(manifestJSON(manifest).utf8).write(to: staging.appendingPathComponent("manifest.json"))
            if fm.fileExists(atPath: target.path) {
                let old = parent.appendingPathComponent(".\(target.lastPathComponent).old-\(tag)")
                try fm.moveItem(at: target, to: old)
                do { try fm.moveItem(at: staging, to: target) } catch {
                    try? fm.moveItem(at: old, to: target)
                    throw error
                }
                try? fm.removeItem(at: old)
            } else {
                try fm.moveItem(at: staging, to: target)
            }
        } catch {
            try? fm.removeItem(at: staging)
            throw error
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
                let known = t.restore95[s].filter { !$0.isNaN }
                out.append(Metric(name: "restore95_hours.\(name)", summary: known.isEmpty ? nil : Summary.of(known),
                                  censored: t.restore95[s].count - known.count))
            }
        }
        for (s, name) in sectorsByName {
            out.append(Metric(name: "people_without_service.\(name)", summary: Summary.of(result.peopleWithout[s])))
        }
        return out
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
        if let r = scenario.annualRate { o += "  \"annual_rate\": \(JSON.number(r)),\n" }
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

    /// Assets in id byte order (independent of row order), with the stable columns of DESIGN.md
    /// section 8; `n1_impact`, `rrw`, `mean_outage_hours` and `rank` stay empty until the
    /// rankings and timed mode exist.
    public func assetsCSV() -> String {
        let net = scenario.network
        let order = (0..<graph.assetCount).sorted { graph.idRank($0) < graph.idRank($1) }
        let n = Double(max(1, result.samples))
        var o = "id,sector,kind,owner,zone,population,p_damage,p_outage,n1_impact,rrw,mean_outage_hours,rank,p90_outage_hours\n"
        o.reserveCapacity(order.count * 80)
        let c = net.assets.common
        for a in order {
            let owner = c.owner[a] >= 0 ? net.owners[c.owner[a]] : ""
            let zone = c.zone[a] >= 0 ? net.zones[c.zone[a]] : ""
            o += CSV.field(net.assetId(Int32(a))) + "," + net.sectors[c.sector[a]] + "," + net.kinds[c.kind[a]] + ","
            o += CSV.field(owner) + "," + CSV.field(zone) + "," + JSON.number(net.assets.population[a]) + ","
            o += JSON.number(Double(result.damagedCount[a]) / n) + "," + JSON.number(Double(result.outageCount[a]) / n)
            if let t = result.timed {
                o += ",,," + JSON.number(t.meanOutageHours[a]) + ",," + JSON.number(t.p90OutageHours[a]) + "\n"
            } else {
                o += ",,,,,\n"
            }
        }
        return o
    }

    // MARK: - report.md

    public func reportMarkdown() -> String {
        let m = metrics()
        let timed = result.timed
        var o = "# \(scenario.name)\n\n"
        if let t = timed {
            o += "Timed Monte Carlo, \(result.samples) samples, seed \(result.seed), horizon \(Fmt.g(t.horizonHours)) h, "
            o += "curves every \(Fmt.g(t.stepHours)) h"
        } else {
            o += "Static Monte Carlo, \(result.samples) samples, seed \(result.seed)"
        }
        if result.stoppedEarly { o += " (stopped early: the 95% confidence interval reached the target)" }
        o += ".\n\n## Headline\n\n"
        if let loss = m.first?.summary {
            o += timed == nil ? "Loss (weighted people without service): " : "Loss (weighted people-hours without service): "
            o += "mean \(Fmt.g(loss.mean)) (95% CI \(Fmt.g(loss.ci95Low))–\(Fmt.g(loss.ci95High))), median \(Fmt.g(loss.p50)), "
            o += "p95 \(Fmt.g(loss.p95)), CVaR95 \(Fmt.g(loss.cvar95)).\n\n"
        }
        func metric(_ name: String) -> Metric? { m.first { $0.name == name } }
        if let t = timed {
            o += "## Restoration\n\n"
            o += "People-hours without service over the horizon, and the time until 95% of each sector's people have "
            o += "service again for good (`restore95`; censored: samples in which that did not happen before the horizon).\n\n"
            o += "| sector | people-hours mean | 95% CI | p90 | peak people without (mean) | restore95 median h | restore95 p90 h | censored |\n"
            o += "|---|---:|---|---:|---:|---:|---:|---:|\n"
            for (_, name) in sectorsByName {
                guard let ph = metric("people_hours.\(name)")?.summary else { continue }
                let r = metric("restore95_hours.\(name)")
                let peak = metric("people_without_service.\(name)")?.summary
                o += "| \(name) | \(Fmt.g(ph.mean)) | \(Fmt.g(ph.ci95Low))–\(Fmt.g(ph.ci95High)) | \(Fmt.g(ph.p90)) | "
                o += "\(Fmt.g(peak?.mean ?? .nan)) | \(Fmt.g(r?.summary?.p50 ?? .nan)) | \(Fmt.g(r?.summary?.p90 ?? .nan)) | \(r?.censored ?? 0) |\n"
            }
            // the restoration curve at a few times
            let rows = t.timeline(sectors: result.sectors.count)
            let grid = t.gridTimes
            let wanted = [0.0, 6, 12, 24, 48, 72, 120, 168, 336, 720].filter { $0 <= t.horizonHours }
            var picks: [Int] = []
            for w in wanted {
                if let k = grid.firstIndex(where: { $0 >= w - 1e-9 }), !picks.contains(k) { picks.append(k) }
            }
            if !picks.isEmpty {
                o += "\nMean people without service (90% band) at selected times; every step is in `timeline.csv`.\n\n"
                o += "| hours | " + sectorsByName.map(\.1).joined(separator: " | ") + " |\n"
                o += "|---:|" + String(repeating: "---|", count: sectorsByName.count) + "\n"
                for k in picks {
                    o += "| \(Fmt.g(grid[k])) |"
                    for (s, _) in sectorsByName {
                        let row = rows[k * result.sectors.count + s]
                        o += " \(Fmt.g(row.mean)) (\(Fmt.g(row.p05))–\(Fmt.g(row.p95))) |"
                    }
                    o += "\n"
                }
            }
        } else {
            o += "## People without service\n\n| sector | mean | 95% CI | p90 | p99 |\n|---|---:|---|---:|---:|\n"
            for metric in m.dropFirst() {
                guard let s = metric.summary else { continue }
                let sector = String(metric.name.dropFirst("people_without_service.".count))
                o += "| \(sector) | \(Fmt.g(s.mean)) | \(Fmt.g(s.ci95Low))–\(Fmt.g(s.ci95High)) | \(Fmt.g(s.p90)) | \(Fmt.g(s.p99)) |\n"
            }
        }
        let net = scenario.network
        let n = Double(max(1, result.samples))
        if let t = timed {
            let top = (0..<graph.assetCount).filter { t.meanOutageHours[$0] > 0 }.sorted {
                let x = t.meanOutageHours[$0], y = t.meanOutageHours[$1]
                return x != y ? x > y : graph.idRank($0) < graph.idRank($1)
            }.prefix(15)
            if !top.isEmpty {
                o += "\n## Assets with the longest outages\n\n| asset | sector | kind | owner | population | p_damage | mean outage h | p90 outage h |\n"
                o += "|---|---|---|---|---:|---:|---:|---:|\n"
                for a in top {
                    let c = net.assets.common
                    o += "| \(net.assetId(Int32(a))) | \(net.sectors[c.sector[a]]) | \(net.kinds[c.kind[a]]) | "
                    o += "\(c.owner[a] >= 0 ? net.owners[c.owner[a]] : "") | \(Fmt.g(net.assets.population[a])) | "
                    o += "\(Fmt.g(Double(result.damagedCount[a]) / n)) | \(Fmt.g(t.meanOutageHours[a])) | \(Fmt.g(t.p90OutageHours[a])) |\n"
                }
            }
        } else {
            let top = (0..<graph.assetCount).filter { result.outageCount[$0] > 0 }.sorted {
                let x = result.outageCount[$0], y = result.outageCount[$1]
                return x != y ? x > y : graph.idRank($0) < graph.idRank($1)
            }.prefix(15)
            if !top.isEmpty {
                o += "\n## Assets most often out of service\n\n| asset | sector | kind | owner | p_damage | p_outage |\n|---|---|---|---|---:|---:|\n"
                for a in top {
                    let c = net.assets.common
                    o += "| \(net.assetId(Int32(a))) | \(net.sectors[c.sector[a]]) | \(net.kinds[c.kind[a]]) | "
                    o += "\(c.owner[a] >= 0 ? net.owners[c.owner[a]] : "") | \(Fmt.g(Double(result.damagedCount[a]) / n)) | "
                    o += "\(Fmt.g(Double(result.outageCount[a]) / n)) |\n"
                }
            }
        }
        if !scenario.crews.isEmpty && timed != nil {
            o += "\nRepair crews: " + scenario.crews.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            o += "; other owners repair everything in parallel.\n"
        }
        o += "\nRankings (`n1_impact`, `rrw`, `rank`), coordination and zone warnings are not computed yet.\n"
        return o
    }

    // MARK: - timeline.csv

    /// `hours,sector,mean,p05,p95`: people without service per sector at every step (timed mode).
    public func timelineCSV() -> String {
        guard let t = result.timed else { return "" }
        var o = "hours,sector,mean,p05,p95\n"
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
        o += "  \"samples\": \(result.samples),\n  \"seed\": \(result.seed),\n  \"files\": {\n"
        o += files.sorted { $0.0 < $1.0 }.map { "    \(JSON.string($0.0)): {\"sha256\": \(JSON.string($0.1))}" }.joined(separator: ",\n")
        o += "\n  }\n}\n"
        return o
    }
}

/// Deterministic JSON scalars.
enum JSON {
    static func string(_ s: String) -> String {
        var o = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": o += "\\\""
            case "\\": o += "\\\\"
            case "\n": o += "\\n"
            case "\r": o += "\\r"
            case "\t": o += "\\t"
            default:
                if u.value < 0x20 { o += String(format: "\\u%04x", u.value) } else { o.unicodeScalars.append(u) }
            }
        }
        return o + "\""
    }

    /// Shortest round-tripping decimal; integers without a fraction; null for NaN/infinity.
    static func number(_ x: Double) -> String {
        guard x.isFinite else { return "null" }
        if x == x.rounded() && abs(x) < 1e15 { return String(Int64(x)) }
        return "\(x)"
    }
}

/// CSV quoting.
enum CSV {
    static func field(_ s: String) -> String {
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
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
