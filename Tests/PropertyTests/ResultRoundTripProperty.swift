import Foundation
import PropertyBased
import Testing

@testable import Reports

/// One typed result from run to report: a run's data files read back into a `ResultData`
/// (`ResultData.parse`, what `kaskada report` does) and written again (`ResultText`, what a run
/// does) give the same bytes, file by file: the value carries everything the files hold.
@Suite struct ResultRoundTripProperty {
    /// The data files `ResultText` writes (`results.geojson` needs the model, not the result).
    static let dataFiles = [
        "summary.json", "assets.csv", "dependencies.csv", "coordination.csv", "zones.csv",
        "timeline.csv", "mitigations.csv", "footprints.geojson",
    ]

    /// 15 random runs: files → `ResultData` → files, byte for byte, and the same set of files.
    /// No shrinking by default: each step would be a run (see RandomModel.swift to replay).
    @Test(.shrinking(false)) func filesToResultToFilesKeepsTheBytes() async throws {
        await propertyCheck(count: 15, input: RunRecipe.generator) { recipe in
            let f = try RunFolder(recipe)
            defer { f.remove() }
            guard try f.run(out: "run", ["--threads", "2"]) else { return }
            var files: [String: String] = [:]
            for name in Self.dataFiles {
                if let data = FileManager.default.contents(atPath: f.path("run/\(name)").path) {
                    files[name] = String(decoding: data, as: UTF8.self)
                }
            }
            let result: ResultData
            do { result = try ResultData.parse(files: files) } catch {
                Issue.record("the run's files do not read back: \(error)")
                return
            }
            let written = Dictionary(uniqueKeysWithValues: ResultText.files(result).map { ($0.0, $0.1()) })
            #expect(Set(written.keys) == Set(files.keys), "written \(written.keys.sorted()), read \(files.keys.sorted())")
            for (name, text) in files {
                #expect(written[name] == text, "\(name) differs after files → ResultData → files")
            }
        }
    }
}
