import Foundation
import TestSupport
import Testing

/// Inputs that crashed Kaskada: each must give exit 0 or 2 with a message, never a signal.
@Suite struct CrashRegressionTests {
    /// A folder with a tiny model (`m/`) and a scenario on it written to `scenarioName`.
    func fixture(_ scenarioName: String, population: String = "10", simulation: String = "{mode: static, samples: 20, seed: 1}") throws -> URL {
        let d = TemporaryFolder.url("crash")
        try FileManager.default.createDirectory(at: d.appendingPathComponent("m"), withIntermediateDirectories: true)
        try "name: m\nassets: assets.csv\n".write(to: d.appendingPathComponent("m/network.yaml"), atomically: true, encoding: .utf8)
        try "id,sector,kind,role,population\nS,power,substation,source,\(population)\nB,power,substation,node,5\n"
            .write(to: d.appendingPathComponent("m/assets.csv"), atomically: true, encoding: .utf8)
        try """
        name: t
        network: m/network.yaml
        events:
          - {type: outage, select: {ids: [S]}, probability: 0.5}
        simulation: \(simulation)

        """.write(to: d.appendingPathComponent(scenarioName), atomically: true, encoding: .utf8)
        return d
    }

    @Test func oneCharacterNamesDoNotCrash() throws {
        let d = try fixture("x")
        defer { try? FileManager.default.removeItem(at: d) }
        // NSString.deletingLastPathComponent traps on "x" and "m/" on Linux: Paths.parent instead
        let run = try CLI.run(["run", "x", "--out", "o", "--quiet"], cwd: d)
        #expect(run.code == 0, "\(run.err)")
        let folder = try CLI.run(["run", "m/", "--out", "o2", "--quiet"], cwd: d)
        #expect(folder.code == 2 && !folder.err.isEmpty, "\(folder.err)")
        let batch = try CLI.run(["batch", "x", "--samples", "5", "--out", "b", "--quiet"], cwd: d)
        #expect(batch.code == 0, "\(batch.err)")
    }

    /// `kaskada merge` on a shard.json with "shards": 0 trapped on a range; now exit 2 naming the file.
    @Test func mergeOfAShardWithZeroShardsIsAnInputError() throws {
        let d = try fixture("s.yaml")
        defer { try? FileManager.default.removeItem(at: d) }
        let r = try CLI.run(["run", "s.yaml", "--shard", "1/2", "--out", "sh1", "--quiet"], cwd: d)
        #expect(r.code == 0, "\(r.err)")
        let json = d.appendingPathComponent("sh1/shard.json")
        let text = try String(contentsOf: json, encoding: .utf8)
        #expect(text.contains("\"shards\": 2"))
        try text.replacingOccurrences(of: "\"shards\": 2", with: "\"shards\": 0").write(to: json, atomically: true, encoding: .utf8)
        let m = try CLI.run(["merge", "sh1", "--out", "merged", "--quiet"], cwd: d)
        #expect(m.code == 2)
        #expect(m.err.contains("sh1/shard.json: error:") && m.err.contains("expected 1 ≤ shard ≤ shards"), "\(m.err)")
        #expect(!FileManager.default.fileExists(atPath: d.appendingPathComponent("merged").path))
    }

    @Test func scenarioIsRecognisedByContentNotName() throws {
        for name in ["flood-network.yaml", "scenario-without-extension", "x"] {
            let d = try fixture(name)
            defer { try? FileManager.default.removeItem(at: d) }
            let r = try CLI.run(["validate", "--json", name], cwd: d)
            #expect(r.code == 0, "\(name): \(r.err)")
            #expect(r.out.contains("\"scenario\""), "\(name) was read as a model")
        }
    }

