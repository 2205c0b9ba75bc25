import InfraModel
import Testing

/// The compact forms of the model's columns give back what was put in: row sources across
/// files, needs at their bounds.
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
}
