import Engines
import Foundation
import Hazards
import InfraGraph
import InfraModel
import Mitigations
import ModelIO
import Rankings
import Reports
import ResultFiles
import Simulation
import Stochastics
import TimedSimulation

/// What to run: a scenario and the command line's choices (docs/specification.md section 7).
public struct RunRequest: Sendable {
    public var scenarioPath: String
    /// Overrides of the scenario's `simulation` keys.
    public var samples: Int?
    public var seed: UInt64?
    public var threads: Int?
    /// The result folder (default `results/<name>/`, or `…-shard-i-of-n` for a shard).
    public var out: String?
    public var noRankings = false
    public var noMitigations = false
    /// 1-based shard i of n: only its share of the samples, written as a shard folder.
    public var shard: (index: Int, count: Int)?
    /// Samples per checkpointed block.
    public var checkpointSamples = MonteCarlo.blockSize
    /// Recompute even when the result folder already matches the inputs.
    public var force = false
    /// Simulate every sample of every option (benchmarks of the reuse).
    public var noSampleReuse = false

    public init(scenarioPath: String) { self.scenarioPath = scenarioPath }
}

/// How a run ended.
public enum RunOutcome {
    /// A result folder was written.
    case computed(RunSummary)
    /// The result folder already matched the inputs and was kept.
    case upToDate(String)
    /// A shard folder was written with the samples of the range.
    case shardWritten(String, Range<Int>)
}

/// A written result, for the caller to print or serve.
public struct RunSummary {
    public var scenario: Scenario
    public var dir: String
    public var result: MonteCarloResult
    public var rankings: RankingResult?
    public var options: [OptionResult]?
    public var portfolio: Portfolio?
    public var phases: PhaseTimes
    /// The result as written to `dir` (nil when nothing was written).
    public var data: ResultData? = nil
}

/// A scenario loaded with everything derived from its inputs.
public struct LoadedScenario {
    public var scenario: Scenario
    /// SHA-256 over every input (`manifest.json` `inputs_sha256`).
    public var digest: String
    /// Each input on its own (label, value), for naming what changed.
    public var inputs: [(String, String)]
}

/// One scenario's run, as `kaskada run`, `batch`, `merge` and an in-process service do it:
/// load → compile → samples (static or timed; resumed from a checkpoint of completed blocks, or
/// a shard's share) → rankings → mitigation options → portfolio → result folder (docs/specification.md
/// sections 5–9; docs/decisions.md #44–48). Progress, notes and cancellation go through a
/// `RunObserver`; nothing here prints.
public struct RunPipeline {
    public var request: RunRequest
    public var observer: RunObserver

    public init(_ request: RunRequest, observer: RunObserver = .silent) {
        self.request = request
        self.observer = observer
    }

    /// Loads the scenario and applies the sample and seed overrides; loader warnings go to `note`.
    public static func load(
        _ path: String, samples: Int?, seed: UInt64?, noRankings: Bool, noMitigations: Bool,
        note: (String) -> Void = { _ in }
    ) throws -> LoadedScenario {
        var (sc, warnings) = try ScenarioLoader.load(path: path)
        if let s = samples { sc.simulation.samples = s }
        if let s = seed { sc.simulation.seed = s }
        for w in warnings { note(w.description) }
        // what is skipped changes the result: recorded with the inputs
        var inputs = InputDigest.inputs(scenario: sc, version: KaskadaVersion.string)
        if noRankings { inputs.append(("no_rankings", "true")) }
        if noMitigations { inputs.append(("no_mitigations", "true")) }
        return LoadedScenario(
            scenario: sc,
            digest: InputDigest.compute(scenario: sc, version: KaskadaVersion.string),
            inputs: inputs)
    }

    /// Compiles the scenario (graph, hazard plan, timed plan); bad events are input errors.
    /// `options`: mitigation options will be evaluated on it.
    public static func prepare(_ sc: Scenario, options: Bool = true) throws -> PreparedScenario {
        let linkNumbers = PreparedScenario.linkNumbersNeeded(sc, options: options)
        do { return try PreparedScenario(sc, linkNumbers: linkNumbers) } catch {
            throw InputError(file: sc.path, field: "events", "\(error)")
        }
    }

