import ArgumentParser
import Foundation
import InfraModel
import Reports
import RunPipeline

/// `kaskada report RESULT_DIR`: rebuild report.md, report.html and briefs/ from a result
/// folder's data files, and update manifest.json.
struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Rebuild a result folder's report.md, report.html and briefs/<owner>.md from its data files.",
        discussion: """
            Reads summary.json and assets.csv (required) and dependencies.csv, coordination.csv, \
            zones.csv, timeline.csv and mitigations.csv when present; writes report.md, report.html and briefs/ \
            (replaced whole) into RESULT_DIR and updates the SHA-256 of these files in \
            manifest.json. Exit 2 when a data file is malformed (FILE:LINE: error: field 'X': ...), \
            1 when the folder cannot be written.
            """
    )

    @Argument(help: "A result folder written by kaskada run.")
    var resultDir: String

    @Flag(help: "Print nothing but errors.")
    var quiet = false

    func run() throws {
        let outcome: ReportRebuild.Outcome
        do {
            outcome = try ReportRebuild.rebuild(resultDir)
        } catch let e as ReportDataError {
            var bag = DiagnosticBag()
            for p in e.problems { bag.error(p.file, line: p.line, field: p.field, p.message) }
            var lines = bag.report()
            for (file, n) in e.omitted.sorted(by: { $0.key < $1.key }) where n > 0 {
                lines.append("\(file): error: \(n) more errors not shown")
            }
            Console.errorLines(lines)
            throw ExitCode(2)
        } catch let e as ReportRebuild.WriteFailure {
            Console.errorLines([e.description])
            throw ExitCode(1)
        }
        if !outcome.manifestUpdated && !quiet {
            let manifest = URL(fileURLWithPath: resultDir).appendingPathComponent("manifest.json").path
            Console.errorLines(["\(manifest): warning: no manifest.json in the folder; the digests of the report files are not recorded"])
        }
        if !quiet { print("\(resultDir): wrote report.md, report.html and \(outcome.briefs) brief(s) in briefs/") }
    }
}
