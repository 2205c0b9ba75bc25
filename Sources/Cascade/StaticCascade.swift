import InfraGraph
import InfraModel

/// Reusable state of static cascades on one graph: one per thread, reused for every sample
/// (no allocation per sample after construction).
public final class CascadeWorkspace {
    /// After `StaticCascade.run`: 1 for each working asset, 0 otherwise.
    public internal(set) var alive: [UInt8]
    /// Number of rounds the last run took (each round: supply of every changed sector, then
    /// dependencies until stable).
    public internal(set) var rounds = 0

    var avail: [Int32]          // per requirement: present providers that are alive
    var needEff: [Int32]        // per requirement: how many must be available (0: always holds)
    var queue: [Int32]          // dependency worklist
    var bfs: [Int32]            // BFS queue
    var stamp: [UInt32]         // BFS visit stamps (generation counter avoids clearing)
    var label: [Int32]          // component label per asset (giant-component sectors)
    var generation: UInt32 = 0
    var dirty: [Bool]           // per sector: something was removed since its last supply step
    var sectorAlive: [Int32]    // per sector: alive assets

    public init(graph g: CompiledGraph) {
        alive = [UInt8](repeating: 1, count: g.assetCount)
        avail = [Int32](repeating: 0, count: g.requirementCount)
        needEff = avail
        queue = []
        queue.reserveCapacity(g.assetCount)
        bfs = []
        bfs.reserveCapacity(g.assetCount)
        stamp = [UInt32](repeating: 0, count: g.assetCount)
        label = [Int32](repeating: -1, count: g.assetCount)
        dirty = [Bool](repeating: true, count: g.sectorCount)
        sectorAlive = [Int32](repeating: 0, count: g.sectorCount)
    }
}

/// The static cascade of DESIGN.md section 2 ("What working means"): from the assets that are
/// not damaged or out, rounds of (1) supply per sector, computed from the working set at the
/// start of the round, and (2) dependencies, removed repeatedly until every requirement holds;
/// until a round removes nothing.
///
/// - Supply, `sources`: supplied when joined to a working source by working links (direction
///   respected) through working `source`/`node` assets (consumers relay nothing); a sector
///   without links is supplied everywhere. `giant-component`: the largest cluster of working
///   assets over working links, direction and roles ignored, ties to the cluster holding the
///   smallest id (Buldyrev et al. 2010, Nature 464:1025). `none`: no supply condition.
/// - Dependencies: a requirement holds when at least `need` of its present providers work
///   (`all`, or k above the number present: every present provider); one with no present
///   provider is dropped. Backups are exhausted (static). Counters per requirement, decremented
///   when a provider fails: linear in the failures that propagate.
/// - A link works when it is not damaged and both ends work.
///
/// - Complexity: per run O(assets + requirement slots) to initialise, plus O(size of the sector)
///   per supply step of a sector in which something failed, plus O(dependency slots of the
///   failed assets).
public struct StaticCascade: Sendable {
    public let graph: CompiledGraph

    public init(graph: CompiledGraph) { self.graph = graph }

