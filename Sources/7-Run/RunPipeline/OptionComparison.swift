import Engines
import Foundation
import InfraModel
import Mitigations
import ModelIO
import Simulation
import Stochastics

/// Named mitigation options compared with the baseline and with each other on the same samples
/// (common random numbers), as `kaskada compare` shows them: per option the paired loss reduction
/// with its 95% confidence interval, per pair of options the paired difference of their losses
/// and the probability that one beats the other; optionally each option also on independent
/// streams (seed + 1), to show the variance that pairing removes.
public struct OptionComparison: Sendable {
    /// One pair of evaluated options, A before B in scenario order.
    public struct Pair: Sendable {
        public var a: String
        public var b: String
        /// Mean over samples of loss(A) − loss(B): positive when B leaves less loss.
        public var lossDifference: Double
        public var ci95Low: Double
        public var ci95High: Double
        /// Fraction of samples in which A's loss is lower than B's, and the reverse.
        public var pABeatsB: Double
        public var pBBeatsA: Double
    }

    public var scenario: String
    public var mode: SimulationMode
    public var samples: Int
    public var seed: UInt64
    /// "people" (static) or "people-hours" (timed).
    public var lossUnit: String
    /// The baseline's loss over the samples.
    public var baselineLoss: Summary
    /// The options in the order asked for.
    public var options: [OptionResult]
    /// Per option, the variance of the per-sample difference on independent streams (nil: not
    /// asked, or the option was not evaluated).
    public var independentVariance: [Double?]
    public var pairs: [Pair]

    /// Loads `path`, keeps the options named in `optionIds` (nil: every option; unknown ids are an
    /// input error naming the known ones) and runs baseline and options on the same samples.
    /// - Throws: `InputError` for a scenario that cannot be loaded, has no options, names unknown
    ///   options or has bad events.
    public static func run(
        path: String, optionIds: [String]?, samples: Int?, seed: UInt64?, threads: Int?,
        independent: Bool, note: ([String]) -> Void = { _ in },
        progress: @escaping (Int, Int) -> Void = { _, _ in }
    ) throws -> OptionComparison {
        var (sc, warnings) = try ScenarioLoader.load(path: path)
        if let s = samples { sc.simulation.samples = s }
        if let s = seed { sc.simulation.seed = s }
        sc.simulation.targetRelativeCI = nil // the same sample count for every option
        note(warnings.map(\.description))
        guard !sc.mitigations.isEmpty else {
            throw InputError(file: path, field: "mitigations", "the scenario has no mitigation options to compare")
        }
        if let ids = optionIds {
            let known = sc.mitigations.map(\.id)
            let unknown = ids.filter { !known.contains($0) }
            guard unknown.isEmpty, !ids.isEmpty else {
                throw InputError(
                    file: path, field: "mitigations",
                    "--options: unknown option \(unknown.map { "'\($0)'" }.joined(separator: ", ")): expected ids of its mitigations list (\(known.joined(separator: ", ")))"
                )
            }
            sc.mitigations = ids.map { id in sc.mitigations.first { $0.id == id }! }
        }
        let nThreads = threads ?? sc.simulation.threads ?? ProcessInfo.processInfo.activeProcessorCount
        let prepared: PreparedScenario
        do { prepared = try PreparedScenario(sc) } catch {
            throw InputError(file: path, field: "events", "\(error)")
        }
        let evaluator = OptionEvaluator(base: prepared)
        let total = sc.simulation.samples
        let (base, _) = prepared.run(watch: evaluator.watch, threads: nThreads) { progress($0, total) }
        note(["\(sc.name): running \(sc.mitigations.count) options on the same \(base.samples) samples"])
        let results = evaluator.evaluate(baseline: base, threads: nThreads)
        let n = base.samples
        var unpaired: [Double?] = Array(repeating: nil, count: results.count)
        if independent {
            for (k, option) in sc.mitigations.enumerated() where results[k].notEvaluated == nil {
                var other = try MitigationApplier.apply(option, to: sc)
                other.simulation.seed = sc.simulation.seed &+ 1
                let out = try PreparedScenario(other).run(threads: nThreads).0
                unpaired[k] = Statistics.variance((0..<n).map { base.loss[$0] - out.loss[$0] })
            }
        }
        var pairs: [Pair] = []
        for i in results.indices where results[i].notEvaluated == nil {
            for j in results.indices where j > i && results[j].notEvaluated == nil {
                // loss_A − loss_B = reduction_B − reduction_A
                let d = (0..<n).map { results[j].reductions[$0] - results[i].reductions[$0] }
                let mean = d.reduce(0, +) / Double(n)
                let ci = n > 1 ? Statistics.confidenceInterval95(mean: mean, sd: Statistics.sd(d), n: n) : (low: mean, high: mean)
                let pA = results[i].beats.first { $0.0 == results[j].id }?.1 ?? 0
                let pB = results[j].beats.first { $0.0 == results[i].id }?.1 ?? 0
                pairs.append(
                    Pair(
                        a: results[i].id, b: results[j].id, lossDifference: mean, ci95Low: ci.low, ci95High: ci.high,
                        pABeatsB: pA, pBBeatsA: pB))
            }
        }
        return OptionComparison(
            scenario: sc.name, mode: sc.simulation.mode, samples: n, seed: sc.simulation.seed,
            lossUnit: sc.simulation.mode == .timed ? "people-hours" : "people",
            baselineLoss: Summary.of(base.loss), options: results, independentVariance: unpaired, pairs: pairs)
    }
}
