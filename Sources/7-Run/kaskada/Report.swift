import ArgumentParser
import Foundation
import InfraModel
import ModelIO
import Reports
import ResultFiles

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

    /// The data files the report builder reads.
    static let dataFiles = ReportBuilder.dataFileNames

    @Argument(help: "A result folder written by kaskada run.")
    var resultDir: String

    @Flag(help: "Print nothing but errors.")
    var quiet = false

    func run() throws {
        let fm = FileManager.default
        let dir = URL(fileURLWithPath: resultDir)
        var isDir: ObjCBool = false
        guard fm.fileExists(atPath: dir.path, isDirectory: &isDir), isDir.boolValue else {
            throw InputError(file: resultDir, "not a folder (a result folder written by kaskada run is expected)")
        }
        func path(_ name: String) -> String { dir.appendingPathComponent(name).path }
        var files: [String: String] = [:], paths: [String: String] = [:]
        // the two large tables are read by the CSV reader from their files
        for name in ["assets.csv", "dependencies.csv"] where fm.fileExists(atPath: path(name)) { paths[name] = path(name) }
        for name in Self.dataFiles where fm.fileExists(atPath: path(name)) && paths[name] == nil {
            let data: Data
            do { data = try Data(contentsOf: URL(fileURLWithPath: path(name))) } catch {
                Console.errorLines(["\(path(name)): error: cannot read the file: \(error.localizedDescription)"])
                throw ExitCode(1)
            }
            guard let text = String(data: data, encoding: .utf8) else {
                throw InputError(file: path(name), "the file is not valid UTF-8")
            }
            files[name] = text
        }
        let outputs: [(name: String, content: String)]
        do {
            outputs = try ReportBuilder(files: files, paths: paths).build()
        } catch let e as ReportDataError {
            var bag = DiagnosticBag()
            for p in e.problems { bag.error(path(p.file), line: p.line, field: p.field, p.message) }
            var lines = bag.report()
            for (file, n) in e.omitted.sorted(by: { $0.key < $1.key }) where n > 0 {
                lines.append("\(path(file)): error: \(n) more errors not shown")
            }
            Console.errorLines(lines)
            throw ExitCode(2)
        }

        // manifest.json: checked before anything is written
        let manifestPath = path("manifest.json")
        var manifest: String? = nil
        if fm.fileExists(atPath: manifestPath) {
            guard let data = fm.contents(atPath: manifestPath), let text = String(data: data, encoding: .utf8),
                  Manifest.files(text) != nil else {
                throw InputError(file: manifestPath, field: "files", "expected a JSON object with a files object (as kaskada run writes it)")
            }
            manifest = text
        }

        // briefs/ is replaced whole, then each report file, the manifest last; a reader or a crash
        // sees each file old or new, never torn
        var digests: [String: String] = [:]
        do {
            try AtomicFolder.replace(dir.appendingPathComponent("briefs").path) { staging in
                for (name, content) in outputs where name.hasPrefix("briefs/") {
                    let bytes = Data(content.utf8)
                    try bytes.write(to: staging.appendingPathComponent(String(name.dropFirst("briefs/".count))))
                    digests[name] = SHA256.hex(bytes)
                }
            }
            for (name, content) in outputs where !name.hasPrefix("briefs/") {
                let bytes = Data(content.utf8)
                try AtomicFile.write(bytes, to: path(name))
                digests[name] = SHA256.hex(bytes)
            }
            if let manifest {
                let updated = Manifest.updatingFiles(manifest, digests: digests, removingPrefixes: ["briefs/"])
                try AtomicFile.write(Data(updated.utf8), to: manifestPath)
            }
        } catch {
            Console.errorLines(["\(resultDir): error: cannot write the report: \(IOErrorText.describe(error))"])
            throw ExitCode(1)
        }
        if manifest == nil && !quiet {
            Console.errorLines(["\(manifestPath): warning: no manifest.json in the folder; the digests of the report files are not recorded"])
        }
        if !quiet {
            let briefs = outputs.filter { $0.name.hasPrefix("briefs/") }.count
            print("\(resultDir): wrote report.md, report.html and \(briefs) brief(s) in briefs/")
        }
    }
}
