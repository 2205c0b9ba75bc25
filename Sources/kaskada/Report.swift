import ArgumentParser
import Foundation
import ModelIO
import Reports

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
        var files: [String: String] = [:]
        for name in Self.dataFiles where fm.fileExists(atPath: path(name)) {
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
            outputs = try ReportBuilder(files: files).build()
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

        var digests: [String: String] = [:]
        let tag = "\(ProcessInfo.processInfo.processIdentifier)-\(UInt64(Date().timeIntervalSince1970 * 1000))"
        // 1. everything is written beside its target first ...
        var staged: [(tmp: URL, target: URL)] = []
        let briefsStaging = dir.appendingPathComponent(".briefs.tmp-\(tag)")
        func cleanUp() {
            for s in staged { try? fm.removeItem(at: s.tmp) }
            try? fm.removeItem(at: briefsStaging)
        }
        do {
            for (name, content) in outputs where !name.hasPrefix("briefs/") {
                let bytes = Data(content.utf8)
                staged.append(try Self.stage(bytes, for: dir.appendingPathComponent(name), tag: tag))
                digests[name] = SHA256.hex(bytes)
            }
            try? fm.removeItem(at: briefsStaging)
            try Self.check(briefsStaging) { try fm.createDirectory(at: briefsStaging, withIntermediateDirectories: false) }
            for (name, content) in outputs where name.hasPrefix("briefs/") {
                let bytes = Data(content.utf8)
                let file = briefsStaging.appendingPathComponent(String(name.dropFirst("briefs/".count)))
                try Self.check(file) { try bytes.write(to: file) }
                digests[name] = SHA256.hex(bytes)
            }
            if let manifest {
                let updated = Manifest.updatingFiles(manifest, digests: digests, removingPrefixes: ["briefs/"])
                staged.append(try Self.stage(Data(updated.utf8), for: URL(fileURLWithPath: manifestPath), tag: tag))
            }
        } catch {
            cleanUp()
            Console.errorLines(["\(error)"])
            throw ExitCode(1)
        }
        // 2. ... then renamed into place: briefs/ whole, the reports, the manifest last
        do {
            let target = dir.appendingPathComponent("briefs")
            if fm.fileExists(atPath: target.path) {
                let old = dir.appendingPathComponent(".briefs.old-\(tag)")
                try Self.check(target) { try fm.moveItem(at: target, to: old) }
                do { try Self.check(target) { try fm.moveItem(at: briefsStaging, to: target) } } catch {
                    try? fm.moveItem(at: old, to: target)
                    throw error
                }
                try? fm.removeItem(at: old)
            } else {
                try Self.check(target) { try fm.moveItem(at: briefsStaging, to: target) }
            }
            for s in staged {
                if rename(s.tmp.path, s.target.path) != 0 { throw WriteFailure(path: s.target.path, reason: String(cString: strerror(errno))) }
            }
        } catch {
            cleanUp()
            Console.errorLines(["\(error)"])
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

    /// Writes `data` to a temporary file beside `url`.
    static func stage(_ data: Data, for url: URL, tag: String) throws -> (tmp: URL, target: URL) {
        let tmp = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).tmp-\(tag)")
        try check(tmp) { try data.write(to: tmp) }
        return (tmp, url)
    }

    /// Runs `body`, turning a failure into a `WriteFailure` that names `url`.
    static func check(_ url: URL? = nil, _ body: () throws -> Void) throws {
        do { try body() } catch let e as WriteFailure { throw e } catch {
            let reason = (error as NSError).userInfo[NSUnderlyingErrorKey].map { "\($0)" } ?? error.localizedDescription
            throw WriteFailure(path: url?.path ?? "", reason: reason)
        }
    }
}

/// A file of the report that could not be written (exit 1).
struct WriteFailure: Error, CustomStringConvertible {
    var path: String
    var reason: String
    var description: String { "\(path): error: cannot write the report: \(reason)" }
}
