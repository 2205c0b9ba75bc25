import Foundation
import Hazards
import InfraGraph
import InfraModel
import ModelIO
import Simulation
import TestSupport
import Testing

@testable import TimedSimulation

/// Timed mode against static mode and against exact quantile definitions.
@Suite struct TimedSimulationTests {
    static let repo = Repository.root

    static func load(_ rel: String) throws -> Scenario {
        let path = repo.appendingPathComponent(rel).path
        return try ScenarioLoader.load(path: path, defaultFragility: FragilityLoader.locateDefault(scenarioPath: path)).scenario
    }

    /// docs/specification.md section 5: the state at every moment is the static fixed point. Without repairs
    /// (repair times far beyond the horizon, outs lasting the whole horizon), every backup has run
    /// out long before a horizon of 10⁶ h, so each sample ends in the static state of the same
    /// damage: the last point of its curve equals static mode's people without service, sample
    /// by sample and sector by sector, on the shipped 100-year flood (with its backups and outage).
    @Test func withoutRepairsEachSampleEndsInTheStaticState() throws {
        var sc = try Self.load("scenarios/riverside-flood-100y.yaml")
        sc.simulation.seed = 7
        let graph = CompiledGraph(sc.network)
        let plan = try HazardPlan(scenario: sc, graph: graph)
        let stat = MonteCarlo(scenario: sc, graph: graph, plan: plan).run(samples: 64, threads: 2)

        var t = sc
        t.simulation.mode = .timed
        t.simulation.horizonHours = 1e6
        t.simulation.stepHours = 1e5
        let nA = t.network.assets.count, nL = t.network.links.count
        t.network.assets.common.repairHours = DefaultedColumn([Double](repeating: 1e9, count: nA), absent: .nan)
        t.network.assets.common.repairBeta = DefaultedColumn([Double](repeating: 0, count: nA), absent: .nan)
        t.network.links.common.repairHours = DefaultedColumn([Double](repeating: 1e9, count: nL), absent: .nan)
        t.network.links.common.repairBeta = DefaultedColumn([Double](repeating: 0, count: nL), absent: .nan)
        for k in t.events.indices {
            switch t.events[k].kind {
            case .outage(let p, _): t.events[k].kind = .outage(probability: p, durationHours: nil)
            case .supplyInterruption: t.events[k].kind = .supplyInterruption(durationHours: nil)
            case .contamination: t.events[k].kind = .contamination(durationHours: nil)
            default: break
            }
        }
        let tplan = try HazardPlan(scenario: t, graph: graph)
        let timed = TimedMonteCarlo(scenario: t, graph: graph, plan: tplan, timed: try TimedPlan(scenario: t, graph: graph, plan: tplan))
            .run(samples: 64, threads: 2)
        let nS = sc.network.sectors.count
        var compared = 0, nonzero = 0
        for i in 0..<64 {
            let times = timed.timed!.curveTimes[i], people = timed.timed!.curvePeople[i]
            let last = times.count - 1
            for s in 0..<nS {
                #expect(people[last * nS + s] == stat.peopleWithout[s][i], "sample \(i) sector \(sc.network.sectors.names[s])")
                compared += 1
                if stat.peopleWithout[s][i] > 0 { nonzero += 1 }
            }
        }
        #expect(compared == 64 * nS && nonzero > 64)
        // with backups in the model, the timed curves change after t = 0 (backups running out)
        #expect(timed.timed!.curveTimes.contains { $0.count > 1 })
    }

    /// The selection-based quantile equals GSL's definition on sorted data (index p(n−1), linear).
    @Test func timelineQuantileMatchesSortedDefinition() {
        var x: UInt64 = 5
        for n in [1, 2, 3, 10, 101, 1000] {
            var v: [Double] = (0..<n).map { _ in
                x = x &* 6364136223846793005 &+ 1442695040888963407
                return Double(x >> 40) / 8.0
            }
            if n > 3 { v[1] = v[0]; v[2] = v[0] } // ties
            let sorted = v.sorted()
            for p in [0.0, 0.05, 0.5, 0.9, 0.95, 1.0] {
                let f = p * Double(n - 1), lo = Int(f.rounded(.down)), d = f - Double(lo)
                let expected = lo + 1 < n ? (1 - d) * sorted[lo] + d * sorted[lo + 1] : sorted[lo]
                var w = v
                #expect(TimedResult.quantile(&w, p) == expected, "n \(n) p \(p)")
            }
        }
        // with zeros implied (per-asset p90 of sparse outage durations)
        let nonzero = [2.0, 5.0, 9.0]
        let full = [Double](repeating: 0, count: 7) + nonzero
        var w = full
        #expect(TimedMonteCarlo.quantileWithZeros(nonzero, samples: 10, p: 0.9) == TimedResult.quantile(&w, 0.9))
    }

    /// Sample cost follows the changes, not the step: the same sample gives the same curve for
    /// step 1 h and 0.01 h, and the timeline only resamples it.
    @Test func stepOnlySetsTheCurveResolution() throws {
        var sc = try Self.load("scenarios/riverside-windstorm-timed.yaml")
        let graph = CompiledGraph(sc.network)
        let plan = try HazardPlan(scenario: sc, graph: graph)
        func run(_ step: Double) throws -> MonteCarloResult {
            sc.simulation.stepHours = step
            return TimedMonteCarlo(scenario: sc, graph: graph, plan: plan, timed: try TimedPlan(scenario: sc, graph: graph, plan: plan))
                .run(samples: 20, threads: 1)
        }
        let coarse = try run(1), fine = try run(0.01)
        #expect(coarse.loss == fine.loss)
        #expect(coarse.timed!.curveTimes == fine.timed!.curveTimes)
        let grid = fine.timed!.gridTimes
        #expect(grid.count == Int((sc.simulation.horizonHours / 0.01).rounded()) + 1)
    }
}
