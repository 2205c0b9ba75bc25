import Foundation
import ModelIO
import TestSupport
import Testing

@testable import Situations

/// A hand-checkable model: power S1 (source) → N1 (node, 100 people) by link L1; water pump P1
/// (source) needs power from N1 with a 6-hour backup and feeds W1 (consumer, 200 people) by L2.
/// Owners PowerCo (S1, N1, L1) and WaterCo (P1, W1, L2); one zone Z1 (geographic points).
enum TinyModel {
    static func folder() throws -> String {
        let dir = TemporaryFolder.url("situation").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        func write(_ name: String, _ text: String) throws { try text.write(toFile: dir + "/" + name, atomically: true, encoding: .utf8) }
        try write("network.yaml", "name: tiny\nassets: assets.csv\nlinks: links.csv\ndependencies: dependencies.csv\n")
        try write(
            "assets.csv",
            """
            id,sector,kind,role,owner,zone,lat,lon,population
            S1,power,substation,source,PowerCo,Z1,48.00,7.00,0
            N1,power,substation,node,PowerCo,Z1,48.01,7.01,100
            P1,water,pump_station,source,WaterCo,Z1,48.02,7.00,0
            W1,water,pump_station,consumer,WaterCo,Z1,48.02,7.02,200

            """)
        try write("links.csv", "id,sector,from,to,kind\nL1,power,S1,N1,power_line\nL2,water,P1,W1,water_main\n")
        try write("dependencies.csv", "consumer,provider,type,group,backup_hours\nP1,N1,physical,power,6\n")
        return dir + "/network.yaml"
    }

    static let start = Date(timeIntervalSince1970: 1_800_000_000)
    static func at(_ hours: Double) -> Date { start.addingTimeInterval(hours * 3600) }

    static func situation() throws -> Situation {
        Situation(id: "s-test", name: "test", startedAt: start, source: try source(try folder()))
    }

    /// The model or scenario at `path` as the service loads it.
    static func source(_ path: String) throws -> SituationSource {
        let l = try ScenarioLoader.loadScenarioOrModel(path: path)
        return SituationSource(path: path, scenario: l.scenario, isScenario: l.isScenario, warnings: l.warnings.map(\.description))
    }

    static func report(_ json: String) throws -> FieldReport { try FieldReport.parse(Data(json.utf8)) }
}

