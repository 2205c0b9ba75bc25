import Foundation
import Hummingbird
import NIOCore
import ServiceStore
import Situations
import Synchronization

/// What a route allows.
enum Access {
    /// `centre` only.
    case centre
    /// `centre` and every owner.
    case centreAndOwners
    /// `centre`, owners and the public.
    case everyone
}

extension ServiceContext {
    /// The role, or 401 (no or unknown token) / 403 (role not allowed).
    func require(_ access: Access) throws -> Scope {
        guard let scope, !tokenRejected else { throw ProblemError.unauthorized }
        switch (access, scope) {
        case (_, .centre), (.everyone, _), (.centreAndOwners, .owner): return scope
        default: throw ProblemError.forbidden(scope.role)
        }
    }
}

/// Dates in queries and bodies: ISO 8601, with or without fractional seconds.
func parseDate(_ s: String) -> Date? {
    if let d = try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(s) { return d }
    return try? Date.ISO8601FormatStyle().parse(s)
}

/// Now, to the whole second (dates survive the JSON round trip to the store unchanged).
func nowSeconds() -> Date { Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down)) }

extension Request {
    var query: [String: String] {
        var q: [String: String] = [:]
        for (k, v) in uri.queryParameters { q[String(k)] = String(v) }
        return q
    }
    func at() throws -> Date {
        // now to the whole second: every date the service prints is whole seconds, and the
        // read routes' answers are cached per second (AnswerCache)
        guard let s = query["at"] else { return nowSeconds() }
        guard let d = parseDate(s) else { throw ProblemError.badQuery("at", "expected an ISO 8601 date-time such as 2026-05-01T06:00:00Z") }
        return d
    }
    func bodyData() async throws -> Data {
        let b = try await body.collect(upTo: 1 << 20)
        return Data(b.readableBytesView)
    }
}

extension KaskadaService {
    func box(_ context: ServiceContext) throws -> SituationBox {
        let id = try context.parameters.require("id")
        guard let b = registry.box(id) else { throw ProblemError.notFound("no situation \(id)") }
        return b
    }

    func auditRecord(_ request: Request, _ context: ServiceContext, status: Int, summary: String) -> AuditRecord {
        AuditRecord(
            at: Date(), role: context.scope?.role ?? "anonymous", method: request.method.rawValue, path: request.uri.path,
            status: status, requestSha256: context.bodyDigest, summary: summary)
    }

    func resource(_ name: String, _ ext: String, type: String) -> Response {
        guard let url = Bundle.module.url(forResource: name, withExtension: ext), let data = FileManager.default.contents(atPath: url.path) else {
            return ProblemError.notFound("\(name).\(ext) is not installed").response()
        }
        return Response(status: .ok, headers: [.contentType: type], body: .init(byteBuffer: ByteBuffer(data: data)))
    }

    /// Runs a forward computation off the cooperative pool, answering 503 when it takes longer
    /// than `computeSeconds` (the run itself goes on to its end, bounded by the domain's caps,
    /// and still counts against `maxConcurrentComputations` until then).
    func compute<T: Sendable>(_ work: @escaping @Sendable () throws(RequestError) -> T) async throws -> T {
        let running = computations.wrappingAdd(1, ordering: .acquiringAndReleasing).newValue
        if running > settings.maxConcurrentComputations {
            computations.wrappingSubtract(1, ordering: .acquiringAndReleasing)
            var p = ProblemError(
                .serviceUnavailable, "busy", "Busy", detail: "\(settings.maxConcurrentComputations) forward runs are under way; try again shortly")
            p.headers[.retryAfter] = "5"
            throw p
        }
        let delay = settings.testingComputeDelay
        let counter = self
        let limit = settings.computeSeconds
        let result: Result<T, any Error> = await withCheckedContinuation { cont in
            let once = Once(cont)
            DispatchQueue.global().async {
                if delay > 0 { Thread.sleep(forTimeInterval: delay) }
                let r: Result<T, any Error>
                do throws(RequestError) { r = .success(try work()) } catch { r = .failure(ProblemError.invalid(error, what: "query")) }
                counter.computations.wrappingSubtract(1, ordering: .acquiringAndReleasing)
                once.resume(r)
            }
            DispatchQueue.global().asyncAfter(deadline: .now() + limit) {
                once.resume(
                    .failure(
                        ProblemError(
                            .serviceUnavailable, "compute-time-limit", "Computation time limit",
                            detail: "the computation took longer than \(limit) s; ask for fewer samples or a shorter horizon")))
            }
        }
        return try result.get()
    }

