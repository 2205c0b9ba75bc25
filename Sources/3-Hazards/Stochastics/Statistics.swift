internal import CGSL

#if canImport(Glibc)
    internal import Glibc
#elseif canImport(Darwin)
    internal import Darwin
#endif

/// Sample statistics over `UnsafeBufferPointer<Double>` and `[Double]`.
///
/// Empty input gives NaN; functions named `…Sorted`/`sorted:` require ascending order (not checked).
public enum Statistics {
    /// Arithmetic mean (`gsl_stats_mean`, a running mean). O(n); NaN when empty.
    public static func mean(_ x: UnsafeBufferPointer<Double>) -> Double {
        guard let base = x.baseAddress, !x.isEmpty else { return .nan }
        GSL.initialize()
        return gsl_stats_mean(base, 1, x.count)
    }

    /// Arithmetic mean. O(n); NaN when empty.
    public static func mean(_ x: [Double]) -> Double {
        x.withUnsafeBufferPointer { mean($0) }
    }

    /// Sample variance with the n − 1 denominator (`gsl_stats_variance`). O(n); NaN when empty, 0 for one value.
    public static func variance(_ x: UnsafeBufferPointer<Double>) -> Double {
        guard let base = x.baseAddress, !x.isEmpty else { return .nan }
        if x.count == 1 { return 0 }
        GSL.initialize()
        return gsl_stats_variance(base, 1, x.count)
    }

    /// Sample variance with the n − 1 denominator. O(n); NaN when empty, 0 for one value.
    public static func variance(_ x: [Double]) -> Double {
        x.withUnsafeBufferPointer { variance($0) }
    }

    /// Sample standard deviation, √variance. O(n).
    public static func sd(_ x: UnsafeBufferPointer<Double>) -> Double {
        variance(x).squareRoot()
    }

    /// Sample standard deviation, √variance. O(n).
    public static func sd(_ x: [Double]) -> Double {
        variance(x).squareRoot()
    }

    /// Quantile of ascending data by GSL's definition (`gsl_stats_quantile_from_sorted_data`):
    /// linear interpolation at position (n − 1)·p. O(1); NaN when empty or p outside [0, 1].
    public static func quantileSorted(_ sorted: UnsafeBufferPointer<Double>, p: Double) -> Double {
        guard let base = sorted.baseAddress, !sorted.isEmpty, p >= 0, p <= 1 else { return .nan }
        GSL.initialize()
        return gsl_stats_quantile_from_sorted_data(base, 1, sorted.count, p)
    }

    /// Quantile of ascending data at position (n − 1)·p, linearly interpolated. O(1).
    public static func quantileSorted(_ sorted: [Double], p: Double) -> Double {
        sorted.withUnsafeBufferPointer { quantileSorted($0, p: p) }
    }

    /// GSL's quantile rule for `count` ascending values given by position (`value(k)`), for data
    /// that is never stored whole, such as a run's values with its zeros left implicit: the same
    /// figure as `gsl_stats_quantile_from_sorted_data` on the stored array (a test compares them).
    /// O(1) calls of `value`; NaN when empty or p outside [0, 1].
    public static func quantileSorted(count n: Int, p: Double, value: (Int) -> Double) -> Double {
        guard n > 0, p >= 0, p <= 1 else { return .nan }
        let f = p * Double(n - 1)
        let lo = Int(f.rounded(.down)), delta = f - Double(lo)
        return lo + 1 < n ? (1 - delta) * value(lo) + delta * value(lo + 1) : value(lo)
    }

    /// Sorts ascending in place (`gsl_sort`, heapsort, no allocation). O(n log n). NaNs give an unspecified order.
    public static func sortInPlace(_ x: UnsafeMutableBufferPointer<Double>) {
        guard let base = x.baseAddress, x.count > 1 else { return }
        GSL.initialize()
        gsl_sort(base, 1, x.count)
    }

    /// Sorts ascending in place (`gsl_sort`). O(n log n).
    public static func sortInPlace(_ x: inout [Double]) {
        x.withUnsafeMutableBufferPointer { sortInPlace($0) }
    }

    /// The `k` smallest values in ascending order (`gsl_sort_smallest`). O(k·n).
    /// - Throws: `StochasticsError` (`GSL_EINVAL`) when `k` exceeds `x.count`.
    public static func smallest(_ k: Int, of x: [Double]) throws(StochasticsError) -> [Double] {
        try select(k, of: x, largest: false)
    }

    /// The `k` largest values in descending order (`gsl_sort_largest`). O(k·n).
    /// - Throws: `StochasticsError` (`GSL_EINVAL`) when `k` exceeds `x.count`.
    public static func largest(_ k: Int, of x: [Double]) throws(StochasticsError) -> [Double] {
        try select(k, of: x, largest: true)
    }

