import Foundation
import Testing

/// Runs the `kaskada` binary (built because this target depends on it), as Tests/CLITests does.
enum KaskadaCLI {
    static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The `kaskada` binary next to the test bundle.
    static var binary: URL {
        var dir = Bundle.main.bundleURL
        for _ in 0..<4 {
            let c = dir.appendingPathComponent("kaskada")
            if FileManager.default.isExecutableFile(atPath: c.path) { return c }
            dir = dir.deletingLastPathComponent()
        }
        return repo.appendingPathComponent(".build/debug/kaskada")
    }

    struct Result { var code: Int32; var err: String }

    /// Runs `kaskada ARGS` in `cwd` and waits; standard output is discarded.
    static func run(_ args: [String], cwd: URL) throws -> Result {
        let p = Process()
        p.executableURL = binary
        p.arguments = args
        p.currentDirectoryURL = cwd
        let e = Pipe()
        p.standardOutput = FileHandle.nullDevice
        p.standardError = e
        try p.run()
        let ed = e.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Result(code: p.terminationStatus, err: String(decoding: ed, as: UTF8.self))
    }

    /// Runs `kaskada ARGS` and records an issue unless it exits 0.
    @discardableResult
    static func expectSuccess(_ args: [String], cwd: URL) throws -> Bool {
        let r = try run(args, cwd: cwd)
        #expect(r.code == 0, "kaskada \(args.joined(separator: " ")) exited \(r.code): \(r.err)")
        return r.code == 0
    }
}

/// A temporary work folder with a random model and its scenario: `model/` and `scenario.yaml`
/// (and `shuffled/` with `shuffled.yaml`, the same model with its table rows shuffled).
struct RunFolder {
    let dir: URL
    let recipe: RunRecipe

    init(_ recipe: RunRecipe) throws {
        self.recipe = recipe
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("kaskada-prop-run-\(UUID().uuidString)")
        let files = ModelFiles(recipe.model)
        try files.write(to: dir.appendingPathComponent("model"))
        try recipe.scenarioYAML(files, network: "model/network.yaml")
            .write(to: dir.appendingPathComponent("scenario.yaml"), atomically: true, encoding: .utf8)
        try ModelFiles(recipe.model, shuffle: true).write(to: dir.appendingPathComponent("shuffled"))
        try recipe.scenarioYAML(files, network: "shuffled/network.yaml")
            .write(to: dir.appendingPathComponent("shuffled.yaml"), atomically: true, encoding: .utf8)
    }

    func remove() { try? FileManager.default.removeItem(at: dir) }

    /// `kaskada run SCENARIO --out OUT --quiet` plus `extra` and `--no-rankings` unless the recipe has rankings.
    func run(_ scenario: String = "scenario.yaml", out: String, _ extra: [String] = []) throws -> Bool {
        try KaskadaCLI.expectSuccess(["run", scenario, "--out", out, "--quiet"] + (recipe.rankings ? [] : ["--no-rankings"]) + extra,
                                     cwd: dir)
    }

    func path(_ name: String) -> URL { dir.appendingPathComponent(name) }
}

/// The files of result folders, for byte comparisons.
enum ResultFolder {
    /// Relative paths of the files below `dir`, `run.log` left out (it holds times, host and
    /// threads and is outside the identity guarantee: DESIGN.md section 8, docs/outputs.md).
    static func files(_ dir: URL) -> [String] {
        let fm = FileManager.default
        return (fm.enumerator(atPath: dir.path)?.allObjects as? [String] ?? []).filter {
            var d: ObjCBool = false
            return fm.fileExists(atPath: dir.appendingPathComponent($0).path, isDirectory: &d) && !d.boolValue && $0 != "run.log"
        }.sorted()
    }

    /// Records an issue for every file (but those in `except`) that `a` and `b` do not hold with the same bytes.
    static func expectSame(_ a: URL, _ b: URL, _ what: String, except: Set<String> = []) {
        let fa = files(a).filter { !except.contains($0) }, fb = files(b).filter { !except.contains($0) }
        #expect(fa.contains("summary.json") && fa.contains("report.md"), "\(what): \(fa)")
        #expect(fa == fb, "\(what): the folders hold different files: \(fa) vs \(fb)")
        for f in fa where fb.contains(f) {
            let da = try? Data(contentsOf: a.appendingPathComponent(f)), db = try? Data(contentsOf: b.appendingPathComponent(f))
            #expect(da != nil && da == db, "\(what): \(f) differs")
        }
    }
}
