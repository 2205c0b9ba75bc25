import PropertyBased
import Testing

/// Monotonicity of the static cascade (docs/specification.md section 2, "What working means": with `sources`
/// and `none` sectors the working set is the greatest fixed point of the rules): if the damaged
/// set A ⊆ B, then working(B) ⊆ working(A). A consequence, checked too: damaging assets that
/// already fail in A's cascade changes nothing (working(A) is a fixed point that avoids them, so
/// the greatest fixed point of the larger damage is working(A) again).
@Suite struct MonotonicityProperty {
    /// 100 random models without giant-component sectors; per model a damage set A (assets,
    /// links), B = A plus random assets and links, and C = A plus assets that A's cascade took
    /// down; the same dependency rows absent in all three.
    @Test func moreDamageNeverLeavesMoreWorking() async throws {
        await propertyCheck(
            count: 100, input: ModelRecipe.generator(giant: false), DamageRecipe.generator(),
            DamageRecipe.generator()
        ) { recipe, a, extra in
            let m = try LoadedModel(ModelFiles(recipe))
            let rows = a.absent(m)
            let hitA = a.hit(m), linksA = a.linkHit(m)
            let aliveA = m.alive(hit: hitA, linkHit: linksA, absentRows: rows)
            let workingA = m.ids(aliveA)
            let hitB = hitA.union(extra.hit(m)), linksB = linksA.union(extra.linkHit(m))
            let workingB = m.ids(m.alive(hit: hitB, linkHit: linksB, absentRows: rows))
            #expect(
                workingB.isSubset(of: workingA),
                "more damage left more working: \(workingB.subtracting(workingA).sorted()) work only with the larger damage")
            // C: A plus some of the assets that A's cascade took down (not hit, not working)
            let fallen = (0..<aliveA.count).filter { aliveA[$0] == 0 && !hitA.contains($0) }
            guard !fallen.isEmpty else { return }
            let hitC = hitA.union(extra.assets.map { fallen[$0 % fallen.count] })
            let workingC = m.ids(m.alive(hit: hitC, linkHit: linksA, absentRows: rows))
            let added = hitC.subtracting(hitA).map { m.net.assetId(Int32($0)) }.sorted()
            #expect(
                workingC == workingA,
                "damaging \(added), which had already failed, changed the working set: \(workingA.sorted()) → \(workingC.sorted())")
        }
    }
}