    /// The key of an answer: route, situation, version, open or closed, scope, moment.
    static func cacheKey(_ route: String, _ s: Situation, _ at: Date, _ scope: Scope) -> String {
        "\(route)|\(s.id)|\(s.version)|\(s.closedAt == nil ? "open" : "closed")|\(scope.role)|\(at.timeIntervalSince1970)"
    }

    /// `make()` as JSON, computed once per key (AnswerCache).
    func cachedJSON<T: Encodable>(
        _ route: String, _ s: Situation, _ at: Date, _ scope: Scope,
        _ make: @escaping @Sendable () -> T
    ) async throws -> Response {
        let body = try await answers.answer(Self.cacheKey(route, s, at, scope)) { ByteBuffer(data: SituationJSON.encode(make())) }
        return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: body))
    }

    func checkCost(_ f: ForwardSettings) throws {
        let charged = ServiceSettings.chargedSampleHours(samples: f.samples, horizonHours: f.horizonHours)
        if charged > settings.maxSampleHours {
            let rule = "samples × max(horizon_hours, \(Int(ServiceSettings.minimumChargedHours)))"
            throw ProblemError(
                .unprocessableContent, "too-costly", "Computation too large",
                detail: "\(rule) may be at most \(Int(settings.maxSampleHours))",
                errors: [Problem(field: "samples", "\(rule) = \(Int(charged)) exceeds \(Int(settings.maxSampleHours))")])
        }
    }

    func makeRouter() -> Router<ServiceContext> {
        let router = Router(context: ServiceContext.self)

        router.get("/") { _, _ in self.resource("index", "html", type: "text/html; charset=utf-8") }
        router.get("/openapi.yaml") { _, _ in self.resource("openapi", "yaml", type: "application/yaml") }
        router.get("/healthz") { _, _ in json(["status": "ok"]) }

        let v1 = router.group("v1")

        v1.post("situations") { request, context in
            let scope = try context.require(.centre)
            let (name, startedAt) = try Self.parseNewSituation(try await request.bodyData())
            var bytes = [UInt8](repeating: 0, count: 6)
            for i in bytes.indices { bytes[i] = UInt8.random(in: 0...255) }
            let id = "s-" + bytes.map { String(format: "%02x", $0) }.joined()
            let s = Situation(id: id, name: name, startedAt: startedAt ?? nowSeconds(), source: self.source)
            try self.store.insertSituation(
                s.summary, audit: self.auditRecord(request, context, status: 201, summary: "situation \(id) created by \(scope.role)"))
            context.audited.done.store(true, ordering: .releasing)
            self.registry.add(SituationBox(s))
            return json(s.summary, status: .created)
        }

        v1.get("situations") { _, context in
            _ = try context.require(.centreAndOwners)
            return json(self.situations)
        }

        v1.post("situations/:id/close") { request, context in
            _ = try context.require(.centre)
            let b = try self.box(context)
            let at = nowSeconds()
            let s = try b.close(at: at) {
                try self.store.closeSituation(
                    id: b.id, at: at, audit: self.auditRecord(request, context, status: 200, summary: "situation \(b.id) closed"))
            }
            context.audited.done.store(true, ordering: .releasing)
            return json(s.summary)
        }

        v1.post("situations/:id/reports") { request, context in
            let scope = try context.require(.centre)
            let b = try self.box(context)
            let data = try await request.bodyData()
            let report: FieldReport
            do { report = try FieldReport.parse(data) } catch let error as RequestError { throw ProblemError.invalid(error, what: "report") }
            let accepted = try b.accept(report, receivedAt: nowSeconds(), by: scope.role) { a in
                try self.store.insertReport(
                    situationID: b.id, a,
                    audit: self.auditRecord(request, context, status: 201, summary: "report \(a.number) accepted (\(a.report.type.rawValue))"))
            }
            context.audited.done.store(true, ordering: .releasing)
            return json(accepted, status: .created)
        }

        v1.get("situations/:id/reports") { _, context in
            _ = try context.require(.centre)
            return json(try self.box(context).snapshot.reports)
        }

        v1.get("situations/:id/state") { request, context in
            let scope = try context.require(.centreAndOwners)
            let s = try self.box(context).snapshot
            let at = try request.at()
            try Self.noOtherQuery(request, allowed: ["at"])
            return try await self.cachedJSON("state", s, at, scope) { s.state(at: at, scope: scope) }
        }

        v1.get("situations/:id/outlook") { request, context in
            let scope = try context.require(.centreAndOwners)
            let s = try self.box(context).snapshot
            let at = try request.at()
            var q = request.query
            q["at"] = nil
            let f: ForwardSettings
            do { f = try ForwardSettings.parse(query: q) } catch let error as RequestError {
                throw ProblemError(
                    .badRequest, "invalid-query", "Invalid query parameter", detail: "the query was refused: see errors", errors: error.problems)
            }
            try self.checkCost(f)
            let threads = self.settings.threads
            let out = try await self.compute { () throws(RequestError) -> Outlook in
                try s.outlook(at: at, settings: f, threads: threads, scope: scope)
            }
            return json(out)
        }

        v1.post("situations/:id/whatif") { request, context in
            _ = try context.require(.centre)
            let s = try self.box(context).snapshot
            let at = try request.at()
            let parsed: (WhatIfAction, ForwardSettings)
            do { parsed = try WhatIfAction.parse(try await request.bodyData()) } catch let error as RequestError {
                throw ProblemError.invalid(error, what: "what-if")
            }
            try self.checkCost(parsed.1)
            let threads = self.settings.threads
            let out = try await self.compute { () throws(RequestError) -> WhatIfResult in
                try s.whatIf(parsed.0, at: at, settings: parsed.1, threads: threads)
            }
            return json(out)
        }

        v1.get("situations/:id/warnings") { request, context in
            let scope = try context.require(.centreAndOwners)
            let s = try self.box(context).snapshot
            let at = try request.at()
            try Self.noOtherQuery(request, allowed: ["at"])
            return try await self.cachedJSON("warnings", s, at, scope) { s.warningsNow(at: at) }
        }

        v1.get("situations/:id/warnings.cap") { request, context in
            _ = try context.require(.everyone)
            let s = try self.box(context).snapshot
            let at = try request.at()
            try Self.noOtherQuery(request, allowed: ["at"])
            let sender = "kaskada@" + self.settings.host
            let xml = try await self.answers.answer(Self.cacheKey("cap", s, at, .publicAudience)) {
                ByteBuffer(string: s.capAlerts(s.warningsNow(at: at), at: at, sender: sender))
            }
            return Response(status: .ok, headers: [.contentType: "application/cap+xml; charset=utf-8"], body: .init(byteBuffer: xml))
        }

        v1.get("situations/:id/briefs/:owner") { request, context in
            let scope = try context.require(.centreAndOwners)
            let owner = try context.parameters.require("owner")
            if case .owner(let mine) = scope, mine != owner { throw ProblemError.forbidden(scope.role) }
            let s = try self.box(context).snapshot
            guard self.source.owners.contains(owner) else { throw ProblemError.notFound("no owner \(owner) in the model") }
            let at = try request.at()
            do { return json(try s.brief(owner: owner, at: at)) } catch let error as RequestError {
                throw ProblemError.invalid(error, what: "brief request")
            }
        }

        v1.get("situations/:id/zones") { request, context in
            _ = try context.require(.centreAndOwners)
            let s = try self.box(context).snapshot
            try Self.noOtherQuery(request, allowed: [])
            return json(s.zoneAreas())
        }

        v1.get("situations/:id/events") { _, context in
            _ = try context.require(.centreAndOwners)
            return self.events(try self.box(context))
        }

        v1.get("audit") { request, context in
            _ = try context.require(.centre)
            let q = request.query
            var after: Int64 = 0
            var limit = 100
            if let a = q["after"] {
                guard let v = Int64(a), v >= 0 else { throw ProblemError.badQuery("after", "expected a whole number ≥ 0") }; after = v
            }
            if let l = q["limit"] {
                guard let v = Int(l), (1...1000).contains(v) else { throw ProblemError.badQuery("limit", "expected a whole number from 1 to 1000") };
                limit = v
            }
            return json(try self.store.audit(after: after, limit: limit))
        }
        return router
    }

    static func noOtherQuery(_ request: Request, allowed: Set<String>) throws {
        for k in request.query.keys where !allowed.contains(k) { throw ProblemError.badQuery(k, "unknown query parameter") }
    }

    /// `{"name": "...", "started_at": "ISO 8601"?}`; unknown keys and wrong types are problems.
    static func parseNewSituation(_ data: Data) throws -> (String, Date?) {
        guard let obj = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw ProblemError(
                .badRequest, "invalid-json", "Invalid JSON", detail: "the body must be a JSON object",
                errors: [Problem(field: "", "expected a JSON object")])
        }
        var problems: [Problem] = []
        for k in obj.keys.sorted() where k != "name" && k != "started_at" { problems.append(Problem(field: k, "unknown key")) }
        var name = ""
        if let n = obj["name"] as? String {
            name = n.trimmingCharacters(in: .whitespacesAndNewlines)
            if name.isEmpty { problems.append(Problem(field: "name", "must not be empty")) }
            if name.count > 200 { problems.append(Problem(field: "name", "at most 200 characters")) }
        } else {
            problems.append(Problem(field: "name", obj["name"] == nil ? "required" : "expected a string"))
        }
        var started: Date?
        if let v = obj["started_at"] {
            if let s = v as? String, let d = parseDate(s) {
                started = Date(timeIntervalSince1970: d.timeIntervalSince1970.rounded(.down))
            } else {
                problems.append(Problem(field: "started_at", "expected an ISO 8601 date-time such as 2026-05-01T06:00:00Z"))
            }
        }
        if !problems.isEmpty { throw ProblemError.invalid(RequestError(problems), what: "situation") }
        return (name, started)
    }

    /// Server-sent events: `version` at once, then `report` and `close`, heartbeat comments between.
    func events(_ box: SituationBox) -> Response {
        let (stream, cont) = AsyncStream.makeStream(of: ServerEvent.self, bufferingPolicy: .bufferingNewest(1024))
        let (listener, s) = box.listen(cont)
        let heartbeat = settings.heartbeatSeconds
        let body = ResponseBody { writer in
            let beat = Task {
                while !Task.isCancelled {
                    try? await Task.sleep(for: .seconds(heartbeat))
                    cont.yield(.heartbeat)
                }
            }
            defer { beat.cancel(); box.stopListening(listener); cont.finish() }
            try await writer.write(ByteBuffer(string: "event: version\ndata: {\"version\":\(s.version)}\n\n"))
            if let closed = s.closedAt {
                try await writer.write(ByteBuffer(string: Self.sse(.closed(version: s.version, at: closed))))
            } else {
                for await e in stream {
                    try await writer.write(ByteBuffer(string: Self.sse(e)))
                    if case .closed = e { break }
                }
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-cache"], body: body)
    }

    static func sse(_ e: ServerEvent) -> String {
        switch e {
        case .report(let v): return "event: report\nid: \(v)\ndata: {\"version\":\(v)}\n\n"
        case .closed(let v, let at):
            return "event: close\nid: \(v)\ndata: {\"closed_at\":\"\(at.formatted(Date.ISO8601FormatStyle()))\",\"version\":\(v)}\n\n"
        case .heartbeat: return ": heartbeat\n\n"
        }
    }
}

/// Resumes a continuation once: the first of the result and the time limit wins.
final class Once<T: Sendable>: Sendable {
    let cont: Mutex<CheckedContinuation<T, Never>?>
    init(_ c: CheckedContinuation<T, Never>) { cont = Mutex(c) }
    func resume(_ v: T) {
        let c = cont.withLock { c -> CheckedContinuation<T, Never>? in
            let x = c; c = nil; return x
        }
        c?.resume(returning: v)
    }
}
