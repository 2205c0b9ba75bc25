import Foundation
import Importers
import ModelIO
import TestSupport

/// Paths of the real networks shipped in `scenarios/source-data/` (sources and licences in its
/// MANIFEST.csv), and helpers to import them into a temporary folder and load the result.
enum ImportFixtures {
    static let repo = Repository.root
    static func real(_ rel: String) -> String { repo.appendingPathComponent("scenarios/source-data/" + rel).path }

    /// A fresh temporary folder path (not created).
    static func tempDir(_ tag: String) -> String {
        TemporaryFolder.url("import-\(tag)").path
    }

    /// Writes `text` to a temporary file named `name` and returns its path.
    static func tempFile(_ name: String, _ text: String) -> String {
        let dir = TemporaryFolder.url("import-in")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let p = dir.appendingPathComponent(name).path
        FileManager.default.createFile(atPath: p, contents: Data(text.utf8))
        return p
    }
}
