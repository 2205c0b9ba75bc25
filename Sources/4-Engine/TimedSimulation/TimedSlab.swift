/// One chunk's per-sample results in timed mode, in sample order (a `WorkerPool` result): loss,
/// and per sector the peak people without service, people-hours and restore95; the curve; the
/// loss per owner.
struct TimedSlab: Sendable {
    var loss: [Double] = [], peak: [Double] = [], hours: [Double] = [], restore: [Double] = []
    var curveT: [[Double]] = [], curveP: [[Double]] = []
    var ownerLoss: [Double] = []

    /// Empty, with room for `samples` samples.
    init(samples: Int, sectors: Int, owners: Int) {
        loss.reserveCapacity(samples); peak.reserveCapacity(samples * sectors)
        hours.reserveCapacity(samples * sectors); restore.reserveCapacity(samples * sectors)
        curveT.reserveCapacity(samples); curveP.reserveCapacity(samples)
        ownerLoss.reserveCapacity(samples * owners)
    }

    /// Empty again, keeping the capacity (samples simulated again one at a time).
    mutating func removeAll() {
        loss.removeAll(keepingCapacity: true); peak.removeAll(keepingCapacity: true)
        hours.removeAll(keepingCapacity: true); restore.removeAll(keepingCapacity: true)
        curveT.removeAll(keepingCapacity: true); curveP.removeAll(keepingCapacity: true)
        ownerLoss.removeAll(keepingCapacity: true)
    }
}

/// One thread's accumulators over a block of timed samples: per asset, samples hit and samples
/// down and the outage time (integers: exact in any order); the nonzero outage durations; the
/// watched failures; the state computations.
struct TimedCounters {
    var damagedCount: [Int64], outageCount: [Int64], outageMicroHours: [Int64]
    /// Per nonzero outage: asset, sample, hours (negative: censored at the horizon).
    var durAsset: [Int32] = [], durSample: [Int32] = [], durHours: [Double] = []
    /// (sample × watch count + position) of every watched failure seen.
    var watchHits: [Int] = []
    var stateComputations: Int64 = 0

    init(assets: Int) {
        damagedCount = [Int64](repeating: 0, count: assets)
        outageCount = damagedCount
        outageMicroHours = damagedCount
    }

    /// All zero and empty (a new block), keeping the capacity.
    mutating func reset() {
        for a in damagedCount.indices { damagedCount[a] = 0; outageCount[a] = 0; outageMicroHours[a] = 0 }
        durAsset.removeAll(keepingCapacity: true); durSample.removeAll(keepingCapacity: true); durHours.removeAll(keepingCapacity: true)
        watchHits.removeAll(keepingCapacity: true)
        stateComputations = 0
    }
}
