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
        // timed, with rankings and mitigations: every CSV file of a result folder
        let r = try CLI.run(["run", "scenarios/riverside-flood-100y-timed.yaml", "--samples", "12", "--out", out.path, "--quiet"])
        #expect(r.code == 0, "\(r.err)")
        for schema in ResultSchema.all {
            #expect(Set(schema.required).isSubset(of: schema.columns), "\(schema.file): a required column is not written")
            #expect(Set(schema.columns).count == schema.columns.count, "\(schema.file): a column is declared twice")
            let text = try String(contentsOf: out.appendingPathComponent(schema.file), encoding: .utf8)
            let header = String(text.prefix { $0 != "\n" }) + "\n"
            #expect(header == schema.header, "\(schema.file): written \(header), declared \(schema.header)")
        }
        // the reader accepts what the writer wrote, and rebuilds the same report
        let before = try Data(contentsOf: out.appendingPathComponent("report.md"))
        let rep = try CLI.run(["report", out.path, "--quiet"])
        #expect(rep.code == 0, "\(rep.err)")
        #expect(try Data(contentsOf: out.appendingPathComponent("report.md")) == before)
    }
}
