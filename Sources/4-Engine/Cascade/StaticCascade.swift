import InfraGraph
import InfraModel

/// Reusable state of static cascades on one graph: one per thread, reused for every sample
/// (no allocation per sample after construction). Buffers are allocated once and accessed
/// without bounds or exclusivity checks in the hot loops; indices come from the compiled graph.
public final class CascadeWorkspace {
    /// After `StaticCascade.run`: 1 for each working asset, 0 otherwise.
    public var alive: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(aliveBuf) }
    /// After `StaticCascade.run`, per requirement: its present providers that work minus the
    /// number it needs (plus `StaticCascade.forcedBonus` for a requirement forced to hold); the
    /// requirement's providers suffice when the value without the bonus is at least 0.
    public var requirementSlack: UnsafeBufferPointer<Int32> { UnsafeBufferPointer(slack) }
    /// Number of rounds the last run took (each round: supply of every changed sector, then
    /// dependencies until stable).
    public internal(set) var rounds = 0
    /// Giant-component steps done incrementally since the workspace was made (for tests and benchmarks).
    public internal(set) var incrementalSteps = 0

    let aliveBuf: UnsafeMutableBufferPointer<UInt8>
    /// Per requirement: present providers still working minus the number it needs; the
    /// requirement fails when this drops below 0 (one counter, decremented per failed provider).
    let slack: UnsafeMutableBufferPointer<Int32>
    let stamp: UnsafeMutableBufferPointer<UInt32> // BFS visit stamps (generation counter)
    let dirty: UnsafeMutableBufferPointer<Bool> // per sector: removals since its last supply step
    let sectorAlive: UnsafeMutableBufferPointer<Int32> // per sector: alive assets
    /// Dependency worklist and BFS queue (capacity: every asset once).
    let queue: UnsafeMutablePointer<Int32>
    let bfs: UnsafeMutablePointer<Int32>
    // No exclusivity checks on the counters: bumped per queued asset in the cascade's hot loops
    // (benchmarks/run.sh cascade rows); a workspace belongs to one thread.
    @exclusivity(unchecked) var queueCount = 0
    @exclusivity(unchecked) var generation: UInt32 = 0
    /// Start of the queue's part that dependencies have not yet taken off the counters: 0,
    /// except in sparse runs (`StaticCascade.runSparse`), whose queue keeps every asset that
    /// died in the run.
    @exclusivity(unchecked) var queueFloor = 0
    /// A sparse run is under way: the queue keeps its dead, and changes to `parent` are logged.
    var keepsQueue = false
    /// Sparse runs: assets whose supply-forest parent an incremental step may have changed
    /// (restored from the baseline afterwards); grows to the largest run's need, then reused.
    var parentLog: [Int32] = []
    /// Per sector: a full supply search rewrote its forest (sparse runs restore the sector).
    let parentRewritten: UnsafeMutableBufferPointer<Bool>
    /// Assets killed by dependencies since the last supply step (all sectors).
    let removed: UnsafeMutablePointer<Int32>
    @exclusivity(unchecked) var removedCount = 0
    /// Per sector: its working assets are known to form one cluster (after a giant step).
    let connected: UnsafeMutableBufferPointer<Bool>
    /// Per sector: a link of it is hit in this run.
    let linksHit: UnsafeMutableBufferPointer<Bool>
    /// Supply forest of `sources` sectors (`IncrementalSources`): per asset, the asset it was
    /// reached from (−1 a source, −2 not supplied); empty when the graph has no such sector.
    let parent: UnsafeMutableBufferPointer<Int32>
    /// Per sector: `parent` is valid for its current working assets.
    let forest: UnsafeMutableBufferPointer<Bool>
    /// The incremental giant component's search pool (see `IncrementalGiant`).
    let searches: IncrementalGiant.Pool

    public init(graph g: CompiledGraph) {
        func buffer<T>(_ n: Int, _ v: T) -> UnsafeMutableBufferPointer<T> {
            let b = UnsafeMutableBufferPointer<T>.allocate(capacity: max(1, n))
            b.initialize(repeating: v)
            return b
        }
        aliveBuf = buffer(g.assetCount, 1)
        slack = buffer(g.requirementCount, 0)
        stamp = buffer(g.assetCount, 0)
        dirty = buffer(g.sectorCount, true)
        sectorAlive = buffer(g.sectorCount, 0)
        queue = .allocate(capacity: max(1, g.assetCount))
        // IncrementalSources lists the affected assets and, after them, the re-attached ones (a
        // subset): twice the assets when the graph has supply forests
        let forests = (0..<g.sectorCount).contains { g.supply[$0] == .sources && g.sectorHasLinks[$0] }
        bfs = .allocate(capacity: max(1, forests ? 2 * g.assetCount : g.assetCount))
        searches = IncrementalGiant.Pool(arena: bfs, slots: max(1, g.assetCount)) // bfs is idle during incremental steps
        removed = .allocate(capacity: max(1, g.assetCount))
        connected = buffer(g.sectorCount, false)
        linksHit = buffer(g.sectorCount, false)
        parent = forests ? buffer(g.assetCount, IncrementalSources.none) : UnsafeMutableBufferPointer(start: nil, count: 0)
        forest = buffer(g.sectorCount, false)
        parentRewritten = buffer(g.sectorCount, false)
    }

    deinit {
        aliveBuf.deallocate(); slack.deallocate(); stamp.deallocate()
        dirty.deallocate(); sectorAlive.deallocate(); queue.deallocate(); bfs.deallocate()
        removed.deallocate(); connected.deallocate(); linksHit.deallocate(); forest.deallocate(); parentRewritten.deallocate()
        if parent.count > 0 { parent.deallocate() }
    }

    /// A fresh BFS generation (visit marks of earlier searches become stale without clearing).
    func nextGeneration() -> UInt32 { reserveGenerations(1) }

    /// `n` fresh consecutive stamp values; returns the first. Every value returned is larger than
    /// any stamp written before (stamps are cleared when the counter would overflow).
    func reserveGenerations(_ n: Int) -> UInt32 {
        if UInt64(generation) + UInt64(n) + 1 >= UInt64(UInt32.max) {
            for i in 0..<stamp.count { stamp[i] = 0 }
            generation = 0
        }
        let base = generation + 1
        generation += UInt32(n)
        return base
    }
}

