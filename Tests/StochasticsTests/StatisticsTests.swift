import Stochastics
import TestSupport
import Testing

@Suite("Statistics")
struct StatisticsTests {
    @Test("mean, sample variance and sd against a hand example")
    func moments() {
        // [2, 4, 4, 4, 5, 5, 7, 9]: sum 40 → mean 5; squared deviations sum 32 → sample variance 32/7.
        let x: [Double] = [2, 4, 4, 4, 5, 5, 7, 9]
        #expect(Statistics.mean(x) == 5)
        #expect(abs(Statistics.variance(x) - 32.0 / 7.0) < 1e-14)
        #expect(abs(Statistics.sd(x) - (32.0 / 7.0).squareRoot()) < 1e-14)
        #expect(Statistics.mean([]).isNaN)
        #expect(Statistics.variance([4]) == 0)
    }

    @Test("sortInPlace and quantileSorted")
    func sortAndQuantile() {
        var x: [Double] = [5, -1, 3, 3, 10, 0]
        Statistics.sortInPlace(&x)
        #expect(x == [-1, 0, 3, 3, 5, 10])
        // GSL: position (n − 1)·p = 5 · 0.3 = 1.5 → halfway between x[1] = 0 and x[2] = 3.
        #expect(Statistics.quantileSorted(x, p: 0.3) == 1.5)
        #expect(Statistics.quantileSorted(x, p: 0) == -1)
        #expect(Statistics.quantileSorted(x, p: 1) == 10)
        #expect(Statistics.quantileSorted(x, p: 1.2).isNaN)
        #expect(Statistics.quantileSorted(x, p: -0.1).isNaN)
    }

    @Test("quantileSorted by position equals GSL's on the stored array, implicit zeros included")
    func quantileByPositionEqualsGSL() {
        var g = SeededGenerator(seed: 20261207)
        for n in [1, 2, 3, 10, 999] {
            var x = (0..<n).map { _ in g.unit() < 0.6 ? 0 : g.unit() * 100 }
            Statistics.sortInPlace(&x)
            let nonzero = x.filter { $0 != 0 }, zeros = n - nonzero.count
            for p in [0, 0.05, 0.5, 0.9, 0.95, 0.999, 1] {
                let byPosition = Statistics.quantileSorted(count: n, p: p) { $0 < zeros ? 0 : nonzero[$0 - zeros] }
                #expect(abs(byPosition - Statistics.quantileSorted(x, p: p)) <= 1e-12 * max(1, abs(byPosition)), "n \(n), p \(p)")
            }
        }
        #expect(Statistics.quantileSorted(count: 0, p: 0.5) { _ in 1 }.isNaN)
    }

    @Test("Summary of 1...100 against hand-computed values")
    func summaryOneToHundred() {
        // Fed in reverse to check that Summary sorts its copy.
        let values = (1...100).reversed().map(Double.init)
        let s = Summary.of(values)
        #expect(values.first == 100) // input untouched
        // Mean (1 + 100) / 2 = 50.5; sample variance n(n + 1)/12 = 100 · 101 / 12 = 841.666…
        #expect(s.mean == 50.5)
        #expect(abs(s.std - (2525.0 / 3.0).squareRoot()) < 1e-12)
        // GSL quantile: position 99·p, linear interpolation over values i + 1 at index i.
        #expect(s.p50 == 50.5) // 49.5 → 50.5
        #expect(abs(s.p90 - 90.1) < 1e-12) // 89.1 → 90.1
        #expect(abs(s.p95 - 95.05) < 1e-12) // 94.05 → 95.05
        #expect(abs(s.p99 - 99.01) < 1e-12) // 98.01 → 99.01
        // CVaR95: samples ≥ 95.05 are 96…100, mean 98.
        #expect(s.cvar95 == 98)
        // CI: 50.5 ± t(0.975, 99) · std / 10 with t(0.975, 99) = 1.984217 (t table).
        let half = 1.984217 * (2525.0 / 3.0).squareRoot() / 10
        #expect(abs(s.ci95Low - (50.5 - half)) < 1e-5)
        #expect(abs(s.ci95High - (50.5 + half)) < 1e-5)
    }

