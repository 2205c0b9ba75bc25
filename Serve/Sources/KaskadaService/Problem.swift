import Foundation
import Hummingbird
import Situations

/// An error answered as `application/problem+json` (RFC 9457). `detail` and `errors` are written
/// for clients: never internals, paths of the server or stack traces.
public struct ProblemError: Error, Sendable {
    public var status: HTTPResponse.Status
    /// A short slug; the problem's `type` is `urn:kaskada:problem:<slug>`.
    public var slug: String
    public var title: String
    public var detail: String
    public var errors: [Problem]?
    public var headers: HTTPFields = [:]

    public init(_ status: HTTPResponse.Status, _ slug: String, _ title: String, detail: String, errors: [Problem]? = nil) {
        self.status = status; self.slug = slug; self.title = title; self.detail = detail; self.errors = errors
    }

    static func invalid(_ e: RequestError, what: String, status: HTTPResponse.Status = .unprocessableContent) -> ProblemError {
        ProblemError(status, "invalid-request", "Invalid request", detail: "the \(what) was refused: see errors", errors: e.problems)
    }
    static func badQuery(_ field: String, _ message: String) -> ProblemError {
        ProblemError(
            .badRequest, "invalid-query", "Invalid query parameter", detail: "query parameter \(field): \(message)",
            errors: [Problem(field: field, message)])
    }
    static func notFound(_ what: String) -> ProblemError {
        ProblemError(.notFound, "not-found", "Not found", detail: what)
    }
    static var unauthorized: ProblemError {
        var p = ProblemError(.unauthorized, "unauthorized", "Unauthorized", detail: "a valid bearer token is required")
        p.headers[.wwwAuthenticate] = "Bearer realm=\"kaskada\""
        return p
    }
    static func forbidden(_ role: String) -> ProblemError {
        ProblemError(.forbidden, "forbidden", "Forbidden", detail: "the role \(role) may not do this")
    }

    struct Body: Encodable {
        var type: String
        var title: String
        var status: Int
        var detail: String
        var errors: [Problem]?
    }

    func response() -> Response {
        let body = Body(type: "urn:kaskada:problem:" + slug, title: title, status: status.code, detail: detail, errors: errors)
        var h = headers
        h[.contentType] = "application/problem+json"
        return Response(status: status, headers: h, body: .init(byteBuffer: ByteBuffer(data: SituationJSON.encode(body))))
    }
}

/// JSON responses as SituationJSON writes them.
func json<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok) -> Response {
    Response(
        status: status, headers: [.contentType: "application/json"],
        body: .init(byteBuffer: ByteBuffer(data: SituationJSON.encode(value))))
}
