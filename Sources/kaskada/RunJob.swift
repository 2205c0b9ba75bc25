import ArgumentParser
import Foundation
import Hazards
import InfraGraph
import InfraModel
import Mitigations
import ModelIO
import Rankings
import Reports
import Simulation
import Stochastics
import TimedSimulation

/// One scenario's run, as `kaskada run`, `batch` and `merge` do it: the baseline samples (resumed
/// from a checkpoint of completed blocks, or only a shard's share), then rankings, mitigation
/// options and the result folder (DESIGN.md sections 7 and 9; docs/decisions.md #44–47).
struct RunJob {
    var scenarioPath: String
    var samples: Int?
    var seed: UInt64?
    var threads: Int?
    var out: String?
    var noRankings = false
    var noMitigations = false
    var quiet = false
    /// 1-based shard i of n.
    var shard: (index: Int, count: Int)?
    /// Samples per checkpointed block.
    var checkpointSamples = MonteCarlo.blockSize
    /// Recompute even when the result folder already matches the inputs.
    var force = false
    /// Label of progress lines (batch: "[k/N] name").
    var label: String?
    /// Simulate every sample of every option (benchmarks of the reuse).
    var noSampleReuse = false

    enum Outcome { case computed(String), upToDate(String), shardWritten(String) }

    /// A loaded scenario with everything derived from its inputs.
    struct Loaded {
        var scenario: Scenario
        var fragility: String?
        var digest: String
        var inputs: [(String, String)]
    }

    /// Loads the scenario and applies --samples and --seed.
    static func load(_ path: String, samples: Int?, seed: UInt64?, quiet: Bool, noRankings: Bool, noMitigations: Bool) throws -> Loaded {
        let fragility = FragilityLoader.locateDefault(scenarioPath: path)
        var (sc, warnings) = try ScenarioLoader.load(path: path, defaultFragility: fragility)
        if let s = samples { sc.simulation.samples = s }
        if let s = seed { sc.simulation.seed = s }
        if !quiet { Console.errorLines(warnings.map(\.description)) }
        // what is skipped changes the result: recorded with the inputs
        var inputs = InputDigest.inputs(scenario: sc, defaultFragility: fragility, version: KaskadaVersion.string)
        if noRankings { inputs.append(("no_rankings", "true")) }
        if noMitigations { inputs.append(("no_mitigations", "true")) }
        return Loaded(scenario: sc, fragility: fragility,
                      digest: InputDigest.compute(scenario: sc, defaultFragility: fragility, version: KaskadaVersion.string),
                      inputs: inputs)
    }

    /// Compiles the scenario (graph, hazard plan, timed plan); bad events are input errors.
    static func prepare(_ sc: Scenario) throws -> PreparedScenario {
        let graph = CompiledGraph(sc.network)
        do {
            let plan = try HazardPlan(scenario: sc, graph: graph)
            let timed = sc.simulation.mode == .timed ? try TimedPlan(scenario: sc, graph: graph, plan: plan) : nil
            return PreparedScenario(scenario: sc, graph: graph, plan: plan, timed: timed)
        } catch {
            throw InputError(file: sc.path, field: "events", "\(error)")
        }
    }

    /// The samples of shard i of n out of `total`: contiguous, sizes differing by at most one.
    static func shardRange(_ i: Int, of n: Int, total: Int) -> Range<Int> {
        (total * (i - 1) / n)..<(total * i / n)
    }