    /// Runs the cascade. `assetHit[a] != 0`: asset a is damaged or out; `linkHit[l] != 0`: link l
    /// is damaged or out; `rowPresent[r] != 0`: dependency row r exists in this sample.
    /// The working set is left in `ws.alive`.
    public func run(assetHit: UnsafeBufferPointer<UInt8>, linkHit: UnsafeBufferPointer<UInt8>,
                    rowPresent: UnsafeBufferPointer<UInt8>, workspace ws: CascadeWorkspace) {
        let g = graph
        let n = g.assetCount
        ws.queue.removeAll(keepingCapacity: true)
        for s in 0..<g.sectorCount { ws.dirty[s] = true; ws.sectorAlive[s] = 0 }
        for a in 0..<n {
            let ok: UInt8 = assetHit[a] == 0 ? 1 : 0
            ws.alive[a] = ok
            ws.sectorAlive[Int(g.sector[a])] += Int32(ok)
        }
        initRequirements(rowPresent: rowPresent, ws: ws)
        // consumers of requirements unmet by the initial damage are queued: round 1 propagates them
        var rounds = 0
        while true {
            rounds += 1
            var removed = ws.queue.count
            // (1) supply of every sector in which something failed, from the working set at the
            // start of the round (links join assets of one sector, so sectors are independent)
            for s in 0..<g.sectorCount where ws.dirty[s] {
                ws.dirty[s] = false
                let before = ws.queue.count
                switch g.supply[s] {
                case .none: break
                case .sources: if g.sectorHasLinks[s] { supplySources(sector: s, linkHit: linkHit, ws: ws) }
                case .giantComponent: giantComponent(sector: s, linkHit: linkHit, ws: ws)
                }
                // unsupplied assets die; removing them changes no supply in their own sector
                for q in before..<ws.queue.count {
                    ws.alive[Int(ws.queue[q])] = 0
                    ws.sectorAlive[s] -= 1
                }
                removed += ws.queue.count - before
            }
            // (2) dependencies until every requirement holds
            removed += propagateDependencies(rowPresent: rowPresent, ws: ws)
            if removed == 0 || !ws.dirty.contains(true) { break }
        }
        ws.rounds = rounds
    }

    /// Kills asset `c` (a consumer whose requirement failed) and queues it.
    @inline(__always)
    func kill(_ c: Int, _ ws: CascadeWorkspace) {
        ws.alive[c] = 0
        let s = Int(graph.sector[c])
        ws.sectorAlive[s] -= 1
        ws.dirty[s] = true
        ws.queue.append(Int32(c))
    }

    /// Counters of every requirement for this sample (providers hit by the events already count
    /// as unavailable); kills and queues the consumers whose requirement does not hold.
    func initRequirements(rowPresent: UnsafeBufferPointer<UInt8>, ws: CascadeWorkspace) {
        let g = graph
        for r in 0..<g.requirementCount {
            var present: Int32 = 0, up: Int32 = 0
            for k in Int(g.reqStart[r])..<Int(g.reqStart[r + 1]) where rowPresent[Int(g.reqRow[k])] != 0 {
                present += 1
                up += Int32(ws.alive[Int(g.reqProvider[k])])
            }
            ws.avail[r] = up
            ws.needEff[r] = g.reqNeed[r] == Int32.max ? present : min(g.reqNeed[r], present)
        }
        for r in 0..<g.requirementCount where ws.avail[r] < ws.needEff[r] {
            let c = Int(g.reqConsumer[r])
            if ws.alive[c] != 0 { kill(c, ws) }
        }
    }

    /// Propagates the failures in `ws.queue` (dead, their requirement counters not yet
    /// decremented) through the requirements they serve, until every requirement holds.
    /// - Returns: the number of assets it killed beyond those queued.
    func propagateDependencies(rowPresent: UnsafeBufferPointer<UInt8>, ws: CascadeWorkspace) -> Int {
        let g = graph
        var head = 0
        let start = ws.queue.count
        while head < ws.queue.count {
            let x = Int(ws.queue[head]); head += 1
            for k in Int(g.providerReqStart[x])..<Int(g.providerReqStart[x + 1]) where rowPresent[Int(g.providerRow[k])] != 0 {
                let r = Int(g.providerReq[k])
                ws.avail[r] -= 1
                if ws.avail[r] < ws.needEff[r] {
                    let c = Int(g.reqConsumer[r])
                    if ws.alive[c] != 0 { kill(c, ws) }
                }
            }
        }
        let killed = ws.queue.count - start
        ws.queue.removeAll(keepingCapacity: true)
        return killed
    }