    /// Every bound of docs/formats.md "Valid ranges" is checked at load: one value past each.
    @Test(arguments: [
        ("{mode: static, samples: 20, seed: 1}\nannual_rate: 400", "field 'annual_rate'"),
        ("{mode: static, samples: 200000000, seed: 1}", "field 'simulation.samples'"),
        ("{mode: static, samples: 20, seed: 1}\nweights: {power: 1e7}", "field 'weights.power'"),
        ("{mode: static, samples: 20, seed: 1}\ncrews: {X: 2000000}", "field 'crews.X'"),
    ])
    func scenarioBounds(_ extra: String, _ field: String) throws {
        let d = try fixture("s.yaml", simulation: extra)
        defer { try? FileManager.default.removeItem(at: d) }
        let r = try CLI.run(["validate", "--quiet", "s.yaml"], cwd: d)
        #expect(r.code == 2 && r.err.contains(field), "\(r.err)")
    }

    @Test func modelBounds() throws {
        let d = try fixture("s.yaml")
        defer { try? FileManager.default.removeItem(at: d) }
        try "id,sector,kind,role,repair_hours,priority\nS,power,substation,source,2e9,0\nB,power,substation,node,5,1e7\n"
            .write(to: d.appendingPathComponent("m/assets.csv"), atomically: true, encoding: .utf8)
        let r = try CLI.run(["validate", "--quiet", "s.yaml"], cwd: d)
        #expect(r.code == 2)
        #expect(r.err.contains("assets.csv:2: error: field 'repair_hours'") && r.err.contains("assets.csv:3: error: field 'priority'"), "\(r.err)")
    }

    @Test func hugeNumbersAreInputErrors() throws {
        let pop = try fixture("s.yaml", population: "1e19")
        defer { try? FileManager.default.removeItem(at: pop) }
        let r = try CLI.run(["run", "s.yaml", "--out", "o", "--quiet"], cwd: pop)
        #expect(r.code == 2)
        #expect(r.err.contains("assets.csv:2: error: field 'population': expected a number of people from 0 to 10^10"), "\(r.err)")
        #expect(!FileManager.default.fileExists(atPath: pop.appendingPathComponent("o").path))
        let far = try fixture("s.yaml", simulation: "{mode: timed, samples: 5, seed: 1, horizon_hours: 1e308}")
        defer { try? FileManager.default.removeItem(at: far) }
        let r2 = try CLI.run(["run", "s.yaml", "--out", "o", "--quiet"], cwd: far)
        #expect(r2.code == 2 && r2.err.contains("field 'simulation.horizon_hours'"), "\(r2.err)")
        let fine = try fixture("s.yaml", simulation: "{mode: timed, samples: 5, seed: 1, horizon_hours: 80000, step_hours: 0.5}")
        defer { try? FileManager.default.removeItem(at: fine) }
        let r3 = try CLI.run(["run", "s.yaml", "--out", "o", "--quiet"], cwd: fine)
        #expect(r3.code == 2 && r3.err.contains("gives 160000 timeline steps: expected at most 100,000"), "\(r3.err)")
    }