    func execute() throws -> Outcome {
        installInterruptHandler()
        let started = Date()
        let loaded = try Self.load(scenarioPath, samples: samples, seed: seed, quiet: quiet, noRankings: noRankings, noMitigations: noMitigations)
        let sc = loaded.scenario
        let name = label ?? sc.name
        let dir = out ?? "results/\(sc.name)" + (shard.map { "-shard-\($0.index)-of-\($0.count)" } ?? "")
        if shard != nil && sc.simulation.targetRelativeCI != nil {
            throw InputError(file: scenarioPath, field: "simulation.target_relative_ci",
                             "an early stop cannot be combined with --shard (each shard would stop on its own samples): remove target_relative_ci or run without --shard")
        }
        // resume: a complete result of the same inputs is kept
        if shard == nil && !force, let old = try? String(contentsOfFile: dir + "/manifest.json", encoding: .utf8),
           let recorded = Manifest.inputs(old) {
            if recorded.digest == loaded.digest && recorded.inputs == Dictionary(uniqueKeysWithValues: loaded.inputs) {
                if !quiet { Console.errorLines(["\(name): up to date in \(dir)/ (inputs unchanged), skipped"]) }
                return .upToDate(dir)
            }
            if !quiet { Console.errorLines(["\(name): inputs changed since \(dir)/ was written (\(Self.changes(recorded.inputs, loaded.inputs))); recomputing"]) }
        }
        let prepared = try Self.prepare(sc)
        let evaluator = sc.mitigations.isEmpty || noMitigations ? nil : OptionEvaluator(base: prepared)
        evaluator?.reuseSamples = !noSampleReuse
        let watch = evaluator?.watch ?? []
        let nThreads = threads ?? sc.simulation.threads ?? ProcessInfo.processInfo.activeProcessorCount
        let range = shard.map { Self.shardRange($0.index, of: $0.count, total: sc.simulation.samples) } ?? 0..<sc.simulation.samples
        // checkpoint of completed blocks
        let checkpoint = Checkpoint(resultDir: dir)
        var resume: SampleBlock? = nil
        let meta = Checkpoint.Meta(digest: loaded.digest, start: range.lowerBound, end: range.upperBound, watch: watch.count,
                                   noMitigations: noMitigations)
        let engine = prepared.engine(watch: watch)
        switch checkpoint.load(matching: meta, shape: engine.emptyBlock(at: range.lowerBound)) {
        case .none: break
        case .resumed(let block):
            resume = block
            if !quiet { Console.errorLines(["\(name): resuming from a checkpoint of \(block.count) completed samples"]) }
        case .mismatch(let why):
            if !quiet { Console.errorLines(["\(name): checkpoint in \(checkpoint.dir) not used: \(why); starting over"]) }
            checkpoint.remove()
        }
        let progress = Progress(total: range.count, label: name, quiet: quiet)
        let simulationStart = Date()
        let (block, stoppedEarly) = engine.runBlocks(range, threads: nThreads, targetRelativeCI: sc.simulation.targetRelativeCI,
                                                       resume: resume, blockSize: checkpointSamples,
                                                       blockDone: { b in if b.end < range.upperBound { checkpoint.save(b, meta: meta) } },
                                                       progress: { progress.update($0) })
        let simulationSeconds = Date().timeIntervalSince(simulationStart)
        progress.finish()
        if let s = shard {
            try ShardFile.write(block, to: dir, info: ShardFile.Info(scenarioPath: URL(fileURLWithPath: scenarioPath).standardizedFileURL.path,
                                                                    digest: loaded.digest, samples: sc.simulation.samples, seed: sc.simulation.seed,
                                                                    index: s.index, count: s.count, start: range.lowerBound, end: range.upperBound,
                                                                    noRankings: noRankings, noMitigations: noMitigations))
            checkpoint.remove()
            if !quiet { print("\(sc.name): shard \(s.index)/\(s.count), samples \(range.lowerBound)..<\(range.upperBound), written to \(dir)/") }
            return .shardWritten(dir)
        }
        let log = "kaskada \(KaskadaVersion.string) run \(scenarioPath)\nstarted \(ISO8601DateFormatter().string(from: started)) on \(ProcessInfo.processInfo.hostName)\n"
            + (resume.map { "resumed from a checkpoint of \($0.count) samples\n" } ?? "")
        try Self.finish(prepared: prepared, loaded: loaded, block: block, stoppedEarly: stoppedEarly, evaluator: evaluator,
                        noRankings: noRankings, threads: nThreads, dir: dir, quiet: quiet, label: name,
                        logHead: log, simulationSeconds: simulationSeconds, started: started)
        checkpoint.remove()
        return .computed(dir)
    }

