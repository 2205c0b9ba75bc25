import Engines
import Foundation
import InfraGraph
import ModelIO
import ResultFiles
import Simulation

/// A run's memory need, estimated before its samples start, against what the machine has
///: a run that would not fit is refused with the estimate, term by term, and
/// the option that reduces the largest term, instead of being killed hours later.
///
/// The terms are the allocations that grow with the request (docs/decisions.md #68 has how the
/// constants were measured): what is resident once the model is compiled; per-sample outcomes
/// (loss, people per sector, loss per owner, watched failures, and in timed mode restoration
/// times and curves at a nominal 32 points); per-asset and per-row tallies; per-thread
/// workspaces (cascade state, timed event state, the timeline); rankings (N-1 and RRW per asset, the owner × owner coordination
/// matrix). The compiled copies of the model that mitigation options hold are made before the
/// estimate and are in the resident figure. - Complexity: O(1).
public struct MemoryNeed: Sendable {
    public struct Term: Sendable {
        public var what: String
        public var bytes: Double
        /// The option or key that makes this term smaller.
        public var reduce: String
    }
    public var terms: [Term]
    public var total: Double { terms.reduce(0) { $0 + $1.bytes } }

    public init(
        prepared p: PreparedScenario, samples: Int, threads: Int, watch: Int, rankings: Bool,
        residentBytes: Double = MemoryNeed.residentBytes()
    ) {
        let g = p.graph
        let sc = p.scenario
        let net = sc.network
        let assets = Double(g.assetCount), links = Double(g.linkCount), rows = Double(g.requirementCount)
        let sectors = Double(net.sectors.count), owners = Double(net.owners.count), zones = Double(net.zones.count)
        let timed = p.timed != nil
        let steps = timed ? (sc.simulation.horizonHours / max(sc.simulation.stepHours, 1e-9)).rounded(.up) + 1 : 0
        let perSample = 8 * (1 + sectors + owners) + Double(watch) + (timed ? 16 + 32 * 16 : 0)
        terms = [
            Term(
                what: "the model, its compiled graph and the options' copies (resident now)", bytes: residentBytes,
                reduce: "--no-mitigations, or a smaller model"),
            Term(
                what: "outcomes of \(samples) samples (\(Int(perSample)) bytes each)", bytes: Double(samples) * perSample,
                reduce: "--samples, or --shard i/n (a shard holds only its own samples)"),
            Term(
                what: "tallies per asset, zone and dependency row", bytes: assets * (timed ? 24 : 16) + zones * sectors * 24 + rows * 16,
                reduce: "a smaller model"),
            Term(
                what: "workspaces of \(threads) threads",
                bytes: Double(threads) * (assets * (timed ? 96 : 32) + links * 8 + steps * (sectors + 1) * 16),
                reduce: "--threads" + (timed ? " (or a larger simulation.step_hours)" : "")),
        ]
        if rankings {
            terms.append(Term(what: "rankings (N-1, RRW, coordination)", bytes: assets * 64 + owners * owners * 16, reduce: "--no-rankings"))
        }
    }

    /// The process's resident set now (/proc/self/statm), in bytes; 0 where it cannot be read.
    public static func residentBytes() -> Double {
        guard let s = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8),
            let pages = s.split(separator: " ").dropFirst().first.flatMap({ Double($0) })
        else { return 0 }
        return pages * Double(sysconf(Int32(_SC_PAGESIZE)))
    }

    /// What the machine lets this process have, in bytes, and where that figure comes from:
    /// `KASKADA_MEMORY_MIB` when set (a share of a cluster node, or a test), else the smaller of
    /// the cgroup's limit (a Slurm job, a container) and the physical memory.
    public static func available(environment env: [String: String] = ProcessInfo.processInfo.environment) -> (bytes: Double, source: String) {
        if let v = env["KASKADA_MEMORY_MIB"], let mib = Double(v), mib > 0 { return (mib * 1_048_576, "KASKADA_MEMORY_MIB") }
        var best = (Double(ProcessInfo.processInfo.physicalMemory), "physical memory")
        for path in ["/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"] {
            if let t = try? String(contentsOfFile: path, encoding: .utf8), let b = Double(t.trimmingCharacters(in: .whitespacesAndNewlines)),
                b > 0, b < best.0
            {
                best = (b, "the cgroup limit (\(path))")
            }
        }
        return best
    }

    static func mib(_ b: Double) -> String { NumberText.fixed(b / 1_048_576, 0) + " MiB" }

    /// One line for run.log: the estimate and what it is compared with.
    public func line(available: (bytes: Double, source: String)) -> String {
        "memory: estimated \(Self.mib(total)) before the samples, of \(Self.mib(available.bytes)) (\(available.source))"
    }

    /// Throws an input error (exit 2) naming the scenario when the estimate exceeds what is
    /// available: the estimate term by term, largest first, and the option for the largest.
    public func check(available: (bytes: Double, source: String), scenarioPath: String) throws(InputError) {
        guard total > available.bytes else { return }
        let sorted = terms.sorted { $0.bytes > $1.bytes }
        let parts = sorted.filter { $0.bytes >= 1_048_576 }.map { "\($0.what) \(Self.mib($0.bytes))" }.joined(separator: "; ")
        throw InputError(
            file: scenarioPath, field: "simulation",
            "this run needs about \(Self.mib(total)) of memory, more than the \(Self.mib(available.bytes)) available (\(available.source)): "
                + "\(parts). Reduce it with \(sorted[0].reduce)")
    }
}
