import Foundation
import GRDB
import Situations

/// One row of the audit log, as read back (`GET /v1/audit`).
public struct AuditEntry: Sendable, Equatable, Codable {
    public var seq: Int64
    public var at: Date
    public var role: String
    public var method: String
    public var path: String
    public var status: Int
    /// SHA-256 of the request body (hex; the digest of the empty body when there was none).
    public var requestSha256: String
    public var summary: String
}

/// An audit row to append (its `seq` is given by the database).
public struct AuditRecord: Sendable, Equatable {
    public var at: Date
    public var role: String
    public var method: String
    public var path: String
    public var status: Int
    public var requestSha256: String
    public var summary: String
    public init(at: Date, role: String, method: String, path: String, status: Int, requestSha256: String, summary: String) {
        self.at = at; self.role = role; self.method = method; self.path = path; self.status = status
        self.requestSha256 = requestSha256; self.summary = summary
    }
}

/// A situation as stored, with its reports in number order.
public struct StoredSituation: Sendable {
    public var id: String
    public var name: String
    public var source: String
    public var startedAt: Date
    public var closedAt: Date?
    public var reports: [AcceptedReport]
}

/// Why the store refused or failed (messages are safe to log, never sent to clients verbatim).
public struct StoreError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ d: String) { description = d }
}

/// Situations, reports and the append-only audit log in one SQLite file (`kaskada-serve.sqlite`):
/// WAL journal, `synchronous = FULL` (a committed transaction survives a power cut), audit rows
/// protected against UPDATE and DELETE by triggers. Every method is one transaction.
public final class ServiceStore: Sendable {
    public let path: String
    let db: DatabasePool

    public static let fileName = "kaskada-serve.sqlite"

    /// Opens (creating when needed) `directory/kaskada-serve.sqlite`.
    public init(directory: String) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        path = (directory as NSString).appendingPathComponent(Self.fileName)
        var config = Configuration()
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        config.busyMode = .timeout(10)
        db = try DatabasePool(path: path, configuration: config)
        try Self.migrator.migrate(db)
    }

    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE situation (
                        id TEXT PRIMARY KEY NOT NULL,
                        name TEXT NOT NULL,
                        source TEXT NOT NULL,
                        started_at TEXT NOT NULL,
                        closed_at TEXT
                    );
                    CREATE TABLE report (
                        situation_id TEXT NOT NULL REFERENCES situation(id),
                        number INTEGER NOT NULL,
                        received_at TEXT NOT NULL,
                        by_role TEXT NOT NULL,
                        body TEXT NOT NULL,
                        PRIMARY KEY (situation_id, number)
                    );
                    CREATE TABLE audit (
                        seq INTEGER PRIMARY KEY AUTOINCREMENT,
                        at TEXT NOT NULL,
                        role TEXT NOT NULL,
                        method TEXT NOT NULL,
                        path TEXT NOT NULL,
                        status INTEGER NOT NULL,
                        request_sha256 TEXT NOT NULL,
                        summary TEXT NOT NULL
                    );
                    CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
                        BEGIN SELECT RAISE(ABORT, 'audit rows are append-only'); END;
                    CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
                        BEGIN SELECT RAISE(ABORT, 'audit rows are append-only'); END;
                    """)
        }
        return m
    }

    // MARK: Dates as text (ISO 8601 with milliseconds, UTC), sortable and readable.

    static func text(_ d: Date) -> String {
        d.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
    static func date(_ s: String) throws -> Date {
        if let d = try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(s) { return d }
        if let d = try? Date.ISO8601FormatStyle().parse(s) { return d }
        throw StoreError("bad date in the database: \(s)")
    }

    // MARK: Writes

    /// Stores a new situation and the audit row of its creation, in one transaction.
    public func insertSituation(_ s: SituationSummary, audit: AuditRecord) throws {
        try db.write { db in
            try db.execute(
                sql: "INSERT INTO situation (id, name, source, started_at, closed_at) VALUES (?, ?, ?, ?, NULL)",
                arguments: [s.id, s.name, s.source, Self.text(s.startedAt)])
            try Self.append(audit, db)
        }
    }

    /// Marks a situation closed and appends the audit row, in one transaction.
    public func closeSituation(id: String, at: Date, audit: AuditRecord) throws {
        try db.write { db in
            try db.execute(
                sql: "UPDATE situation SET closed_at = ? WHERE id = ? AND closed_at IS NULL",
                arguments: [Self.text(at), id])
            try Self.append(audit, db)
        }
    }

    /// Stores an accepted report and its audit row in one transaction; returns once committed.
    public func insertReport(situationID: String, _ r: AcceptedReport, audit: AuditRecord) throws {
        let body = String(decoding: SituationJSON.encode(r.report), as: UTF8.self)
        try db.write { db in
            try db.execute(
                sql: "INSERT INTO report (situation_id, number, received_at, by_role, body) VALUES (?, ?, ?, ?, ?)",
                arguments: [situationID, r.number, Self.text(r.receivedAt), r.by, body])
            try Self.append(audit, db)
        }
    }

    /// Appends one audit row on its own.
    public func appendAudit(_ a: AuditRecord) throws {
        try db.write { db in try Self.append(a, db) }
    }

    static func append(_ a: AuditRecord, _ db: Database) throws {
        try db.execute(
            sql: """
                INSERT INTO audit (at, role, method, path, status, request_sha256, summary) VALUES (?, ?, ?, ?, ?, ?, ?)
                """, arguments: [text(a.at), a.role, a.method, a.path, a.status, a.requestSha256, a.summary])
    }

    // MARK: Reads

    /// Every situation with its reports, in order of start (then id).
    public func loadSituations() throws -> [StoredSituation] {
        try db.read { db in
            var out: [StoredSituation] = []
            let rows = try Row.fetchAll(db, sql: "SELECT id, name, source, started_at, closed_at FROM situation ORDER BY started_at, id")
            let decoder = SituationJSON.decoder()
            for row in rows {
                let id: String = row["id"]
                let closed: String? = row["closed_at"]
                var reports: [AcceptedReport] = []
                for r in try Row.fetchAll(
                    db, sql: "SELECT number, received_at, by_role, body FROM report WHERE situation_id = ? ORDER BY number",
                    arguments: [id])
                {
                    let body: String = r["body"]
                    let report = try decoder.decode(FieldReport.self, from: Data(body.utf8))
                    reports.append(AcceptedReport(number: r["number"], receivedAt: try Self.date(r["received_at"]), by: r["by_role"], report: report))
                }
                out.append(
                    StoredSituation(
                        id: id, name: row["name"], source: row["source"], startedAt: try Self.date(row["started_at"]),
                        closedAt: try closed.map(Self.date), reports: reports))
            }
            return out
        }
    }

    /// Audit rows with `seq > after`, at most `limit`, in order.
    public func audit(after: Int64, limit: Int) throws -> [AuditEntry] {
        try db.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM audit WHERE seq > ? ORDER BY seq LIMIT ?", arguments: [after, limit]).map { r in
                AuditEntry(
                    seq: r["seq"], at: try Self.date(r["at"]), role: r["role"], method: r["method"], path: r["path"],
                    status: r["status"], requestSha256: r["request_sha256"], summary: r["summary"])
            }
        }
    }

    /// Number of stored reports of a situation.
    public func reportCount(situationID: String) throws -> Int {
        try db.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM report WHERE situation_id = ?", arguments: [situationID]) ?? 0 }
    }

    /// Runs raw SQL (tests: to show that audit rows cannot be changed).
    public func executeForTesting(_ sql: String) throws {
        try db.write { db in try db.execute(sql: sql) }
    }
}
