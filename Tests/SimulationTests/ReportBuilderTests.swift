import Foundation
import InfraModel
import ResultFiles
import TestSupport
import Testing

@testable import Reports

/// Hand-written data files of small result folders (the contract of docs/outputs.md "Reports").
enum ReportFixtures {
    static let staticSummary = """
        {
          "schema_version": 1,
          "scenario": "fixture-static",
          "mode": "static",
          "samples": 100,
          "seed": 7,
          "stopped_early": false,
          "annual_rate": 0.02,
          "loss_unit": "people",
          "expected_annual_loss": 20,
          "coordinates": "wgs84",
          "metrics": {
            "loss": {"mean": 1000, "std": 300, "ci95_low": 940.5, "ci95_high": 1059.5, "p50": 900, "p90": 1500, "p95": 1700, "p99": 2100, "cvar95": 1900},
            "people_without_service.health": {"mean": 0, "std": 0, "ci95_low": 0, "ci95_high": 0, "p50": 0, "p90": 0, "p95": 0, "p99": 0, "cvar95": 0},
            "people_without_service.power": {"mean": 600, "std": 100, "ci95_low": 580, "ci95_high": 620, "p50": 600, "p90": 800, "p95": 900, "p99": 1000, "cvar95": 950},
            "people_without_service.telecom": {"mean": 100, "std": 10, "ci95_low": 98, "ci95_high": 102, "p50": 100, "p90": 110, "p95": 120, "p99": 130, "cvar95": 125},
            "people_without_service.water": {"mean": 300, "std": 50, "ci95_low": 290, "ci95_high": 310, "p50": 300, "p90": 400, "p95": 450, "p99": 500, "cvar95": 480}
          },
          "exceedance": [{"loss": 2200, "probability": 0.01}, {"loss": 1700, "probability": 0.05}, {"loss": 1500, "probability": 0.1}, {"loss": 900, "probability": 0.5}, {"loss": 0, "probability": 1}]
        }

        """

    static let assetsHeader = "id,sector,kind,owner,zone,population,p_damage,p_outage,n1_impact,rrw,mean_outage_hours,rank,p90_outage_hours,x,y\n"

    /// Owners: "Grid, Inc." (a comma), "Water/Sewer" (a slash), TelcoNet, and one asset without owner.
    static let staticAssets =
        assetsHeader + """
            H-01,health,hospital,,Z1,0,0,0.4,0,,,6,,8.41,49.01
            PUMP-3,water,pump_station,Water/Sewer,Z1,2000,0.2,0.5,1800,300,,2,,8.42,49.02
            PUMP-4,water,pump_station,Water/Sewer,Z2,1000,0.05,0.1,600,,,5,,8.45,49.05
            S-07,power,substation,"Grid, Inc.",Z1,5000,0.3,0.35,4000,800,,1,,8.40,49.00
            S-08,power,substation,"Grid, Inc.",Z2,3000,0.1,0.2,2500,200,,3,,8.46,49.04
            T<1,telecom,cell_tower,TelcoNet,"Zone ""North"", A",800,0.5,0.6,700,150,,4,,8.43,49.03

            """

    static let dependencies = """
        consumer,provider,group,type,p_carried,loss_following,consumer_owner,provider_owner
        PUMP-3,S-07,power,physical,0.3,1500,Water/Sewer,"Grid, Inc."
        PUMP-4,S-08,power,physical,0.1,400,Water/Sewer,"Grid, Inc."
        PUMP-4,S-07,power,physical,0.05,300,Water/Sewer,"Grid, Inc."
        T<1,S-07,power,physical,0.2,200,TelcoNet,"Grid, Inc."
        S-07,T<1,telecom,cyber,0.02,100,"Grid, Inc.",TelcoNet
        H-01,PUMP-3,water,physical,0.4,50,,Water/Sewer
        S-08,S-07,power,physical,0,,"Grid, Inc.","Grid, Inc."

        """

    static let staticCoordination = """
        owner,depends_on_owner,expected_loss,top_dependencies,provider_median_outage_hours,backup_hours_to_ride_through
        Water/Sewer,"Grid, Inc.",450,PUMP-3<-S-07;PUMP-4<-S-08,,
        TelcoNet,"Grid, Inc.",40,T<1<-S-07,,
        "Grid, Inc.",TelcoNet,2,S-07<-T<1,,
        "Grid, Inc.",Water/Sewer,0,,,

        """

    static let zones = """
        zone,sector,p_loss,mean_duration_hours,people_affected,warning
        Z1,water,0.3,,2000,warning
        Z2,power,0.06,,3000,advisory
        Z1,power,0.6,,5000,severe
        Z2,water,0.01,,100,none

        """

    static var staticFiles: [String: String] {
        [
            "summary.json": staticSummary, "assets.csv": staticAssets, "dependencies.csv": dependencies,
            "coordination.csv": staticCoordination, "zones.csv": zones,
        ]
    }

    /// Static, no rankings: only summary.json and assets.csv, no coordinates.
    static var minimalFiles: [String: String] {
        [
            "summary.json": staticSummary.replacingOccurrences(of: "\"wgs84\"", with: "\"none\""),
            "assets.csv": assetsHeader + """
                A-1,power,substation,"Grid, Inc.",Z1,100,0.5,0.5,,,,,,,
                A-2,water,pump_station,Water/Sewer,Z1,50,0.1,0.9,,,,,,,

                """,
        ]
    }

    static let timedSummary = """
        {
          "schema_version": 1,
          "scenario": "fixture-timed",
          "mode": "timed",
          "samples": 50,
          "seed": 18446744073709551615,
          "stopped_early": true,
          "horizon_hours": 48,
          "step_hours": 6,
          "loss_unit": "people-hours",
          "coordinates": "projected",
          "metrics": {
            "loss": {"mean": 24000, "std": 5000, "ci95_low": 22500, "ci95_high": 25500, "p50": 23000, "p90": 30000, "p95": 32000, "p99": 35000, "cvar95": 34000},
            "people_hours.power": {"mean": 20000, "std": 4000, "ci95_low": 18800, "ci95_high": 21200, "p50": 19000, "p90": 26000, "p95": 28000, "p99": 30000, "cvar95": 29000},
            "people_hours.water": {"mean": 4000, "std": 900, "ci95_low": 3700, "ci95_high": 4300, "p50": 3900, "p90": 5000, "p95": 5200, "p99": 5600, "cvar95": 5500},
            "restore95_hours.power": {"mean": 20, "std": 5, "ci95_low": 18, "ci95_high": 22, "p50": 19, "p90": 28, "p95": 30, "p99": 33, "cvar95": 32, "censored": 3},
            "restore95_hours.water": {"mean": null, "std": null, "ci95_low": null, "ci95_high": null, "p50": null, "p90": null, "p95": null, "p99": null, "cvar95": null, "censored": 50},
            "people_without_service.power": {"mean": 2000, "std": 300, "ci95_low": 1900, "ci95_high": 2100, "p50": 2000, "p90": 2400, "p95": 2500, "p99": 2700, "cvar95": 2600},
            "people_without_service.water": {"mean": 400, "std": 60, "ci95_low": 380, "ci95_high": 420, "p50": 400, "p90": 480, "p95": 500, "p99": 520, "cvar95": 510}
          },
          "exceedance": [{"loss": 36000, "probability": 0.02}, {"loss": 30000, "probability": 0.1}, {"loss": 23000, "probability": 0.5}, {"loss": 10000, "probability": 1}]
        }

        """

