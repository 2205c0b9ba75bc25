internal import CGSL

#if canImport(Glibc)
    internal import Glibc
#elseif canImport(Darwin)
    internal import Darwin
#endif

/// Closed-form distribution functions (CDFs, quantiles, fragility curves). All O(1).
///
/// Invalid arguments (e.g. `p` outside [0, 1], `dof <= 0`) return NaN rather than aborting:
/// GSL's error handler is off (see `GSL.initialize()`).
public enum Distributions {
    /// Standard normal CDF Φ(x) (`gsl_cdf_ugaussian_P`).
    public static func normalCDF(_ x: Double) -> Double {
        GSL.initialize()
        return gsl_cdf_ugaussian_P(x)
    }

    /// Standard normal quantile Φ⁻¹(p) (`gsl_cdf_ugaussian_Pinv`); ±∞ at p = 1 / 0, NaN outside [0, 1].
    public static func normalQuantile(_ p: Double) -> Double {
        GSL.initialize()
        return gsl_cdf_ugaussian_Pinv(p)
    }

    /// Lognormal CDF `Φ(ln(x / median) / beta)`; 0 for `x <= 0`; for `beta == 0` a step to 1 at `median`.
    public static func lognormalCDF(_ x: Double, median: Double, beta: Double) -> Double {
        if x.isNaN || median.isNaN || beta.isNaN { return .nan }
        if x <= 0 { return 0 }
        if beta == 0 { return x >= median ? 1 : 0 }
        GSL.initialize()
        return gsl_cdf_ugaussian_P(log(x / median) / beta)
    }

    /// Lognormal quantile `median · exp(beta · Φ⁻¹(p))`; `median` for `beta == 0`; NaN for p outside [0, 1].
    public static func lognormalQuantile(_ p: Double, median: Double, beta: Double) -> Double {
        guard p >= 0, p <= 1 else { return .nan }
        if beta == 0 { return median }
        GSL.initialize()
        return median * exp(beta * gsl_cdf_ugaussian_Pinv(p))
    }

    /// Probability of damage for a lognormal fragility curve: `Φ(ln(intensity / median) / beta)`.
    ///
    /// 0 for `intensity <= 0`; for `beta == 0` a step: 1 when `intensity >= median`, else 0.
    public static func fragility(intensity: Double, median: Double, beta: Double) -> Double {
        lognormalCDF(intensity, median: median, beta: beta)
    }

    /// Student-t quantile with `dof` degrees of freedom (`gsl_cdf_tdist_Pinv`); NaN for invalid input.
    public static func tQuantile(_ p: Double, dof: Double) -> Double {
        GSL.initialize()
        return gsl_cdf_tdist_Pinv(p, dof)
    }

    /// Mean of a lognormal with the given median and log-standard-deviation: `median · exp(beta² / 2)`.
    public static func lognormalMean(median: Double, beta: Double) -> Double {
        median * exp(beta * beta / 2)
    }
}
