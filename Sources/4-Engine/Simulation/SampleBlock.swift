import Foundation
import Stochastics

/// The raw outcomes of a contiguous range of samples, before any statistic is taken: what a run
/// accumulates, what a checkpoint holds and what a shard writes (docs/specification.md sections 5 and 9).
///
/// Per-sample values sit at their sample's position and per-asset, per-zone and per-row counters
/// are integers, so `append` of consecutive blocks gives exactly the block of the whole range,
/// whatever the split; `MonteCarlo.result(from:)` and `TimedMonteCarlo.result(from:)` then give
/// the same result as an uninterrupted run, byte for byte.
public struct SampleBlock: Sendable, Equatable {
    /// First sample and number of samples.
    public var start: Int
    public var count: Int
    public var sectors: Int
    public var owners: Int
    /// Watched assets (`MonteCarlo.watch`).
    public var watch: Int
    /// Per sample: loss; people without service per sector (timed: the peak); loss per owner;
    /// watched failures.
    public var loss: [Double] = []
    public var people: [Double] = []
    public var ownerLoss: [Double] = []
    public var watchFailed: [UInt8] = []
    /// Per asset: samples damaged or out, samples not working.
    public var damagedCount: [Int64]
    public var outageCount: [Int64]
    /// `OutcomeTally` accumulators.
    public var zoneLost: [Int64]
    public var zonePeopleMicro: [Int64]
    public var zoneHoursMicro: [Int64]
    public var rowCarried: [Int64]
    public var rowLossMicro: [Int64]
    /// Timed mode (empty in static mode): per sample people-hours and restore95 per sector, the
    /// curve; per asset outage microhours; the nonzero outage durations (asset, sample, hours);
    /// state computations.
    public var hours: [Double] = []
    public var restore: [Double] = []
    public var curveT: [[Double]] = []
    public var curveP: [[Double]] = []
    public var outageMicroHours: [Int64] = []
    public var durAsset: [Int32] = []
    public var durSample: [Int32] = []
    /// Hours out in the sample; negative when the outage was still running at the horizon
    /// (censored: it lasted at least |hours|).
    public var durHours: [Double] = []
    public var stateComputations: Int64 = 0

    /// An empty block at `start` for a model of `assets` assets laid out as `layout`.
    public init(start: Int, layout: OutcomeLayout, watch: Int, assets: Int, timed: Bool) {
        self.start = start; count = 0
        sectors = layout.sectors; owners = layout.owners; self.watch = watch
        damagedCount = [Int64](repeating: 0, count: assets)
        outageCount = damagedCount
        zoneLost = [Int64](repeating: 0, count: max(1, layout.zones * layout.sectors))
        zonePeopleMicro = zoneLost; zoneHoursMicro = zoneLost
        rowCarried = [Int64](repeating: 0, count: layout.rowCount)
        rowLossMicro = rowCarried
        if timed { outageMicroHours = damagedCount }
    }

    /// The samples after this block's.
    public var end: Int { start + count }

    /// Appends the block that follows this one (`next.start == end`): per-sample values
    /// concatenated, counters added. - Complexity: O(next's size + assets).
    public mutating func append(_ next: SampleBlock) {
        precondition(next.start == end, "blocks must be consecutive: \(end) then \(next.start)")
        precondition(
            next.sectors == sectors && next.owners == owners && next.watch == watch
                && next.damagedCount.count == damagedCount.count, "blocks of different runs")
        count += next.count
        loss += next.loss; people += next.people; ownerLoss += next.ownerLoss; watchFailed += next.watchFailed
        func add(_ a: inout [Int64], _ b: [Int64]) { for k in a.indices { a[k] += b[k] } }
        add(&damagedCount, next.damagedCount); add(&outageCount, next.outageCount)
        add(&zoneLost, next.zoneLost); add(&zonePeopleMicro, next.zonePeopleMicro); add(&zoneHoursMicro, next.zoneHoursMicro)
        add(&rowCarried, next.rowCarried); add(&rowLossMicro, next.rowLossMicro)
        hours += next.hours; restore += next.restore; curveT += next.curveT; curveP += next.curveP
        add(&outageMicroHours, next.outageMicroHours)
        durAsset += next.durAsset; durSample += next.durSample; durHours += next.durHours
        stateComputations += next.stateComputations
    }