    static let timedAssets =
        assetsHeader + """
            PUMP-3,water,pump_station,Water/Sewer,Z1,2000,0.2,0.5,1800,300,12.5,2,30,1200,3400
            S-07,power,substation,"Grid, Inc.",Z1,5000,0.3,0.35,4000,800,20,1,41,1000,3000
            S-08,power,substation,"Grid, Inc.",Z2,3000,0.1,0.2,2500,,4,3,10,5000,900

            """

    static let timedCoordination = """
        owner,depends_on_owner,expected_loss,top_dependencies,provider_median_outage_hours,backup_hours_to_ride_through,median_outage_censored
        "Grid, Inc.",Water/Sewer,700,S-07<-PUMP-3,,,true
        Water/Sewer,"Grid, Inc.",4500,PUMP-3<-S-07,18,24,false

        """

    static let timeline: String = {
        var o = "hours,sector,mean,p05,p95\n"
        for h in stride(from: 0, through: 48, by: 6) {
            let power = h == 0 ? 0 : max(0, 2000 - 40 * h)
            let water = h == 0 ? 0 : max(0, 400 - 5 * h)
            o += "\(h),power,\(power),\(power / 2),\(power + 300)\n"
            o += "\(h),water,\(water),\(water / 2),\(water + 50)\n"
        }
        return o
    }()

    static var timedFiles: [String: String] {
        [
            "summary.json": timedSummary, "assets.csv": timedAssets, "timeline.csv": timeline,
            "coordination.csv": timedCoordination,
            "dependencies.csv":
                "consumer,provider,group,type,p_carried,loss_following,consumer_owner,provider_owner\nPUMP-3,S-07,power,physical,0.3,9000,Water/Sewer,\"Grid, Inc.\"\n",
            "zones.csv": "zone,sector,p_loss,mean_duration_hours,people_affected,warning\nZ1,power,0.55,14.5,5000,severe\n",
        ]
    }
}

extension ReportFixtures {
    /// The static fixture's summary.json with a portfolio of two options.
    static let mitigationSummary = staticSummary.replacingOccurrences(
        of: "  \"coordinates\": \"wgs84\",\n",
        with: """
              "portfolio": {"options": ["harden-S-07", "dyke&wall<1>"], "method": "exact", "cost": 1300000, "loss_reduction": 700, "ci95_low": 640.5, "ci95_high": 759.5},
              "coordinates": "wgs84",

            """)

    /// Four evaluated options in no particular order (one id with markup characters, one whose
    /// CI includes 0, one that changes nothing), one not evaluated, and a column appended later.
    static let mitigations = """
        option,cost,loss_reduction,ci95_low,ci95_high,benefit_cost,in_portfolio,benefit_cost_unit,p_beats,not_evaluated,added_later
        harden-S-07,500000,300,250,350,600,true,people per million EUR,backup-pumps:0.6;dyke&wall<1>:0.2;no-op:0.7,,x
        backup-pumps,200000,120,-10,250,600,false,people per million EUR,harden-S-07:0.3;dyke&wall<1>:0.1;no-op:0.4,,x
        new-link,350000,,,,,,,,"redundant_supply with a link, not evaluated yet",x
        dyke&wall<1>,800000,450,400,500,562.5,true,people per million EUR,harden-S-07:0.75;backup-pumps:0.85;no-op:0.9,,x
        no-op,1000,0,0,0,0,false,people per million EUR,harden-S-07:0;backup-pumps:0;dyke&wall<1>:0,,x

        """

    static var mitigationFiles: [String: String] {
        var f = staticFiles
        f["summary.json"] = mitigationSummary
        f["mitigations.csv"] = mitigations
        return f
    }
}

@Suite struct ReportBuilderTests {
    static func build(_ files: [String: String]) throws -> [String: String] {
        var out: [String: String] = [:]
        for f in try ReportBuilder(files: files).build() { out[f.name] = f.content }
        return out
    }

    /// The Markdown table rows after a heading, up to the next heading.
    static func tableRows(_ md: String, after heading: String) -> [String] {
        guard let r = md.range(of: heading + "\n") else { return [] }
        let rest = md[r.upperBound...]
        let section = rest.range(of: "\n## ").map { rest[..<$0.lowerBound] } ?? rest
        return section.split(separator: "\n").map(String.init).filter { $0.hasPrefix("| ") }.dropFirst().map { $0 }
    }

    @Test func outputNames() throws {
        let out = try ReportBuilder(files: ReportFixtures.staticFiles).build().map(\.name)
        #expect(out == ["report.md", "report.html", "briefs/Grid__Inc..md", "briefs/TelcoNet.md", "briefs/Water_Sewer.md"])
        #expect(ReportBuilder.safeFileName("Grid, Inc.") == "Grid__Inc.")
        #expect(ReportBuilder.safeFileName("Wasser/Abwasser Zürich") == "Wasser_Abwasser_Z_rich")
    }

    @Test func staticSectionsAndCharts() throws {
        let out = try Self.build(ReportFixtures.staticFiles)
        let md = out["report.md"]!, html = out["report.html"]!
        for h in [
            "# fixture-static", "## Headline", "## People without service", "## Top assets by rank", "## Assets most often out of service",
            "## Dependencies that carry failures", "## Coordination between owners", "## Zone warnings", "## Loss distribution",
        ] {
            #expect(md.contains(h + "\n"), "missing \(h)")
        }
        #expect(!md.contains("## Restoration"))
        #expect(md.contains("mean **1,000** (95% CI 940.5–1,060), median 900, p90 1,500, p95 1,700, p99 2,100, CVaR95 1,900"))
        #expect(md.contains("Expected annual loss: **20** people per year"))
        #expect(md.contains("| power | 600 | 580–620 | 800 | 1,000 |"))
        // charts present as the data dictate
        #expect(html.contains("<svg id=\"chart-exceedance\""))
        #expect(html.contains("<svg id=\"chart-coordination\""))
        #expect(html.contains("<svg id=\"chart-map\""))
        #expect(!html.contains("<svg id=\"chart-restoration\""))
        for id in ["chart-exceedance", "chart-coordination", "chart-map"] {
            #expect(html.contains("<title id=\"\(id)-title\">"))
        }
        // one self-contained page
        #expect(!html.contains("http://") && !html.contains("https://"))
        #expect(html.contains("<style>") && html.contains("<script>"))
    }