/// The static cascade of docs/specification.md section 2 ("What working means"): from the assets that are
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
    /// Whether giant-component steps after the first work from the removals only (Buldyrev's
    /// cascade in time proportional to the pieces cut off); false: a full search every step.
    public let incremental: Bool

    /// Per sector, the assets its supply rule leaves out when nothing is damaged:
    /// `baselineOut[baselineStart[s]..<baselineStart[s+1]]`. Round 1 of a sector that nothing in
    /// the sample hit starts from all of its assets, so its supply step gives exactly this.
    private(set) var baselineStart: [Int32], baselineOut: [Int32]
    /// The supply forest with nothing damaged (see `CascadeWorkspace.parent`); empty without
    /// `sources` sectors with links.
    private(set) var baselineParent: [Int32] = []
    /// Per giant-component sector: the size of the largest cluster other than the giant with
    /// nothing damaged (round 1 from the baseline needs the giant to stay strictly larger).
    private(set) var baselineSecond: [Int32] = []

    /// Per requirement with every row present: providers minus need (empty: 0 everywhere, as
    /// for single-provider requirements that need it). Copied into the workspace at each run.
    let initialSlack: [Int32]

    public init(graph: CompiledGraph, incremental: Bool = true) {
        self.graph = graph
        self.incremental = incremental
        var slack = [Int32](repeating: 0, count: graph.requirementCount)
        var anyNonzero = false
        for r in 0..<graph.requirementCount {
            slack[r] = Int32(graph.slots(r).count) - graph.need(r)
            if slack[r] != 0 { anyNonzero = true }
        }
        initialSlack = anyNonzero ? slack : []
        baselineStart = [0]
        baselineOut = []
        // the supply steps with every asset working and no link hit
        let ws = CascadeWorkspace(graph: graph)
        for s in 0..<graph.sectorCount { ws.sectorAlive[s] = graph.sectorStart[s + 1] - graph.sectorStart[s] }
        var starts: [Int32] = [0], out: [Int32] = []
        let none = UnsafeBufferPointer<UInt8>(start: nil, count: 0)
        for s in 0..<graph.sectorCount {
            ws.queueCount = 0
            switch graph.supply[s] {
            case .none: break
            case .sources: if graph.sectorHasLinks[s] { supplySources(sector: s, linkHit: none, ws: ws) }
            case .giantComponent: giantComponent(sector: s, linkHit: none, ws: ws)
            }
            out.append(contentsOf: UnsafeBufferPointer(start: ws.queue, count: ws.queueCount))
            starts.append(Int32(out.count))
        }
        baselineStart = starts
        baselineOut = out
        baselineParent = Array(ws.parent)
        // the largest cluster among each giant sector's left-out assets
        var second = [Int32](repeating: 0, count: graph.sectorCount)
        var seen = [Bool](repeating: false, count: graph.assetCount)
        var isOut = [Bool](repeating: false, count: graph.assetCount)
        for b in out { isOut[Int(b)] = true }
        for sct in 0..<graph.sectorCount where graph.supply[sct] == .giantComponent {
            for k in Int(starts[sct])..<Int(starts[sct + 1]) {
                let root = Int(out[k])
                guard !seen[root] else { continue }
                seen[root] = true
                var stack = [root], size: Int32 = 0
                while let u = stack.popLast() {
                    size += 1
                    for e in Int(graph.adjStart[u])..<Int(graph.adjStart[u + 1]) {
                        let v = Int(graph.adjNeighbour[e])
                        if isOut[v] && !seen[v] { seen[v] = true; stack.append(v) }
                    }
                }
                second[sct] = max(second[sct], size)
            }
        }
        baselineSecond = second
    }

    /// `run` on arrays, for callers outside the engine: the same cascade, the same promises
    /// (`hitLinks`: the links with `linkHit != 0`, when the caller keeps that list).
    /// - Complexity: as the buffer form; no copy of the arrays.
    public func run(
        assetHit: [UInt8], linkHit: [UInt8], rowPresent: [UInt8], workspace ws: CascadeWorkspace,
        allRowsPresent: Bool = false, noLinkHit: Bool = false, forced: [Int32] = [], hitLinks: [Int32]? = nil
    ) {
        // the kernel reads raw buffers (no bounds checks in the hot loops); borrowed here for one call
        assetHit.withUnsafeBufferPointer { a in
            linkHit.withUnsafeBufferPointer { l in
                rowPresent.withUnsafeBufferPointer { r in
                    forced.withUnsafeBufferPointer { f in
                        guard let hitLinks else {
                            return run(
                                assetHit: a, linkHit: l, rowPresent: r, workspace: ws, allRowsPresent: allRowsPresent,
                                noLinkHit: noLinkHit, forced: f, hitLinks: nil)
                        }
                        hitLinks.withUnsafeBufferPointer { hl in
                            run(
                                assetHit: a, linkHit: l, rowPresent: r, workspace: ws, allRowsPresent: allRowsPresent,
                                noLinkHit: noLinkHit, forced: f, hitLinks: hl)
                        }
                    }
                }
            }
        }
    }

    /// Runs the cascade. `assetHit[a] != 0`: asset a is damaged or out; `linkHit[l] != 0`: link l
    /// is damaged or out (an empty buffer: none is); `rowPresent[r] != 0`: dependency row r exists in this sample. The
    /// working set is left in `ws.alive`. `allRowsPresent` (every `rowPresent` is 1) and
    /// `noLinkHit` (every `linkHit` is 0) are promises that let the run skip work.
    /// `forced`: requirements that hold whatever their providers do (a backup still running, in
    /// timed mode); their slack carries `forcedBonus`.
    public func run(
        assetHit: UnsafeBufferPointer<UInt8>, linkHit: UnsafeBufferPointer<UInt8>,
        rowPresent: UnsafeBufferPointer<UInt8>, workspace ws: CascadeWorkspace,
        allRowsPresent: Bool = false, noLinkHit: Bool = false,
        forced: UnsafeBufferPointer<Int32> = UnsafeBufferPointer(start: nil, count: 0),
        hitLinks: UnsafeBufferPointer<Int32>? = nil
    ) {
        let g = graph
        let n = g.assetCount
        precondition(
            noLinkHit || linkHit.isEmpty || g.hasLinkNumbers,
            "StaticCascade: links are hit but the graph was compiled without link numbers")
        // a graph compiled without row numbers in its reverse index has no uncertain row
        let allRowsPresent = allRowsPresent || (g.providerRow.isEmpty && Self.allOnes(rowPresent))
        precondition(
            allRowsPresent || !g.providerRow.isEmpty || g.requirementCount == 0,
            "StaticCascade: rows are absent but the graph was compiled without row numbers")
        ws.queueCount = 0
        ws.queueFloor = 0
        ws.removedCount = 0
        // sectors with a hit link: from the list when given, else every sector once any link is hit
        for s in 0..<g.sectorCount {
            ws.dirty[s] = true; ws.sectorAlive[s] = 0; ws.connected[s] = false
            ws.linksHit[s] = !noLinkHit && hitLinks == nil
        }
        if !noLinkHit, let list = hitLinks, !g.linkSectorTable.isEmpty {
            for l in list where linkHit[Int(l)] != 0 { ws.linksHit[Int(g.linkSectorTable[Int(l)])] = true }
        } else if !noLinkHit && hitLinks != nil {
            for s in 0..<g.sectorCount { ws.linksHit[s] = true }
        }
        // hit assets are dead from the start; they are queued so that round 1's dependency step
        // takes them off the counters of the requirements they serve
        if g.sectorsContiguous {
            for s in 0..<g.sectorCount {
                var count: Int32 = 0
                for a in Int(g.sectorStart[s])..<Int(g.sectorStart[s + 1]) {
                    let ok: UInt8 = assetHit[a] == 0 ? 1 : 0
                    ws.aliveBuf[a] = ok
                    count += Int32(ok)
                    if ok == 0 { ws.queue[ws.queueCount] = Int32(a); ws.queueCount += 1 }
                }
                ws.sectorAlive[s] = count
            }
        } else {
            g.sectorTable.withUnsafeBufferPointer { sector in
                for a in 0..<n {
                    let ok: UInt8 = assetHit[a] == 0 ? 1 : 0
                    ws.aliveBuf[a] = ok
                    ws.sectorAlive[Int(sector[a])] += Int32(ok)
                    if ok == 0 { ws.queue[ws.queueCount] = Int32(a); ws.queueCount += 1 }
                }
            }
        }
        if allRowsPresent {
            setFullSlack(ws)
        } else {
            initRequirements(rowPresent: rowPresent, ws: ws)
        }
        for r in forced { ws.slack[Int(r)] += Self.forcedBonus }
        let links = noLinkHit ? UnsafeBufferPointer<UInt8>(start: nil, count: 0) : linkHit
        // the baseline's supply forests: round 1 of a sources sector hit in its assets only works
        // from them (incremental runs)
        setBaselineForests(ws)
        for s in 0..<g.sectorCount { ws.forest[s] = false }
        cascade(hitCount: ws.queueCount, links: links, rowPresent: allRowsPresent ? nil : rowPresent, ws: ws)
    }

    /// The rounds (or the sequential passes) from the hits in `ws.queue[0..<hitCount]`, dead,
    /// with the workspace's counters, sector tallies and forests set up for the run.
    func cascade(hitCount: Int, links: UnsafeBufferPointer<UInt8>, rowPresent rowsPresent: UnsafeBufferPointer<UInt8>?, ws: CascadeWorkspace) {
        let g = graph
        if !g.sequentialOrder.isEmpty {
            runSequential(hitCount: hitCount, links: links, rowPresent: rowsPresent, ws: ws)
            return
        }
        var rounds = 0
        while true {
            rounds += 1
            var removed = ws.queueCount - ws.queueFloor
            // (1) supply of every sector in which something failed, from the working set at the
            // start of the round (links join assets of one sector, so sectors are independent)
            let hits = UnsafeBufferPointer(start: ws.queue, count: hitCount)
            for s in 0..<g.sectorCount where ws.dirty[s] {
                removed += supplyStep(sector: s, first: rounds == 1, hits: hits, hitsInRemoved: false, links: links, ws: ws)
            }
            ws.removedCount = 0
            // (2) dependencies until every requirement holds
            removed += propagateDependencies(rowPresent: rowsPresent, ws: ws)
            if removed == 0 || !ws.dirty.contains(true) { break }
        }
        ws.rounds = rounds
    }

    /// The `sequential` cascade (docs/specification.md section 2; Buldyrev et al. 2010's alternating process):
    /// sectors in `graph.sequentialOrder`; after each sector's supply step the dependencies are
    /// propagated before the next sector's step; passes repeat until one removes nothing.
    /// `ws.removed` holds, per sector, the removals its next supply step has not seen yet (the
    /// hits at first), so every step can work incrementally from the removals alone.
    func runSequential(hitCount: Int, links: UnsafeBufferPointer<UInt8>, rowPresent: UnsafeBufferPointer<UInt8>?, ws: CascadeWorkspace) {
        let g = graph
        ws.removedCount = 0
        for k in 0..<hitCount { ws.removed[ws.removedCount] = ws.queue[k]; ws.removedCount += 1 }
        var passes = 0
        while true {
            passes += 1
            var removed = 0
            for s32 in g.sequentialOrder where ws.dirty[Int(s32)] {
                let s = Int(s32)
                // the hits stay queued until the first dependency step takes them off the counters
                removed += supplyStep(
                    sector: s, first: passes == 1, hits: UnsafeBufferPointer(start: ws.removed, count: ws.removedCount),
                    hitsInRemoved: true, links: links, ws: ws)
                // this sector's step has seen its removals: keep the other sectors'
                var keep = 0
                for j in 0..<ws.removedCount where g.sector(Int(ws.removed[j])) != s32 {
                    ws.removed[keep] = ws.removed[j]; keep += 1
                }
                ws.removedCount = keep
                removed += propagateDependencies(rowPresent: rowPresent, ws: ws)
            }
            if removed == 0 || !ws.dirty.contains(true) { break }
        }
        ws.rounds = passes
    }

    /// The supply step of sector `s`: its unsupplied working assets die and are queued; returns
    /// how many. `first`: the sector's first step in this run, which may start from the baseline;
    /// `hits`: the removals since the baseline (the run's hits, or with `hitsInRemoved` the list
    /// `ws.removed`, which then already holds them).
    @inline(__always)
    func supplyStep(
        sector s: Int, first: Bool, hits: UnsafeBufferPointer<Int32>, hitsInRemoved: Bool,
        links: UnsafeBufferPointer<UInt8>, ws: CascadeWorkspace
    ) -> Int {
        let g = graph
        ws.dirty[s] = false
        let before = ws.queueCount
        let untouched =
            first && !ws.linksHit[s]
            && ws.sectorAlive[s] == g.sectorStart[s + 1] - g.sectorStart[s]
        var killedFirst = 0 // assets killed (and counted) before `before`
        if untouched {
            // nothing in this sector was hit: its supply is the baseline's
            for k in Int(baselineStart[s])..<Int(baselineStart[s + 1]) {
                ws.queue[ws.queueCount] = baselineOut[k]; ws.queueCount += 1
            }
            if g.supply[s] == .giantComponent { ws.connected[s] = true }
            if g.supply[s] == .sources && ws.parent.count > 0 { ws.forest[s] = true }
        } else {
            switch g.supply[s] {
            case .none: break
            case .sources:
                guard g.sectorHasLinks[s] else { break }
                if incremental && ws.parent.count > 0 && first && !ws.linksHit[s] {
                    // the baseline minus this sector's hits: its unsupplied die, then the hits' effect
                    for k in Int(baselineStart[s])..<Int(baselineStart[s + 1]) {
                        let b = Int(baselineOut[k])
                        if ws.aliveBuf[b] != 0 {
                            ws.aliveBuf[b] = 0; ws.sectorAlive[s] -= 1
                            ws.queue[ws.queueCount] = Int32(b); ws.queueCount += 1
                            killedFirst += 1
                        }
                    }
                    ws.forest[s] = true
                    if !IncrementalSources.step(self, sector: s, removed: hits, linkHit: links, ws: ws) {
                        supplySources(sector: s, linkHit: links, ws: ws)
                    }
                } else if incremental && !first && ws.forest[s] {
                    let removedNow = UnsafeBufferPointer(start: ws.removed, count: ws.removedCount)
                    if !IncrementalSources.step(self, sector: s, removed: removedNow, linkHit: links, ws: ws) {
                        supplySources(sector: s, linkHit: links, ws: ws)
                    }
                } else {
                    supplySources(sector: s, linkHit: links, ws: ws)
                }
            case .giantComponent:
                if incremental && first && !ws.linksHit[s] {
                    // the baseline's giant minus this sector's hits, when it stays strictly the largest
                    if !giantFromBaseline(sector: s, hits: hits, hitsInRemoved: hitsInRemoved, killed: &killedFirst, ws: ws) {
                        giantComponent(sector: s, linkHit: links, ws: ws)
                    } else {
                        ws.incrementalSteps += 1
                    }
                } else if incremental && ws.connected[s] && IncrementalGiant.step(self, sector: s, linkHit: links, ws: ws) {
                    ws.incrementalSteps += 1
                } else {
                    giantComponent(sector: s, linkHit: links, ws: ws)
                }
                ws.connected[s] = true
            }
        }
        // unsupplied assets die; removing them changes no supply in their own sector
        for q in (before + killedFirst)..<ws.queueCount {
            ws.aliveBuf[Int(ws.queue[q])] = 0
            ws.sectorAlive[s] -= 1
        }
        return ws.queueCount - before
    }

    /// Kills asset `c` (a consumer whose requirement failed) and queues it.
    @inline(__always)
    func kill(_ c: Int, _ ws: CascadeWorkspace) {
        ws.aliveBuf[c] = 0
        let s = Int(graph.sector(c))
        ws.sectorAlive[s] -= 1
        ws.dirty[s] = true
        ws.queue[ws.queueCount] = Int32(c)
        ws.queueCount += 1
        ws.removed[ws.removedCount] = Int32(c)
        ws.removedCount += 1
    }

    /// Round 1 of giant-component sector s from the baseline: its left-out assets die (counted
    /// in `killed`), and the giant loses what the sector's hits cut off (`IncrementalGiant`, the
    /// hits as removals). Valid when the rest stays strictly larger than every cluster the
    /// baseline left out; otherwise undoes the kills and returns false (the caller searches).
    func giantFromBaseline(
        sector s: Int, hits: UnsafeBufferPointer<Int32>, hitsInRemoved: Bool, killed: inout Int,
        ws: CascadeWorkspace
    ) -> Bool {
        // many hits: the incremental step would give up anyway (IncrementalGiant's own bound)
        let size = Int(graph.sectorStart[s + 1] - graph.sectorStart[s])
        if (size - Int(ws.sectorAlive[s])) * 8 >= size { return false }
        let start = ws.queueCount
        for k in Int(baselineStart[s])..<Int(baselineStart[s + 1]) {
            let b = Int(baselineOut[k])
            if ws.aliveBuf[b] != 0 {
                ws.aliveBuf[b] = 0; ws.sectorAlive[s] -= 1
                ws.queue[ws.queueCount] = Int32(b); ws.queueCount += 1
            }
        }
        let revived = ws.queueCount - start
        // the hits are the removals since the (connected) baseline giant
        let removedBefore = ws.removedCount
        if !hitsInRemoved { for h in hits { ws.removed[ws.removedCount] = h; ws.removedCount += 1 } }
        ws.connected[s] = true
        let none = UnsafeBufferPointer<UInt8>(start: nil, count: 0)
        let piecesStart = ws.queueCount
        var ok = IncrementalGiant.step(self, sector: s, linkHit: none, ws: ws)
        ws.removedCount = removedBefore
        if ok {
            let rest = Int(ws.sectorAlive[s]) - (ws.queueCount - piecesStart)
            ok = rest > Int(baselineSecond[s])
        }
        if !ok {
            for q in start..<(start + revived) { ws.aliveBuf[Int(ws.queue[q])] = 1; ws.sectorAlive[s] += 1 }
            ws.queueCount = start
            ws.connected[s] = false
            return false
        }
        killed += revived
        return true
    }

    /// Every requirement counter at its value with every row present (`initialSlack`).
    func setFullSlack(_ ws: CascadeWorkspace) {
        if initialSlack.isEmpty {
            ws.slack.update(repeating: 0)
        } else {
            initialSlack.withUnsafeBufferPointer { _ = ws.slack.update(fromContentsOf: $0) }
        }
    }

    /// The supply forests of `sources` sectors as the baseline left them (`baselineParent`).
    func setBaselineForests(_ ws: CascadeWorkspace) {
        if !baselineParent.isEmpty {
            baselineParent.withUnsafeBufferPointer { _ = ws.parent.update(fromContentsOf: $0) }
        }
    }

    /// Added to the slack of a forced requirement: larger than any number of providers.
    public static let forcedBonus: Int32 = 1 << 30

    /// Whether every byte of `b` is 1 (an empty buffer: yes).
    static func allOnes(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        for x in b where x == 0 { return false }
        return true
    }

    /// Counters of every requirement for this sample: its present providers (hit ones too: the
    /// queued hits are taken off in round 1's dependency step) minus how many it needs (its
    /// need, at most the present count; a requirement with no present provider never fails).
    func initRequirements(rowPresent: UnsafeBufferPointer<UInt8>, ws: CascadeWorkspace) {
        let g = graph
        let slack = ws.slack
        for r in 0..<g.requirementCount {
            var present: Int32 = 0
            for k in g.slots(r) where rowPresent[g.row(slot: k)] != 0 { present += 1 }
            slack[r] = present - min(g.need(r), present)
        }
    }

    /// Propagates the failures in `ws.queue` (dead, their requirement counters not yet
    /// decremented) through the requirements they serve, until every requirement holds.
    /// - Returns: the number of assets it killed beyond those queued.
    /// `rowPresent` nil: every row is present.
    func propagateDependencies(rowPresent: UnsafeBufferPointer<UInt8>?, ws: CascadeWorkspace) -> Int {
        let g = graph
        var head = ws.queueFloor
        let start = ws.queueCount
        let alive = ws.aliveBuf, slack = ws.slack, queue = ws.queue
        let present = rowPresent ?? UnsafeBufferPointer(start: nil, count: 0)
        let all = rowPresent == nil
        let oneServed = g.providerReqStart.isEmpty, ownConsumer = g.reqConsumerTable.isEmpty
        g.providerReqStart.withUnsafeBufferPointer { pstart in
            g.providerReq.withUnsafeBufferPointer { preq in
                g.providerRow.withUnsafeBufferPointer { prow in
                    g.reqConsumerTable.withUnsafeBufferPointer { consumer in
                        while head < ws.queueCount {
                            let x = Int(queue[head]); head += 1
                            let lo = oneServed ? x : Int(pstart[x]), hi = oneServed ? x + 1 : Int(pstart[x + 1])
                            for k in lo..<hi where all || present[Int(prow[k])] != 0 {
                                let r = Int(preq[k])
                                slack[r] -= 1
                                if slack[r] < 0 {
                                    let c = ownConsumer ? r : Int(consumer[r])
                                    if alive[c] != 0 { kill(c, ws) }
                                }
                            }
                        }
                    }
                }
            }
        }
        let killed = ws.queueCount - start
        if ws.keepsQueue { ws.queueFloor = ws.queueCount } else { ws.queueCount = 0 }
        return killed
    }

    /// Supply in a `sources` sector: BFS from working sources; unsupplied working assets are queued.
    func supplySources(sector s: Int, linkHit: UnsafeBufferPointer<UInt8>, ws: CascadeWorkspace) {
        let g = graph
        let noLinks = linkHit.count == 0 // no link is damaged in this sample
        let gen = ws.nextGeneration()
        let alive = ws.aliveBuf, stamp = ws.stamp, bfs = ws.bfs
        // the supply forest is recorded when the workspace keeps one
        let parent = ws.parent, keep = ws.parent.count > 0
        if keep { ws.forest[s] = true; ws.parentRewritten[s] = true }
        var tail = 0
        let lo = Int(g.sectorStart[s]), hi = Int(g.sectorStart[s + 1])
        let contiguous = g.sectorAssetTable.isEmpty
        g.sectorAssetTable.withUnsafeBufferPointer { members in
            g.role.withUnsafeBufferPointer { role in
                for k in lo..<hi {
                    let a = contiguous ? k : Int(members[k])
                    if alive[a] != 0 && role[a] == .source {
                        stamp[a] = gen; bfs[tail] = Int32(a); tail += 1
                        if keep { parent[a] = IncrementalSources.root }
                    }
                }
                g.outStart.withUnsafeBufferPointer { start in
                    g.outNeighbour.withUnsafeBufferPointer { nb in
                        g.outLink.withUnsafeBufferPointer { link in
                            var head = 0
                            while head < tail {
                                let u = Int(bfs[head]); head += 1
                                if role[u] == .consumer { continue }
                                for e in Int(start[u])..<Int(start[u + 1]) {
                                    let v = Int(nb[e])
                                    if stamp[v] != gen && alive[v] != 0 && (noLinks || linkHit[Int(link[e])] == 0) {
                                        stamp[v] = gen
                                        bfs[tail] = Int32(v); tail += 1
                                        if keep { parent[v] = Int32(u) }
                                    }
                                }
                            }
                        }
                    }
                }
                if tail == Int(ws.sectorAlive[s]) { return }
                for k in lo..<hi {
                    let a = contiguous ? k : Int(members[k])
                    if alive[a] != 0 && stamp[a] != gen {
                        ws.queue[ws.queueCount] = Int32(a); ws.queueCount += 1
                        if keep { parent[a] = IncrementalSources.none }
                    }
                }
            }
        }
    }

    /// Supply in a `giant-component` sector: keeps the largest cluster (ties: the cluster holding
    /// the smallest id); stops labelling once one cluster holds more than half of the working
    /// assets. One stamp per asset marks both the search and the cluster (`stamp - base`).
    /// Clusters are found scanning the sector in index order, so each is found at its smallest
    /// index; when ids are in index order that is also its smallest id and the first cluster of
    /// the largest size wins, otherwise each search keeps the smallest id rank it meets.
    func giantComponent(sector s: Int, linkHit: UnsafeBufferPointer<UInt8>, ws: CascadeWorkspace) {
        let g = graph
        let noLinks = linkHit.count == 0 // no link is damaged in this sample
        let total = Int(ws.sectorAlive[s])
        let base = ws.reserveGenerations(total + 1)
        let alive = ws.aliveBuf, stamp = ws.stamp, bfs = ws.bfs
        let lo = Int(g.sectorStart[s]), hi = Int(g.sectorStart[s + 1])
        let contiguous = g.sectorAssetTable.isEmpty, ranked = !g.idRankTable.isEmpty
        var bestSize = 0, bestLabel: UInt32 = 0, bestRank = Int32.max
        var nextLabel: UInt32 = 0
        var seen = 0
        g.sectorAssetTable.withUnsafeBufferPointer { members in
            g.idRankTable.withUnsafeBufferPointer { rank in
                g.adjStart.withUnsafeBufferPointer { start in
                    g.adjNeighbour.withUnsafeBufferPointer { nb in
                        g.adjLink.withUnsafeBufferPointer { link in
                            for k in lo..<hi {
                                let a = contiguous ? k : Int(members[k])
                                if alive[a] == 0 || stamp[a] >= base { continue }
                                if bestSize * 2 > total { break } // the giant is known
                                if total - seen < bestSize { break } // no remaining cluster can reach it
                                let lab = nextLabel; nextLabel += 1
                                let mark = base + lab
                                var tail = 1, head = 0
                                var minRank = ranked ? rank[a] : 0
                                bfs[0] = Int32(a); stamp[a] = mark
                                while head < tail {
                                    let u = Int(bfs[head]); head += 1
                                    for e in Int(start[u])..<Int(start[u + 1]) {
                                        let v = Int(nb[e])
                                        if stamp[v] < base && alive[v] != 0 && (noLinks || linkHit[Int(link[e])] == 0) {
                                            stamp[v] = mark
                                            bfs[tail] = Int32(v); tail += 1
                                            if ranked && rank[v] < minRank { minRank = rank[v] }
                                        }
                                    }
                                }
                                seen += tail
                                if tail > bestSize || (ranked && tail == bestSize && minRank < bestRank) {
                                    bestSize = tail; bestLabel = lab; bestRank = minRank
                                }
                            }
                        }
                    }
                }
            }
            if bestSize == total { return }
            let keep = base + bestLabel
            for k in lo..<hi {
                let a = contiguous ? k : Int(members[k])
                if alive[a] != 0 && stamp[a] != keep { ws.queue[ws.queueCount] = Int32(a); ws.queueCount += 1 }
            }
        }
    }
}
