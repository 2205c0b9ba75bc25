import Engines
import Foundation
import RunPipeline
import TestSupport
import Testing

/// The run pipeline called in-process, as a service would: progress per phase in order,
/// cancellation that keeps completed samples, and a resumed run equal to an uninterrupted one.
@Suite struct RunPipelineTests {
    static let repo = Repository.root
    static let flood = repo.appendingPathComponent("scenarios/riverside-flood-100y.yaml").path

    static func tempDir() throws -> URL {
        let d = TemporaryFolder.url("pipeline")
        try FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
        return d
    }

    /// Every file of a result folder but run.log, with its bytes.
    static func files(_ dir: String) throws -> [String: Data] {
        var out: [String: Data] = [:]
        let fm = FileManager.default
        for case let f as String in fm.enumerator(atPath: dir)?.allObjects ?? [] where f != "run.log" {
            var isDir: ObjCBool = false
            if fm.fileExists(atPath: dir + "/" + f, isDirectory: &isDir), !isDir.boolValue {
                out[f] = fm.contents(atPath: dir + "/" + f)
            }
        }
        return out
    }

    static func request(_ out: URL, samples: Int = 40) -> RunRequest {
        var r = RunRequest(scenarioPath: flood)
        r.samples = samples
        r.threads = 2
        r.out = out.path
        return r
    }

