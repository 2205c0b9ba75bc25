import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceStore
import Situations
import Synchronization

/// Settings of a service (the command line's flags).
public struct ServiceSettings: Sendable {
    /// Folder of `kaskada-serve.sqlite`.
    public var dataDirectory: String
    /// Tokens and roles; nil: no tokens, every request is `centre` (loopback only).
    public var tokens: TokenTable?
    /// Threads of a forward run (outlook, what-if).
    public var threads: Int = max(1, ProcessInfo.processInfo.activeProcessorCount)
    /// Requests per second per token, and the burst.
    public var rate: Double = 20
    public var burst: Double = 40
    /// Largest request body (bytes).
    public var maxBodyBytes: Int = 1 << 20
    /// Seconds an outlook or what-if may take before the answer is 503.
    public var computeSeconds: Double = 30
    /// Largest charged sample-hours of one forward run (`chargedSampleHours`;
    /// `defaultMaxSampleHours` unless set).
    public var maxSampleHours: Double = Self.defaultMaxSampleHours
    /// Each sample is charged at least this many hours: drawing a sample's state and its first
    /// cascade cost about as much as 50 simulated hours (debug build, flooded municipality:
    /// 2,000 samples take 3.6 s over 1 h and 9.1 s over 72 h), so a cap on samples × hours alone
    /// let 68,410 samples over 1.1 h through, which ran past the time limit.
    public static let minimumChargedHours: Double = 72
    /// The cost of a forward run that `maxSampleHours` caps: samples × max(horizon_hours, 72).
    public static func chargedSampleHours(samples: Int, horizonHours: Double) -> Double {
        Double(samples) * max(horizonHours, minimumChargedHours)
    }
    /// 10^4 samples over 72 h: on the shipped municipality (4,077 assets, release build, 2
    /// threads) that takes well within the default 30 s (benchmarks/serve.sh), so an accepted
    /// request is answered rather than cut off with 503; raise it with the model's size in mind.
    public static let defaultMaxSampleHours: Double = 10_000 * 72
    /// Forward runs at once; more are answered 503 at once.
    public var maxConcurrentComputations: Int = 2
    /// Seconds between heartbeat comments of the event streams.
    public var heartbeatSeconds: Double = 15
    /// Host named in CAP senders (`kaskada@<host>`).
    public var host: String = "localhost"
    /// Tests only: seconds each forward run sleeps first (to exercise the time limit).
    public var testingComputeDelay: Double = 0

    public init(dataDirectory: String) { self.dataDirectory = dataDirectory }
}

/// The request context: who is asking (set by the gate before routing).
public struct ServiceContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The role of the bearer token (nil: no token).
    public var scope: Scope?
    /// A token was presented but is unknown.
    public var tokenRejected = false
    /// SHA-256 (hex) of the request body.
    public var bodyDigest = ""
    /// Set when a handler wrote the audit row itself (in the transaction of its change).
    let audited = AuditMark()

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
    }
    public var maxUploadSize: Int { 1 << 20 }
}

final class AuditMark: Sendable {
    let done = Atomic<Bool>(false)
}

/// The service: a source, its store, its situations; builds the Hummingbird application.
public final class KaskadaService: Sendable {
    public let source: SituationSource
    public let settings: ServiceSettings
    public let store: ServiceStore
    let registry = Registry()
    let limiter: RateLimiter
    let computations = Atomic<Int>(0)
    /// Encoded answers of state, warnings and CAP per version, scope and second.
    let answers = AnswerCache()
    let logger = Logger(label: "kaskada-serve")

    /// Opens the store in `settings.dataDirectory` and restores every situation from it.
    public init(source: SituationSource, settings: ServiceSettings) throws {
        self.source = source
        self.settings = settings
        self.limiter = RateLimiter(rate: settings.rate, burst: settings.burst)
        self.store = try ServiceStore(directory: settings.dataDirectory)
        for s in try store.loadSituations() {
            var sit = Situation(id: s.id, name: s.name, startedAt: s.startedAt, source: source)
            sit.restore(s.reports, closedAt: s.closedAt)
            registry.add(SituationBox(sit))
        }
    }

    /// Summaries of every situation, by start time.
    public var situations: [SituationSummary] {
        registry.all.map(\.snapshot.summary).sorted { ($0.startedAt, $0.id) < ($1.startedAt, $1.id) }
    }

    /// Listeners of a situation's event stream (tests).
    /// Answers held by the read routes' cache (for tests).
    public var cachedAnswers: Int { answers.count }

    public func listenerCount(situation id: String) -> Int { registry.box(id)?.listenerCount ?? 0 }

    /// The responder: the gate (tokens, rate limit, body limit, problems, audit) around the router.
    public func responder() -> Gate<RouterResponder<ServiceContext>> {
        Gate(service: self, inner: makeRouter().buildResponder())
    }

    /// The application listening on `host:port`; `onRunning` gets the bound port.
    public func application(host: String, port: Int, onRunning: @escaping @Sendable (Int) async -> Void = { _ in })
        -> some ApplicationProtocol
    {
        Application(
            responder: responder(),
            configuration: .init(address: .hostname(host, port: port), serverName: "kaskada-serve"),
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? port) },
            logger: logger
        )
    }
}

