import Dispatch
import Engines
import Hazards
import InfraGraph
import InfraModel
import Simulation
import Stochastics
import TimedSimulation

#if canImport(Glibc)
    import Glibc
#endif

/// One mitigation option's paired comparison with the baseline (docs/specification.md section 6).
public struct OptionResult: Sendable {
    public var id: String
    public var cost: Double
    /// Mean of the per-sample loss reduction (baseline loss − option loss, same sample), its 95%
    /// confidence interval (t quantile), and the per-sample reductions.
    public var lossReduction: Double
    public var ci95Low: Double
    public var ci95High: Double
    public var reductions: [Double]
    /// Benefit/cost and its unit (`ratio` for money over money; else loss reduction per million EUR).
    public var benefitCost: Double?
    public var benefitCostUnit: String
    /// Why the option was not evaluated (nil: it was).
    public var notEvaluated: String?
    /// Per other option id: the fraction of samples in which this option's loss is lower.
    public var beats: [(String, Double)] = []
    /// Samples simulated for this option (the rest were the baseline's, unchanged).
    public var simulatedSamples = 0
}

/// Paired evaluation of a scenario's mitigation options against its baseline: every option runs
/// on the baseline's samples (same seed, draws keyed by ids: common random numbers), and a sample
/// the option cannot change (see `OptionFootprint`) is the baseline's, not simulated again.
///
/// Use: create it before the baseline run, give the baseline engine `watch` (the assets whose
/// failures decide involvement), run the baseline, then `evaluate` and `portfolio`.
public final class OptionEvaluator: @unchecked Sendable {
    public let base: PreparedScenario
    public let options: [Mitigation]
    /// Per option: the compiled option scenario, or why it cannot be evaluated.
    let prepared: [Result<PreparedScenario, OptionError>]
    public let footprints: [OptionFootprint]
    /// Assets the baseline run must record failures of (`MonteCarlo.watch`).
    public let watch: [Int32]
    /// Loss differences within it are 0 (rounding, not an effect of the option).
    public let resolution: LossResolution
    /// false: simulate every sample of every option (the reference the reuse is tested against).
    public var reuseSamples = true
    /// Feasible sets up to which the exact portfolio search simulates every one of them.
    public var exhaustiveSets = 64
    /// Samples simulated and samples taken from the baseline, over every run so far.
    public private(set) var simulated = 0, reused = 0

    public struct OptionError: Error, CustomStringConvertible {
        public var description: String
    }

    public init(base: PreparedScenario) {
        self.base = base
        resolution = LossResolution(scenario: base.scenario)
        options = base.scenario.mitigations
        var prepared: [Result<PreparedScenario, OptionError>] = []
        var footprints: [OptionFootprint] = []
        for option in options {
            // static mode: an option acting only through backups, repairs or crews is not
            // simulated (it would change no sample) but reported with the reason
            if let why = base.scenario.timedOnlyReason(option) {
                prepared.append(.failure(OptionError(description: why)))
                footprints.append(OptionFootprint())
                continue
            }
            do {
                let sc = try MitigationApplier.apply(option, to: base.scenario)
                prepared.append(.success(try PreparedScenario(sc)))
                footprints.append(OptionFootprint.of(option, base: base.scenario, applied: sc))
            } catch {
                prepared.append(.failure(OptionError(description: "\(error)")))
                footprints.append(OptionFootprint())
            }
        }
        // timed: an option that reorders an owner's repairs is involved wherever that owner is hit
        if let bt = base.timed {
            for k in options.indices {
                guard case .success(let p) = prepared[k], let t = p.timed else { continue }
                footprints[k].owners = Array(Set(footprints[k].owners + bt.ownersWithChangedRepairOrder(comparedTo: t))).sorted()
            }
        }
        self.prepared = prepared
        self.footprints = footprints
        watch = Array(Set(footprints.flatMap(\.failAssets))).sorted()
    }

