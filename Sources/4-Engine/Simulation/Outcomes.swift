import Cascade
import InfraGraph
import InfraModel

/// What the rankings need from each sample beyond the headline loss (docs/specification.md section 6): the
/// loss at each owner's assets, zones that lose a service, and dependency rows that carried a
/// failure. Constants shared by every worker.
///
/// - A zone loses sector s when at least 5% of its sector-s population is without service (and
///   someone is).
/// - A dependency row carried a failure when its provider is not working, its requirement does
///   not hold (no backup running), and the consumer was otherwise able to work: not damaged or
///   out itself, and every other requirement of it holds. (Supply of the consumer is not part of
///   the test: the cascade does not record why an asset is not supplied.)
public struct OutcomeLayout: Sendable {
    public let owners: Int
    public let zones: Int
    public let sectors: Int
    /// Per asset: owner code (-1 none), zone × sectors + sector (-1 no zone), weight of its sector.
    let assetOwner: [Int32]
    let assetZoneSector: [Int32]
    let assetWeight: [Double]
    let population: [Double]
    /// Per (zone, sector): population, and 5% of it.
    public let zonePopulation: [Double]
    let zoneThreshold: [Double]
    /// Per dependency row: its requirement and provider slot.
    let rowRequirement: [Int32]
    public let rowCount: Int

    public init(network net: Network, graph g: CompiledGraph, weights: [Double]) {
        owners = net.owners.count
        zones = net.zones.count
        sectors = net.sectors.count
        let c = net.assets.common
        assetOwner = c.owner.array
        var zs = [Int32](repeating: -1, count: g.assetCount), w = [Double](repeating: 1, count: g.assetCount)
        var zp = [Double](repeating: 0, count: max(1, zones * sectors))
        for a in 0..<g.assetCount {
            w[a] = weights[Int(c.sector[a])]
            if c.zone[a] >= 0 {
                zs[a] = c.zone[a] * Int32(sectors) + c.sector[a]
                zp[Int(zs[a])] += net.assets.population[a]
            }
        }
        assetZoneSector = zs
        assetWeight = w
        population = net.assets.population
        zonePopulation = zp
        zoneThreshold = zp.map { 0.05 * $0 }
        rowCount = net.dependencies.count
        var rr = [Int32](repeating: -1, count: rowCount)
        for r in 0..<g.requirementCount {
            for k in g.slots(r) { rr[g.row(slot: k)] = Int32(r) }
        }
        rowRequirement = rr
    }
}

/// One worker's tallies of `OutcomeLayout`'s quantities. Integer accumulators (micro-units) make
/// the sums exact, so they do not depend on how samples were split over threads. A value owned by
/// one worker; sized once, nothing allocated per sample.
public struct OutcomeTally: Sendable {
    let layout: OutcomeLayout
    // per-sample scratch
    /// Weighted people without service at each owner's assets (static) or their integral (timed).
    public var ownerLoss: [Double]
    var zonePeople: [Double]
    /// Weighted people without service at each owner's assets in the current state.
    var ownerRate: [Double]
    var zonePeak: [Double]
    var zoneHours: [Double]
    var zoneLost: [Bool]
    var rowMark: [Int32]
    var carried: [Int32] = []
    var epoch: Int32 = 0
    // accumulators
    public var zoneLostCount: [Int64]
    public var zonePeopleMicro: [Int64]
    public var zoneHoursMicro: [Int64]
    public var rowCarried: [Int64]
    public var rowLossMicro: [Int64]

    public init(_ layout: OutcomeLayout) {
        self.layout = layout
        let zs = max(1, layout.zones * layout.sectors)
        ownerLoss = [Double](repeating: 0, count: layout.owners)
        ownerRate = ownerLoss
        zonePeople = [Double](repeating: 0, count: zs)
        zonePeak = zonePeople; zoneHours = zonePeople
        zoneLost = [Bool](repeating: false, count: zs)
        rowMark = [Int32](repeating: 0, count: layout.rowCount)
        zoneLostCount = [Int64](repeating: 0, count: zs)
        zonePeopleMicro = zoneLostCount; zoneHoursMicro = zoneLostCount
        rowCarried = [Int64](repeating: 0, count: layout.rowCount)
        rowLossMicro = rowCarried
    }

