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

    /// Compiles `scenario` (graph, hazard plan, timed plan in timed mode). `linkNumbers: false`
    /// leaves the link numbers out of the graph (`CompiledGraph.hasLinkNumbers`; 12 bytes a
    /// link): for a run in which no link can fail (`linkNumbersNeeded`).
    public init(_ scenario: Scenario, linkNumbers: Bool = true) throws {
        var g = CompiledGraph(scenario.network, linkNumbers: linkNumbers)
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

    /// Whether the samples of `scenario` may fail a link, so that the graph needs its link
    /// numbers: in timed mode, when an event of a kind that reaches links (hazard) or selects
    /// them (outage, contamination) can, and when mitigation `options` are evaluated (an option
    /// adds or hardens links). Supply interruptions and attacks fail assets only.
    public static func linkNumbersNeeded(_ scenario: Scenario, options: Bool) -> Bool {
        if scenario.simulation.mode == .timed || (options && !scenario.mitigations.isEmpty) { return true }
        return scenario.events.contains { ev in
            switch ev.kind {
            case .supplyInterruption, .attack: return false
            case .outage, .contamination: return !(ev.match?.links.isEmpty ?? true)
            case .hazard: return true
            }
        }
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
