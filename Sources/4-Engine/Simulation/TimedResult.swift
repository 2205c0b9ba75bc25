import Stochastics

/// What a timed Monte Carlo run adds to `MonteCarloResult` (docs/specification.md sections 5, 6 and 8).
public struct TimedResult: Sendable {
    public var horizonHours: Double
    public var stepHours: Double
    /// People-hours without service, `peopleHours[s][i]` for sector s in sample i (over [0, horizon]).
    public var peopleHours: [[Double]]
    /// Per sector and sample: the first time after which at least 95% of the sector's population
    /// has service until the horizon; NaN when that never happens (censored).
    public var restore95: [[Double]]
    /// Per sample: the times at which the people without service changed (the first is 0), and
    /// after each the people without service per sector (`curvePeople[i][k * sectors + s]`).
    public var curveTimes: [[Double]]
    public var curvePeople: [[Double]]
    /// Per asset: mean hours not working within the horizon, and the 90th percentile over samples.
    public var meanOutageHours: [Double]
    public var p90OutageHours: [Double]
    /// States computed (one per distinct change time, plus re-runs after a backup refilled), summed
    /// over the samples: the work of a timed run, for run.log and benchmarks (not a result file).
    public var stateComputations: Int64 = 0
    /// Per asset: the median of its outage hours over the samples in which it was out (0: never
    /// out); Kaplan–Meier when some outages were still running at the horizon, NaN when the
    /// median lies beyond the horizon (docs/decisions.md "Censored times").
    public var medianOutageHoursWhenOut: [Double] = []

    public init(
        horizonHours: Double, stepHours: Double, peopleHours: [[Double]], restore95: [[Double]],
        curveTimes: [[Double]], curvePeople: [[Double]], meanOutageHours: [Double], p90OutageHours: [Double]
    ) {
        self.horizonHours = horizonHours; self.stepHours = stepHours
        self.peopleHours = peopleHours; self.restore95 = restore95
        self.curveTimes = curveTimes; self.curvePeople = curvePeople
        self.meanOutageHours = meanOutageHours; self.p90OutageHours = p90OutageHours
    }

    /// One row of `timeline.csv`.
    public struct TimelineRow: Sendable, Equatable {
        public var hours: Double
        public var sector: Int
        public var mean: Double
        public var p05: Double
        public var p95: Double
    }

    /// The grid times 0, step, 2·step, … up to the horizon (the horizon itself included when it
    /// falls on the grid, to within 1e-9 steps).
    public var gridTimes: [Double] {
        let k = Int((horizonHours / stepHours + 1e-9).rounded(.down))
        return (0...k).map { Double($0) * stepHours }
    }

    /// People without service per sector at each grid time, across samples: mean (summed in
    /// sample order), 5th and 95th percentiles (GSL's quantile definition: linear between order
    /// statistics). A sample's value at time t is the one in effect after its last change at or
    /// before t.
    /// - Complexity: O(grid × sectors × samples) with a selection per quantile (no sort).
    public func timeline(sectors: Int) -> [TimelineRow] {
        let n = curveTimes.count
        guard n > 0 else { return [] }
        var cursor = [Int](repeating: 0, count: n)
        var values = [Double](repeating: 0, count: n)
        var rows: [TimelineRow] = []
        let grid = gridTimes
        rows.reserveCapacity(grid.count * sectors)
        for t in grid {
            for i in 0..<n {
                let times = curveTimes[i]
                var k = cursor[i]
                while k + 1 < times.count && times[k + 1] <= t { k += 1 }
                cursor[i] = k
            }
            for s in 0..<sectors {
                var sum = 0.0
                for i in 0..<n {
                    let v = curvePeople[i].isEmpty ? 0 : curvePeople[i][cursor[i] * sectors + s]
                    values[i] = v
                    sum += v
                }
                Statistics.sortInPlace(&values) // one sort for both quantiles
                let p05 = Statistics.quantileSorted(values, p: 0.05), p95 = Statistics.quantileSorted(values, p: 0.95)
                rows.append(TimelineRow(hours: t, sector: s, mean: sum / Double(n), p05: p05, p95: p95))
            }
        }
        return rows
    }

    /// The p-quantile of `v` by GSL's rule (`Statistics.quantileSorted`: position (n − 1)·p,
    /// linear between neighbours); sorts `v` in place. O(n log n); NaN when `v` is empty.
    public static func quantile(_ v: inout [Double], _ p: Double) -> Double {
        Statistics.sortInPlace(&v)
        return Statistics.quantileSorted(v, p: p)
    }
}
