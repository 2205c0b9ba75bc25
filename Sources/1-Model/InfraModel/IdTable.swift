import CPrefetch
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// An interning table for ids: maps UTF-8 byte strings to dense 32-bit indices.
///
/// Ids are stored back to back in one byte arena, id i at `offsets[i]..<offsets[i + 1]`; lookup
/// is open addressing with linear probing. Each slot is 8 bytes, a 32-bit hash tag and the index;
/// on a tag match a probe reads the id's offsets and then its bytes (eight slots a cache line).
/// Built for models of millions of assets, where a `Dictionary<String, Int32>` costs an
/// allocation and SipHash per id. Value semantics (copy on write). The arena and offsets grow by
/// `realloc`: large blocks move by remapping pages, so growth never holds an old and a new copy.
///
/// - Complexity: `insert` and `find` are O(length of the id) expected; memory is about
///   `bytes + 4 × count + 8 × capacity` bytes with capacity ≤ 2.7 × count (load factor ≤ 0.75),
///   and `bytes + 4 × count` after `releaseIndex()`.
public struct IdTable: @unchecked Sendable {
    @usableFromInline
    final class Storage {
        // Unchecked exclusivity and raw buffers: every id lookup and insert touches these (10^6+ ids
        // per load, ids of every keyed draw); a Storage is mutated only through its table's copy on write.
        @exclusivity(unchecked) @usableFromInline var arena: UnsafeMutablePointer<UInt8>
        @exclusivity(unchecked) @usableFromInline var arenaCount = 0
        @exclusivity(unchecked) @usableFromInline var arenaCapacity: Int
        /// Arena offset of id i, for i in 0...count (`offsets[count]` is `arenaCount`): id i is
        /// `offsets[i]..<offsets[i + 1]`. Room for `entryCapacity + 1` values.
        @exclusivity(unchecked) @usableFromInline var offsets: UnsafeMutablePointer<UInt32>
        @exclusivity(unchecked) @usableFromInline var count = 0
        @exclusivity(unchecked) @usableFromInline var entryCapacity: Int
        /// Slot layout: [tag:32 | index+1:32]; 0 means empty.
        @exclusivity(unchecked) @usableFromInline var slots: UnsafeMutablePointer<UInt64>
        @exclusivity(unchecked) @usableFromInline var mask: Int
        /// False after `releaseIndex()`: the slots are gone until a lookup rebuilds them.
        @usableFromInline let hasIndex = Atomic<Bool>(true)
        private let indexLock = Mutex<Void>(())

        init(entries: Int, slotCount: Int, arenaBytes: Int) {
            entryCapacity = max(16, entries)
            arenaCapacity = max(64, arenaBytes)
            arena = Self.resize(nil, to: arenaCapacity)
            offsets = Self.resize(nil, to: entryCapacity + 1)
            offsets[0] = 0
            slots = Self.allocateSlots(slotCount)
            mask = slotCount - 1
        }

        deinit {
            free(arena); free(offsets); free(slots)
        }

        /// `realloc` of `p` (nil: a new block) to `n` elements.
        static func resize<T>(_ p: UnsafeMutablePointer<T>?, to n: Int) -> UnsafeMutablePointer<T> {
            guard let r = realloc(p, max(1, n) * MemoryLayout<T>.stride) else { fatalError("IdTable: out of memory for \(n) elements") }
            return r.bindMemory(to: T.self, capacity: n)
        }

        /// Length of id `i`.
        @inline(__always) @usableFromInline
        func length(_ i: Int) -> Int { Int(offsets[i + 1] &- offsets[i]) }

        /// Zeroed slot memory; large tables ask the kernel for huge pages (fewer TLB misses on
        /// random probes).
        static func allocateSlots(_ slotCount: Int) -> UnsafeMutablePointer<UInt64> {
            let bytes = 8 * slotCount
            var raw: UnsafeMutableRawPointer? = nil
            let align = bytes >= 1 << 21 ? 1 << 21 : 64
            guard posix_memalign(&raw, align, bytes) == 0, let r = raw else { fatalError("IdTable: out of memory for \(slotCount) slots") }
            #if canImport(Glibc)
                if bytes >= 1 << 21 { _ = madvise(r, bytes, 14 /* MADV_HUGEPAGE */) }
            #endif
            memset(r, 0, bytes)
            return r.bindMemory(to: UInt64.self, capacity: slotCount)
        }

        /// Brings the slot line for `hash` into cache (a hint).
        @inline(__always)
        func prefetchSlot(_ hash: UInt64) {
            kaskada_prefetch(slots + (Int(truncatingIfNeeded: hash) & mask))
        }

