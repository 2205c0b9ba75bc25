import Foundation
import Reports
import TestSupport
import Testing

/// Small hand-written result folders for `BatchReport` (docs/outputs.md "Batch outputs").
enum BatchFixtures {
    static let assetsHeader = "id,sector,kind,owner,zone,population,p_damage,p_outage,n1_impact,rrw,mean_outage_hours,rank,p90_outage_hours,x,y\n"

    static func metric(_ mean: Double, _ lo: Double, _ hi: Double) -> String {
        "{\"mean\": \(mean), \"std\": 1, \"ci95_low\": \(lo), \"ci95_high\": \(hi), \"p50\": \(mean), \"p90\": \(hi), \"p95\": \(hi), \"p99\": \(hi), \"cvar95\": \(hi)}"
    }

    /// Static, with annual_rate and expected_annual_loss in summary.json; health and water tie
    /// for the worst sector (health wins in byte order); ranks given; two coordination pairs tie.
    static let staticA = """
        {
          "schema_version": 1,
          "scenario": "static-a",
          "mode": "static",
          "samples": 100,
          "seed": 7,
          "stopped_early": false,
          "loss_unit": "people",
          "model": "town",
          "model_sha256": "aaaa1111aaaa1111aaaa1111aaaa1111aaaa1111aaaa1111aaaa1111aaaa1111",
          "annual_rate": 0.1,
          "expected_annual_loss": 120.5,
          "coordinates": "none",
          "metrics": {
            "loss": \(metric(1205, 1000, 1410.75)),
            "people_without_service.health": \(metric(700, 600, 800)),
            "people_without_service.power": \(metric(300, 250, 350)),
            "people_without_service.water": \(metric(700, 650, 750))
          },
          "exceedance": []
        }

        """
    static let staticAAssets =
        assetsHeader + """
            A-1,power,substation,PowerCo,Z1,5000,0.5,0.5,4000,100,,2,,,
            A-2,water,pump_station,WaterCo,Z1,2000,0.1,0.2,1000,900,,1,,,
            A-3,health,hospital,HealthCo,Z2,0,0,0.4,0,,,3,,,

            """
    static let staticACoordination = """
        owner,depends_on_owner,expected_loss,top_dependencies,provider_median_outage_hours,backup_hours_to_ride_through
        PowerCo,WaterCo,0,,,
        WaterCo,PowerCo,50.5,A-2<-A-1,,
        HealthCo,PowerCo,50.5,A-3<-A-1,,

        """

    /// Timed, run with --no-rankings: no annual_rate in summary.json (the entry gives 0.01), no
    /// ranks or n1_impact, no coordination.csv; W-1 and W-2 tie on p_outage (W-2 has more people).
    static let timedB = """
        {
          "schema_version": 1,
          "scenario": "timed-b",
          "mode": "timed",
          "samples": 20,
          "seed": 42,
          "stopped_early": false,
          "loss_unit": "people-hours",
          "coordinates": "none",
          "horizon_hours": 168,
          "step_hours": 1,
          "metrics": {
            "loss": \(metric(20000, 15000, 25000)),
            "people_hours.power": \(metric(5000, 4000, 6000)),
            "people_hours.water": \(metric(9000, 8000, 10000)),
            "restore95_hours.power": \(metric(12, 10, 14)),
            "restore95_hours.water": \(metric(30, 20, 40)),
            "people_without_service.power": \(metric(90000, 80000, 100000)),
            "people_without_service.water": \(metric(300, 200, 400))
          }
        }

        """
    static let timedBAssets =
        assetsHeader + """
            P-1,power,substation,PowerCo,Z1,5000,0.2,0.2,,,3,,5,,
            W-1,water,pump_station,WaterCo,Z1,100,0.5,0.5,,,10,,20,,
            W-2,water,pump_station,WaterCo,Z2,300,0.5,0.5,,,12,,20,,

            """

    /// Static, a name with `<&>`; annual_rate but no expected_annual_loss in summary.json (0.02 × 500 = 10);
    /// n1_impact but no ranks (C-2: 0.5 × 100 = 50 beats C-1: 0.1 × 400 = 40).
    static let staticC = """
        {
          "schema_version": 1,
          "scenario": "static-c <&>",
          "mode": "static",
          "samples": 10,
          "seed": 1,
          "loss_unit": "people",
          "model": "region",
          "model_sha256": "bbbb2222bbbb2222bbbb2222bbbb2222bbbb2222bbbb2222bbbb2222bbbb2222",
          "annual_rate": 0.02,
          "coordinates": "none",
          "metrics": {
            "loss": \(metric(500, 400.25, 599.75)),
            "people_without_service.power": \(metric(500, 400, 600))
          }
        }

        """
    static let staticCAssets =
        assetsHeader + """
            C-1,power,substation,PowerCo,Z1,400,0.1,0.3,400,,,,,,
            C-2,power,substation,PowerCo,Z1,100,0.5,0.6,100,,,,,,

            """

