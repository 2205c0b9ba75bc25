/// SplitMix64 mixing and counter-based helpers (Steele, Lea & Flood 2014; Vigna's `splitmix64.c`).
///
/// Pure Swift, no state, no allocation; all functions are `@inlinable` for hot loops.
public enum SplitMix64 {
    /// The SplitMix64 increment (golden-ratio constant).
    public static let gamma: UInt64 = 0x9E37_79B9_7F4A_7C15

    /// The SplitMix64 finaliser: a bijection on `UInt64`. O(1).
    ///
    /// `z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9; z = (z ^ (z >> 27)) &* 0x94D049BB133111EB; z ^ (z >> 31)`.
    @inlinable @inline(__always)
    public static func mix(_ z: UInt64) -> UInt64 {
        var z = z
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// The `(index + 1)`-th output of splitmix64 seeded with `seed`: `mix(seed &+ (index &+ 1) &* gamma)`. O(1).
    ///
    /// `at(seed: 0, index: 0) == 0xE220A8397B1DCDAF`. A reference implementation relies on this exact formula.
    @inlinable @inline(__always)
    public static func at(seed: UInt64, index: UInt64) -> UInt64 {
        mix(seed &+ (index &+ 1) &* gamma)
    }

    /// The top 53 bits of `x` as a double in [0, 1): `Double(x >> 11) * 0x1p-53`.
    @inlinable @inline(__always)
    public static func u01(_ x: UInt64) -> Double {
        Double(x >> 11) * 0x1p-53
    }

    /// An integer in `0..<n` from the top 32 bits of `x` (Lemire's multiply-shift, no rejection):
    /// `UInt32(((x >> 32) * UInt64(n)) >> 32)`. Bias is at most n / 2³².
    @inlinable @inline(__always)
    public static func randint(_ x: UInt64, _ n: UInt32) -> UInt32 {
        UInt32(truncatingIfNeeded: ((x >> 32) &* UInt64(n)) >> 32)
    }

    /// Start value of `hash(_:)`'s chain (fractional bits of √2).
    public static let hashStart: UInt64 = 0x6A09_E667_F3BC_C908

    /// Keyed, order-sensitive 64-bit hash of `words` for counter-based draws, e.g. `hash(seed, sample, rowKey)`.
    ///
    /// `h = hashStart; for w in words { h = mix((h ^ w) &+ gamma) }`. Not cryptographic; O(words.count).
    /// The fixed-arity overloads return the same value without the variadic array and are preferred
    /// (`@_disfavoredOverload` here), so `hash(1, 2)` with literals is not ambiguous.
    @inlinable @_disfavoredOverload
    public static func hash(_ words: UInt64...) -> UInt64 {
        var h = hashStart
        for w in words { h = mix((h ^ w) &+ gamma) }
        return h
    }

    /// `hash(_:)` of two words, without allocation.
    @inlinable @inline(__always)
    public static func hash(_ a: UInt64, _ b: UInt64) -> UInt64 {
        mix((mix((hashStart ^ a) &+ gamma) ^ b) &+ gamma)
    }

    /// `hash(_:)` of three words, without allocation.
    @inlinable @inline(__always)
    public static func hash(_ a: UInt64, _ b: UInt64, _ c: UInt64) -> UInt64 {
        mix((hash(a, b) ^ c) &+ gamma)
    }
}
