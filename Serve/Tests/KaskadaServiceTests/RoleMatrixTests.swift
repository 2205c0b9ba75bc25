import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import KaskadaService
import ServiceStore
import Situations
import Testing

/// Every endpoint × role: the expected success code, or refused (401 without or with an unknown
/// token, 403 for a role that may not).
@Suite struct RoleMatrixTests {
    enum Who: CaseIterable {
        case none, invalid, centre, ownerA, ownerB, pub
        var token: String? {
            switch self {
            case .none: return nil
            case .invalid: return "not-a-token-at-all-0000000000"
            case .centre: return Tok.centre
            case .ownerA: return Tok.ownerA
            case .ownerB: return Tok.ownerB
            case .pub: return Tok.pub
            }
        }
    }
    enum Expect {
        case ok(Int)
        case e401, e403
    }

    struct Endpoint {
        var method: HTTPRequest.Method
        var path: (String) -> String
        var body: String?
        /// Expected for centre, owner A (briefs of A), owner B (briefs of A), public.
        var centre: Expect, ownerA: Expect, ownerB: Expect, pub: Expect
        var open = false
    }

    static func endpoints() -> [Endpoint] {
        let a = Tok.ownerAName
        return [
            Endpoint(method: .get, path: { _ in "/" }, centre: .ok(200), ownerA: .ok(200), ownerB: .ok(200), pub: .ok(200), open: true),
            Endpoint(method: .get, path: { _ in "/openapi.yaml" }, centre: .ok(200), ownerA: .ok(200), ownerB: .ok(200), pub: .ok(200), open: true),
            Endpoint(method: .get, path: { _ in "/healthz" }, centre: .ok(200), ownerA: .ok(200), ownerB: .ok(200), pub: .ok(200), open: true),
            Endpoint(
                method: .post, path: { _ in "/v1/situations" }, body: "{\"name\": \"x\"}", centre: .ok(201), ownerA: .e403, ownerB: .e403, pub: .e403),
            Endpoint(method: .get, path: { _ in "/v1/situations" }, centre: .ok(200), ownerA: .ok(200), ownerB: .ok(200), pub: .e403),
            Endpoint(
                method: .post, path: { "/v1/situations/\($0)/reports" }, body: damagedReport(), centre: .ok(201), ownerA: .e403, ownerB: .e403,
                pub: .e403),
            Endpoint(method: .get, path: { "/v1/situations/\($0)/reports" }, centre: .ok(200), ownerA: .e403, ownerB: .e403, pub: .e403),
            Endpoint(method: .get, path: { "/v1/situations/\($0)/state" }, centre: .ok(200), ownerA: .ok(200), ownerB: .ok(200), pub: .e403),
            Endpoint(
                method: .get, path: { "/v1/situations/\($0)/outlook?samples=10&horizon_hours=6" }, centre: .ok(200), ownerA: .ok(200),
                ownerB: .ok(200), pub: .e403),
            Endpoint(
                method: .post, path: { "/v1/situations/\($0)/whatif" },
                body: "{\"action\": \"generator\", \"ids\": [\"TEL-CELL004\"], \"hours\": 6, \"samples\": 10, \"horizon_hours\": 6}",
                centre: .ok(200), ownerA: .e403, ownerB: .e403, pub: .e403),
            Endpoint(method: .get, path: { "/v1/situations/\($0)/warnings" }, centre: .ok(200), ownerA: .ok(200), ownerB: .ok(200), pub: .e403),
            Endpoint(method: .get, path: { "/v1/situations/\($0)/zones" }, centre: .ok(200), ownerA: .ok(200), ownerB: .ok(200), pub: .e403),
            Endpoint(
                method: .get, path: { "/v1/situations/\($0)/warnings.cap" }, centre: .ok(200), ownerA: .ok(200), ownerB: .ok(200), pub: .ok(200)),
            Endpoint(method: .get, path: { "/v1/situations/\($0)/briefs/\(a)" }, centre: .ok(200), ownerA: .ok(200), ownerB: .e403, pub: .e403),
            Endpoint(method: .get, path: { _ in "/v1/audit" }, centre: .ok(200), ownerA: .e403, ownerB: .e403, pub: .e403),
            // last: closes the situation
            Endpoint(method: .post, path: { "/v1/situations/\($0)/close" }, centre: .ok(200), ownerA: .e403, ownerB: .e403, pub: .e403),
        ]
    }

    @Test func everyEndpointAndRole() async throws {
        let service = try makeService()
        try await app(service).test(.router) { client in
            let id = try await createSituation(client)
            for e in Self.endpoints() {
                for who in Who.allCases {
                    let expect: Expect
                    switch who {
                    case .none, .invalid: expect = e.open ? e.centre : .e401
                    case .centre: expect = e.centre
                    case .ownerA: expect = e.ownerA
                    case .ownerB: expect = e.ownerB
                    case .pub: expect = e.pub
                    }
                    let r = try await client.execute(
                        uri: e.path(id), method: e.method, headers: headers(who.token, json: e.body != nil),
                        body: e.body.map(buffer))
                    let label = "\(e.method) \(e.path(id)) as \(who)"
                    switch expect {
                    case .ok(let code): #expect(r.status.code == code, "\(label): \(r.status.code) \(String(buffer: r.body))")
                    case .e401:
                        try expectProblem(r, 401)
                        #expect(r.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true, "\(label)")
                    case .e403: try expectProblem(r, 403)
                    }
                }
            }
            // the event stream of a closed situation: version and close, then the end (owners may listen, the public may not)
            for who in [Who.centre, .ownerA] {
                let r = try await client.execute(uri: "/v1/situations/\(id)/events", method: .get, headers: headers(who.token))
                #expect(r.status == .ok)
                #expect(r.headers[.contentType] == "text/event-stream")
                #expect(String(buffer: r.body).hasPrefix("event: version\ndata: {\"version\":1}"))
            }
            try expectProblem(try await client.execute(uri: "/v1/situations/\(id)/events", method: .get, headers: headers(Tok.pub)), 403)
            try expectProblem(try await client.execute(uri: "/v1/situations/\(id)/events", method: .get, headers: headers(nil)), 401)
            // a browser's EventSource sends the token in the query; only the event stream reads it
            let q = try await client.execute(uri: "/v1/situations/\(id)/events?access_token=\(Tok.ownerA)", method: .get, headers: headers(nil))
            #expect(q.status == .ok)
            try expectProblem(
                try await client.execute(uri: "/v1/situations/\(id)/events?access_token=\(Tok.pub)", method: .get, headers: headers(nil)), 403)
            try expectProblem(
                try await client.execute(uri: "/v1/situations/\(id)/events?access_token=nope", method: .get, headers: headers(nil)), 401)
            try expectProblem(
                try await client.execute(uri: "/v1/situations/\(id)/state?access_token=\(Tok.centre)", method: .get, headers: headers(nil)), 401)
        }
    }

    @Test func withoutTokensEveryRequestIsCentre() async throws {
        let service = try makeService(tokens: false)
        try await app(service).test(.router) { client in
            let id = try await createSituation(client, token: nil)
            let r = try await client.execute(uri: "/v1/audit", method: .get)
            #expect(r.status == .ok)
            let rows = try decode([AuditEntry].self, r)
            #expect(rows.count == 1 && rows[0].role == "centre" && rows[0].path == "/v1/situations")
            #expect(try await client.execute(uri: "/v1/situations/\(id)/reports", method: .get).status == .ok)
        }
    }
}
