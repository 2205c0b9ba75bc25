import Hazards
import InfraGraph
import InfraModel
import Simulation
import Stochastics

#if canImport(Glibc)
    import Glibc
#endif

/// A scenario's timed-mode constants (docs/specification.md section 5): event windows, repair curves, crews,
/// repair order, backups, population and weights, resolved once into flat arrays.
///
/// Elements are numbered assets first (0..<assets), then links (assets + l).
///
/// - Repair time of an element damaged by event e: lognormal, median × exp(beta · Φ⁻¹(u)), from
///   the element's `repair_hours`/`repair_beta` (a missing beta: the library's for that hazard,
///   else 0), else the library's curve for (kind, hazard of e) or (kind, `*`); attacks use the
///   hazard name `attack`. u is the keyed uniform of key
///   `SplitMix64.hash(DrawKeys.elementKey(event: e, idKey: nameKey(id)), repairTag)`, so a
///   repair time depends only on (seed, sample, event, id).
/// - Repair order with crews: `priority` (higher first), then `n1_impact` (higher first), then id.
public struct TimedPlan: Sendable {
    public let horizon: Double
    public let step: Double
    public let assetCount: Int
    public let linkCount: Int
    /// Per event: start time, and the end of what it puts out (infinity: to the horizon and beyond).
    let eventStart: [Double]
    let eventOutDuration: [Double]
    /// Per event: index into the per-(hazard, kind) repair table.
    let eventHazard: [Int32]
    let kindCount: Int
    /// Per hazard h and kind k: `repairMedian[h * kindCount + k]` (NaN: no curve).
    let repairMedian: [Double], repairBeta: [Double]
    /// Per element overrides (NaN: none).
    let elemRepairMedian: [Double], elemRepairBeta: [Double]
    /// Per element: factor on its repair median (`Scenario.repairFactor`; empty: 1).
    let elemRepairFactor: [Double]
    let elemKind: [Int32]
    /// Per element: the key of its id (`DrawKeys.nameKey`).
    let elemIdKey: [UInt64]
    /// Per element: owner code, or -1.
    let elemOwner: [Int32]
    /// Per owner code: crews (0: everything in parallel).
    let ownerCrews: [Int32]
    /// Per element: its position in the repair order (smaller first).
    let repairRank: [Int32]
    /// Requirements with backup hours > 0, and their hours.
    let backedReq: [Int32], backedHours: [Double]
    let population: [Double]
    /// Weight and population per sector code.
    let sectorWeight: [Double]
    let sectorPopulation: [Double]

    /// Mixed into repair-time keys so they differ from damage draws of the same (event, id).
    static let repairTag: UInt64 = 0x5245_5041_4952_0001 // "REPAIR"

    public enum PlanError: Error, CustomStringConvertible {
        case missingRepair(event: Int, line: Int, hazard: String, kind: String, element: String)
        case invalidRepair(element: String, median: Double, beta: Double)

        public var description: String {
            switch self {
            case let .missingRepair(e, line, hazard, kind, element):
                return
                    "event \(e + 1) (line \(line)) can damage '\(element)' of kind '\(kind)', which has no repair curve: expected repair_hours on the element, or a fragility library row for kind '\(kind)' and hazard '\(hazard)' (or '*') with repair_median_hours"
            case let .invalidRepair(element, median, beta):
                return "'\(element)': expected a repair median > 0 and a beta ≥ 0, found median \(median), beta \(beta)"
            }
        }
    }

