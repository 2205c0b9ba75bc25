import Foundation
import Situations
import Synchronization

/// What the event stream of a situation tells its listeners.
enum ServerEvent: Sendable {
    case report(version: Int)
    case closed(version: Int, at: Date)
    case heartbeat
}

/// One situation: its value behind a lock that serialises accept and close, and the listeners
/// of its event stream. Reads take a copy of the value (`snapshot`) and compute outside the lock.
final class SituationBox: Sendable {
    struct Inner {
        var situation: Situation
        var listeners: [Int: AsyncStream<ServerEvent>.Continuation] = [:]
        var nextListener = 0
    }
    let id: String
    private let inner: Mutex<Inner>

    init(_ s: Situation) {
        id = s.id
        inner = Mutex(Inner(situation: s))
    }

    var snapshot: Situation { inner.withLock { $0.situation } }

    /// Accepts `report` on a copy, runs `persist` (which must commit it) while still holding the
    /// lock, then installs the copy and tells the listeners. A refused report or a failed commit
    /// leaves the situation unchanged.
    func accept(
        _ report: FieldReport, receivedAt: Date, by: String,
        persist: (AcceptedReport) throws -> Void
    ) throws -> AcceptedReport {
        try inner.withLock { inner in
            var copy = inner.situation
            if copy.closedAt != nil {
                throw ProblemError(.conflict, "closed", "Situation closed", detail: "the situation is closed: it takes no more reports")
            }
            do throws(RequestError) { try copy.accept(report, receivedAt: receivedAt, by: by) } catch {
                throw ProblemError.invalid(error, what: "report")
            }
            guard let accepted = copy.reports.last else {
                throw ProblemError(.internalServerError, "internal", "Internal error", detail: "internal error")
            }
            try persist(accepted)
            inner.situation = copy
            for l in inner.listeners.values { l.yield(.report(version: copy.version)) }
            return accepted
        }
    }

    /// Closes the situation (persisting first); the event streams end after a `close` event.
    func close(at: Date, persist: () throws -> Void) throws -> Situation {
        try inner.withLock { inner in
            if inner.situation.closedAt != nil {
                throw ProblemError(.conflict, "closed", "Situation closed", detail: "the situation is already closed")
            }
            var copy = inner.situation
            copy.close(at: at)
            try persist()
            inner.situation = copy
            for l in inner.listeners.values {
                l.yield(.closed(version: copy.version, at: at))
                l.finish()
            }
            inner.listeners = [:]
            return copy
        }
    }

    /// Adds a listener; returns its number and the situation as it was when added (the stream
    /// then carries every later change). A closed situation gets no listener.
    func listen(_ c: AsyncStream<ServerEvent>.Continuation) -> (Int, Situation) {
        inner.withLock { inner in
            let n = inner.nextListener
            inner.nextListener += 1
            if inner.situation.closedAt == nil { inner.listeners[n] = c }
            return (n, inner.situation)
        }
    }

    func stopListening(_ n: Int) {
        _ = inner.withLock { $0.listeners.removeValue(forKey: n) }
    }

    var listenerCount: Int { inner.withLock { $0.listeners.count } }
}

/// Every situation of the service, by id.
final class Registry: Sendable {
    private let boxes = Mutex<[String: SituationBox]>([:])

    func add(_ b: SituationBox) { boxes.withLock { $0[b.id] = b } }
    func box(_ id: String) -> SituationBox? { boxes.withLock { $0[id] } }
    var all: [SituationBox] { boxes.withLock { Array($0.values) } }
}