    /// What changed between recorded and current inputs, for the "recomputing" line.
    static func changes(_ old: [String: String], _ new: [(String, String)]) -> String {
        guard !old.isEmpty else { return "the result records no inputs one by one" }
        var changed: [String] = []
        for (k, v) in new where old[k] != v {
            changed.append(old[k] == nil ? "\(k) is new" : (["seed", "samples", "version"].contains(k) ? "\(k) \(old[k]!) → \(v)" : "\(k) changed"))
        }
        for k in old.keys.sorted() where !new.contains(where: { $0.0 == k }) { changed.append("\(k) no longer read") }
        return changed.isEmpty ? "input digest differs" : changed.joined(separator: ", ")
    }

    /// From the baseline's samples to the result folder: rankings, mitigation options, files.
    static func finish(prepared: PreparedScenario, loaded: Loaded, block: SampleBlock, stoppedEarly: Bool, evaluator: OptionEvaluator?,
                       noRankings: Bool, threads nThreads: Int, dir: String, quiet: Bool, label: String,
                       logHead: String, simulationSeconds: Double, started: Date) throws {
        let sc = prepared.scenario
        let graph = prepared.graph
        let runner = prepared.engine()
        let result = runner.result(from: block, stoppedEarly: stoppedEarly)
        var rankings: RankingResult? = nil
        if !noRankings {
            var lastLine = Date.distantPast
            rankings = Rankings.compute(scenario: sc, graph: graph, result: result, runner: runner, threads: nThreads) { part, done, total in
                guard !quiet, Date().timeIntervalSince(lastLine) >= 5 || done == total else { return }
                lastLine = Date()
                Console.errorLines(["\(label): rankings, \(part) \(done)/\(total)"])
            }
        }
        var options: [OptionResult]? = nil
        var portfolio: Portfolio? = nil
        let optionsStart = Date()
        if let evaluator {
            if !quiet { Console.errorLines(["\(label): evaluating \(sc.mitigations.count) mitigation options on the same samples"]) }
            let evaluated = evaluator.evaluate(baseline: result, threads: nThreads)
            options = evaluated
            if let budget = sc.budget {
                if !quiet { Console.errorLines(["\(label): searching the best portfolio within \(Int(budget)) EUR"]) }
                portfolio = evaluator.portfolio(baseline: result, results: evaluated, budget: budget, threads: nThreads)
            }
        }
        let optionsLine = evaluator.map { e in
            String(format: "mitigations %.3f s: %d option samples simulated, %d taken from the baseline (unchanged)%@",
                   Date().timeIntervalSince(optionsStart), e.simulated, e.reused,
                   portfolio.map { ", portfolio: \($0.setsEvaluated) joint sets" } ?? "")
        } ?? "mitigations none"
        var writer = ResultWriter(scenario: sc, graph: graph, result: result, rankings: rankings, inputsDigest: loaded.digest,
                                  version: KaskadaVersion.string)
        writer.options = options
        writer.portfolio = portfolio
        writer.inputs = loaded.inputs
        let log = logHead + """
            samples \(result.samples) of \(sc.simulation.samples)\(result.stoppedEarly ? " (early stop)" : ""), seed \(result.seed), threads \(nThreads)
            mode \(sc.simulation.mode.rawValue)\(sc.simulation.mode == .timed ? ", horizon \(sc.simulation.horizonHours) h, step \(sc.simulation.stepHours) h" : "")
            assets \(graph.assetCount), links \(graph.linkCount), requirements \(graph.requirementCount)
            rankings \(rankings.map { String(format: "n1 %.3f s (%d of %d assets by full cascade), rrw %.3f s, coordination %.3f s", $0.n1Seconds, $0.n1FullCascades, graph.assetCount, $0.rrwSeconds, $0.coordinationSeconds) } ?? "skipped (--no-rankings)")
            simulation \(String(format: "%.3f", simulationSeconds)) s\(result.timed.map { String(format: ", %.1f state computations per sample", Double($0.stateComputations) / Double(max(1, result.samples))) } ?? "")
            \(optionsLine)
            took \(String(format: "%.3f", Date().timeIntervalSince(started))) s

            """
        do { try writer.write(to: dir, runLog: log) } catch {
            Console.errorLines(["\(dir): error: cannot write the result: \(error.localizedDescription)"])
            throw ExitCode(1)
        }
        guard !quiet else { return }
        let loss = Summary.ofLoss(result.loss)
        let unit = result.timed == nil ? "" : " people-hours"
        print("\(sc.name): loss mean \(loss.mean)\(unit) (95% CI \(loss.low)–\(loss.high)) over \(result.samples) samples; result in \(dir)/")
        let evaluated = (options ?? []).filter { $0.notEvaluated == nil }
        if let best = evaluated.max(by: { ($0.benefitCost ?? -.infinity, $0.lossReduction) < ($1.benefitCost ?? -.infinity, $1.lossReduction) }) {
            print(String(format: "best option by benefit/cost: %@, loss reduction %.4g (95%% CI %.4g to %.4g), benefit/cost %.3g %@ (mitigations.csv)",
                         best.id, best.lossReduction, best.ci95Low, best.ci95High, best.benefitCost ?? .nan, best.benefitCostUnit))
        }
        for r in (options ?? []) where r.notEvaluated != nil { print("option \(r.id) not evaluated: \(r.notEvaluated!)") }
        if let p = portfolio {
            print(String(format: "portfolio within the budget (%@ search): %@, cost %.0f EUR, loss reduction %.4g (95%% CI %.4g to %.4g)",
                         p.method, p.options.joined(separator: " + "), p.cost, p.lossReduction, p.ci95Low, p.ci95High))
        }
    }
}

