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
        [("summary.json", summaryJSON()), ("assets.csv", assetsCSV()), ("report.md", reportMarkdown())]
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

    /// Metric names in output order: `loss`, then `people_without_service.<sector>` by sector name.
    func metrics() -> [(String, Summary)] {
        var out: [(String, Summary)] = [("loss", Summary.of(result.loss))]
        for (s, name) in result.sectors.enumerated().sorted(by: { $0.element < $1.element }) {
            out.append(("people_without_service.\(name)", Summary.of(result.peopleWithout[s])))
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
        o += "  \"metrics\": {\n"
        let m = metrics()
        for (i, (name, s)) in m.enumerated() {
            o += "    \(JSON.string(name)): {"
            o += "\"mean\": \(JSON.number(s.mean)), \"std\": \(JSON.number(s.std)), "
            o += "\"ci95_low\": \(JSON.number(s.ci95Low)), \"ci95_high\": \(JSON.number(s.ci95High)), "
            o += "\"p50\": \(JSON.number(s.p50)), \"p90\": \(JSON.number(s.p90)), \"p95\": \(JSON.number(s.p95)), "
            o += "\"p99\": \(JSON.number(s.p99)), \"cvar95\": \(JSON.number(s.cvar95))}"
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
        var o = "id,sector,kind,owner,zone,population,p_damage,p_outage,n1_impact,rrw,mean_outage_hours,rank\n"
        o.reserveCapacity(order.count * 80)
        let c = net.assets.common
        for a in order {
            let owner = c.owner[a] >= 0 ? net.owners[c.owner[a]] : ""
            let zone = c.zone[a] >= 0 ? net.zones[c.zone[a]] : ""
            o += CSV.field(net.assetId(Int32(a))) + "," + net.sectors[c.sector[a]] + "," + net.kinds[c.kind[a]] + ","
            o += CSV.field(owner) + "," + CSV.field(zone) + "," + JSON.number(net.assets.population[a]) + ","
            o += JSON.number(Double(result.damagedCount[a]) / n) + "," + JSON.number(Double(result.outageCount[a]) / n)
            o += ",,,,\n"
        }
        return o
    }

    // MARK: - report.md

    public func reportMarkdown() -> String {
        let m = metrics()
        var o = "# \(scenario.name)\n\n"
        o += "Static Monte Carlo, \(result.samples) samples, seed \(result.seed)"
        if result.stoppedEarly { o += " (stopped early: the 95% confidence interval reached the target)" }
        o += ".\n\n## Headline\n\n"
        if let loss = m.first?.1 {
            o += "Loss (weighted people without service): mean \(Fmt.g(loss.mean)) "
            o += "(95% CI \(Fmt.g(loss.ci95Low))–\(Fmt.g(loss.ci95High))), median \(Fmt.g(loss.p50)), "
            o += "p95 \(Fmt.g(loss.p95)), CVaR95 \(Fmt.g(loss.cvar95)).\n\n"
        }
        o += "## People without service\n\n| sector | mean | 95% CI | p90 | p99 |\n|---|---:|---|---:|---:|\n"
        for (name, s) in m.dropFirst() {
            let sector = String(name.dropFirst("people_without_service.".count))
            o += "| \(sector) | \(Fmt.g(s.mean)) | \(Fmt.g(s.ci95Low))–\(Fmt.g(s.ci95High)) | \(Fmt.g(s.p90)) | \(Fmt.g(s.p99)) |\n"
        }
        let net = scenario.network
        let top = (0..<graph.assetCount).filter { result.outageCount[$0] > 0 }.sorted {
            let x = result.outageCount[$0], y = result.outageCount[$1]
            return x != y ? x > y : graph.idRank($0) < graph.idRank($1)
        }.prefix(15)
        if !top.isEmpty {
            o += "\n## Assets most often out of service\n\n| asset | sector | kind | owner | p_damage | p_outage |\n|---|---|---|---|---:|---:|\n"
            let n = Double(max(1, result.samples))
            for a in top {
                let c = net.assets.common
                o += "| \(net.assetId(Int32(a))) | \(net.sectors[c.sector[a]]) | \(net.kinds[c.kind[a]]) | "
                o += "\(c.owner[a] >= 0 ? net.owners[c.owner[a]] : "") | \(Fmt.g(Double(result.damagedCount[a]) / n)) | "
                o += "\(Fmt.g(Double(result.outageCount[a]) / n)) |\n"
            }
        }
        o += "\nRankings (`n1_impact`, `rrw`, `rank`), coordination and zone warnings are not computed yet.\n"
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
