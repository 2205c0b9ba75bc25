import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import KaskadaService
import ServiceStore
import Situations
import Testing

// The domain through HTTP: restart, owner scoping and what-ifs on the Situations module.
@Suite struct DomainTests {
    @Test func restartRestoresTheSameState() async throws {
        let dir = tempDir()
        let at = "2030-01-01T00:00:00Z"
        let (id, before) = try await {
            let service = try makeService(dir: dir)
            return try await app(service).test(.router) { client in
                let id = try await createSituation(client)
                for asset in ["PWR-TS01", "PWR-TS02"] {
                    #expect(
                        try await client.execute(
                            uri: "/v1/situations/\(id)/reports", method: .post, headers: headers(Tok.centre), body: buffer(damagedReport(asset))
                        ).status == .created)
                }
                return (
                    id,
                    try decode(
                        SituationState.self,
                        try await client.execute(uri: "/v1/situations/\(id)/state?at=\(at)", method: .get, headers: headers(Tok.centre)))
                )
            }
        }()
        let again = try makeService(dir: dir)
        try await app(again).test(.router) { client in
            var after = try decode(
                SituationState.self, try await client.execute(uri: "/v1/situations/\(id)/state?at=\(at)", method: .get, headers: headers(Tok.centre)))
            after.computeMs = before.computeMs
            #expect(after == before)
            #expect(after.assetsDown >= 2)
        }
    }

    @Test func ownersSeeTheirOwnIds() async throws {
        let service = try makeService()
        try await app(service).test(.router) { client in
            let id = try await createSituation(client)
            _ = try await client.execute(
                uri: "/v1/situations/\(id)/reports", method: .post, headers: headers(Tok.centre), body: buffer(damagedReport()))
            let s = try decode(
                SituationState.self, try await client.execute(uri: "/v1/situations/\(id)/state", method: .get, headers: headers(Tok.ownerB)))
            #expect(s.down.allSatisfy { $0.owner == Tok.ownerBName })
        }
    }

    @Test func whatIfAnswers() async throws {
        let service = try makeService()
        try await app(service).test(.router) { client in
            let id = try await createSituation(client)
            _ = try await client.execute(
                uri: "/v1/situations/\(id)/reports", method: .post, headers: headers(Tok.centre), body: buffer(damagedReport()))
            let r = try await client.execute(
                uri: "/v1/situations/\(id)/whatif", method: .post, headers: headers(Tok.centre),
                body: buffer("{\"action\": \"restore_first\", \"ids\": [\"PWR-TS01\"], \"samples\": 20, \"horizon_hours\": 24}"))
            #expect(r.status == .ok)
            #expect(try decode(WhatIfResult.self, r).samples == 20)
            let bad = try await client.execute(uri: "/v1/situations/\(id)/outlook?samples=0", method: .get, headers: headers(Tok.centre))
            try expectProblem(bad, 400, errors: true)
        }
    }
}
