import Foundation
import ResultFiles

/// How the summaries print numbers: thousands separators, a unit on every figure, and no more
/// digits than the Monte Carlo error supports ("mean 275595 people" suggested a
/// precision of one person where the 95% CI spans ±20,000).
enum Figures {
    /// The rounding step for a mean with this 95% CI: two significant digits of the CI's half
    /// width (half width 22,758 → step 1,000), at least 0.001; nil without a CI.
    static func step(low: Double?, high: Double?) -> Double? {
        guard let low, let high, low.isFinite, high.isFinite, high > low else { return nil }
        let half = (high - low) / 2
        return max(0.001, pow(10, (log10(half)).rounded(.down) - 1))
    }

    /// `x` rounded to `step` with the decimals the step needs, grouped.
    static func rounded(_ x: Double, step: Double) -> String {
        let r = (x / step).rounded() * step
        let decimals = step >= 1 ? 0 : Int((-log10(step)).rounded(.up))
        return NumberText.grouped(r, decimals: decimals)
    }

    /// A figure without a CI: whole numbers from 10 up, three significant digits below.
    static func plain(_ x: Double?) -> String {
        guard let x, x.isFinite else { return "–" }
        if abs(x) >= 10 || x == x.rounded() { return NumberText.grouped(x) }
        let decimals = max(0, 2 - Int(log10(abs(x)).rounded(.down)))
        return NumberText.grouped(x, decimals: min(decimals, 6))
    }

    /// Three significant digits, grouped (a figure with no CI whose precision is not known):
    /// 2,521,037 → "2,520,000"; 9.313 → "9.31".
    static func approx(_ x: Double?) -> String {
        guard let x, x.isFinite else { return "–" }
        if x == 0 { return "0" }
        let step = pow(10, (log10(abs(x))).rounded(.down) - 2)
        return rounded(x, step: step)
    }

    /// The mean alone, rounded like `mean(_:low:high:unit:)` (no unit).
    static func roundedMean(_ m: Double?, low: Double?, high: Double?) -> String {
        guard let m, m.isFinite else { return "–" }
        guard let s = step(low: low, high: high) else { return plain(m) }
        return rounded(m, step: s)
    }

    /// "277,000 people (95% CI 254,000–300,000)": mean and interval rounded to the CI's
    /// precision; without a CI, the plain figure.
    static func mean(_ mean: Double?, low: Double?, high: Double?, unit: String) -> String {
        guard let mean, mean.isFinite else { return "–" }
        guard let s = step(low: low, high: high), let low, let high else { return plain(mean) + " " + unit }
        return rounded(mean, step: s) + " " + unit + " (95% CI " + rounded(low, step: s) + "–" + rounded(high, step: s) + ")"
    }

    /// Whole euros, grouped: "2,807,000 EUR".
    static func eur(_ x: Double?) -> String {
        guard let x, x.isFinite else { return "–" }
        return NumberText.grouped(x) + " EUR"
    }

    /// A share in percent, whole numbers ("<1%" for small positive shares).
    static func percent(_ part: Double, of whole: Double) -> String {
        guard whole > 0, part.isFinite else { return "–" }
        let p = part / whole * 100
        if p > 0 && p < 1 { return "<1%" }
        return NumberText.fixed(p, 0) + "%"
    }
}
