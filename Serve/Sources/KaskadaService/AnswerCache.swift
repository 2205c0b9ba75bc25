import Foundation
import NIOCore
import Synchronization

/// Encoded answers of the read routes (state, warnings, CAP) by situation, version, scope and
/// second, computed once however many clients ask at the same time.
///
/// The state "now" is a function of the reports (the version), the moment (to the second: every
/// date the service prints is whole seconds) and the scope, so 64 clients polling one situation
/// need one computation and one JSON encoding per second, not 64; the JSON of a large state
/// (1,373 elements down, 256 KB) takes ten times longer to encode than the cascade to compute.
/// Concurrent misses on one key wait for the first one's task (single flight). At most
/// `capacity` answers are kept, the oldest going first: a past second is rarely asked again, and
/// with 256 entries the soak of benchmarks/serve.sh held 160 MB more (256 states of 256 KB and
/// the allocator's share of their churn) before it levelled off.
final class AnswerCache: Sendable {
    private struct Entry { var task: Task<ByteBuffer, any Error>; var order: UInt64 }
    private struct Table { var entries: [String: Entry] = [:]; var counter: UInt64 = 0 }
    private let table = Mutex(Table())
    let capacity: Int

    init(capacity: Int = 32) { self.capacity = capacity }

    /// The answer for `key`, from `make` on a miss. A failed computation is not kept.
    /// - Complexity: O(1) on a hit; O(capacity) when an insertion evicts.
    func answer(_ key: String, _ make: @escaping @Sendable () throws -> ByteBuffer) async throws -> ByteBuffer {
        let task = table.withLock { t -> Task<ByteBuffer, any Error> in
            if let e = t.entries[key] { return e.task }
            let task = Task<ByteBuffer, any Error> { try make() }
            t.counter += 1
            t.entries[key] = Entry(task: task, order: t.counter)
            if t.entries.count > capacity, let oldest = t.entries.min(by: { $0.value.order < $1.value.order })?.key {
                t.entries[oldest] = nil
            }
            return task
        }
        do { return try await task.value } catch {
            table.withLock { t in _ = t.entries.removeValue(forKey: key) }
            throw error
        }
    }

    /// Entries held (for tests).
    var count: Int { table.withLock { $0.entries.count } }
}