@Suite struct SituationStateTests {
    @Test func damagedSourceCutsItsNodeAndTheBackupRunsDown() throws {
        var s = try TinyModel.situation()
        try s.accept(
            try TinyModel.report(#"{"type":"damaged","ids":["S1"],"time":"2027-01-15T08:00:00Z"}"#), receivedAt: TinyModel.at(0), by: "centre")
        // hand-derived: S1 damaged at hour 0 -> N1 unsupplied; P1's power requirement unmet, backup 6 h
        let st2 = s.state(at: TinyModel.at(2), scope: .centre)
        #expect(st2.down.map(\.id) == ["N1", "S1"])
        #expect(st2.down.first { $0.id == "S1" }?.reason == .damaged)
        #expect(st2.down.first { $0.id == "N1" }?.reason == .unsupplied)
        #expect(st2.onBackup.map(\.id) == ["P1"])
        #expect(abs(st2.onBackup[0].hoursLeft - 4) < 1e-9)
        #expect(st2.peopleWithoutBySector["power"] == 100 && st2.peopleWithoutBySector["water"] == 0)
        // at hour 7 the backup is gone: P1 fails through its requirement, W1 loses supply
        let st7 = s.state(at: TinyModel.at(7), scope: .centre)
        #expect(st7.down.map(\.id) == ["N1", "P1", "S1", "W1"])
        let p1 = try #require(st7.down.first { $0.id == "P1" })
        #expect(p1.reason == .requirement)
        #expect(p1.failed == [FailedRequirement(group: "power", need: "any", providersDown: ["N1"], providersWorking: 0)])
        #expect(abs(p1.downHours - 1) < 1e-9)
        #expect(st7.down.first { $0.id == "W1" }?.reason == .unsupplied)
        #expect(st7.peopleWithoutBySector["water"] == 200)
        #expect(st7.onBackup.isEmpty)
    }

    @Test func restoredEndsTheCascadeAndRetractWithdrawsAReport() throws {
        var s = try TinyModel.situation()
        try s.accept(try TinyModel.report(#"{"type":"damaged","ids":["S1"]}"#), receivedAt: TinyModel.at(0), by: "centre")
        try s.accept(
            try TinyModel.report(#"{"type":"restored","ids":["S1"],"time":"\#(iso(TinyModel.at(8)))"}"#), receivedAt: TinyModel.at(8), by: "centre")
        #expect(s.state(at: TinyModel.at(7), scope: .centre).down.count == 4)
        #expect(s.state(at: TinyModel.at(9), scope: .centre).down.isEmpty)
        try s.accept(try TinyModel.report(#"{"type":"out","ids":["L2"],"duration_hours":10}"#), receivedAt: TinyModel.at(9), by: "centre")
        #expect(s.state(at: TinyModel.at(10), scope: .centre).down.map(\.id) == ["L2", "W1"])
        #expect(s.state(at: TinyModel.at(19.5), scope: .centre).down.isEmpty) // 10 hours after hour 9
        try s.accept(try TinyModel.report(#"{"type":"retract","report":3}"#), receivedAt: TinyModel.at(10), by: "centre")
        #expect(s.state(at: TinyModel.at(10), scope: .centre).down.isEmpty)
        #expect(s.version == 4)
    }

    @Test func anOwnerSeesItsOwnIdsAndCountsOfTheOthers() throws {
        var s = try TinyModel.situation()
        try s.accept(try TinyModel.report(#"{"type":"damaged","ids":["S1"]}"#), receivedAt: TinyModel.at(0), by: "centre")
        let st = s.state(at: TinyModel.at(7), scope: .owner("WaterCo"))
        #expect(st.down.map(\.id) == ["P1", "W1"])
        #expect(st.others == [OthersAggregate(owner: "PowerCo", down: 2, onBackup: 0, people: 100)])
        let json = String(decoding: SituationJSON.encode(st), as: UTF8.self)
        #expect(!json.contains("\"S1\"") && !json.contains("\"N1\""))
        let brief = try s.brief(owner: "WaterCo", at: TinyModel.at(7))
        #expect(brief.dependsOnDown == [ExternalDependency(consumer: "P1", group: "power", providerOwner: "PowerCo", providersDown: 1)])
        let power = try s.brief(owner: "PowerCo", at: TinyModel.at(7))
        #expect(power.othersDependingOnIt == [OthersAggregate(owner: "WaterCo", down: 1, onBackup: 0, people: 0)])
        #expect(throws: RequestError.self) { try s.brief(owner: "Nobody", at: TinyModel.at(7)) }
    }

    @Test func warningsNowAreZonesThatLostAService() throws {
        var s = try TinyModel.situation()
        try s.accept(try TinyModel.report(#"{"type":"damaged","ids":["S1"]}"#), receivedAt: TinyModel.at(0), by: "centre")
        #expect(s.warningsNow(at: TinyModel.at(2)).map { "\($0.zone)/\($0.sector)/\($0.level)" } == ["Z1/power/severe"])
        #expect(s.warningsNow(at: TinyModel.at(7)).map { "\($0.zone)/\($0.sector)" } == ["Z1/power", "Z1/water"])
    }
}

func iso(_ d: Date) -> String { ISO8601DateFormatter().string(from: d) }

@Suite struct ReportCheckTests {
    @Test func unknownKeysWrongTypesAndUnknownIdsAreNamed() throws {
        #expect(
            throws: RequestError([
                Problem(field: "colour", "unknown key for a 'damaged' report: expected one of duration_hours, ids, note, time, type")
            ])
        ) {
            try FieldReport.parse(Data(#"{"type":"damaged","ids":["S1"],"colour":"red"}"#.utf8))
        }
        #expect(throws: RequestError.self) { try FieldReport.parse(Data(#"{"type":"damaged","ids":"S1"}"#.utf8)) }
        #expect(throws: RequestError.self) { try FieldReport.parse(Data(#"{"type":"out","ids":["S1"],"duration_hours":-1}"#.utf8)) }
        #expect(throws: RequestError.self) { try FieldReport.parse(Data("not json".utf8)) }
        var s = try TinyModel.situation()
        let bad = try TinyModel.report(#"{"type":"damaged","ids":["S1","X9"]}"#)
        #expect(throws: RequestError([Problem(field: "ids[1]", "unknown id 'X9': expected an asset or link id of the model 'tiny'")])) {
            try s.accept(bad, receivedAt: TinyModel.at(0), by: "centre")
        }
        #expect(s.version == 0)
        #expect(throws: RequestError.self) {
            try s.accept(try TinyModel.report(#"{"type":"retract","report":1}"#), receivedAt: TinyModel.at(0), by: "centre")
        }
    }

    @Test func hazardAreasDamageByFragility() throws {
        var s = try TinyModel.situation()
        // a 1 m flood over S1 only: substation flood curve median 0.6 m, beta 0.4 -> p = Φ(ln(1/0.6)/0.4) = Φ(1.2771) = 0.89921
        let r = try TinyModel.report(
            #"{"type":"hazard","hazard":"flood","areas":[{"polygon":[[[6.99,47.99],[7.005,47.99],[7.005,48.005],[6.99,48.005],[6.99,47.99]]],"intensity":1.0}]}"#
        )
        try s.accept(r, receivedAt: TinyModel.at(0), by: "centre")
        let st = s.state(at: TinyModel.at(1), scope: .centre)
        let s1 = try #require(st.down.first { $0.id == "S1" })
        #expect(s1.reason == .hazard)
        #expect(abs(s1.pDamage! - 0.89921) < 1e-5)
        // a hazard without curves for the kinds it reaches is refused, naming the element
        let heat = try TinyModel.report(
            #"{"type":"hazard","hazard":"volcano","areas":[{"polygon":[[[6.99,47.99],[7.005,47.99],[7.005,48.005],[6.99,48.005],[6.99,47.99]]],"intensity":1.0}]}"#
        )
        #expect(throws: RequestError.self) { try s.accept(heat, receivedAt: TinyModel.at(0), by: "centre") }
    }
}

@Suite struct ForwardRunTests {
    @Test func reopeningALinkOutForTenHoursSavesExactlyItsPeopleHours() throws {
        var s = try TinyModel.situation()
        try s.accept(try TinyModel.report(#"{"type":"out","ids":["L2"],"duration_hours":10}"#), receivedAt: TinyModel.at(0), by: "centre")
        let settings = ForwardSettings(samples: 50, horizonHours: 72, seed: 7)
        let out = try s.outlook(at: TinyModel.at(0), settings: settings, threads: 2, scope: .centre)
        let water = try #require(out.restoration.first { $0.sector == "water" })
        // hand-derived: W1 (200 people) without water for 10 hours in every sample
        #expect(abs(water.peopleHoursMean - 2000) < 1e-6)
        #expect(water.restore95Median == 10)
        let w = try s.whatIf(WhatIfAction(action: .reopen, ids: ["L2"]), at: TinyModel.at(0), settings: settings, threads: 2)
        #expect(abs(w.peopleHoursSaved - 2000) < 1e-6 && abs(w.savedCi95Low - 2000) < 1e-6)
        #expect(w.peopleHoursWithAction == 0)
    }

    @Test func aGeneratorAtThePumpSavesWaterWhileThePowerIsRepaired() throws {
        var s = try TinyModel.situation()
        try s.accept(try TinyModel.report(#"{"type":"damaged","ids":["S1"]}"#), receivedAt: TinyModel.at(0), by: "centre")
        let settings = ForwardSettings(samples: 200, horizonHours: 168, seed: 3)
        // at hour 2 the pump has 4 hours of backup left; the outlook starts from there
        let out = try s.outlook(at: TinyModel.at(2), settings: settings, threads: 2, scope: .centre)
        #expect(out.onBackup.map(\.id) == ["P1"])
        #expect(out.warnings.contains { $0.zone == "Z1" && $0.sector == "water" && !$0.lostNow && $0.pLoss > 0.9 })
        #expect(out.nextFailures.first?.id == "P1" || out.nextFailures.first?.id == "W1")
        let w = try s.whatIf(WhatIfAction(action: .generator, ids: ["P1"], hours: 500), at: TinyModel.at(2), settings: settings, threads: 2)
        // with a generator lasting beyond the horizon, water is never lost: the saving is all of it
        #expect(w.peopleHoursSaved > 0 && w.savedCi95Low > 0)
        #expect(abs(w.savedBySector["water"]! - (w.peopleHoursBaseline - w.peopleHoursWithAction)) < 1e-6)
        #expect(w.savedBySector["power"] == nil)
        // the same request twice gives the same bytes (seeded streams)
        let again = try s.whatIf(WhatIfAction(action: .generator, ids: ["P1"], hours: 500), at: TinyModel.at(2), settings: settings, threads: 1)
        #expect(again.peopleHoursSaved == w.peopleHoursSaved)
    }

    @Test func capDocumentHasOneInfoPerWarningWithAPolygon() throws {
        var s = try TinyModel.situation()
        try s.accept(try TinyModel.report(#"{"type":"damaged","ids":["S1"]}"#), receivedAt: TinyModel.at(0), by: "centre")
        let xml = s.capAlerts(s.warningsNow(at: TinyModel.at(7)), at: TinyModel.at(7), sender: "kaskada@test")
        #expect(xml.components(separatedBy: "<info>").count - 1 == 2)
        #expect(xml.contains("<polygon>") && xml.contains("<severity>Severe</severity>") && xml.contains("<certainty>Observed</certainty>"))
        #expect(xml.contains("<sent>2027-01-15T15:00:00-00:00</sent>"))
        let polygon = try #require(xml.components(separatedBy: "<polygon>")[1].components(separatedBy: "</polygon>").first)
        let pairs = polygon.split(separator: " ")
        #expect(pairs.count >= 4 && pairs.first == pairs.last)
    }
}
