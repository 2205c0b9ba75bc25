import Foundation
import TestSupport
import Testing

/// Batches, resume from checkpoints, shards and merge (docs/specification.md sections 7 and 9): every
/// way of splitting or interrupting a run gives the bytes of one uninterrupted run.
@Suite struct BatchShardTests {
    /// The files below `dir` (relative paths), run.log left out: it holds times and host names.
    static func resultFiles(_ dir: URL) -> Set<String> {
        let fm = FileManager.default
        return Set(
            (fm.enumerator(atPath: dir.path)?.allObjects as? [String] ?? []).filter {
                var d: ObjCBool = false
                return fm.fileExists(atPath: dir.appendingPathComponent($0).path, isDirectory: &d) && !d.boolValue && $0 != "run.log"
            })
    }

    /// `a` and `b` hold the same files with the same bytes (run.log aside).
    static func expectSameResult(_ a: URL, _ b: URL, _ what: String) throws {
        let files = resultFiles(a)
        #expect(files.contains("summary.json") && files.contains("manifest.json"), "\(what): \(files.sorted())")
        #expect(files == resultFiles(b), "\(what): the folders hold different files")
        for f in files.sorted() {
            #expect(
                try Data(contentsOf: a.appendingPathComponent(f)) == (try? Data(contentsOf: b.appendingPathComponent(f))), "\(what): \(f) differs")
        }
    }

    /// Starts `kaskada ARGS` without waiting (to kill it); standard error into `err`.
    static func start(_ args: [String], err: Pipe? = nil) throws -> Process {
        let p = Process()
        p.executableURL = CLI.binary
        p.arguments = args
        p.currentDirectoryURL = CLI.repo
        p.standardOutput = FileHandle.nullDevice
        p.standardError = err ?? FileHandle.nullDevice
        try p.run()
        return p
    }

    /// One run against 7 uneven shards merged in shuffled order, static (with mitigations) and timed.
    @Test(arguments: [("riverside-flood-100y", 22), ("riverside-windstorm-timed", 23)])
    func sevenShardsMergeToTheSingleRun(_ scenario: String, _ samples: Int) throws {
        let work = try RunTests.tempDir()
        defer { try? FileManager.default.removeItem(at: work) }
        let s = "scenarios/\(scenario).yaml"
        let common = ["--samples", "\(samples)", "--no-rankings", "--quiet"]
        let single = work.appendingPathComponent("single")
        #expect(try CLI.run(["run", s, "--out", single.path] + common).code == 0)
        var shards: [String] = []
        for i in 1...7 {
            let d = work.appendingPathComponent("shard-\(i)").path
            let r = try CLI.run(["run", s, "--shard", "\(i)/7", "--threads", "\(1 + i % 2)", "--out", d] + common)
            #expect(r.code == 0, "\(r.err)")
            shards.append(d)
        }
        var order = shards
        var rng = SeededGenerator(seed: 20261205) // seeded: the order or kill times can be replayed
        order.shuffle(using: &rng)
        let merged = work.appendingPathComponent("merged")
        let m = try CLI.run(["merge"] + order + ["--out", merged.path, "--quiet"])
        #expect(m.code == 0, "\(m.err)")
        try Self.expectSameResult(single, merged, "\(scenario) merged in order \(order.map { $0.suffix(1) })")
        // a missing or repeated shard, or a shard of other inputs, is refused with exit 2
        let missing = try CLI.run(["merge"] + shards.dropLast() + ["--out", work.appendingPathComponent("x").path])
        #expect(missing.code == 2 && missing.err.contains("missing shard 7/7"), "\(missing.err)")
        let other = work.appendingPathComponent("other").path
        #expect(try CLI.run(["run", s, "--shard", "7/7", "--seed", "99", "--out", other] + common).code == 0)
        let mixed = try CLI.run(["merge"] + shards.dropLast() + [other, "--out", work.appendingPathComponent("y").path])
        #expect(mixed.code == 2 && mixed.err.contains("not a shard of the same run"), "\(mixed.err)")
        #expect(!FileManager.default.fileExists(atPath: work.appendingPathComponent("y").path), "nothing written")
    }

    /// A run killed at random points and started again continues from its checkpoints and ends
    /// with the bytes of an uninterrupted run: 6 kills, each a random 0–30 ms after that attempt
    /// wrote a new checkpoint (so every kill lands mid-block, after progress, whatever the speed
    /// of the machine).
    @Test func killedRunsResumeToTheSameBytes() throws {
        let work = try RunTests.tempDir()
        defer { try? FileManager.default.removeItem(at: work) }
        let s = "scenarios/riverside-windstorm-timed.yaml"
        let common = ["--samples", "240", "--no-rankings", "--no-mitigations", "--checkpoint-samples", "8"]
        let clean = work.appendingPathComponent("clean")
        #expect(try CLI.run(["run", s, "--out", clean.path, "--quiet"] + common).code == 0)
        let res = work.appendingPathComponent("res")
        let block = work.appendingPathComponent(".res.checkpoint/block.bin").path
        func checkpointSize() -> Int { (try? FileManager.default.attributesOfItem(atPath: block)[.size] as? Int) ?? 0 }
        var kills = 0, resumedLines = 0
        var rng = SeededGenerator(seed: 20261205) // seeded: the order or kill times can be replayed
        while kills < 6 {
            let e = Pipe()
            let before = checkpointSize()
            let p = try Self.start(["run", s, "--out", res.path] + common, err: e)
            while p.isRunning && checkpointSize() <= before { usleep(2_000) }
            guard p.isRunning else { p.waitUntilExit(); break }
            usleep(UInt32.random(in: 0...30_000, using: &rng))
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
            if p.terminationReason == .uncaughtSignal { kills += 1 }
            let err = String(decoding: e.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            if err.contains("resuming from a checkpoint") { resumedLines += 1 }
        }
        #expect(kills == 6, "the run finished after \(kills) kills")
        #expect(resumedLines >= 5, "\(resumedLines) attempts resumed")
        // finish and compare
        let last = try CLI.run(["run", s, "--out", res.path] + common)
        #expect(last.code == 0, "\(last.err)")
        try Self.expectSameResult(clean, res, "resumed after \(kills) kills")
        #expect(!FileManager.default.fileExists(atPath: work.appendingPathComponent(".res.checkpoint").path), "checkpoint removed")
    }

    /// Ctrl-C (SIGINT) during the samples: the run stops at the next step, says how many samples
    /// it kept and how to resume, exits 130 and writes no result; run again, it resumes from
    /// them to the bytes of an uninterrupted run (before, it exited 130 at once
    /// and printed nothing).
    @Test func interruptSaysWhatWasKeptAndHowToResume() throws {
        let work = try RunTests.tempDir()
        defer { try? FileManager.default.removeItem(at: work) }
        let s = "scenarios/riverside-windstorm-timed.yaml"
        let common = ["--samples", "240", "--no-rankings", "--no-mitigations", "--checkpoint-samples", "8"]
        let res = work.appendingPathComponent("res")
        let block = work.appendingPathComponent(".res.checkpoint/block.bin").path
        let e = Pipe()
        let p = try Self.start(["run", s, "--out", res.path] + common, err: e)
        while p.isRunning && !FileManager.default.fileExists(atPath: block) { usleep(2_000) }
        guard p.isRunning else { p.waitUntilExit(); Issue.record("the run ended before it could be interrupted"); return }
        kill(p.processIdentifier, SIGINT)
        p.waitUntilExit()
        let err = String(decoding: e.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(p.terminationStatus == 130, "\(err)")
        #expect(err.contains("interrupted: stopping after the current step"), "\(err)")
        #expect(err.contains("completed samples kept in"), "\(err)")
        #expect(err.contains("run the same command again to resume"), "\(err)")
        #expect(!FileManager.default.fileExists(atPath: res.path), "an interrupted run wrote a result")
        let again = try CLI.run(["run", s, "--out", res.path] + common)
        #expect(again.code == 0 && again.err.contains("resuming from a checkpoint"), "\(again.err)")
        let clean = work.appendingPathComponent("clean")
        #expect(try CLI.run(["run", s, "--out", clean.path, "--quiet"] + common).code == 0)
        try Self.expectSameResult(clean, res, "resumed after Ctrl-C")
    }

    /// A checkpoint left by a run of other inputs is not used: the run says why and starts over.
    @Test func checkpointOfOtherInputsIsRefused() throws {
        let work = try RunTests.tempDir()
        defer { try? FileManager.default.removeItem(at: work) }
        let s = "scenarios/riverside-windstorm-timed.yaml"
        let common = ["--samples", "120", "--no-rankings", "--no-mitigations", "--checkpoint-samples", "8"]
        let res = work.appendingPathComponent("res")
        // leave a checkpoint of seed 7: kill once it exists
        let p = try Self.start(["run", s, "--out", res.path, "--seed", "7", "--quiet"] + common)
        let block = work.appendingPathComponent(".res.checkpoint/block.bin").path
        while p.isRunning && !FileManager.default.fileExists(atPath: block) { usleep(10_000) }
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        #expect(FileManager.default.fileExists(atPath: block))
        let r = try CLI.run(["run", s, "--out", res.path, "--seed", "8"] + common)
        #expect(r.code == 0)
        #expect(r.err.contains("not used: it is from different inputs"), "\(r.err)")
        let fresh = work.appendingPathComponent("fresh")
        #expect(try CLI.run(["run", s, "--out", fresh.path, "--seed", "8", "--quiet"] + common).code == 0)
        try Self.expectSameResult(fresh, res, "after a refused checkpoint")
    }

    /// `kaskada batch` over a folder: every scenario, batch.csv with the stable columns; run again
    /// it skips everything; a changed input is recomputed with a line naming it; one name twice
    /// is refused.
    @Test func batchRunsSkipsAndNamesChangedInputs() throws {
        let work = try RunTests.tempDir()
        defer { try? FileManager.default.removeItem(at: work) }
        // two shipped scenarios copied beside the shipped model (paths inside are relative)
        let scen = CLI.repo.appendingPathComponent("scenarios")
        let dir = scen.appendingPathComponent(".batch-test-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        for f in ["riverside-heatwave", "riverside-scada-attack"] {
            let text = try String(contentsOf: scen.appendingPathComponent("\(f).yaml"), encoding: .utf8)
                .replacingOccurrences(of: "network: networks/", with: "network: ../networks/")
                .replacingOccurrences(of: "- fragility/", with: "- ../fragility/")
            try text.write(to: dir.appendingPathComponent("\(f).yaml"), atomically: true, encoding: .utf8)
        }
        let root = work.appendingPathComponent("results").path
        let args = ["batch", dir.path, "--out", root, "--samples", "30", "--no-rankings"]
        let first = try CLI.run(args)
        #expect(first.code == 0, "\(first.err)")
        #expect(first.out.contains("2 computed, 0 up to date, 0 failed"), "\(first.out)")
        let csv = try String(contentsOfFile: root + "/batch.csv", encoding: .utf8)
        #expect(csv.hasPrefix("scenario,annual_rate,loss_mean,loss_ci95_low,loss_ci95_high,worst_sector,top_asset,top_owner_pair"))
        #expect(csv.split(separator: "\n").count == 3)
        for f in ["batch.md", "batch.html", "riverside-heatwave/summary.json", "riverside-scada-attack/summary.json"] {
            #expect(FileManager.default.fileExists(atPath: root + "/" + f), "no \(f)")
        }
        let second = try CLI.run(args)
        #expect(second.out.contains("0 computed, 2 up to date"), "\(second.out)")
        // change one input: the seed of one scenario
        let path = dir.appendingPathComponent("riverside-heatwave.yaml")
        let text = try String(contentsOf: path, encoding: .utf8)
        try text.replacingOccurrences(of: "seed: 42", with: "seed: 43").write(to: path, atomically: true, encoding: .utf8)
        let third = try CLI.run(args)
        #expect(third.out.contains("1 computed, 1 up to date"), "\(third.out)")
        #expect(
            third.err.contains("inputs changed") && third.err.contains("riverside-heatwave.yaml changed") && third.err.contains("seed 42 → 43"),
            "\(third.err)")
        // two scenarios with one name
        try text.write(to: dir.appendingPathComponent("copy.yaml"), atomically: true, encoding: .utf8)
        let dup = try CLI.run(args)
        #expect(dup.code == 2 && dup.err.contains("is also the name of"), "\(dup.err)")
    }
}

