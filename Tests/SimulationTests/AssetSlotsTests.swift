import Testing

@testable import Reports

/// Brief sections share one line → slot table (so a section costs its rows, not the size of
/// assets.csv); each section must still see only its own slots.
@Suite struct AssetSlotsTests {
    @Test func sectionsSharingATableDoNotSeeEachOthersSlots() {
        let table = BriefWriter.SlotTable()
        var a = BriefWriter.AssetSlots(table)
        #expect(a.slot("x", line: 5) == 0 && a.slot("y", line: 900) == 1 && a.slot("x", line: 5) == 0)
        #expect(a.slot("h", line: -1) == 2 && a.slot("h", line: -1) == 2) // no row in assets.csv: by id
        var b = BriefWriter.AssetSlots(table)
        #expect(b.slot("y", line: 900) == 0 && b.slot("z", line: 7) == 1 && b.slot("x", line: 5) == 2)
        #expect(b.ids == ["y", "z", "x"] && a.ids == ["x", "y", "h"])
        // the id is made only for a new slot
        var made = 0
        func id(_ s: String) -> String { made += 1; return s }
        #expect(b.slot(id("z"), line: 7) == 1 && made == 0)
    }
}
