import ArgumentParser
import Foundation
import InfraGraph
import InfraModel
import ModelIO
import ResultFiles
import RunPipeline

/// `kaskada validate MODEL|SCENARIO`: load, check, summarise.
struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Load and check a model or scenario, and print a summary with the warnings a planner needs.",
        discussion: """
            MODEL is a folder with network.yaml, or the network.yaml itself; SCENARIO is a YAML file \
            with top-level network and events keys. Every error names file, line (column for YAML) \
            and field; up to 50 errors per file are listed. Exit 2 on any error.
            """
    )

    @Argument(help: "A model folder, a network.yaml, or a scenario YAML file.")
    var path: String

    @Flag(help: "Print the summary as JSON.")
    var json = false

    @Flag(help: "Print only errors and warnings.")
    var quiet = false

    @Flag(help: "Print how long loading and checking took (to standard error).")
    var timings = false

    func run() throws {
        let clock = ContinuousClock()
        let t0 = clock.now
        // by content, not by name: a scenario has top-level network/events (docs/specification.md section 4)
        let isScenario = ScenarioLoader.isScenario(path: path)
        var report = ValidationReport()
        let loadWarnings: [Diagnostic]
        let network: Network
        if isScenario {
            let (scenario, warnings) = try ScenarioLoader.load(path: path)
            loadWarnings = warnings
            network = scenario.network
            report.scenario = ScenarioSummary(scenario)
        } else {
            let (net, warnings) = try NetworkLoader.load(path: path)
            network = net
            loadWarnings = warnings
        }
        let t1 = clock.now
        let loadPeak = PhaseTimes.peakResidentMiB()
        // no id is looked up from here on: the id index goes before the graph is built
        network.ids.releaseIndex()
        let graph = CompiledGraph(network)
        let t2 = clock.now
        report.model = ModelSummary(network, graph: graph)
        let t3 = clock.now
        if timings {
            func s(_ d: Duration) -> String { NumberText.fixed(Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18, 3) + " s" }
            Console.errorLines([
                "timings: load \(s(t1 - t0)) (peak \(NumberText.fixed(loadPeak, 0)) MiB), compile \(s(t2 - t1)), checks \(s(t3 - t2)) (\(network.assets.count) assets, \(network.links.count) links, \(network.dependencies.count) dependencies)"
            ])
        }
        report.fileWarnings = loadWarnings.map(\.description)
        if json {
            let enc = JSONEncoder()
            enc.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try enc.encode(report), as: UTF8.self))
        } else {
            print(report.text(quiet: quiet), terminator: "")
        }
    }
}

/// What a scenario holds, for `validate`.
struct ScenarioSummary: Codable {
    struct EventLine: Codable {
        var type: String
        var line: Int
        var assets: Int
        var links: Int
        var detail: String
    }
    var name: String
    var mode: String
    var samples: Int
    var seed: UInt64
    var events: [EventLine]
    var fragilityLibraries: [String]
    var fragilityCurves: Int
    var mitigations: [String]
    var budget: Double?
    var annualRate: Double?

    init(_ s: Scenario) {
        name = s.name
        mode = s.simulation.mode.rawValue
        samples = s.simulation.samples
        seed = s.simulation.seed
        fragilityLibraries = (s.defaultFragility.map { [$0.name] } ?? []) + s.fragilityPaths
        fragilityCurves = s.fragility.curves.count
        mitigations = s.mitigations.map { "\($0.id) (\(Int($0.cost)) EUR, \($0.actions.count) action(s))" }
        budget = s.budget
        annualRate = s.annualRate
        events = s.events.map { e in
            var assets = e.match?.assets.count ?? s.network.assets.count
            var links = e.match?.links.count ?? 0
            var detail = ""
            switch e.kind {
            case .hazard(let name, let source, let u):
                let reach = e.reach ?? HazardField.reached(by: e, network: s.network)
                assets = reach.assets.count
                links = reach.links.count
                let maxI = (reach.assetIntensity + reach.linkIntensity).max() ?? 0
                let src: String
                switch source {
                case .value(let v): src = "value \(v)"
                case .table(let p, _): src = "table \(p)"
                case .polygons(let p, let prop, let areas): src = "\(areas.count) area(s) from \(p) (\(prop))"
                case .footprint(_, let peak, let d, let r):
                    src = "footprint peak \(peak)" + (d.map { ", decay \($0) km" } ?? "") + (r.map { ", radius \($0) km" } ?? "")
                }
                detail = "\(name): \(src); reaches \(assets) assets and \(links) links with intensity > 0 (max \(NumberText.significant(maxI, 4)))"
                if u.eventSigma > 0 || u.zoneSigma > 0 { detail += "; uncertainty σ_event \(u.eventSigma), σ_zone \(u.zoneSigma)" }
            case .outage(let p, let d):
                detail = "outage p=\(p)" + (d.map { ", \($0) h" } ?? ", whole horizon")
            case .attack(let c, let st):
                detail = "attack on \(c) of \(assets) selected assets, strategy \(st.rawValue)"
            case .supplyInterruption(let d):
                detail = "supply interruption of \(assets) source(s)" + (d.map { " for \($0) h" } ?? "")
            case .contamination(let d):
                detail = "contamination of \(assets) asset(s)" + (d.map { " for \($0) h" } ?? "")
            }
            return EventLine(type: e.kind.typeName, line: e.line, assets: assets, links: links, detail: detail)
        }
    }
}

