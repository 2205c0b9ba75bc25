import Foundation
import InfraGraph
import InfraModel
import ModelIO

/// The model or scenario a service was started with, loaded and compiled once.
public struct SituationSource: Sendable {
    /// The path given on the command line.
    public let path: String
    /// The scenario (a model alone becomes a scenario without events, timed, default settings).
    public let scenario: Scenario
    public let graph: CompiledGraph
    /// Whether `path` was a scenario (its hazard events can be named as footprints).
    public let isScenario: Bool
    /// Warnings of loading, as the command line prints them.
    public let warnings: [String]

    /// Loads `path` exactly as `kaskada validate` does: a scenario when the file has top-level
    /// `network` and `events`, else a model (folder or `network.yaml`).
    /// - Throws: `InputError` with every problem (file, line, field), as the command line reports them.
    public static func load(path: String) throws(InputError) -> SituationSource {
        if ScenarioLoader.isScenario(path: path) {
            let fragility = FragilityLoader.locateDefault(scenarioPath: path)
            let (sc, w) = try ScenarioLoader.load(path: path, defaultFragility: fragility)
            return SituationSource(path: path, scenario: sc, isScenario: true, warnings: w.map(\.description))
        }
        let (net, w) = try NetworkLoader.load(path: path)
        let fragilityPath = FragilityLoader.locateDefault(scenarioPath: path)
        var library = FragilityLibrary()
        if let f = fragilityPath { try FragilityLoader.load(path: f, into: &library) }
        var sc = Scenario(name: net.name, path: path, networkPath: path, network: net, events: [], fragility: library)
        sc.simulation.mode = .timed
        return SituationSource(path: path, scenario: sc, isScenario: false, warnings: w.map(\.description))
    }

    init(path: String, scenario: Scenario, isScenario: Bool, warnings: [String]) {
        self.path = path
        self.scenario = scenario
        self.graph = CompiledGraph(scenario.network)
        self.isScenario = isScenario
        self.warnings = warnings
    }

    /// The model's name.
    public var name: String { scenario.network.name }
    /// Owners of the model, sorted.
    public var owners: [String] { scenario.network.owners.names.sorted() }
}
