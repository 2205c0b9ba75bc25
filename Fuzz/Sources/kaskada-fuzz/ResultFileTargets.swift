import Foundation
import ModelIO
import Reports
import ResultFiles
import RunPipeline
import Simulation

/// Targets for the files Kaskada reads back from its own results: shard folders (`kaskada merge`),
/// checkpoint blocks (a resumed run) and manifests (`kaskada report`, up-to-date checks).
enum ResultFileTargets {
    /// A decoded block must encode to bytes that decode to the same block: what a merge or a
    /// resumed run reads is what was written.
    static func roundTrip(_ block: SampleBlock, _ target: String) {
        let once = block.encoded()
        guard let again = try? SampleBlock(decoding: once) else { finding("\(target): a block's own encoding does not decode") }
        if again.encoded() != once { finding("\(target): decode(encode(block)) encodes differently") }
    }

    static let all: [FuzzTargets.Target] = [
        .init(name: "shard", files: ["shard/shard.json", "shard/block.bin"]) { s in
            do {
                let (_, block) = try ShardFile.read(s.path("shard"))
                roundTrip(block, "shard")
            } catch { check(error, target: "shard") }
        },
        // The checkpoint's block file, through the same decoder and the checkpoint's shape checks.
        .init(name: "checkpoint", files: [".r.checkpoint/block.bin"]) { s in
            let bin = FileManager.default.contents(atPath: s.path(".r.checkpoint/block.bin")) ?? Data()
            guard let block = try? SampleBlock(decoding: bin) else { return }
            roundTrip(block, "checkpoint")
            let meta = Checkpoint.Meta(digest: "0", start: block.start, end: block.end, watch: block.watch, noMitigations: false)
            FileManager.default.createFile(atPath: s.path(".r.checkpoint/checkpoint.json"), contents: Data(meta.json.utf8))
            switch Checkpoint(resultDir: s.path("r")).load(matching: meta, shape: block) {
            case .resumed(let b): if b.encoded() != block.encoded() { finding("checkpoint: the resumed block differs from the file's") }
            case .none: finding("checkpoint: a checkpoint that exists was not found")
            case .mismatch(let why): finding("checkpoint: a block does not fit its own shape: \(why)")
            }
        },
        // manifest.json: the JSON reader and every query the commands make of a manifest.
        .init(name: "manifest", files: ["manifest.json"]) { s in
            let text = (try? String(contentsOfFile: s.path("manifest.json"), encoding: .utf8)) ?? ""
            _ = try? JSONReader.parse(text)
            _ = Manifest.files(text)
            _ = Manifest.inputs(text)
            let updated = Manifest.updatingFiles(text, digests: ["report.md": String(repeating: "0", count: 64)], removingPrefixes: ["briefs/"])
            _ = Manifest.files(updated)
        },
    ]
}
