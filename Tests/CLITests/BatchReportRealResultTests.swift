import Foundation
import Reports
import TestSupport
import Testing

/// `BatchReport` on a result folder written by `kaskada run`.
@Suite struct BatchReportRealResultTests {
    /// On a real result folder written by the kaskada binary that the tests build (it used to
    /// return early, and pass, when a release binary was missing).
    @Test func realResultFolder() throws {
        let binary = CLI.binary
        let scenario = CLI.repo.appendingPathComponent("scenarios/riverside-windstorm.yaml")
        #expect(FileManager.default.isExecutableFile(atPath: binary.path))
        let root = TemporaryFolder.url("batch-real")
        defer { try? FileManager.default.removeItem(at: root) }
        let out = root.appendingPathComponent("riverside-windstorm")
        let p = Process()
        p.executableURL = binary
        p.arguments = ["run", scenario.path, "--samples", "20", "--out", out.path, "--quiet"]
        try p.run()
        p.waitUntilExit()
        try #require(p.terminationStatus == 0)
        let a = try BatchReport.build([BatchReport.Entry(name: "riverside-windstorm", resultDir: out.path, status: "computed")])
        let row = a.csv.split(separator: "\n")[1].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        #expect(row.count == BatchReport.csvColumns.count)
        #expect(row[0] == "riverside-windstorm" && row[8] == "static" && row[9] == "20" && row[10] == "people" && row[12] == "computed")
        #expect(Double(row[2]) != nil && Double(row[1]) != nil && Double(row[11]) != nil)
        #expect(!row[6].isEmpty)
        #expect(a.html.contains("<a href=\"riverside-windstorm/report.html\">"))
        #expect(try BatchReport.build([BatchReport.Entry(name: "riverside-windstorm", resultDir: out.path, status: "computed")]).html == a.html)
    }
}