        /// If the first slot for `hash` carries its tag, brings that id's offsets into cache (a hint).
        @inline(__always)
        func prefetchOffsets(_ hash: UInt64) {
            let key = slots[Int(truncatingIfNeeded: hash) & mask]
            if key >> 32 == (hash >> 32) | 1 { kaskada_prefetch(offsets + Int(key & 0xFFFF_FFFF) - 1) }
        }

        /// If the first slot for `hash` carries its tag, brings that id's bytes into cache (a hint).
        @inline(__always)
        func prefetchArena(_ hash: UInt64) {
            let key = slots[Int(truncatingIfNeeded: hash) & mask]
            if key >> 32 == (hash >> 32) | 1 { kaskada_prefetch(arena + Int(offsets[Int(key & 0xFFFF_FFFF) - 1])) }
        }

        /// Frees the slots (the index is a cache over the arena). The caller guarantees that no
        /// other thread uses the table during the call.
        func releaseIndex() {
            indexLock.withLock { _ in
                guard hasIndex.load(ordering: .acquiring) else { return }
                free(slots)
                slots = Self.allocateSlots(1)
                mask = 0
                hasIndex.store(false, ordering: .releasing)
            }
        }

        /// Rebuilds the slots after `releaseIndex()`; safe to call from several threads at once.
        @usableFromInline
        func rebuildIndex() {
            indexLock.withLock { _ in
                guard !hasIndex.load(ordering: .acquiring) else { return }
                var cap = 16
                while cap * 3 < count * 4 { cap <<= 1 }
                let fresh = indexedSlots(cap)
                free(slots)
                slots = fresh
                mask = cap - 1
                hasIndex.store(true, ordering: .releasing)
            }
        }

        /// `capacity` slots (a power of two) indexing every id. Ids are hashed in index order, so
        /// the arena and offsets are read front to back (only the slot writes are random).
        func indexedSlots(_ capacity: Int) -> UnsafeMutablePointer<UInt64> {
            let fresh = Self.allocateSlots(capacity)
            let m = capacity - 1
            for idx in 0..<count {
                let h = IdTable.hash(UnsafeBufferPointer(start: arena + Int(offsets[idx]), count: length(idx)))
                var slot = Int(truncatingIfNeeded: h) & m
                while fresh[slot] != 0 { slot = (slot + 1) & m }
                fresh[slot] = ((h >> 32) | 1) << 32 | UInt64(idx + 1)
            }
            return fresh
        }

        func copy() -> Storage {
            if !hasIndex.load(ordering: .acquiring) { rebuildIndex() }
            let s = Storage(entries: entryCapacity, slotCount: mask + 1, arenaBytes: arenaCapacity)
            s.arena.update(from: arena, count: arenaCount)
            s.offsets.update(from: offsets, count: count + 1)
            s.slots.update(from: slots, count: mask + 1)
            s.arenaCount = arenaCount
            s.count = count
            return s
        }
    }

    @usableFromInline var storage: Storage

    public init(minimumCapacity: Int = 16) {
        var cap = 16
        while cap * 3 < minimumCapacity * 4 { cap <<= 1 }
        storage = Storage(entries: minimumCapacity, slotCount: cap, arenaBytes: minimumCapacity * 12)
    }

    /// Number of ids interned.
    @inlinable public var count: Int { storage.count }

    /// Makes room for `n` ids without rehashing.
    public mutating func reserve(_ n: Int) {
        unique()
        var cap = 16
        while cap * 3 < n * 4 { cap <<= 1 }
        if cap > storage.mask + 1 { rehash(cap) }
        growEntries(n)
    }

    mutating func unique() {
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
        ensureIndex()
    }

    /// Frees the hash index (8 bytes a slot, 1.3–2.7 slots an id) and keeps the ids: for a
    /// run past the phases that look ids up (load, compile), where only `subscript`, `withBytes`
    /// and `less` are used. A later lookup rebuilds the index (O(count), thread-safe). The caller
    /// guarantees that no other thread uses the table during this call.
    public func releaseIndex() { storage.releaseIndex() }

    /// Whether the hash index is in memory (false after `releaseIndex()` until a lookup).
    public var hasIndex: Bool { storage.hasIndex.load(ordering: .acquiring) }

    @inlinable @inline(__always)
    func ensureIndex() {
        if !storage.hasIndex.load(ordering: .acquiring) { storage.rebuildIndex() }
    }

