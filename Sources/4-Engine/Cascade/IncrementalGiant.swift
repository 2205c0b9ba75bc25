import InfraGraph
import InfraModel

/// The giant-component step from the removals only, for a sector whose working assets formed
/// one cluster at its previous step (the incremental method of the reference implementations,
/// ../shared/reference/README.md, workload 1).
///
/// Breadth-first searches start at the working neighbours of the assets removed since then and
/// advance in turn, one asset each (round robin); searches that meet are merged (union–find).
/// Once at most one group of searches is unfinished, every finished group is a piece cut off
/// and the unfinished one is the rest of the old cluster, whose size is known from the count.
/// Work is proportional to the pieces cut off, not to the giant. Returns false — the caller then
/// does a full search — when the removals are many (more than an eighth of the working assets),
/// when a finished piece is at least as large as the rest (the giant may change identity), or
/// when every search finished.
/// - Complexity: O(Σ sizes of the cut-off pieces × number of searches in the worst case
///   interleaving), typically O(pieces + degree of the removals).
enum IncrementalGiant {
    /// Reusable search state; grows when needed (amortised), never per sample once warm.
    /// The queues live in blocks of 16 slots in an arena lent by the workspace (its BFS buffer,
    /// idle during this step); a step that would need more blocks than that gives up (the
    /// caller's full search is then the cheaper way anyway).
    final class Pool {
        static let block = 16
        // No exclusivity checks on the pool's fields: read and written in the giant step's innermost
        // loops (benchmarks/run.sh cascade rows); one pool per workspace, one workspace per thread.
        @exclusivity(unchecked) var capacity = 0 // searches
        @exclusivity(unchecked) var blocks = 0 // arena blocks available
        @exclusivity(unchecked) var searchFirst: UnsafeMutablePointer<Int32> = .allocate(capacity: 1)
        @exclusivity(unchecked) var headBlock: UnsafeMutablePointer<Int32> = .allocate(capacity: 1)
        @exclusivity(unchecked) var headPos: UnsafeMutablePointer<Int32> = .allocate(capacity: 1)
        @exclusivity(unchecked) var tailBlock: UnsafeMutablePointer<Int32> = .allocate(capacity: 1)
        @exclusivity(unchecked) var tailPos: UnsafeMutablePointer<Int32> = .allocate(capacity: 1)
        @exclusivity(unchecked) var parent: UnsafeMutablePointer<Int32> = .allocate(capacity: 1)
        @exclusivity(unchecked) var size: UnsafeMutablePointer<Int32> = .allocate(capacity: 1)
        @exclusivity(unchecked) var activeInGroup: UnsafeMutablePointer<Int32> = .allocate(capacity: 1)
        @exclusivity(unchecked) var active: UnsafeMutablePointer<Int32> = .allocate(capacity: 1)
        @exclusivity(unchecked) var arena: UnsafeMutablePointer<Int32>
        @exclusivity(unchecked) var next: UnsafeMutablePointer<Int32>
        @exclusivity(unchecked) var usedBlocks = 0

        /// A pool whose arena is `arena` (`slots` Int32 values, owned by the caller).
        init(arena: UnsafeMutablePointer<Int32>, slots: Int) {
            self.arena = arena
            blocks = slots / Self.block
            next = .allocate(capacity: max(1, blocks))
        }

        /// Room for `n` searches; keeps the state of the searches made so far.
        @inline(__always) func reserve(searches n: Int) {
            guard n > capacity else { return }
            grow(n)
        }

        func grow(_ n: Int) {
            var c = max(1024, capacity)
            while c < n { c *= 2 }
            func moved(_ p: UnsafeMutablePointer<Int32>) -> UnsafeMutablePointer<Int32> {
                let q = UnsafeMutablePointer<Int32>.allocate(capacity: c)
                q.update(from: p, count: capacity)
                p.deallocate()
                return q
            }
            searchFirst = moved(searchFirst); headBlock = moved(headBlock); headPos = moved(headPos)
            tailBlock = moved(tailBlock); tailPos = moved(tailPos); parent = moved(parent)
            size = moved(size); activeInGroup = moved(activeInGroup); active = moved(active)
            capacity = c
        }

