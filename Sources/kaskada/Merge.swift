import ArgumentParser
import Foundation
import Mitigations
import ModelIO
import Simulation

/// `kaskada merge SHARD_DIR... --out DIR`: shards of one run into the result a single run writes.
struct Merge: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Combine the shards of a run (kaskada run --shard i/n) into its result folder.",
        discussion: """
            Reads every shard folder, checks that they are shards 1..n of one run (same scenario \
            inputs, seed, sample count and options, each shard once), joins their samples in \
            sample order whatever the order given, then computes rankings and mitigation options \
            and writes DIR: the same bytes as a single kaskada run of the scenario (run.log \
            aside). Exit 2 for shards of different inputs, missing or repeated shards, or a \
            scenario whose files changed since the shards were computed.
            """
    )

    @Argument(help: "The shard folders (any order).")
    var shardDirs: [String]

    @Option(help: "Result folder to write.")
    var out: String

    @Option(help: "Worker threads for rankings and mitigation options (default: all cores).")
    var threads: Int?

    @Flag(help: "Print nothing but errors.")
    var quiet = false

    func validate() throws {
        if shardDirs.isEmpty { throw ValidationError("expected at least one shard folder") }
        if let t = threads, t < 1 { throw ValidationError("--threads must be at least 1, found \(t)") }
    }

    func run() throws {
        installInterruptHandler()
        let started = Date()
        var shards: [(dir: String, info: ShardFile.Info, block: SampleBlock)] = []
        for d in shardDirs {
            let (info, block) = try ShardFile.read(d)
            shards.append((d, info, block))
        }
        // one run: same inputs and options everywhere
        let first = shards[0]
        for s in shards.dropFirst() {
            var diffs: [String] = []
            if s.info.digest != first.info.digest { diffs.append("inputs (inputs_sha256 \(s.info.digest.prefix(12))… vs \(first.info.digest.prefix(12))…)") }
            if s.info.seed != first.info.seed { diffs.append("seed \(s.info.seed) vs \(first.info.seed)") }
            if s.info.samples != first.info.samples { diffs.append("samples \(s.info.samples) vs \(first.info.samples)") }
            if s.info.count != first.info.count { diffs.append("shard count \(s.info.count) vs \(first.info.count)") }
            if s.info.noRankings != first.info.noRankings || s.info.noMitigations != first.info.noMitigations {
                diffs.append("--no-rankings/--no-mitigations differ")
            }
            if s.info.scenarioPath != first.info.scenarioPath { diffs.append("scenario \(s.info.scenarioPath) vs \(first.info.scenarioPath)") }
            if !diffs.isEmpty {
                throw InputError(file: s.dir + "/shard.json",
                                 "not a shard of the same run as \(first.dir): \(diffs.joined(separator: "; ")); merge only shards of one scenario, seed and sample count")
            }
        }
        let n = first.info.count
        var byIndex: [Int: String] = [:]
        for s in shards {
            if let other = byIndex[s.info.index] {
                throw InputError(file: s.dir + "/shard.json", "shard \(s.info.index)/\(n) given twice (also \(other))")
            }
            byIndex[s.info.index] = s.dir
        }
        let missing = (1...n).filter { byIndex[$0] == nil }
        guard missing.isEmpty else {
            throw InputError(file: first.dir + "/shard.json",
                             "missing shard\(missing.count == 1 ? "" : "s") \(missing.map { "\($0)/\(n)" }.joined(separator: ", ")): expected all \(n) shards of the run")
        }
        shards.sort { $0.info.start < $1.info.start }
        // the scenario as the shards saw it
        let loaded = try RunJob.load(first.info.scenarioPath, samples: first.info.samples, seed: first.info.seed, quiet: quiet,
                                     noRankings: first.info.noRankings, noMitigations: first.info.noMitigations)
        guard loaded.digest == first.info.digest else {
            throw InputError(file: first.info.scenarioPath,
                             "the scenario or a file it reads changed since the shards were computed (inputs_sha256 differs): recompute the shards")
        }
        let sc = loaded.scenario
        let prepared = try RunJob.prepare(sc)
        let evaluator = sc.mitigations.isEmpty || first.info.noMitigations ? nil : OptionEvaluator(base: prepared)
        let shape = prepared.engine(watch: evaluator?.watch ?? []).emptyBlock(at: 0)
        var total = shape
        for s in shards {
            guard s.block.start == total.end, s.block.sectors == shape.sectors, s.block.owners == shape.owners,
                  s.block.watch == shape.watch, s.block.damagedCount.count == shape.damagedCount.count,
                  s.block.zoneLost.count == shape.zoneLost.count, s.block.rowCarried.count == shape.rowCarried.count,
                  s.block.outageMicroHours.count == shape.outageMicroHours.count else {
                throw InputError(file: s.dir + "/block.bin", "does not fit the scenario's model or the other shards (samples \(s.block.start)..<\(s.block.end))")
            }
            total.append(s.block)
        }
        guard total.count == sc.simulation.samples else {
            throw InputError(file: first.dir + "/shard.json", "the shards hold \(total.count) samples, the run has \(sc.simulation.samples)")
        }
        let nThreads = threads ?? sc.simulation.threads ?? ProcessInfo.processInfo.activeProcessorCount
        let log = "kaskada \(KaskadaVersion.string) merge of \(n) shards of \(first.info.scenarioPath)\nstarted \(ISO8601DateFormatter().string(from: started)) on \(ProcessInfo.processInfo.hostName)\n"
        try RunJob.finish(prepared: prepared, loaded: loaded, block: total, stoppedEarly: false, evaluator: evaluator,
                          noRankings: first.info.noRankings, threads: nThreads, dir: out, quiet: quiet, label: sc.name,
                          logHead: log, simulationSeconds: 0, started: started)
    }
}
