import Cascade
import InfraGraph
import InfraModel

/// N-1 impact of every asset (docs/specification.md section 6), exact, in time close to linear
/// in the model: no asset costs a cascade over the whole model.
///
/// From the baseline (nothing damaged, every row present, the static cascade's state):
/// - an asset that does not work in the baseline has impact 0 (models without giant-component
///   sectors: the greatest fixed point is unchanged when a non-working asset is also hit);
/// - a **leaf** — a working asset that serves no requirement and whose removal cuts nobody else
///   off from supply — has impact weight × its own population: the baseline minus the asset is
///   then a fixed point, and the largest one. "Cuts nobody off": in a `sources` sector with links,
///   it immediately dominates no asset in the baseline supply graph (dominator tree by the
///   iterative algorithm of Cooper, Harvey & Kennedy, "A Simple, Fast Dominance Algorithm", 2001,
///   from a virtual root joined to the working sources; consumers relay nothing); in a `none`
///   sector or one without links, always; in a `giant-component` sector never (the specification's
///   round structure can move the giant); and, when the model has a `giant-component` sector,
///   only if it passes supply to no asset that fails in the baseline (its failure could change
///   in which round that asset fails, and so which cluster is the giant);
/// - every other asset gets its own cascade, run sparsely (`N1Impact`, `StaticCascade.runSparse`):
///   the exact rounds of a whole run, in time proportional to what the failure changes — the
///   supply forests of `sources` sectors and the removal-driven giant step (the pieces a failure
///   cuts off the giant, `IncrementalGiant`) — plus the replay of the baseline's own unsupplied
///   assets. Threads share the assets, one workspace each.
///
/// - Complexity: O(assets + links) for the structure, plus per remaining asset O(what its failure
///   changes + the baseline's unsupplied assets and their dependants); a failure that moves a
///   giant (the rest of it no longer strictly larger than every other cluster) costs a search of
///   its sector.
public enum N1All {
    public struct Result: Sendable {
        public var impact: [Double]
        /// Assets that needed a cascade of their own (the others: the shortcuts above).
        public var cascades: Int
    }

    public static func compute(
        graph g: CompiledGraph, population: [Double], weight: [Double], threads: Int,
        progress: (_ done: Int, _ total: Int) -> Void = { _, _ in }
    ) -> Result {
        let n = g.assetCount
        var impact = [Double](repeating: 0, count: n)
        var probe = N1Impact(graph: g, population: population, weight: weight)
        let baseAlive = probe.baselineAlive()
        let hasGiant = g.supply.contains(.giantComponent)
        if !population.contains(where: { $0 > 0 }) { return Result(impact: impact, cascades: 0) } // no loss anywhere
        var cutsOff = [Bool](repeating: false, count: n)
        var post = [Int32](repeating: -1, count: n)
        for s in 0..<g.sectorCount where g.sectorHasLinks[s] {
            switch g.supply[s] {
            case .sources: markDominators(g, sector: s, alive: baseAlive, post: &post, into: &cutsOff)
            case .giantComponent:
                // the round structure can move a giant: every asset gets a cascade
                for k in Int(g.sectorStart[s])..<Int(g.sectorStart[s + 1]) { cutsOff[g.member(k)] = true }
            case .none: break
            }
        }
        var full: [Int32] = []
        for a in 0..<n {
            if baseAlive[a] == 0 {
                if hasGiant { full.append(Int32(a)) } // else 0
                continue
            }
            let leaf = g.served(a).isEmpty && !cutsOff[a] && !(hasGiant && relaysToBaselineDead(g, a, alive: baseAlive))
            if leaf {
                impact[a] = population[a] > 0 ? weight[Int(g.sector(a))] * population[a] : 0
            } else {
                full.append(Int32(a))
            }
        }
        let threads = max(1, min(threads, full.count))
        let todo = full
        if !todo.isEmpty {
            // in about twenty parts, progress after each (each asset's cascade is its own)
            var pool = WorkerPool(threads: threads) { N1Impact(graph: g, population: population, weight: weight) }
            let part = max(threads, (todo.count + 19) / 20)
            var start = 0
            while start < todo.count {
                let end = min(todo.count, start + part)
                let chunks = pool.forEachChunk(of: start..<end) { probe, chunk in chunk.map { probe.asset(Int(todo[$0])) } }
                var k = start
                for values in chunks {
                    for v in values { impact[Int(todo[k])] = v; k += 1 }
                }
                progress(n - todo.count + end, n)
                start = end
            }
        }
        return Result(impact: impact, cascades: full.count)
    }