    @Test func topAssetRowIsRankOne() throws {
        let out = try Self.build(ReportFixtures.staticFiles)
        let rows = Self.tableRows(out["report.md"]!, after: "## Top assets by rank")
        #expect(
            rows.first?.hasPrefix("| 1 | S-07 | power | substation | Grid, Inc. | Z1 | 5,000 | 0.3 | 0.35 | 4,000 | 800 |") == true,
            "\(rows.first ?? "none")")
        #expect(rows.count == 6)
        #expect(rows[1].hasPrefix("| 2 | PUMP-3 |"))
        // the html table lists it first too
        let html = out["report.html"]!
        let section = html.components(separatedBy: "id=\"assets\"")[1]
        #expect(section.contains("<tbody>\n<tr><td class=\"num\">1</td><td>S-07</td>"))
    }

    @Test func dependenciesCoordinationAndZonesOrder() throws {
        let md = try Self.build(ReportFixtures.staticFiles)["report.md"]!
        let deps = Self.tableRows(md, after: "## Dependencies that carry failures")
        // 0.3 × 1500 = 450 first; the row with p_carried 0 is left out
        #expect(deps.first?.hasPrefix("| PUMP-3 | Water/Sewer | S-07 | Grid, Inc. | physical | power | 0.3 | 1,500 | 450 |") == true, "\(deps)")
        #expect(deps.count == 6)
        let coord = Self.tableRows(md, after: "## Coordination between owners")
        #expect(coord.count == 3) // the pair with expected loss 0 is not listed
        #expect(coord.first?.hasPrefix("| Water/Sewer | Grid, Inc. | 450 | PUMP-3\\<-S-07; PUMP-4\\<-S-08 |") == true, "\(coord)")
        let zones = Self.tableRows(md, after: "## Zone warnings")
        #expect(zones.map { $0.components(separatedBy: " | ")[2] } == ["severe", "warning", "advisory"])
        #expect(!zones.contains { $0.contains("| none |") })
        let dist = Self.tableRows(md, after: "## Loss distribution")
        #expect(dist.map { $0.components(separatedBy: " | ")[1] } == ["900", "1,500", "1,700", "2,200"])
        #expect(dist.first == "| 0.5 | 900 | 0.01 | 100 |")
    }

    @Test func absentFilesLeaveSectionsOutWithASentence() throws {
        let out = try Self.build(ReportFixtures.minimalFiles)
        let md = out["report.md"]!, html = out["report.html"]!
        #expect(md.contains("`dependencies.csv` is not in this result folder"))
        #expect(md.contains("`coordination.csv` is not in this result folder (runs with `--no-rankings` skip it)"))
        #expect(md.contains("`zones.csv` is not in this result folder"))
        #expect(md.contains("so no map of assets is drawn"))
        #expect(md.contains("This run computed no rankings"))
        #expect(html.contains("<svg id=\"chart-exceedance\""))
        #expect(!html.contains("<svg id=\"chart-coordination\""))
        #expect(!html.contains("<svg id=\"chart-map\""))
        #expect(!html.contains("<svg id=\"chart-restoration\""))
        let brief = out["briefs/Water_Sewer.md"]!
        #expect(brief.contains("`dependencies.csv` is not in this result folder"))
        #expect(brief.contains("A-2") && !brief.contains("A-1"))
        // coordination absent, dependencies present: the report lists dependencies, not pairs
        var files = ReportFixtures.staticFiles
        files["coordination.csv"] = nil
        files["zones.csv"] = nil
        let out2 = try Self.build(files)
        #expect(out2["report.md"]!.contains("`coordination.csv` is not in this result folder"))
        #expect(!out2["report.html"]!.contains("<svg id=\"chart-coordination\""))
        #expect(out2["report.md"]!.contains("| PUMP-3 | Water/Sewer | S-07 |"))
        #expect(out2["briefs/Water_Sewer.md"]!.contains("`coordination.csv` is not in this result folder"))
    }

    @Test func timedRestorationAndCharts() throws {
        let out = try Self.build(ReportFixtures.timedFiles)
        let md = out["report.md"]!, html = out["report.html"]!
        #expect(md.contains("Timed Monte Carlo, 50 samples, seed 18446744073709551615, horizon 48 h, curves every 6 h (stopped early"))
        #expect(md.contains("## Restoration\n"))
        #expect(!md.contains("## People without service"))
        // Samples not restored by the horizon are counted; a quantile beyond it is "> 48"
        #expect(md.contains("| power | 20,000 | 18,800–21,200 | 26,000 | 2,000 | 19 | 28 | 94% (47 of 50) |"))
        #expect(md.contains("| water | 4,000 | 3,700–4,300 | 5,000 | 400 | \\> 48 | \\> 48 | 0% (0 of 50) |"))
        // the curve at the selected hours 0, 6, 12, 24, 48
        let times = Self.tableRows(md, after: "## Restoration").filter {
            $0.hasPrefix("| 0 |") || $0.hasPrefix("| 6 |") || $0.hasPrefix("| 12 |") || $0.hasPrefix("| 24 |") || $0.hasPrefix("| 48 |")
        }
        #expect(times.count == 5)
        #expect(md.contains("| 24 | 1,040 (520–1,340) | 280 (140–330) |"))
        #expect(md.contains("## Assets with the longest outages"))
        #expect(md.contains("mean outage h"))
        #expect(md.contains("| Water/Sewer | Grid, Inc. | 4,500 | PUMP-3\\<-S-07 | 18 | 24 |"))
        #expect(md.contains("| Z1 | power | severe | 0.55 | 5,000 | 14.5 |"))
        for id in ["chart-exceedance", "chart-restoration", "chart-coordination", "chart-map"] {
            #expect(html.contains("<svg id=\"\(id)\""), "missing \(id)")
        }
        #expect(
            out["briefs/Water_Sewer.md"]!.contains(
                "keep at least 24 h of backup at your assets that depend on Grid, Inc. (median outage of its providers 18 h)"))
        // a censored median is marked, never shown as the horizon
        #expect(md.contains("| Grid, Inc. | Water/Sewer | 700 | S-07\\<-PUMP-3 | \\> 48 | \\> 48 |"))
        let grid = out["briefs/Grid__Inc..md"] ?? out.first { $0.key.hasPrefix("briefs/Grid") }?.value ?? ""
        #expect(grid.contains("outlast the 48 h horizon, so no backup within it rides through"))
        #expect(!grid.contains("keep at least 48 h"))
    }

    @Test func briefsKeepToNeedToKnow() throws {
        let out = try Self.build(ReportFixtures.staticFiles)
        #expect(out.keys.filter { $0.hasPrefix("briefs/") }.count == 3) // H-01 has no owner: no brief for it
        let water = out["briefs/Water_Sewer.md"]!
        #expect(water.hasPrefix("# Brief for Water/Sewer\n"))
        for own in ["PUMP-3", "PUMP-4"] { #expect(water.contains(own), "\(own)") }
        for other in ["S-07", "S-08", "T<1", "T\\<1", "H-01"] { #expect(!water.contains(other), "Water/Sewer's brief names \(other)") }
        // who depends on Water/Sewer: the hospital without owner, through PUMP-3 (0.4 × 50 = 20)
        #expect(water.contains("| (no owner) | 1 | 1 | 20 | – | PUMP-3 (20) |"))
        // what it depends on: Grid, Inc., with the coordination figure 450 and Σ 0.3×1500 + 0.1×400 + 0.05×300 = 505
        #expect(water.contains("| Grid, Inc. | 3 | 3 | 505 | 450 | PUMP-3 (450), PUMP-4 (55) |"))
        #expect(
            water.contains(
                "**Priority restoration with Grid, Inc.**: ask Grid, Inc. to restore first the supply of your assets PUMP-3 (450), PUMP-4 (55) (exposure scores); expected loss at stake 450 people."
            ))
        // PUMP-3's power requirement has one provider carrying failures in 30% of samples; PUMP-4's has two
        #expect(water.contains("**Redundant feed for PUMP-3**"))
        #expect(!water.contains("**Redundant feed for PUMP-4**"))

        let grid = out["briefs/Grid__Inc..md"]!
        for own in ["S-07", "S-08"] { #expect(grid.contains(own)) }
        for other in ["PUMP-3", "PUMP-4", "T<1", "T\\<1", "H-01"] { #expect(!grid.contains(other), "Grid's brief names \(other)") }
        #expect(grid.contains("| Water/Sewer | 3 | 3 | 505 | 450 | S-07 (465), S-08 (40) |"))
        #expect(grid.contains("| TelcoNet | 1 | 1 | 40 | 40 | S-07 (40) |"))
        #expect(
            grid.contains(
                "**Priority restoration for others**: restore first your assets others depend on most: S-07 (505, for 2 owners), S-08 (40, for 1 owner)"
            ))
        #expect(grid.contains("**Redundant feed for S-07**: its telecom requirement has a single provider (an asset of TelcoNet)"))
        #expect(grid.contains("Between your own assets: 1 dependency row"))
        #expect(grid.contains("this is a static run"))

        let telco = out["briefs/TelcoNet.md"]!
        #expect(telco.contains("T\\<1"))
        for other in ["S-07", "S-08", "PUMP-3", "PUMP-4", "H-01"] { #expect(!telco.contains(other), "TelcoNet's brief names \(other)") }
    }

    @Test func htmlEscapesDataText() throws {
        let out = try Self.build(ReportFixtures.staticFiles)
        let html = out["report.html"]!
        #expect(html.contains("<td>T&lt;1</td>"))
        #expect(!html.contains("T<1"))
        #expect(html.contains("Zone &quot;North&quot;, A"))
        #expect(!html.contains("Zone \"North\""))
        // Markdown: '<' and '|' of data are escaped
        #expect(out["report.md"]!.contains("| 4 | T\\<1 | telecom |"))
    }

    @Test func deterministicBytes() throws {
        let a = try ReportBuilder(files: ReportFixtures.staticFiles).build()
        let b = try ReportBuilder(files: ReportFixtures.staticFiles).build()
        #expect(a.map(\.name) == b.map(\.name))
        #expect(a.map(\.content) == b.map(\.content))
        // row order of the CSV files does not matter
        var shuffled = ReportFixtures.staticFiles
        for name in ["assets.csv", "dependencies.csv", "coordination.csv", "zones.csv"] {
            let lines = shuffled[name]!.split(separator: "\n").map(String.init)
            shuffled[name] = ([lines[0]] + lines.dropFirst().reversed()).joined(separator: "\r\n") + "\r\n"
        }
        let c = try ReportBuilder(files: shuffled).build()
        #expect(a.map(\.content) == c.map(\.content))
        let t1 = try ReportBuilder(files: ReportFixtures.timedFiles).build()
        let t2 = try ReportBuilder(files: ReportFixtures.timedFiles).build()
        #expect(t1.map(\.content) == t2.map(\.content))
    }

    @Test func malformedAssetRowNamesFileLineAndField() throws {
        var files = ReportFixtures.staticFiles
        files["assets.csv"] =
            ReportFixtures.assetsHeader + """
                H-01,health,hospital,,Z1,0,0,0.4,0,,,6,,8.41,49.01
                PUMP-3,water,pump_station,Water/Sewer,Z1,2000,abc,0.5,1800,300,,2,,8.42,49.02
                PUMP-4,water,pump_station,Water/Sewer,Z2,1000,0.05,0.1

                """
        do {
            _ = try ReportBuilder(files: files)
            Issue.record("no error for a malformed assets.csv")
        } catch let e as ReportDataError {
            let lines = e.description.split(separator: "\n").map(String.init)
            #expect(lines.contains("assets.csv:3: error: field 'p_damage': expected a finite decimal number, found 'abc'"), "\(lines)")
            #expect(lines.contains { $0.hasPrefix("assets.csv:4: error: field 'n1_impact': the row has 8 fields, the header 15") }, "\(lines)")
            #expect(e.problems.allSatisfy { $0.file == "assets.csv" })
        }
    }

    @Test func otherMalformedFiles() throws {
        func problems(_ patch: (inout [String: String]) -> Void) -> [String] {
            var files = ReportFixtures.staticFiles
            patch(&files)
            do { _ = try ReportBuilder(files: files); return [] } catch let e as ReportDataError {
                return e.problems.map(\.description)
            } catch { return ["\(error)"] }
        }
        #expect(
            problems { $0["summary.json"] = nil } == [
                "summary.json: error: the file is missing from the result folder (reports need summary.json and assets.csv)"
            ])
        #expect(
            problems { $0["summary.json"] = "{\n  \"mode\": \"static\",\n  \"samples\": 1\n  \"seed\": 2\n}\n" } == [
                "summary.json:4: error: ',' or '}' is expected"
            ])
        #expect(
            problems {
                $0["summary.json"] = ReportFixtures.staticSummary.replacingOccurrences(of: "\"mode\": \"static\"", with: "\"mode\": \"dynamic\"")
            }
                == ["summary.json:4: error: field 'mode': expected \"static\" or \"timed\", found \"dynamic\""])
        #expect(
            problems { $0["zones.csv"] = "zone,sector,p_loss,mean_duration_hours,people_affected,warning\nZ1,power,1.5,,10,red\n" }
                == [
                    "zones.csv:2: error: field 'p_loss': expected a number in [0, 1], found 1.5",
                    "zones.csv:2: error: field 'warning': expected none, advisory, warning or severe, found 'red'",
                ])
        #expect(
            problems { $0["coordination.csv"] = "owner,depends_on_owner,expected_loss\nA,B,1\n" }.first
                == "coordination.csv:1: error: field 'top_dependencies': column missing from the header (expected owner,depends_on_owner,expected_loss,top_dependencies,provider_median_outage_hours,backup_hours_to_ride_through)"
        )
        #expect(
            problems { $0["coordination.csv"] = ReportFixtures.staticCoordination + "A,B,1,PUMP-3,,\n" }
                == ["coordination.csv:6: error: field 'top_dependencies': expected consumer<-provider items separated by ';', found 'PUMP-3'"])
        #expect(
            problems { $0["timeline.csv"] = "hours,sector,mean,p05,p95\n0,power,nan,0,0\n" }
                == ["timeline.csv:2: error: field 'mean': expected a finite decimal number, found 'nan'"])
        #expect(
            problems { $0["dependencies.csv"] = "consumer,provider,group,type,p_carried,loss_following\n\"A,B,x,y,0,0\n" }
                == ["dependencies.csv:2: error: a quoted field is not closed before the end of the file"])
        #expect(
            problems { $0["assets.csv"] = ReportFixtures.staticAssets + "S-07,power,substation,,Z1,1,0,0,,,,,,,\n" }
                == ["assets.csv:8: error: field 'id': 'S-07' appears again (first on line 5)"])
    }

    /// Owners without dependency data, the curve read-off beyond the samples, BOM and CRLF.
    @Test func edgeCases() throws {
        var files = ReportFixtures.minimalFiles
        files["summary.json"] = files["summary.json"]!.replacingOccurrences(
            of: "[{\"loss\": 2200, \"probability\": 0.01}, ", with: "[")
        files["assets.csv"] = "\u{FEFF}" + files["assets.csv"]!.replacingOccurrences(of: "\n", with: "\r\n")
        let md = try Self.build(files)["report.md"]!
        let dist = Self.tableRows(md, after: "## Loss distribution")
        #expect(dist.last == "| 0.01 | 1,700 (largest sampled) | 0.0002 | 5,000 |")
        #expect(
            md.contains(
                "Largest sampled: the samples do not resolve this probability, so the largest sampled loss is given (reached with probability 0.05).")
        )
        #expect(md.contains("| 1 | A-1 |") == false) // no ranks given: "–"
        #expect(md.contains("| – | A-2 | water |"))
    }

    @Test func mitigationSectionRanksOptionsAndNamesThePortfolio() throws {
        let md = try Self.build(ReportFixtures.mitigationFiles)["report.md"]!
        // after the loss sections, before the asset ranking and coordination
        let at = { (h: String) in md.range(of: h + "\n")?.lowerBound }
        let section = try #require(at("## Mitigation options"))
        #expect(try #require(at("## People without service")) < section)
        #expect(section < (try #require(at("## Top assets by rank"))))
        #expect(section < (try #require(at("## Coordination between owners"))))
        #expect(
            md.contains(
                "**harden-S-07 and dyke&wall\\<1\\>**, cost 1,300,000 EUR, joint loss reduction **700** people (95% CI 640.5–759.5), with all its actions applied together on the same samples (exact search: every set of options within the budget was evaluated). Separately, its options reduce the loss by 750 people in sum."
            ))
        #expect(
            md.contains(
                "same samples as the baseline (common random numbers), so its loss reduction is the mean of the paired per-sample differences"))
        let rows = Self.tableRows(md, after: "## Mitigation options")
        #expect(
            Array(rows.prefix(4)) == [
                "| 1 | dyke&wall\\<1\\> | 800,000 | 450 | 400–500 | 562.5 | yes |",
                "| 2 | harden-S-07 | 500,000 | 300 | 250–350 | 600 | yes |",
                "| 3 | backup-pumps | 200,000 | 120 | -10 to 250 | 600 | no |",
                "| 4 | no-op | 1,000 | 0 | 0–0 | 0 | no |",
            ], "\(rows)")
        #expect(
            md.contains("| rank | option | cost (EUR) | loss reduction (people) | 95% CI | benefit/cost (people per million EUR) | in portfolio |"))
        #expect(!rows.contains { $0.contains("new-link") })
        #expect(md.contains("Not evaluated: new-link (redundant_supply with a link, not evaluated yet)."))
        #expect(md.contains("no-op changes the loss in no sample. The 95% CI of backup-pumps includes 0"))
        // probability of beating: rows and columns by rank
        #expect(rows.dropFirst(5).first == "| 1 | dyke&wall\\<1\\> | – | 0.75 | 0.85 | 0.9 |", "\(rows)")
        #expect(rows.contains("| 3 | backup-pumps | 0.1 | 0.3 | – | 0.4 |"))
        #expect(rows.count == 4 + 1 + 4) // the matrix's header row counts too
        #expect(md.contains("`timeline.csv`, `mitigations.csv`") == false && md.contains("`zones.csv`, `mitigations.csv`. Briefs"))
    }

    @Test func mitigationChartBarsAndEscaping() throws {
        let html = try Self.build(ReportFixtures.mitigationFiles)["report.html"]!
        #expect(html.contains("<a href=\"#mitigations\">Mitigation options</a>"))
        let svg = try #require(
            html.components(separatedBy: "<svg id=\"chart-mitigations\"").dropFirst().first?.components(separatedBy: "</svg>").first)
        #expect(svg.contains("<title id=\"chart-mitigations-title\">"))
        let bars = svg.components(separatedBy: "<rect class=\"mit-bar\"").dropFirst()
        #expect(bars.count == 4)
        #expect(svg.components(separatedBy: "<rect class=\"mit-bc\"").count - 1 == 4)
        // ranked top to bottom; portfolio members highlighted
        #expect(bars.map { $0.prefix { $0 != ">" }.contains("fill=\"#4e79a7\"") } == [true, true, false, false])
        #expect(bars.first?.contains("<title>dyke&amp;wall&lt;1&gt;: loss reduction 450 people (95% CI 400–500), cost 800,000 EUR") == true)
        #expect(svg.contains(">800 k EUR</text>") && svg.contains(">1 k EUR</text>"))
        #expect(svg.contains("in the recommended portfolio"))
        #expect(svg.contains("not evaluated: new-link"))
        // the ids escaped everywhere
        #expect(!html.contains("dyke&wall<1>") && html.contains("<td>dyke&amp;wall&lt;1&gt;</td>"))
        // the same bytes every time, whatever the row order of mitigations.csv
        var shuffled = ReportFixtures.mitigationFiles
        let lines = ReportFixtures.mitigations.split(separator: "\n").map(String.init)
        shuffled["mitigations.csv"] = ([lines[0]] + lines.dropFirst().reversed()).joined(separator: "\r\n") + "\r\n"
        #expect(try Self.build(shuffled) == Self.build(ReportFixtures.mitigationFiles))
    }

    @Test func noMitigationsCsvGivesNoSection() throws {
        let plain = try Self.build(ReportFixtures.staticFiles)
        #expect(!plain["report.md"]!.contains("Mitigation"))
        #expect(!plain["report.html"]!.contains("chart-mitigations") && !plain["report.html"]!.contains("Mitigation"))
        // a portfolio in summary.json alone changes nothing
        var files = ReportFixtures.mitigationFiles
        files["mitigations.csv"] = nil
        #expect(try Self.build(files) == plain)
        // an empty file: the section says so, no chart
        files["mitigations.csv"] = "option,cost,loss_reduction,ci95_low,ci95_high,benefit_cost,in_portfolio\n"
        files["summary.json"] = ReportFixtures.staticSummary
        let empty = try Self.build(files)
        #expect(empty["report.md"]!.contains("## Mitigation options\n\n`mitigations.csv` lists no options.\n"))
        #expect(!empty["report.html"]!.contains("chart-mitigations"))
    }

    /// No budget (in_portfolio empty), the stable columns only, a ratio, greedy search, more than 12 options.
    @Test func mitigationVariants() throws {
        var files = ReportFixtures.staticFiles
        files["mitigations.csv"] = """
            option,cost,loss_reduction,ci95_low,ci95_high,benefit_cost,in_portfolio
            a,100,5,4,6,2.5,
            b,100,7,6,8,0.5,

            """
        let out = try Self.build(files)
        let md = out["report.md"]!, html = out["report.html"]!
        #expect(md.contains("The scenario sets no budget, so no portfolio is recommended"))
        #expect(Self.tableRows(md, after: "## Mitigation options") == ["| 1 | b | 100 | 7 | 6–8 | 0.5 |", "| 2 | a | 100 | 5 | 4–6 | 2.5 |"])
        #expect(!md.contains("Probability of beating")) // no p_beats column
        #expect(html.components(separatedBy: "class=\"mit-bar\" ").count - 1 == 2)
        #expect(!html.contains("in the recommended portfolio") && !html.contains("fill=\"#c3cad3\""))

        // 13 options, benefit/cost as a ratio, greedy portfolio: no matrix, a sentence instead
        var csv = "option,cost,loss_reduction,ci95_low,ci95_high,benefit_cost,in_portfolio,benefit_cost_unit,p_beats,not_evaluated\n"
        for k in 1...13 { csv += "o\(k),1000,\(k * 10),\(k * 10 - 5),\(k * 10 + 5),\(Double(k) / 4),\(k >= 12),ratio,o1:0.5,\n" }
        files["mitigations.csv"] = csv
        files["summary.json"] = ReportFixtures.staticSummary.replacingOccurrences(
            of: "  \"coordinates\"",
            with:
                "  \"portfolio\": {\"options\": [\"o12\", \"o13\"], \"method\": \"greedy\", \"cost\": 2000, \"loss_reduction\": 260, \"ci95_low\": 250, \"ci95_high\": 270},\n  \"coordinates\""
        )
        let big = try Self.build(files)
        #expect(big["report.md"]!.contains("(greedy search: options added one at a time by the largest joint gain per euro"))
        #expect(big["report.md"]!.contains("| benefit/cost (ratio) | in portfolio |"))
        #expect(big["report.md"]!.contains("| 1 | o13 | 1,000 | 130 | 125–135 | 3.25 | yes |"))
        #expect(big["report.md"]!.contains("With 13 evaluated options (more than 12) the probabilities of beating are not tabled here"))
        #expect(big["report.html"]!.contains("stroke-dasharray=\"3 3\"><title>benefit/cost 1"))
    }

    @Test func malformedMitigations() throws {
        func problems(_ csv: String, summary: String = ReportFixtures.mitigationSummary) -> [String] {
            var files = ReportFixtures.staticFiles
            files["summary.json"] = summary
            files["mitigations.csv"] = csv
            do { _ = try ReportBuilder(files: files); return [] } catch let e as ReportDataError {
                return e.problems.map(\.description)
            } catch { return ["\(error)"] }
        }
        let header = "option,cost,loss_reduction,ci95_low,ci95_high,benefit_cost,in_portfolio,benefit_cost_unit,p_beats,not_evaluated\n"
        #expect(
            problems(header + "harden-S-07,1,2,1,3,4,maybe,u,x:0.5,\ndyke&wall<1>,1,2,1,3,4,true,u,x:1.5;y,\n") == [
                "mitigations.csv:2: error: field 'in_portfolio': expected true, false or empty, found 'maybe'",
                "mitigations.csv:3: error: field 'p_beats': expected option:probability items (probability in [0, 1]) separated by ';', found 'x:1.5'",
                "mitigations.csv:3: error: field 'p_beats': expected option:probability items (probability in [0, 1]) separated by ';', found 'y'",
            ])
        // the portfolio and in_portfolio must agree
        #expect(
            problems(header + "harden-S-07,1,2,1,3,4,true,u,,\nother,1,2,1,3,4,true,u,,\n") == [
                "summary.json:11: error: field 'portfolio.options': 'dyke&wall<1>' is not an option of mitigations.csv",
                "mitigations.csv:3: error: field 'in_portfolio': true, but the portfolio of summary.json does not list 'other'",
            ])
        #expect(
            problems("option,cost,ci95_low,ci95_high,benefit_cost,in_portfolio\na,1,1,1,1,\n", summary: ReportFixtures.staticSummary).first
                == "mitigations.csv:1: error: field 'loss_reduction': column missing from the header (expected option,cost,loss_reduction,ci95_low,ci95_high,benefit_cost,in_portfolio)"
        )
        #expect(
            problems(header + "a,1,2,1,3,4,,u,,\na,1,2,1,3,4,,u,,\n", summary: ReportFixtures.staticSummary)
                == ["mitigations.csv:3: error: field 'option': 'a' appears again (first on line 2)"])
        #expect(
            problems(
                header,
                summary: ReportFixtures.staticSummary.replacingOccurrences(
                    of: "  \"coordinates\"", with: "  \"portfolio\": {\"options\": \"a\"},\n  \"coordinates\""))
                == ["summary.json:11: error: field 'portfolio.options': expected an array of option ids, found a string"])
    }

    @Test func manifestUpdate() throws {
        let manifest = """
            {
              "schema_version": 1,
              "kaskada_version": "0.1.0",
              "scenario": "x",
              "inputs_sha256": "abc",
              "samples": 10,
              "seed": 42,
              "files": {
                "assets.csv": {"sha256": "aa"},
                "briefs/Old.md": {"sha256": "bb"},
                "report.md": {"sha256": "cc"},
                "summary.json": {"sha256": "dd"}
              }
            }

            """
        #expect(Manifest.files(manifest) == ["assets.csv": "aa", "briefs/Old.md": "bb", "report.md": "cc", "summary.json": "dd"])
        // the same entries give the same bytes
        #expect(Manifest.updatingFiles(manifest, digests: ["report.md": "cc"]) == manifest)
        let updated = Manifest.updatingFiles(
            manifest, digests: ["report.md": "11", "report.html": "22", "briefs/New.md": "33"], removingPrefixes: ["briefs/"])
        #expect(
            updated == """
                {
                  "schema_version": 1,
                  "kaskada_version": "0.1.0",
                  "scenario": "x",
                  "inputs_sha256": "abc",
                  "samples": 10,
                  "seed": 42,
                  "files": {
                    "assets.csv": {"sha256": "aa"},
                    "briefs/New.md": {"sha256": "33"},
                    "report.html": {"sha256": "22"},
                    "report.md": {"sha256": "11"},
                    "summary.json": {"sha256": "dd"}
                  }
                }

                """)
        #expect(Manifest.updatingFiles("{\"a\": 1}", digests: ["r": "x"]) == "{\"a\": 1,\n  \"files\": {\n    \"r\": {\"sha256\": \"x\"}\n  }}")
        #expect(Manifest.updatingFiles("not json", digests: ["r": "x"]) == "not json")
        #expect(Manifest.files("[1]") == nil)
    }
}