    static func micro(_ x: Double) -> Int64 { Int64((x * 1e6).rounded()) }

    /// Starts a sample.
    public mutating func begin() {
        epoch &+= 1
        if epoch == Int32.max { for k in rowMark.indices { rowMark[k] = 0 }; epoch = 1 }
        carried.removeAll(keepingCapacity: true)
        for o in ownerLoss.indices { ownerLoss[o] = 0; ownerRate[o] = 0 }
        for z in zonePeople.indices { zonePeople[z] = 0 }
        for z in zonePeak.indices { zonePeak[z] = 0; zoneHours[z] = 0; zoneLost[z] = false }
    }

    /// The current state lasts `dt` more: integrates owner losses and zone hours (static mode:
    /// `advance(1)` once, so the "integral" is the value).
    public mutating func advance(_ dt: Double) {
        guard dt > 0 else { return }
        for o in ownerRate.indices where ownerRate[o] != 0 { ownerLoss[o] += ownerRate[o] * dt }
        for z in zonePeople.indices where zonePeople[z] > 0 && zonePeople[z] >= layout.zoneThreshold[z] { zoneHours[z] += dt }
    }

    /// `observe` of the cascade left in `ws`: `hit` per asset, damaged or out; `rowPresent` the
    /// sample's rows, nil when every row is present.
    public mutating func observe(
        graph g: CompiledGraph, workspace ws: CascadeWorkspace, hit: [UInt8], rowPresent: [UInt8]?,
        ownersOnly: Bool = false
    ) {
        // the tally reads the workspace's buffers; the arrays are borrowed as buffers for one call
        hit.withUnsafeBufferPointer { h in
            guard let rowPresent else {
                return observe(
                    graph: g, alive: ws.alive, hit: h, slack: ws.requirementSlack,
                    rowPresent: UnsafeBufferPointer(start: nil, count: 0), ownersOnly: ownersOnly)
            }
            rowPresent.withUnsafeBufferPointer { r in
                observe(graph: g, alive: ws.alive, hit: h, slack: ws.requirementSlack, rowPresent: r, ownersOnly: ownersOnly)
            }
        }
    }

    /// Observes a new state after a cascade (it holds until the next `advance`). `alive`: working
    /// assets; `hit`: damaged or out; `slack`: the workspace's requirement slack (a failed
    /// requirement has slack < 0; a forced one never does); `rowPresent`: rows present in the
    /// sample (empty: all).
    /// (Buffers, not arrays: the engine's kernel hands its workspace over without copies or bounds checks.)
    public mutating func observe(
        graph g: CompiledGraph, alive: UnsafeBufferPointer<UInt8>, hit: UnsafeBufferPointer<UInt8>,
        slack: UnsafeBufferPointer<Int32>, rowPresent: UnsafeBufferPointer<UInt8>, ownersOnly: Bool = false
    ) {
        let L = layout
        for z in zonePeople.indices { zonePeople[z] = 0 }
        for o in ownerRate.indices { ownerRate[o] = 0 }
        for a in 0..<g.assetCount where alive[a] == 0 {
            let p = L.population[a]
            guard p > 0 else { continue }
            let o = Int(L.assetOwner[a])
            if o >= 0 { ownerRate[o] += L.assetWeight[a] * p }
            let z = Int(L.assetZoneSector[a])
            if z >= 0 { zonePeople[z] += p }
        }
        if ownersOnly { return }
        for z in zonePeople.indices where zonePeople[z] > 0 {
            zonePeak[z] = max(zonePeak[z], zonePeople[z])
            if zonePeople[z] >= L.zoneThreshold[z] { zoneLost[z] = true }
        }
        // dependency rows that carried a failure
        let allPresent = rowPresent.isEmpty
        for r in 0..<g.requirementCount where slack[r] < 0 {
            let c = g.consumer(r)
            if hit[c] != 0 { continue }
            var otherwiseAble = true
            for r2 in g.requirements(of: c) where r2 != r && slack[r2] < 0 { otherwiseAble = false; break }
            guard otherwiseAble else { continue }
            for k in g.slots(r) {
                let row = g.row(slot: k)
                if !allPresent && rowPresent[row] == 0 { continue }
                if alive[Int(g.reqProvider[k])] == 0 && rowMark[row] != epoch {
                    rowMark[row] = epoch
                    carried.append(Int32(row))
                }
            }
        }
    }