/// Every request passes here: who is asking, rate limit, body size, problem+json for every
/// error, and one audit row for every POST (unless its handler wrote it with its change).
public struct Gate<Inner: HTTPResponder>: HTTPResponder where Inner.Context == ServiceContext {
    public typealias Context = ServiceContext
    let service: KaskadaService
    let inner: Inner

    /// `Bearer <token>` from `?access_token=` on a GET of an event stream only: a browser's
    /// EventSource cannot send headers. Elsewhere the query token is ignored, so tokens stay out
    /// of the logs of every other route (a reverse proxy should not log query strings of
    /// `/events`; see docs/serve-api.md).
    static func eventStreamToken(_ request: Request) -> String? {
        guard request.method == .get, request.uri.path.hasSuffix("/events"),
            let t = request.uri.queryParameters["access_token"], !t.isEmpty
        else { return nil }
        return "Bearer " + String(t)
    }

    public func respond(to request: Request, context: ServiceContext) async throws -> Response {
        var request = request
        var ctx = context
        let isWrite = request.method == .post
        ctx.bodyDigest = emptyBodySha256
        var response: Response
        var problemDetail: String?
        do {
            var key = "anonymous"
            if let tokens = service.settings.tokens {
                if let auth = request.headers[.authorization] ?? Self.eventStreamToken(request) {
                    let parts = auth.split(separator: " ", maxSplits: 1)
                    if parts.count == 2, parts[0].lowercased() == "bearer",
                        let m = tokens.match(parts[1].trimmingCharacters(in: .whitespaces))
                    {
                        ctx.scope = m.scope
                        key = "token-\(m.index)" // one bucket per token (digests are unique in the file)
                    } else {
                        ctx.tokenRejected = true
                        key = "rejected"
                    }
                }
            } else {
                ctx.scope = .centre
                key = "loopback"
            }
            if let wait = service.limiter.take(key) {
                var p = ProblemError(
                    .tooManyRequests, "rate-limited", "Too many requests",
                    detail: "at most \(service.settings.rate) requests per second (bursts of \(Int(service.settings.burst))) per token")
                p.headers[.retryAfter] = String(max(1, Int(wait.rounded(.up))))
                throw p
            }
            if isWrite {
                let max = service.settings.maxBodyBytes
                if let cl = request.headers[.contentLength].flatMap({ Int($0) }), cl > max { throw Self.tooLarge(max) }
                let buffer: ByteBuffer
                do { buffer = try await request.collectBody(upTo: max) } catch let e as any HTTPResponseError where e.status == .contentTooLarge {
                    throw Self.tooLarge(max)
                }
                ctx.bodyDigest = sha256Hex(Data(buffer.readableBytesView))
            }
            response = try await inner.respond(to: request, context: ctx)
            if response.status.code >= 400, response.headers[.contentType] != "application/problem+json" {
                let p = Self.generic(response.status)
                problemDetail = p.detail
                response = p.response()
            }
        } catch let p as ProblemError {
            problemDetail = p.detail + (p.errors.map { ": " + $0.map { "\($0.field) \($0.message)" }.joined(separator: "; ") } ?? "")
            response = p.response()
        } catch let e as any HTTPResponseError {
            let p = Self.generic(e.status)
            problemDetail = p.detail
            response = p.response()
        } catch {
            service.logger.error("internal error: \(String(describing: error)) on \(request.method) \(request.uri.path)")
            let p = ProblemError(.internalServerError, "internal", "Internal error", detail: "the request failed inside the service; it was logged")
            problemDetail = "internal error"
            response = p.response()
        }
        if isWrite, !ctx.audited.done.load(ordering: .acquiring) {
            let role = ctx.scope?.role ?? (ctx.tokenRejected ? "invalid-token" : "anonymous")
            let summary = String((problemDetail ?? "ok").prefix(500))
            do {
                try service.store.appendAudit(
                    AuditRecord(
                        at: Date(), role: role, method: request.method.rawValue, path: request.uri.path,
                        status: response.status.code, requestSha256: ctx.bodyDigest, summary: summary))
            } catch {
                service.logger.error("audit write failed: \(String(describing: error))")
                if response.status.code < 400 {
                    return ProblemError(.internalServerError, "internal", "Internal error", detail: "the request could not be audited").response()
                }
            }
        }
        return response
    }

    static func tooLarge(_ max: Int) -> ProblemError {
        ProblemError(.contentTooLarge, "too-large", "Content too large", detail: "request bodies are limited to \(max) bytes")
    }

    static func generic(_ status: HTTPResponse.Status) -> ProblemError {
        switch status.code {
        case 404: return ProblemError(.notFound, "not-found", "Not found", detail: "no such route")
        case 405: return ProblemError(status, "method-not-allowed", "Method not allowed", detail: "the route does not take this method")
        default: return ProblemError(status, "http-\(status.code)", status.reasonPhrase, detail: status.reasonPhrase)
        }
    }
}
