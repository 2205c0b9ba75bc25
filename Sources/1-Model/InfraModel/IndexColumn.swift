import CPrefetch

/// A column of 32-bit indices stored as runs of values that step by −1, 0 or +1 from row to row.
///
/// The index columns of a model count along its rows: each asset's id index, each id's asset
/// (or link, as −(link + 1)) go up or down by one per row, breaking only where a file, an
/// include or a row with errors starts a new run. Such a column is held as its runs, 9 bytes a
/// run instead of 4 bytes a row (2×10^6 assets and 4×10^6 links: 48 MB saved over three columns);
/// once its runs would take more than a quarter of a plain array's room it becomes a plain array.
/// Reads and writes behave as those of `[Int32]`.
///
/// - Complexity: `append` O(1) amortised; `subscript` O(log runs) (O(1) for a plain column);
///   a write that breaks a run makes the column plain (O(count) once).
public struct IndexColumn: Sendable, Equatable, RandomAccessCollection {
    /// Every row, when the column is plain; else empty.
    @usableFromInline var plain: [Int32] = []
    /// First row, first value and step of each run (rows ascending), while not plain.
    @usableFromInline var runStart: [Int32] = []
    @usableFromInline var runValue: [Int32] = []
    @usableFromInline var runStep: [Int8] = []
    @usableFromInline var isPlain = false
    @usableFromInline var rows = 0
    @usableFromInline var reserved = 0

    public init() {}

    /// A column holding `values`.
    public init(_ values: [Int32]) {
        reserveCapacity(values.count)
        for v in values { append(v) }
    }

    @inlinable public var startIndex: Int { 0 }
    @inlinable public var endIndex: Int { rows }
    @inlinable public var count: Int { rows }

    /// Whether the column is held as a plain array (its runs were too many).
    public var isStoredPlain: Bool { isPlain }

    /// Run holding row `k` (not plain).
    @inlinable func run(_ k: Int) -> Int {
        var lo = 0, hi = runStart.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) >> 1
            if Int(runStart[mid]) <= k { lo = mid } else { hi = mid - 1 }
        }
        return lo
    }

    @inlinable public subscript(k: Int) -> Int32 {
        get {
            if isPlain { return plain[k] }
            precondition(k >= 0 && k < rows, "IndexColumn: row \(k) out of 0..<\(rows)")
            let r = run(k)
            return runValue[r] &+ Int32(runStep[r]) &* Int32(k - Int(runStart[r]))
        }
        set {
            if !isPlain {
                if self[k] == newValue { return }
                if k == rows - 1 {
                    // the last row (an element added after its id): replaced without going plain
                    removeLast()
                    append(newValue)
                    return
                }
                makePlain()
            }
            plain[k] = newValue
        }
    }

    /// Brings row `k` of a plain column into cache (a hint for random reads; runs need none).
    @inlinable public func prefetch(_ k: Int) {
        if isPlain { plain.withUnsafeBufferPointer { kaskada_prefetch($0.baseAddress! + k) } }
    }

    /// Appends a new last row.
    public mutating func append(_ v: Int32) {
        if isPlain { plain.append(v); rows += 1; return }
        if let last = runStart.last {
            let r = runStart.count - 1
            let length = rows - Int(last)
            if length == 1 {
                let d = Int(v) - Int(runValue[r])
                if abs(d) <= 1 { runStep[r] = Int8(d); rows += 1; return }
            } else if Int(v) == Int(runValue[r]) + Int(runStep[r]) * length {
                rows += 1
                return
            }
        }
        runStart.append(Int32(rows)); runValue.append(v); runStep.append(0)
        rows += 1
        // 9 bytes a run against 4 a row: plain once runs take a quarter of the plain room
        if runStart.count > 64 && runStart.count * 9 > rows { makePlain() }
    }

    /// Removes the last row.
    public mutating func removeLast() {
        precondition(rows > 0, "IndexColumn: removeLast of an empty column")
        rows -= 1
        if isPlain { plain.removeLast(); return }
        if Int(runStart[runStart.count - 1]) == rows {
            runStart.removeLast(); runValue.removeLast(); runStep.removeLast()
        } else if Int(runStart[runStart.count - 1]) == rows - 1 {
            runStep[runStep.count - 1] = 0 // one row left: its step is free again
        }
    }

    public mutating func reserveCapacity(_ n: Int) {
        reserved = n
        if isPlain { plain.reserveCapacity(n) }
    }

    public mutating func removeAll(keepingCapacity keep: Bool = false) {
        plain.removeAll(keepingCapacity: keep)
        runStart.removeAll(); runValue.removeAll(); runStep.removeAll()
        isPlain = false
        rows = 0
    }

    /// Every row as an array.
    public var array: [Int32] { isPlain ? plain : Array(self) }

    @usableFromInline mutating func makePlain() {
        var a: [Int32] = []
        a.reserveCapacity(Swift.max(reserved, rows + 1))
        for r in 0..<runStart.count {
            let end = r + 1 < runStart.count ? Int(runStart[r + 1]) : rows
            let v0 = runValue[r], s = Int32(runStep[r])
            for k in Int(runStart[r])..<end { a.append(v0 &+ s &* Int32(k - Int(runStart[r]))) }
        }
        plain = a
        runStart = []; runValue = []; runStep = []
        isPlain = true
    }

    public static func == (l: Self, r: Self) -> Bool {
        l.count == r.count && l.elementsEqual(r)
    }
}
