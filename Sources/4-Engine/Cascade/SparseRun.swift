import InfraGraph
import InfraModel

/// Static cascades of a few hit assets in time proportional to what they change, not to the
/// model: the same rounds as `run` (so the same working set, exactly), on a workspace kept in
/// its *pristine* state between runs — every asset working, every requirement counter at its
/// value with every row present, the baseline's supply forests — and put back into it afterwards
/// from the run's own record instead of being set up again over every asset.
///
/// What `run` does per run over all assets, and what a sparse run does instead:
/// - the working flags: only the hits are cleared; every asset that dies is kept in the queue
///   (`CascadeWorkspace.keepsQueue`), and the undo sets those back;
/// - the requirement counters: each dead asset was taken off the counters it serves exactly
///   once (every queued asset goes through a dependency step), so the undo adds it back;
/// - the supply forests: incremental steps log the assets whose parent they may change, full
///   searches mark their sector; the undo copies those entries from the baseline forest.
///
/// Every asset, link and dependency row is present and no link is hit (N-1 impact of an asset,
/// docs/specification.md section 6).
/// - Complexity: O(sectors + hits + Σ baseline-unsupplied assets of the sectors the hits do not
///   touch + the work of the incremental steps and dependency propagation that follow), for the
///   run and again for the undo; a sector that needs a full search costs O(its size).
extension StaticCascade {
    /// Puts `ws` into the pristine state (O(assets + requirement slots)); needed once before the
    /// first sparse run and after any `run` on the same workspace.
    public func makePristine(_ ws: CascadeWorkspace) {
        ws.aliveBuf.update(repeating: 1)
        setFullSlack(ws)
        setBaselineForests(ws)
        ws.parentRewritten.update(repeating: false)
        ws.parentLog.removeAll(keepingCapacity: true)
        ws.queueCount = 0
        ws.queueFloor = 0
        ws.keepsQueue = false
    }

    /// Runs the cascade of `hits` (asset indices, ascending, no repeats) on a pristine workspace
    /// and returns every asset that does not work afterwards, the hits included, in no
    /// particular order. The buffer and `ws.alive` are valid until `undoSparse(ws)`, which must
    /// follow before the next run.
    public func runSparse(hits: UnsafeBufferPointer<Int32>, ws: CascadeWorkspace) -> UnsafeMutableBufferPointer<Int32> {
        let g = graph
        ws.queueCount = 0
        ws.queueFloor = 0
        ws.removedCount = 0
        ws.keepsQueue = true
        for s in 0..<g.sectorCount {
            ws.dirty[s] = true; ws.connected[s] = false; ws.linksHit[s] = false; ws.forest[s] = false
            ws.sectorAlive[s] = g.sectorStart[s + 1] - g.sectorStart[s]
        }
        // as `run` queues them: in index order (which is sector order when sectors are contiguous)
        for h in hits {
            let a = Int(h)
            ws.aliveBuf[a] = 0
            ws.sectorAlive[Int(g.sector(a))] -= 1
            ws.queue[ws.queueCount] = h; ws.queueCount += 1
        }
        cascade(hitCount: ws.queueCount, links: UnsafeBufferPointer(start: nil, count: 0), rowPresent: nil, ws: ws)
        ws.keepsQueue = false
        return UnsafeMutableBufferPointer(start: ws.queue, count: ws.queueCount)
    }

    /// `runSparse` of the one asset `a`.
    public func runSparse(hit a: Int32, ws: CascadeWorkspace) -> UnsafeMutableBufferPointer<Int32> {
        var hit = a
        return withUnsafePointer(to: &hit) { runSparse(hits: UnsafeBufferPointer(start: $0, count: 1), ws: ws) }
    }

    /// Returns the workspace to the pristine state after `runSparse`.
    /// - Complexity: O(dead assets × the requirements each serves + logged forest entries +
    ///   the sectors a full search rewrote).
    public func undoSparse(_ ws: CascadeWorkspace) {
        let g = graph
        let oneServed = g.providerReqStart.isEmpty
        g.providerReqStart.withUnsafeBufferPointer { pstart in
            g.providerReq.withUnsafeBufferPointer { preq in
                for q in 0..<ws.queueCount {
                    let x = Int(ws.queue[q])
                    ws.aliveBuf[x] = 1
                    let lo = oneServed ? x : Int(pstart[x]), hi = oneServed ? x + 1 : Int(pstart[x + 1])
                    for k in lo..<hi { ws.slack[Int(preq[k])] += 1 }
                }
            }
        }
        if ws.parent.count > 0 {
            baselineParent.withUnsafeBufferPointer { base in
                for s in 0..<g.sectorCount where ws.parentRewritten[s] {
                    for k in Int(g.sectorStart[s])..<Int(g.sectorStart[s + 1]) {
                        let a = g.member(k)
                        ws.parent[a] = base[a]
                    }
                    ws.parentRewritten[s] = false
                }
                for v in ws.parentLog { ws.parent[Int(v)] = base[Int(v)] }
            }
            ws.parentLog.removeAll(keepingCapacity: true)
        }
        ws.queueCount = 0
        ws.queueFloor = 0
    }
}