    static func write(_ dir: URL, _ files: [String: String]) throws {
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        for (name, text) in files { try Data(text.utf8).write(to: dir.appendingPathComponent(name)) }
    }

    /// A batch folder with the three result folders and the entries (plus a failed one) in order.
    static func batch() throws -> (root: URL, entries: [BatchReport.Entry]) {
        let root = TemporaryFolder.url("batch")
        try write(
            root.appendingPathComponent("static-a"),
            ["summary.json": staticA, "assets.csv": staticAAssets, "coordination.csv": staticACoordination, "report.html": "<html></html>\n"])
        try write(root.appendingPathComponent("timed-b"), ["summary.json": timedB, "assets.csv": timedBAssets, "report.html": "<html></html>\n"])
        try write(root.appendingPathComponent("static-c <&>"), ["summary.json": staticC, "assets.csv": staticCAssets])
        let entries = [
            BatchReport.Entry(name: "static-a", resultDir: root.appendingPathComponent("static-a").path, status: "computed", annualRate: 0.1),
            BatchReport.Entry(
                name: "timed-b", resultDir: root.appendingPathComponent("timed-b").path, status: "up to date (skipped)", annualRate: 0.01),
            BatchReport.Entry(
                name: "broken", resultDir: root.appendingPathComponent("broken").path, status: "failed: bad YAML, line 3", annualRate: 0.5),
            BatchReport.Entry(name: "static-c <&>", resultDir: root.appendingPathComponent("static-c <&>").path, status: "computed"),
        ]
        return (root, entries)
    }
}