    /// A run whose memory need exceeds what the machine has is refused before its samples (issue
    /// 15 item 4): exit 2, the estimate term by term and the option that reduces the largest term,
    /// nothing written. The tiny model's 10^7 samples need 8 × (1 + 1 sector + 0 owners) = 16
    /// bytes each, 153 MiB in all: more than 100 MiB, while 10^5 samples (2 MiB) fit.
    @Test func aRunThatCannotFitIsRefusedWithTheEstimate() throws {
        let d = try fixture("s.yaml")
        defer { try? FileManager.default.removeItem(at: d) }
        let big = try CLI.run(
            ["run", "s.yaml", "--samples", "10000000", "--out", "o", "--quiet"], cwd: d, environment: ["KASKADA_MEMORY_MIB": "100"])
        #expect(big.code == 2)
        #expect(big.err.contains("s.yaml: error: field 'simulation': this run needs about"), "\(big.err)")
        #expect(
            big.err.contains("outcomes of 10000000 samples (16 bytes each) 153 MiB") && big.err.contains("Reduce it with --samples, or --shard i/n"),
            "\(big.err)")
        #expect(!FileManager.default.fileExists(atPath: d.appendingPathComponent("o").path))
        let small = try CLI.run(
            ["run", "s.yaml", "--samples", "100000", "--out", "o", "--quiet"], cwd: d, environment: ["KASKADA_MEMORY_MIB": "100"])
        #expect(small.code == 0, "\(small.err)")
        let log = try String(contentsOf: d.appendingPathComponent("o/run.log"), encoding: .utf8)
        #expect(log.contains("memory: estimated ") && log.contains("of 100 MiB (KASKADA_MEMORY_MIB)"), "\(log)")
    }

    /// Found by the `couple` fuzz target: an empty couple.yaml gave exit 2 with no message at all.
    @Test func emptyCouplingFileIsAnErrorWithAMessage() throws {
        let d = try fixture("s.yaml")
        defer { try? FileManager.default.removeItem(at: d) }
        try "".write(to: d.appendingPathComponent("couple.yaml"), atomically: true, encoding: .utf8)
        let r = try CLI.run(["couple", "couple.yaml", "--out", "c"], cwd: d)
        #expect(r.code == 2)
        #expect(r.err.contains("couple.yaml: error:") && r.err.contains("the file is empty"), "\(r.err)")
        #expect(!FileManager.default.fileExists(atPath: d.appendingPathComponent("c").path))
    }
}

/// `attack` with `strategy: criticality` (docs/specification.md section 3): validate accepted it and run refused
/// it. Now the targets are the assets of highest n1_impact on the undamaged model, ties by
/// id. Hand-derived: S feeds A (10 people) and B (5) in a chain, T feeds C (100): n1_impact S 15,
/// A 15, B 5, T 100, C 100; the first is C (ties with T, and C < T), the second T.
@Suite struct CriticalityAttackTests {
    @Test func attackTakesTheHighestN1ImpactFirst() throws {
        let d = TemporaryFolder.url("crit")
        try FileManager.default.createDirectory(at: d.appendingPathComponent("m"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: d) }
        try "name: m\nassets: assets.csv\nlinks: links.csv\n".write(to: d.appendingPathComponent("m/network.yaml"), atomically: true, encoding: .utf8)
        try
            "id,sector,kind,role,population\nS,power,sub,source,0\nA,power,sub,node,10\nB,power,sub,node,5\nT,power,sub,source,0\nC,power,sub,node,100\n"
            .write(to: d.appendingPathComponent("m/assets.csv"), atomically: true, encoding: .utf8)
        try "id,sector,from,to,kind\nl1,power,S,A,line\nl2,power,A,B,line\nl3,power,T,C,line\n"
            .write(to: d.appendingPathComponent("m/links.csv"), atomically: true, encoding: .utf8)
        for (count, hit) in [(1, ["C"]), (2, ["C", "T"])] {
            try """
            name: crit
            network: m/network.yaml
            events:
              - {type: attack, count: \(count), strategy: criticality}
            simulation: {mode: static, samples: 10, seed: 1}

            """.write(to: d.appendingPathComponent("s.yaml"), atomically: true, encoding: .utf8)
            #expect(try CLI.run(["validate", "--quiet", "s.yaml"], cwd: d).code == 0)
            let out = d.appendingPathComponent("o\(count)")
            let r = try CLI.run(["run", "s.yaml", "--out", out.path, "--quiet", "--no-rankings"], cwd: d)
            #expect(r.code == 0, "\(r.err)")
            let rows = try RunTests.csvRows(out.appendingPathComponent("assets.csv"))
            let damaged = rows.filter { Double($0.value["p_damage"] ?? "") == 1 }.map(\.key).sorted()
            #expect(damaged == hit.sorted(), "count \(count)")
        }
    }
}
