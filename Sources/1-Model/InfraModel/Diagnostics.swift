/// One problem found in an input file: where it is, which field, what was expected.
public struct Diagnostic: Sendable, Equatable, CustomStringConvertible {
    public enum Severity: String, Sendable { case error, warning }
    public var severity: Severity
    public var file: String
    /// 1-based line, 0 when the problem concerns the whole file.
    public var line: Int
    /// 1-based column for YAML and GeoJSON, nil for CSV.
    public var column: Int?
    /// The column, key or key path concerned ("" when none).
    public var field: String
    public var message: String

    public init(
        _ severity: Severity = .error, file: String, line: Int, column: Int? = nil,
        field: String, _ message: String
    ) {
        self.severity = severity
        self.file = file
        self.line = line
        self.column = column
        self.field = field
        self.message = message
    }

    /// `file:line[:column]: error: field 'name': message`.
    public var description: String {
        var s = file
        if line > 0 { s += ":\(line)" }
        if let c = column, line > 0 { s += ":\(c)" }
        s += ": \(severity.rawValue): "
        if !field.isEmpty { s += "field '\(field)': " }
        return s + message
    }
}

/// Collects diagnostics, at most `limit` errors per file, in file order: the one problem
/// collector of Kaskada (input files, result files read back, request bodies of a situation).
public struct DiagnosticBag: Sendable {
    /// Errors kept per file (docs/specification.md section 7: up to 50).
    public static let limit = 50
    public private(set) var items: [Diagnostic] = []
    private var perFile: [String: Int] = [:]
    /// Errors recorded in all files (counting beyond the limit).
    public private(set) var errorCount = 0
    public init() {}

    /// Whether nothing (no error, no warning) has been recorded.
    public var isEmpty: Bool { items.isEmpty && errorCount == 0 }
    public var hasErrors: Bool { items.contains { $0.severity == .error } }
    public var errors: [Diagnostic] { items.filter { $0.severity == .error } }
    public var warnings: [Diagnostic] { items.filter { $0.severity == .warning } }

    /// Number of errors recorded for `file` (counting beyond the limit).
    public func errorCount(file: String) -> Int { perFile[file] ?? 0 }

    /// Whether `file` already has `limit` errors (further ones are counted, not kept).
    public func isFull(file: String) -> Bool { (perFile[file] ?? 0) >= Self.limit }

    /// Errors counted but not kept, per file (only files with some).
    public var omitted: [String: Int] {
        perFile.filter { $0.value > Self.limit }.mapValues { $0 - Self.limit }
    }

    /// Records an error of `file`; kept when the file has fewer than `limit`, else only counted.
    public mutating func error(_ file: String, line: Int, column: Int? = nil, field: String = "", _ message: String) {
        let n = perFile[file, default: 0]
        perFile[file] = n + 1
        errorCount += 1
        if n < Self.limit {
            items.append(Diagnostic(.error, file: file, line: line, column: column, field: field, message))
        }
    }

    public mutating func warning(
        _ file: String, line: Int = 0, column: Int? = nil, field: String = "",
        _ message: String
    ) {
        items.append(Diagnostic(.warning, file: file, line: line, column: column, field: field, message))
    }

    public mutating func append(contentsOf other: DiagnosticBag) {
        var kept: [String: Int] = [:]
        for d in other.items {
            if d.severity == .error {
                error(d.file, line: d.line, column: d.column, field: d.field, d.message)
                kept[d.file, default: 0] += 1
            } else {
                items.append(d)
            }
        }
        // errors the other bag counted but did not keep
        for (file, n) in other.perFile where n > kept[file, default: 0] {
            let extra = n - kept[file, default: 0]
            perFile[file, default: 0] += extra
            errorCount += extra
        }
    }

    /// Errors sorted by file (in the order first seen), then line, then column (stable).
    public var sortedErrors: [Diagnostic] {
        let errors = errors
        var fileOrder: [String: Int] = [:]
        for d in errors where fileOrder[d.file] == nil { fileOrder[d.file] = fileOrder.count }
        return errors.enumerated().sorted { a, b in
            let x = a.element, y = b.element
            let fx = fileOrder[x.file]!, fy = fileOrder[y.file]!
            if fx != fy { return fx < fy }
            if x.line != y.line { return x.line < y.line }
            if (x.column ?? 0) != (y.column ?? 0) { return (x.column ?? 0) < (y.column ?? 0) }
            return a.offset < b.offset
        }.map(\.element)
    }

    /// Errors sorted by file then line then column (stable), with a count line per truncated file.
    public func report() -> [String] {
        var out = sortedErrors.map(\.description)
        for (file, n) in perFile.sorted(by: { $0.key < $1.key }) where n > Self.limit {
            out.append("\(file): error: \(n - Self.limit) more errors not shown (first \(Self.limit) listed)")
        }
        return out
    }
}
