import Foundation
import InfraModel
import ModelIO
import Reports
import ResultFiles

/// `kaskada report DIR` as a library: reads a result folder's data files into `ResultData`,
/// renders `report.md`, `report.html` and `briefs/<owner>.md` from it and replaces them in the
/// folder (briefs whole, each report file atomically), then updates the SHA-256 of these files
/// in `manifest.json`, last. A reader or a crash sees each file old or new, never torn.
public enum ReportRebuild {
    /// What was written.
    public struct Outcome: Sendable {
        /// Number of briefs written.
        public var briefs: Int
        /// False when the folder has no `manifest.json` (the digests are then not recorded).
        public var manifestUpdated: Bool
    }

    /// A data file that cannot be written or read (the run started but could not finish: exit 1).
    public struct WriteFailure: Error, CustomStringConvertible {
        public var description: String
    }

    /// The data files `kaskada report` reads.
    public static let dataFiles = ReportBuilder.dataFileNames

    /// Rebuilds the reports of the result folder `dir`.
    /// - Throws: `InputError` when `dir` is not a folder, a data file is not UTF-8 or the manifest
    ///   is not one (exit 2); `ReportDataError` with every problem of the data files, named by
    ///   their paths in `dir` (exit 2); `WriteFailure` when a file cannot be read or written (exit 1).
    public static func rebuild(_ dir: String) throws -> Outcome {
        let fm = FileManager.default
        let folder = URL(fileURLWithPath: dir)
        var isDir: ObjCBool = false
        guard fm.fileExists(atPath: folder.path, isDirectory: &isDir), isDir.boolValue else {
            throw InputError(file: dir, "not a folder (a result folder written by kaskada run is expected)")
        }
        func path(_ name: String) -> String { folder.appendingPathComponent(name).path }
        var files: [String: String] = [:], paths: [String: String] = [:]
        // the two large tables are read by the CSV reader from their files
        for name in ["assets.csv", "dependencies.csv"] where fm.fileExists(atPath: path(name)) { paths[name] = path(name) }
        for name in dataFiles where fm.fileExists(atPath: path(name)) && paths[name] == nil {
            let data: Data
            do { data = try Data(contentsOf: URL(fileURLWithPath: path(name))) } catch {
                throw WriteFailure(description: "\(path(name)): error: cannot read the file: \(error.localizedDescription)")
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
            // problems named by the files' paths in the folder
            throw ReportDataError(
                problems: e.problems.map { .init(file: path($0.file), line: $0.line, field: $0.field, message: $0.message) },
                omitted: Dictionary(uniqueKeysWithValues: e.omitted.map { (path($0.key), $0.value) }))
        }
        // manifest.json: checked before anything is written
        let manifestPath = path("manifest.json")
        var manifest: String? = nil
        if fm.fileExists(atPath: manifestPath) {
            guard let data = fm.contents(atPath: manifestPath), let text = String(data: data, encoding: .utf8),
                Manifest.files(text) != nil
            else {
                throw InputError(file: manifestPath, field: "files", "expected a JSON object with a files object (as kaskada run writes it)")
            }
            manifest = text
        }
        var digests: [String: String] = [:]
        do {
            try AtomicFolder.replace(folder.appendingPathComponent("briefs").path) { staging in
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
            throw WriteFailure(description: "\(dir): error: cannot write the report: \(IOErrorText.describe(error))")
        }
        return Outcome(briefs: outputs.filter { $0.name.hasPrefix("briefs/") }.count, manifestUpdated: manifest != nil)
    }
}