/// Writes the fixtures' data files as result folders static, timed, minimal and mitigations
/// (into KASKADA_REPORT_FIXTURES=DIR for `kaskada report` and scripts/check-report-html.sh, else a
/// temporary folder), and checks what it wrote: every file reads back the same, the manifest
/// lists each with its SHA-256, and the reports build from the folder's files.
@Suite struct ReportFixtureFolders {
    @Test func writeFixtureFolders() throws {
        let env = ProcessInfo.processInfo.environment["KASKADA_REPORT_FIXTURES"] ?? ""
        let root = env.isEmpty ? TemporaryFolder.url("fixtures").path : env
        defer { if env.isEmpty { try? FileManager.default.removeItem(atPath: root) } }
        for (name, files) in [
            ("static", ReportFixtures.staticFiles), ("timed", ReportFixtures.timedFiles), ("minimal", ReportFixtures.minimalFiles),
            ("mitigations", ReportFixtures.mitigationFiles),
        ] {
            let dir = URL(fileURLWithPath: root).appendingPathComponent(name)
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            var digests: [String: String] = [:]
            for (file, text) in files {
                try Data(text.utf8).write(to: dir.appendingPathComponent(file))
                digests[file] = SHA256.hex(Array(text.utf8))
            }
            let manifest = Manifest.updatingFiles("{\n  \"schema_version\": 1,\n  \"scenario\": \"fixture-\(name)\"\n}\n", digests: digests)
            try Data(manifest.utf8).write(to: dir.appendingPathComponent("manifest.json"))
            // what was written is what the fixtures hold, and the manifest names every file
            var readBack: [String: String] = [:]
            for (file, text) in files {
                let got = try String(contentsOf: dir.appendingPathComponent(file), encoding: .utf8)
                #expect(got == text, "\(name)/\(file)")
                readBack[file] = got
            }
            let listed = try #require(Manifest.files(String(contentsOf: dir.appendingPathComponent("manifest.json"), encoding: .utf8)))
            #expect(listed == digests, "\(name)/manifest.json")
            let built = try ReportBuilderTests.build(readBack)
            #expect(built["report.md"]?.isEmpty == false && built["report.html"]?.isEmpty == false, "\(name)")
        }
    }
}

