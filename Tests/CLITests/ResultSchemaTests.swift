import Foundation
import Reports
import Testing

/// Each CSV result file is written with the columns `ResultSchema` declares, the reader's
/// required columns are among them, and `kaskada report` reads every file a run writes (writer and
/// reader cannot drift).
@Suite struct ResultSchemaTests {
    @Test func writtenHeadersAreTheDeclaredOnes() throws {
        let out = try RunTests.tempDir()
        defer { try? FileManager.default.removeItem(at: out) }
        // timed, with rankings and mitigations: every CSV file of a result folder. The shipped timed
        // flood with its first two options only (its ten options and their portfolio take minutes
        // under the sanitizer; all ten run in .ci/run's batch with the release build).
        let root = CLI.repo.appendingPathComponent("scenarios").path + "/"
        let shipped = try String(contentsOfFile: root + "riverside-flood-100y-timed.yaml", encoding: .utf8)
        guard let cut = shipped.range(of: "  - id: mobile-barriers-z05"), let budget = shipped.range(of: "budget:") else {
            Issue.record("the timed flood no longer has the options this test keeps")
            return
        }
        let scenario = out.appendingPathComponent("two-options.yaml")
        try (String(shipped[..<cut.lowerBound]) + String(shipped[budget.lowerBound...]))
            .replacingOccurrences(of: "network: networks/", with: "network: \(root)networks/")
            .replacingOccurrences(of: "polygons: riverside/", with: "polygons: \(root)riverside/")
            .write(to: scenario, atomically: true, encoding: .utf8)
        let r = try CLI.run(["run", scenario.path, "--samples", "6", "--out", out.appendingPathComponent("result").path, "--quiet"])
        #expect(r.code == 0, "\(r.err)")
        let result = out.appendingPathComponent("result")
        #expect(r.code == 0 && FileManager.default.fileExists(atPath: result.appendingPathComponent("mitigations.csv").path))
        for schema in ResultSchema.all {
            #expect(Set(schema.required).isSubset(of: schema.columns), "\(schema.file): a required column is not written")
            #expect(Set(schema.columns).count == schema.columns.count, "\(schema.file): a column is declared twice")
            let text = try String(contentsOf: result.appendingPathComponent(schema.file), encoding: .utf8)
            let header = String(text.prefix { $0 != "\n" }) + "\n"
            #expect(header == schema.header, "\(schema.file): written \(header), declared \(schema.header)")
        }
        // the reader accepts what the writer wrote, and rebuilds the same report
        let before = try Data(contentsOf: result.appendingPathComponent("report.md"))
        let rep = try CLI.run(["report", result.path, "--quiet"])
        #expect(rep.code == 0, "\(rep.err)")
        #expect(try Data(contentsOf: result.appendingPathComponent("report.md")) == before)
    }
}
