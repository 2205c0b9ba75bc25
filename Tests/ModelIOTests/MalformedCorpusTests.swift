import Foundation
import InfraModel
import ModelIO
import TestSupport
import Testing

/// The malformed-input corpus: `Malformed/<NNN-name>/` each hold a tiny model and/or scenario with
/// one intended problem, and `expected.txt` listing the errors the loaders must report, one per
/// line as `FILE:LINE:FIELD[:substring]` (FILE relative to the case folder, FIELD may be empty,
/// the message must contain the substring when one is given).
///
/// A case with a scenario (`scenario.yaml`) is loaded with `ScenarioLoader` and no default
/// fragility library (cases bring their own `fragility.csv`); otherwise the case folder is loaded
/// with `NetworkLoader`.
enum MalformedCorpus {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Malformed")

    /// Cases whose loader behaviour is a known bug, with what goes wrong. The test still asserts
    /// the correct behaviour inside `withKnownIssue`; remove the entry once the loader is fixed
    /// (the test then fails while the entry stays, because the known issue no longer occurs).
    static let knownIssues: [String: String] = [:]

    /// Cases that crash the test process with the current loader, so they are not loaded at all.
    /// Remove the entry once the loader is fixed; the case then runs like any other.
    static let knownCrashes: [String: String] = [:]

    /// Names of the case folders, sorted.
    static func caseNames() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
        return names.filter { name in
            var isDir: ObjCBool = false
            return FileManager.default.fileExists(atPath: root.appendingPathComponent(name).path, isDirectory: &isDir)
                && isDir.boolValue
        }.sorted()
    }

    struct Expectation: CustomStringConvertible {
        var file: String
        var line: Int
        var field: String
        var substring: String
        var description: String { "\(file):\(line):\(field)" + (substring.isEmpty ? "" : ":\(substring)") }
    }

    /// Parses `expected.txt`; malformed lines are reported as problems.
    static func expectations(_ folder: URL) -> (items: [Expectation], problems: [String]) {
        guard let text = try? String(contentsOf: folder.appendingPathComponent("expected.txt"), encoding: .utf8) else {
            return ([], ["\(folder.lastPathComponent): no expected.txt"])
        }
        var items: [Expectation] = [], problems: [String] = []
        for raw in text.split(separator: "\n", omittingEmptySubsequences: true) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let parts = line.split(separator: ":", maxSplits: 3, omittingEmptySubsequences: false).map(String.init)
            guard parts.count >= 3, let n = Int(parts[1]) else {
                problems.append("expected.txt: cannot read '\(line)': expected FILE:LINE:FIELD[:substring]")
                continue
            }
            items.append(Expectation(file: parts[0], line: n, field: parts[2], substring: parts.count > 3 ? parts[3] : ""))
        }
        if items.isEmpty && problems.isEmpty { problems.append("expected.txt lists no error") }
        return (items, problems)
    }

    /// Loads a case; returns the errors, or nil when it loaded without error.
    static func load(_ folder: URL) -> [Diagnostic]? {
        let scenario = folder.appendingPathComponent("scenario.yaml")
        do {
            if FileManager.default.fileExists(atPath: scenario.path) {
                _ = try ScenarioLoader.load(path: scenario.path, defaultFragility: nil)
            } else {
                _ = try NetworkLoader.load(path: folder.path)
            }
            return nil
        } catch {
            return error.diagnostics.errors
        }
    }

    /// Whether diagnostic `d` is the error that `e` describes (file by path suffix).
    static func matches(_ d: Diagnostic, _ e: Expectation, folder: URL) -> Bool {
        let full = folder.appendingPathComponent(e.file).standardizedFileURL.path
        let fileOK = d.file == e.file || d.file == full || d.file.hasSuffix("/" + e.file)
        return fileOK && d.line == e.line && d.field == e.field && (e.substring.isEmpty || d.message.contains(e.substring))
    }

    /// Everything wrong with one case: unmet expectations, or no error at all.
    static func problems(caseName: String) -> [String] {
        let folder = root.appendingPathComponent(caseName)
        let (expected, problems) = expectations(folder)
        if !problems.isEmpty { return problems }
        guard let errors = load(folder) else {
            return ["\(caseName): loaded without error; expected \(expected.map(\.description).joined(separator: ", "))"]
        }
        var out: [String] = []
        for e in expected where !errors.contains(where: { matches($0, e, folder: folder) }) {
            out.append("\(caseName): expected error \(e) not reported")
        }
        if !out.isEmpty {
            let prefix = folder.path + "/"
            let got = errors.map { d -> String in
                var s = d.description
                if s.hasPrefix(prefix) { s.removeFirst(prefix.count) }
                return "  " + s
            }
            out.append("\(caseName): errors reported:\n" + got.joined(separator: "\n"))
        }
        return out
    }
}

