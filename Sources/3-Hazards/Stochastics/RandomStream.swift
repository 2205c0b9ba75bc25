internal import CGSL

#if canImport(Glibc)
    internal import Glibc
#elseif canImport(Darwin)
    internal import Darwin
#endif

/// One reproducible random stream: a GSL mt19937 generator keyed by `(seed, index)`.
///
/// Not `Sendable`: use one stream per task (or per chunk of work), never share one across threads.
///
/// **Seeding.** Stream `(seed, index)` is fully determined by `key = SplitMix64.hash(seed, index)`,
/// so all 128 bits of `(seed, index)` matter. `gsl_rng_set` would use only 32 bits of a seed, so
/// instead the 624 mt19937 state words are written directly: word `k` is
/// `SplitMix64.at(seed: key, index: k) & 0xFFFF_FFFF` for `k` in `0..<624`, and `mti = 624`
/// (the next draw regenerates the block). If all 624 words were zero, word 0 is set to
/// `0x8000_0000`, as mt19937 requires a non-zero state. The state layout is GSL 2.x's `mt_state_t`,
/// mirrored in `shim.h` and checked against `gsl_rng_size` at initialisation.
/// (`gsl_rng_set` is not called: every word it would write is overwritten.)
///
/// Draw methods do not allocate; `reseed(seed:index:)` reuses the generator.
public final class RandomStream {
    private let rng: UnsafeMutablePointer<gsl_rng>
    private let words: UnsafeMutablePointer<CUnsignedLong>
    private let state: UnsafeMutablePointer<kaskada_mt19937_state>

    /// The seed of the stream's current key.
    public private(set) var seed: UInt64
    /// The index of the stream's current key.
    public private(set) var index: UInt64

    /// Allocates an mt19937 generator positioned at the start of stream `(seed, index)`. O(624).
    public init(seed: UInt64, index: UInt64) {
        GSL.initialize()
        guard let rng = gsl_rng_alloc(kaskada_rng_mt19937()) else {
            fatalError("Stochastics: gsl_rng_alloc failed (out of memory)")
        }
        guard let state = kaskada_mt19937_state_of(rng) else {
            fatalError("Stochastics: GSL's mt19937 state layout differs from shim.h (gsl_rng_size = \(gsl_rng_size(rng)))")
        }
        self.rng = rng
        self.state = state
        self.words = kaskada_mt19937_words(state)
        self.seed = seed
        self.index = index
        fill()
    }

    deinit {
        gsl_rng_free(rng)
    }

    /// Repositions this generator at the start of stream `(seed, index)`, without allocation. O(624).
    public func reseed(seed: UInt64, index: UInt64) {
        self.seed = seed
        self.index = index
        fill()
    }

    private func fill() {
        let key = SplitMix64.hash(seed, index)
        var any: CUnsignedLong = 0
        for k in 0..<Int(KASKADA_MT19937_N) {
            let w = CUnsignedLong(truncatingIfNeeded: SplitMix64.at(seed: key, index: UInt64(k)) & 0xFFFF_FFFF)
            words[k] = w
            any |= w
        }
        if any == 0 { words[0] = 0x8000_0000 }
        kaskada_mt19937_set_mti(state, KASKADA_MT19937_N)
    }

    /// A double in [0, 1) with 32 random bits (`gsl_rng_uniform`). O(1), no allocation.
    public func uniform() -> Double {
        gsl_rng_uniform(rng)
    }

    /// A double in (0, 1), never 0 (`gsl_rng_uniform_pos`). O(1).
    public func uniformPositive() -> Double {
        gsl_rng_uniform_pos(rng)
    }

    /// A normal variate `mean + sd · N(0,1)` (`gsl_ran_gaussian_ziggurat`). O(1), no allocation.
    public func normal(mean: Double = 0, sd: Double = 1) -> Double {
        mean + gsl_ran_gaussian_ziggurat(rng, sd)
    }

    /// A lognormal variate `exp(ln median + beta · N(0,1))`; `beta == 0` gives exactly `median`.
    ///
    /// Always consumes one normal draw, so the stream position does not depend on `beta`.
    public func lognormal(median: Double, beta: Double) -> Double {
        let z = gsl_ran_gaussian_ziggurat(rng, 1.0)
        return beta == 0 ? median : exp(log(median) + beta * z)
    }

    /// A Weibull variate with the given scale and shape (`gsl_ran_weibull`); mean `scale · Γ(1 + 1/shape)`.
    public func weibull(scale: Double, shape: Double) -> Double {
        gsl_ran_weibull(rng, scale, shape)
    }

    /// A uniform integer in `0..<n` (`gsl_rng_uniform_int`, unbiased). Requires `1 <= n <= 2³²`.
    public func uniformInt(below n: Int) -> Int {
        precondition(n > 0 && n <= 1 << 32, "uniformInt(below:) needs 1 <= n <= 2^32, got \(n)")
        return Int(gsl_rng_uniform_int(rng, CUnsignedLong(n)))
    }

    /// `true` with probability `p` (`gsl_ran_bernoulli`: `uniform() < p`); `p <= 0` never, `p >= 1` always.
    public func bernoulli(_ p: Double) -> Bool {
        gsl_ran_bernoulli(rng, p) != 0
    }
}

/// Streams hold a mutable C generator: one per task, never shared.
@available(*, unavailable)
extension RandomStream: Sendable {}
