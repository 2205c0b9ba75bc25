import Dispatch
import InfraGraph
import InfraModel
import Simulation

/// Asset ranking and the coordination matrix of docs/specification.md section 6.
public struct RankingResult: Sendable {
    /// Per asset: N-1 impact (static loss when only it is damaged, minus the loss with nothing damaged).
    public var n1: [Double]
    /// Per asset: risk reduction worth, exact on the run's samples; NaN where not computed.
    public var rrw: [Double]
    /// Per asset: 1-based rank.
    public var rank: [Int32]
    /// `expectedLoss[x * owners + y]`: mean loss at owner x's assets minus the mean with every
    /// asset of owner y undamageable (same samples); nil when not computed.
    public var coordination: [Double]?
    public var owners: Int
    public var n1Cascades: Int
    /// Wall seconds of the three parts (for run.log).
    public var n1Seconds = 0.0, rrwSeconds = 0.0, coordinationSeconds = 0.0
}

public enum Rankings {
    /// Computes N-1 for every asset, `rrw` for the `candidates` assets with the highest
    /// p_damage × n1_impact (then p_damage, then id) among those an event hit in some sample (an
    /// asset never hit has rrw 0 and is not a candidate), the rank, and the coordination matrix.
    /// `progress(part, done, total)` reports long parts.
    /// - Complexity: `N1All`, plus one counterfactual pass per candidate and per owner; a pass
    ///   re-samples every sample and recomputes only those in which the changed assets were hit.
    public static func compute(
        scenario: Scenario, graph g: CompiledGraph, result: MonteCarloResult,
        runner: CounterfactualRunner, threads: Int, candidates: Int = 50,
        coordination: Bool = true,
        progress: (String, Int, Int) -> Void = { _, _, _ in }
    ) -> RankingResult {
        let net = scenario.network
        let weights = net.sectors.names.map { scenario.weight(sector: $0) }
        let clock = Clock()
        progress("n1", 0, g.assetCount)
        let n1r = N1All.compute(graph: g, population: net.assets.population, weight: weights, threads: threads) { done, total in
            if done < total { progress("n1", done, total) }
        }
        progress("n1", g.assetCount, g.assetCount)
        // on the decimal grid of a static loss: impacts equal but for summation order tie
        let peopleResolution = LossResolution(peopleOf: scenario)
        let n1 = n1r.impact.map(peopleResolution.snapped)
        let n1Seconds = clock.lap()
        let n = Double(max(1, result.samples))
        let pDamage = result.damagedCount.map { Double($0) / n }

        // rrw candidates
        let hit = (0..<g.assetCount).filter { result.damagedCount[$0] > 0 }
        let chosen = hit.sorted { x, y in
            let rx = pDamage[x] * n1[x], ry = pDamage[y] * n1[y]
            if rx != ry { return rx > ry }
            if pDamage[x] != pDamage[y] { return pDamage[x] > pDamage[y] }
            return g.idRank(x) < g.idRank(y)
        }.prefix(candidates)
        var rrw = [Double](repeating: .nan, count: g.assetCount)
        progress("rrw", 0, chosen.count)
        let cfs = Self.losses(runner, chosen.map { [Int32($0)] }, result, threads) { progress("rrw", $0, chosen.count) }
        // differences below the run's resolution are rounding, not findings (LossResolution)
        let resolution = LossResolution(scenario: scenario)
        for (k, a) in chosen.enumerated() {
            // on the resolution's decimal grid: equal effects summed in another order tie
            rrw[a] = resolution.snapped(resolution.meanDifference(result.loss, cfs[k].loss))
        }
        let rrwSeconds = clock.lap()

        // rank: rrw descending; then p_damage × n1 descending; ties by id
        let order = (0..<g.assetCount).sorted { x, y in
            let hx = !rrw[x].isNaN, hy = !rrw[y].isNaN
            if hx != hy { return hx }
            if hx && rrw[x] != rrw[y] { return rrw[x] > rrw[y] }
            let rx = pDamage[x] * n1[x], ry = pDamage[y] * n1[y]
            if rx != ry { return rx > ry }
            return g.idRank(x) < g.idRank(y)
        }
        var rank = [Int32](repeating: 0, count: g.assetCount)
        for (k, a) in order.enumerated() { rank[a] = Int32(k + 1) }

        // coordination: owner y's assets undamageable
        let nO = net.owners.count
        var matrix: [Double]? = nil
        if coordination && nO > 1, result.outcomes != nil {
            let base = result.outcomes!.ownerLoss
            var m = [Double](repeating: 0, count: nO * nO)
            var ownerAssets = [[Int32]](repeating: [], count: nO)
            for a in 0..<g.assetCount where net.assets.common.owner[a] >= 0 { ownerAssets[Int(net.assets.common.owner[a])].append(Int32(a)) }
            // owners never hit change nothing
            let ys = (0..<nO).filter { y in ownerAssets[y].contains { result.damagedCount[Int($0)] > 0 } }
            progress("coordination", 0, ys.count)
            let cfs = Self.losses(
                runner, ys.map { y in ownerAssets[y].filter { result.damagedCount[Int($0)] > 0 } },
                result, threads
            ) { progress("coordination", $0, ys.count) }
            for (k, y) in ys.enumerated() {
                for x in 0..<nO where x != y {
                    var sum = 0.0
                    for i in 0..<result.samples { sum += resolution.clean(base[i * nO + x] - cfs[k].ownerLoss[i * nO + x]) }
                    m[x * nO + y] = resolution.snapped(resolution.clean(sum / n))
                }
            }
            matrix = m
        }
        var r = RankingResult(n1: n1, rrw: rrw, rank: rank, coordination: matrix, owners: nO, n1Cascades: n1r.cascades)
        r.n1Seconds = n1Seconds
        r.rrwSeconds = rrwSeconds
        r.coordinationSeconds = clock.lap()
        return r
    }

    /// `runner.losses` in about ten parts, reporting the sets done after each (progress of the
    /// rrw and coordination phases). Each set's losses do not depend on the others in its call.
    static func losses(
        _ runner: CounterfactualRunner, _ sets: [[Int32]], _ baseline: MonteCarloResult, _ threads: Int,
        done: (Int) -> Void
    ) -> [(loss: [Double], ownerLoss: [Double])] {
        let part = max(1, (sets.count + 9) / 10)
        var out: [(loss: [Double], ownerLoss: [Double])] = []
        out.reserveCapacity(sets.count)
        var start = 0
        while start < sets.count {
            let end = min(sets.count, start + part)
            out += runner.losses(undamageable: Array(sets[start..<end]), baseline: baseline, threads: threads)
            done(end)
            start = end
        }
        return out
    }
}

/// Wall-clock laps (monotonic).
final class Clock {
    var last = DispatchTime.now().uptimeNanoseconds
    func lap() -> Double {
        let now = DispatchTime.now().uptimeNanoseconds
        defer { last = now }
        return Double(now - last) * 1e-9
    }
}