/// The whole `validate` output.
struct ValidationReport: Codable {
    var model: ModelSummary?
    var scenario: ScenarioSummary?
    var fileWarnings: [String] = []

    func text(quiet: Bool) -> String {
        var o = ""
        func line(_ s: String = "") { o += s + "\n" }
        guard let m = model else { return o }
        if !quiet {
            line(
                "model \(m.name): \(m.assets) assets, \(m.links) links, \(m.dependencies) dependency rows in \(m.requirements) requirements; coordinates: \(m.coordinates)"
            )
            line()
            line("sector           supply            assets    links  sources     population")
            for s in m.sectors {
                line(
                    pad(s.sector, 16) + " " + pad(s.supply, 15) + lpad(s.assets, 8) + " " + lpad(s.links, 8) + " " + lpad(s.sources, 8) + " "
                        + lpad(Int(s.population.rounded()), 14))
            }
            line()
            line(
                "dependencies by type: "
                    + m.dependencyTypes.map { "\($0.type) \($0.rows) rows / \($0.requirements) requirements" }.joined(separator: ", "))
            line(
                "owners (\(m.owners.count)): "
                    + m.owners.map {
                        "\($0.owner) \($0.assets) assets, \($0.links) links, backup on \($0.requirementsWithBackup)/\($0.requirements) requirements"
                    }.joined(separator: "; "))
            line(
                "zones (\(m.zones.count)): "
                    + m.zones.map { "\($0.zone) \($0.assets) assets, \(Int($0.population.rounded())) people" }.joined(separator: "; "))
            if let s = scenario {
                line()
                line("scenario \(s.name): \(s.mode), \(s.samples) samples, seed \(s.seed)" + (s.annualRate.map { ", annual rate \($0)" } ?? ""))
                for e in s.events { line("  event (line \(e.line)) \(e.detail)") }
                line("  fragility: \(s.fragilityCurves) curves from \(s.fragilityLibraries.joined(separator: ", "))")
                if !s.mitigations.isEmpty {
                    line("  mitigations: " + s.mitigations.joined(separator: "; ") + (s.budget.map { "; budget \(Int($0)) EUR" } ?? ""))
                }
            }
        }
        if !m.warnings.isEmpty || !fileWarnings.isEmpty {
            if !quiet { line() }
            for w in fileWarnings { line(w) }
            for w in m.warnings {
                line("warning: \(w.message)" + (w.examples.isEmpty ? "" : " (e.g. \(w.examples.joined(separator: ", ")))"))
            }
        }
        if !quiet && !m.notes.isEmpty {
            line()
            for w in m.notes { line("note: \(w.message)" + (w.examples.isEmpty ? "" : " (e.g. \(w.examples.joined(separator: ", ")))")) }
        }
        if !quiet { line(); line("valid: \(m.warnings.count + fileWarnings.count) warning(s)") }
        return o
    }

    private func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s : s + String(repeating: " ", count: n - s.count) }
    private func lpad(_ v: Int, _ n: Int) -> String { let s = String(v); return s.count >= n ? s : String(repeating: " ", count: n - s.count) + s }
}