    /// The samples of shard i of n out of `total`: contiguous, sizes differing by at most one.
    public static func shardRange(_ i: Int, of n: Int, total: Int) -> Range<Int> {
        (total * (i - 1) / n)..<(total * i / n)
    }

    /// The result folder of a request for scenario `name`.
    public static func resultDir(_ r: RunRequest, name: String) -> String {
        r.out ?? "results/\(name)" + (r.shard.map { "-shard-\($0.index)-of-\($0.count)" } ?? "")
    }

    /// Runs the request to its end. Throws `InputError` for bad input, `RunFailure` when the
    /// result cannot be written, `RunCancelled` when the observer cancels.
    public func execute() throws -> RunOutcome {
        let r = request
        let started = Date()
        var phases = PhaseTimes()
        var loaded = try Self.load(
            r.scenarioPath, samples: r.samples, seed: r.seed, noRankings: r.noRankings,
            noMitigations: r.noMitigations, note: observer.warning)
        var sc = loaded.scenario
        let dir = Self.resultDir(r, name: sc.name)
        if r.shard != nil && sc.simulation.targetRelativeCI != nil {
            throw InputError(
                file: r.scenarioPath, field: "simulation.target_relative_ci",
                "an early stop cannot be combined with --shard (each shard would stop on its own samples): remove target_relative_ci or run without --shard"
            )
        }
        // a complete result of the same inputs is kept
        if r.shard == nil && !r.force, let old = try? String(contentsOfFile: dir + "/manifest.json", encoding: .utf8),
            let recorded = Manifest.inputs(old)
        {
            if recorded.digest == loaded.digest && recorded.inputs == Dictionary(loaded.inputs, uniquingKeysWith: { a, _ in a }) {
                observer.note("up to date in \(dir)/ (inputs unchanged), skipped")
                // what a run killed after swapping this result in left beside it: the previous
                // result in a staging folder, the checkpoint of these inputs
                AtomicFolder.removeLeftovers(beside: dir)
                Checkpoint(resultDir: dir).removeIfOf(digest: loaded.digest)
                return .upToDate(dir)
            }
            observer.note("inputs changed since \(dir)/ was written (\(Self.changes(recorded.inputs, loaded.inputs))); recomputing")
        }
        phases.lap(.load)
        try checkCancelled(.compile)
        let withOptions = !sc.mitigations.isEmpty && !r.noMitigations
        // ids are looked up only while loading and by mitigation options: the index (8 bytes a
        // slot) goes before the compile adds the graph, so the two never add up
        if !withOptions { sc.network.ids.releaseIndex() }
        var prepared = try Self.prepare(sc, options: withOptions)
        let evaluator = withOptions ? OptionEvaluator(base: prepared) : nil
        if evaluator == nil {
            Self.releaseCompileOnlyState(&prepared, &loaded)
            sc = prepared.scenario
        }
        evaluator?.reuseSamples = !r.noSampleReuse
        let watch = evaluator?.watch ?? []
        let nThreads = r.threads ?? sc.simulation.threads ?? ProcessInfo.processInfo.activeProcessorCount
        let range = r.shard.map { Self.shardRange($0.index, of: $0.count, total: sc.simulation.samples) } ?? 0..<sc.simulation.samples
        // refused before the samples when it cannot fit: exit 2 with the estimate
        let need = MemoryNeed(
            prepared: prepared, samples: range.count, threads: nThreads, watch: watch.count,
            rankings: !r.noRankings && r.shard == nil)
        let memory = MemoryNeed.available()
        try need.check(available: memory, scenarioPath: r.scenarioPath)
        phases.lap(.compile)

        // samples, from a checkpoint of completed blocks when there is one
        let checkpoint = Checkpoint(resultDir: dir)
        var resume: SampleBlock? = nil
        let meta = Checkpoint.Meta(
            digest: loaded.digest, start: range.lowerBound, end: range.upperBound, watch: watch.count,
            noMitigations: r.noMitigations)
        let engine = prepared.engine(watch: watch)
        switch checkpoint.load(matching: meta, shape: engine.emptyBlock(at: range.lowerBound)) {
        case .none: break
        case .resumed(let block):
            resume = block
            observer.note("resuming from a checkpoint of \(block.count) completed samples")
        case .mismatch(let why):
            observer.note("checkpoint in \(checkpoint.dir) not used: \(why); starting over")
            checkpoint.remove()
        }
        let observer = self.observer
        let (block, stoppedEarly) = engine.runBlocks(
            range, threads: nThreads, targetRelativeCI: sc.simulation.targetRelativeCI,
            resume: resume, blockSize: r.checkpointSamples,
            blockDone: { b in if b.end < range.upperBound { checkpoint.save(b, meta: meta) } },
            progress: { observer.progress(RunProgress(phase: .samples, done: $0, total: range.count)) },
            shouldStop: observer.isCancelled)
        if block.end < range.upperBound && !stoppedEarly {
            throw RunCancelled(phase: .samples, samplesKept: block.count, checkpoint: block.count > 0 ? checkpoint.dir : nil)
        }
        phases.lap(.samples)
        let simulationSeconds = phases.seconds.last?.1 ?? 0
        if let s = r.shard {
            try ShardFile.write(
                block, to: dir,
                info: ShardFile.Info(
                    scenarioPath: URL(fileURLWithPath: r.scenarioPath).standardizedFileURL.path,
                    digest: loaded.digest, samples: sc.simulation.samples, seed: sc.simulation.seed,
                    index: s.index, count: s.count, start: range.lowerBound, end: range.upperBound,
                    noRankings: r.noRankings, noMitigations: r.noMitigations))
            checkpoint.remove()
            return .shardWritten(dir, range)
        }
        let log =
            "kaskada \(KaskadaVersion.string) run \(r.scenarioPath)\nstarted \(ISO8601DateFormatter().string(from: started)) on \(ProcessInfo.processInfo.hostName)\n"
            + need.line(available: memory) + "\n"
            + (resume.map { "resumed from a checkpoint of \($0.count) samples\n" } ?? "")
        let summary: RunSummary
        do {
            summary = try finish(
                prepared: prepared, loaded: loaded, block: block, stoppedEarly: stoppedEarly, evaluator: evaluator,
                noRankings: r.noRankings, threads: nThreads, dir: dir, logHead: log,
                simulationSeconds: simulationSeconds, started: started, phases: phases, engine: engine)
        } catch let c as RunCancelled {
            // cancelled after the samples: keep all of them, so that a restart goes on from there
            // (not after an early stop: resumed, the samples would go on past it)
            guard !stoppedEarly else { throw c }
            checkpoint.save(block, meta: meta)
            throw RunCancelled(phase: c.phase, samplesKept: block.count, checkpoint: checkpoint.dir)
        }
        checkpoint.remove()
        return .computed(summary)
    }

