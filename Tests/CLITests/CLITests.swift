import Foundation
import TestSupport
import Testing

/// Runs the built `kaskada` executable and captures its exit code and output.
struct CLI {
    static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The `kaskada` binary next to the test bundle (SwiftPM builds it because the test target depends on it).
    static var binary: URL {
        var dir = Bundle.main.bundleURL
        for _ in 0..<4 {
            let c = dir.appendingPathComponent("kaskada")
            if FileManager.default.isExecutableFile(atPath: c.path) { return c }
            dir = dir.deletingLastPathComponent()
        }
        return repo.appendingPathComponent(".build/debug/kaskada")
    }

    struct Result { var code: Int32; var out: String; var err: String }

    static func run(_ args: [String], cwd: URL? = nil, environment: [String: String] = [:]) throws -> Result {
        let p = Process()
        p.executableURL = binary
        p.arguments = args
        if !environment.isEmpty { p.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
        p.currentDirectoryURL = cwd ?? repo
        let o = Pipe(), e = Pipe()
        p.standardOutput = o
        p.standardError = e
        try p.run()
        let od = o.fileHandleForReading.readDataToEndOfFile()
        let ed = e.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Result(code: p.terminationStatus, out: String(decoding: od, as: UTF8.self), err: String(decoding: ed, as: UTF8.self))
    }

    static var shippedScenarios: [String] {
        let dir = repo.appendingPathComponent("scenarios")
        let files = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return files.filter { $0.hasSuffix(".yaml") }.sorted().map { "scenarios/" + $0 }
    }
}

@Suite struct CLITests {
    @Test func helpExitsZero() throws {
        let r = try CLI.run(["--help"])
        #expect(r.code == 0)
        #expect(r.out.contains("validate"))
        let v = try CLI.run(["validate", "--help"])
        #expect(v.code == 0)
        #expect(v.out.contains("--json"))
    }

    @Test func usageErrorsExitTwo() throws {
        #expect(try CLI.run(["validate"]).code == 2) // missing argument
        #expect(try CLI.run(["no-such-command"]).code == 2) // unknown subcommand
        #expect(try CLI.run(["validate", "--bogus", "x"]).code == 2)
    }

    @Test func missingFileExitsTwoNamingIt() throws {
        let r = try CLI.run(["validate", "does/not/exist.yaml"])
        #expect(r.code == 2)
        #expect(r.err.contains("does/not/exist.yaml"))
        #expect(r.err.contains("file not found"))
    }

    @Test(arguments: CLI.shippedScenarios)
    func shippedScenarioValidates(_ path: String) throws {
        let r = try CLI.run(["validate", path])
        #expect(r.code == 0, "\(path): \(r.err)")
        #expect(r.out.contains("valid:"))
    }

    @Test func atLeastSevenShippedScenarios() {
        #expect(CLI.shippedScenarios.count >= 7)
    }

    @Test func jsonSummaryHasSectorsAndWarnings() throws {
        let r = try CLI.run(["validate", "--json", "scenarios/networks/region"])
        #expect(r.code == 0, "\(r.err)")
        let obj = try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any]
        let model = obj?["model"] as? [String: Any]
        #expect((model?["assets"] as? Int ?? 0) >= 3000)
        let sectors = model?["sectors"] as? [[String: Any]] ?? []
        let names = Set(sectors.compactMap { $0["sector"] as? String })
        #expect(names.isSuperset(of: ["power", "water", "wastewater", "fuel", "telecom", "transport", "health", "emergency"]))
        #expect(model?["warnings"] is [Any])
    }

    @Test func badInputExitsTwoWithFileLineFieldAndWritesNothing() throws {
        let dir = TemporaryFolder.url("cli")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try "name: bad\nassets: assets.csv\n".write(to: dir.appendingPathComponent("network.yaml"), atomically: true, encoding: .utf8)
        try "id,sector,kind,population\nA,power,sub,12\nB,power,sub,-3\n".write(
            to: dir.appendingPathComponent("assets.csv"), atomically: true, encoding: .utf8)
        let before = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
        let r = try CLI.run(["validate", dir.path])
        #expect(r.code == 2)
        #expect(r.err.contains("assets.csv:3: error: field 'population'"))
        let after = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
        #expect(before == after)
    }
}
