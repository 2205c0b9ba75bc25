import CPrefetch

/// A column of small codes (sector, kind, owner, zone) stored in as few bytes a row as its
/// largest code needs.
///
/// A model has a handful of sectors and kinds and at most thousands of owners and zones, yet
/// every asset and link carries each code: as `Int32` that is 16 bytes a row, 96 MB for 2×10^6
/// assets and 4×10^6 links. This column stores nothing while every row holds `absent` (links
/// without owner or zone), then one byte a row while codes stay below 254, two below 65,534,
/// and four beyond; it widens in place when a larger code arrives (O(count) once per width).
/// Codes are ≥ −2 (−1 absent, −2 a loader's "to be filled" mark). Reads and writes behave as
/// those of `[Int32]`.
///
/// - Complexity: `append` and `subscript` O(1) (amortised for `append`).
public struct CodeColumn: Sendable, Equatable, RandomAccessCollection {
    /// Bytes a row: 0 while every row is `absent`, else 1, 2 or 4.
    @usableFromInline var width: UInt8 = 0
    /// Rows as `code + 2` (widths 1 and 2) or as codes (width 4).
    @usableFromInline var narrow: [UInt8] = []
    @usableFromInline var medium: [UInt16] = []
    @usableFromInline var wide: [Int32] = []
    /// The value of every row while nothing is stored.
    public let absent: Int32
    @usableFromInline var rows = 0
    @usableFromInline var reserved = 0

    public init(absent: Int32 = -1) {
        precondition(absent >= -2, "CodeColumn: absent code \(absent) below −2")
        self.absent = absent
    }

    /// A column holding `values`.
    public init(_ values: [Int32], absent: Int32 = -1) {
        self.init(absent: absent)
        reserveCapacity(values.count)
        for v in values { append(v) }
    }

    @inlinable public var startIndex: Int { 0 }
    @inlinable public var endIndex: Int { rows }
    @inlinable public var count: Int { rows }

    /// Whether values are stored (some row differs from `absent`).
    public var isStored: Bool { width > 0 }

    /// Every row as an array.
    public var array: [Int32] { width == 4 ? wide : Array(self) }

    @inlinable public subscript(i: Int) -> Int32 {
        get {
            switch width {
            case 1: return Int32(narrow[i]) &- 2
            case 2: return Int32(medium[i]) &- 2
            case 4: return wide[i]
            default:
                precondition(i >= 0 && i < rows, "CodeColumn: row \(i) out of 0..<\(rows)")
                return absent
            }
        }
        set {
            fit(newValue)
            switch width {
            case 1: narrow[i] = UInt8(truncatingIfNeeded: newValue &+ 2)
            case 2: medium[i] = UInt16(truncatingIfNeeded: newValue &+ 2)
            case 4: wide[i] = newValue
            default: precondition(i >= 0 && i < rows, "CodeColumn: row \(i) out of 0..<\(rows)")
            }
        }
    }

    /// Brings row `k` into cache (a hint for random reads).
    @inlinable public func prefetch(_ k: Int) {
        switch width {
        case 1: narrow.withUnsafeBufferPointer { kaskada_prefetch($0.baseAddress! + k) }
        case 2: medium.withUnsafeBufferPointer { kaskada_prefetch($0.baseAddress! + k) }
        case 4: wide.withUnsafeBufferPointer { kaskada_prefetch($0.baseAddress! + k) }
        default: break
        }
    }

    /// Appends a new last row.
    @inlinable public mutating func append(_ v: Int32) {
        fit(v)
        switch width {
        case 1: narrow.append(UInt8(truncatingIfNeeded: v &+ 2))
        case 2: medium.append(UInt16(truncatingIfNeeded: v &+ 2))
        case 4: wide.append(v)
        default: break
        }
        rows += 1
    }

    /// Bytes a row that code `v` needs.
    @inlinable static func bytes(_ v: Int32) -> UInt8 { v < 254 ? 1 : (v < 65_534 ? 2 : 4) }

    /// Widens the storage when `v` does not fit it (nor, when nothing is stored yet, `absent`,
    /// which every earlier row holds).
    @inlinable mutating func fit(_ v: Int32) {
        precondition(v >= -2, "CodeColumn: code \(v) below −2")
        if width == 0 {
            if v != absent { widen(to: Swift.max(Self.bytes(v), Self.bytes(absent))) }
        } else if Self.bytes(v) > width {
            widen(to: Self.bytes(v))
        }
    }

    @usableFromInline mutating func widen(to w: UInt8) {
        let values = Array(self)
        narrow = []; medium = []; wide = []
        let room = Swift.max(reserved, rows + 1)
        switch w {
        case 1:
            narrow.reserveCapacity(room)
            for v in values { narrow.append(UInt8(truncatingIfNeeded: v &+ 2)) }
        case 2:
            medium.reserveCapacity(room)
            for v in values { medium.append(UInt16(truncatingIfNeeded: v &+ 2)) }
        default:
            wide.reserveCapacity(room)
            wide.append(contentsOf: values)
        }
        width = w
    }

    public mutating func reserveCapacity(_ n: Int) {
        reserved = n
        switch width {
        case 1: narrow.reserveCapacity(n)
        case 2: medium.reserveCapacity(n)
        case 4: wide.reserveCapacity(n)
        default: break
        }
    }

    /// Removes every row (the width stays).
    public mutating func removeAll(keepingCapacity keep: Bool = false) {
        narrow.removeAll(keepingCapacity: keep); medium.removeAll(keepingCapacity: keep); wide.removeAll(keepingCapacity: keep)
        rows = 0
    }

    public static func == (l: Self, r: Self) -> Bool {
        l.count == r.count && l.elementsEqual(r)
    }
}
