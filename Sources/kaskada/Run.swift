import ArgumentParser
import Foundation
import Hazards
import InfraGraph
import InfraModel
import Mitigations
import ModelIO
import Reports
import Simulation
import Rankings
import Stochastics
import TimedSimulation

/// `kaskada run SCENARIO`: Monte Carlo over the scenario's events, result folder out.
struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a scenario's Monte Carlo simulation and write its result folder.",
        discussion: """
            Writes summary.json, assets.csv, report.md, manifest.json and run.log into --out \
            (default results/<name>/ under the working directory), replacing an existing result \
            atomically; a failed run leaves nothing behind. The same scenario and seed give the \
            same bytes for any --threads.
            """
    )

    @Argument(help: "The scenario YAML file.")
    var scenario: String

    @Option(help: "Number of Monte Carlo samples (default: the scenario's simulation.samples).")
    var samples: Int?

    @Option(help: "Random seed (default: the scenario's simulation.seed).")
    var seed: UInt64?

    @Option(help: "Worker threads (default: the scenario's simulation.threads, else all cores).")
    var threads: Int?

    @Option(help: "Result folder (default: results/<name>/).")
    var out: String?

    @Flag(help: "Skip n1_impact, rrw, rank and the coordination matrix (the slow part of a run on large models).")
    var noRankings = false

    @Flag(help: "Skip the mitigation options and the portfolio (no mitigations.csv).")
    var noMitigations = false

    @Flag(help: "Print nothing but errors.")
    var quiet = false

    func validate() throws {
        if let s = samples, s < 1 { throw ValidationError("--samples must be at least 1, found \(s)") }
        if let t = threads, t < 1 { throw ValidationError("--threads must be at least 1, found \(t)") }
    }

    func run() throws {
        installInterruptHandler()
        let started = Date()
        let fragility = FragilityLoader.locateDefault(scenarioPath: scenario)
        var (sc, warnings) = try ScenarioLoader.load(path: scenario, defaultFragility: fragility)
        if let s = samples { sc.simulation.samples = s }
        if let s = seed { sc.simulation.seed = s }
        if !quiet { Console.errorLines(warnings.map(\.description)) }
        let graph = CompiledGraph(sc.network)
        let plan: HazardPlan
        do { plan = try HazardPlan(scenario: sc, graph: graph) } catch {
            throw InputError(file: scenario, field: "events", "\(error)")
        }
        let nThreads = threads ?? sc.simulation.threads ?? ProcessInfo.processInfo.activeProcessorCount
        var timedPlan: TimedPlan? = nil
        if sc.simulation.mode == .timed {
            do { timedPlan = try TimedPlan(scenario: sc, graph: graph, plan: plan) } catch {
                throw InputError(file: scenario, field: "events", "\(error)")
            }
        }
        let prepared = PreparedScenario(scenario: sc, graph: graph, plan: plan, timed: timedPlan)
        // mitigation options are prepared first: the baseline records the failures that decide
        // which samples an option can change
        let evaluator = sc.mitigations.isEmpty || noMitigations ? nil : OptionEvaluator(base: prepared)
        let progress = Progress(total: sc.simulation.samples, label: sc.name, quiet: quiet)
        let simulationStart = Date()
        let (result, runner) = prepared.run(watch: evaluator?.watch ?? [], threads: nThreads) { progress.update($0) }
        let simulationSeconds = Date().timeIntervalSince(simulationStart)
        progress.finish()
        var rankings: RankingResult? = nil
        if !noRankings {
            var lastLine = Date.distantPast
            rankings = Rankings.compute(scenario: sc, graph: graph, result: result, runner: runner, threads: nThreads) { part, done, total in
                guard !quiet, Date().timeIntervalSince(lastLine) >= 5 || done == total else { return }
                lastLine = Date()
                Console.errorLines(["\(sc.name): rankings, \(part) \(done)/\(total)"])
            }
        }
        let digest = InputDigest.compute(scenario: sc, defaultFragility: fragility, version: KaskadaVersion.string)
        // mitigation options: each run on the baseline's samples (same seed, same count)
        var options: [OptionResult]? = nil
        var portfolio: Portfolio? = nil
        let optionsStart = Date()
        if let evaluator {
            if !quiet { Console.errorLines(["\(sc.name): evaluating \(sc.mitigations.count) mitigation options on the same samples"]) }
            let evaluated = evaluator.evaluate(baseline: result, threads: nThreads)
            options = evaluated
            if let budget = sc.budget {
                if !quiet { Console.errorLines(["\(sc.name): searching the best portfolio within \(Int(budget)) EUR"]) }
                portfolio = evaluator.portfolio(baseline: result, results: evaluated, budget: budget, threads: nThreads)
            }
        }
        let optionsLine = evaluator.map { e in
            String(format: "mitigations %.3f s: %d option samples simulated, %d taken from the baseline (unchanged)%@",
                   Date().timeIntervalSince(optionsStart), e.simulated, e.reused,
                   portfolio.map { ", portfolio: \($0.setsEvaluated) joint sets" } ?? "")
        } ?? "mitigations none"
        var writer = ResultWriter(scenario: sc, graph: graph, result: result, rankings: rankings, inputsDigest: digest,
                                  version: KaskadaVersion.string)
        writer.options = options
        writer.portfolio = portfolio
        let dir = out ?? "results/\(sc.name)"
        let seconds = Date().timeIntervalSince(started)
        let log = """
            kaskada \(KaskadaVersion.string) run \(scenario)
            started \(ISO8601DateFormatter().string(from: started)) on \(ProcessInfo.processInfo.hostName)
            samples \(result.samples) of \(sc.simulation.samples)\(result.stoppedEarly ? " (early stop)" : ""), seed \(result.seed), threads \(nThreads)
            mode \(sc.simulation.mode.rawValue)\(sc.simulation.mode == .timed ? ", horizon \(sc.simulation.horizonHours) h, step \(sc.simulation.stepHours) h" : "")
            assets \(graph.assetCount), links \(graph.linkCount), requirements \(graph.requirementCount)
            rankings \(rankings.map { String(format: "n1 %.3f s (%d of %d assets by full cascade), rrw %.3f s, coordination %.3f s", $0.n1Seconds, $0.n1FullCascades, graph.assetCount, $0.rrwSeconds, $0.coordinationSeconds) } ?? "skipped (--no-rankings)")
            simulation \(String(format: "%.3f", simulationSeconds)) s\(result.timed.map { String(format: ", %.1f state computations per sample", Double($0.stateComputations) / Double(max(1, result.samples))) } ?? "")
            \(optionsLine)
            took \(String(format: "%.3f", seconds)) s

            """
        do { try writer.write(to: dir, runLog: log) } catch {
            Console.errorLines(["\(dir): error: cannot write the result: \(error.localizedDescription)"])
            throw ExitCode(1)
        }
        if !quiet {
            let loss = Summary.ofLoss(result.loss)
            let unit = result.timed == nil ? "" : " people-hours"
            print("\(sc.name): loss mean \(loss.mean)\(unit) (95% CI \(loss.low)–\(loss.high)) over \(result.samples) samples; result in \(dir)/")
            let evaluated = (options ?? []).filter { $0.notEvaluated == nil }
            if let best = evaluated.max(by: { ($0.benefitCost ?? -.infinity, $0.lossReduction) < ($1.benefitCost ?? -.infinity, $1.lossReduction) }) {
                print(String(format: "best option by benefit/cost: %@, loss reduction %.4g (95%% CI %.4g to %.4g), benefit/cost %.3g %@ (mitigations.csv)",
                             best.id, best.lossReduction, best.ci95Low, best.ci95High, best.benefitCost ?? .nan, best.benefitCostUnit))
            }
            for r in (options ?? []) where r.notEvaluated != nil { print("option \(r.id) not evaluated: \(r.notEvaluated!)") }
            if let p = portfolio {
                print(String(format: "portfolio within the budget (%@ search): %@, cost %.0f EUR, loss reduction %.4g (95%% CI %.4g to %.4g)",
                             p.method, p.options.joined(separator: " + "), p.cost, p.lossReduction, p.ci95Low, p.ci95High))
            }
        }
    }
}

