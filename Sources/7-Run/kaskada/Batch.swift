import ArgumentParser
import Foundation
import ModelIO
import Reports
import ResultFiles
import RunPipeline

/// `kaskada batch PATH... --out ROOT`: many scenarios, one command, a side-by-side comparison.
struct Batch: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run many scenarios and compare them side by side (ROOT/batch.csv, batch.md, batch.html).",
        discussion: """
            PATH: scenario files, folders (their *.yaml and *.yml files) or glob patterns. Each \
            scenario runs in turn on all the threads and writes ROOT/<name>/; a scenario whose \
            result already matches its inputs (manifest.json) is skipped, one whose inputs changed \
            is recomputed with a line naming what changed, and one killed in the middle continues \
            from its checkpoint. Every scenario runs even when one fails; the exit code is the \
            highest of them. Two scenarios with one name are an error (exit 2).
            """
    )

    @Argument(help: "Scenario files, folders or glob patterns.")
    var paths: [String]

    @Option(help: "Root folder of the results (default: results).")
    var out: String = "results"

    @OptionGroup var sampling: SamplingOptions

    @Flag(help: "Skip n1_impact, rrw, rank and the coordination matrix.")
    var noRankings = false

    @Flag(help: "Skip mitigation options and portfolios.")
    var noMitigations = false

    @Flag(help: "Recompute every scenario, even those whose result matches its inputs.")
    var force = false

    @Flag(help: "Print nothing but errors.")
    var quiet = false

    /// The scenario files of `paths`, in the order given (a folder's files sorted by name).
    static func expand(_ paths: [String]) throws -> [String] {
        let fm = FileManager.default
        var files: [String] = []
        for p in paths {
            var isDir: ObjCBool = false
            if fm.fileExists(atPath: p, isDirectory: &isDir) {
                if isDir.boolValue {
                    let names = (try? fm.contentsOfDirectory(atPath: p)) ?? []
                    files += names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
                        .map { URL(fileURLWithPath: p).appendingPathComponent($0).path }
                } else {
                    files.append(p)
                }
            } else if p.contains(where: { "*?[".contains($0) }) {
                var g = glob_t()
                defer { globfree(&g) }
                if glob(p, 0, nil, &g) == 0 {
                    for k in 0..<Int(g.gl_pathc) { if let c = g.gl_pathv[k] { files.append(String(cString: c)) } }
                }
                if g.gl_pathc == 0 { throw ValidationError("\(p): no file matches this pattern") }
            } else {
                throw ValidationError("\(p): no such file or folder (expected a scenario file, a folder of them or a glob pattern)")
            }
        }
        var seen = Set<String>()
        return files.filter { seen.insert(URL(fileURLWithPath: $0).standardizedFileURL.path).inserted }
    }

    /// The `name:` of a scenario file (its file name without extension when there is none).
    static func scenarioName(_ path: String) -> String {
        if let text = try? String(contentsOfFile: path, encoding: .utf8) {
            for line in text.split(separator: "\n") where line.hasPrefix("name:") {
                var v = line.dropFirst(5).trimmingCharacters(in: .whitespaces)
                if let hash = v.range(of: " #") { v = String(v[..<hash.lowerBound]).trimmingCharacters(in: .whitespaces) }
                if v.count >= 2, (v.hasPrefix("\"") && v.hasSuffix("\"")) || (v.hasPrefix("'") && v.hasSuffix("'")) {
                    v = String(v.dropFirst().dropLast())
                }
                if !v.isEmpty { return v }
            }
        }
        return URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
    }

    func run() throws {
        installInterruptHandler()
        let started = Date()
        let files = try Self.expand(paths)
        guard !files.isEmpty else { throw ValidationError("no scenario files in \(paths.joined(separator: " "))") }
        var byName: [String: String] = [:]
        for f in files {
            let name = Self.scenarioName(f)
            if let other = byName[name] {
                throw InputError(
                    file: f, field: "name", "scenario name '\(name)' is also the name of \(other): results would share ROOT/\(name)/; rename one")
            }
            byName[name] = f
        }
        var entries: [BatchReport.Entry] = []
        var computed: [String: BatchReport.Figures] = [:]
        var worst: Int32 = 0
        var counts = (computed: 0, upToDate: 0, failed: 0)
        for (k, f) in files.enumerated() {
            let name = Self.scenarioName(f)
            let dir = URL(fileURLWithPath: out).appendingPathComponent(name).path
            let request = RunRequest(
                scenario: f, sampling: sampling, out: dir, noRankings: noRankings,
                noMitigations: noMitigations, force: force)
            let job = RunJob(request, quiet: quiet, label: "[\(k + 1)/\(files.count)] \(name)")
            var status: String
            var code: Int32 = 0
            do {
                switch try job.execute() {
                case .upToDate: status = "up to date (skipped)"; counts.upToDate += 1
                case .computed(let summary):
                    status = "computed"; counts.computed += 1
                    // the figures from the result in memory: the folder just written is not read back
                    if let data = summary.data { computed[name] = BatchReport.figures(data) }
                default: status = "computed"; counts.computed += 1
                }
            } catch let e as InputError {
                Console.errorLines(e.diagnostics.report())
                status = "failed: bad input (\(e.diagnostics.report().first ?? "see the log"))"; code = 2
            } catch let e as ExitCode {
                status = "failed: exit \(e.rawValue)"; code = e.rawValue
            } catch {
                Console.errorLines(["\(f): error: \(error)"])
                status = "failed: \(error)"; code = 1
            }
            if code != 0 { counts.failed += 1; worst = max(worst, code) }
            entries.append(BatchReport.Entry(name: name, resultDir: dir, status: status))
        }
        do {
            let (csv, md, html) = try BatchReport.build(entries, computed: computed)
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
            for (file, text) in [("batch.csv", csv), ("batch.md", md), ("batch.html", html)] {
                try Data(text.utf8).write(to: URL(fileURLWithPath: out).appendingPathComponent(file), options: .atomic)
            }
        } catch {
            Console.errorLines(["\(out): error: cannot write the batch comparison: \(IOErrorText.describe(error))"])
            worst = max(worst, 1)
        }
        if !quiet {
            print(
                "batch of \(files.count) scenarios: \(counts.computed) computed, \(counts.upToDate) up to date, \(counts.failed) failed; "
                    + "\(NumberText.fixed(Date().timeIntervalSince(started), 1)) s; comparison in \(out)/batch.html")
        }
        if worst != 0 { throw ExitCode(worst) }
    }
}