@Suite("Malformed input corpus")
struct MalformedCorpusTests {
    @Test("every corpus case reports its expected errors", arguments: MalformedCorpus.caseNames())
    func corpusCase(_ name: String) {
        if let why = MalformedCorpus.knownCrashes[name] {
            withKnownIssue(Comment(rawValue: why)) { Issue.record("\(name) not loaded: the loader would crash the test process") }
            return
        }
        let check = {
            for p in MalformedCorpus.problems(caseName: name) { Issue.record(Comment(rawValue: p)) }
        }
        if let why = MalformedCorpus.knownIssues[name] {
            withKnownIssue(Comment(rawValue: why)) { check() }
        } else {
            check()
        }
    }

    @Test("the corpus holds at least 45 cases, each with expected errors and an input")
    func corpusSize() {
        let names = MalformedCorpus.caseNames()
        #expect(names.count >= 45, "only \(names.count) cases in \(MalformedCorpus.root.path)")
        var checked = 0
        for name in names {
            let folder = MalformedCorpus.root.appendingPathComponent(name)
            let (items, problems) = MalformedCorpus.expectations(folder)
            #expect(problems.isEmpty, "\(name): \(problems)")
            let hasInput = ["scenario.yaml", "network.yaml", "assets.csv"].contains {
                FileManager.default.fileExists(atPath: folder.appendingPathComponent($0).path)
            }
            #expect(hasInput, "\(name): no scenario.yaml, network.yaml or table")
            if !items.isEmpty && hasInput { checked += 1 }
        }
        #expect(checked >= 45)
    }

    @Test("a YAML syntax error names its line and column")
    func yamlSyntaxColumn() throws {
        let folder = MalformedCorpus.root.appendingPathComponent("081-yaml-syntax-error")
        let errors = try #require(MalformedCorpus.load(folder))
        let e = try #require(errors.first { $0.file.hasSuffix("/network.yaml") })
        // line 4 is "  links: links.csv", a continuation of the plain scalar on line 3 in which
        // ": " is not allowed; the scanner stops at the colon, column 8.
        #expect(e.line == 4)
        #expect(e.column == 8)
        #expect(e.description.contains("network.yaml:4:8: error: "))
    }

    @Test("CSV diagnostics have no column; YAML and GeoJSON diagnostics do")
    func columns() throws {
        let csv = try #require(MalformedCorpus.load(MalformedCorpus.root.appendingPathComponent("038-population-negative")))
        let c = try #require(csv.first { $0.file.hasSuffix("/assets.csv") })
        #expect(c.column == nil)
        #expect(c.description.hasSuffix("assets.csv:3: error: field 'population': \(c.message)"))
        let yaml = try #require(MalformedCorpus.load(MalformedCorpus.root.appendingPathComponent("007-unknown-key-scenario")))
        let y = try #require(yaml.first { $0.field == "samples" })
        #expect(y.column == 1)
        let geo = try #require(MalformedCorpus.load(MalformedCorpus.root.appendingPathComponent("078-geojson-point")))
        let g = try #require(geo.first { $0.file.hasSuffix("/zones.geojson") })
        #expect(g.column != nil)
        let whole = try #require(MalformedCorpus.load(MalformedCorpus.root.appendingPathComponent("002-missing-network-yaml")))
        let w = try #require(whole.first)
        #expect(w.line == 0 && w.column == nil)
        #expect(w.description == "\(w.file): error: \(w.message)")
    }
}

