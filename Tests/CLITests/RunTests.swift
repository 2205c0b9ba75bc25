import Foundation
import TestSupport
import Testing

/// `kaskada run`: the validation suite of scenarios/reference/, every shipped scenario end to end,
/// and the determinism properties (thread count, row order).
@Suite struct RunTests {
    static var referenceCases: [String] {
        let dir = CLI.repo.appendingPathComponent("scenarios/reference")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return names.filter { FileManager.default.fileExists(atPath: dir.appendingPathComponent("\($0)/expected/expected.json").path) }.sorted()
    }

    static func tempDir() throws -> URL {
        let d = TemporaryFolder.url("run")
        try FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
        return d
    }

    static func json(_ url: URL) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any] ?? [:]
    }

    @Test func thereAreReferenceCases() {
        #expect(Self.referenceCases.count >= 12)
    }

    /// Each case's README cites where its expected numbers come from.
    @Test(arguments: RunTests.referenceCases)
    func referenceCaseMatchesExpected(_ name: String) throws {
        let out = try Self.tempDir()
        defer { try? FileManager.default.removeItem(at: out) }
        // the cases check their metrics; N-1 of the 40,000-asset giant-component models would
        // take minutes (one full cascade per asset), so rankings are skipped here
        let r = try CLI.run(["run", "scenarios/reference/\(name)/scenario.yaml", "--out", out.path, "--quiet", "--no-rankings"])
        #expect(r.code == 0, "\(r.err)")
        let expected = try Self.json(CLI.repo.appendingPathComponent("scenarios/reference/\(name)/expected/expected.json"))
        let summary = try Self.json(out.appendingPathComponent("summary.json"))
        let metrics = summary["metrics"] as? [String: [String: Any]] ?? [:]
        for (metric, e) in expected["metrics"] as? [String: [String: Double]] ?? [:] {
            let got = metrics[metric]?["mean"] as? Double
            #expect(got != nil, "\(name): no metric \(metric)")
            if let got, let mean = e["mean"], let tol = e["tolerance"] {
                #expect(abs(got - mean) <= tol + 1e-9, "\(name) \(metric): \(got), expected \(mean) ± \(tol)")
            }
        }
        // per-asset expectations against assets.csv columns
        let perAsset = expected["assets"] as? [String: [String: [String: Double]]] ?? [:]
        if !perAsset.isEmpty {
            let rows = try Self.csvRows(out.appendingPathComponent("assets.csv"))
            for (id, columns) in perAsset {
                guard let row = rows[id] else { Issue.record("\(name): asset \(id) not in assets.csv"); continue }
                for (column, e) in columns {
                    let got = row[column].flatMap { Double($0) }
                    #expect(got != nil, "\(name): \(id) has no \(column)")
                    if let got, let mean = e["mean"], let tol = e["tolerance"] {
                        #expect(abs(got - mean) <= tol + 1e-9, "\(name) \(id).\(column): \(got), expected \(mean) ± \(tol)")
                    }
                }
            }
        }
    }

    /// assets.csv rows by id (no quoted fields in the reference models).
    static func csvRows(_ url: URL) throws -> [String: [String: String]] {
        let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map(String.init)
        guard let header = lines.first?.split(separator: ",", omittingEmptySubsequences: false).map(String.init) else { return [:] }
        var out: [String: [String: String]] = [:]
        for line in lines.dropFirst() {
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            out[f[0]] = Dictionary(uniqueKeysWithValues: zip(header, f))
        }
        return out
    }

    /// Timed mode at a long horizon without repairs ends in the static state (docs/specification.md section 5:
    /// the state at every moment is the static fixed point): the static twin of
    /// timed-static-limit leaves exactly the assets without service that the timed run still has
    /// out at the horizon, and the people without service agree.
    @Test func timedEndsInTheStaticState() throws {
        let dir = "scenarios/reference/timed-static-limit"
        let outT = try Self.tempDir(), outS = try Self.tempDir()
        defer { try? FileManager.default.removeItem(at: outT); try? FileManager.default.removeItem(at: outS) }
        #expect(try CLI.run(["run", "\(dir)/scenario.yaml", "--out", outT.path, "--quiet"]).code == 0)
        #expect(try CLI.run(["run", "\(dir)/scenario-static.yaml", "--out", outS.path, "--quiet"]).code == 0)
        let timed = try Self.csvRows(outT.appendingPathComponent("assets.csv"))
        let stat = try Self.csvRows(outS.appendingPathComponent("assets.csv"))
        let horizon = try Self.json(outT.appendingPathComponent("summary.json"))["horizon_hours"] as? Double ?? 0
        let outAtEnd = Set(timed.filter { ($0.value["mean_outage_hours"].flatMap { Double($0) } ?? 0) > 0 }.keys)
        let outStatic = Set(stat.filter { $0.value["p_outage"] == "1" }.keys)
        #expect(!outStatic.isEmpty && outAtEnd == outStatic)
        // every asset out at the end stays out from its failure to the horizon: its outage is
        // horizon minus a time within the first 10 hours (backups of 4 and 6 hours)
        for id in outAtEnd { #expect((timed[id]!["mean_outage_hours"].flatMap { Double($0) } ?? 0) >= horizon - 10) }
        let tm = try Self.json(outT.appendingPathComponent("summary.json"))["metrics"] as? [String: [String: Any]] ?? [:]
        let sm = try Self.json(outS.appendingPathComponent("summary.json"))["metrics"] as? [String: [String: Any]] ?? [:]
        for sector in ["power", "telecom"] {
            // the timed peak (people without service) is the static value
            #expect(tm["people_without_service.\(sector)"]?["mean"] as? Double == sm["people_without_service.\(sector)"]?["mean"] as? Double)
        }
    }

    @Test(arguments: CLI.shippedScenarios)
    func shippedScenarioRuns(_ path: String) throws {
        let out = try Self.tempDir()
        defer { try? FileManager.default.removeItem(at: out) }
        // rankings of the timed flood re-simulate about 100 state changes per sample for each of
        // 50 rrw candidates and 10 owners, its ten mitigation options and their portfolio about
        // 60 joint sets: minutes in a debug build; both are exercised in a release build by
        // .ci/run instead (and the options by MitigationTests)
        let heavy = path.hasSuffix("riverside-flood-100y-timed.yaml")
        // the timed Schutterwald flood's rrw re-simulates each hit candidate's samples: 16 samples
        // keep it under ten seconds with the sanitizer
        let samples = path.hasSuffix("schutterwald-flood-timed.yaml") ? 16 : 40
        let r = try CLI.run(
            ["run", path, "--samples", "\(samples)", "--out", out.path, "--quiet"] + (heavy ? ["--no-rankings", "--no-mitigations"] : []))
        #expect(r.code == 0, "\(path): \(r.err)")
        for f in ["summary.json", "assets.csv", "report.md", "manifest.json", "run.log"] {
            #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent(f).path), "\(path): no \(f)")
        }
        let summary = try Self.json(out.appendingPathComponent("summary.json"))
        #expect(summary["samples"] as? Int == samples)
        #expect((summary["metrics"] as? [String: Any])?["loss"] != nil)
        // the manifest's digests are those of the files
        let manifest = try Self.json(out.appendingPathComponent("manifest.json"))
        let timed = summary["mode"] as? String == "timed"
        let files =
            ["assets.csv", "dependencies.csv", "report.html", "report.md", "summary.json", "zones.csv"]
            + (timed ? ["timeline.csv"] : []) + (heavy ? [] : ["coordination.csv"])
        let written = (manifest["files"] as? [String: Any])?.keys.sorted() ?? []
        #expect(Set(files).isSubset(of: Set(written)), "\(path): \(written)")
        // a model with lat/lon gets both map files, each in the manifest; GDAL reads them in .ci/run
        let geographic = written.contains("results.geojson")
        #expect(written.contains("results.gpkg") == geographic, "\(path): \(written)")
        if geographic {
            let gpkg = try Data(contentsOf: out.appendingPathComponent("results.gpkg"))
            #expect(gpkg.prefix(16) == Data("SQLite format 3\0".utf8) && gpkg[68..<72] == Data("GPKG".utf8))
        }
        // every asset has n1_impact and a rank; at least 50 (or every hit asset) have rrw
        guard !heavy else { return }
        let rows = try Self.csvRows(out.appendingPathComponent("assets.csv"))
        #expect(rows.values.allSatisfy { !($0["n1_impact"] ?? "").isEmpty && !($0["rank"] ?? "").isEmpty })
        let withRRW = rows.values.filter { !($0["rrw"] ?? "").isEmpty }.count
        let hit = rows.values.filter { ($0["p_damage"] ?? "0") != "0" }.count
        #expect(withRRW == min(50, hit), "\(path): \(withRRW) assets with rrw, \(hit) hit")
    }

    @Test(arguments: ["riverside-flood-100y", "riverside-windstorm-timed"])
    func threadCountDoesNotChangeAByte(_ scenario: String) throws {
        var outs: [URL] = []
        defer { for o in outs { try? FileManager.default.removeItem(at: o) } }
        let timed = scenario.hasSuffix("-timed")
        // the flood's ten options and 47 joint sets dominate under the sanitizer: 60 samples
        // (3 threads still take a chunk each in the samples, the options and the portfolio)
        let samples = timed ? 120 : 60
        for t in [1, 3] {
            let out = try Self.tempDir()
            outs.append(out)
            let r = try CLI.run(["run", "scenarios/\(scenario).yaml", "--samples", "\(samples)", "--threads", "\(t)", "--out", out.path, "--quiet"])
            #expect(r.code == 0, "\(r.err)")
        }
        for f in [
            "summary.json", "assets.csv", "report.md", "report.html", "manifest.json", "dependencies.csv", "zones.csv",
            "coordination.csv",
        ] + (timed ? ["timeline.csv"] : []) {
            let a = try Data(contentsOf: outs[0].appendingPathComponent(f))
            for o in outs.dropFirst() {
                #expect(try Data(contentsOf: o.appendingPathComponent(f)) == a, "\(f) differs between 1 thread and \(o.lastPathComponent)")
            }
        }
    }

    /// The result does not depend on the order of rows in the input files (docs/specification.md section 2).
    @Test func rowOrderDoesNotChangeTheResult() throws {
        let work = try Self.tempDir()
        defer { try? FileManager.default.removeItem(at: work) }
        let src = CLI.repo.appendingPathComponent("scenarios")
        // copy the model and scenario with every CSV's data rows reversed
        let fm = FileManager.default
        try fm.createDirectory(at: work.appendingPathComponent("networks"), withIntermediateDirectories: true)
        try fm.copyItem(at: src.appendingPathComponent("networks/riverside"), to: work.appendingPathComponent("networks/riverside"))
        try fm.copyItem(at: src.appendingPathComponent("riverside"), to: work.appendingPathComponent("riverside"))
        try fm.copyItem(at: src.appendingPathComponent("fragility"), to: work.appendingPathComponent("fragility"))
        for f in ["assets.csv", "links.csv", "dependencies.csv"] {
            let url = work.appendingPathComponent("networks/riverside/\(f)")
            var lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: true)
            let header = lines.removeFirst()
            try ([header] + lines.reversed()).joined(separator: "\n").appending("\n").write(to: url, atomically: true, encoding: .utf8)
        }
        let scenario = try String(contentsOf: src.appendingPathComponent("riverside-windstorm.yaml"), encoding: .utf8)
        try scenario.write(to: work.appendingPathComponent("riverside-windstorm.yaml"), atomically: true, encoding: .utf8)
        let a = try Self.tempDir(), b = try Self.tempDir()
        defer { try? fm.removeItem(at: a); try? fm.removeItem(at: b) }
        let r1 = try CLI.run(["run", "scenarios/riverside-windstorm.yaml", "--samples", "200", "--out", a.path, "--quiet"])
        let r2 = try CLI.run(["run", work.appendingPathComponent("riverside-windstorm.yaml").path, "--samples", "200", "--out", b.path, "--quiet"])
        #expect(r1.code == 0 && r2.code == 0, "\(r1.err) \(r2.err)")
        for f in ["summary.json", "assets.csv", "report.md"] {
            #expect(try Data(contentsOf: a.appendingPathComponent(f)) == Data(contentsOf: b.appendingPathComponent(f)), "\(f) depends on row order")
        }
    }

    /// `target_relative_ci` stops after a whole block of 1,024 samples once the 95% half-width of
    /// the mean loss is at most that fraction of the mean (docs/specification.md section 5).
    @Test func earlyStopAtWholeBlocks() throws {
        let work = try Self.tempDir()
        defer { try? FileManager.default.removeItem(at: work) }
        let model = CLI.repo.appendingPathComponent("scenarios/reference/series-probabilistic/model/network.yaml").path
        let yaml = """
            name: early
            network: \(model)
            events:
              - type: outage
                select: {ids: [A, B]}
                probability: 0.5
            simulation: {samples: 100000, seed: 3, target_relative_ci: 0.02}
            """
        try yaml.write(to: work.appendingPathComponent("early.yaml"), atomically: true, encoding: .utf8)
        let out = work.appendingPathComponent("out")
        let r = try CLI.run(["run", work.appendingPathComponent("early.yaml").path, "--out", out.path, "--quiet", "--no-rankings"])
        #expect(r.code == 0, "\(r.err)")
        let summary = try Self.json(out.appendingPathComponent("summary.json"))
        let n = summary["samples"] as? Int ?? 0
        #expect(summary["stopped_early"] as? Bool == true)
        #expect(n > 0 && n < 100000 && n % 1024 == 0, "stopped at \(n) samples")
        // the half-width at the stop is within 2% of the mean
        let loss = (summary["metrics"] as? [String: [String: Double]])?["loss"] ?? [:]
        if let mean = loss["mean"], let hi = loss["ci95_high"] { #expect(hi - mean <= 0.02 * mean) }
    }

    /// A timed scenario whose event can damage an element without a repair curve is refused
    /// (exit 2, naming the kind and the hazard), not run with a guessed repair time.
    @Test func timedModeNeedsRepairCurves() throws {
        let work = try Self.tempDir()
        defer { try? FileManager.default.removeItem(at: work) }
        let model = CLI.repo.appendingPathComponent("scenarios/reference/exact-series/model/network.yaml").path
        let yaml =
            "name: timed\nnetwork: \(model)\nevents:\n  - type: attack\n    strategy: listed\n    count: 1\n    select: {ids: [A]}\nsimulation: {mode: timed}\n"
        try yaml.write(to: work.appendingPathComponent("timed.yaml"), atomically: true, encoding: .utf8)
        let out = work.appendingPathComponent("out")
        let r = try CLI.run(["run", work.appendingPathComponent("timed.yaml").path, "--out", out.path])
        #expect(r.code == 2)
        #expect(r.err.contains("no repair curve") && r.err.contains("hazard 'attack'"), "\(r.err)")
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }

    @Test func badInputLeavesNothingBehind() throws {
        let out = try Self.tempDir()
        try FileManager.default.removeItem(at: out)
        let r = try CLI.run(["run", "does/not/exist.yaml", "--out", out.path])
        #expect(r.code == 2)
        #expect(!FileManager.default.fileExists(atPath: out.path))
        #expect(try CLI.run(["run", "scenarios/riverside-windstorm.yaml", "--samples", "0"]).code == 2)
    }
}
