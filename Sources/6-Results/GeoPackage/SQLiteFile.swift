import CSQLite

/// A failure of SQLite while writing `path`: what was being done and SQLite's own message.
public struct SQLiteError: Error, CustomStringConvertible {
    public let path: String
    public let message: String
    public var description: String { "\(path): \(message)" }
}

/// One SQLite database file opened for writing, with prepared statements: the thin layer between
/// the GeoPackage writer and SQLite's C API (Debian `libsqlite3-dev`).
final class SQLiteFile {
    let path: String
    private var db: OpaquePointer?

    /// Creates (or truncates) the database at `path`.
    init(creating path: String) throws {
        self.path = path
        var handle: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
        guard sqlite3_open_v2(path, &handle, flags, nil) == SQLITE_OK, let handle else {
            let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open"
            sqlite3_close(handle)
            throw SQLiteError(path: path, message: "cannot create the database: \(message)")
        }
        db = handle
    }

    deinit { close() }

    /// Closes the file (idempotent).
    func close() {
        if let db { sqlite3_close(db) }
        db = nil
    }

    /// Runs `sql` (one or more statements without parameters).
    func execute(_ sql: String) throws {
        guard sqlite3_exec(db, sql, nil, nil, nil) == SQLITE_OK else { throw failure("\(sql.prefix(60))…") }
    }

    /// A prepared statement of `sql`.
    func prepare(_ sql: String) throws -> Statement {
        var s: OpaquePointer?
        guard sqlite3_prepare_v2(db, sql, -1, &s, nil) == SQLITE_OK, let s else { throw failure("\(sql.prefix(60))…") }
        return Statement(file: self, handle: s)
    }

    /// The first column of the first row of `sql` as an integer (0 when there is no row).
    func integer(_ sql: String) throws -> Int {
        var s: OpaquePointer?
        guard sqlite3_prepare_v2(db, sql, -1, &s, nil) == SQLITE_OK, let s else { throw failure("\(sql.prefix(60))…") }
        defer { sqlite3_finalize(s) }
        switch sqlite3_step(s) {
        case SQLITE_ROW: return Int(sqlite3_column_int64(s, 0))
        case SQLITE_DONE: return 0
        default: throw failure("\(sql.prefix(60))…")
        }
    }

    func failure(_ doing: String) -> SQLiteError {
        SQLiteError(path: path, message: "\(doing): \(db.map { String(cString: sqlite3_errmsg($0)) } ?? "closed")")
    }

    /// A prepared statement: bind the parameters (1-based), `run`, bind again.
    final class Statement {
        unowned let file: SQLiteFile
        private let handle: OpaquePointer

        init(file: SQLiteFile, handle: OpaquePointer) {
            self.file = file
            self.handle = handle
        }

        deinit { sqlite3_finalize(handle) }

        func bind(_ i: Int32, text: String) { _ = kaskada_sqlite_bind_text(handle, i, text) }
        func bind(_ i: Int32, real: Double) {
            if real.isNaN { bindNull(i) } else { _ = sqlite3_bind_double(handle, i, real) }
        }
        func bind(_ i: Int32, integer: Int) { _ = sqlite3_bind_int64(handle, i, Int64(integer)) }
        func bind(_ i: Int32, blob: [UInt8]) { _ = kaskada_sqlite_bind_blob(handle, i, blob, Int32(blob.count)) }
        func bindNull(_ i: Int32) { _ = sqlite3_bind_null(handle, i) }

        /// Executes the statement once (a statement that returns no rows), then resets it.
        func run() throws {
            let rc = sqlite3_step(handle)
            sqlite3_reset(handle)
            guard rc == SQLITE_DONE else { throw file.failure("writing a row") }
        }
    }
}
