/// Where each row of a table came from (file and line, for diagnostics), in four bytes a row:
/// the line per row, the file per run of consecutive rows from one file (a table's rows are
/// appended file by file, so a model has about one run per file).
///
/// - Complexity: `append` O(1); `subscript` O(log runs).
public struct SourceColumn: Sendable, Equatable, RandomAccessCollection {
    private var lines: [Int32] = []
    /// (first row, file) of each run, rows ascending; a run starts only where the file changes,
    /// so equal sequences of sources have equal runs.
    private var runs: [(start: Int32, file: Int32)] = []

    public init() {}

    public var startIndex: Int { 0 }
    public var endIndex: Int { lines.count }

    /// The file and line of row `k`.
    public subscript(k: Int) -> SourceRef {
        var lo = 0, hi = runs.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if Int(runs[mid].start) <= k { lo = mid } else { hi = mid - 1 }
        }
        return SourceRef(file: runs[lo].file, line: lines[k])
    }

    /// Appends the source of a new last row.
    public mutating func append(_ ref: SourceRef) {
        if runs.last?.file != ref.file { runs.append((Int32(lines.count), ref.file)) }
        lines.append(ref.line)
    }

    public mutating func reserveCapacity(_ n: Int) { lines.reserveCapacity(n) }

    /// Removes every row, keeping capacity.
    public mutating func removeAll(keepingCapacity keep: Bool) {
        lines.removeAll(keepingCapacity: keep)
        runs.removeAll()
    }

    public static func == (a: SourceColumn, b: SourceColumn) -> Bool {
        a.lines == b.lines && a.runs.elementsEqual(b.runs) { $0 == $1 }
    }
}
