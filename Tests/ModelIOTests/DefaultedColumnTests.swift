import Foundation
import InfraModel
import ModelIO
import Testing

/// Optional columns cost memory only when the file has values for them.
@Suite struct DefaultedColumnTests {
    @Test func storesNothingUntilAValueDiffers() {
        var c = DefaultedColumn<Double>(absent: .nan)
        for _ in 0..<1000 { c.append(.nan) }
        #expect(c.count == 1000 && !c.isStored)
        #expect(c[999].isNaN)
        c.append(2.5)
        #expect(c.isStored && c.count == 1001)
        #expect(c[0].isNaN && c[1000] == 2.5)
        c[3] = 7
        #expect(c[3] == 7)
        var d = DefaultedColumn<Int32>(absent: -1)
        d.append(-1); d.append(-1)
        d[1] = -1 // writing the default stores nothing
        #expect(!d.isStored && Array(d) == [-1, -1])
        d[0] = 4
        #expect(d.array == [4, -1])
        #expect(DefaultedColumn([Double.nan, .nan], absent: .nan) == DefaultedColumn([Double.nan, .nan], absent: .nan))
        #expect(!DefaultedColumn([Double.nan, .nan], absent: .nan).isStored)
    }

    /// The Buldyrev reference model has no priority, repair, coordinate or length columns: none is
    /// stored. The region model merges riverside (values) into a table: the values come out right.
    @Test func loadedModelsStoreOnlyWhatTheFilesHave() throws {
        let scen = TestPaths.scenarios
        let (b, _) = try NetworkLoader.load(path: scen.appendingPathComponent("reference/models/buldyrev-k4").path)
        for col in [
            b.links.common.x, b.links.common.y, b.links.common.priority, b.links.common.repairHours,
            b.links.lengthKm, b.assets.common.x, b.assets.common.repairBeta,
        ] {
            #expect(!col.isStored)
        }
        #expect(!b.links.common.owner.isStored && !b.links.directed.isStored && !b.dependencies.backupHours.isStored)
        #expect(b.dependencies.probability.count == b.dependencies.count && b.dependencies.probability.allSatisfy { $0 == 1 })
        let (r, _) = try NetworkLoader.load(path: scen.appendingPathComponent("networks/riverside").path)
        #expect(r.assets.common.x.isStored && r.assets.common.x.count == r.assets.count)
        #expect(r.assets.common.owner.isStored)
    }
}
