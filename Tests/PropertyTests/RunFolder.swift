import Foundation
import TestSupport

/// A temporary work folder with a random model and its scenario: `model/` and `scenario.yaml`
/// (and `shuffled/` with `shuffled.yaml`, the same model with its table rows shuffled).
struct RunFolder {
    let dir: URL
    let recipe: RunRecipe

    init(_ recipe: RunRecipe) throws {
        self.recipe = recipe
        dir = TemporaryFolder.url("prop-run")
        let files = ModelFiles(recipe.model)
        try files.write(to: dir.appendingPathComponent("model"))
        try recipe.scenarioYAML(files, network: "model/network.yaml")
            .write(to: dir.appendingPathComponent("scenario.yaml"), atomically: true, encoding: .utf8)
        try ModelFiles(recipe.model, shuffle: true).write(to: dir.appendingPathComponent("shuffled"))
        try recipe.scenarioYAML(files, network: "shuffled/network.yaml")
            .write(to: dir.appendingPathComponent("shuffled.yaml"), atomically: true, encoding: .utf8)
    }

    func remove() { if ProcessInfo.processInfo.environment["KASKADA_KEEP"] == nil { try? FileManager.default.removeItem(at: dir) } }

    /// `kaskada run SCENARIO --out OUT --quiet` plus `extra` and `--no-rankings` unless the recipe has rankings.
    func run(_ scenario: String = "scenario.yaml", out: String, _ extra: [String] = []) throws -> Bool {
        try KaskadaCLI.expectSuccess(
            ["run", scenario, "--out", out, "--quiet"] + (recipe.rankings ? [] : ["--no-rankings"]) + extra,
            cwd: dir)
    }

    func path(_ name: String) -> URL { dir.appendingPathComponent(name) }
}