/// `kaskada compare`: named options only, the same figures as `kaskada run` writes, and errors.
@Suite struct CompareTests {
    @Test func comparesNamedOptionsAsRunDoes() throws {
        let work = try RunTests.tempDir()
        defer { try? FileManager.default.removeItem(at: work) }
        let s = "scenarios/riverside-flood-100y.yaml"
        let ids = ["mobile-barriers-z05", "second-feeds-critical-sites"]
        let r = try CLI.run(["compare", s, "--options", ids.joined(separator: ","), "--samples", "30", "--independent", "--json", "--quiet"])
        #expect(r.code == 0, "\(r.err)")
        let json = try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any] ?? [:]
        let options = json["options"] as? [[String: Any]] ?? []
        #expect(options.map { $0["option"] as? String ?? "" } == ids)
        #expect(options.allSatisfy { ($0["variance_independent"] as? Double ?? 0) > ($0["variance_paired"] as? Double ?? .infinity) })
        let pairs = json["pairs"] as? [[String: Any]] ?? []
        #expect(pairs.count == 1)
        if let p = pairs.first, let a = p["p_a_beats_b"] as? Double, let b = p["p_b_beats_a"] as? Double { #expect(a + b <= 1) }
        // the same reductions as kaskada run's mitigations.csv on the same samples
        let out = work.appendingPathComponent("run")
        #expect(try CLI.run(["run", s, "--samples", "30", "--no-rankings", "--out", out.path, "--quiet"]).code == 0)
        let rows = try String(contentsOf: out.appendingPathComponent("mitigations.csv"), encoding: .utf8).split(separator: "\n").map {
            $0.split(separator: ",", omittingEmptySubsequences: false)
        }
        for o in options {
            let row = rows.first { $0.first.map(String.init) == o["option"] as? String }
            #expect(row.flatMap { Double($0[2]) } == o["loss_reduction"] as? Double, "\(o["option"] ?? "")")
        }
        let bad = try CLI.run(["compare", s, "--options", "no-such-option", "--samples", "5"])
        #expect(bad.code == 2 && bad.err.contains("unknown option 'no-such-option'"), "\(bad.err)")
    }
}
