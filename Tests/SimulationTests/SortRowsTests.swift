import Stochastics
import Testing

@testable import Reports

/// `RB.sortedOrder` gives the permutation that sorts positions: read through it, the rows must
/// be what a plain sort gives, for any permutation (fixed points, 2-cycles, one long cycle, many
/// cycles) and with ties resolved by the comparator.
@Suite struct SortRowsTests {
    struct Row: Equatable { var key: Int; var tag: String }

    static func check(_ rows: [Row]) {
        let order = RB.sortedOrder(rows.count) { i, j in
            rows[i].key != rows[j].key ? rows[i].key < rows[j].key : rows[i].tag < rows[j].tag
        }
        #expect(Set(order).count == rows.count)
        let a = order.map { rows[Int($0)] }
        let b = rows.sorted { $0.key != $1.key ? $0.key < $1.key : $0.tag < $1.tag }
        #expect(a == b)
    }

    @Test func equalsAPlainSort() {
        Self.check([])
        Self.check([Row(key: 1, tag: "a")])
        Self.check((0..<50).map { Row(key: $0, tag: "s") }) // identity: fixed points only
        Self.check((0..<50).reversed().map { Row(key: $0, tag: "r") }) // 2-cycles
        Self.check((0..<50).map { Row(key: ($0 + 1) % 50, tag: "c") }) // one cycle of length 50
        // seeded random rows with ties in `key` (replayable: SplitMix64 counter stream, seed 7)
        for n in [2, 3, 17, 1000] {
            Self.check(
                (0..<n).map { i in
                    let x = SplitMix64.at(seed: 7, index: UInt64(n * 1000 + i))
                    return Row(key: Int(x % 10), tag: String(x >> 40))
                })
        }
    }
}
