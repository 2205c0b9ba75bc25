import Foundation
import InfraModel

/// The smallest loss difference a run can resolve: differences below it are rounding, not findings.
///
/// Two simulations of the same sample that reach the same state can still report losses that
/// differ in the last bits (sums taken in another order, a timed integral split at more event
/// times). Such differences are about 10^-16 of the loss; a difference below `tolerance` is
/// therefore reported as exactly 0, so that it never becomes an owner pair, a ranking or a
/// sentence (docs/decisions.md "Figures below the run's resolution are 0").
///
/// `tolerance` = 10^-9 × the largest loss one sample can have: Σ over assets of the sector
/// weight × population (static mode, people), times the horizon in hours (timed mode,
/// people-hours). A real effect of one person for one hour in a town of 10^6 people over a week
/// (1.7 × 10^8 people-hours) is 6 × 10^-9 of that scale, so nothing a planner could act on is
/// lost; rounding noise (≈ 10^-16 × scale per operation) stays far below it.
public struct LossResolution: Sendable, Equatable {
    /// Differences with `|d| <= tolerance` are 0.
    public let tolerance: Double
    /// The decimal grid of `snapped`: 10^k, the largest power of ten not above `tolerance`, as
    /// (k, 10^|k|); nil when the tolerance is 0 or below 10^-22 (10^n is exact in a double
    /// only for n <= 22).
    private let grid: (exponent: Int, scale: Double)?

    /// The resolution of a run with this largest possible per-sample loss.
    public init(maximumLoss: Double) {
        tolerance = maximumLoss.isFinite ? 1e-9 * abs(maximumLoss) : 0
        if tolerance > 0 {
            let k = Int(log10(tolerance).rounded(.down))
            grid = k >= -22 ? (k, pow(10.0, Double(abs(k)))) : nil
        } else {
            grid = nil
        }
    }

    public static func == (a: Self, b: Self) -> Bool { a.tolerance == b.tolerance }

    /// The resolution of `scenario`'s loss: 10^-9 of its largest possible per-sample loss.
    /// - Complexity: O(assets).
    public init(scenario: Scenario) {
        var total = Self.weightedPeople(scenario)
        if scenario.simulation.mode == .timed { total *= scenario.simulation.horizonHours }
        self.init(maximumLoss: total)
    }

    /// The resolution of a static loss in `scenario` (weighted people, as N-1 impacts), whatever
    /// the simulation mode: 10^-9 of Σ weight × population.
    /// - Complexity: O(assets).
    public init(peopleOf scenario: Scenario) {
        self.init(maximumLoss: Self.weightedPeople(scenario))
    }

    /// Σ over assets of |sector weight| × population.
    private static func weightedPeople(_ scenario: Scenario) -> Double {
        let net = scenario.network
        let weight = net.sectors.names.map { scenario.weight(sector: $0) }
        var total = 0.0
        for a in 0..<net.assets.count {
            total += abs(weight[Int(net.assets.common.sector[a])]) * net.assets.population[a]
        }
        return total
    }

    /// `d`, or exactly 0 when it lies within the resolution.
    @inline(__always)
    public func clean(_ d: Double) -> Double { abs(d) <= tolerance ? 0 : d }

    /// `x` on the decimal grid of the resolution: rounded to a multiple of the largest power of
    /// ten not above `tolerance` (so it moves by at most half the tolerance). Two figures that
    /// are equal but for summation order (52.5 and 52.50000000000006) become the same double, so
    /// they tie in a ranking and print alike; `x` itself when the tolerance is 0 or below 10^-22.
    /// - Complexity: O(1); the grid is fixed at init.
    public func snapped(_ x: Double) -> Double {
        guard let g = grid, x.isFinite else { return x }
        // the scale is exact, so the division or product rounds once; + 0 turns -0 into 0
        return g.exponent < 0 ? (x * g.scale).rounded() / g.scale + 0.0 : (x / g.scale).rounded() * g.scale + 0.0
    }

    /// The mean of the per-sample differences `a[i] − b[i]`, each cleaned, and the mean cleaned.
    /// - Complexity: O(count).
    public func meanDifference(_ a: [Double], _ b: [Double]) -> Double {
        precondition(a.count == b.count)
        var sum = 0.0
        for i in a.indices { sum += clean(a[i] - b[i]) }
        return clean(sum / Double(max(1, a.count)))
    }
}