    /// Frees what only loading and compiling read, for a run that applies no mitigation option
    /// (options name assets by id and add or match links on the model): the model's link table
    /// (28–36 bytes a link; the graph and plans hold what samples read) and the id hash index
    /// (8 bytes a slot, 67 MB for 6×10^6 ids; ids stay readable by index, a later lookup
    /// rebuilds it). Every copy of the scenario takes the slim one, so the arrays are freed.
    /// A model with lat/lon keeps its link table: `results.geojson` draws the links.
    static func releaseCompileOnlyState(_ prepared: inout PreparedScenario, _ loaded: inout LoadedScenario) {
        if prepared.scenario.network.coordinates != .geographic {
            prepared = prepared.releasingLinkTable()
            loaded.scenario = prepared.scenario
        }
        prepared.scenario.network.ids.releaseIndex()
    }

    func checkCancelled(_ phase: RunPhase) throws {
        if observer.isCancelled() { throw RunCancelled(phase: phase, samplesKept: 0, checkpoint: nil) }
    }

    /// What changed between recorded and current inputs, for the "recomputing" line.
    public static func changes(_ old: [String: String], _ new: [(String, String)]) -> String {
        guard !old.isEmpty else { return "the result records no inputs one by one" }
        var changed: [String] = []
        for (k, v) in new where old[k] != v {
            changed.append(old[k] == nil ? "\(k) is new" : (["seed", "samples", "version"].contains(k) ? "\(k) \(old[k]!) → \(v)" : "\(k) changed"))
        }
        let newKeys = Set(new.map(\.0))
        for k in old.keys.sorted() where !newKeys.contains(k) { changed.append("\(k) no longer read") }
        return changed.isEmpty ? "input digest differs" : changed.joined(separator: ", ")
    }

