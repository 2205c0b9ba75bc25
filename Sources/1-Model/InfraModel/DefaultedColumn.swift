/// A table column that stores its values only once one of them differs from the column's
/// default: a model whose file has no `priority` or `repair_hours` column, or links without
/// coordinates, owners or lengths, pay nothing for those columns (2×10^6 assets and 4×10^6 links
/// save about 300 MB; docs/decisions.md #49).
///
/// Reads are `values.isEmpty ? absent : values[i]` (a predictable branch); the first append or
/// write of a non-default value fills the storage with the default up to that row (O(count) once).
/// The default compares by value, NaN equal to NaN.
public struct DefaultedColumn<Element: Equatable & Sendable>: RandomAccessCollection, Sendable, Equatable {
    /// The stored values: empty while every row holds `absent`.
    @usableFromInline var values: [Element] = []
    /// The value of every row while nothing is stored.
    public let absent: Element
    @usableFromInline var rows = 0
    @usableFromInline var reserved = 0

    public init(absent: Element) { self.absent = absent }

    /// A column holding `values` (stored only when one differs from `absent`).
    public init(_ values: [Element], absent: Element) {
        self.absent = absent
        rows = values.count
        if values.contains(where: { !Self.same($0, absent) }) { self.values = values }
    }

    @inlinable public var startIndex: Int { 0 }
    @inlinable public var endIndex: Int { rows }
    @inlinable public var count: Int { rows }

    @inlinable public subscript(i: Int) -> Element {
        get { values.isEmpty ? absent : values[i] }
        set {
            if values.isEmpty {
                if Self.same(newValue, absent) { return }
                materialize()
            }
            values[i] = newValue
        }
    }

    /// Whether values are stored (some row differs from the default).
    public var isStored: Bool { !values.isEmpty }

    /// Every row as an array (a copy of the default when nothing is stored).
    public var array: [Element] { values.isEmpty ? [Element](repeating: absent, count: rows) : values }

    @inlinable public mutating func append(_ v: Element) {
        if values.isEmpty {
            if Self.same(v, absent) { rows += 1; return }
            materialize()
        }
        values.append(v)
        rows += 1
    }

    public mutating func reserveCapacity(_ n: Int) {
        reserved = n
        if !values.isEmpty { values.reserveCapacity(n) }
    }

    public mutating func removeAll(keepingCapacity keep: Bool = false) {
        values.removeAll(keepingCapacity: keep)
        rows = 0
    }

    @usableFromInline mutating func materialize() {
        values = [Element](repeating: absent, count: rows)
        values.reserveCapacity(Swift.max(reserved, rows + 1))
    }

    /// Equal values, NaN equal to NaN.
    @inlinable static func same(_ a: Element, _ b: Element) -> Bool { a == b || (a != a && b != b) }

    public static func == (l: Self, r: Self) -> Bool {
        l.count == r.count && zip(l, r).allSatisfy { same($0, $1) }
    }
}
