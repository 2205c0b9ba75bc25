import Foundation
import Hazards
import InfraGraph
import InfraModel
import Simulation
import TimedSimulation

/// A scenario compiled for Monte Carlo runs, static or timed.
public struct PreparedScenario: Sendable {
    public let scenario: Scenario
    public let graph: CompiledGraph
    public let plan: HazardPlan
    public let timed: TimedPlan?

    public init(scenario: Scenario, graph: CompiledGraph, plan: HazardPlan, timed: TimedPlan?) {
        self.scenario = scenario; self.graph = graph; self.plan = plan; self.timed = timed
    }

    /// Compiles `scenario` (graph, hazard plan, timed plan in timed mode).
    public init(_ scenario: Scenario) throws {
        var g = CompiledGraph(scenario.network)
        if scenario.simulation.cascadeOrder == .sequential { g.sequentialOrder = scenario.network.sequentialSectorOrder }
        // attacks on the most critical assets need n1_impact on the undamaged model first
        var criticality: [Double]? = nil
        if scenario.events.contains(where: {
            if case .attack(_, .criticality) = $0.kind { return true }; return false
        }) {
            let weights = scenario.network.sectors.names.map { scenario.weight(sector: $0) }
            criticality =
                N1All.compute(
                    graph: g, population: scenario.network.assets.population, weight: weights,
                    threads: ProcessInfo.processInfo.activeProcessorCount
                ).impact
        }
        let p = try HazardPlan(scenario: scenario, graph: g, criticality: criticality)
        let t = scenario.simulation.mode == .timed ? try TimedPlan(scenario: scenario, graph: g, plan: p) : nil
        self.init(scenario: scenario, graph: g, plan: p, timed: t)
    }

    /// The same, with the model's link table emptied (28–36 bytes a link): once compiled, the
    /// graph, the hazard plan and the timed plan hold what the samples read of links. For a run
    /// that applies no mitigation option (options add and match links on the model). Link ids
    /// stay in the id table.
    public func releasingLinkTable() -> PreparedScenario {
        var s = scenario
        s.network.links = LinkTable()
        return PreparedScenario(scenario: s, graph: graph, plan: plan, timed: timed)
    }

    /// The scenario's engine (timed or static), recording failures of `watch`.
    public func engine(watch: [Int32] = []) -> SampleEngine {
        var e: SampleEngine =
            timed.map { TimedMonteCarlo(scenario: scenario, graph: graph, plan: plan, timed: $0) }
            ?? MonteCarlo(scenario: scenario, graph: graph, plan: plan)
        e.watch = watch
        return e
    }

    /// The Monte Carlo run of the scenario's samples (early stop included), recording failures
    /// of `watch` (see `OptionEvaluator.watch`); the engine is returned for counterfactual runs.
    public func run(watch: [Int32] = [], threads: Int, progress: (Int) -> Void = { _ in }) -> (MonteCarloResult, CounterfactualRunner) {
        let e = engine(watch: watch)
        return (
            e.run(
                samples: scenario.simulation.samples, threads: threads, targetRelativeCI: scenario.simulation.targetRelativeCI,
                progress: progress), e
        )
    }
}