        /// A fresh block (16 slots), or -1 when the arena is used up.
        @inline(__always) func newBlock() -> Int32 {
            if usedBlocks == blocks { return -1 }
            let b = usedBlocks
            usedBlocks += 1
            next[b] = -1
            return Int32(b)
        }

        /// Appends v to search s's queue; false when the arena is used up.
        @inline(__always) func push(_ s: Int, _ v: Int32) -> Bool {
            if tailPos[s] == Int32(Self.block) {
                let b = newBlock()
                if b < 0 { return false }
                next[Int(tailBlock[s])] = b
                tailBlock[s] = b
                tailPos[s] = 0
            }
            arena[Int(tailBlock[s]) * Self.block + Int(tailPos[s])] = v
            tailPos[s] += 1
            return true
        }

        /// The next queued asset of search s, or -1 when it is exhausted.
        @inline(__always) func pop(_ s: Int) -> Int32 {
            if headBlock[s] == tailBlock[s] && headPos[s] == tailPos[s] { return -1 }
            if headPos[s] == Int32(Self.block) {
                headBlock[s] = next[Int(headBlock[s])]
                headPos[s] = 0
                if headBlock[s] == tailBlock[s] && headPos[s] == tailPos[s] { return -1 }
            }
            let v = arena[Int(headBlock[s]) * Self.block + Int(headPos[s])]
            headPos[s] += 1
            return v
        }

        @inline(__always) func find(_ x: Int) -> Int {
            var x = x
            while parent[x] != Int32(x) {
                parent[x] = parent[Int(parent[x])]
                x = Int(parent[x])
            }
            return x
        }

        deinit {
            for p in [searchFirst, headBlock, headPos, tailBlock, tailPos, parent, size, activeInGroup, active, next] {
                p.deallocate()
            }
        }
    }

    /// Tries the incremental step for sector `s`; on success queues the assets it cuts off.
    static func step(_ c: StaticCascade, sector s: Int, linkHit: UnsafeBufferPointer<UInt8>, ws: CascadeWorkspace) -> Bool {
        let g = c.graph
        let noLinks = linkHit.count == 0 // no link is damaged in this sample
        let total = Int(ws.sectorAlive[s]) // working assets after the removals
        // the removals of this sector
        var nrem = 0, seeds = 0
        for j in 0..<ws.removedCount {
            let r = Int(ws.removed[j])
            if g.sector(r) == Int32(s) {
                nrem += 1
                seeds += Int(g.adjStart[r + 1] - g.adjStart[r])
            }
        }
        if nrem == 0 { return true } // nothing changed: still one cluster
        if nrem * 8 >= total { return false }
        return g.adjStart.withUnsafeBufferPointer { adjStart in
            g.adjNeighbour.withUnsafeBufferPointer { adjNeighbour in
                g.adjLink.withUnsafeBufferPointer { adjLink in
                    search(
                        sector: s, total: total, seeds: seeds, adjStart: adjStart, adjNeighbour: adjNeighbour,
                        adjLink: adjLink, linkHit: linkHit, noLinks: noLinks, graph: g, ws: ws)
                }
            }
        }
    }

