#if canImport(Glibc)
import Glibc
#endif
import InfraModel
import Simulation
import Stochastics

/// One mitigation option's paired comparison with the baseline (DESIGN.md section 6).
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
}

/// Evaluates mitigation options against the baseline on the same samples (common random
/// numbers: same seed and sample count; draws keyed by ids).
public enum OptionEvaluator {
    /// `simulate` runs a scenario exactly as the baseline was run (same mode, seed, samples).
    public static func evaluate(base: Scenario, baseline: MonteCarloResult,
                                simulate: (Scenario) throws -> MonteCarloResult) -> [OptionResult] {
        let n = baseline.samples
        var results: [OptionResult] = []
        var losses: [[Double]?] = []
        for option in base.mitigations {
            var r = OptionResult(id: option.id, cost: option.cost, lossReduction: .nan, ci95Low: .nan, ci95High: .nan,
                                 reductions: [], benefitCost: nil, benefitCostUnit: "", notEvaluated: nil)
            do {
                let sc = try MitigationApplier.apply(option, to: base)
                let out = try simulate(sc)
                precondition(out.samples == n, "an option ran \(out.samples) samples, the baseline \(n)")
                let d = (0..<n).map { baseline.loss[$0] - out.loss[$0] }
                let mean = d.reduce(0, +) / Double(max(1, n))
                let sd = n > 1 ? Statistics.sd(d) : 0
                let ci = n > 1 ? Statistics.confidenceInterval95(mean: mean, sd: sd, n: n) : (low: mean, high: mean)
                r.lossReduction = mean; r.ci95Low = ci.low; r.ci95High = ci.high; r.reductions = d
                (r.benefitCost, r.benefitCostUnit) = benefitCost(option, reduction: mean, scenario: base)
                losses.append(out.loss)
            } catch {
                r.notEvaluated = "\(error)"
                losses.append(nil)
            }
            results.append(r)
        }
        for i in results.indices {
            guard let li = losses[i] else { continue }
            for j in results.indices where j != i {
                guard let lj = losses[j] else { continue }
                let wins = (0..<n).filter { li[$0] < lj[$0] }.count
                results[i].beats.append((results[j].id, Double(wins) / Double(max(1, n))))
            }
        }
        return results
    }

    /// DESIGN.md section 6: with `value_per_people_hour` and `annual_rate` (timed mode, where the
    /// loss is in people-hours), the discounted value
    /// of the annual loss reduction over the lifetime divided by the discounted cost (investment
    /// plus discounted annual costs); otherwise loss reduction per million EUR.
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
    /// "exact" (every set within the budget, up to 12 options) or "greedy".
    public var method: String
}

extension OptionEvaluator {
    /// Searches the evaluated options with cost ≤ `budget`: every subset when there are at most
    /// 12 (DESIGN.md section 6), else greedily (add the option with the largest joint gain per
    /// euro that fits; every step re-evaluates the chosen set jointly). Singletons reuse `results`.
    /// - Complexity: one simulation per subset within the budget (at most 2¹² − 1), or per
    ///   candidate and step when greedy.
    public static func portfolio(base: Scenario, baseline: MonteCarloResult, results: [OptionResult], budget: Double,
                                 simulate: (Scenario) throws -> MonteCarloResult) -> Portfolio? {
        let options = base.mitigations
        let usable = results.indices.filter { results[$0].notEvaluated == nil && options[$0].cost <= budget }
        guard !usable.isEmpty else { return nil }
        let n = baseline.samples
        func joint(_ set: [Int]) -> (Double, Double, Double)? {
            if set.count == 1 { let r = results[set[0]]; return (r.lossReduction, r.ci95Low, r.ci95High) }
            let combined = Mitigation(id: set.map { options[$0].id }.joined(separator: "+"), cost: 0,
                                      actions: set.flatMap { options[$0].actions })
            guard let sc = try? MitigationApplier.apply(combined, to: base), let out = try? simulate(sc) else { return nil }
            let d = (0..<n).map { baseline.loss[$0] - out.loss[$0] }
            let mean = d.reduce(0, +) / Double(max(1, n))
            let ci = n > 1 ? Statistics.confidenceInterval95(mean: mean, sd: Statistics.sd(d), n: n) : (low: mean, high: mean)
            return (mean, ci.low, ci.high)
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
            for mask in 1..<(1 << usable.count) {
                let set = usable.indices.filter { mask & (1 << $0) != 0 }.map { usable[$0] }
                guard cost(set) <= budget, let r = joint(set) else { continue }
                if better((set, r), than: best) { best = (set, r) }
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
        return Portfolio(options: b.set.map { options[$0].id }, cost: cost(b.set), lossReduction: b.r.0,
                         ci95Low: b.r.1, ci95High: b.r.2, method: method)
    }
}