    private static func select(_ k: Int, of x: [Double], largest: Bool) throws(StochasticsError) -> [Double] {
        precondition(k >= 0, "k must be non-negative")
        GSL.initialize()
        var out = [Double](repeating: 0, count: k)
        let status = out.withUnsafeMutableBufferPointer { dest in
            x.withUnsafeBufferPointer { src in
                // GSL reads neither pointer when k == 0 or n == 0; give it valid dummies anyway.
                var dummy = 0.0
                return withUnsafeMutablePointer(to: &dummy) { d in
                    let dp = dest.baseAddress ?? d
                    let sp = UnsafePointer(src.baseAddress ?? UnsafePointer(d))
                    return largest
                        ? gsl_sort_largest(dp, k, sp, 1, src.count)
                        : gsl_sort_smallest(dp, k, sp, 1, src.count)
                }
            }
        }
        try GSL.check(status, largest ? "largest(_:of:)" : "smallest(_:of:)")
        return out
    }

    /// 95 % confidence interval of a mean: `mean ± t(0.975, n − 1) · sd / √n`; `(mean, mean)` for n < 2. O(1).
    public static func confidenceInterval95(mean: Double, sd: Double, n: Int) -> (low: Double, high: Double) {
        guard n >= 2 else { return (mean, mean) }
        let half = Distributions.tQuantile(0.975, dof: Double(n - 1)) * sd / Double(n).squareRoot()
        return (mean - half, mean + half)
    }

    /// Conditional value at risk: mean of the sorted samples at or above the `level`-quantile. O(log n + tail).
    ///
    /// The quantile is `quantileSorted(sorted, p: level)`. NaN when empty or `level` outside [0, 1].
    public static func cvar(sorted: UnsafeBufferPointer<Double>, level: Double = 0.95) -> Double {
        let q = quantileSorted(sorted, p: level)
        if q.isNaN { return .nan }
        // First index with sorted[i] >= q (binary search; the maximum is always >= q).
        var lo = 0
        var hi = sorted.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if sorted[mid] < q { lo = mid + 1 } else { hi = mid }
        }
        return mean(UnsafeBufferPointer(rebasing: sorted[lo...]))
    }

    /// Conditional value at risk of ascending samples at `level` (default 0.95).
    public static func cvar(sorted: [Double], level: Double = 0.95) -> Double {
        sorted.withUnsafeBufferPointer { cvar(sorted: $0, level: level) }
    }
}

/// Summary statistics of a Monte Carlo sample.
public struct Summary: Sendable, Equatable, Codable {
    /// Arithmetic mean.
    public var mean: Double
    /// Sample standard deviation (n − 1).
    public var std: Double
    /// Lower end of the 95 % confidence interval of the mean (Student t).
    public var ci95Low: Double
    /// Upper end of the 95 % confidence interval of the mean (Student t).
    public var ci95High: Double
    /// Median (GSL quantile definition, (n − 1)·p interpolation).
    public var p50: Double
    /// 90th percentile.
    public var p90: Double
    /// 95th percentile.
    public var p95: Double
    /// 99th percentile.
    public var p99: Double
    /// Mean of the samples at or above the 95th percentile.
    public var cvar95: Double

    /// Memberwise initialiser.
    public init(
        mean: Double, std: Double, ci95Low: Double, ci95High: Double,
        p50: Double, p90: Double, p95: Double, p99: Double, cvar95: Double
    ) {
        self.mean = mean
        self.std = std
        self.ci95Low = ci95Low
        self.ci95High = ci95High
        self.p50 = p50
        self.p90 = p90
        self.p95 = p95
        self.p99 = p99
        self.cvar95 = cvar95
    }

    /// Summarises `values` (sorts a copy; the input is untouched). O(n log n). All NaN when empty.
    public static func of(_ values: [Double]) -> Summary {
        var sorted = values
        Statistics.sortInPlace(&sorted)
        return sorted.withUnsafeBufferPointer { s in
            let m = Statistics.mean(s)
            let sd = Statistics.sd(s)
            let ci = s.isEmpty ? (low: Double.nan, high: Double.nan) : Statistics.confidenceInterval95(mean: m, sd: sd, n: s.count)
            return Summary(
                mean: m, std: sd, ci95Low: ci.low, ci95High: ci.high,
                p50: Statistics.quantileSorted(s, p: 0.50),
                p90: Statistics.quantileSorted(s, p: 0.90),
                p95: Statistics.quantileSorted(s, p: 0.95),
                p99: Statistics.quantileSorted(s, p: 0.99),
                cvar95: Statistics.cvar(sorted: s, level: 0.95))
        }
    }
}
