import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import KaskadaService
import ServiceStore
import Situations
import Testing

@Suite struct ServiceTests {
    // MARK: Refused reports change nothing

    /// A report with an unknown id, an unknown key or a wrong type is 4xx problem+json
    /// with `errors`, is not stored, does not move the version, and its attempt is audited.
    @Test(arguments: [
        "{\"type\": \"damaged\", \"ids\": [\"PWR-TS01\", \"NO-SUCH-ASSET\"]}",
        "{\"type\": \"damaged\", \"ids\": [\"PWR-TS01\"], \"colour\": \"red\"}",
        "{\"type\": 5, \"ids\": [\"PWR-TS01\"]}",
        "{\"type\": \"damaged\", \"ids\": \"PWR-TS01\"}",
        "not json",
    ])
    func badReportChangesNothing(body: String) async throws {
        let service = try makeService()
        try await app(service).test(.router) { client in
            let id = try await createSituation(client)
            let before = try decode(
                SituationState.self, try await client.execute(uri: "/v1/situations/\(id)/state", method: .get, headers: headers(Tok.centre)))
            let r = try await client.execute(
                uri: "/v1/situations/\(id)/reports", method: .post, headers: headers(Tok.centre, json: true), body: buffer(body))
            #expect((400..<500).contains(r.status.code))
            try expectProblem(r, Int(r.status.code), errors: true)
            let after = try decode(
                SituationState.self, try await client.execute(uri: "/v1/situations/\(id)/state", method: .get, headers: headers(Tok.centre)))
            #expect(after.version == before.version)
            #expect(try service.store.reportCount(situationID: id) == 0)
            let list = try decode(
                [AcceptedReport].self, try await client.execute(uri: "/v1/situations/\(id)/reports", method: .get, headers: headers(Tok.centre)))
            #expect(list.isEmpty)
            let audit = try service.store.audit(after: 0, limit: 100)
            #expect(audit.last?.status == Int(r.status.code))
            #expect(audit.last?.requestSha256 == sha256Hex(Data(body.utf8)))
        }
    }

    @Test func badSituationBodies() async throws {
        let service = try makeService()
        try await app(service).test(.router) { client in
            for (body, code) in [
                ("{\"nme\": \"x\"}", 422), ("{\"name\": 3}", 422), ("{\"name\": \"x\", \"started_at\": \"yesterday\"}", 422), ("[", 400),
            ] {
                let r = try await client.execute(uri: "/v1/situations", method: .post, headers: headers(Tok.centre, json: true), body: buffer(body))
                try expectProblem(r, code, errors: true)
            }
            #expect(service.situations.isEmpty)
            let r = try await client.execute(
                uri: "/v1/situations", method: .post, headers: headers(Tok.centre, json: true),
                body: buffer("{\"name\": \"storm\", \"started_at\": \"2026-05-01T06:00:00Z\"}"))
            #expect(r.status == .created)
            #expect(try decode(SituationSummary.self, r).startedAt == Date(timeIntervalSince1970: 1_777_615_200))
        }
    }

    @Test func problemShapes() async throws {
        let service = try makeService()
        try await app(service).test(.router) { client in
            try expectProblem(try await client.execute(uri: "/v1/situations/s-000000000000/state", method: .get, headers: headers(Tok.centre)), 404)
            try expectProblem(try await client.execute(uri: "/no/such/route", method: .get, headers: headers(Tok.centre)), 404)
            try expectProblem(try await client.execute(uri: "/v1/audit?limit=0", method: .get, headers: headers(Tok.centre)), 400, errors: true)
            let id = try await createSituation(client)
            try expectProblem(
                try await client.execute(uri: "/v1/situations/\(id)/state?at=noon", method: .get, headers: headers(Tok.centre)), 400, errors: true)
            try expectProblem(
                try await client.execute(uri: "/v1/situations/\(id)/state?colour=red", method: .get, headers: headers(Tok.centre)), 400, errors: true)
            try expectProblem(
                try await client.execute(uri: "/v1/situations/\(id)/briefs/NoSuchOwner", method: .get, headers: headers(Tok.centre)), 404)
            let r = try await client.execute(uri: "/v1/situations", method: .get, headers: headers("wrong"))
            try expectProblem(r, 401)
            #expect(r.headers[.wwwAuthenticate] == "Bearer realm=\"kaskada\"")
            // closed: reports refused with 409
            #expect(try await client.execute(uri: "/v1/situations/\(id)/close", method: .post, headers: headers(Tok.centre)).status == .ok)
            try expectProblem(try await client.execute(uri: "/v1/situations/\(id)/close", method: .post, headers: headers(Tok.centre)), 409)
            try expectProblem(
                try await client.execute(
                    uri: "/v1/situations/\(id)/reports", method: .post, headers: headers(Tok.centre), body: buffer(damagedReport())), 409)
        }
    }

