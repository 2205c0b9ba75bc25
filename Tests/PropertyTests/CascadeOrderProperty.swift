import PropertyBased
import Testing

/// `sequential` equals `simultaneous` cascade order when no sector uses `giant-component`
/// (docs/specification.md section 2, `simulation.cascade_order`; section 4, scenario key `simulation`), and
/// the incremental supply steps give the full steps' state (Sources/4-Engine/Cascade).
@Suite struct CascadeOrderProperty {
    /// 100 random models without giant-component sectors (sectors declared in a random order, which
    /// is the sequential order), 1–4 random damage sets each (assets, links, absent rows).
    @Test func sequentialEqualsSimultaneousWithoutGiantComponents() async throws {
        await propertyCheck(
            count: 100, input: ModelRecipe.generator(giant: false),
            DamageRecipe.generator().array(of: 1...4)
        ) { recipe, damages in
            let m = try LoadedModel(ModelFiles(recipe))
            var sequential = m.graph
            sequential.sequentialOrder = m.net.sequentialSectorOrder
            for d in damages {
                let hit = d.hit(m), links = d.linkHit(m), rows = d.absent(m)
                let simultaneous = m.alive(hit: hit, linkHit: links, absentRows: rows)
                for incremental in [true, false] {
                    let s = m.alive(hit: hit, linkHit: links, absentRows: rows, graph: sequential, incremental: incremental)
                    #expect(
                        m.ids(s) == m.ids(simultaneous),
                        "\(d), incremental \(incremental): sequential \(m.ids(s).sorted()) vs simultaneous \(m.ids(simultaneous).sorted())")
                }
                let full = m.alive(hit: hit, linkHit: links, absentRows: rows, incremental: false)
                #expect(
                    m.ids(full) == m.ids(simultaneous),
                    "\(d): full steps \(m.ids(full).sorted()) vs incremental \(m.ids(simultaneous).sorted())")
            }
        }
    }
}
