import Foundation
import TestSupport
import Testing

/// `docs/` and the README are the user reference, self-contained.
@Suite struct DocsTests {
    static func read(_ rel: String) throws -> String {
        try String(contentsOf: CLI.repo.appendingPathComponent(rel), encoding: .utf8)
    }

    /// No link or path in the user documentation points outside the repository (before, docs
    /// cited "DESIGN.md", which lives with the team's shared files, and an absolute /work path).
    @Test func docsReferToNothingOutsideTheRepository() throws {
        let docs =
            try FileManager.default.contentsOfDirectory(atPath: CLI.repo.appendingPathComponent("docs").path)
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
        let work = TemporaryFolder.url("docs")
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

/// Input mistakes named with their cause and fix, through the command line.
@Suite struct InputHelpCLITests {
    /// `kaskada run` on a model: one error that says it needs a scenario (before: six unknown keys).
    @Test func runOnAModelSaysItNeedsAScenario() throws {
        let r = try CLI.run(["run", "scenarios/networks/riverside/network.yaml", "--out", "/tmp/kaskada-never-written"])
        #expect(r.code == 2)
        let lines = r.err.split(separator: "\n").filter { $0.contains("error:") }
        #expect(lines.count == 1 && lines[0].contains("is a model (network.yaml"), "\(r.err)")
    }

    /// Every shipped scenario validates without a warning (before: the flood's GeoJSON `name`
    /// and an analysis finding were warnings; that finding is now a note).
    @Test(
        arguments: try FileManager.default.contentsOfDirectory(atPath: CLI.repo.appendingPathComponent("scenarios").path)
            .filter { $0.hasSuffix(".yaml") }.sorted())
    func shippedScenariosGiveNoWarnings(_ name: String) throws {
        let r = try CLI.run(["validate", "scenarios/" + name])
        #expect(r.code == 0)
        #expect(!(r.out + r.err).contains("warning:") && r.out.contains("valid: 0 warning(s)"), "\(r.out)\(r.err)")
    }

    /// A binary copied outside the checkout, run where no fragility/default.csv is found up the
    /// tree, validates a scenario with fragility curves from its built-in copy (before: "the
    /// shipped scenarios/fragility/default.csv was not found").
    @Test func copiedBinaryFindsTheDefaultFragility() throws {
        let fm = FileManager.default
        let work = TemporaryFolder.url("copy")
        defer { try? fm.removeItem(at: work) }
        try fm.createDirectory(at: work.appendingPathComponent("bin"), withIntermediateDirectories: true)
        try fm.copyItem(at: CLI.binary, to: work.appendingPathComponent("bin/kaskada"))
        let src = CLI.repo.appendingPathComponent("scenarios")
        for d in ["networks", "riverside"] { try fm.copyItem(at: src.appendingPathComponent(d), to: work.appendingPathComponent(d)) }
        try fm.createDirectory(at: work.appendingPathComponent("fragility"), withIntermediateDirectories: true)
        try fm.copyItem(
            at: src.appendingPathComponent("fragility/aged-wood-poles.csv"), to: work.appendingPathComponent("fragility/aged-wood-poles.csv"))
        try fm.copyItem(at: src.appendingPathComponent("riverside-windstorm.yaml"), to: work.appendingPathComponent("s.yaml"))
        let p = Process()
        p.executableURL = work.appendingPathComponent("bin/kaskada")
        p.arguments = ["validate", "s.yaml"]
        p.currentDirectoryURL = work
        var env = ProcessInfo.processInfo.environment
        env["KASKADA_DEFAULT_FRAGILITY"] = nil
        p.environment = env
        let o = Pipe(), e = Pipe()
        p.standardOutput = o; p.standardError = e
        try p.run(); p.waitUntilExit()
        let out = String(decoding: o.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let err = String(decoding: e.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(p.terminationStatus == 0, "\(out)\(err)")
        #expect(out.contains("94 curves from") && out.contains("fragility/default.csv"), "\(out)")
        #expect(!out.contains("was not found"))
    }
}
