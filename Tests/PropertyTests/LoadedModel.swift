import Cascade
import Foundation
import InfraGraph
import InfraModel
import ModelIO
import TestSupport

/// A random model written to a temporary folder, loaded by ModelIO and compiled; runs static
/// cascades on it (docs/specification.md section 2, "What working means").
struct LoadedModel {
    let files: ModelFiles
    let net: Network
    let graph: CompiledGraph

    init(_ files: ModelFiles) throws {
        let dir = TemporaryFolder.url("prop")
        defer { try? FileManager.default.removeItem(at: dir) }
        try files.write(to: dir)
        self.files = files
        net = try NetworkLoader.load(path: dir.path).network
        graph = CompiledGraph(net)
    }

    /// Weight per sector code, from the files' weights.
    var weights: [Double] { net.sectors.names.map { files.weights[$0] ?? 1 } }

    /// The working flags (1 working) after damaging `hit` assets and `linkHit` links, with the
    /// rows `absentRows` absent; `graph` may be a variant of this model's graph (cascade order).
    func alive(
        hit: Set<Int>, linkHit: Set<Int> = [], absentRows: Set<Int> = [], graph g: CompiledGraph? = nil,
        incremental: Bool = true
    ) -> [UInt8] {
        let g = g ?? graph
        let a = (0..<g.assetCount).map { UInt8(hit.contains($0) ? 1 : 0) }
        let l = (0..<g.linkCount).map { UInt8(linkHit.contains($0) ? 1 : 0) }
        let rows = (0..<net.dependencies.count).map { UInt8(absentRows.contains($0) ? 0 : 1) }
        let ws = CascadeWorkspace(graph: g)
        a.withUnsafeBufferPointer { ab in
            l.withUnsafeBufferPointer { lb in
                rows.withUnsafeBufferPointer { rb in
                    StaticCascade(graph: g, incremental: incremental).run(assetHit: ab, linkHit: lb, rowPresent: rb, workspace: ws)
                }
            }
        }
        return Array(ws.alive)
    }

    /// Ids of the working assets in `alive`.
    func ids(_ alive: [UInt8]) -> Set<String> {
        Set((0..<alive.count).filter { alive[$0] != 0 }.map { net.assetId(Int32($0)) })
    }

    /// Static loss of a working state: Σ sector weight × population of non-working assets (docs/specification.md section 6).
    func loss(_ alive: [UInt8]) -> Double {
        let w = weights
        var sum = 0.0
        for a in 0..<alive.count where alive[a] == 0 { sum += w[Int(graph.sector(a))] * net.assets.population[a] }
        return sum
    }
}