    /// From the baseline's samples to the result folder: rankings, mitigation options, files.
    /// `phases` holds the phases timed so far; the rest are added here. `engine` is the engine
    /// that computed the samples, when there is one (one engine's layout and plan arrays, not
    /// two: 38 MiB at 2×10^6 assets); else one is made.
    public func finish(
        prepared: PreparedScenario, loaded: LoadedScenario, block: SampleBlock, stoppedEarly: Bool,
        evaluator: OptionEvaluator?, noRankings: Bool, threads nThreads: Int, dir: String,
        logHead: String, simulationSeconds: Double, started: Date, phases: PhaseTimes, engine: SampleEngine? = nil
    ) throws -> RunSummary {
        var phases = phases
        phases.restart()
        let sc = prepared.scenario
        let graph = prepared.graph
        let runner = engine ?? prepared.engine()
        let result = runner.result(from: block, stoppedEarly: stoppedEarly)
        let observer = self.observer
        var rankings: RankingResult? = nil
        if !noRankings {
            try checkCancelled(.n1)
            rankings = Rankings.compute(scenario: sc, graph: graph, result: result, runner: runner, threads: nThreads) { part, done, total in
                if let phase = RunPhase(rawValue: part) { observer.progress(RunProgress(phase: phase, done: done, total: total)) }
            }
            if let r = rankings {
                phases.add(.n1, r.n1Seconds); phases.add(.rrw, r.rrwSeconds); phases.add(.coordination, r.coordinationSeconds)
            }
            phases.restart()
        }
        var options: [OptionResult]? = nil
        var portfolio: Portfolio? = nil
        let optionsStart = Date()
        if let evaluator {
            try checkCancelled(.mitigations)
            observer.progress(RunProgress(phase: .mitigations, done: 0, total: sc.mitigations.count))
            let evaluated = evaluator.evaluate(baseline: result, threads: nThreads) { done in
                if done < sc.mitigations.count { observer.progress(RunProgress(phase: .mitigations, done: done, total: sc.mitigations.count)) }
            }
            observer.progress(RunProgress(phase: .mitigations, done: sc.mitigations.count, total: sc.mitigations.count))
            options = evaluated
            phases.lap(.mitigations)
            if let budget = sc.budget {
                try checkCancelled(.portfolio)
                observer.note("searching the best portfolio within \(Int(budget)) EUR")
                observer.progress(RunProgress(phase: .portfolio, done: 0, total: 1))
                var sets = 1
                portfolio = evaluator.portfolio(baseline: result, results: evaluated, budget: budget, threads: nThreads) { done, total in
                    sets = total
                    observer.progress(RunProgress(phase: .portfolio, done: done, total: total))
                }
                observer.progress(RunProgress(phase: .portfolio, done: sets, total: sets))
                phases.lap(.portfolio)
            }
        }
        let optionsLine =
            evaluator.map { e in
                "mitigations \(NumberText.fixed(Date().timeIntervalSince(optionsStart), 3)) s: \(e.simulated) option samples simulated, "
                    + "\(e.reused) taken from the baseline (unchanged)"
                    + (portfolio.map { ", portfolio: \($0.setsEvaluated) joint sets" } ?? "")
            } ?? "mitigations none"
        try checkCancelled(.write)
        // the result, assembled once: every file and report is written from it
        let data = ResultAssembly.assemble(
            scenario: sc, graph: graph, result: result, rankings: rankings, options: options,
            portfolio: portfolio, inputs: loaded.inputs, inputsDigest: loaded.digest,
            version: KaskadaVersion.string)
        let writer = ResultWriter(data: data, network: sc.network)
        let log =
            logHead + """
                samples \(result.samples) of \(sc.simulation.samples)\(result.stoppedEarly ? " (early stop)" : ""), seed \(result.seed), threads \(nThreads)
                mode \(sc.simulation.mode.rawValue)\(sc.simulation.mode == .timed ? ", horizon \(sc.simulation.horizonHours) h, step \(sc.simulation.stepHours) h" : "")
                assets \(graph.assetCount), links \(graph.linkCount), requirements \(graph.requirementCount)
                rankings \(rankings.map { "n1 \(NumberText.fixed($0.n1Seconds, 3)) s (\($0.n1Cascades) of \(graph.assetCount) assets by a cascade of their own), rrw \(NumberText.fixed($0.rrwSeconds, 3)) s, coordination \(NumberText.fixed($0.coordinationSeconds, 3)) s" } ?? "skipped (--no-rankings)")
                simulation \(NumberText.fixed(simulationSeconds, 3)) s\(result.timed.map { ", \(NumberText.fixed(Double($0.stateComputations) / Double(max(1, result.samples)), 1)) state computations per sample" } ?? "")
                \(optionsLine)
                \(writer.skipsGeoJSON ? "results.geojson not written: \(sc.network.assets.count + sc.network.links.count) assets and links, more than \(ResultWriter.geoJSONFeatureLimit) (results.gpkg has every feature)\n" : "")
                """
        observer.progress(RunProgress(phase: .write, done: 0, total: 1))
        do {
            // run.log (outside the identity guarantee) gets the phase times, write included up to
            // run.log itself, inside the staged folder: nothing is rewritten after the swap, where
            // a kill would leave a temporary file in the complete result (scripts/fault-tests.sh)
            try writer.write(
                to: dir,
                runLog: {
                    var p = phases
                    p.lap(.write)
                    return log + "phases \(p.line)\ntook \(NumberText.fixed(Date().timeIntervalSince(started), 3)) s\n"
                },
                progress: { done, total in observer.progress(RunProgress(phase: .write, done: done, total: total)) })
        } catch {
            throw RunFailure(path: dir, reason: "cannot write the result: \(IOErrorText.describe(error))")
        }
        phases.lap(.write)
        observer.progress(RunProgress(phase: .write, done: writer.progressUnits, total: writer.progressUnits))
        return RunSummary(
            scenario: sc, dir: dir, result: result, rankings: rankings, options: options, portfolio: portfolio, phases: phases,
            data: data)
    }
}

