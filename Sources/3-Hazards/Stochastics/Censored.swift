/// Statistics of durations that a finite horizon cuts off (right-censored observations).
///
/// A restoration time or an outage that has not ended by the simulation's horizon is not "168 h":
/// it is "more than what was observed". Dropping such samples (or counting them at the horizon)
/// makes a sector that stays down in most samples look quickly restored. These estimators count
/// them as what they are (Kaplan & Meier 1958, "Nonparametric estimation from incomplete
/// observations", J. Am. Stat. Assoc. 53:457–481).
public enum Censored {
    /// The p-quantile (GSL definition: position (n − 1)·p, linear interpolation) of n values of
    /// which `observed` (ascending) are known and the other `censored` all lie beyond one common
    /// horizon. With one censoring time for all samples the Kaplan–Meier estimate is the empirical
    /// distribution, so this is exact; nil when the quantile lies beyond the horizon (it needs
    /// a censored value), NaN when there are no values at all. O(1).
    public static func quantile(observed: [Double], censored: Int, p: Double) -> Double? {
        let n = observed.count + censored
        guard n > 0, p >= 0, p <= 1 else { return .nan }
        let f = p * Double(n - 1)
        let lo = Int(f.rounded(.down)), delta = f - Double(lo)
        guard lo < observed.count else { return nil }
        if delta == 0 || lo + 1 >= n { return observed[lo] }
        guard lo + 1 < observed.count else { return nil }
        return (1 - delta) * observed[lo] + delta * observed[lo + 1]
    }

    /// The Kaplan–Meier median of durations with individual censoring times: the smallest
    /// observed duration t at which the estimated survival S(t) = Π (1 − d_i / n_i) falls to 0.5
    /// or below (d_i ends at t_i, n_i durations still running just before t_i; a censored
    /// duration leaves the risk set after its time). nil when S stays above 0.5: the median lies
    /// beyond the longest follow-up. `durations` need not be sorted. O(n log n).
    public static func kaplanMeierMedian(_ durations: [(hours: Double, censored: Bool)]) -> Double? {
        let sorted = durations.sorted { $0.hours != $1.hours ? $0.hours < $1.hours : (!$0.censored && $1.censored) }
        var atRisk = sorted.count, survival = 1.0, k = 0
        while k < sorted.count {
            let t = sorted[k].hours
            var ended = 0, cut = 0
            while k < sorted.count && sorted[k].hours == t {
                if sorted[k].censored { cut += 1 } else { ended += 1 }
                k += 1
            }
            if ended > 0 {
                survival *= 1 - Double(ended) / Double(atRisk)
                if survival <= 0.5 { return t }
            }
            atRisk -= ended + cut
        }
        return nil
    }
}
