import InfraModel
import Testing

/// The compact forms of the model's columns give back what was put in: row sources across
/// files, needs at their bounds, index runs and narrow codes against a plain array.
@Suite struct CompactColumnsTests {
    @Test func sourceColumnNamesFileAndLineAcrossRuns() {
        var c = SourceColumn()
        let refs = [(0, 2), (0, 3), (0, 9), (2, 2), (2, 4), (1, 7), (1, 8), (0, 40)].map { SourceRef(file: Int32($0.0), line: Int32($0.1)) }
        for r in refs { c.append(r) }
        #expect(c.count == refs.count)
        for (k, r) in refs.enumerated() { #expect(c[k] == r) }
        var d = SourceColumn()
        for r in refs { d.append(r) }
        #expect(c == d)
        var e = SourceColumn()
        for (k, r) in refs.enumerated() { e.append(k == 4 ? SourceRef(file: 0, line: r.line) : r) }
        #expect(c != e) // same lines, one row from another file
        d.removeAll(keepingCapacity: true)
        #expect(d.isEmpty && c != d)
    }

    @Test func needIsAWholeNumberThatFitsIn32Bits() {
        #expect(Need(name: "2147483647") == .atLeast(2_147_483_647))
        #expect(Need(name: "2147483648") == nil)
        #expect(Need(name: "0") == nil && Need(name: "-1") == nil)
        #expect(Need(name: "any") == .any && Need(name: "all") == .all)
        #expect(MemoryLayout<Need>.stride == 8)
    }

    /// A deterministic stream of column operations (xorshift), so that a failure reproduces.
    struct Ops {
        var state: UInt64
        mutating func next(_ n: Int) -> Int {
            state ^= state << 13; state ^= state >> 7; state ^= state << 17
            return Int(state % UInt64(n))
        }
    }

    @Test func indexColumnReadsAsThePlainArrayItStandsFor() {
        for seed in 1...60 {
            var ops = Ops(state: UInt64(seed) &* 0x9E37_79B9_7F4A_7C15)
            var col = IndexColumn(), plain: [Int32] = []
            var next: Int32 = Int32(ops.next(1000)) - 500
            for _ in 0..<(200 + ops.next(800)) {
                switch ops.next(20) {
                case 0: next = Int32(ops.next(1_000_000)) - 500_000 // a jump: a new run
                case 1: next = Int32.min // a row with errors
                case 2 where !plain.isEmpty:
                    col.removeLast(); plain.removeLast(); continue
                case 3 where !plain.isEmpty:
                    let k = ops.next(4) == 0 ? plain.count - 1 : ops.next(plain.count)
                    let v = Int32(ops.next(100)) - 50
                    col[k] = v; plain[k] = v; continue
                default: break
                }
                col.append(next); plain.append(next)
                // runs up (assets), down (links as −(l + 1)) or flat
                if next != Int32.min { next = next &+ Int32(seed % 3 == 0 ? -1 : (seed % 3 == 1 ? 1 : 0)) } else { next = 0 }
            }
            #expect(col.count == plain.count, "seed \(seed)")
            #expect(Array(col) == plain, "seed \(seed)")
            #expect(col == IndexColumn(plain))
        }
    }

    @Test func indexColumnStoresCountingRowsAsRunsAndManyBreaksPlainly() {
        var ids = IndexColumn(), targets = IndexColumn()
        for k in 0..<100_000 { ids.append(Int32(k)) }
        for l in 0..<100_000 { targets.append(-Int32(l) - 1) }
        #expect(!ids.isStoredPlain && !targets.isStoredPlain)
        #expect(ids[99_999] == 99_999 && targets[99_999] == -100_000)
        targets[99_999] = 7 // the last row, replaced: still runs
        #expect(!targets.isStoredPlain && targets[99_999] == 7 && targets[99_998] == -99_999)
        var shuffled = IndexColumn()
        for k in 0..<10_000 { shuffled.append(Int32((k &* 7919) % 10_007)) }
        #expect(shuffled.isStoredPlain)
        #expect(shuffled[1] == 7919 && shuffled[9_999] == Int32((9_999 * 7919) % 10_007))
    }

    @Test func codeColumnWidensAndReadsAsThePlainArray() {
        for seed in 1...40 {
            var ops = Ops(state: UInt64(seed) &* 0xD1B5_4A32_D192_ED03)
            var col = CodeColumn(absent: -1), plain: [Int32] = []
            // codes drawn from a range that grows, so that every width is crossed
            let limits: [Int] = [1, 250, 300, 66_000, 3_000_000]
            for step in 0..<600 {
                let limit = limits[min(limits.count - 1, step / (120 + seed))]
                let v: Int32 = ops.next(5) == 0 ? -1 : (ops.next(50) == 0 ? -2 : Int32(ops.next(limit)))
                if !plain.isEmpty && ops.next(10) == 0 {
                    let k = ops.next(plain.count)
                    col[k] = v; plain[k] = v
                } else {
                    col.append(v); plain.append(v)
                }
            }
            #expect(Array(col) == plain, "seed \(seed)")
            #expect(col.array == plain)
            #expect(col == CodeColumn(plain, absent: -1))
        }
        var links = CodeColumn(absent: -1)
        for _ in 0..<1000 { links.append(-1) }
        #expect(!links.isStored && links[999] == -1) // no owner on any link: nothing stored
        links[3] = 70_000
        #expect(links.isStored && links[3] == 70_000 && links[4] == -1)
        // a default that itself needs two bytes survives the first stored code
        var wide = CodeColumn(absent: 300)
        for _ in 0..<5 { wide.append(300) }
        wide.append(7)
        #expect(Array(wide) == [300, 300, 300, 300, 300, 7])
    }
}