@Suite struct BatchReportTests {
    @Test func csvHeaderAndRows() throws {
        let (root, entries) = try BatchFixtures.batch()
        defer { try? FileManager.default.removeItem(at: root) }
        let out = try BatchReport.build(entries)
        let lines = out.csv.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(
            lines[0]
                == "scenario,annual_rate,loss_mean,loss_ci95_low,loss_ci95_high,worst_sector,top_asset,top_owner_pair,mode,samples,loss_unit,expected_annual_loss,status,model,model_sha256"
        )
        #expect(lines[0] == BatchReport.csvColumns.joined(separator: ","))
        // rank 1 → A-2; health and water tie at 700 → health; pairs tie at 50.5 → HealthCo before WaterCo
        #expect(
            lines[1]
                == "static-a,0.1,1205,1000,1410.75,health,A-2,HealthCo->PowerCo,static,100,people,120.5,computed,town,\(String(repeating: "aaaa1111", count: 8))"
        )
        // annual rate from the entry; EAL = 0.01 × 20000; people_hours water 9000 > power 5000 (the peak
        // people_without_service is ignored in timed mode); W-1/W-2 tie on p_outage → more people; no coordination.csv
        #expect(lines[2] == "timed-b,0.01,20000,15000,25000,water,W-2,,timed,20,people-hours,200,up to date (skipped),,")
        // a failed entry: its annual rate and status only
        #expect(lines[3] == "broken,0.5,,,,,,,,,,,\"failed: bad YAML, line 3\",,")
        // EAL = 0.02 × 500; top asset by p_damage × n1_impact (C-2 50 > C-1 40)
        #expect(
            lines[4]
                == "static-c <&>,0.02,500,400.25,599.75,power,C-2,,static,10,people,10,computed,region,\(String(repeating: "bbbb2222", count: 8))")
        #expect(lines[5] == "")
        #expect(lines.count == 6)
    }

    @Test func markdownTotalsPerUnit() throws {
        let (root, entries) = try BatchFixtures.batch()
        defer { try? FileManager.default.removeItem(at: root) }
        let md = try BatchReport.build(entries).markdown
        #expect(md.hasPrefix("# Batch comparison\n"))
        // people: 120.5 (town) and 10 (region), never added across models; people-hours:
        // 200 from a result that records no model; never added across units
        #expect(md.contains("\n- model town, people: 120.5 people per year (1 scenario: static-a)\n"))
        #expect(md.contains("\n- model region, people: 10 people per year (1 scenario: static-c \\<&\\>)\n"))
        #expect(md.contains("\n- model model not recorded, people-hours: 200 people-hours per year (1 scenario: timed-b)\n"))
        #expect(md.contains("cannot be added"))
        #expect(!md.contains("130.5") && !md.contains("330.5"))
        // links to the reports that exist, relative to the batch folder
        #expect(
            md.contains(
                "| [static-a](static-a/report.html) | static | 100 | 1,205 | 1,000–1,411 | people | 0.1 | 120.5 | health | A-2 | HealthCo → PowerCo | computed |"
            ))
        #expect(md.contains("[timed-b](timed-b/report.html)"))
        #expect(md.contains("| static-c \\<&\\> | static |"))
        // failed and skipped scenarios
        #expect(md.contains("- timed-b: up to date (skipped)\n"))
        #expect(md.contains("- broken: failed: bad YAML, line 3\n"))
        #expect(!md.contains("- static-a:"))
    }

    @Test func htmlChartsAndEscaping() throws {
        let (root, entries) = try BatchFixtures.batch()
        defer { try? FileManager.default.removeItem(at: root) }
        let html = try BatchReport.build(entries).html
        func count(_ s: String) -> Int { html.components(separatedBy: s).count - 1 }
        // one chart per loss unit; one bar per scenario with a mean (the failed one has none)
        #expect(count("<svg ") == 2)
        #expect(count("class=\"batch-bar\"") == 3)
        #expect(count("class=\"batch-ci\"") == 3)
        #expect(html.contains("id=\"chart-batch-loss-1\""))
        #expect(html.contains("Mean loss per scenario with 95% CI (people-hours)"))
        // escaped everywhere, never raw
        #expect(html.contains("static-c &lt;&amp;&gt;"))
        #expect(!html.contains("static-c <&>"))
        #expect(html.contains("<a href=\"static-a/report.html\">static-a</a>"))
        // self-contained
        #expect(!html.contains("http://") && !html.contains("https://") && !html.contains("<script"))
        #expect(html.contains("<li>model region, people: 10 people per year (1 scenario: static-c &lt;&amp;&gt;)</li>"))
        #expect(html.hasSuffix("</html>\n"))
    }

    /// Two results of one model (same model_sha256) are added; a model with the same name but
    /// other files is another model, labelled with its digest's first 8 digits.
    @Test func totalsAddOnlyWithinOneModel() throws {
        let (root, entries) = try BatchFixtures.batch()
        defer { try? FileManager.default.removeItem(at: root) }
        let sameModel = BatchFixtures.staticC.replacingOccurrences(of: "\"region\"", with: "\"town\"")
            .replacingOccurrences(of: "bbbb2222", with: "aaaa1111")
        try BatchFixtures.write(root.appendingPathComponent("static-c <&>"), ["summary.json": sameModel])
        let md = try BatchReport.build([entries[0], entries[3]]).markdown
        #expect(md.contains("\n- model town, people: 130.5 people per year (2 scenarios: static-a, static-c \\<&\\>)\n"))
        let otherFiles = BatchFixtures.staticC.replacingOccurrences(of: "\"region\"", with: "\"town\"")
        try BatchFixtures.write(root.appendingPathComponent("static-c <&>"), ["summary.json": otherFiles])
        let md2 = try BatchReport.build([entries[0], entries[3]]).markdown
        #expect(md2.contains("\n- model town (aaaa1111), people: 120.5 people per year (1 scenario: static-a)\n"))
        #expect(md2.contains("\n- model town (bbbb2222), people: 10 people per year (1 scenario: static-c \\<&\\>)\n"))
    }

    /// A scenario whose mean loss is 0 names no top asset and no owner pair (before: rank 1 was
    /// named although nothing was lost).
    @Test func zeroLossNamesNoTopAsset() throws {
        let (root, entries) = try BatchFixtures.batch()
        defer { try? FileManager.default.removeItem(at: root) }
        let zero = BatchFixtures.staticA.replacingOccurrences(
            of: "\"loss\": \(BatchFixtures.metric(1205, 1000, 1410.75))",
            with: "\"loss\": \(BatchFixtures.metric(0, 0, 0))")
        try BatchFixtures.write(root.appendingPathComponent("static-a"), ["summary.json": zero])
        let line = try BatchReport.build([entries[0]]).csv.split(separator: "\n")[1]
        #expect(line.hasPrefix("static-a,0.1,0,0,0,health,,,static,"), "\(line)")
    }

    @Test func weightsInSummaryAreUsedWhenPresent() throws {
        let (root, entries) = try BatchFixtures.batch()
        defer { try? FileManager.default.removeItem(at: root) }
        // power 300 × 3 = 900 beats health and water at 700 × 1
        let weighted = BatchFixtures.staticA.replacingOccurrences(
            of: "\"coordinates\": \"none\",", with: "\"coordinates\": \"none\", \"weights\": {\"power\": 3},")
        try BatchFixtures.write(root.appendingPathComponent("static-a"), ["summary.json": weighted])
        let out = try BatchReport.build([entries[0]])
        #expect(out.csv.split(separator: "\n")[1].hasPrefix("static-a,0.1,1205,1000,1410.75,power,A-2,"))
        #expect(out.markdown.contains("largest mean weighted loss"))
    }

    @Test func sameEntriesSameBytes() throws {
        let (root, entries) = try BatchFixtures.batch()
        defer { try? FileManager.default.removeItem(at: root) }
        let a = try BatchReport.build(entries)
        let b = try BatchReport.build(entries)
        #expect(a.csv == b.csv)
        #expect(a.markdown == b.markdown)
        #expect(a.html == b.html)
        // the order of the entries is the order of the rows
        let c = try BatchReport.build(entries.reversed())
        #expect(c.csv.split(separator: "\n")[1].hasPrefix("static-c <&>,"))
    }

    @Test func missingOrMalformedSummaryIsAnError() throws {
        let (root, entries) = try BatchFixtures.batch()
        defer { try? FileManager.default.removeItem(at: root) }
        // a computed entry whose folder has no summary.json
        let missing = BatchReport.Entry(name: "gone", resultDir: root.appendingPathComponent("gone").path, status: "computed")
        do {
            _ = try BatchReport.build(entries + [missing])
            Issue.record("expected an error")
        } catch let e as ReportDataError {
            #expect(e.problems.count == 1)
            #expect(e.problems[0].file == root.appendingPathComponent("gone").path + "/summary.json")
            #expect(e.problems[0].message.contains("missing"))
        }
        // malformed: metrics.loss missing, samples not an integer
        let bad = root.appendingPathComponent("bad")
        try BatchFixtures.write(
            bad,
            [
                "summary.json": """
                {"schema_version": 1, "scenario": "bad", "mode": "static", "samples": "ten", "seed": 1, "metrics": {}}
                """
            ])
        do {
            _ = try BatchReport.build([BatchReport.Entry(name: "bad", resultDir: bad.path, status: "computed")])
            Issue.record("expected an error")
        } catch let e as ReportDataError {
            #expect(e.problems.allSatisfy { $0.file == bad.path + "/summary.json" })
            #expect(e.problems.contains { $0.field == "samples" })
            #expect(e.problems.contains { $0.field == "metrics.loss" })
            #expect(e.description.contains(bad.path + "/summary.json:1: error: field 'samples'"))
        }
        // not JSON
        try BatchFixtures.write(bad, ["summary.json": "{\"scenario\": \n"])
        do {
            _ = try BatchReport.build([BatchReport.Entry(name: "bad", resultDir: bad.path, status: "computed")])
            Issue.record("expected an error")
        } catch let e as ReportDataError {
            #expect(e.problems.first?.file == bad.path + "/summary.json")
        }
        // a failed entry is not read, whatever its folder holds
        let failed = BatchReport.Entry(name: "bad", resultDir: bad.path, status: "failed: exit 2")
        #expect(try BatchReport.build([failed]).csv.hasSuffix("\nbad,,,,,,,,,,,,failed: exit 2,,\n"))
    }

    @Test func malformedAssetsIsAnError() throws {
        let (root, entries) = try BatchFixtures.batch()
        defer { try? FileManager.default.removeItem(at: root) }
        let dir = root.appendingPathComponent("static-a")
        try BatchFixtures.write(dir, ["assets.csv": BatchFixtures.assetsHeader + "A-1,power,substation,PowerCo,Z1,5000,1.5,0.5,4000,100,,1,,,\n"])
        do {
            _ = try BatchReport.build(entries)
            Issue.record("expected an error")
        } catch let e as ReportDataError {
            #expect(e.problems.map(\.file) == [dir.path + "/assets.csv"])
            #expect(e.problems[0].field == "p_damage" && e.problems[0].line == 2)
        }
    }
}
