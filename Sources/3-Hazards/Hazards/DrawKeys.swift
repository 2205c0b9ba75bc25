import Stochastics

/// Keys of the counter-based ("keyed") uniforms that Hazards draws per element and per dependency
/// row. A key depends only on ids and names, never on table positions or interning order, so
/// adding, removing or reordering rows of any input file changes no other element's or row's draw.
///
/// The uniform of key `k` in sample `i` of seed `s` is `SplitMix64.u01(SplitMix64.hash(s, UInt64(i), k))`.
public enum DrawKeys {
    /// Bit 63 separates dependency-row keys (set) from event-element keys (clear).
    public static let rowBit: UInt64 = 1 << 63

    /// The key of an id or a name: `SplitMix64.hash(w0, w1, …, w(m−1), UInt64(byteCount))` over its
    /// UTF-8 bytes read as little-endian 8-byte words, the last one zero-padded. O(length).
    public static func nameKey<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> UInt64 {
        var h = SplitMix64.hashStart
        var w: UInt64 = 0
        var k: UInt64 = 0
        for b in bytes {
            w |= UInt64(b) << (8 * k)
            k += 1
            if k == 8 { h = SplitMix64.mix((h ^ w) &+ SplitMix64.gamma); w = 0; k = 0 }
        }
        if k > 0 { h = SplitMix64.mix((h ^ w) &+ SplitMix64.gamma) }
        return SplitMix64.mix((h ^ UInt64(bytes.count)) &+ SplitMix64.gamma)
    }

    /// `nameKey` of a string's UTF-8 bytes.
    public static func nameKey(_ s: String) -> UInt64 {
        var s = s
        return s.withUTF8 { nameKey($0) }
    }

    /// The key of an asset or link `id` acted on by event `eventIndex` (scenario order):
    /// `SplitMix64.hash(UInt64(eventIndex), nameKey(id)) & ~rowBit`.
    @inlinable
    public static func elementKey(event eventIndex: Int, idKey: UInt64) -> UInt64 {
        SplitMix64.hash(UInt64(eventIndex), idKey) & ~rowBit
    }

    /// The key of dependency row (consumer, provider, group):
    /// `SplitMix64.hash(nameKey(consumer id), nameKey(provider id), nameKey(group name)) | rowBit`.
    @inlinable
    public static func rowKey(consumer: UInt64, provider: UInt64, group: UInt64) -> UInt64 {
        SplitMix64.hash(consumer, provider, group) | rowBit
    }

    /// The keyed uniform in [0, 1): `SplitMix64.u01(SplitMix64.hash(seed, UInt64(index), key))`.
    @inlinable @inline(__always)
    public static func uniform(seed: UInt64, index: Int, key: UInt64) -> Double {
        SplitMix64.u01(SplitMix64.hash(seed, UInt64(index), key))
    }
}