    // MARK: Audit

    @Test func auditRowsCannotBeUpdatedOrDeleted() async throws {
        let service = try makeService()
        try await app(service).test(.router) { client in _ = try await createSituation(client) }
        #expect(try service.store.audit(after: 0, limit: 10).count == 1)
        #expect(throws: (any Error).self) { try service.store.executeForTesting("UPDATE audit SET status = 200") }
        #expect(throws: (any Error).self) { try service.store.executeForTesting("DELETE FROM audit") }
        #expect(throws: (any Error).self) { try service.store.executeForTesting("DELETE FROM audit WHERE seq = 1") }
        #expect(try service.store.audit(after: 0, limit: 10).count == 1)
    }

    @Test func everyWriteIsAudited() async throws {
        let service = try makeService()
        try await app(service).test(.router) { client in
            let id = try await createSituation(client)
            _ = try await client.execute(
                uri: "/v1/situations/\(id)/reports", method: .post, headers: headers(Tok.centre), body: buffer(damagedReport()))
            _ = try await client.execute(
                uri: "/v1/situations/\(id)/reports", method: .post, headers: headers(Tok.ownerA), body: buffer(damagedReport()))
            _ = try await client.execute(uri: "/v1/situations/\(id)/reports", method: .post, headers: headers(nil), body: buffer("{}"))
            _ = try await client.execute(uri: "/v1/situations/\(id)/close", method: .post, headers: headers(Tok.centre))
            let rows = try decode(
                [AuditEntry].self, try await client.execute(uri: "/v1/audit?after=0&limit=10", method: .get, headers: headers(Tok.centre)))
            #expect(rows.map(\.status) == [201, 201, 403, 401, 200])
            #expect(rows.map(\.role) == ["centre", "centre", "owner:" + Tok.ownerAName, "anonymous", "centre"])
            #expect(rows.map(\.seq) == [1, 2, 3, 4, 5])
            #expect(rows[1].requestSha256 == sha256Hex(Data(damagedReport().utf8)))
            let page = try decode(
                [AuditEntry].self, try await client.execute(uri: "/v1/audit?after=3&limit=1", method: .get, headers: headers(Tok.centre)))
            #expect(page.map(\.seq) == [4])
        }
    }

    // MARK: Restart and concurrency (HTTP layer, with the stand-in parser)

    @Test func restartKeepsReportsAndAudit() async throws {
        let dir = tempDir()
        let id = try await {
            let service = try makeService(dir: dir)
            return try await app(service).test(.router) { client in
                let id = try await createSituation(client)
                for n in 1...5 {
                    let r = try await client.execute(
                        uri: "/v1/situations/\(id)/reports", method: .post, headers: headers(Tok.centre), body: buffer(damagedReport()))
                    #expect(r.status == .created)
                    #expect(try decode(AcceptedReport.self, r).number == n)
                }
                return id
            }
        }()
        let again = try makeService(dir: dir)
        try await app(again).test(.router) { client in
            let reports = try decode(
                [AcceptedReport].self, try await client.execute(uri: "/v1/situations/\(id)/reports", method: .get, headers: headers(Tok.centre)))
            #expect(reports.map(\.number) == [1, 2, 3, 4, 5])
            #expect(reports.allSatisfy { $0.report.ids == ["PWR-TS01"] && $0.by == "centre" && $0.report.time == $0.receivedAt })
            let state = try decode(
                SituationState.self, try await client.execute(uri: "/v1/situations/\(id)/state", method: .get, headers: headers(Tok.centre)))
            #expect(state.version == 5)
            let audit = try again.store.audit(after: 0, limit: 100)
            #expect(audit.count == 6)
            #expect(audit.filter { $0.path.hasSuffix("/reports") && $0.status == 201 }.count == 5)
            // numbering goes on
            let r = try await client.execute(
                uri: "/v1/situations/\(id)/reports", method: .post, headers: headers(Tok.centre), body: buffer(damagedReport()))
            #expect(try decode(AcceptedReport.self, r).number == 6)
        }
    }