/// A checkpoint of a run's completed sample blocks: `.<result name>.checkpoint/` beside the result
/// folder, holding `checkpoint.json` (what the block belongs to) and `block.bin`, replaced
/// atomically after each block and removed once the result is written.
struct Checkpoint {
    let dir: String

    struct Meta: Equatable {
        var digest: String
        var start: Int, end: Int
        var watch: Int
        var noMitigations: Bool
        var json: String {
            "{\"inputs_sha256\": \(JSON.string(digest)), \"start\": \(start), \"end\": \(end), \"watch\": \(watch), \"no_mitigations\": \(noMitigations)}\n"
        }
    }

    enum Found { case none, resumed(SampleBlock), mismatch(String) }

    init(resultDir: String) {
        let url = URL(fileURLWithPath: resultDir).standardizedFileURL
        dir = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).checkpoint").path
    }

    func load(matching meta: Meta, shape: SampleBlock) -> Found {
        guard let text = try? String(contentsOfFile: dir + "/checkpoint.json", encoding: .utf8) else { return .none }
        guard text == meta.json else {
            let recorded = Manifest.inputs(text)?.digest
            return .mismatch(recorded == meta.digest ? "it covers other samples or options" : "it is from different inputs (the scenario, its model files, the seed, the sample count or Kaskada's version changed)")
        }
        guard let data = FileManager.default.contents(atPath: dir + "/block.bin"),
              let block = try? SampleBlock(decoding: data) else { return .mismatch("its block file is unreadable") }
        guard block.start == meta.start, block.end <= meta.end, block.sectors == shape.sectors, block.owners == shape.owners,
              block.watch == shape.watch, block.damagedCount.count == shape.damagedCount.count,
              block.zoneLost.count == shape.zoneLost.count, block.rowCarried.count == shape.rowCarried.count,
              block.outageMicroHours.count == shape.outageMicroHours.count else { return .mismatch("its block does not fit this run") }
        return .resumed(block)
    }

    /// Writes the cumulative block: `checkpoint.json` once, `block.bin` replaced by rename, so a
    /// kill at any moment leaves the previous or the new block, never a torn one.
    func save(_ block: SampleBlock, meta: Meta) {
        let fm = FileManager.default
        do {
            try fm.createDirectory(atPath: dir, withIntermediateDirectories: true)
            if (try? String(contentsOfFile: dir + "/checkpoint.json", encoding: .utf8)) != meta.json {
                try? fm.removeItem(atPath: dir + "/block.bin")
                try Data(meta.json.utf8).write(to: URL(fileURLWithPath: dir + "/checkpoint.json"), options: .atomic)
            }
            let tmp = dir + "/block.bin.tmp"
            try block.encoded().write(to: URL(fileURLWithPath: tmp))
            guard rename(tmp, dir + "/block.bin") == 0 else { return }
        } catch {
            return   // a checkpoint is an optimisation: the run goes on without it
        }
    }

    func remove() { try? FileManager.default.removeItem(atPath: dir) }
}