/// A progress bar on a terminal, plain progress lines otherwise (standard error).
final class Progress {
    let total: Int, label: String, quiet: Bool
    let tty = isatty(STDERR_FILENO) != 0
    var lastLine = Date.distantPast
    let start = Date()

    init(total: Int, label: String, quiet: Bool) { self.total = total; self.label = label; self.quiet = quiet }

    func update(_ done: Int) {
        guard !quiet else { return }
        let frac = Double(done) / Double(max(1, total))
        let elapsed = Date().timeIntervalSince(start)
        let eta = frac > 0 ? elapsed * (1 - frac) / frac : 0
        if tty {
            let width = 30, filled = Int(frac * Double(width))
            let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
            FileHandle.standardError.write(Data(String(format: "\r%@ [%@] %d/%d samples, %.0f s left ", label, bar, done, total, eta).utf8))
        } else if Date().timeIntervalSince(lastLine) >= 5 || done == total {
            lastLine = Date()
            Console.errorLines([String(format: "%@: %d/%d samples (%.0f%%), %.1f s", label, done, total, 100 * frac, elapsed)])
        }
    }

    func finish() {
        if tty && !quiet { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}

/// Exit 130 on Ctrl-C (DESIGN.md section 7); staged results are hidden temporary folders.
func installInterruptHandler() {
    signal(SIGINT) { _ in _exit(130) }
    signal(SIGTERM) { _ in _exit(130) }
}

extension Summary {
    static func ofLoss(_ values: [Double]) -> (mean: String, low: String, high: String) {
        let s = Summary.of(values)
        func f(_ x: Double) -> String { String(format: x >= 100 ? "%.0f" : "%.3g", x) }
        return (f(s.mean), f(s.ci95Low), f(s.ci95High))
    }
}
