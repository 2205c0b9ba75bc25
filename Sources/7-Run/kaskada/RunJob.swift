import ArgumentParser
import Foundation
import Mitigations
import ModelIO
import ResultFiles
import RunPipeline
import Simulation
import Stochastics

/// One scenario's run as the command line does it (`run`, `batch`): a `RunPipeline` with an
/// observer that prints progress, notes and warnings, then the headline lines on standard output.
struct RunJob {
    var request: RunRequest
    var quiet = false
    /// Label of progress lines (batch: "[k/N] name").
    var label: String?

    init(_ request: RunRequest, quiet: Bool, label: String? = nil) {
        self.request = request
        self.quiet = quiet
        self.label = label
    }

    func execute() throws -> RunOutcome {
        installInterruptHandler(graceful: true)
        let name = label ?? Batch.scenarioName(request.scenarioPath)
        let outcome = try Self.mapFailures { try RunPipeline(request, observer: Self.observer(label: name, quiet: quiet)).execute() }
        guard !quiet else { return outcome }
        switch outcome {
        case .computed(let summary): Self.printHeadline(summary)
        case .upToDate: break
        case .shardWritten(let dir, let range):
            if let s = request.shard {
                print("\(name): shard \(s.index)/\(s.count), samples \(range.lowerBound)..<\(range.upperBound), written to \(dir)/")
            }
        }
        return outcome
    }

    /// The pipeline's failures as the command line's exit codes: bad input stays `InputError`
    /// (exit 2), a result that cannot be written is exit 1, a cancelled run exit 130.
    static func mapFailures<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let e as RunFailure {
            Console.errorLines(["\(e)"])
            throw ExitCode(1)
        } catch let e as RunCancelled {
            var lines = ["\(e)"]
            if e.checkpoint != nil {
                lines.append(
                    "run the same command again to resume from them (the same inputs, seed and sample count give the same result as an uninterrupted run)"
                )
            }
            Console.errorLines(lines)
            throw ExitCode(130)
        }
    }

    /// Progress bars for samples, a line per other phase (every 5 s at most), notes prefixed by
    /// the label, warnings as they are.
    static func observer(label: String, quiet: Bool) -> RunObserver {
        let bar = PhaseProgress(label: label, quiet: quiet)
        return RunObserver(
            progress: { bar.update($0) },
            note: { if !quiet { bar.interrupt(); Console.errorLines(["\(label): \($0)"]) } },
            warning: { if !quiet { bar.interrupt(); Console.errorLines([$0]) } },
            isCancelled: { Interrupts.pending })
    }

    /// The loss, the best option and the portfolio, on standard output.
    static func printHeadline(_ s: RunSummary) {
        let sc = s.scenario
        let result = s.result
        let loss = Summary.ofLoss(result.loss)
        let unit = result.timed == nil ? "" : " people-hours"
        print("\(sc.name): loss mean \(loss.mean)\(unit) (95% CI \(loss.low)–\(loss.high)) over \(result.samples) samples; result in \(s.dir)/")
        let evaluated = (s.options ?? []).filter { $0.notEvaluated == nil }
        if let best = evaluated.max(by: { ($0.benefitCost ?? -.infinity, $0.lossReduction) < ($1.benefitCost ?? -.infinity, $1.lossReduction) }) {
            print(
                "best option by benefit/cost: \(best.id), loss reduction \(NumberText.significant(best.lossReduction, 4)) "
                    + "(95% CI \(NumberText.significant(best.ci95Low, 4)) to \(NumberText.significant(best.ci95High, 4))), "
                    + "benefit/cost \(NumberText.significant(best.benefitCost ?? .nan, 3)) \(best.benefitCostUnit) (mitigations.csv)")
        }
        for r in (s.options ?? []) where r.notEvaluated != nil { print("option \(r.id) not evaluated: \(r.notEvaluated!)") }
        if let p = s.portfolio {
            print(
                "portfolio within the budget (\(p.method) search): \(p.options.joined(separator: " + ")), cost \(NumberText.fixed(p.cost, 0)) EUR, "
                    + "loss reduction \(NumberText.significant(p.lossReduction, 4)) "
                    + "(95% CI \(NumberText.significant(p.ci95Low, 4)) to \(NumberText.significant(p.ci95High, 4)))")
        }
    }
}

extension RunRequest {
    /// A request from the options `run` and `batch` share.
    init(scenario: String, sampling: SamplingOptions, out: String?, noRankings: Bool, noMitigations: Bool, force: Bool) {
        self.init(scenarioPath: scenario)
        samples = sampling.samples
        seed = sampling.seed
        threads = sampling.threads
        self.out = out
        self.noRankings = noRankings
        self.noMitigations = noMitigations
        self.force = force
    }
}
