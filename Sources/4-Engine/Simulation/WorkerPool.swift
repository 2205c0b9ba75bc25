import Dispatch

/// One worker per thread, and the parallel step that the static and timed engines share: a
/// range of samples cut into one contiguous chunk per thread, each chunk run by its thread's
/// worker, the chunks' results returned in chunk order — so in sample order, whatever the
/// thread count. Workers are made once and keep their buffers from chunk to chunk.
///
/// Thread t takes samples `lo + t·c ..< min(hi, lo + (t+1)·c)` of `lo..<hi`, c = ⌈count / threads⌉.
/// - Complexity: O(threads) besides the workers' own work; one allocation of the results per call.
public struct WorkerPool<Worker> {
    /// The workers, one per thread, in thread order.
    public private(set) var workers: [Worker]

    /// Number of threads (and workers), at least 1.
    public var threads: Int { workers.count }

    /// `threads` workers (at least 1) made by `make`.
    public init(threads: Int, make: () -> Worker) {
        workers = (0..<max(1, threads)).map { _ in make() }
    }

    /// Calls `body` on every worker, on the calling thread, in thread order (resets, sums).
    public mutating func forEach(_ body: (inout Worker) -> Void) {
        for t in workers.indices { body(&workers[t]) }
    }

    /// Runs `body(worker, chunk)` for each thread's non-empty chunk of `range`, in parallel, and
    /// returns the results in chunk order. `body` sees only its own worker.
    public mutating func forEachChunk<Result>(
        of range: Range<Int>,
        _ body: @Sendable (inout Worker, Range<Int>) -> Result
    ) -> [Result] {
        let n = workers.count
        let chunk = (range.count + n - 1) / n
        var results = [Result?](repeating: nil, count: n)
        // each thread touches only worker t and result slot t: the two buffers are shared unchecked
        workers.withUnsafeMutableBufferPointer { w in
            results.withUnsafeMutableBufferPointer { r in
                let w = SendablePointer(w.baseAddress!), r = SendablePointer(r.baseAddress!)
                DispatchQueue.concurrentPerform(iterations: n) { t in
                    let lo = range.lowerBound + t * chunk, hi = min(range.upperBound, lo + chunk)
                    guard lo < hi else { return }
                    r.pointer[t] = body(&w.pointer[t], lo..<hi)
                }
            }
        }
        return results.compactMap { $0 }
    }
}

/// A raw pointer handed to worker threads that write disjoint indices: the one escape hatch for
/// `Sendable` in the engine (`WorkerPool`, the N-1 pass).
public struct SendablePointer<T>: @unchecked Sendable {
    public let pointer: UnsafeMutablePointer<T>
    public init(_ p: UnsafeMutablePointer<T>) { pointer = p }
}