    /// Phases arrive in pipeline order, each ends with done == total, and the samples phase
    /// counts up to the sample count.
    @Test func progressComesPerPhaseInOrder() throws {
        let work = try Self.tempDir()
        defer { try? FileManager.default.removeItem(at: work) }
        final class Seen: @unchecked Sendable { var events: [RunProgress] = [] }
        let seen = Seen()
        var r = Self.request(work.appendingPathComponent("r"))
        r.checkpointSamples = 10
        let outcome = try RunPipeline(r, observer: RunObserver(progress: { seen.events.append($0) })).execute()
        guard case .computed(let summary) = outcome else { Issue.record("expected a computed result"); return }
        #expect(summary.result.samples == 40)
        let order = RunPhase.allCases
        let phases = seen.events.map(\.phase)
        #expect(zip(phases, phases.dropFirst()).allSatisfy { order.firstIndex(of: $0)! <= order.firstIndex(of: $1)! }, "\(phases)")
        #expect(Set(phases).isSuperset(of: [.samples, .n1, .rrw, .coordination, .mitigations, .portfolio, .write]))
        let samples = seen.events.filter { $0.phase == .samples }.map(\.done)
        // reported every 8 samples and at every checkpoint (before, once per block)
        #expect(samples == [0, 8, 10, 18, 20, 28, 30, 38, 40])
        // rrw reports its candidates in parts, not only at start and end
        let rrw = seen.events.filter { $0.phase == .rrw }
        #expect(rrw.contains { $0.done > 0 && $0.done < $0.total }, "\(rrw)")
        for p in Set(phases) { #expect(seen.events.last { $0.phase == p }.map { $0.done == $0.total } == true, "\(p)") }
        // the write phase counts the rows and features it writes, not only start and end
        #expect(seen.events.last { $0.phase == .write }.map { $0.total > 1 } == true)
        #expect(try Self.files(summary.dir)["summary.json"] != nil)
        let log = try String(contentsOfFile: summary.dir + "/run.log", encoding: .utf8)
        #expect(log.contains("phases load "), "\(log)")
    }

    /// Cancelled after its third progress step (18 samples: past the checkpoint at 10), a run
    /// keeps every completed sample in the checkpoint and writes no result; run again, it
    /// resumes and gives the bytes of an uninterrupted run.
    @Test func cancelledRunResumesToTheSameBytes() throws {
        let work = try Self.tempDir()
        defer { try? FileManager.default.removeItem(at: work) }
        var r = Self.request(work.appendingPathComponent("cancelled"))
        r.noRankings = true
        r.checkpointSamples = 10
        final class Count: @unchecked Sendable { var blocks = 0; var notes: [String] = [] }
        let count = Count()
        let cancelling = RunObserver(
            progress: { if $0.phase == .samples && $0.done > 0 { count.blocks += 1 } },
            isCancelled: { count.blocks >= 3 })
        do {
            _ = try RunPipeline(r, observer: cancelling).execute()
            Issue.record("the run was not cancelled")
        } catch let c as RunCancelled {
            #expect(c.phase == .samples)
            #expect(c.samplesKept == 18)
            #expect(c.checkpoint.map { FileManager.default.fileExists(atPath: $0 + "/block.bin") } == true)
        }
        #expect(!FileManager.default.fileExists(atPath: r.out!), "a cancelled run wrote a result")
        let resumed = try RunPipeline(r, observer: RunObserver(note: { count.notes.append($0) })).execute()
        #expect(count.notes.contains { $0.contains("resuming from a checkpoint of 18 completed samples") }, "\(count.notes)")
        var clean = r
        clean.out = work.appendingPathComponent("clean").path
        _ = try RunPipeline(clean).execute()
        guard case .computed(let a) = resumed else { Issue.record("not computed"); return }
        let got = try Self.files(a.dir), want = try Self.files(clean.out!)
        #expect(got.keys.sorted() == want.keys.sorted())
        for (k, v) in want { #expect(got[k] == v, "\(k) differs") }
    }

    /// Cancelled during rrw (after the samples), a run keeps all its samples: run again, it
    /// starts from them and gives the bytes of an uninterrupted run.
    @Test func cancelledAfterTheSamplesKeepsThemAll() throws {
        let work = try Self.tempDir()
        defer { try? FileManager.default.removeItem(at: work) }
        var r = Self.request(work.appendingPathComponent("cancelled"))
        r.noMitigations = true
        final class Seen: @unchecked Sendable { var rrw = false; var notes: [String] = [] }
        let seen = Seen()
        let cancelling = RunObserver(progress: { if $0.phase == .rrw { seen.rrw = true } }, isCancelled: { seen.rrw })
        do {
            _ = try RunPipeline(r, observer: cancelling).execute()
            Issue.record("the run was not cancelled")
        } catch let c as RunCancelled {
            #expect(c.phase != .samples, "cancelled after the samples")
            #expect(c.samplesKept == 40)
            #expect(c.description.contains("40 completed samples kept in"))
        }
        let resumed = try RunPipeline(
            r,
            observer: RunObserver(
                progress: { if $0.phase == .samples { seen.notes.append("samples \($0.done)") } },
                note: { seen.notes.append($0) })
        ).execute()
        #expect(seen.notes.contains { $0.contains("resuming from a checkpoint of 40 completed samples") }, "\(seen.notes)")
        #expect(seen.notes.filter { $0.hasPrefix("samples ") } == ["samples 40"], "no sample computed again")
        var clean = r
        clean.out = work.appendingPathComponent("clean").path
        _ = try RunPipeline(clean).execute()
        guard case .computed(let a) = resumed else { Issue.record("not computed"); return }
        let got = try Self.files(a.dir), want = try Self.files(clean.out!)
        #expect(got.keys.sorted() == want.keys.sorted())
        for (k, v) in want { #expect(got[k] == v, "\(k) differs") }
    }

    /// A run killed (SIGKILL) after swapping its result in, before removing the previous folder
    /// (now at the staging path) and its checkpoint, leaves both beside the result; the same
    /// command again finds the result up to date and must remove them, or they would stay for
    /// good (found by scripts/fault-tests.sh). A checkpoint of other inputs is kept.
    @Test func anUpToDateRunRemovesWhatAKilledRunLeft() throws {
        let work = try Self.tempDir()
        defer { try? FileManager.default.removeItem(at: work) }
        let fm = FileManager.default
        var r = Self.request(work.appendingPathComponent("r"))
        r.noRankings = true
        r.noMitigations = true
        r.checkpointSamples = 10
        // a checkpoint of these inputs, kept by a cancelled run, saved aside
        final class Count: @unchecked Sendable { var steps = 0 }
        let count = Count()
        #expect(throws: RunCancelled.self) {
            try RunPipeline(
                r,
                observer: RunObserver(
                    progress: { if $0.phase == .samples && $0.done > 0 { count.steps += 1 } },
                    isCancelled: { count.steps >= 3 })
            ).execute()
        }
        let checkpoint = work.appendingPathComponent(".r.checkpoint")
        let saved = work.appendingPathComponent("saved-checkpoint")
        try fm.copyItem(at: checkpoint, to: saved)
        guard case .computed = try RunPipeline(r).execute() else { Issue.record("expected a computed result"); return }
        #expect(!fm.fileExists(atPath: checkpoint.path))
        // what the kill leaves: the previous result at the staging path of a process that is gone
        let gone = Process()
        gone.executableURL = URL(fileURLWithPath: "/bin/true")
        try gone.run()
        gone.waitUntilExit()
        let staging = work.appendingPathComponent(".r.tmp-\(gone.processIdentifier)-7")
        try fm.copyItem(at: work.appendingPathComponent("r"), to: staging)
        // a checkpoint of other inputs stays
        try fm.createDirectory(at: checkpoint, withIntermediateDirectories: false)
        try Data("{\"inputs_sha256\": \"other\", \"start\": 0, \"end\": 40, \"watch\": 0, \"no_mitigations\": true}\n".utf8)
            .write(to: checkpoint.appendingPathComponent("checkpoint.json"))
        guard case .upToDate = try RunPipeline(r).execute() else { Issue.record("expected up to date"); return }
        #expect(!fm.fileExists(atPath: staging.path), "the killed run's staging folder is still there")
        #expect(fm.fileExists(atPath: checkpoint.appendingPathComponent("checkpoint.json").path), "a checkpoint of other inputs was removed")
        // a checkpoint of these inputs goes
        try fm.removeItem(at: checkpoint)
        try fm.copyItem(at: saved, to: checkpoint)
        guard case .upToDate = try RunPipeline(r).execute() else { Issue.record("expected up to date"); return }
        #expect(!fm.fileExists(atPath: checkpoint.path), "the checkpoint of the result's own inputs is still there")
        #expect(((try? fm.contentsOfDirectory(atPath: work.path)) ?? []).sorted() == ["r", "saved-checkpoint"])
    }

    /// Cancelled before anything is compiled: nothing is written.
    @Test func cancelledBeforeCompiling() throws {
        let work = try Self.tempDir()
        defer { try? FileManager.default.removeItem(at: work) }
        let r = Self.request(work.appendingPathComponent("r"))
        #expect(throws: RunCancelled.self) { try RunPipeline(r, observer: RunObserver(isCancelled: { true })).execute() }
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: work.path)) ?? []).isEmpty)
    }

    /// A second run of the same inputs is up to date; a changed seed is named.
    @Test func upToDateAndChangedInputs() throws {
        let work = try Self.tempDir()
        defer { try? FileManager.default.removeItem(at: work) }
        var r = Self.request(work.appendingPathComponent("r"), samples: 20)
        r.noRankings = true
        r.noMitigations = true
        _ = try RunPipeline(r).execute()
        guard case .upToDate = try RunPipeline(r).execute() else { Issue.record("expected up to date"); return }
        r.seed = 99
        final class Notes: @unchecked Sendable { var lines: [String] = [] }
        let notes = Notes()
        guard case .computed = try RunPipeline(r, observer: RunObserver(note: { notes.lines.append($0) })).execute() else {
            Issue.record("expected a recomputation"); return
        }
        #expect(notes.lines.contains { $0.contains("seed 42 → 99") }, "\(notes.lines)")
    }

    /// shard.json is read back by the project's JSON reader: every field round-trips, a seed
    /// above 2^53 exactly (a Double would round it), and a description missing a field is refused.
    @Test func shardInfoRoundTrips() {
        let info = ShardFile.Info(
            scenarioPath: "/data/a \"b\".yaml", digest: "ab12", samples: 1000, seed: UInt64.max - 1,
            index: 2, count: 3, start: 333, end: 666, noRankings: true, noMitigations: false)
        #expect(ShardFile.Info(json: Data(info.json.utf8)) == info)
        let noSeed = info.json.replacingOccurrences(of: "\"seed\": \(UInt64.max - 1), ", with: "")
        #expect(noSeed != info.json && ShardFile.Info(json: Data(noSeed.utf8)) == nil)
        #expect(ShardFile.Info(json: Data(info.json.replacingOccurrences(of: "kaskada-shard", with: "other").utf8)) == nil)
        #expect(ShardFile.Info(json: Data("not json".utf8)) == nil)
    }

    /// A run that applies no option frees the model's link table after compiling: the samples
    /// of the static flood and of its timed twin are the same with and without it.
    @Test func samplesDoNotNeedTheLinkTable() throws {
        for name in ["riverside-flood-100y", "riverside-flood-100y-timed"] {
            let path = Self.repo.appendingPathComponent("scenarios/\(name).yaml").path
            let loaded = try RunPipeline.load(path, samples: 40, seed: 7, noRankings: true, noMitigations: true)
            let full = try RunPipeline.prepare(loaded.scenario)
            let slim = full.releasingLinkTable()
            #expect(full.scenario.network.links.count > 0 && slim.scenario.network.links.count == 0, "\(name)")
            #expect(slim.graph.linkCount == full.graph.linkCount)
            let a = full.run(threads: 2).0, b = slim.run(threads: 2).0
            #expect(a.loss == b.loss && a.damagedCount == b.damagedCount && a.outageCount == b.outageCount, "\(name)")
            #expect(a.loss.contains { $0 > 0 }, "\(name): the flood must cause some loss for the comparison to mean something")
        }
    }
}