/// Writes a model whose `assets.csv` has `bad` rows with an invalid population after one good row.
private func writeManyErrorsModel(bad: Int) throws -> URL {
    let dir = TemporaryFolder.url("modelio")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    try "name: many\nassets: assets.csv\n".write(to: dir.appendingPathComponent("network.yaml"), atomically: true, encoding: .utf8)
    var csv = "id,sector,kind,population\nA0,power,substation,1\n"
    for i in 1...bad { csv += "A\(i),power,substation,-\(i)\n" }
    try csv.write(to: dir.appendingPathComponent("assets.csv"), atomically: true, encoding: .utf8)
    try "name: many\nnetwork: network.yaml\nevents:\n  - type: outage\n    select: {ids: [A0]}\n"
        .write(to: dir.appendingPathComponent("scenario.yaml"), atomically: true, encoding: .utf8)
    return dir
}

@Suite("Error limit per file")
struct ErrorLimitTests {
    static func check(_ error: InputError, assetsPath: String) {
        let mine = error.diagnostics.errors.filter { $0.file == assetsPath }
        #expect(mine.count == 50)
        // file (line) order: rows 3...52 (row 2 is the good one)
        #expect(mine.map(\.line) == Array(3...52))
        #expect(mine.allSatisfy { $0.field == "population" })
        #expect(error.diagnostics.errorCount(file: assetsPath) == 60)
        let report = error.diagnostics.report()
        let listed = report.filter { $0.hasPrefix(assetsPath + ":") && $0.dropFirst(assetsPath.count + 1).first?.isNumber == true }
        #expect(listed.count == 50)
        let countLine = "\(assetsPath): error: 10 more errors not shown (first 50 listed)"
        let hasCountLine = report.contains(countLine)
        #expect(hasCountLine, "missing '\(countLine)'; report ends with \(report.suffix(2))")
        let lines = report.compactMap { s -> Int? in
            guard s.hasPrefix(assetsPath + ":") else { return nil }
            return Int(s.dropFirst(assetsPath.count + 1).prefix { $0.isNumber })
        }
        #expect(lines == lines.sorted())
    }

    @Test("60 bad rows: 50 errors in line order, then a count of the rest (model)")
    func manyErrorsModel() throws {
        let dir = try writeManyErrorsModel(bad: 60)
        defer { try? FileManager.default.removeItem(at: dir) }
        do {
            _ = try NetworkLoader.load(path: dir.path)
            Issue.record("the model loaded without error")
        } catch {
            Self.check(error, assetsPath: dir.appendingPathComponent("assets.csv").path)
        }
    }

    @Test("60 bad rows: 50 errors in line order, then a count of the rest (through a scenario)")
    func manyErrorsScenario() throws {
        let dir = try writeManyErrorsModel(bad: 60)
        defer { try? FileManager.default.removeItem(at: dir) }
        do {
            _ = try ScenarioLoader.load(path: dir.appendingPathComponent("scenario.yaml").path, defaultFragility: nil)
            Issue.record("the scenario loaded without error")
        } catch {
            Self.check(error, assetsPath: dir.appendingPathComponent("assets.csv").path)
        }
    }

    @Test("DiagnosticBag keeps 50 errors per file, counts the rest, reports sorted by line")
    func bag() {
        var b = DiagnosticBag()
        for i in stride(from: 60, through: 1, by: -1) { b.error("f.csv", line: i, field: "x", "bad \(i)") }
        b.error("g.yaml", line: 3, column: 2, field: "k", "other")
        #expect(b.errors.count == 51)
        #expect(b.errorCount(file: "f.csv") == 60)
        #expect(b.errorCount == 61)
        #expect(b.isFull(file: "f.csv"))
        let r = b.report()
        #expect(r.count == 52)
        // the 50 kept are the first 50 recorded (lines 60...11), listed by line
        #expect(r.first == "f.csv:11: error: field 'x': bad 11")
        #expect(r[49] == "f.csv:60: error: field 'x': bad 60")
        #expect(r[50] == "g.yaml:3:2: error: field 'k': other")
        #expect(r.last == "f.csv: error: 10 more errors not shown (first 50 listed)")
        var merged = DiagnosticBag()
        merged.append(contentsOf: b)
        #expect(merged.errorCount(file: "f.csv") == 60, "appending a bag must keep the count of errors not shown")
        #expect(merged.report().last == "f.csv: error: 10 more errors not shown (first 50 listed)")
        #expect(merged.errors.count == 51)
    }
}