    /// Whether `a` passes supply on (a non-consumer of a `sources` sector) to an asset that does
    /// not work in the baseline. With a `giant-component` sector the outcome depends on the
    /// rounds (which cluster is largest when its step runs), and such an `a` can change when that
    /// asset fails even though it dominates no working asset: it then needs its own cascade. An
    /// `a` that relays only to working assets dominates nothing in any round either (a path to a
    /// dominated asset would leave `a` through an asset that works at the end, which has a path
    /// of its own).
    static func relaysToBaselineDead(_ g: CompiledGraph, _ a: Int, alive: [UInt8]) -> Bool {
        guard g.supply[Int(g.sector(a))] == .sources, g.role[a] != .consumer else { return false }
        for e in Int(g.outStart[a])..<Int(g.outStart[a + 1]) where alive[Int(g.outNeighbour[e])] == 0 { return true }
        return false
    }

    /// Marks the assets of `sources` sector s that immediately dominate another working asset in
    /// the baseline supply graph (virtual root → working sources; u → v along supply links when u
    /// works and is not a consumer and v works). `post` is scratch of one entry per asset, −1.
    static func markDominators(_ g: CompiledGraph, sector s: Int, alive: [UInt8], post: inout [Int32], into cuts: inout [Bool]) {
        let lo = Int(g.sectorStart[s]), hi = Int(g.sectorStart[s + 1])
        // iterative DFS from the root (its children: the working sources), numbering in postorder
        var postorder: [Int32] = []
        var stack: [(Int32, Int)] = []
        let visitedMark: Int32 = -2
        for k in lo..<hi {
            let a = g.member(k)
            guard alive[a] != 0, g.role[a] == .source, post[a] == -1 else { continue }
            post[a] = visitedMark
            stack.append((Int32(a), Int(g.outStart[a])))
            while let (u, e) = stack.last {
                let ui = Int(u)
                if g.role[ui] != .consumer && e < Int(g.outStart[ui + 1]) {
                    stack[stack.count - 1].1 = e + 1
                    let v = Int(g.outNeighbour[e])
                    if alive[v] != 0 && post[v] == -1 {
                        post[v] = visitedMark
                        stack.append((Int32(v), Int(g.outStart[v])))
                    }
                } else {
                    stack.removeLast()
                    post[ui] = Int32(postorder.count)
                    postorder.append(u)
                }
            }
        }
        let m = postorder.count
        guard m > 0 else { return }
        // predecessors in the supply graph by postorder number; the root is m
        var predStart = [Int32](repeating: 0, count: m + 2)
        func forEachEdge(_ body: (Int, Int) -> Void) {
            for (pa, a) in postorder.enumerated() {
                let ai = Int(a)
                if g.role[ai] == .source { body(m, pa) }
                guard g.role[ai] != .consumer else { continue }
                for e in Int(g.outStart[ai])..<Int(g.outStart[ai + 1]) {
                    let v = Int(g.outNeighbour[e])
                    if alive[v] != 0 && post[v] >= 0 { body(pa, Int(post[v])) }
                }
            }
        }
        forEachEdge { _, to in predStart[to + 1] += 1 }
        for k in 0...m { predStart[k + 1] += predStart[k] }
        var preds = [Int32](repeating: 0, count: Int(predStart[m + 1]))
        var fill = predStart
        forEachEdge { from, to in
            preds[Int(fill[to])] = Int32(from); fill[to] += 1
        }
        var idom = [Int32](repeating: -1, count: m + 1)
        idom[m] = Int32(m)
        var changed = true
        while changed {
            changed = false
            for b in stride(from: m - 1, through: 0, by: -1) { // reverse postorder
                var newIdom: Int32 = -1
                for k in Int(predStart[b])..<Int(predStart[b + 1]) {
                    let p = preds[k]
                    guard idom[Int(p)] >= 0 else { continue }
                    if newIdom < 0 { newIdom = p; continue }
                    var x = p, y = newIdom
                    while x != y {
                        while x < y { x = idom[Int(x)] }
                        while y < x { y = idom[Int(y)] }
                    }
                    newIdom = x
                }
                if newIdom >= 0 && idom[b] != newIdom { idom[b] = newIdom; changed = true }
            }
        }
        for b in 0..<m where idom[b] >= 0 && Int(idom[b]) != m { cuts[Int(postorder[Int(idom[b])])] = true }
        for a in postorder { post[Int(a)] = -1 }
    }
}