    /// Whether the early stop of docs/specification.md section 5 triggers after this block (from sample 0):
    /// the 95% half-width of the mean loss is at most `target` × the mean (or every loss is 0).
    public func meetsTarget(_ target: Double) -> Bool {
        let s = Summary.of(loss)
        if s.mean > 0 { return s.ci95High - s.mean <= target * s.mean }
        return s.mean == 0 && s.std == 0
    }

    /// The block loop both engines share: from `start` (empty, or a checkpoint's samples at the
    /// start of `range`) up to the end of `range`, `compute(r, &total)` adds the samples of each
    /// next range `r` of `progressStep` samples (cut at checkpoint and early-stop boundaries) to
    /// the cumulative block in place, as `append` of the block of `r` would (per-sample values
    /// appended, counters added; the loop then advances `count`), so that no second block of
    /// per-asset counters is ever held (2×10^6 assets and dependency rows: 64 MB a block). After each range,
    /// `progress(samples done)`, then the early stop after blocks ending on a multiple of 1,024
    /// samples (ranges from sample 0 only), then, every `blockSize` samples and at the end,
    /// `blockDone(cumulative block)` (a checkpoint) unless the run stops. When `shouldStop()`
    /// says so after a block, the samples so far are passed to `blockDone` (kept in the
    /// checkpoint) and returned (cancellation: the caller sees fewer samples than the range and
    /// no early stop).
    public static func accumulate(
        _ range: Range<Int>, after start: @autoclosure () -> SampleBlock, blockSize: Int, targetRelativeCI: Double?,
        blockDone: (SampleBlock) -> Void, progress: (Int) -> Void, shouldStop: () -> Bool = { false },
        compute: (Range<Int>, inout SampleBlock) -> Void
    ) -> (SampleBlock, stoppedEarly: Bool) {
        // made here, so that the block is uniquely referenced and never copied on write
        var total = start()
        precondition(total.start == range.lowerBound && total.end <= range.upperBound, "the resumed block is not a start of the range")
        progress(total.end - range.lowerBound)
        let checkpointEvery = max(1, blockSize)
        let step = progressStep(samples: range.count, blockSize: checkpointEvery)
        var nextCheckpoint = total.end + checkpointEvery
        while total.end < range.upperBound && !shouldStop() {
            // computed in steps of `step` samples, cut at checkpoint and early-stop boundaries
            let nextEarlyStop = (total.end / earlyStopBlock + 1) * earlyStopBlock
            let end = min(range.upperBound, total.end + step, nextCheckpoint, nextEarlyStop)
            compute(total.end..<end, &total)
            total.count = end - total.start
            progress(total.end - range.lowerBound)
            if let target = targetRelativeCI, range.lowerBound == 0, total.end < range.upperBound,
                total.end % earlyStopBlock == 0, total.meetsTarget(target)
            {
                return (total, true)
            }
            if total.end == nextCheckpoint || total.end == range.upperBound {
                blockDone(total)
                nextCheckpoint = total.end + checkpointEvery
            }
        }
        // cancelled: keep every completed sample, not only those of the last checkpoint
        if total.end < range.upperBound && total.end + checkpointEvery != nextCheckpoint { blockDone(total) }
        return (total, false)
    }

    /// Samples computed between two progress reports: about a hundredth of the range, at least
    /// 8 and at most a checkpoint block (before, progress came once per 1,024-sample
    /// block, so a run of up to 1,024 samples jumped from 0 to 100%). Block sums are exact
    /// (integers and per-sample values), so the step changes no result.
    public static func progressStep(samples: Int, blockSize: Int) -> Int {
        max(1, min(blockSize, max(8, samples / 100)))
    }

    /// The early stop is checked only after whole blocks of this many samples (docs/specification.md section 5).
    public static let earlyStopBlock = 1024

