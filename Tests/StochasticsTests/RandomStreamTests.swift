import Stochastics
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

private func draws(_ r: RandomStream, _ n: Int = 64) -> [Double] {
    (0..<n).map { _ in r.uniform() }
}

@Suite("RandomStream")
struct RandomStreamTests {
    @Test("stream (s, i) replays after reseed and from a fresh object")
    func replay() {
        let a = RandomStream(seed: 12345, index: 7)
        let first = draws(a, 2000) // > 624: crosses an mt19937 block regeneration
        let fresh = RandomStream(seed: 12345, index: 7)
        #expect(draws(fresh, 2000) == first)
        a.reseed(seed: 12345, index: 7)
        #expect(draws(a, 2000) == first)
        // Reseeding an object that sat on another stream gives the same values too.
        let b = RandomStream(seed: 99, index: 99)
        _ = draws(b, 10)
        b.reseed(seed: 12345, index: 7)
        #expect(b.seed == 12345 && b.index == 7)
        #expect(draws(b, 2000) == first)
    }

    @Test("different indices give different streams")
    func indicesDiffer() {
        let base = draws(RandomStream(seed: 1, index: 0))
        for i: UInt64 in 1...8 {
            #expect(draws(RandomStream(seed: 1, index: i)) != base, "index \(i)")
        }
    }

    @Test("seeds differing only in the high 32 bits give different streams")
    func fullSixtyFourBits() {
        let low = draws(RandomStream(seed: 0x0000_0000_0000_002A, index: 0))
        let high = draws(RandomStream(seed: 0x0000_0100_0000_002A, index: 0))
        let top = draws(RandomStream(seed: 0x8000_0000_0000_002A, index: 0))
        #expect(low != high)
        #expect(low != top)
        #expect(high != top)
        // Same for the index.
        #expect(draws(RandomStream(seed: 3, index: 5)) != draws(RandomStream(seed: 3, index: 5 | 1 << 50)))
    }

    @Test("draws stay in their documented ranges")
    func ranges() {
        let r = RandomStream(seed: 2024, index: 1)
        for _ in 0..<10_000 {
            let u = r.uniform()
            #expect(u >= 0 && u < 1)
            let v = r.uniformPositive()
            #expect(v > 0 && v < 1)
            let k = r.uniformInt(below: 7)
            #expect((0..<7).contains(k))
        }
        #expect(!(0..<1000).contains { _ in r.bernoulli(0) })
        #expect((0..<1000).allSatisfy { _ in r.bernoulli(1) })
        #expect(r.normal(mean: 3.5, sd: 0) == 3.5)
    }

    @Test("lognormal with beta 0 is exactly the median")
    func lognormalBetaZero() {
        let r = RandomStream(seed: 5, index: 5)
        for _ in 0..<100 { #expect(r.lognormal(median: 0.37, beta: 0) == 0.37) }
    }

    @Test("lognormal sample mean and variance match theory within 4 standard errors")
    func lognormalMoments() {
        // Theory (lognormal, ln X ~ N(ln m, b^2)): E[X^k] = m^k exp(k^2 b^2 / 2).
        let m = 2.0, b = 0.5, n = 200_000
        let r = RandomStream(seed: 77, index: 3)
        let x = (0..<n).map { _ in r.lognormal(median: m, beta: b) }
        func raw(_ k: Double) -> Double { pow(m, k) * exp(k * k * b * b / 2) }
        let mu = raw(1)
        #expect(mu == Distributions.lognormalMean(median: m, beta: b))
        let var2 = raw(2) - mu * mu
        let mu4 = raw(4) - 4 * mu * raw(3) + 6 * mu * mu * raw(2) - 3 * pow(mu, 4)
        let seMean = (var2 / Double(n)).squareRoot()
        let seVar = ((mu4 - var2 * var2) / Double(n)).squareRoot()
        #expect(abs(Statistics.mean(x) - mu) < 4 * seMean)
        #expect(abs(Statistics.variance(x) - var2) < 4 * seVar)
    }

    @Test("Weibull sample mean matches scale * Gamma(1 + 1/k) within 4 standard errors")
    func weibullMean() {
        // Theory: mean = scale * Γ(1 + 1/k), variance = scale² (Γ(1 + 2/k) − Γ(1 + 1/k)²).
        let scale = 3.0, k = 1.5, n = 200_000
        let r = RandomStream(seed: 11, index: 0)
        let x = (0..<n).map { _ in r.weibull(scale: scale, shape: k) }
        let mean = scale * tgamma(1 + 1 / k)
        let variance = scale * scale * (tgamma(1 + 2 / k) - pow(tgamma(1 + 1 / k), 2))
        #expect(abs(Statistics.mean(x) - mean) < 4 * (variance / Double(n)).squareRoot())
    }
}
