import ResultFiles
import ArgumentParser
import Engines
import Foundation
import InfraGraph
import InfraModel
import Mitigations
import Reports
import RunPipeline
import ModelIO
import Simulation
import Stochastics

/// `kaskada compare SCENARIO --options a,b`: named mitigation options against the baseline and
/// against each other, on the same samples (common random numbers). Writes nothing.
struct Compare: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compare named mitigation options of a scenario on the same samples (paired differences).",
        discussion: """
            Runs the baseline and the options given with --options (ids from the scenario's \
            mitigations list) on the same samples, and prints per option the mean loss reduction \
            with its 95% confidence interval, cost and benefit/cost, then per pair of options the \
            paired difference of their losses and the probability that one beats the other. \
            --independent also runs each option on independent streams (seed + 1) and prints the \
            variance of the unpaired difference next to the paired one. Writes no files.
            """
    )

    @Argument(help: "The scenario YAML file (with a mitigations list).")
    var scenario: String

    @Option(help: "Comma-separated option ids to compare (default: every option of the scenario).")
    var options: String?

    @OptionGroup var sampling: SamplingOptions

    @Flag(help: "Also run each option on independent streams and show the variance both ways.")
    var independent = false

    @Flag(help: "Print the comparison as JSON.")
    var json = false

    @Flag(help: "Print nothing but the comparison and errors.")
    var quiet = false

    func run() throws {
        installInterruptHandler()
        let fragility = FragilityLoader.locateDefault(scenarioPath: scenario)
        var (sc, warnings) = try ScenarioLoader.load(path: scenario, defaultFragility: fragility)
        if let s = sampling.samples { sc.simulation.samples = s }
        if let s = sampling.seed { sc.simulation.seed = s }
        sc.simulation.targetRelativeCI = nil   // the same sample count for every option
        if !quiet { Console.errorLines(warnings.map(\.description)) }
        guard !sc.mitigations.isEmpty else {
            throw InputError(file: scenario, field: "mitigations", "the scenario has no mitigation options to compare")
        }
        if let list = options {
            let ids = list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            let known = sc.mitigations.map(\.id)
            let unknown = ids.filter { !known.contains($0) }
            guard unknown.isEmpty, !ids.isEmpty else {
                throw ValidationError("--options: unknown option \(unknown.map { "'\($0)'" }.joined(separator: ", ")) in \(scenario): expected ids of its mitigations list (\(known.joined(separator: ", ")))")
            }
            sc.mitigations = ids.map { id in sc.mitigations.first { $0.id == id }! }
        }
        let nThreads = sampling.threads ?? sc.simulation.threads ?? ProcessInfo.processInfo.activeProcessorCount
        let prepared: PreparedScenario
        do { prepared = try PreparedScenario(sc) } catch {
            throw InputError(file: scenario, field: "events", "\(error)")
        }
        let evaluator = OptionEvaluator(base: prepared)
        let progress = PhaseProgress(label: sc.name, quiet: quiet)
        let (base, _) = prepared.run(watch: evaluator.watch, threads: nThreads) {
            progress.update(RunProgress(phase: .samples, done: $0, total: sc.simulation.samples))
        }
        progress.interrupt()
        if !quiet { Console.errorLines(["\(sc.name): running \(sc.mitigations.count) options on the same \(base.samples) samples"]) }
        let results = evaluator.evaluate(baseline: base, threads: nThreads)
        let n = base.samples
        // unpaired: each option on independent streams
        var unpairedVariance: [Double?] = Array(repeating: nil, count: results.count)
        if independent {
            for (k, option) in sc.mitigations.enumerated() where results[k].notEvaluated == nil {
                var other = try MitigationApplier.apply(option, to: sc)
                other.simulation.seed = sc.simulation.seed &+ 1
                let out = try PreparedScenario(other).run(threads: nThreads).0
                unpairedVariance[k] = Statistics.variance((0..<n).map { base.loss[$0] - out.loss[$0] })
            }
        }
        let unit = sc.simulation.mode == .timed ? "people-hours" : "people"
        let loss = Summary.of(base.loss)
        // pairs: difference of losses (A − B: positive when B is better), paired over samples
        var pairs: [(a: String, b: String, mean: Double, low: Double, high: Double, pA: Double, pB: Double)] = []
        for i in results.indices where results[i].notEvaluated == nil {
            for j in results.indices where j > i && results[j].notEvaluated == nil {
                // loss_A − loss_B = reduction_B − reduction_A
                let d = (0..<n).map { results[j].reductions[$0] - results[i].reductions[$0] }
                let mean = d.reduce(0, +) / Double(n)
                let ci = n > 1 ? Statistics.confidenceInterval95(mean: mean, sd: Statistics.sd(d), n: n) : (low: mean, high: mean)
                let pA = results[i].beats.first { $0.0 == results[j].id }?.1 ?? 0
                let pB = results[j].beats.first { $0.0 == results[i].id }?.1 ?? 0
                pairs.append((results[i].id, results[j].id, mean, ci.low, ci.high, pA, pB))
            }
        }
        if json {
            var o = "{\"scenario\": \(JSON.string(sc.name)), \"mode\": \(JSON.string(sc.simulation.mode.rawValue)), "
            o += "\"samples\": \(n), \"seed\": \(sc.simulation.seed), \"loss_unit\": \(JSON.string(unit)), "
            o += "\"baseline_loss\": {\"mean\": \(JSON.number(loss.mean)), \"ci95_low\": \(JSON.number(loss.ci95Low)), \"ci95_high\": \(JSON.number(loss.ci95High))},\n"
            o += "\"options\": [\n" + results.enumerated().map { k, r in
                var f = "  {\"option\": \(JSON.string(r.id)), \"cost\": \(JSON.number(r.cost))"
                if let why = r.notEvaluated { return f + ", \"not_evaluated\": \(JSON.string(why))}" }
                f += ", \"loss_reduction\": \(JSON.number(r.lossReduction)), \"ci95_low\": \(JSON.number(r.ci95Low)), \"ci95_high\": \(JSON.number(r.ci95High))"
                f += ", \"benefit_cost\": \(r.benefitCost.map(JSON.number) ?? "null"), \"benefit_cost_unit\": \(JSON.string(r.benefitCostUnit))"
                f += ", \"variance_paired\": \(JSON.number(Statistics.variance(r.reductions)))"
                if let v = unpairedVariance[k] { f += ", \"variance_independent\": \(JSON.number(v))" }
                f += ", \"samples_simulated\": \(r.simulatedSamples)}"
                return f
            }.joined(separator: ",\n") + "\n],\n"
            o += "\"pairs\": [\n" + pairs.map { p in
                "  {\"a\": \(JSON.string(p.a)), \"b\": \(JSON.string(p.b)), \"loss_difference\": \(JSON.number(p.mean)), \"ci95_low\": \(JSON.number(p.low)), \"ci95_high\": \(JSON.number(p.high)), \"p_a_beats_b\": \(JSON.number(p.pA)), \"p_b_beats_a\": \(JSON.number(p.pB))}"
            }.joined(separator: ",\n") + "\n]}"
            print(o)
            return
        }
        func f(_ x: Double) -> String { String(format: abs(x) >= 100 ? "%.0f" : "%.3g", x) }
        print("\(sc.name): \(sc.simulation.mode.rawValue) mode, \(n) samples, seed \(sc.simulation.seed); baseline loss \(f(loss.mean)) \(unit) (95% CI \(f(loss.ci95Low)) to \(f(loss.ci95High)))")
        print("options on the same samples (common random numbers); reduction = baseline loss − option loss, per sample:")
        var rows = [["option", "cost EUR", "loss reduction", "95% CI", "benefit/cost", "samples simulated"]]
        if independent { rows[0] += ["var paired", "var independent", "ratio"] }
        for (k, r) in results.enumerated() {
            if let why = r.notEvaluated { rows.append([r.id, f(r.cost), "not evaluated: \(why)"]); continue }
            var row = [r.id, f(r.cost), f(r.lossReduction), "\(f(r.ci95Low)) to \(f(r.ci95High))",
                       r.benefitCost.map { "\(String(format: "%.3g", $0)) \(r.benefitCostUnit)" } ?? "-", "\(r.simulatedSamples) of \(n)"]
            if let v = unpairedVariance[k] {
                let vp = Statistics.variance(r.reductions)
                row += [String(format: "%.4g", vp), String(format: "%.4g", v), vp > 0 ? String(format: "%.1f×", v / vp) : "∞"]
            }
            rows.append(row)
        }
        printTable(rows)
        if !pairs.isEmpty {
            print("\npairs (loss of A − loss of B, paired: positive when B leaves less loss):")
            var prow = [["A", "B", "difference", "95% CI", "P(A beats B)", "P(B beats A)"]]
            for p in pairs {
                prow.append([p.a, p.b, f(p.mean), "\(f(p.low)) to \(f(p.high))", String(format: "%.3f", p.pA), String(format: "%.3f", p.pB)])
            }
            printTable(prow)
        }
    }

    /// Left-aligned columns separated by two spaces.
    func printTable(_ rows: [[String]]) {
        let widths = (0..<(rows.map(\.count).max() ?? 0)).map { c in rows.map { c < $0.count ? $0[c].count : 0 }.max() ?? 0 }
        for r in rows {
            let cells = r.enumerated().map { c, s in c == r.count - 1 ? s : s.padding(toLength: widths[c], withPad: " ", startingAt: 0) }
            print(cells.joined(separator: "  "))
        }
    }
}
