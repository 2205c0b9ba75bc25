import Stochastics

// Shared helpers of the benchmark suite: the reference RNG spec, clocks, peak memory, statistics.
#if canImport(Glibc)
    import Glibc
#endif

/// The reference RNG (shared/reference/README.md section 0), on top of Kaskada's SplitMix64.
enum RefRNG {
    /// `sm(seed, i)`: the (i+1)-th output of splitmix64 seeded with `seed`.
    @inline(__always) static func sm(_ seed: UInt64, _ i: UInt64) -> UInt64 { SplitMix64.at(seed: seed, index: i) }
    @inline(__always) static func u01(_ x: UInt64) -> Double { SplitMix64.u01(x) }
    @inline(__always) static func randint(_ x: UInt64, _ n: UInt32) -> UInt32 { SplitMix64.randint(x, n) }
}

/// Monotonic seconds.
@inline(__always) func now() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}

/// Peak resident set size of this process, MiB (getrusage; Linux reports KiB).
func peakRSSMiB() -> Double {
    var ru = rusage()
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &ru)
    return Double(ru.ru_maxrss) / 1024
}

/// Current resident set size of this process, MiB (/proc/self/statm; NaN where absent).
func currentRSSMiB() -> Double {
    guard let f = fopen("/proc/self/statm", "r") else { return .nan }
    defer { fclose(f) }
    var size = 0, resident = 0
    guard
        withUnsafeMutablePointer(
            to: &size,
            { sp in
                withUnsafeMutablePointer(to: &resident) { rp in
                    withVaList([sp, rp]) { vfscanf(f, "%ld %ld", $0) }
                }
            }) == 2
    else { return .nan }
    return Double(resident) * Double(sysconf(Int32(_SC_PAGESIZE))) / 1048576
}

func median(_ v: [Double]) -> Double {
    let s = v.sorted()
    guard !s.isEmpty else { return .nan }
    return s.count % 2 == 1 ? s[s.count / 2] : 0.5 * (s[s.count / 2 - 1] + s[s.count / 2])
}

/// `%.{digits}f` without Foundation.
func fmt(_ x: Double, _ digits: Int) -> String {
    var buf = [CChar](repeating: 0, count: 64)
    _ = buf.withUnsafeMutableBufferPointer { b in
        withVaList([x]) { vsnprintf(b.baseAddress!, 64, "%.\(digits)f", $0) }
    }
    let bytes = buf.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
    return String(decoding: bytes, as: UTF8.self)
}

/// A pointer handed to the threads of `concurrentPerform`; each thread writes a disjoint range.
struct SharedPointer<T>: @unchecked Sendable {
    let base: UnsafeMutablePointer<T>
}

func fail(_ message: String) -> Never {
    let text = Array("kaskada-bench: \(message)\n".utf8)
    _ = text.withUnsafeBufferPointer { write(2, $0.baseAddress, $0.count) }
    exit(2)
}