    /// Supply in a `sources` sector: BFS from working sources; unsupplied working assets are queued.
    func supplySources(sector s: Int, linkHit: UnsafeBufferPointer<UInt8>, ws: CascadeWorkspace) {
        let g = graph
        ws.generation &+= 1
        if ws.generation == 0 { for i in 0..<ws.stamp.count { ws.stamp[i] = 0 }; ws.generation = 1 }
        let gen = ws.generation
        ws.bfs.removeAll(keepingCapacity: true)
        let lo = Int(g.sectorStart[s]), hi = Int(g.sectorStart[s + 1])
        for k in lo..<hi {
            let a = Int(g.sectorAsset[k])
            if ws.alive[a] != 0 && g.role[a] == .source { ws.stamp[a] = gen; ws.bfs.append(Int32(a)) }
        }
        var head = 0
        while head < ws.bfs.count {
            let u = Int(ws.bfs[head]); head += 1
            if g.role[u] == .consumer { continue }
            for k in Int(g.outStart[u])..<Int(g.outStart[u + 1]) {
                let v = Int(g.outNeighbour[k])
                if ws.stamp[v] != gen && ws.alive[v] != 0 && linkHit[Int(g.outLink[k])] == 0 {
                    ws.stamp[v] = gen
                    ws.bfs.append(Int32(v))
                }
            }
        }
        if ws.bfs.count == Int(ws.sectorAlive[s]) { return }
        for k in lo..<hi {
            let a = Int(g.sectorAsset[k])
            if ws.alive[a] != 0 && ws.stamp[a] != gen { ws.queue.append(Int32(a)) }
        }
    }

    /// Supply in a `giant-component` sector: keeps the largest cluster (ties: smallest id rank);
    /// stops labelling once one cluster holds more than half of the working assets.
    func giantComponent(sector s: Int, linkHit: UnsafeBufferPointer<UInt8>, ws: CascadeWorkspace) {
        let g = graph
        ws.generation &+= 1
        if ws.generation == 0 { for i in 0..<ws.stamp.count { ws.stamp[i] = 0 }; ws.generation = 1 }
        let gen = ws.generation
        let lo = Int(g.sectorStart[s]), hi = Int(g.sectorStart[s + 1])
        let total = Int(ws.sectorAlive[s])
        var bestSize = 0, bestRank = Int32.max, bestLabel: Int32 = -1
        var nextLabel: Int32 = 0
        var seen = 0
        for k in lo..<hi {
            let a = Int(g.sectorAsset[k])
            if ws.alive[a] == 0 || ws.stamp[a] == gen { continue }
            if bestSize * 2 > total { break }             // the giant is known; the rest is not it
            if total - seen < bestSize { break }           // no remaining cluster can beat it
            let lab = nextLabel; nextLabel += 1
            ws.bfs.removeAll(keepingCapacity: true)
            ws.bfs.append(Int32(a)); ws.stamp[a] = gen; ws.label[a] = lab
            var minRank = g.idRank[a]
            var head = 0
            while head < ws.bfs.count {
                let u = Int(ws.bfs[head]); head += 1
                for e in Int(g.adjStart[u])..<Int(g.adjStart[u + 1]) {
                    let v = Int(g.adjNeighbour[e])
                    if ws.stamp[v] != gen && ws.alive[v] != 0 && linkHit[Int(g.adjLink[e])] == 0 {
                        ws.stamp[v] = gen; ws.label[v] = lab
                        if g.idRank[v] < minRank { minRank = g.idRank[v] }
                        ws.bfs.append(Int32(v))
                    }
                }
            }
            seen += ws.bfs.count
            if ws.bfs.count > bestSize || (ws.bfs.count == bestSize && minRank < bestRank) {
                bestSize = ws.bfs.count; bestRank = minRank; bestLabel = lab
            }
        }
        if bestSize == total { return }
        for k in lo..<hi {
            let a = Int(g.sectorAsset[k])
            if ws.alive[a] != 0 && (ws.stamp[a] != gen || ws.label[a] != bestLabel) { ws.queue.append(Int32(a)) }
        }
    }
}
