import InfraGraph
import InfraModel

/// The supply step of a `sources` sector from removals only, exact: a decremental reachability
/// update over the sector's supply forest (the parent through which each supplied asset was
/// reached), in the manner of Ramalingam & Reps's incremental algorithms and Even & Shiloach's
/// decremental search trees.
///
/// The assets whose forest path to a source runs through a removed asset are the only ones that
/// may lose supply (every other working asset keeps its path). Each of them is re-attached when a
/// working in-neighbour outside that set passes supply on to it (not a consumer, link working);
/// re-attached assets re-attach others in turn (a search inside the set); the rest are
/// unsupplied. The forest is updated, so later steps can work from it again. Returns false — the
/// caller then does a full search — when the forest is not valid for the current working set or
/// the affected set exceeds a quarter of the sector.
/// - Complexity: O(Σ degree over the affected set), not O(sector).
enum IncrementalSources {
    /// Marks a parent entry of an asset that is not in the forest.
    static let none: Int32 = -2
    /// The parent entry of a source.
    static let root: Int32 = -1

    /// Runs the step for sector s with the assets removed since its forest was made (`removed`,
    /// dead; assets of other sectors in it are skipped); queues the assets that lose supply.
    static func step(
        _ c: StaticCascade, sector s: Int, removed: UnsafeBufferPointer<Int32>, linkHit: UnsafeBufferPointer<UInt8>,
        ws: CascadeWorkspace
    ) -> Bool {
        guard ws.forest[s] else { return false }
        let g = c.graph
        let noLinks = linkHit.count == 0
        let alive = ws.aliveBuf, parent = ws.parent, stamp = ws.stamp, bfs = ws.bfs
        let size = Int(g.sectorStart[s + 1] - g.sectorStart[s])
        let budget = max(64, size / 4)
        let affected = ws.nextGeneration(), reattached = ws.nextGeneration()
        // the forest descendants of the removed assets (working ones)
        var n = 0
        var ok = true
        g.outStart.withUnsafeBufferPointer { start in
            g.outNeighbour.withUnsafeBufferPointer { nb in
                g.role.withUnsafeBufferPointer { role in
                    for r in removed {
                        let ri = Int(r)
                        guard role[ri] != .consumer, g.sector(ri) == Int32(s) else { continue }
                        for e in Int(start[ri])..<Int(start[ri + 1]) {
                            let v = Int(nb[e])
                            if parent[v] == r && alive[v] != 0 && stamp[v] != affected {
                                stamp[v] = affected; bfs[n] = Int32(v); n += 1
                            }
                        }
                    }
                    var head = 0
                    while head < n {
                        if n > budget { ok = false; return }
                        let u = Int(bfs[head]); head += 1
                        guard role[u] != .consumer else { continue }
                        for e in Int(start[u])..<Int(start[u + 1]) {
                            let v = Int(nb[e])
                            if parent[v] == Int32(u) && alive[v] != 0 && stamp[v] != affected {
                                stamp[v] = affected; bfs[n] = Int32(v); n += 1
                            }
                        }
                    }
                }
            }
        }
        guard ok else { return false }
        if n == 0 { return true }
        if ws.keepsQueue { ws.parentLog.append(contentsOf: UnsafeBufferPointer(start: bfs, count: n)) }
        // re-attach from working, still-supplied in-neighbours; then search inside the set.
        // bfs[0..<n] holds the affected set; re-attached ones are queued after it (the workspace
        // gives bfs room for twice the assets when the graph has supply forests)
        var tail = n
        g.inStart.withUnsafeBufferPointer { istart in
            g.inNeighbour.withUnsafeBufferPointer { inb in
                g.inLink.withUnsafeBufferPointer { ilink in
                    g.role.withUnsafeBufferPointer { role in
                        for k in 0..<n {
                            let v = Int(bfs[k])
                            for e in Int(istart[v])..<Int(istart[v + 1]) {
                                let w = Int(inb[e])
                                if alive[w] != 0 && stamp[w] != affected && role[w] != .consumer
                                    && parent[w] != Self.none && (noLinks || linkHit[Int(ilink[e])] == 0)
                                {
                                    parent[v] = Int32(w); stamp[v] = reattached
                                    bfs[tail] = Int32(v); tail += 1
                                    break
                                }
                            }
                        }
                    }
                }
            }
        }
        g.outStart.withUnsafeBufferPointer { start in
            g.outNeighbour.withUnsafeBufferPointer { nb in
                g.outLink.withUnsafeBufferPointer { link in
                    g.role.withUnsafeBufferPointer { role in
                        var head = n
                        while head < tail {
                            let u = Int(bfs[head]); head += 1
                            guard role[u] != .consumer else { continue }
                            for e in Int(start[u])..<Int(start[u + 1]) {
                                let v = Int(nb[e])
                                if stamp[v] == affected && alive[v] != 0 && (noLinks || linkHit[Int(link[e])] == 0) {
                                    parent[v] = Int32(u); stamp[v] = reattached
                                    bfs[tail] = Int32(v); tail += 1
                                }
                            }
                        }
                    }
                }
            }
        }
        // the affected assets not re-attached lose supply
        for k in 0..<n {
            let v = Int(bfs[k])
            if stamp[v] == affected {
                parent[v] = Self.none
                ws.queue[ws.queueCount] = Int32(v); ws.queueCount += 1
            }
        }
        return true
    }
}
