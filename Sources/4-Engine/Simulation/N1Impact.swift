import Cascade
import InfraGraph
import InfraModel

/// N-1 impact (docs/specification.md section 6): the static loss — Σ sector weight × population of
/// non-working assets — when only one asset or link is damaged and nothing else, every
/// dependency row present, minus the static loss with nothing damaged.
///
/// - Complexity: one static cascade per element asked for: O(elements × (assets + requirement
///   slots)) in the worst case, less where failures stay local. One workspace, reused.
public struct N1Impact {
    let graph: CompiledGraph
    let cascade: StaticCascade
    let workspace: CascadeWorkspace
    let population: [Double]
    /// Weight per sector code.
    let weight: [Double]
    var assetHit: [UInt8]
    var linkHit: [UInt8]
    /// The loss with nothing damaged.
    public private(set) var baseline = 0.0

    public init(graph: CompiledGraph, population: [Double], weight: [Double]) {
        self.graph = graph
        cascade = StaticCascade(graph: graph)
        workspace = CascadeWorkspace(graph: graph)
        self.population = population
        self.weight = weight
        assetHit = [UInt8](repeating: 0, count: graph.assetCount)
        linkHit = [UInt8](repeating: 0, count: graph.hasLinkNumbers ? graph.linkCount : 0)
        baseline = runLoss(noLinkHit: true)
    }

    /// Loss of the current hit arrays.
    mutating func runLoss(noLinkHit: Bool) -> Double {
        let ws = workspace
        cascade.run(assetHit: assetHit, linkHit: linkHit, rowPresent: [], workspace: ws, allRowsPresent: true, noLinkHit: noLinkHit)
        var loss = 0.0
        let alive = ws.alive
        for a in 0..<graph.assetCount where alive[a] == 0 && population[a] > 0 {
            loss += weight[Int(graph.sector(a))] * population[a]
        }
        return loss
    }

    /// The working set with nothing damaged (1 working).
    public mutating func baselineAlive() -> [UInt8] {
        _ = runLoss(noLinkHit: true)
        return Array(workspace.alive)
    }

    /// N-1 impact of asset `a`.
    public mutating func asset(_ a: Int) -> Double {
        assetHit[a] = 1
        defer { assetHit[a] = 0 }
        return runLoss(noLinkHit: true) - baseline
    }

    /// N-1 impact of link `l` (needs a graph compiled with link numbers).
    public mutating func link(_ l: Int) -> Double {
        precondition(graph.hasLinkNumbers, "N1Impact.link: the graph was compiled without link numbers")
        linkHit[l] = 1
        defer { linkHit[l] = 0 }
        return runLoss(noLinkHit: false) - baseline
    }
}
