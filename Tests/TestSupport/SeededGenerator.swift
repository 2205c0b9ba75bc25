import Stochastics

/// SplitMix64 (Steele, Lea & Flood 2014) as a seeded `RandomNumberGenerator` for randomised tests:
/// the same seed gives the same sequence, so a failure can be replayed from its seed. Output k
/// (from 0) is `SplitMix64.at(seed:index: k)`, the same stream the engine's keyed draws use.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    public private(set) var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= SplitMix64.gamma
        return SplitMix64.mix(state)
    }

    /// A uniform in [0, 1) from the top 53 bits of the next output.
    public mutating func unit() -> Double { SplitMix64.u01(next()) }
}