    @Test("confidence interval degenerates for n < 2; cvar of a constant tail")
    func edgeCases() {
        let ci = Statistics.confidenceInterval95(mean: 3, sd: 1, n: 1)
        #expect(ci.low == 3 && ci.high == 3)
        // n = 10, sd = 1: half-width t(0.975, 9)/√10 = 2.262157162/3.16227766 = 0.715357.
        let ci10 = Statistics.confidenceInterval95(mean: 0, sd: 1, n: 10)
        #expect(abs(ci10.high - 2.262157162 / 10.0.squareRoot()) < 1e-8)
        #expect(Statistics.cvar(sorted: [1, 1, 1, 1], level: 0.95) == 1)
        // level 0.9: position 3 · 0.9 = 2.7 → q = 7; only 10 is ≥ 7.
        #expect(Statistics.cvar(sorted: [0, 0, 0, 10], level: 0.9) == 10)
        // level 0.5: position 1.5 → q = 0; every sample is ≥ 0, mean 2.5.
        #expect(Statistics.cvar(sorted: [0, 0, 0, 10], level: 0.5) == 2.5)
    }

    @Test("a GSL status error is thrown, not an abort")
    func gslStatusThrows() {
        // gsl_sort_smallest returns GSL_EINVAL (4, "invalid argument supplied by user") when k > n;
        // with GSL's default handler it would abort the process.
        #expect(throws: StochasticsError.self) { try Statistics.smallest(5, of: [1, 2]) }
        do {
            _ = try Statistics.largest(3, of: [1])
            Issue.record("expected a StochasticsError")
        } catch {
            #expect(error.status == 4)
            #expect(error.message == "invalid argument supplied by user")
        }
        #expect((try? Statistics.smallest(2, of: [3, 1, 2])) == [1, 2])
        #expect((try? Statistics.largest(2, of: [3, 1, 2])) == [3, 2])
    }
}

/// Durations cut off by the horizon are counted, not dropped.
@Suite struct CensoredTests {
    /// 4 samples, 3 restored at 10, 20, 30 h, 1 not by the horizon. GSL positions (n − 1)·p:
    /// p50 → 1.5 → (20 + 30) / 2 = 25; p90 → 2.7 → needs the censored 4th value → beyond.
    /// Dropping the censored sample (the old summary) gave p50 = 20 and p90 = 28.
    @Test func quantilesCountCensoredSamples() {
        #expect(Censored.quantile(observed: [10, 20, 30], censored: 1, p: 0.5) == 25)
        #expect(Censored.quantile(observed: [10, 20, 30], censored: 1, p: 0.9) == nil)
        #expect(Censored.quantile(observed: [10, 20, 30], censored: 0, p: 0.9) == 28)
        // 30 of 40 never restored (the timed flood's water sector): the median is beyond
        #expect(Censored.quantile(observed: [Double](repeating: 0, count: 10), censored: 30, p: 0.5) == nil)
        #expect(Censored.quantile(observed: [Double](repeating: 0, count: 10), censored: 30, p: 0.2) == 0)
        // position exactly on the last observed value: no interpolation with the censored one
        #expect(Censored.quantile(observed: [1, 2], censored: 2, p: 1.0 / 3.0) == 2)
        #expect(Censored.quantile(observed: [], censored: 0, p: 0.5)?.isNaN == true)
    }

    /// Kaplan–Meier by hand. Durations 2, 3+, 4, 5+, 6 (+ censored). At 2: S = 1 − 1/5 = 0.8;
    /// 3+ leaves (4 → 3 at risk); at 4: S = 0.8 × (1 − 1/3) = 0.533; 5+ leaves; at 6: S = 0.533
    /// × (1 − 1/1) = 0 ≤ 0.5 → median 6. Ignoring censoring (all five ended) would give 4.
    @Test func kaplanMeierMedianByHand() {
        let d: [(hours: Double, censored: Bool)] = [(2, false), (3, true), (4, false), (5, true), (6, false)]
        #expect(Censored.kaplanMeierMedian(d) == 6)
        #expect(Censored.kaplanMeierMedian(d.map { ($0.hours, false) }) == 4)
        // more than half still running at their horizon: beyond the longest follow-up
        #expect(Censored.kaplanMeierMedian([(10, false), (20, true), (30, true)]) == nil)
        // exactly half ended at 10: S(10) = 0.5 → median 10
        #expect(Censored.kaplanMeierMedian([(10, false), (20, true)]) == 10)
        #expect(Censored.kaplanMeierMedian([]) == nil)
    }
}
