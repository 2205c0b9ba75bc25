import Foundation
import Testing

/// Issue 13, item 10: `docs/` and the README are the user reference, self-contained.
@Suite struct DocsTests {
    static func read(_ rel: String) throws -> String {
        try String(contentsOf: CLI.repo.appendingPathComponent(rel), encoding: .utf8)
    }

    /// No link or path in the user documentation points outside the repository (before, docs
    /// cited "DESIGN.md", which lives with the team's shared files, and an absolute /work path).
    @Test func docsReferToNothingOutsideTheRepository() throws {
        let docs = try FileManager.default.contentsOfDirectory(atPath: CLI.repo.appendingPathComponent("docs").path)
            .filter { $0.hasSuffix(".md") }.map { "docs/" + $0 } + ["README.md"]
        for f in docs where f != "docs/specification.md" {
            let text = try Self.read(f)
            #expect(!text.contains("../shared") && !text.contains("/work/"), "\(f) points outside the repository")
            // every mention of the specification links to the copy in docs/
            let bare = text.components(separatedBy: "DESIGN.md").count - 1
            let linked = text.components(separatedBy: "specification.md").count - 1
            #expect(bare == 0 || linked > 0, "\(f) names DESIGN.md without linking docs/specification.md")
            // relative links resolve inside the repository
            let base = (f as NSString).deletingLastPathComponent
            var rest = Substring(text)
            while let r = rest.range(of: "](") {
                rest = rest[r.upperBound...]
                guard let end = rest.firstIndex(of: ")") else { break }
                let target = String(rest[..<end]).components(separatedBy: "#")[0]
                if !target.isEmpty && !target.contains("://") && !target.hasPrefix("mailto:") {
                    let path = CLI.repo.appendingPathComponent(base).appendingPathComponent(target).standardizedFileURL.path
                    #expect(FileManager.default.fileExists(atPath: path), "\(f) links to \(target), which is not in the repository")
                }
            }
        }
        #expect(try Self.read("docs/specification.md").contains("## "), "the specification's copy is there")
    }

    /// The README lists every file a result folder holds and says how long the shipped scenarios take.
    @Test func readmeListsEveryOutputFile() throws {
        let readme = try Self.read("README.md")
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("kaskada-docs-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: work) }
        for s in ["scenarios/riverside-flood-100y.yaml", "scenarios/riverside-windstorm-timed.yaml"] {
            let out = work.appendingPathComponent((s as NSString).lastPathComponent)
            #expect(try CLI.run(["run", s, "--samples", "20", "--out", out.path, "--quiet"]).code == 0)
            for f in try FileManager.default.contentsOfDirectory(atPath: out.path) {
                let name = f == "briefs" ? "briefs/<owner>.md" : f
                #expect(readme.contains("`\(name)`"), "README does not list \(name)")
            }
        }
        #expect(readme.contains("How long the shipped scenarios take"))
    }
}