    /// Per item and sample: 1 when the item (an option, or options applied together, compiled as
    /// `prepared` with footprint `footprint`) may change the sample. Draws the baseline's events
    /// and damage again, and the item's where it changes them (no cascade), on `threads` threads.
    /// - Complexity: O(samples × items × reached elements).
    func involvement(
        of items: [(footprint: OptionFootprint, prepared: PreparedScenario)], baseline: MonteCarloResult,
        threads: Int
    ) -> [[UInt8]] {
        let n = baseline.samples
        let nA = base.graph.assetCount, nE = nA + base.graph.linkCount
        let net = base.scenario.network
        let elemOwner = net.assets.common.owner.array + net.links.common.owner.array
        let logs = base.timed != nil
        // per item: marked elements (hit elements and elements of its owners), watch positions
        var marksBuilt: [[UInt8]] = [], watchPosBuilt: [[Int]] = []
        let watchIndex = Dictionary(uniqueKeysWithValues: watch.enumerated().map { ($1, $0) })
        for (f, _) in items {
            var m = [UInt8](repeating: 0, count: f.hitElements.isEmpty && f.owners.isEmpty ? 0 : nE)
            for x in f.hitElements where Int(x) < nE { m[Int(x)] = 1 }
            if !f.owners.isEmpty {
                let owners = Set(f.owners)
                for x in 0..<nE where owners.contains(elemOwner[x]) { m[x] = 1 }
            }
            marksBuilt.append(m)
            watchPosBuilt.append(f.failAssets.map { watchIndex[$0]! })
        }
        let marks = marksBuilt, watchPos = watchPosBuilt
        let threads = max(1, min(threads, n))
        let seed = base.scenario.simulation.seed
        let nW = watch.count
        var pool = WorkerPool(threads: threads) { InvolvementWorker(base: base.plan, items: items.map { $0.prepared.plan }) }
        // per chunk: item j, sample i at [j * chunk.count + i - chunk.lowerBound]
        let chunks = pool.forEachChunk(of: 0..<n) { w, chunk in
            var flags = [UInt8](repeating: 0, count: items.count * chunk.count)
            for i in chunk {
                w.sampleBase(i, seed: seed, timed: logs)
                for (j, item) in items.enumerated() {
                    let f = item.footprint
                    var hit = f.always != nil
                    if !hit && !marks[j].isEmpty {
                        for a in w.d.hitAssets where marks[j][Int(a)] != 0 { hit = true; break }
                        if !hit { for l in w.d.hitLinks where marks[j][nA + Int(l)] != 0 { hit = true; break } }
                    }
                    if !hit { for p in watchPos[j] where baseline.watchFailed[i * nW + p] != 0 { hit = true; break } }
                    if !hit && f.changesDamage { hit = w.sampleOwnDiffers(j, i, seed: seed, timed: logs) }
                    if hit { flags[j * chunk.count + i - chunk.lowerBound] = 1 }
                }
            }
            return flags
        }
        return items.indices.map { j in
            chunks.flatMap { flags -> ArraySlice<UInt8> in
                let c = flags.count / items.count
                return flags[(j * c)..<((j + 1) * c)]
            }
        }
    }

    /// The option scenario's loss per sample: the baseline's where `involved` is 0, simulated
    /// elsewhere (everywhere when `reuseSamples` is false).
    func losses(_ p: PreparedScenario, involved: [UInt8], baseline: MonteCarloResult, threads: Int) -> (loss: [Double], simulated: Int) {
        let n = baseline.samples
        let list = (0..<n).filter { !reuseSamples || involved[$0] != 0 }.map { Int32($0) }
        var loss = baseline.loss
        if !list.isEmpty {
            let l = p.engine().losses(of: list, threads: threads)
            for (k, i) in list.enumerated() { loss[Int(i)] = l[k] }
        }
        simulated += list.count
        reused += n - list.count
        return (loss, list.count)
    }

