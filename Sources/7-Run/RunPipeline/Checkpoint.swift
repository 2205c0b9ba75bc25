import Foundation
import ModelIO
import Reports
import ResultFiles
import Simulation

/// A checkpoint of a run's completed sample blocks: `.<result name>.checkpoint/` beside the result
/// folder, holding `checkpoint.json` (what the block belongs to) and `block.bin`, replaced
/// atomically after each block and removed once the result is written.
public struct Checkpoint {
    public let dir: String

    public struct Meta: Equatable {
        public var digest: String
        public var start: Int, end: Int
        public var watch: Int
        public var noMitigations: Bool
        public init(digest: String, start: Int, end: Int, watch: Int, noMitigations: Bool) {
            self.digest = digest; self.start = start; self.end = end; self.watch = watch; self.noMitigations = noMitigations
        }
        public var json: String {
            "{\"inputs_sha256\": \(JSON.string(digest)), \"start\": \(start), \"end\": \(end), \"watch\": \(watch), \"no_mitigations\": \(noMitigations)}\n"
        }
    }

    public enum Found {
        case none
        case resumed(SampleBlock)
        case mismatch(String)
    }

    public init(resultDir: String) {
        let url = URL(fileURLWithPath: resultDir).standardizedFileURL
        dir = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).checkpoint").path
    }

    public func load(matching meta: Meta, shape: SampleBlock) -> Found {
        guard let text = try? String(contentsOfFile: dir + "/checkpoint.json", encoding: .utf8) else { return .none }
        guard text == meta.json else {
            let recorded = Manifest.inputs(text)?.digest
            return .mismatch(
                recorded == meta.digest
                    ? "it covers other samples or options"
                    : "it is from different inputs (the scenario, its model files, the seed, the sample count or Kaskada's version changed)")
        }
        guard let data = FileManager.default.contents(atPath: dir + "/block.bin"),
            let block = try? SampleBlock(decoding: data)
        else { return .mismatch("its block file is unreadable") }
        guard block.start == meta.start, block.end <= meta.end, block.sectors == shape.sectors, block.owners == shape.owners,
            block.watch == shape.watch, block.damagedCount.count == shape.damagedCount.count,
            block.zoneLost.count == shape.zoneLost.count, block.rowCarried.count == shape.rowCarried.count,
            block.outageMicroHours.count == shape.outageMicroHours.count
        else { return .mismatch("its block does not fit this run") }
        return .resumed(block)
    }

    /// Writes the cumulative block: `checkpoint.json` once, `block.bin` replaced by rename, so a
    /// kill at any moment leaves the previous or the new block, never a torn one.
    public func save(_ block: SampleBlock, meta: Meta) {
        let fm = FileManager.default
        do {
            try fm.createDirectory(atPath: dir, withIntermediateDirectories: true)
            if (try? String(contentsOfFile: dir + "/checkpoint.json", encoding: .utf8)) != meta.json {
                try? fm.removeItem(atPath: dir + "/block.bin")
                try AtomicFile.write(Data(meta.json.utf8), to: dir + "/checkpoint.json")
            }
            try AtomicFile.write(block.encoded(), to: dir + "/block.bin")
        } catch {
            return // a checkpoint is an optimisation: the run goes on without it
        }
    }

    public func remove() { try? FileManager.default.removeItem(atPath: dir) }

    /// Removes the checkpoint when it holds samples of the inputs `digest` (a result of those
    /// inputs is complete, so nothing would resume from it); a checkpoint of other inputs stays.
    public func removeIfOf(digest: String) {
        guard let text = try? String(contentsOfFile: dir + "/checkpoint.json", encoding: .utf8),
            Manifest.inputs(text)?.digest == digest
        else { return }
        remove()
    }
}
