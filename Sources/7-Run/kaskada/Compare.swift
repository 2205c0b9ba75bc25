import ArgumentParser
import Foundation
import ResultFiles
import RunPipeline
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
        let ids = options.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } }
        let progress = PhaseProgress(label: scenario, quiet: quiet)
        let c = try OptionComparison.run(
            path: scenario, optionIds: ids, samples: sampling.samples, seed: sampling.seed,
            threads: sampling.threads, independent: independent,
            note: { if !quiet { progress.interrupt(); Console.errorLines($0) } },
            progress: { progress.update(RunProgress(phase: .samples, done: $0, total: $1)) })
        progress.interrupt()
        if json { print(jsonText(c)); return }
        let loss = c.baselineLoss
        print(
            "\(c.scenario): \(c.mode.rawValue) mode, \(c.samples) samples, seed \(c.seed); baseline loss \(NumberText.compact(loss.mean)) \(c.lossUnit) (95% CI \(NumberText.compact(loss.ci95Low)) to \(NumberText.compact(loss.ci95High)))"
        )
        print("options on the same samples (common random numbers); reduction = baseline loss − option loss, per sample:")
        var rows = [["option", "cost EUR", "loss reduction", "95% CI", "benefit/cost", "samples simulated"]]
        if independent { rows[0] += ["var paired", "var independent", "ratio"] }
        for (k, r) in c.options.enumerated() {
            if let why = r.notEvaluated { rows.append([r.id, NumberText.compact(r.cost), "not evaluated: \(why)"]); continue }
            var row = [
                r.id, NumberText.compact(r.cost), NumberText.compact(r.lossReduction),
                "\(NumberText.compact(r.ci95Low)) to \(NumberText.compact(r.ci95High))",
                r.benefitCost.map { "\(NumberText.significant($0, 3)) \(r.benefitCostUnit)" } ?? "-", "\(r.simulatedSamples) of \(c.samples)",
            ]
            if let v = c.independentVariance[k] {
                let vp = Statistics.variance(r.reductions)
                row += [NumberText.significant(vp, 4), NumberText.significant(v, 4), vp > 0 ? NumberText.fixed(v / vp, 1) + "×" : "∞"]
            }
            rows.append(row)
        }
        printTable(rows)
        if !c.pairs.isEmpty {
            print("\npairs (loss of A − loss of B, paired: positive when B leaves less loss):")
            var prow = [["A", "B", "difference", "95% CI", "P(A beats B)", "P(B beats A)"]]
            for p in c.pairs {
                prow.append([
                    p.a, p.b, NumberText.compact(p.lossDifference), "\(NumberText.compact(p.ci95Low)) to \(NumberText.compact(p.ci95High))",
                    NumberText.fixed(p.pABeatsB, 3), NumberText.fixed(p.pBBeatsA, 3),
                ])
            }
            printTable(prow)
        }
    }

    /// The comparison as one JSON object (`--json`), from `ComparisonJSON`.
    func jsonText(_ c: OptionComparison) -> String {
        (try? OrderedJSONEncoder.encode(ComparisonJSON(c))) ?? "{}"
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

/// The schema of `kaskada compare --json`: keys in output order.
struct ComparisonJSON: Encodable {
    struct Loss: Encodable {
        var mean: Double
        var ci95Low: Double
        var ci95High: Double
        enum CodingKeys: String, CodingKey {
            case mean
            case ci95Low = "ci95_low"
            case ci95High = "ci95_high"
        }
    }

    /// One option: `not_evaluated` alone, or its paired figures.
    struct Option: Encodable {
        var option: String
        var cost: Double
        var notEvaluated: String?
        var lossReduction: Double?
        var ci95Low: Double?
        var ci95High: Double?
        /// Written as null when the option has no benefit/cost (no value per people-hour).
        var benefitCost: OptionalNumber?
        var benefitCostUnit: String?
        var variancePaired: Double?
        var varianceIndependent: Double?
        var samplesSimulated: Int?
        enum CodingKeys: String, CodingKey {
            case option, cost
            case notEvaluated = "not_evaluated"
            case lossReduction = "loss_reduction"
            case ci95Low = "ci95_low"
            case ci95High = "ci95_high"
            case benefitCost = "benefit_cost"
            case benefitCostUnit = "benefit_cost_unit"
            case variancePaired = "variance_paired"
            case varianceIndependent = "variance_independent"
            case samplesSimulated = "samples_simulated"
        }
    }

    struct Pair: Encodable {
        var a: String
        var b: String
        var lossDifference: Double
        var ci95Low: Double
        var ci95High: Double
        var pABeatsB: Double
        var pBBeatsA: Double
        enum CodingKeys: String, CodingKey {
            case a, b
            case lossDifference = "loss_difference"
            case ci95Low = "ci95_low"
            case ci95High = "ci95_high"
            case pABeatsB = "p_a_beats_b"
            case pBBeatsA = "p_b_beats_a"
        }
    }

    /// A number or an explicit null.
    struct OptionalNumber: Encodable {
        var value: Double?
        func encode(to encoder: Encoder) throws {
            var c = encoder.singleValueContainer()
            if let value { try c.encode(value) } else { try c.encodeNil() }
        }
    }

    var scenario: String
    var mode: String
    var samples: Int
    var seed: UInt64
    var lossUnit: String
    var baselineLoss: Loss
    var options: [Option]
    var pairs: [Pair]
    enum CodingKeys: String, CodingKey {
        case scenario, mode, samples, seed
        case lossUnit = "loss_unit"
        case baselineLoss = "baseline_loss"
        case options, pairs
    }

    init(_ c: OptionComparison) {
        scenario = c.scenario
        mode = c.mode.rawValue
        samples = c.samples
        seed = c.seed
        lossUnit = c.lossUnit
        baselineLoss = Loss(mean: c.baselineLoss.mean, ci95Low: c.baselineLoss.ci95Low, ci95High: c.baselineLoss.ci95High)
        options = c.options.enumerated().map { k, r in
            if let why = r.notEvaluated { return Option(option: r.id, cost: r.cost, notEvaluated: why) }
            return Option(
                option: r.id, cost: r.cost, lossReduction: r.lossReduction, ci95Low: r.ci95Low, ci95High: r.ci95High,
                benefitCost: OptionalNumber(value: r.benefitCost), benefitCostUnit: r.benefitCostUnit,
                variancePaired: Statistics.variance(r.reductions), varianceIndependent: c.independentVariance[k],
                samplesSimulated: r.simulatedSamples)
        }
        pairs = c.pairs.map {
            Pair(
                a: $0.a, b: $0.b, lossDifference: $0.lossDifference, ci95Low: $0.ci95Low, ci95High: $0.ci95High,
                pABeatsB: $0.pABeatsB, pBBeatsA: $0.pBBeatsA)
        }
    }
}
