import Foundation
import PropertyBased
import Testing

/// `kaskada report RESULT` rebuilds every file it writes (report.md, report.html, briefs/ and
/// the manifest's entries for them) byte for byte from a run's data files (docs/specification.md section 8;
/// docs/outputs.md "Reports": built from the data files alone, with the same bytes a run writes).
@Suite struct ReportRebuildProperty {
    /// 15 random runs: report.md, report.html and briefs/ deleted from a copy of the result, then
    /// `kaskada report` on the copy; every file of the copy (manifest.json included) has the
    /// run's bytes again.
    /// No shrinking by default: each step would be several runs (see RandomModel.swift to replay).
    @Test(.shrinking(false)) func reportRebuildsTheRunsBytes() async throws {
        await propertyCheck(count: 15, input: RunRecipe.generator) { recipe in
            let f = try RunFolder(recipe)
            defer { f.remove() }
            guard try f.run(out: "run", ["--threads", "2"]) else { return }
            let fm = FileManager.default
            try fm.copyItem(at: f.path("run"), to: f.path("copy"))
            for name in ["report.md", "report.html", "briefs"] { try? fm.removeItem(at: f.path("copy/\(name)")) }
            #expect(!fm.fileExists(atPath: f.path("copy/report.md").path))
            guard try KaskadaCLI.expectSuccess(["report", "copy", "--quiet"], cwd: f.dir) else { return }
            ResultFolder.expectSame(f.path("run"), f.path("copy"), "kaskada report")
        }
    }
}