    /// Adds one worker's tally accumulators.
    public mutating func add(tally t: OutcomeTally) {
        for k in zoneLost.indices {
            zoneLost[k] += t.zoneLostCount[k]; zonePeopleMicro[k] += t.zonePeopleMicro[k]; zoneHoursMicro[k] += t.zoneHoursMicro[k]
        }
        for k in rowCarried.indices { rowCarried[k] += t.rowCarried[k]; rowLossMicro[k] += t.rowLossMicro[k] }
    }

    /// A tally holding this block's accumulators.
    public func tally(_ layout: OutcomeLayout) -> OutcomeTally {
        var t = OutcomeTally(layout)
        t.zoneLostCount = zoneLost; t.zonePeopleMicro = zonePeopleMicro; t.zoneHoursMicro = zoneHoursMicro
        t.rowCarried = rowCarried; t.rowLossMicro = rowLossMicro
        return t
    }
}

// MARK: - Binary form

extension SampleBlock {
    static let magic: [UInt8] = Array("KSKBLK01".utf8)

    public enum DecodeError: Error, CustomStringConvertible {
        case malformed(String)
        public var description: String {
            switch self {
            case .malformed(let why): return "not a Kaskada sample block: \(why)"
            }
        }
    }

    /// The block as bytes (little-endian; counters sparse: only nonzero entries).
    public func encoded() -> Data {
        var w = ByteWriter()
        w.bytes(Self.magic)
        for x in [start, count, sectors, owners, watch] { w.int(Int64(x)) }
        w.doubles(loss); w.doubles(people); w.doubles(ownerLoss); w.bytes8(watchFailed)
        for c in [damagedCount, outageCount, zoneLost, zonePeopleMicro, zoneHoursMicro, rowCarried, rowLossMicro, outageMicroHours] {
            w.sparse(c)
        }
        w.doubles(hours); w.doubles(restore)
        w.int(Int64(curveT.count))
        for k in curveT.indices { w.doubles(curveT[k]); w.doubles(curveP[k]) }
        w.int32s(durAsset); w.int32s(durSample); w.doubles(durHours)
        w.int(stateComputations)
        return w.data
    }

    /// Reads `encoded()` bytes.
    public init(decoding data: Data) throws(DecodeError) {
        var r = ByteReader(data)
        guard r.take(Self.magic.count) == Self.magic else { throw .malformed("wrong header") }
        do {
            start = Int(try r.int()); count = Int(try r.int()); sectors = Int(try r.int())
            owners = Int(try r.int()); watch = Int(try r.int())
            loss = try r.doubles(); people = try r.doubles(); ownerLoss = try r.doubles(); watchFailed = try r.bytes8()
            damagedCount = try r.sparse(); outageCount = try r.sparse(); zoneLost = try r.sparse()
            zonePeopleMicro = try r.sparse(); zoneHoursMicro = try r.sparse(); rowCarried = try r.sparse()
            rowLossMicro = try r.sparse(); outageMicroHours = try r.sparse()
            hours = try r.doubles(); restore = try r.doubles()
            let curves = Int(try r.int())
            guard curves >= 0 && curves <= count else { throw DecodeError.malformed("curve count") }
            for _ in 0..<curves { curveT.append(try r.doubles()); curveP.append(try r.doubles()) }
            durAsset = try r.int32s(); durSample = try r.int32s(); durHours = try r.doubles()
            stateComputations = try r.int()
        } catch { throw .malformed("truncated") }
        // products by overflow-checked multiplication: the counts come from the file (found by fuzzing)
        func product(_ a: Int, _ b: Int) -> Int? {
            let (p, o) = a.multipliedReportingOverflow(by: b)
            return o || a < 0 || b < 0 ? nil : p
        }
        // arrays that append() adds element by element must agree with their partners; a curve
        // holds its points' times and, per point, people out in each sector
        guard outageCount.count == damagedCount.count, zonePeopleMicro.count == zoneLost.count, zoneHoursMicro.count == zoneLost.count,
            rowLossMicro.count == rowCarried.count, zip(curveT, curveP).allSatisfy({ $1.count == product($0.count, sectors) }),
            durSample.count == durAsset.count, durHours.count == durAsset.count,
            durAsset.allSatisfy({ $0 >= 0 && Int($0) < damagedCount.count }), durSample.allSatisfy({ $0 >= 0 })
        else {
            throw .malformed("inconsistent lengths")
        }
        guard r.atEnd, start >= 0, loss.count == count, people.count == product(count, sectors), ownerLoss.count == product(count, owners),
            watchFailed.count == product(count, watch)
        else { throw .malformed("inconsistent lengths") }
    }
}