/// A shard's partial result (`kaskada run --shard i/n`): `shard.json` (the inputs, the shard and
/// its samples) and `block.bin` (the raw outcomes of its samples, `SampleBlock`).
enum ShardFile {
    struct Info: Equatable {
        var scenarioPath: String
        var digest: String
        var samples: Int
        var seed: UInt64
        var index: Int, count: Int
        var start: Int, end: Int
        var noRankings: Bool
        var noMitigations: Bool

        var json: String {
            """
            {"format": "kaskada-shard", "version": \(JSON.string(KaskadaVersion.string)), "scenario_path": \(JSON.string(scenarioPath)), \
            "inputs_sha256": \(JSON.string(digest)), "samples": \(samples), "seed": \(seed), "shard": \(index), "shards": \(count), \
            "start": \(start), "end": \(end), "no_rankings": \(noRankings), "no_mitigations": \(noMitigations)}

            """
        }

        init(scenarioPath: String, digest: String, samples: Int, seed: UInt64, index: Int, count: Int, start: Int, end: Int,
             noRankings: Bool, noMitigations: Bool) {
            self.scenarioPath = scenarioPath; self.digest = digest; self.samples = samples; self.seed = seed
            self.index = index; self.count = count; self.start = start; self.end = end
            self.noRankings = noRankings; self.noMitigations = noMitigations
        }

        init?(json: Data) {
            guard let o = try? JSONSerialization.jsonObject(with: json) as? [String: Any], o["format"] as? String == "kaskada-shard",
                  let p = o["scenario_path"] as? String, let d = o["inputs_sha256"] as? String,
                  let n = (o["samples"] as? NSNumber)?.intValue, let seed = (o["seed"] as? NSNumber)?.uint64Value,
                  let i = (o["shard"] as? NSNumber)?.intValue, let c = (o["shards"] as? NSNumber)?.intValue,
                  let s = (o["start"] as? NSNumber)?.intValue, let e = (o["end"] as? NSNumber)?.intValue,
                  let nr = o["no_rankings"] as? Bool, let nm = o["no_mitigations"] as? Bool else { return nil }
            self.init(scenarioPath: p, digest: d, samples: n, seed: seed, index: i, count: c, start: s, end: e, noRankings: nr, noMitigations: nm)
        }
    }

    /// Writes the shard folder atomically (staged beside it, then renamed).
    static func write(_ block: SampleBlock, to dir: String, info: Info) throws {
        let fm = FileManager.default
        let target = URL(fileURLWithPath: dir).standardizedFileURL
        let parent = target.deletingLastPathComponent()
        let staging = parent.appendingPathComponent(".\(target.lastPathComponent).tmp-\(ProcessInfo.processInfo.processIdentifier)")
        do {
            try fm.createDirectory(at: parent, withIntermediateDirectories: true)
            try? fm.removeItem(at: staging)
            try fm.createDirectory(at: staging, withIntermediateDirectories: false)
            try block.encoded().write(to: staging.appendingPathComponent("block.bin"))
            try Data(info.json.utf8).write(to: staging.appendingPathComponent("shard.json"))
            try? fm.removeItem(at: target)
            try fm.moveItem(at: staging, to: target)
        } catch {
            try? fm.removeItem(at: staging)
            Console.errorLines(["\(dir): error: cannot write the shard: \(error.localizedDescription)"])
            throw ExitCode(1)
        }
    }

    /// Reads a shard folder; bad input names the file.
    static func read(_ dir: String) throws -> (Info, SampleBlock) {
        let jsonPath = dir + "/shard.json"
        guard let data = FileManager.default.contents(atPath: jsonPath) else {
            throw InputError(file: jsonPath, "missing: expected a shard folder written by kaskada run --shard i/n")
        }
        guard let info = Info(json: data) else {
            throw InputError(file: jsonPath, "not a Kaskada shard description (format kaskada-shard with scenario_path, inputs_sha256, samples, seed, shard, shards, start, end)")
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