    /// The 64-bit hash the table uses for `p`.
    @inlinable @inline(__always)
    public static func hash(_ p: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        var i = 0
        let n = p.count
        // 8 bytes at a time, then the tail
        if let base = p.baseAddress {
            while i + 8 <= n {
                let w = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
                h = (h ^ w) &* 0x9E37_79B9_7F4A_7C15
                h ^= h >> 29
                i += 8
            }
            while i < n { h = (h ^ UInt64(base[i])) &* 0x0000_0100_0000_01b3; i += 1 }
        }
        h ^= UInt64(n)
        h = (h ^ (h >> 30)) &* 0xBF58_476D_1CE4_E5B9
        h = (h ^ (h >> 27)) &* 0x94D0_49BB_1331_11EB
        return h ^ (h >> 31)
    }

    /// Moves the index to `capacity` slots (a power of two).
    mutating func rehash(_ capacity: Int) {
        let s = storage
        free(s.slots)
        s.slots = s.indexedSlots(capacity)
        s.mask = capacity - 1
    }

    mutating func growEntries(_ n: Int) {
        let s = storage
        guard n > s.entryCapacity else { return }
        var cap = s.entryCapacity
        while cap < n { cap *= 2 }
        s.offsets = Storage.resize(s.offsets, to: cap + 1)
        s.entryCapacity = cap
    }

    mutating func growArena(_ n: Int) {
        let s = storage
        guard n > s.arenaCapacity else { return }
        var cap = s.arenaCapacity
        while cap < n { cap *= 2 }
        s.arena = Storage.resize(s.arena, to: cap)
        s.arenaCapacity = cap
    }

    @inlinable @inline(__always)
    func probe(_ bytes: UnsafeBufferPointer<UInt8>, _ h: UInt64) -> (found: Int32?, slot: Int) {
        let s = storage
        let tag = (h >> 32) | 1
        var slot = Int(truncatingIfNeeded: h) & s.mask
        let n = bytes.count
        while true {
            let key = s.slots[slot]
            if key == 0 { return (nil, slot) }
            if key >> 32 == tag {
                let idx = Int(key & 0xFFFF_FFFF) - 1
                let off = Int(s.offsets[idx])
                if Int(s.offsets[idx + 1]) &- off == n {
                    if n == 0 || memcmpBytes(s.arena + off, bytes.baseAddress!, n) { return (Int32(truncatingIfNeeded: idx), slot) }
                }
            }
            slot = (slot + 1) & s.mask
        }
    }

    @inlinable @inline(__always)
    func memcmpBytes(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        var i = 0
        while i + 8 <= n {
            if UnsafeRawPointer(a + i).loadUnaligned(as: UInt64.self) != UnsafeRawPointer(b + i).loadUnaligned(as: UInt64.self) { return false }
            i += 8
        }
        while i < n { if a[i] != b[i] { return false }; i += 1 }
        return true
    }

    /// The index of `bytes`, or nil.
    @inlinable public func find(_ bytes: UnsafeBufferPointer<UInt8>) -> Int32? {
        ensureIndex()
        return probe(bytes, Self.hash(bytes)).found
    }

    /// The index of `id`, or nil.
    public func find(_ id: String) -> Int32? {
        var id = id
        return id.withUTF8 { find($0) }
    }

    /// Interns `bytes`; returns its index and whether it was new.
    @discardableResult
    public mutating func insert(_ bytes: UnsafeBufferPointer<UInt8>) -> (index: Int32, inserted: Bool) {
        insert(bytes, hash: Self.hash(bytes))
    }

    /// Prefetch distance of the batch operations, in keys.
    @usableFromInline static let lookahead = 16

    /// Looks up many keys at once; `out[i]` is the index of `keys[i]` or -1.
    ///
    /// Lookups in a large table are bound by cache misses (the slot, the id's offsets, its
    /// bytes); the batch hashes every key first and prefetches slots `lookahead` keys ahead,
    /// offsets half as far and id bytes a quarter as far ahead, so that the misses of many
    /// keys overlap.
    /// - Complexity: O(total key length) expected.
    public func findMany(_ keys: UnsafeBufferPointer<UnsafeBufferPointer<UInt8>>, into out: UnsafeMutableBufferPointer<Int32>) {
        ensureIndex()
        Self.pipelined(keys, Unmanaged.passUnretained(storage)) { i, h in out[i] = probe(keys[i], h).found ?? -1 }
    }

