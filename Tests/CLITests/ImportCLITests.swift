import Foundation
import TestSupport
import Testing

/// `kaskada import` through the command line (docs/specification.md section 11): same bytes for the same input
/// and options, exit 2 with file, line and field on bad input and nothing written, option checks.
@Suite struct ImportCLITests {
    func tmp(_ tag: String) -> String {
        TemporaryFolder.url("cli-import-\(tag)").path
    }

    @Test func case118TwiceGivesTheSameBytesAndAValidModel() throws {
        let a = tmp("a"), b = tmp("b")
        defer { for d in [a, b] { try? FileManager.default.removeItem(atPath: d) } }
        for d in [a, b] {
            let r = try CLI.run(["import", "matpower", "scenarios/source-data/power/case118.m", "--out", d, "--people-per-mw", "1000"])
            #expect(r.code == 0, "\(r.err)")
            #expect(r.out.contains("172 assets (54 sources), 240 links") && r.out.contains("population 4,242,000"), "\(r.out)")
        }
        for f in ["network.yaml", "assets.csv", "links.csv", "import-ids.csv", "import-report.json"] {
            #expect(FileManager.default.contentsEqual(atPath: a + "/" + f, andPath: b + "/" + f), "\(f)")
        }
        let v = try CLI.run(["validate", "--quiet", a])
        #expect(v.code == 0, "\(v.err)")
        let report = try String(contentsOfFile: a + "/import-report.json", encoding: .utf8)
        #expect(report.contains("\"input_sha256\": \"bc2e6f22b4b9e776572885ee4b50e4f4ab2ee0c5577e9126e86d906f14c4b5f7\""))
    }

    @Test func badInputExitsTwoNamingTheLineAndWritesNothing() throws {
        let dir = TemporaryFolder.url("cli-import-bad")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let m = dir.appendingPathComponent("bad.m").path
        try "mpc.version = '2';\nmpc.bus = [\n1 3 0 0 0 0 1 1 0 230 1 1.1 0.9;\n2 1 7..5 0 0 0 1 1 0 230 1 1.1 0.9;\n];\n".write(
            toFile: m, atomically: true, encoding: .utf8)
        let out = dir.appendingPathComponent("model").path
        let r = try CLI.run(["import", "matpower", m, "--out", out])
        #expect(r.code == 2)
        #expect(r.err.contains("\(m):4: error: field 'mpc.bus': '7..5' is not a number"), "\(r.err)")
        #expect(!FileManager.default.fileExists(atPath: out))
        // option mistakes are exit 2 as well
        #expect(try CLI.run(["import", "epanet2", m, "--out", out]).code == 2)
        #expect(try CLI.run(["import", "tntp", m, "--out", out, "--people-per-mw", "5"]).code == 2)
        #expect(try CLI.run(["import", "matpower", m, "--out", out, "--people-per-mw", "5", "--population-total", "9"]).code == 2)
    }
}