/// `restore95_hours` in summary.json counts the samples never restored.
@Suite struct RestoreMetricTests {
    /// 40 samples, 30 never restored, 10 restored at once (the timed flood's water sector in
    /// stop 19, whose report said "restore95 median 0 h"): the median lies beyond the horizon,
    /// the mean is not given, and 25% were restored.
    @Test func censoredSamplesMakeTheMedianBeyondTheHorizon() {
        let values = [Double](repeating: 0, count: 10) + [Double](repeating: .nan, count: 30)
        let m = ResultAssembly.restoreMetric("restore95_hours.water", values)
        #expect(m.censored == 30)
        #expect(m.restoredFraction == 0.25)
        #expect(m.summary?.p50.isNaN == true && m.summary?.p90.isNaN == true)
        #expect(m.summary?.mean.isNaN == true)
        // without censoring: the usual summary
        let u = ResultAssembly.restoreMetric("restore95_hours.power", [10, 20, 30])
        #expect(u.summary?.mean == 20 && u.summary?.p50 == 20 && u.censored == 0 && u.restoredFraction == 1)
    }
}

/// Summary first, weights shown, one number format; briefs that define
/// their figures, list the options that concern the owner and split asks from offers.
@Suite struct SummaryFirstTests {
    static var files: [String: String] {
        var f = ReportFixtures.mitigationFiles
        f["summary.json"] = f["summary.json"]!.replacingOccurrences(
            of: "\"loss_unit\": \"people\",",
            with: "\"loss_unit\": \"people\",\n  \"weights\": {\"health\": 2, \"power\": 1, \"telecom\": 0.5, \"water\": 1},")
        f["mitigations.csv"] = """
            option,cost,loss_reduction,ci95_low,ci95_high,benefit_cost,in_portfolio,benefit_cost_unit,p_beats,not_evaluated,owners
            harden-S-07,500000,300,250,350,600,true,people per million EUR,,,"Grid, Inc."
            backup-pumps,200000,120,-10,250,600,false,people per million EUR,,,Water/Sewer
            dyke&wall<1>,800000,450,400,500,562.5,true,people per million EUR,,,"Grid, Inc.;Water/Sewer"

            """
        return f
    }

