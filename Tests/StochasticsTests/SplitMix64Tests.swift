import Stochastics
import TestSupport
import Testing

@Suite("SplitMix64")
struct SplitMix64Tests {
    @Test("at(seed:index:) is splitmix64's output stream")
    func knownOutputs() {
        // Vigna's splitmix64.c seeded with x = 0: first outputs 0xE220A8397B1DCDAF, 0x6E789E6AA1B965F4,
        // 0x06C45D188009454F (well-known values; also reproduced with the C reference on this machine).
        #expect(SplitMix64.at(seed: 0, index: 0) == 0xE220_A839_7B1D_CDAF)
        #expect(SplitMix64.at(seed: 0, index: 1) == 0x6E78_9E6A_A1B9_65F4)
        #expect(SplitMix64.at(seed: 0, index: 2) == 0x06C4_5D18_8009_454F)
        // The formula itself: mix(seed + (index + 1) * gamma), wrapping.
        let s: UInt64 = 0xDEAD_BEEF_0123_4567
        #expect(SplitMix64.at(seed: s, index: 41) == SplitMix64.mix(s &+ 42 &* 0x9E37_79B9_7F4A_7C15))
    }

    @Test("the tests' seeded generator is the same stream: output k is at(seed:index: k)")
    func testGeneratorIsTheStream() {
        var g = SeededGenerator(seed: 0)
        #expect(g.next() == 0xE220_A839_7B1D_CDAF)
        #expect(g.next() == 0x6E78_9E6A_A1B9_65F4)
        let s: UInt64 = 20261205
        var h = SeededGenerator(seed: s)
        for k in 0..<100 { #expect(h.next() == SplitMix64.at(seed: s, index: UInt64(k))) }
        var u = SeededGenerator(seed: s)
        #expect(u.unit() == SplitMix64.u01(SplitMix64.at(seed: s, index: 0)))
    }

    @Test("u01 and randint against hand values")
    func u01AndRandint() {
        // u01 = (x >> 11) * 2^-53.
        #expect(SplitMix64.u01(0) == 0)
        #expect(SplitMix64.u01(1 << 63) == 0.5)
        #expect(SplitMix64.u01(UInt64.max) == 1 - 0x1p-53)
        #expect(SplitMix64.u01((1 << 11) - 1) == 0) // low 11 bits are discarded
        // randint = ((x >> 32) * n) >> 32.
        #expect(SplitMix64.randint(0, 10) == 0)
        #expect(SplitMix64.randint(1 << 63, 10) == 5) // 2^31 * 10 / 2^32
        #expect(SplitMix64.randint(UInt64.max, 10) == 9) // (2^32 - 1) * 10 >> 32
        #expect(SplitMix64.randint(0xC000_0000_0000_0000, 1000) == 750) // 0.75 * 1000
    }

    @Test("hash overloads agree with the documented chain and are order-sensitive")
    func hashOverloads() {
        let start: UInt64 = 0x6A09_E667_F3BC_C908
        let g: UInt64 = 0x9E37_79B9_7F4A_7C15
        func step(_ h: UInt64, _ w: UInt64) -> UInt64 { SplitMix64.mix((h ^ w) &+ g) }
        let variadic: (UInt64...) -> UInt64 = SplitMix64.hash
        #expect(variadic(5) == step(start, 5))
        #expect(SplitMix64.hash(5, 9) == step(step(start, 5), 9))
        #expect(variadic(5, 9) == SplitMix64.hash(5, 9))
        #expect(variadic(5, 9, 13) == SplitMix64.hash(5, 9, 13))
        #expect(variadic(5, 9, 13, 17) == step(SplitMix64.hash(5, 9, 13), 17))
        #expect(SplitMix64.hash(5, 9) != SplitMix64.hash(9, 5))
        #expect(SplitMix64.hash(1, 2, 3) != SplitMix64.hash(1, 3, 2))
    }
}