extension RunPipeline {
    /// Shards of one run (`--shard i/n` folders, any order) into the result folder `out`: the
    /// same bytes as a single run (run.log aside). Throws `InputError` (exit 2) for shards of
    /// different inputs, missing or repeated shards, or a scenario changed since they were computed.
    public static func merge(shardDirs: [String], out: String, threads: Int?, observer: RunObserver = .silent) throws -> RunSummary {
        let started = Date()
        var phases = PhaseTimes()
        var shards: [(dir: String, info: ShardFile.Info, block: SampleBlock)] = []
        for d in shardDirs {
            let (info, block) = try ShardFile.read(d)
            shards.append((d, info, block))
        }
        guard let first = shards.first else { throw InputError(file: out, "no shard folders given") }
        // one run: same inputs and options everywhere
        for s in shards.dropFirst() {
            var diffs: [String] = []
            if s.info.digest != first.info.digest {
                diffs.append("inputs (inputs_sha256 \(s.info.digest.prefix(12))… vs \(first.info.digest.prefix(12))…)")
            }
            if s.info.seed != first.info.seed { diffs.append("seed \(s.info.seed) vs \(first.info.seed)") }
            if s.info.samples != first.info.samples { diffs.append("samples \(s.info.samples) vs \(first.info.samples)") }
            if s.info.count != first.info.count { diffs.append("shard count \(s.info.count) vs \(first.info.count)") }
            if s.info.noRankings != first.info.noRankings || s.info.noMitigations != first.info.noMitigations {
                diffs.append("--no-rankings/--no-mitigations differ")
            }
            if s.info.scenarioPath != first.info.scenarioPath { diffs.append("scenario \(s.info.scenarioPath) vs \(first.info.scenarioPath)") }
            if !diffs.isEmpty {
                throw InputError(
                    file: s.dir + "/shard.json",
                    "not a shard of the same run as \(first.dir): \(diffs.joined(separator: "; ")); merge only shards of one scenario, seed and sample count"
                )
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
            throw InputError(
                file: first.dir + "/shard.json",
                "missing shard\(missing.count == 1 ? "" : "s") \(missing.map { "\($0)/\(n)" }.joined(separator: ", ")): expected all \(n) shards of the run"
            )
        }
        shards.sort { $0.info.start < $1.info.start }
        // the scenario as the shards saw it
        var loaded = try load(
            first.info.scenarioPath, samples: first.info.samples, seed: first.info.seed,
            noRankings: first.info.noRankings, noMitigations: first.info.noMitigations, note: observer.warning)
        guard loaded.digest == first.info.digest else {
            throw InputError(
                file: first.info.scenarioPath,
                "the scenario or a file it reads changed since the shards were computed (inputs_sha256 differs): recompute the shards")
        }
        phases.lap(.load)
        var sc = loaded.scenario
        var prepared = try prepare(sc, options: !first.info.noMitigations)
        let evaluator = sc.mitigations.isEmpty || first.info.noMitigations ? nil : OptionEvaluator(base: prepared)
        if evaluator == nil {
            releaseCompileOnlyState(&prepared, &loaded)
            sc = prepared.scenario
        }
        let shape = prepared.engine(watch: evaluator?.watch ?? []).emptyBlock(at: 0)
        phases.lap(.compile)
        var total = shape
        for s in shards {
            guard s.block.start == total.end, s.block.sectors == shape.sectors, s.block.owners == shape.owners,
                s.block.watch == shape.watch, s.block.damagedCount.count == shape.damagedCount.count,
                s.block.zoneLost.count == shape.zoneLost.count, s.block.rowCarried.count == shape.rowCarried.count,
                s.block.outageMicroHours.count == shape.outageMicroHours.count
            else {
                throw InputError(
                    file: s.dir + "/block.bin", "does not fit the scenario's model or the other shards (samples \(s.block.start)..<\(s.block.end))")
            }
            total.append(s.block)
        }
        guard total.count == sc.simulation.samples else {
            throw InputError(file: first.dir + "/shard.json", "the shards hold \(total.count) samples, the run has \(sc.simulation.samples)")
        }
        phases.lap(.samples)
        let nThreads = threads ?? sc.simulation.threads ?? ProcessInfo.processInfo.activeProcessorCount
        let log =
            "kaskada \(KaskadaVersion.string) merge of \(n) shards of \(first.info.scenarioPath)\nstarted \(ISO8601DateFormatter().string(from: started)) on \(ProcessInfo.processInfo.hostName)\n"
        var request = RunRequest(scenarioPath: first.info.scenarioPath)
        request.out = out
        request.noRankings = first.info.noRankings
        request.noMitigations = first.info.noMitigations
        return try RunPipeline(request, observer: observer)
            .finish(
                prepared: prepared, loaded: loaded, block: total, stoppedEarly: false, evaluator: evaluator,
                noRankings: first.info.noRankings, threads: nThreads, dir: out, logHead: log, simulationSeconds: 0,
                started: started, phases: phases)
    }
}
