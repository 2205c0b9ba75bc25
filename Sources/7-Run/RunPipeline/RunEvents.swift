import Foundation
import ResultFiles

/// Kaskada's version, recorded in manifests, shards and input digests.
public enum KaskadaVersion {
    /// Raise it whenever the result files change (a new file, column or key): a result is reused
    /// ("up to date, skipped") only when its inputs and this version are the same, so that an
    /// upgrade never leaves results without the files the new version writes. 0.2.0: import,
    /// couple, results.geojson, the report summaries, briefs and censored restoration times.
    /// 0.3.0: results.gpkg.
    public static let string = "0.3.0"
}

/// The phases of a run, in the order they happen (a phase may be skipped).
public enum RunPhase: String, Sendable, CaseIterable {
    case load, compile, samples, n1, rrw, coordination, mitigations, portfolio, write
}

/// How far a phase has come: `done` of `total` units (samples, assets, options, files).
public struct RunProgress: Sendable, Equatable {
    public var phase: RunPhase
    public var done: Int
    public var total: Int
    public init(phase: RunPhase, done: Int, total: Int) { self.phase = phase; self.done = done; self.total = total }
}

/// What a caller hears from a running pipeline and how it stops it. Every closure is called on
/// the thread that runs the pipeline.
public struct RunObserver {
    /// Progress within a phase; called at least at the start (done 0) and end (done == total).
    public var progress: (RunProgress) -> Void
    /// Status lines for the user: resumes, skips, what changed, what comes next.
    public var note: (String) -> Void
    /// Warnings of the loaders, each naming its file and line (`FILE:LINE: warning: …`).
    public var warning: (String) -> Void
    /// Polled between sample blocks and between phases; true stops the run (`RunCancelled`).
    public var isCancelled: () -> Bool

    public init(
        progress: @escaping (RunProgress) -> Void = { _ in }, note: @escaping (String) -> Void = { _ in },
        warning: @escaping (String) -> Void = { _ in }, isCancelled: @escaping () -> Bool = { false }
    ) {
        self.progress = progress; self.note = note; self.warning = warning; self.isCancelled = isCancelled
    }

    /// Hears nothing, never cancels.
    public static var silent: RunObserver { RunObserver() }
}

/// A flag another thread sets to cancel a run (`RunObserver.isCancelled`).
public final class CancellationFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var cancelled = false
    public init() {}
    public func cancel() { lock.lock(); cancelled = true; lock.unlock() }
    public var isCancelled: Bool { lock.lock(); defer { lock.unlock() }; return cancelled }
}

/// The run was cancelled; the completed sample blocks are kept in a checkpoint (when there is
/// one), from which the same run resumes.
public struct RunCancelled: Error, CustomStringConvertible {
    public var phase: RunPhase
    /// Samples kept in the checkpoint.
    public var samplesKept: Int
    /// The checkpoint folder, when samples were kept.
    public var checkpoint: String?
    public var description: String {
        "cancelled during \(phase.rawValue)" + (checkpoint.map { "; \(samplesKept) completed samples kept in \($0)" } ?? "")
    }
}

/// The run started but could not finish (exit 1 in the command line): the result folder could
/// not be written.
public struct RunFailure: Error, CustomStringConvertible {
    public var path: String
    public var reason: String
    public var description: String { "\(path): error: \(reason)" }
}

/// Seconds spent in each phase and the peak resident memory at its end, for `run.log` and
/// benchmarks (`benchmarks/e2e-scale.sh`).
public struct PhaseTimes: Sendable {
    public private(set) var seconds: [(RunPhase, Double)] = []
    /// Peak resident memory of the process (MiB) when each entry of `seconds` was recorded.
    public private(set) var peakMiB: [Double] = []
    private var last = Date()
    public init() {}
    /// Closes the phase that just ended: the time since the previous call.
    public mutating func lap(_ phase: RunPhase) {
        let now = Date()
        add(phase, now.timeIntervalSince(last))
        last = now
    }
    /// Records a phase timed elsewhere.
    public mutating func add(_ phase: RunPhase, _ s: Double) {
        seconds.append((phase, s))
        peakMiB.append(Self.peakResidentMiB())
    }
    /// Skips the time since the previous call.
    public mutating func restart() { last = Date() }
    /// `load 0.120 s (peak 95 MiB), compile 0.300 s (peak 120 MiB), …`.
    public var line: String {
        zip(seconds, peakMiB).map { "\($0.0.0.rawValue) \(NumberText.fixed($0.0.1, 3)) s (peak \(NumberText.fixed($0.1, 0)) MiB)" }.joined(
            separator: ", ")
    }

    /// The process's peak resident set so far, in MiB (getrusage; Linux reports KiB).
    public static func peakResidentMiB() -> Double {
        var u = rusage()
        guard getrusage(RUSAGE_SELF.rawValue, &u) == 0 else { return .nan }
        return Double(u.ru_maxrss) / 1024
    }
}