    @Test func reportOpensWithTheSummary() throws {
        let md = try ReportBuilderTests.build(Self.files)["report.md"]!
        let summary = try #require(md.range(of: "## Summary\n")), headline = try #require(md.range(of: "## Headline\n"))
        #expect(summary.lowerBound < headline.lowerBound, "the summary comes before the statistics")
        #expect(md.components(separatedBy: "\n## ")[1].hasPrefix("Summary"), "the summary is the first section")
        // unweighted people per sector against the people served (Σ population in assets.csv):
        // power 600 of 8,000 (S-07 5,000 + S-08 3,000) = 8%; water 300 of 3,000 = 10%
        #expect(md.contains("| water | 300 people (95% CI 290–310) | 3,000 | 10% |"), "\(md)")
        #expect(md.contains("| power | 600 people (95% CI 580–620) | 8,000 | 8% |"))
        // the weighted loss, rounded to its CI (half width 59.5 → step 1), with its weights shown
        #expect(md.contains("**1,000 people (95% CI 941–1,060)**"))
        #expect(md.contains("Weights: health × 2, telecom × 0.5, every other sector × 1."))
        // what to do, who must agree, zones under warning
        #expect(md.contains("**What to do**: within the budget, **harden-S-07, dyke&wall\\<1\\>** (1,300,000 EUR)"))
        #expect(
            md.contains(
                "**Who must agree**: Water/Sewer depends on Grid, Inc. (450 people at stake); TelcoNet depends on Grid, Inc. (40.0 people at stake); Grid, Inc. depends on TelcoNet (2.00 people at stake)"
            ))
        #expect(
            md.contains(
                "**Zones under warning**: 2 zone–sector pairs; Z1 power (severe, lost in 60% of samples); Z1 water (warning, lost in 30% of samples)."
            ))
        let html = try ReportBuilderTests.build(Self.files)["report.html"]!
        #expect(html.contains("id=\"summary\""))
    }

    @Test func figuresHaveSeparatorsAndCIDigits() {
        #expect(NumberText.grouped(1234567) == "1,234,567")
        #expect(NumberText.grouped(-1234.5, decimals: 1) == "-1,234.5")
        #expect(Figures.mean(276838, low: 254080, high: 299596, unit: "people") == "277,000 people (95% CI 254,000–300,000)")
        #expect(Figures.mean(0.4321, low: 0.40, high: 0.46, unit: "people") == "0.432 people (95% CI 0.400–0.460)")
        #expect(Figures.approx(2521037) == "2,520,000")
        #expect(Figures.approx(9.3132) == "9.31")
        #expect(Figures.percent(0.001, of: 1) == "<1%")
    }

    @Test func briefsDefineTheirFiguresAndListOptions() throws {
        let out = try ReportBuilderTests.build(Self.files)
        let water = try #require(out["briefs/Water_Sewer.md"])
        let order = ["## Summary", "## Terms", "## Your assets", "## Options that concern you", "## Recommended agreements"].map {
            water.range(of: $0)?.lowerBound
        }
        #expect(order.allSatisfy { $0 != nil } && zip(order, order.dropFirst()).allSatisfy { $0! < $1! }, "\(water)")
        // every term used is defined once
        for term in ["`p_damage`", "`n1_impact`", "`rrw`", "`p_carried`", "`loss_following`", "**exposure score**", "**expected loss**"] {
            #expect(water.components(separatedBy: "- " + term).count == 2, "\(term) defined once")
        }
        // one "at stake" figure per pair: the expected loss of coordination.csv (450), not the exposure score
        #expect(water.contains("Grid, Inc.'s assets cause an expected loss of 450 people at your assets"))
        #expect(water.contains("expected loss at stake 450 people"))
        #expect(!water.contains("Σ p_carried × loss_following =") && !water.contains("| Σ p_carried"))
        // options acting on the owner's assets, with the other owners involved
        #expect(water.contains("| backup-pumps | 200,000 EUR | 120 people (95% CI -10–250) | no | – |"))
        #expect(water.contains("| dyke&wall\\<1\\> | 800,000 EUR | 450 people (95% CI 400–500) | yes | Grid, Inc. |"))
        #expect(!water.contains("| harden-S-07 |"))
        #expect(water.contains("### What you can ask of others") && water.contains("### What others ask of you"))
    }
}