    /// Runs every option on the baseline's samples; `baseline` must come from an engine whose
    /// `watch` was `self.watch`. Options whose actions could not be applied are reported with
    /// `notEvaluated`.
    public func evaluate(baseline: MonteCarloResult, threads: Int, progress: (Int) -> Void = { _ in }) -> [OptionResult] {
        precondition(
            watch.isEmpty || baseline.watchFailed.count == baseline.samples * watch.count,
            "the baseline run did not watch the options' assets")
        let n = baseline.samples
        var usable: [Int] = [], items: [(footprint: OptionFootprint, prepared: PreparedScenario)] = []
        for k in options.indices { if case .success(let p) = prepared[k] { usable.append(k); items.append((footprints[k], p)) } }
        let involved = involvement(of: items, baseline: baseline, threads: threads)
        var results: [OptionResult] = []
        var losses: [[Double]?] = []
        for (k, option) in options.enumerated() {
            var r = OptionResult(
                id: option.id, cost: option.cost, lossReduction: .nan, ci95Low: .nan, ci95High: .nan,
                reductions: [], benefitCost: nil, benefitCostUnit: "", notEvaluated: nil)
            switch prepared[k] {
            case .failure(let e):
                r.notEvaluated = e.description
                losses.append(nil)
            case .success(let p):
                let (loss, count) = self.losses(p, involved: involved[usable.firstIndex(of: k)!], baseline: baseline, threads: threads)
                let (mean, low, high, d) = Self.paired(baseline.loss, loss, resolution)
                r.lossReduction = mean; r.ci95Low = low; r.ci95High = high; r.reductions = d
                r.simulatedSamples = count
                (r.benefitCost, r.benefitCostUnit) = Self.benefitCost(option, reduction: mean, scenario: base.scenario)
                losses.append(loss)
            }
            results.append(r)
            progress(results.count)
        }
        for i in results.indices {
            guard let li = losses[i] else { continue }
            for j in results.indices where j != i {
                guard let lj = losses[j] else { continue }
                let wins = (0..<n).filter { resolution.clean(lj[$0] - li[$0]) > 0 }.count
                results[i].beats.append((results[j].id, Double(wins) / Double(max(1, n))))
            }
        }
        return results
    }

    /// Mean of `base − option` per sample, its 95% t-interval (zero width for one sample), both on
    /// the resolution's decimal grid (`LossResolution.snapped`), and the differences.
    static func paired(_ base: [Double], _ option: [Double], _ resolution: LossResolution) -> (Double, Double, Double, [Double]) {
        let n = base.count
        let d = (0..<n).map { resolution.clean(base[$0] - option[$0]) }
        let mean = resolution.snapped(resolution.clean(d.reduce(0, +) / Double(max(1, n))))
        let ci = n > 1 ? Statistics.confidenceInterval95(mean: mean, sd: Statistics.sd(d), n: n) : (low: mean, high: mean)
        // on the resolution's grid, as rrw: equal effects summed in another order print and rank alike
        return (mean, resolution.snapped(ci.low), resolution.snapped(ci.high), d)
    }

    /// The options of `set` (indices) applied together, on the baseline's samples: simulated only
    /// where the joint option may change the sample (its own footprint: members touching one
    /// element can interact). nil when the joint scenario cannot be compiled.
    func joint(_ set: [Int], baseline: MonteCarloResult, threads: Int) -> (Double, Double, Double)? {
        let combined = Mitigation(
            id: set.map { options[$0].id }.joined(separator: "+"), cost: 0,
            actions: set.flatMap { options[$0].actions })
        guard let sc = try? MitigationApplier.apply(combined, to: base.scenario), let p = try? PreparedScenario(sc) else { return nil }
        var f = OptionFootprint.of(combined, base: base.scenario, applied: sc)
        if let bt = base.timed, let t = p.timed {
            f.owners = Array(Set(f.owners + bt.ownersWithChangedRepairOrder(comparedTo: t))).sorted()
        }
        let involved = involvement(of: [(f, p)], baseline: baseline, threads: threads)[0]
        let (loss, _) = losses(p, involved: involved, baseline: baseline, threads: threads)
        let (mean, low, high, _) = Self.paired(baseline.loss, loss, resolution)
        return (mean, low, high)
    }