    /// Resolves the timed constants of `scenario` (its graph and hazard plan already built).
    /// Computes `n1_impact` for the elements that crews may have to order.
    /// - Complexity: O(events × reachable elements + crew candidates × static cascade).
    public init(scenario: Scenario, graph: CompiledGraph, plan: HazardPlan) throws(PlanError) {
        let net = scenario.network
        let sim = scenario.simulation
        horizon = sim.horizonHours
        step = sim.stepHours
        assetCount = net.assets.count
        linkCount = net.links.count
        let nA = net.assets.count, nE = nA + net.links.count
        kindCount = max(1, net.kinds.count)

        var starts: [Double] = [], outs: [Double] = [], hazardOf: [Int32] = []
        var hazards: [String] = []
        for ev in scenario.events {
            starts.append(ev.startHours)
            var duration = Double.infinity
            switch ev.kind {
            case .outage(_, let d), .supplyInterruption(let d), .contamination(let d): duration = d ?? .infinity
            default: break
            }
            outs.append(duration)
            let name: String
            switch ev.kind {
            case .hazard(let h, _, _): name = h
            default: name = ev.kind.typeName
            }
            if let k = hazards.firstIndex(of: name) {
                hazardOf.append(Int32(k))
            } else {
                hazardOf.append(Int32(hazards.count)); hazards.append(name)
            }
        }
        eventStart = starts; eventOutDuration = outs; eventHazard = hazardOf

        var rm = [Double](repeating: .nan, count: max(1, hazards.count) * kindCount), rb = rm
        for (h, hazard) in hazards.enumerated() {
            for k in 0..<net.kinds.count {
                if let c = scenario.fragility.repairCurve(kind: net.kinds[Int32(k)], hazard: hazard) {
                    rm[h * kindCount + k] = c.medianHours; rb[h * kindCount + k] = c.beta
                }
            }
        }
        repairMedian = rm; repairBeta = rb

        let ac = net.assets.common, lc = net.links.common
        elemRepairMedian = ac.repairHours.array + lc.repairHours.array
        elemRepairBeta = ac.repairBeta.array + lc.repairBeta.array
        elemRepairFactor = scenario.repairFactor.count == nE ? scenario.repairFactor : []
        elemKind = ac.kind.array + lc.kind.array
        elemOwner = ac.owner.array + lc.owner.array
        var keys = [UInt64](repeating: 0, count: nE)
        for a in 0..<assetCount { keys[a] = net.ids.withBytes(net.assets.idIndex[a]) { DrawKeys.nameKey($0) } }
        for l in 0..<linkCount { keys[assetCount + l] = net.ids.withBytes(net.links.idIndex[l]) { DrawKeys.nameKey($0) } }
        elemIdKey = keys

        // every element an event can damage has a valid repair curve
        var damageable = [Bool](repeating: false, count: nE)
        for (e, ev) in scenario.events.enumerated() {
            switch ev.kind {
            case .hazard, .attack: break
            default: continue
            }
            let (assets, links) = plan.elements(ofEvent: e)
            for x in assets.map({ Int($0) }) + links.map({ nA + Int($0) }) {
                damageable[x] = true
                let m = elemRepairMedian[x].isNaN ? rm[Int(hazardOf[e]) * kindCount + Int(elemKind[x])] : elemRepairMedian[x]
                let id = x < assetCount ? net.assetId(Int32(x)) : net.ids[net.links.idIndex[x - assetCount]]
                guard !m.isNaN else {
                    throw .missingRepair(
                        event: e, line: ev.line, hazard: hazards[Int(hazardOf[e])],
                        kind: net.kinds[elemKind[x]], element: id)
                }
                let b = Self.beta(x, Int(hazardOf[e]), elemRepairBeta, rb, elemKind, kindCount)
                guard m > 0, m.isFinite, b >= 0, b.isFinite else { throw .invalidRepair(element: id, median: m, beta: b) }
            }
        }

        // crews and the repair order (priority, then n1_impact, then id)
        var crews = [Int32](repeating: 0, count: net.owners.count)
        for (owner, count) in scenario.crews {
            if let o = net.owners.names.firstIndex(of: owner) { crews[o] = Int32(count) }
        }
        ownerCrews = crews
        let weights = net.sectors.names.map { scenario.weight(sector: $0) }
        var n1 = [Double](repeating: 0, count: nE)
        if crews.contains(where: { $0 > 0 }) {
            var impact = N1Impact(graph: graph, population: net.assets.population, weight: weights)
            for x in 0..<nE where damageable[x] && elemOwner[x] >= 0 && crews[Int(elemOwner[x])] > 0 {
                n1[x] = x < assetCount ? impact.asset(x) : impact.link(x - assetCount)
            }
        }
        let priority = ac.priority.array + lc.priority.array
        let order = (0..<nE).sorted { x, y in
            if priority[x] != priority[y] { return priority[x] > priority[y] }
            if n1[x] != n1[y] { return n1[x] > n1[y] }
            let ix = x < nA ? net.assets.idIndex[x] : net.links.idIndex[x - nA]
            let iy = y < nA ? net.assets.idIndex[y] : net.links.idIndex[y - nA]
            return net.ids.less(ix, iy)
        }
        var rank = [Int32](repeating: 0, count: nE)
        for (k, x) in order.enumerated() { rank[x] = Int32(k) }
        repairRank = rank

        var br: [Int32] = [], bh: [Double] = []
        for r in 0..<graph.requirementCount {
            let h = net.dependencies.backupHours[graph.row(slot: graph.slots(r).lowerBound)]
            if h > 0 { br.append(Int32(r)); bh.append(h) }
        }
        backedReq = br; backedHours = bh
        population = net.assets.population
        sectorWeight = weights
        var sp = [Double](repeating: 0, count: net.sectors.count)
        for a in 0..<assetCount { sp[Int(ac.sector[a])] += net.assets.population[a] }
        sectorPopulation = sp
    }

