import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import KaskadaService
import ServiceStore
import Situations
import Testing

/// The repository root (this file is Serve/Tests/KaskadaServiceTests/Support.swift).
let repositoryRoot: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()
let servePackage = repositoryRoot.appendingPathComponent("Serve")

/// The shipped municipality model `scenarios/networks/riverside`, loaded once.
let riverside: SituationSource = {
    do { return try SituationSource.load(path: repositoryRoot.appendingPathComponent("scenarios/networks/riverside").path) } catch {
        fatalError("cannot load riverside: \(error)")
    }
}()

/// A stand-in for `FieldReport.parse` until the Situations implementation lands: plain Codable
/// decoding (no refusal of unknown keys). Used only where a test needs reports to be accepted to
/// exercise the HTTP layer (numbering, storage, restart, events); the same tests run with the
/// domain's parser in `DomainTests` once it is there.
enum Tok {
    static let centre = "centre-token-0123456789abcdef"
    static let ownerA = "owner-a-token-0123456789abcdef"
    static let ownerB = "owner-b-token-0123456789abcdef"
    static let pub = "public-token-0123456789abcdef"
    static var ownerAName: String { riverside.owners[0] }
    static var ownerBName: String { riverside.owners[1] }
    static func table() throws -> TokenTable {
        let text = """
            # test tokens
            \(TokenTable.line(token: centre, role: "centre"))
            \(TokenTable.line(token: ownerA, role: "owner:" + ownerAName))

            \(TokenTable.line(token: ownerB, role: "owner:" + ownerBName))
            \(TokenTable.line(token: pub, role: "public"))
            """
        return try TokenTable.parse(text, name: "tokens", owners: riverside.owners)
    }
}

func tempDir() -> String {
    let d = FileManager.default.temporaryDirectory.appendingPathComponent("kaskada-serve-tests-" + UUID().uuidString).path
    try? FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
    return d
}

func makeService(
    dir: String = tempDir(), tokens: Bool = true,
    configure: (inout ServiceSettings) -> Void = { _ in }
) throws -> KaskadaService {
    var s = ServiceSettings(dataDirectory: dir)
    if tokens { s.tokens = try Tok.table() }
    s.rate = 100_000
    s.burst = 100_000
    s.heartbeatSeconds = 0.2
    s.threads = 1
    configure(&s)
    return try KaskadaService(source: riverside, settings: s)
}

func app(_ service: KaskadaService) -> some ApplicationProtocol {
    Application(responder: service.responder())
}

func headers(_ token: String?, json: Bool = false) -> HTTPFields {
    var h: HTTPFields = [:]
    if let token { h[.authorization] = "Bearer " + token }
    if json { h[.contentType] = "application/json" }
    return h
}

func buffer(_ s: String) -> ByteBuffer { ByteBuffer(string: s) }

func decode<T: Decodable>(_ type: T.Type, _ r: TestResponse) throws -> T {
    try SituationJSON.decoder().decode(T.self, from: Data(r.body.readableBytesView))
}

/// Creates a situation as centre; returns its id.
func createSituation(_ client: some TestClientProtocol, token: String? = Tok.centre, name: String = "flood") async throws -> String {
    let r = try await client.execute(
        uri: "/v1/situations", method: .post, headers: headers(token, json: true),
        body: buffer("{\"name\": \"\(name)\"}"))
    #expect(r.status == .created)
    return try decode(SituationSummary.self, r).id
}

/// Checks an answer is problem+json with the RFC 9457 members; returns the object.
@discardableResult
func expectProblem(_ r: TestResponse, _ status: Int, errors: Bool = false, sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Any]
{
    #expect(r.status.code == status, "status", sourceLocation: sourceLocation)
    #expect(r.headers[.contentType] == "application/problem+json", sourceLocation: sourceLocation)
    let obj = try #require(try JSONSerialization.jsonObject(with: Data(r.body.readableBytesView)) as? [String: Any], sourceLocation: sourceLocation)
    #expect(obj["type"] is String, sourceLocation: sourceLocation)
    #expect(obj["title"] is String, sourceLocation: sourceLocation)
    #expect(obj["status"] as? Int == status, sourceLocation: sourceLocation)
    #expect(obj["detail"] is String, sourceLocation: sourceLocation)
    if errors {
        let list = try #require(obj["errors"] as? [[String: Any]], sourceLocation: sourceLocation)
        #expect(!list.isEmpty, sourceLocation: sourceLocation)
        for e in list { #expect(e["field"] is String && e["message"] is String, sourceLocation: sourceLocation) }
    }
    let text = String(buffer: r.body)
    #expect(!text.contains("/work/") && !text.contains("Error("), "no internals", sourceLocation: sourceLocation)
    return obj
}

/// A report JSON of the model: `damaged` of one asset.
func damagedReport(_ id: String = "PWR-TS01") -> String { "{\"type\": \"damaged\", \"ids\": [\"\(id)\"]}" }