    /// The round-robin searches of `step`, on raw adjacency buffers.
    static func search(
        sector s: Int, total: Int, seeds: Int, adjStart: UnsafeBufferPointer<Int32>,
        adjNeighbour: UnsafeBufferPointer<Int32>, adjLink: UnsafeBufferPointer<Int32>,
        linkHit: UnsafeBufferPointer<UInt8>, noLinks: Bool, graph g: CompiledGraph,
        ws: CascadeWorkspace
    ) -> Bool {
        let pool = ws.searches
        pool.usedBlocks = 0
        // one stamp array marks both "visited in this step" (stamp >= base) and which search
        // visited it (stamp - base): a single random read per neighbour
        let base = ws.reserveGenerations(seeds + 1)
        let alive = ws.aliveBuf, stamp = ws.stamp
        var ns = 0
        for j in 0..<ws.removedCount {
            let r = Int(ws.removed[j])
            guard g.sector(r) == Int32(s) else { continue }
            for e in Int(adjStart[r])..<Int(adjStart[r + 1]) {
                let v = Int(adjNeighbour[e])
                if alive[v] != 0 && stamp[v] < base && (noLinks || linkHit[Int(adjLink[e])] == 0) {
                    stamp[v] = base + UInt32(ns)
                    pool.reserve(searches: ns + 1)
                    let b = pool.newBlock()
                    if b < 0 { return false }
                    pool.searchFirst[ns] = b; pool.headBlock[ns] = b; pool.tailBlock[ns] = b
                    pool.headPos[ns] = 0; pool.tailPos[ns] = 0
                    _ = pool.push(ns, Int32(v))
                    pool.parent[ns] = Int32(ns); pool.size[ns] = 1; pool.activeInGroup[ns] = 1
                    pool.active[ns] = Int32(ns)
                    ns += 1
                }
            }
        }
        if ns == 0 { return true } // no working neighbour: the rest stays one cluster
        var nact = ns, unfinished = ns
        while unfinished > 1 && nact > 0 {
            var a = 0
            while a < nact && unfinished > 1 {
                let sIdx = Int(pool.active[a])
                let x = pool.pop(sIdx)
                if x < 0 {
                    nact -= 1
                    pool.active[a] = pool.active[nact]
                    let gr = pool.find(sIdx)
                    pool.activeInGroup[gr] -= 1
                    if pool.activeInGroup[gr] == 0 { unfinished -= 1 }
                    continue
                }
                let xi = Int(x)
                for e in Int(adjStart[xi])..<Int(adjStart[xi + 1]) {
                    let y = Int(adjNeighbour[e])
                    if alive[y] == 0 || (!noLinks && linkHit[Int(adjLink[e])] != 0) { continue }
                    let st = stamp[y]
                    if st < base {
                        stamp[y] = base + UInt32(sIdx)
                        if !pool.push(sIdx, Int32(y)) { return false }
                        pool.size[pool.find(sIdx)] += 1
                    } else {
                        let gs = pool.find(sIdx), gt = pool.find(Int(st - base))
                        if gs != gt {
                            pool.parent[gs] = Int32(gt)
                            pool.size[gt] += pool.size[gs]
                            pool.activeInGroup[gt] += pool.activeInGroup[gs]
                            unfinished -= 1
                        }
                    }
                }
                a += 1
            }
        }
        // the surviving group: the unfinished one, if it is strictly larger than every finished piece
        var finishedTotal = 0, maxFinished = 0
        var unfinishedGroup = -1
        for sIdx in 0..<ns where pool.parent[sIdx] == Int32(sIdx) {
            if pool.activeInGroup[sIdx] == 0 {
                finishedTotal += Int(pool.size[sIdx])
                maxFinished = max(maxFinished, Int(pool.size[sIdx]))
            } else {
                unfinishedGroup = sIdx
            }
        }
        guard unfinishedGroup >= 0 else { return false } // everything explored: let the full step decide ties
        let rest = total - finishedTotal
        guard rest > maxFinished else { return false } // a cut-off piece may be the giant
        // kill every finished piece
        for sIdx in 0..<ns where pool.find(sIdx) != unfinishedGroup {
            var b = Int(pool.searchFirst[sIdx])
            while true {
                let last = b == Int(pool.tailBlock[sIdx])
                let count = last ? Int(pool.tailPos[sIdx]) : Pool.block
                for k in 0..<count {
                    let v = Int(pool.arena[b * Pool.block + k])
                    ws.queue[ws.queueCount] = Int32(v)
                    ws.queueCount += 1
                }
                if last { break }
                b = Int(pool.next[b])
            }
        }
        return true
    }
}
