import Foundation
import ModelIO
import Reports
import ResultFiles
import Simulation

/// A shard's partial result (`kaskada run --shard i/n`): `shard.json` (the inputs, the shard and
/// its samples) and `block.bin` (the raw outcomes of its samples, `SampleBlock`).
public enum ShardFile {
    public struct Info: Equatable {
        public var scenarioPath: String
        public var digest: String
        public var samples: Int
        public var seed: UInt64
        public var index: Int, count: Int
        public var start: Int, end: Int
        public var noRankings: Bool
        public var noMitigations: Bool

        public var json: String {
            """
            {"format": "kaskada-shard", "version": \(JSON.string(KaskadaVersion.string)), "scenario_path": \(JSON.string(scenarioPath)), \
            "inputs_sha256": \(JSON.string(digest)), "samples": \(samples), "seed": \(seed), "shard": \(index), "shards": \(count), \
            "start": \(start), "end": \(end), "no_rankings": \(noRankings), "no_mitigations": \(noMitigations)}

            """
        }

        public init(
            scenarioPath: String, digest: String, samples: Int, seed: UInt64, index: Int, count: Int, start: Int, end: Int,
            noRankings: Bool, noMitigations: Bool
        ) {
            self.scenarioPath = scenarioPath; self.digest = digest; self.samples = samples; self.seed = seed
            self.index = index; self.count = count; self.start = start; self.end = end
            self.noRankings = noRankings; self.noMitigations = noMitigations
        }

        public init?(json: Data) {
            guard let root = try? JSONReader.parse(String(decoding: json, as: UTF8.self)) else { return nil }
            func text(_ k: String) -> String? { if case .string(let s)? = root[k]?.kind { return s }; return nil }
            func int(_ k: String) -> Int? { if case .number(let t, _)? = root[k]?.kind { return Int(t) }; return nil }
            func flag(_ k: String) -> Bool? { if case .bool(let b)? = root[k]?.kind { return b }; return nil }
            guard text("format") == "kaskada-shard", let p = text("scenario_path"), let d = text("inputs_sha256"),
                let n = int("samples"), case .number(let seedText, _)? = root["seed"]?.kind, let seed = UInt64(seedText),
                let i = int("shard"), let c = int("shards"), let s = int("start"), let e = int("end"),
                let nr = flag("no_rankings"), let nm = flag("no_mitigations")
            else { return nil }
            self.init(scenarioPath: p, digest: d, samples: n, seed: seed, index: i, count: c, start: s, end: e, noRankings: nr, noMitigations: nm)
        }
    }

    /// Writes the shard folder atomically (staged beside it, then swapped in: a previous shard
    /// there stays whole until the new one replaces it).
    public static func write(_ block: SampleBlock, to dir: String, info: Info) throws {
        do {
            try AtomicFolder.replace(dir) { staging in
                try block.encoded().write(to: staging.appendingPathComponent("block.bin"))
                try Data(info.json.utf8).write(to: staging.appendingPathComponent("shard.json"))
            }
        } catch {
            throw RunFailure(path: dir, reason: "cannot write the shard: \(IOErrorText.describe(error))")
        }
    }

    /// Reads a shard folder; bad input names the file.
    public static func read(_ dir: String) throws -> (Info, SampleBlock) {
        let jsonPath = dir + "/shard.json"
        guard let data = FileManager.default.contents(atPath: jsonPath) else {
            throw InputError(file: jsonPath, "missing: expected a shard folder written by kaskada run --shard i/n")
        }
        guard let info = Info(json: data) else {
            throw InputError(
                file: jsonPath,
                "not a Kaskada shard description (format kaskada-shard with scenario_path, inputs_sha256, samples, seed, shard, shards, start, end)")
        }
        guard info.count >= 1, info.count <= Bounds.shards, (1...info.count).contains(info.index), info.samples >= 1,
            0 <= info.start, info.start <= info.end, info.end <= info.samples
        else {
            throw InputError(
                file: jsonPath,
                "shard \(info.index) of \(info.count) with samples \(info.start)..<\(info.end) of \(info.samples) is impossible: expected 1 ≤ shard ≤ shards ≤ \(Bounds.shards) and 0 ≤ start ≤ end ≤ samples"
            )
        }
        guard let bin = FileManager.default.contents(atPath: dir + "/block.bin") else {
            throw InputError(file: dir + "/block.bin", "missing: the shard's samples")
        }
        let block: SampleBlock
        do { block = try SampleBlock(decoding: bin) } catch {
            throw InputError(file: dir + "/block.bin", "\(error)")
        }
        guard block.start == info.start, block.end == info.end else {
            throw InputError(file: dir + "/block.bin", "holds samples \(block.start)..<\(block.end), but shard.json says \(info.start)..<\(info.end)")
        }
        return (info, block)
    }
}
