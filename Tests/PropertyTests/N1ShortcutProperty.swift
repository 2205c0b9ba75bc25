import PropertyBased
import Simulation
import Testing

/// N-1 impact by `N1All` equals brute force (docs/specification.md section 6, `n1_impact`: the
/// static loss when only this asset is damaged, minus the loss with nothing damaged, every row
/// present). `N1All` (Sources/4-Engine/Simulation) skips the cascade for non-working and leaf
/// assets and runs the others sparsely from a pristine workspace (`StaticCascade.runSparse`); here
/// every asset also gets a whole, non-incremental cascade from its single failure, in both
/// cascade orders.
@Suite struct N1ShortcutProperty {
    final class Tally: @unchecked Sendable { var shortcuts = 0, cascades = 0 }

    /// 150 random models — every supply rule (`sources`, `none`, `giant-component`), directed and
    /// undirected links, cross-sector requirements with `any`, `all` and k-of-n — each in the
    /// simultaneous and the sequential cascade order; populations and weights are whole or
    /// halves, so the losses compare exactly.
    @Test func n1EqualsBruteForce() async throws {
        let tally = Tally()
        await propertyCheck(count: 150, input: ModelRecipe.generator(giant: true)) { recipe in
            let m = try LoadedModel(ModelFiles(recipe))
            var sequential = m.graph
            sequential.sequentialOrder = m.net.sequentialSectorOrder
            for g in [m.graph, sequential] {
                let fast = N1All.compute(graph: g, population: m.net.assets.population, weight: m.weights, threads: 2)
                tally.shortcuts += g.assetCount - fast.cascades
                tally.cascades += fast.cascades
                let base = m.loss(m.alive(hit: [], graph: g, incremental: false))
                for a in 0..<g.assetCount {
                    let full = m.loss(m.alive(hit: [a], graph: g, incremental: false)) - base
                    #expect(
                        fast.impact[a] == full,
                        "\(m.net.assetId(Int32(a))), sequential \(!g.sequentialOrder.isEmpty): N1All \(fast.impact[a]), brute force \(full)")
                }
            }
        }
        // the comparison covered both the shortcuts and the sparse cascades
        #expect(tally.shortcuts > 0)
        #expect(tally.cascades > 0)
    }

    /// `N1Impact` interleaves sparse runs (assets) with whole runs (links), in any order: each
    /// answer equals brute force, so neither kind leaves the workspace in a state the other
    /// misreads.
    @Test func assetsAndLinksInterleavedEqualBruteForce() async throws {
        await propertyCheck(count: 60, input: ModelRecipe.generator(giant: true)) { recipe in
            let m = try LoadedModel(ModelFiles(recipe))
            let g = m.graph
            var probe = N1Impact(graph: g, population: m.net.assets.population, weight: m.weights)
            let base = m.loss(m.alive(hit: [], graph: g, incremental: false))
            for a in 0..<g.assetCount {
                let full = m.loss(m.alive(hit: [a], graph: g, incremental: false)) - base
                #expect(probe.asset(a) == full, "asset \(m.net.assetId(Int32(a)))")
                if a < g.linkCount {
                    let fullLink = m.loss(m.alive(hit: [], linkHit: [a], graph: g, incremental: false)) - base
                    #expect(probe.link(a) == fullLink, "link \(a)")
                }
            }
        }
    }
}
