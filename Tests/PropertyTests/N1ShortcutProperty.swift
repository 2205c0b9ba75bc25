import PropertyBased
import Simulation
import Testing

/// N-1 shortcuts equal full cascades (docs/specification.md section 6, `n1_impact`: the static loss when only
/// this asset is damaged, minus the loss with nothing damaged, every row present). `N1All`
/// (Sources/4-Engine/Simulation) skips the cascade for non-working and leaf assets; here every asset also
/// gets a full, non-incremental cascade from its single failure.
@Suite struct N1ShortcutProperty {
    final class Tally: @unchecked Sendable { var shortcuts = 0 }

    /// 100 random models, giant-component sectors allowed; populations and weights are whole or
    /// halves, so the losses compare exactly.
    @Test func n1ShortcutsEqualFullCascades() async throws {
        let tally = Tally()
        await propertyCheck(count: 100, input: ModelRecipe.generator(giant: true)) { recipe in
            let m = try LoadedModel(ModelFiles(recipe))
            let fast = N1All.compute(graph: m.graph, population: m.net.assets.population, weight: m.weights, threads: 2)
            tally.shortcuts += m.graph.assetCount - fast.fullCascades
            let base = m.loss(m.alive(hit: [], incremental: false))
            for a in 0..<m.graph.assetCount {
                let full = m.loss(m.alive(hit: [a], incremental: false)) - base
                #expect(fast.impact[a] == full, "\(m.net.assetId(Int32(a))): N1All \(fast.impact[a]), full cascade \(full)")
            }
        }
        // the comparison covered the shortcuts, not only N1All's own full cascades
        #expect(tally.shortcuts > 0)
    }
}
