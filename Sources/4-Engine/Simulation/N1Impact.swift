import Cascade
import InfraGraph
import InfraModel

/// N-1 impact (docs/specification.md section 6): the static loss — Σ sector weight × population of
/// non-working assets — when only one asset or link is damaged and nothing else, every
/// dependency row present, minus the static loss with nothing damaged.
///
/// Assets go through `StaticCascade.runSparse` (the same cascade, in time proportional to what
/// the failure changes); links through a whole run.
/// - Complexity: per asset, O(what its failure changes + the baseline's unsupplied assets and
///   their dependants), not O(assets); per link, one whole static cascade (O(assets +
///   requirement slots)). One workspace, reused.
public struct N1Impact {
    let graph: CompiledGraph
    let cascade: StaticCascade
    let workspace: CascadeWorkspace
    let population: [Double]
    /// Weight per sector code.
    let weight: [Double]
    var assetHit: [UInt8]
    var linkHit: [UInt8]
    /// The workspace is in `StaticCascade`'s pristine state (sparse runs need it; whole runs end it).
    var pristine = false
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
        pristine = false
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
        let ws = workspace
        if !pristine { cascade.makePristine(ws); pristine = true }
        var dead = cascade.runSparse(hit: Int32(a), ws: ws)
        // summed in index order, as `runLoss` does: the same bytes as a whole run
        dead.sort()
        var loss = 0.0
        for x in dead where population[Int(x)] > 0 { loss += weight[Int(graph.sector(Int(x)))] * population[Int(x)] }
        cascade.undoSparse(ws)
        return loss - baseline
    }

    /// N-1 impact of link `l` (needs a graph compiled with link numbers).
    public mutating func link(_ l: Int) -> Double {
        precondition(graph.hasLinkNumbers, "N1Impact.link: the graph was compiled without link numbers")
        linkHit[l] = 1
        defer { linkHit[l] = 0 }
        return runLoss(noLinkHit: false) - baseline
    }
}