    /// docs/specification.md section 6: with `value_per_people_hour` and `annual_rate` (timed mode, where the
    /// loss is in people-hours), the discounted value of the annual loss reduction over the
    /// lifetime divided by the discounted cost (investment plus discounted annual costs);
    /// otherwise loss reduction per million EUR.
    static func benefitCost(_ m: Mitigation, reduction: Double, scenario sc: Scenario) -> (Double?, String) {
        let unit = sc.simulation.mode == .timed ? "people-hours" : "people"
        if sc.simulation.mode == .timed, let value = sc.valuePerPeopleHour, let rate = sc.annualRate {
            let years = max(0, Int(m.lifetimeYears.rounded()))
            var annuity = 0.0
            for t in 1...max(1, years) where years > 0 { annuity += 1 / pow(1 + sc.discountRate, Double(t)) }
            let benefit = rate * reduction * value * annuity
            let cost = m.cost + m.annualCost * annuity
            return (cost > 0 ? benefit / cost : nil, "ratio")
        }
        return (m.cost > 0 ? reduction / (m.cost / 1e6) : nil, "\(unit) per million EUR")
    }
}

/// The best set of options within a budget, evaluated jointly (all their actions applied
/// together, so interactions count), by the largest mean loss reduction; ties: lower cost, then
/// fewer options, then ids in scenario order.
public struct Portfolio: Sendable {
    public var options: [String]
    public var cost: Double
    public var lossReduction: Double
    public var ci95Low: Double
    public var ci95High: Double
    /// "exact" (every set within the budget), "exact-maximal" (the maximal sets within the
    /// budget, then members that add nothing dropped) or "greedy" (more than 12 options).
    public var method: String
    /// Candidate sets simulated jointly.
    public var setsEvaluated = 0
}

extension OptionEvaluator {