    /// Ends a sample. `sectorLoss[s]`: the sample's loss in sector s (weighted people, or
    /// weighted people-hours), credited to the rows that carried a failure into that sector.
    /// `timed`: zone people are the peak; else the value.
    public mutating func end(sectorLoss: [Double], consumerSector: (Int) -> Int) {
        for z in zoneLost.indices {
            if zoneLost[z] { zoneLostCount[z] += 1 }
            zonePeopleMicro[z] += Self.micro(zonePeak[z])
            zoneHoursMicro[z] += Self.micro(zoneHours[z])
        }
        for row in carried {
            rowCarried[Int(row)] += 1
            rowLossMicro[Int(row)] += Self.micro(sectorLoss[consumerSector(Int(row))])
        }
    }

    /// Zeroes the accumulators (a new block of samples).
    public mutating func resetAccumulators() {
        for k in zoneLostCount.indices { zoneLostCount[k] = 0; zonePeopleMicro[k] = 0; zoneHoursMicro[k] = 0 }
        for k in rowCarried.indices { rowCarried[k] = 0; rowLossMicro[k] = 0 }
    }

    /// Adds `other`'s accumulators into this one.
    public mutating func merge(_ other: OutcomeTally) {
        for k in zoneLostCount.indices {
            zoneLostCount[k] += other.zoneLostCount[k]; zonePeopleMicro[k] += other.zonePeopleMicro[k]
            zoneHoursMicro[k] += other.zoneHoursMicro[k]
        }
        for k in rowCarried.indices { rowCarried[k] += other.rowCarried[k]; rowLossMicro[k] += other.rowLossMicro[k] }
    }
}

/// Zone, dependency and per-owner results of a run (`MonteCarloResult.outcomes`).
public struct OutcomeResult: Sendable {
    /// Per (zone × sectors + sector): samples in which the zone lost the sector; mean peak people
    /// without service; mean hours with ≥ 5% without (timed).
    public var zoneLost: [Int64]
    public var zonePeopleMean: [Double]
    public var zoneHoursMean: [Double]
    public var zonePopulation: [Double]
    /// Per dependency row: samples in which it carried a failure, and the mean loss in the
    /// consumer's sector over those samples.
    public var rowCarried: [Int64]
    public var rowLossFollowing: [Double]
    /// Per sample and owner: loss at the owner's assets (`ownerLoss[i * owners + o]`).
    public var ownerLoss: [Double]
    public var owners: Int

    public init(tally t: OutcomeTally, samples n: Int, ownerLoss: [Double]) {
        let d = Double(max(1, n))
        zoneLost = t.zoneLostCount
        zonePeopleMean = t.zonePeopleMicro.map { Double($0) * 1e-6 / d }
        zoneHoursMean = t.zoneHoursMicro.map { Double($0) * 1e-6 / d }
        zonePopulation = t.layout.zonePopulation
        rowCarried = t.rowCarried
        rowLossFollowing = zip(t.rowLossMicro, t.rowCarried).map { $1 > 0 ? Double($0) * 1e-6 / Double($1) : 0 }
        self.ownerLoss = ownerLoss
        owners = t.layout.owners
    }
}
