import ArgumentParser
import Foundation
import ModelIO
import RunPipeline

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
        let summary = try RunJob.mapFailures {
            try RunPipeline.merge(
                shardDirs: shardDirs, out: out, threads: threads,
                observer: RunJob.observer(label: "merge", quiet: quiet))
        }
        if !quiet { RunJob.printHeadline(summary) }
    }
}