    @Test func parallelReportsAreNumberedWithoutGaps() async throws {
        let service = try makeService()
        try await app(service).test(.router) { client in
            let id = try await createSituation(client)
            let numbers = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<64 {
                    group.addTask {
                        let r = try await client.execute(
                            uri: "/v1/situations/\(id)/reports", method: .post, headers: headers(Tok.centre), body: buffer(damagedReport()))
                        #expect(r.status == .created)
                        return try decode(AcceptedReport.self, r).number
                    }
                }
                var all: [Int] = []
                for try await n in group { all.append(n) }
                return all
            }
            #expect(numbers.sorted() == Array(1...64))
            #expect(try service.store.reportCount(situationID: id) == 64)
            #expect(service.situations.first?.reports == 64)
        }
    }

    /// State, warnings and CAP answers are cached per version, scope and second: the same
    /// question twice gives the same bytes from one entry, and a report in between is seen at
    /// once (a new version, a new entry); an owner never gets the centre's cached answer.
    @Test func cachedAnswersFollowReports() async throws {
        let service = try makeService()
        try await app(service).test(.router) { client in
            let id = try await createSituation(client)
            let at = "?at=2030-01-01T00:00:00Z"
            func state(_ token: String) async throws -> String {
                String(buffer: try await client.execute(uri: "/v1/situations/\(id)/state\(at)", method: .get, headers: headers(token)).body)
            }
            let first = try await state(Tok.centre)
            #expect(try await state(Tok.centre) == first)
            #expect(service.cachedAnswers == 1)
            let owner = try await state(Tok.ownerA)
            #expect(owner != first)
            #expect(service.cachedAnswers == 2)
            let r = try await client.execute(
                uri: "/v1/situations/\(id)/reports", method: .post, headers: headers(Tok.centre), body: buffer(damagedReport()))
            #expect(r.status == .created)
            let after = try await state(Tok.centre)
            #expect(after != first)
            #expect(after.contains("\"version\":1"), "\(after.prefix(300))")
            #expect(after.contains("PWR-TS01"))
            #expect(service.cachedAnswers == 3)
        }
    }

    // MARK: Limits

    @Test func bodyLimit() async throws {
        let service = try makeService()
        try await app(service).test(.router) { client in
            let id = try await createSituation(client)
            let big = "{\"type\": \"damaged\", \"note\": \"" + String(repeating: "x", count: 1 << 20) + "\"}"
            let r = try await client.execute(uri: "/v1/situations/\(id)/reports", method: .post, headers: headers(Tok.centre), body: buffer(big))
            try expectProblem(r, 413)
            #expect(try service.store.reportCount(situationID: id) == 0)
            #expect(try service.store.audit(after: 0, limit: 10).last?.status == 413)
        }
    }

    @Test func rateLimit() async throws {
        let service = try makeService {
            $0.rate = 1; $0.burst = 3
        }
        try await app(service).test(.router) { client in
            for _ in 0..<3 { #expect(try await client.execute(uri: "/v1/situations", method: .get, headers: headers(Tok.centre)).status == .ok) }
            let r = try await client.execute(uri: "/v1/situations", method: .get, headers: headers(Tok.centre))
            try expectProblem(r, 429)
            #expect(Int(r.headers[.retryAfter] ?? "") ?? 0 >= 1)
            // another token has its own bucket
            #expect(try await client.execute(uri: "/v1/situations", method: .get, headers: headers(Tok.ownerA)).status == .ok)
        }
    }

    @Test func computeTimeLimit() async throws {
        let service = try makeService {
            $0.computeSeconds = 0.3; $0.testingComputeDelay = 1.5
        }
        try await app(service).test(.router) { client in
            let id = try await createSituation(client)
            let r = try await client.execute(uri: "/v1/situations/\(id)/outlook?samples=10", method: .get, headers: headers(Tok.centre))
            try expectProblem(r, 503)
        }
    }

    @Test func costCap() async throws {
        let service = try makeService { $0.maxSampleHours = 720 }
        try await app(service).test(.router) { client in
            let id = try await createSituation(client)
            // 1,000 samples × 72 h = 72,000 sample-hours, above the cap of 720
            let r = try await client.execute(
                uri: "/v1/situations/\(id)/outlook?samples=1000&horizon_hours=72", method: .get, headers: headers(Tok.centre))
            try expectProblem(r, 422, errors: true)
            // a short horizon is charged 72 h per sample: 11 samples over 1 h are 792 (not 11)
            let short = try await client.execute(
                uri: "/v1/situations/\(id)/outlook?samples=11&horizon_hours=1", method: .get, headers: headers(Tok.centre))
            try expectProblem(short, 422, errors: true)
            let fits = try await client.execute(
                uri: "/v1/situations/\(id)/outlook?samples=10&horizon_hours=1", method: .get, headers: headers(Tok.centre))
            #expect(fits.status == .ok)
        }
    }

    // MARK: Events

    @Test func eventsAfterReport() async throws {
        let service = try makeService()
        try await app(service).test(.router) { client in
            let id = try await createSituation(client)
            let stream = Task { try await client.execute(uri: "/v1/situations/\(id)/events", method: .get, headers: headers(Tok.ownerA)) }
            for _ in 0..<500 where service.listenerCount(situation: id) == 0 { try await Task.sleep(for: .milliseconds(10)) }
            #expect(service.listenerCount(situation: id) == 1)
            try await Task.sleep(for: .milliseconds(500)) // at least one heartbeat (0.2 s in tests)
            #expect(
                try await client.execute(
                    uri: "/v1/situations/\(id)/reports", method: .post, headers: headers(Tok.centre), body: buffer(damagedReport())
                ).status == .created)
            #expect(try await client.execute(uri: "/v1/situations/\(id)/close", method: .post, headers: headers(Tok.centre)).status == .ok)
            let r = try await stream.value
            let text = String(buffer: r.body)
            #expect(r.headers[.contentType] == "text/event-stream")
            #expect(text.hasPrefix("event: version\ndata: {\"version\":0}\n\n"))
            #expect(text.contains(": heartbeat\n\n"))
            #expect(text.contains("event: report\nid: 1\ndata: {\"version\":1}\n\n"))
            #expect(text.contains("event: close\nid: 1\ndata: {\"closed_at\":"))
            #expect(service.listenerCount(situation: id) == 0)
        }
    }

    // MARK: Static resources and tokens files

    @Test func resources() async throws {
        let service = try makeService()
        try await app(service).test(.router) { client in
            let page = try await client.execute(uri: "/", method: .get)
            #expect(page.status == .ok && page.headers[.contentType]?.hasPrefix("text/html") == true)
            let spec = try await client.execute(uri: "/openapi.yaml", method: .get)
            #expect(spec.status == .ok)
            let onDisk = try String(contentsOf: servePackage.appendingPathComponent("openapi.yaml"), encoding: .utf8)
            #expect(String(buffer: spec.body) == onDisk)
            #expect(String(buffer: try await client.execute(uri: "/healthz", method: .get).body) == "{\"status\":\"ok\"}")
        }
    }

    @Test func tokensFiles() throws {
        let owners = riverside.owners
        let good = "# c\n\n" + TokenTable.line(token: "abcdefabcdefabcdef", role: "owner:" + owners[0]) + "\n"
        #expect(try TokenTable.parse(good, name: "t", owners: owners).entries.count == 1)
        let cases: [(String, String)] = [
            ("abc centre", "t:1"),
            ("# x\n" + String(repeating: "a", count: 64) + " mayor", "t:2"),
            ("\n\n" + String(repeating: "a", count: 64) + " owner:Nobody", "t:3"),
            (String(repeating: "a", count: 64) + " centre\n" + String(repeating: "A", count: 64) + " public", "t:2"),
        ]
        for (text, at) in cases {
            do { _ = try TokenTable.parse(text, name: "t", owners: owners); Issue.record("accepted \(text)") } catch {
                #expect(error.description.hasPrefix(at + ":"), "\(error.description)")
            }
        }
        let table = try Tok.table()
        #expect(table.scope(forToken: Tok.centre) == .centre)
        #expect(table.scope(forToken: Tok.pub) == .publicAudience)
        #expect(table.scope(forToken: Tok.centre + "x") == nil)
    }
}