    /// Interns many keys in order; `out[i]` is (index, whether it was new), as `insert` would give.
    /// Prefetches like `findMany`. Duplicates within the batch behave as sequential inserts.
    public mutating func insertMany(
        _ keys: UnsafeBufferPointer<UnsafeBufferPointer<UInt8>>,
        into out: UnsafeMutableBufferPointer<(index: Int32, inserted: Bool)>
    ) {
        reserve(count + keys.count)
        // unretained, so that the storage stays uniquely referenced (no copy on insert)
        Self.pipelined(keys, Unmanaged.passUnretained(storage)) { i, h in out[i] = insert(keys[i], hash: h) }
    }

    /// Calls `body(i, hash of keys[i])` in order, prefetching the table lines of later keys.
    private static func pipelined(
        _ keys: UnsafeBufferPointer<UnsafeBufferPointer<UInt8>>, _ table: Unmanaged<Storage>,
        _ body: (Int, UInt64) -> Void
    ) {
        let n = keys.count
        func prefetchSlot(_ h: UInt64) { table._withUnsafeGuaranteedRef { $0.prefetchSlot(h) } }
        func prefetchOffsets(_ h: UInt64) { table._withUnsafeGuaranteedRef { $0.prefetchOffsets(h) } }
        func prefetchArena(_ h: UInt64) { table._withUnsafeGuaranteedRef { $0.prefetchArena(h) } }
        withUnsafeTemporaryAllocation(of: UInt64.self, capacity: max(1, n)) { h in
            for i in 0..<n { h[i] = Self.hash(keys[i]) }
            let d = Self.lookahead
            for i in 0..<min(n, d) { prefetchSlot(h[i]) }
            for i in 0..<n {
                if i + d < n { prefetchSlot(h[i + d]) }
                if i + d / 2 < n { prefetchOffsets(h[i + d / 2]) }
                if i + d / 4 < n { prefetchArena(h[i + d / 4]) }
                body(i, h[i])
            }
        }
    }

    /// Interns `bytes` whose hash is already known.
    @discardableResult
    mutating func insert(_ bytes: UnsafeBufferPointer<UInt8>, hash h: UInt64) -> (index: Int32, inserted: Bool) {
        unique()
        var (found, slot) = probe(bytes, h)
        if let f = found { return (f, false) }
        if (count + 1) * 4 > (storage.mask + 1) * 3 {
            rehash((storage.mask + 1) * 2)
            (found, slot) = probe(bytes, h)
        }
        growEntries(count + 1)
        growArena(storage.arenaCount + bytes.count)
        let s = storage
        let idx = s.count
        let off = s.arenaCount
        if bytes.count > 0 { (s.arena + off).update(from: bytes.baseAddress!, count: bytes.count) }
        s.arenaCount += bytes.count
        s.offsets[idx + 1] = UInt32(s.arenaCount)
        s.count += 1
        let tag = (h >> 32) | 1
        s.slots[slot] = tag << 32 | UInt64(idx + 1)
        return (Int32(idx), true)
    }

    /// Interns `id`; returns its index and whether it was new.
    @discardableResult
    public mutating func insert(_ id: String) -> (index: Int32, inserted: Bool) {
        var id = id
        return id.withUTF8 { insert($0) }
    }

    /// The id at `index`.
    public subscript(index: Int32) -> String {
        withBytes(index) { String(decoding: $0, as: UTF8.self) }
    }

    /// Calls `body` with the bytes of the id at `index`, without making a String.
    public func withBytes<R>(_ index: Int32, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        let s = storage
        return body(UnsafeBufferPointer(start: s.arena + Int(s.offsets[Int(index)]), count: s.length(Int(index))))
    }

    /// Byte-order comparison of two ids (docs/specification.md: ties broken by id in byte order).
    public func less(_ a: Int32, _ b: Int32) -> Bool {
        withBytes(a) { x in withBytes(b) { y in x.lexicographicallyPrecedes(y) } }
    }
}

/// A small interning pool for low-cardinality names (sectors, kinds, owners, zones, groups).
public struct NamePool: Sendable, Equatable {
    public private(set) var names: [String] = []
    private var index: [String: Int32] = [:]

    public init() {}
    public init(_ names: [String]) { for n in names { intern(n) } }

    /// The code of `name`, adding it when new.
    @discardableResult
    public mutating func intern(_ name: String) -> Int32 {
        if let i = index[name] { return i }
        let i = Int32(names.count)
        names.append(name)
        index[name] = i
        return i
    }

    /// The code of `name`, or nil.
    public func code(_ name: String) -> Int32? { index[name] }
    public var count: Int { names.count }
    public subscript(code: Int32) -> String { names[Int(code)] }
}