/// What the map and charts draw so that nothing is clipped (the layout itself
/// is measured in headless Chromium by scripts/check-layout.sh in CI).
@Suite struct LayoutTests {
    /// Hand case: the hull of a square's corners and its centre is the four corners.
    @Test func convexHullByHand() {
        let h = GeometryMath.convexHull([(0, 0), (2, 0), (2, 2), (0, 2), (1, 1), (1, 0)])
        #expect(h.count == 4)
        #expect(Set(h.map { "\($0.0),\($0.1)" }) == ["0.0,0.0", "2.0,0.0", "2.0,2.0", "0.0,2.0"])
    }

    /// Zones with at least 3 assets are outlined and labelled; the legend names its units.
    @Test func mapOutlinesZonesWithLabelsAndUnits() throws {
        var files = ReportFixtures.staticFiles
        files["assets.csv"] =
            ReportFixtures.assetsHeader + """
                A1,power,sub,G,ZA,100,0.5,0.5,100,,,,,8.40,49.00
                A2,power,sub,G,ZA,100,0.5,0.5,100,,,,,8.42,49.00
                A3,power,sub,G,ZA,100,0.5,0.5,100,,,,,8.41,49.02
                B1,power,sub,G,ZB,100,0.5,0.5,100,,,,,8.50,49.10
                B2,power,sub,G,ZB,100,0.5,0.5,100,,,,,8.52,49.10

                """
        files["dependencies.csv"] = nil; files["coordination.csv"] = nil; files["zones.csv"] = nil
        let html = try ReportBuilderTests.build(files)["report.html"]!
        let map = try #require(html.range(of: "<svg id=\"chart-map\"").map { String(html[$0.lowerBound...].prefix(while: { _ in true })) })
        #expect(map.contains("<title>zone ZA: 3 assets, 300 people</title>"))
        #expect(!map.contains("zone ZB:"), "two assets make no outline")
        #expect(map.contains(">ZA</text>"))
        #expect(map.contains("risk (people)") && map.contains("zone (outline of its assets)"))
    }