    /// Owners with crews whose repair order differs between this plan and `other` (a plan of
    /// the same model with links or dependency rows added, whose elements keep their indices):
    /// a changed `n1_impact` can reorder an owner's repairs in any sample that damages it.
    /// - Complexity: O(elements log elements).
    public func ownersWithChangedRepairOrder(comparedTo other: TimedPlan) -> [Int32] {
        let nE = assetCount + linkCount
        var changed = Set<Int32>()
        let byRank = (0..<nE).sorted { repairRank[$0] < repairRank[$1] }
        var lastOther = [Int32: Int32]()
        for x in byRank {
            let o = elemOwner[x]
            guard o >= 0, Int(o) < ownerCrews.count, ownerCrews[Int(o)] > 0 else { continue }
            let xo = x < assetCount ? x : other.assetCount + (x - assetCount)
            guard xo < other.repairRank.count else { changed.insert(o); continue }
            let r = other.repairRank[xo]
            if let last = lastOther[o], r < last { changed.insert(o) }
            lastOther[o] = r
        }
        return changed.sorted()
    }

    /// The repair beta of element x for hazard h: its own, else the library's, else 0.
    static func beta(_ x: Int, _ h: Int, _ own: [Double], _ library: [Double], _ kind: [Int32], _ kinds: Int) -> Double {
        if !own[x].isNaN { return own[x] }
        let b = library[h * kinds + Int(kind[x])]
        return b.isNaN ? 0 : b
    }

    /// The sampled repair time of element x damaged by event e in sample `index` of `seed`.
    @inline(__always)
    func repairHours(element x: Int, event e: Int, seed: UInt64, index: Int) -> Double {
        let h = Int(eventHazard[e])
        var median = elemRepairMedian[x].isNaN ? repairMedian[h * kindCount + Int(elemKind[x])] : elemRepairMedian[x]
        if !elemRepairFactor.isEmpty { median *= elemRepairFactor[x] }
        let beta = Self.beta(x, h, elemRepairBeta, repairBeta, elemKind, kindCount)
        if beta == 0 { return median }
        let key = SplitMix64.hash(DrawKeys.elementKey(event: e, idKey: elemIdKey[x]), Self.repairTag)
        let bits = SplitMix64.hash(seed, UInt64(index), key)
        let u = (Double(bits >> 11) + 0.5) * 0x1p-53 // open interval (0, 1)
        return median * exp(beta * Distributions.normalQuantile(u))
    }
}
