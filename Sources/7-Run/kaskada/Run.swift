import ArgumentParser
import Foundation
import ModelIO
import ResultFiles
import RunPipeline
import Stochastics

/// `kaskada run SCENARIO`: Monte Carlo over the scenario's events, result folder out.
struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a scenario's Monte Carlo simulation and write its result folder.",
        discussion: """
            Writes the result files (docs/outputs.md) into --out (default results/<name>/ under \
            the working directory), replacing an existing result atomically; a failed run leaves \
            nothing behind. The same scenario and seed give the same bytes for any --threads. \
            Completed blocks of samples are checkpointed beside the result folder \
            (.<name>.checkpoint/): a run killed in the middle continues from them when started \
            again with the same inputs, with the same bytes as an uninterrupted run. --shard i/n \
            writes only shard i's samples (a partial result); kaskada merge combines the shards.
            """
    )

    @Argument(help: "The scenario YAML file.")
    var scenario: String

    @OptionGroup var sampling: SamplingOptions

    @Option(help: "Result folder (default: results/<name>/).")
    var out: String?

    @Flag(help: "Skip n1_impact, rrw, rank and the coordination matrix (the slow part of a run on large models).")
    var noRankings = false

    @Flag(help: "Skip the mitigation options and the portfolio (no mitigations.csv).")
    var noMitigations = false

    @Flag(help: "Print nothing but errors.")
    var quiet = false

    @Option(help: "Compute only shard i of n (1-based), a partial result for kaskada merge.")
    var shard: String?

    @Option(help: ArgumentHelp("Samples per checkpointed block (default 1024).", visibility: .hidden))
    var checkpointSamples: Int?

    @Flag(help: "Recompute even when the result folder already matches the inputs.")
    var force = false

    @Flag(help: ArgumentHelp("Simulate every sample of every mitigation option (benchmarks).", visibility: .hidden))
    var noSampleReuse = false

    func validate() throws {
        if let c = checkpointSamples, c < 1 { throw ValidationError("--checkpoint-samples must be at least 1, found \(c)") }
        if let s = shard { _ = try Self.parseShard(s) }
    }

    /// `i/n` with 1 ≤ i ≤ n.
    static func parseShard(_ s: String) throws -> (index: Int, count: Int) {
        let parts = s.split(separator: "/")
        guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]), n >= 1, i >= 1, i <= n, n <= Bounds.shards else {
            throw ValidationError("--shard: expected i/n with 1 ≤ i ≤ n ≤ \(Bounds.shards) (1-based, e.g. 3/7), found '\(s)'")
        }
        return (i, n)
    }

    func run() throws {
        var request = RunRequest(
            scenario: scenario, sampling: sampling, out: out, noRankings: noRankings,
            noMitigations: noMitigations, force: force)
        request.shard = try shard.map(Self.parseShard)
        if let c = checkpointSamples { request.checkpointSamples = c }
        request.noSampleReuse = noSampleReuse
        _ = try RunJob(request, quiet: quiet).execute()
    }
}

/// Progress of a run's phases on standard error: a bar with the time left on a terminal, plain
/// lines (at most one per 5 s per phase, and the end of each phase) otherwise.
final class PhaseProgress {
    let label: String, quiet: Bool
    let tty = isatty(STDERR_FILENO) != 0
    var phase: RunPhase? = nil
    var phaseStart = Date()
    var lastLine = Date.distantPast
    var barOpen = false

    init(label: String, quiet: Bool) { self.label = label; self.quiet = quiet }

    func update(_ p: RunProgress) {
        guard !quiet else { return }
        if p.phase != phase {
            interrupt()
            phase = p.phase
            phaseStart = Date()
            lastLine = phaseStart // plain lines: every 5 s and at the end of the phase
        }
        let frac = Double(p.done) / Double(max(1, p.total))
        let elapsed = Date().timeIntervalSince(phaseStart)
        let eta = frac > 0 ? elapsed * (1 - frac) / frac : 0
        let unit = p.phase == .samples ? " samples" : ""
        if tty {
            let width = 30, filled = Int(frac * Double(width))
            let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
            FileHandle.standardError.write(
                Data("\r\(label) \(p.phase.rawValue) [\(bar)] \(p.done)/\(p.total)\(unit), \(NumberText.fixed(eta, 0)) s left ".utf8))
            barOpen = true
        } else if Date().timeIntervalSince(lastLine) >= 5 || p.done == p.total {
            lastLine = Date()
            var line =
                "\(label): \(p.phase.rawValue) \(p.done)/\(p.total)\(unit) (\(NumberText.fixed(100 * frac, 0))%), \(NumberText.fixed(elapsed, 1)) s"
            if p.done < p.total && frac > 0 { line += ", about \(NumberText.fixed(eta, 0)) s left" }
            Console.errorLines([line])
        }
    }

    /// Ends the bar's line before other output.
    func interrupt() {
        if barOpen { FileHandle.standardError.write(Data("\n".utf8)); barOpen = false }
    }
}

/// Ctrl-C (SIGINT) and SIGTERM: the first asks the run to stop at the next sample block or
/// phase boundary, keeping the completed samples in the result folder's checkpoint (the run
/// then prints what it kept and how to resume, and exits 130); a second one exits 130 at once
/// (docs/specification.md section 7; staged results are hidden temporary folders, so nothing partial is
/// left either way). Commands that keep no checkpoint (`compare`, `merge`) exit at once.
func installInterruptHandler(graceful: Bool = false) {
    Interrupts.graceful = graceful
    signal(SIGINT) { _ in Interrupts.received() }
    signal(SIGTERM) { _ in Interrupts.received() }
    // a parent may have started us with these signals blocked (the mask is inherited)
    var set = sigset_t()
    sigemptyset(&set)
    sigaddset(&set, SIGINT)
    sigaddset(&set, SIGTERM)
    pthread_sigmask(SIG_UNBLOCK, &set, nil)
}

/// Interrupts received, read by the run's cancellation poll. Only async-signal-safe work in the
/// handler: an atomic-size store, `write(2)` and `_exit`.
enum Interrupts {
    nonisolated(unsafe) static var count: sig_atomic_t = 0
    nonisolated(unsafe) static var graceful = false

    static func received() {
        count += 1
        if !graceful || count > 1 { _exit(130) }
        let text = "\ninterrupted: stopping after the current step and keeping the completed samples (Ctrl-C again to quit at once)\n"
        text.withCString { p in _ = write(STDERR_FILENO, p, strlen(p)) }
    }

    static var pending: Bool { count > 0 }
}

extension Summary {
    static func ofLoss(_ values: [Double]) -> (mean: String, low: String, high: String) {
        let s = Summary.of(values)
        return (NumberText.compact(s.mean), NumberText.compact(s.ci95Low), NumberText.compact(s.ci95High))
    }
}