    /// The hazard footprints of footprints.geojson are drawn on the map, with the intensity's
    /// property (its unit) in the legend; a malformed file names its line.
    @Test func mapDrawsHazardFootprints() throws {
        var files = ReportFixtures.staticFiles
        files["footprints.geojson"] = """
            {"type":"FeatureCollection","features":[
            {"type":"Feature","properties":{"event":"flood","property":"depth_m","value":0.5},"geometry":{"type":"MultiPolygon","coordinates":[[[[8.40,49.00],[8.45,49.00],[8.45,49.04],[8.40,49.00]]]]}},
            {"type":"Feature","properties":{"event":"flood","property":"depth_m","value":2},"geometry":{"type":"MultiPolygon","coordinates":[[[[8.41,49.01],[8.44,49.01],[8.44,49.03],[8.41,49.01]]]]}}
            ]}

            """
        let html = try ReportBuilderTests.build(files)["report.html"]!
        #expect(html.components(separatedBy: "fill-rule=\"evenodd\"").count - 1 == 2)
        #expect(html.contains("<title>flood footprint: 2</title>"))
        #expect(html.contains("flood footprint</text>") && html.contains("depth_m 0.5–2 (darker: higher)"))
        files["footprints.geojson"] = "{\"type\":\"FeatureCollection\",\n\"features\":[{\"type\":\"Feature\"}]}\n"
        #expect(throws: ReportDataError.self) { try ReportBuilderTests.build(files) }
    }

    /// A label that would run past the chart's right edge is estimated generously.
    @Test func labelWidthEstimate() {
        #expect(ReportCharts.textWidth("relocate-aggregation-node", fontSize: 12) > 180)
        #expect(ReportCharts.shorten("relocate-aggregation-node-agg07", 26).count <= 26)
    }
}