    /// Searches the evaluated options with cost ≤ `budget` (docs/specification.md section 6).
    ///
    /// - At most 12 options: every subset within the budget when there are at most
    ///   `exhaustiveSets` of them ("exact"); beyond, only the maximal ones, the sets to which no
    ///   further option fits, after which members whose removal loses nothing are dropped, largest
    ///   cost first ("exact-maximal", docs/decisions.md #41). Every action of section 4 only
    ///   removes damage or adds supply, backup or repair capacity, so adding an option to a set
    ///   does not raise its loss and the best set is maximal up to members that add nothing.
    /// - More than 12: greedily, adding the option with the largest joint gain per euro that fits;
    ///   every step re-evaluates the chosen set jointly ("greedy").
    /// Singletons reuse `results`; an option that can change no sample (`OptionFootprint.isInert`,
    /// e.g. a backup in static mode) adds nothing to any set and is left out of the search.
    /// - Complexity: one joint run per evaluated set, each simulating only the samples in which
    ///   the set may change the outcome.
    public func portfolio(
        baseline: MonteCarloResult, results: [OptionResult], budget: Double, threads: Int,
        progress: (_ done: Int, _ total: Int) -> Void = { _, _ in }
    ) -> Portfolio? {
        let usable = results.indices.filter {
            results[$0].notEvaluated == nil && options[$0].cost <= budget && !footprints[$0].isInert
        }
        guard !usable.isEmpty else { return nil }
        var evaluatedSets = 0
        func joint(_ set: [Int]) -> (Double, Double, Double)? {
            if set.count == 1 { let r = results[set[0]]; return (r.lossReduction, r.ci95Low, r.ci95High) }
            evaluatedSets += 1
            return self.joint(set, baseline: baseline, threads: threads)
        }
        func cost(_ set: [Int]) -> Double { set.reduce(0) { $0 + options[$1].cost } }
        func better(_ a: (set: [Int], r: (Double, Double, Double)), than b: (set: [Int], r: (Double, Double, Double))?) -> Bool {
            guard let b else { return true }
            if a.r.0 != b.r.0 { return a.r.0 > b.r.0 }
            if cost(a.set) != cost(b.set) { return cost(a.set) < cost(b.set) }
            if a.set.count != b.set.count { return a.set.count < b.set.count }
            return a.set.lexicographicallyPrecedes(b.set)
        }
        var best: (set: [Int], r: (Double, Double, Double))? = nil
        var method = "exact"
        if usable.count <= 12 {
            var feasible: [[Int]] = []
            for mask in 1..<(1 << usable.count) {
                let set = usable.indices.filter { mask & (1 << $0) != 0 }.map { usable[$0] }
                if cost(set) <= budget { feasible.append(set) }
            }
            if feasible.count > exhaustiveSets {
                // only sets to which no further option fits, then members that add nothing dropped
                method = "exact-maximal"
                feasible = feasible.filter { set in usable.allSatisfy { set.contains($0) || cost(set) + options[$0].cost > budget } }
            }
            for (k, set) in feasible.enumerated() {
                defer { if k + 1 < feasible.count { progress(k + 1, feasible.count) } }
                guard let r = joint(set) else { continue }
                if better((set, r), than: best) { best = (set, r) }
            }
            if method == "exact-maximal", var b = best {
                var dropped = true
                while dropped && b.set.count > 1 {
                    dropped = false
                    for k in b.set.sorted(by: { options[$0].cost > options[$1].cost }) {
                        let smaller = b.set.filter { $0 != k }
                        if let r = joint(smaller), r.0 >= b.r.0 { b = (smaller, r); dropped = true; break }
                    }
                }
                best = b
            }
        } else {
            method = "greedy"
            var chosen: [Int] = [], current = 0.0
            while true {
                var step: (set: [Int], r: (Double, Double, Double), perEuro: Double)? = nil
                for k in usable where !chosen.contains(k) && cost(chosen + [k]) <= budget {
                    let set = (chosen + [k]).sorted()
                    guard let r = joint(set), r.0 > current else { continue }
                    let perEuro = (r.0 - current) / max(options[k].cost, 1)
                    if step == nil || perEuro > step!.perEuro { step = (set, r, perEuro) }
                }
                guard let s = step else { break }
                chosen = s.set; current = s.r.0
                best = (s.set, s.r)
            }
        }
        guard let b = best else { return nil }
        var p = Portfolio(
            options: b.set.map { options[$0].id }, cost: cost(b.set), lossReduction: b.r.0,
            ci95Low: b.r.1, ci95High: b.r.2, method: method)
        p.setsEvaluated = evaluatedSets
        return p
    }
}

/// One thread's sampler for `involvement`: the baseline's damage and each option's own, with
/// the events' logs in timed mode (each event's own hits matter there: start times and durations differ).
struct InvolvementWorker {
    let base: HazardPlan, items: [HazardPlan]
    let stream = RandomStream(seed: 0, index: 0)
    var d: SampleDamage, own: [SampleDamage]
    var log = EventLog(), ownLog = EventLog()

    init(base: HazardPlan, items: [HazardPlan]) {
        self.base = base; self.items = items
        d = base.makeDamage()
        own = items.map { $0.makeDamage() }
    }

    /// Samples the baseline's damage of sample i (and its log in timed mode).
    mutating func sampleBase(_ i: Int, seed: UInt64, timed: Bool) {
        if timed { base.sample(i, seed: seed, stream: stream, into: &d, log: &log) } else { base.sample(i, seed: seed, stream: stream, into: &d) }
    }

    /// Whether option j's own damage of sample i differs from the baseline's (or, in timed mode, its log).
    mutating func sampleOwnDiffers(_ j: Int, _ i: Int, seed: UInt64, timed: Bool) -> Bool {
        if timed {
            items[j].sample(i, seed: seed, stream: stream, into: &own[j], log: &ownLog)
        } else {
            items[j].sample(i, seed: seed, stream: stream, into: &own[j])
        }
        return own[j].hitAssets != d.hitAssets || own[j].hitLinks != d.hitLinks || (timed && ownLog != log)
    }
}