/// Appends little-endian scalars and arrays (each scalar's bytes read in place with
/// `withUnsafeBytes(of:)`: no pointer outlives the call).
struct ByteWriter {
    var data = Data()
    mutating func bytes(_ b: [UInt8]) { data.append(contentsOf: b) }
    mutating func int(_ x: Int64) { withUnsafeBytes(of: x.littleEndian) { data.append(contentsOf: $0) } }
    mutating func doubles(_ a: [Double]) {
        int(Int64(a.count))
        for x in a { withUnsafeBytes(of: x.bitPattern.littleEndian) { data.append(contentsOf: $0) } }
    }
    mutating func int32s(_ a: [Int32]) {
        int(Int64(a.count))
        for x in a { withUnsafeBytes(of: x.littleEndian) { data.append(contentsOf: $0) } }
    }
    mutating func bytes8(_ a: [UInt8]) { int(Int64(a.count)); data.append(contentsOf: a) }
    /// Length, number of nonzero entries, then (index, value) pairs.
    mutating func sparse(_ a: [Int64]) {
        int(Int64(a.count))
        let nz = a.indices.filter { a[$0] != 0 }
        int(Int64(nz.count))
        for k in nz { int(Int64(k)); int(a[k]) }
    }
}

/// Reads what `ByteWriter` wrote.
struct ByteReader {
    struct Truncated: Error {}
    let bytes: [UInt8]
    var at = 0
    init(_ d: Data) { bytes = [UInt8](d) }
    var atEnd: Bool { at == bytes.count }
    mutating func take(_ n: Int) -> [UInt8] {
        guard n >= 0, at + n <= bytes.count else { at = bytes.count + 1; return [] }
        defer { at += n }
        return Array(bytes[at..<(at + n)])
    }
    mutating func u64() throws -> UInt64 {
        guard at + 8 <= bytes.count else { throw Truncated() }
        var x: UInt64 = 0
        for k in 0..<8 { x |= UInt64(bytes[at + k]) << (8 * UInt64(k)) }
        at += 8
        return x
    }
    mutating func int() throws -> Int64 { Int64(bitPattern: try u64()) }
    mutating func length() throws -> Int {
        let n = try int()
        guard n >= 0, n <= Int64(bytes.count) else { throw Truncated() }
        return Int(n)
    }
    mutating func doubles() throws -> [Double] {
        let n = try length()
        var a = [Double](); a.reserveCapacity(n)
        for _ in 0..<n { a.append(Double(bitPattern: try u64())) }
        return a
    }
    mutating func int32s() throws -> [Int32] {
        let n = try length()
        guard at + 4 * n <= bytes.count else { throw Truncated() }
        var a = [Int32](); a.reserveCapacity(n)
        for _ in 0..<n {
            var x: UInt32 = 0
            for k in 0..<4 { x |= UInt32(bytes[at + k]) << (8 * UInt32(k)) }
            at += 4
            a.append(Int32(bitPattern: x))
        }
        return a
    }
    mutating func bytes8() throws -> [UInt8] {
        let n = try length()
        guard at + n <= bytes.count else { throw Truncated() }
        defer { at += n }
        return Array(bytes[at..<(at + n)])
    }
    /// The longest sparse array taken (2^27 entries, 1 GiB): its length is not backed by bytes of
    /// the file, so a corrupt length would otherwise allocate up to 16 GiB (found by fuzzing).
    static let maxSparse = 1 << 27

    mutating func sparse() throws -> [Int64] {
        let n = Int(try int())
        guard n >= 0, n <= Self.maxSparse else { throw Truncated() }
        var a = [Int64](repeating: 0, count: n)
        let nz = try length()
        for _ in 0..<nz {
            let k = Int(try int())
            guard k >= 0 && k < n else { throw Truncated() }
            a[k] = try int()
        }
        return a
    }
}
