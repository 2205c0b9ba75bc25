import ModelIO
import Situations

extension SituationSource {
    /// Loads `path` exactly as `kaskada validate` does (`ScenarioLoader.loadScenarioOrModel`): a
    /// scenario, or a model as a timed scenario without events. The service reads files; the
    /// Situations domain only computes.
    /// - Throws: `InputError` with every problem (file, line, field), as the command line reports them.
    public static func load(path: String) throws(InputError) -> SituationSource {
        let l = try ScenarioLoader.loadScenarioOrModel(path: path)
        return SituationSource(path: path, scenario: l.scenario, isScenario: l.isScenario, warnings: l.warnings.map(\.description))
    }
}
