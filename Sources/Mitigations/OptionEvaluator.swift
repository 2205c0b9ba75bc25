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
