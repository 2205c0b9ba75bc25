import Foundation
import Simulation
import Testing

/// `SampleBlock(decoding:)` reads shard and checkpoint files, which a user can damage or hand in
/// from another run: found by the shard and checkpoint fuzz targets (Fuzz/fixtures/checkpoint).
@Suite struct SampleBlockDecodingTests {
    /// A block as `encoded()` writes it, built field by field: magic, 5 integers, 3 double
    /// arrays, a byte array, 8 sparse arrays (length, nonzero count, pairs), 2 double arrays, the
    /// curve count, 2 int32 arrays, a double array, the state-computation count.
    static func bytes(count: Int64 = 0, sectors: Int64 = 0, sparseLengths: [Int64] = Array(repeating: 3, count: 8)) -> Data {
        var d = Data("KSKBLK01".utf8)
        func int(_ x: Int64) { withUnsafeBytes(of: x.littleEndian) { d.append(contentsOf: $0) } }
        for x in [0, count, sectors, 0, 0] as [Int64] { int(x) }
        int(count); for _ in 0..<count { int(0) } // loss: one per sample
        int(0); int(0) // people, ownerLoss: empty
        int(0) // watchFailed: empty
        for n in sparseLengths { int(n); int(0) }
        int(0); int(0) // hours, restore
        int(0) // curves
        int(0); int(0); int(0) // durations
        int(0) // state computations
        return d
    }

    @Test func theHandBuiltBlockDecodes() throws {
        // the builder above matches the format: otherwise the failures below prove nothing
        let block = try SampleBlock(decoding: Self.bytes())
        #expect(block.damagedCount.count == 3 && block.zoneLost.count == 3)
        #expect(block.encoded() == Self.bytes())
    }

    @Test func aSparseLengthOf2To31WithoutBytesIsRefusedNotAllocated() {
        // 2^31 - 1 entries of 8 bytes would be a 16 GiB allocation (a 10 s timeout when fuzzed)
        #expect(throws: SampleBlock.DecodeError.self) {
            try SampleBlock(decoding: Self.bytes(sparseLengths: [(1 << 31) - 1] + Array(repeating: 3, count: 7)))
        }
    }

    @Test func partnerArraysOfDifferentLengthsAreRefused() {
        // zonePeopleMicro (5th) shorter than zoneLost (3rd): append() would index past its end
        var lengths: [Int64] = Array(repeating: 3, count: 8)
        lengths[4] = 2
        #expect(throws: SampleBlock.DecodeError.self) { try SampleBlock(decoding: Self.bytes(sparseLengths: lengths)) }
    }

    @Test func countTimesSectorsThatOverflowsIsRefusedNotATrap() {
        // 2 samples × 2^62 sectors overflows Int: the length check traps unless it multiplies with overflow checks
        #expect(throws: SampleBlock.DecodeError.self) { try SampleBlock(decoding: Self.bytes(count: 2, sectors: 1 << 62)) }
    }
}
