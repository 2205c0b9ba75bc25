import Stochastics
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

@Suite("Distributions")
struct DistributionsTests {
    @Test("standard normal CDF and quantile")
    func normal() {
        // Standard normal table: Φ(1.959964) = 0.975 (true value 0.9750000009, since Φ⁻¹(0.975) = 1.95996398454).
        #expect(abs(Distributions.normalCDF(1.959964) - 0.975) < 1e-9)
        // Φ⁻¹(0.975) = 1.959963984540054 (standard value, e.g. R qnorm(0.975) to 16 digits).
        #expect(abs(Distributions.normalQuantile(0.975) - 1.959963984540054) < 1e-12)
        #expect(Distributions.normalCDF(0) == 0.5)
        #expect(Distributions.normalQuantile(1.5).isNaN)
    }

    @Test("Student t quantile")
    func tQuantile() {
        // Standard t table: t(0.975, 9) = 2.262157162 (two-sided 95 %, 9 dof).
        #expect(abs(Distributions.tQuantile(0.975, dof: 9) - 2.262157162) < 1e-8)
        // t table: t(0.975, 99) = 1.984217.
        #expect(abs(Distributions.tQuantile(0.975, dof: 99) - 1.984217) < 1e-6)
    }

    @Test("lognormal CDF and quantile")
    func lognormal() {
        // At the median, ln(x / median) = 0, so the CDF is Φ(0) = 0.5 exactly.
        #expect(Distributions.lognormalCDF(3.2, median: 3.2, beta: 0.4) == 0.5)
        #expect(Distributions.lognormalCDF(0, median: 3.2, beta: 0.4) == 0)
        #expect(Distributions.lognormalCDF(-1, median: 3.2, beta: 0.4) == 0)
        // x = median · exp(beta · 1.959963984540054) sits at the 0.975 quantile.
        let x = 3.2 * exp(0.4 * 1.959963984540054)
        #expect(abs(Distributions.lognormalCDF(x, median: 3.2, beta: 0.4) - 0.975) < 1e-12)
        #expect(abs(Distributions.lognormalQuantile(0.975, median: 3.2, beta: 0.4) - x) < 1e-12)
        #expect(Distributions.lognormalQuantile(0.5, median: 3.2, beta: 0.4) == 3.2)
        #expect(Distributions.lognormalQuantile(0.1, median: 3.2, beta: 0) == 3.2)
        #expect(Distributions.lognormalCDF(3.19, median: 3.2, beta: 0) == 0)
        #expect(Distributions.lognormalCDF(3.2, median: 3.2, beta: 0) == 1)
        // Mean = median · exp(beta² / 2): 1 · exp(0.5) for beta = 1.
        #expect(Distributions.lognormalMean(median: 1, beta: 1) == exp(0.5))
    }

    @Test("fragility: 0 at no intensity, 0.5 at the median, a step for beta 0")
    func fragility() {
        #expect(Distributions.fragility(intensity: 0, median: 0.4, beta: 0.6) == 0)
        #expect(Distributions.fragility(intensity: -0.1, median: 0.4, beta: 0.6) == 0)
        #expect(Distributions.fragility(intensity: 0.4, median: 0.4, beta: 0.6) == 0.5)
        // Step at beta 0: below the median no damage, at or above it certain damage.
        #expect(Distributions.fragility(intensity: 0.3999999, median: 0.4, beta: 0) == 0)
        #expect(Distributions.fragility(intensity: 0.4, median: 0.4, beta: 0) == 1)
        #expect(Distributions.fragility(intensity: 2.0, median: 0.4, beta: 0) == 1)
        #expect(Distributions.fragility(intensity: 0, median: 0.4, beta: 0) == 0)
    }

    @Test("invalid GSL input returns NaN instead of aborting the process")
    func gslErrorDoesNotAbort() {
        // With GSL's default handler, gsl_cdf_tdist_Pinv(0.975, 0) calls abort() (checked with a C
        // program linked against the same libgsl). With the handler off it returns NaN.
        #expect(Distributions.tQuantile(0.975, dof: 0).isNaN)
        #expect(Distributions.tQuantile(0.975, dof: -3).isNaN)
    }
}
