import Foundation
import PropertyBased
import TestSupport
import Testing

/// Merge of any shard split equals one run (docs/specification.md section 5 "Monte Carlo" and section 9:
/// `kaskada merge` gives the result a single run would have produced, bit for bit, in any order
/// of shards; docs/outputs.md: every file but run.log).
@Suite struct ShardMergeProperty {
    /// 12 random runs, each split into n = 1–5 shards (`--shard i/n`, 1–3 threads each), merged
    /// in a random order: every file of the merged folder but run.log has the single run's bytes.
    /// No shrinking by default: each step would be several runs (see RandomModel.swift to replay).
    @Test(.shrinking(false)) func mergedShardsEqualOneRun() async throws {
        await propertyCheck(count: 12, input: RunRecipe.generator) { recipe in
            let f = try RunFolder(recipe)
            defer { f.remove() }
            guard try f.run(out: "single", ["--threads", "2"]) else { return }
            let n = recipe.shards
            var shards: [String] = []
            for i in 1...n {
                let threads = recipe.shardThreads[(i - 1) % recipe.shardThreads.count]
                guard try f.run(out: "shard-\(i)", ["--shard", "\(i)/\(n)", "--threads", "\(threads)"]) else { return }
                shards.append("shard-\(i)")
            }
            var rng = SeededGenerator(seed: recipe.mergeOrder)
            shards.shuffle(using: &rng)
            guard try KaskadaCLI.expectSuccess(["merge"] + shards + ["--out", "merged", "--quiet"], cwd: f.dir) else { return }
            ResultFolder.expectSame(f.path("single"), f.path("merged"), "\(n) shards merged in order \(shards)")
        }
    }
}
