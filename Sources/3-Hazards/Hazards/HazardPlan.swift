import InfraGraph
import InfraModel
import Stochastics

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Why a scenario's events cannot be compiled into a `HazardPlan`.
public enum HazardPlanError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `attack` with `strategy: criticality` needs `n1_impact` rankings, which this stage does not have yet.
    case criticalityNeedsRankings(event: Int, line: Int)
    /// A hazard reaches an element with intensity > 0 whose kind has no curve for it.
    case missingFragility(event: Int, line: Int, hazard: String, kind: String, element: String)
    /// A fragility curve with a median that is not > 0 or a beta that is not ≥ 0.
    case invalidFragility(event: Int, line: Int, hazard: String, element: String, median: Double, beta: Double)
    /// An attack asks for more targets than its selection holds.
    case attackCountTooLarge(event: Int, line: Int, count: Int, candidates: Int)
    /// The compiled graph was not compiled from the scenario's network.
    case graphMismatch(assets: Int, links: Int, graphAssets: Int, graphLinks: Int)

    public var description: String {
        switch self {
        case let .criticalityNeedsRankings(e, line):
            return
                "events[\(e)] (line \(line)): attack strategy 'criticality' needs the n1_impact of every asset, which the caller did not compute (a fault of Kaskada: please report it)"
        case let .missingFragility(e, line, h, kind, el):
            return
                "events[\(e)] (line \(line)): hazard '\(h)' reaches '\(el)' of kind '\(kind)' with intensity > 0, and kind '\(kind)' has no \(h) fragility curve"
        case let .invalidFragility(e, line, h, el, m, b):
            return "events[\(e)] (line \(line)): the \(h) fragility curve of '\(el)' has median \(m) and beta \(b): expected median > 0 and beta ≥ 0"
        case let .attackCountTooLarge(e, line, c, n):
            return "events[\(e)] (line \(line)): attack count \(c) exceeds the \(n) assets of its selection"
        case let .graphMismatch(a, l, ga, gl):
            return "the compiled graph (\(ga) assets, \(gl) links) does not belong to the scenario's network (\(a) assets, \(l) links)"
        }
    }
}

/// A scenario's events compiled for sampling: everything that does not change between samples,
/// in contiguous arrays. Built once per scenario; `sample(_:seed:stream:into:)` fills a
/// `SampleDamage` per sample without allocating.
///
/// ## Random numbers (common random numbers)
///
/// Sample `i` of seed `s` is a pure function of `(s, i)`. Mitigation comparisons rely on this
/// exact scheme: change it and paired differences are no longer paired.
///
/// 1. **The GSL stream.** `stream.reseed(seed: s, index: UInt64(i))` comes first. Then, for each
///    event in scenario order:
///    - a hazard event draws, when `event_sigma > 0`, one `z = stream.normal()` (event factor
///      `exp(event_sigma · z)`);
///    - an `attack` with strategy `random` chooses `count` of its `n` candidates (the selection's
///      assets, or all assets, in id byte order) by Floyd's algorithm: for `j` in `n − count ..< n`,
///      `t = stream.uniformInt(below: j + 1)`; it takes candidate `t`, or candidate `j` when `t`
///      was already taken.
///
///    Nothing else reads the stream.
///
///    Zone factors (when `zone_sigma > 0`) do not read the stream: zone z's factor in event e is
///    `exp(zone_sigma · Φ⁻¹(u))` with `u` the keyed uniform of key
///    `SplitMix64.hash(UInt64(e), nameKey(zone name)) | 1 << 62`, mapped into the open interval
///    (0, 1); so adding or reordering zones changes no other zone's factor.
/// 2. **Keyed uniforms** `u = SplitMix64.u01(SplitMix64.hash(s, UInt64(i), key))`, independent of
///    the stream and of which other elements exist or are selected (`DrawKeys`):
///    - an asset or link acted on by event `e` (index in scenario order):
///      `key = SplitMix64.hash(UInt64(e), nameKey(id)) & ~(1 << 63)`, where
///      `nameKey(id) = SplitMix64.hash(w0, …, w(m−1), UInt64(byteCount))` over the id's UTF-8
///      bytes as little-endian 8-byte words (last zero-padded). Hazard: damaged iff
///      `u < Φ(a + b · ln(eventFactor · zoneFactor))` with `a = (ln IM − ln median)/beta`,
///      `b = 1/beta` (Φ = `gsl_cdf_ugaussian_P`). Outage: out iff `u < probability`;
///    - dependency row (consumer, provider, group):
///      `key = SplitMix64.hash(nameKey(consumer id), nameKey(provider id), nameKey(group)) | 1 << 63`;
///      present iff `u < probability`.
///
///    Keys follow ids and names, not table positions, so adding or reordering rows of any file
///    changes no other element's or row's draw. Draws whose outcome is certain are skipped with the
///    same result: probability ≥ 1 (`u < 1` always), and beta-0 step curves, which need no uniform
///    (damaged iff `IM · factors ≥ median`).
///
/// **Elements without a zone**, under `zone_sigma > 0`, each take their own zone factor,
/// independent of every other element's (as if each were a zone of its own), so an element's
/// damage probability does not depend on whether its zone is filled in, and unzoned elements are
/// not made to fail together. That factor is integrated out exactly, using no random number:
/// `E[Φ(c + b·σ·Z)] = Φ(c / √(1 + b²σ²))`, so its curve becomes `a/√(1 + b²σ²)`, `b/√(1 + b²σ²)`
/// (a step curve becomes `a = (ln IM − ln median)/σ`, `b = 1/σ`).
///
/// An asset or link damaged by any event is damaged (1); out (2) only when no event damaged it.
public struct HazardPlan: Sendable {
    public let assetCount: Int
    public let linkCount: Int
    /// Dependency rows of the network.
    public let rowCount: Int
    /// Zones of the model (`Network.zones.count`).
    public let zoneCount: Int
    /// Dependency rows with probability < 1, in row order (the others are always present).
    public let uncertainRows: [Int32]

    enum Op: UInt8, Sendable {
        /// Each element is hit with its fixed probability `elA[i]`.
        case fixed
        /// Hazard with uncertainty: `Φ(elA + elB · ln factor)`, or a step when `elB == 0`.
        case fragility
        /// `count` distinct targets among `candidates[cand]`, chosen with the GSL stream.
        case attackRandom
    }

    struct Step: Sendable {
        var op: Op
        /// 1 damaged, 2 out.
        var state: UInt8
        var assets: Range<Int>
        var links: Range<Int>
        var cand: Range<Int>
        var count: Int
        var eventSigma: Double
        var zoneSigma: Double
        /// The event's position in the scenario (zone-factor keys).
        var eventIndex: UInt64 = 0
    }

    let steps: [Step]
    // Flat element arrays; `Step.assets` and `Step.links` are ranges into them.
    let elTarget: [Int32]
    let elKey: [UInt64]
    let elA: [Double]
    let elB: [Double]
    let elZone: [Int32]
    let candidates: [Int32]
    /// Per zone code: the key of its name, for zone factors.
    let zoneKey: [UInt64]
    let rowKey: [UInt64]
    let rowP: [Double]
    let maxAssetHits: Int
    let maxLinkHits: Int
    let needsMarks: Bool

    public var eventCount: Int { steps.count }

    /// Compiles `scenario`'s events against `graph` (compiled from `scenario.network`).
    /// - Complexity: O(events × (assets + links)) for the reach, plus O(c log c) per degree attack.
    /// - Parameter criticality: `n1_impact` of every asset on the undamaged model (docs/specification.md
    ///   section 6), needed by `attack` events with `strategy: criticality`; nil otherwise.
    public init(scenario: Scenario, graph: CompiledGraph, criticality: [Double]? = nil) throws(HazardPlanError) {
        let net = scenario.network
        guard graph.assetCount == net.assets.count, graph.linkCount == net.links.count else {
            throw .graphMismatch(
                assets: net.assets.count, links: net.links.count,
                graphAssets: graph.assetCount, graphLinks: graph.linkCount)
        }
        assetCount = net.assets.count
        linkCount = net.links.count
        rowCount = net.dependencies.count
        zoneCount = net.zones.count
        zoneKey = net.zones.names.map { DrawKeys.nameKey($0) }
        let noZone = Int32(net.zones.count) // the zero slot of `zoneLogFactor`

        func idKey(_ idIndex: Int32) -> UInt64 { net.ids.withBytes(idIndex) { DrawKeys.nameKey($0) } }

        var steps: [Step] = []
        var tgt: [Int32] = [], key: [UInt64] = [], ea: [Double] = [], eb: [Double] = [], ez: [Int32] = []
        var cands: [Int32] = []
        var assetBound = 0, linkBound = 0, marks = false

        func add(_ t: Int32, _ k: UInt64, _ a: Double, _ b: Double, _ z: Int32) {
            tgt.append(t); key.append(k); ea.append(a); eb.append(b); ez.append(z)
        }

        for (e, ev) in scenario.events.enumerated() {
            var step = Step(
                op: .fixed, state: 2, assets: 0..<0, links: 0..<0, cand: 0..<0, count: 0,
                eventSigma: 0, zoneSigma: 0)
            switch ev.kind {
            case let .hazard(hazard, _, unc):
                let reach = ev.reach ?? HazardField.reached(by: ev, network: net)
                let fixed = !(unc.eventSigma > 0) && !(unc.zoneSigma > 0)
                step.op = fixed ? .fixed : .fragility
                step.state = 1
                step.eventSigma = max(unc.eventSigma, 0)
                step.zoneSigma = max(unc.zoneSigma, 0)
                let zs = step.zoneSigma
                var libraryCache: [Int32: (Double, Double)?] = [:]
                // a connector (an imported source's link to its node, docs/specification.md section 11) has no
                // fragility of its own: no hazard reaches it
                let connector = net.kinds.code("connector") ?? -1
                func elements(_ list: [(Int32, Double)], _ cols: ElementColumns, _ ids: IndexColumn) throws(HazardPlanError) -> Range<Int> {
                    let start = tgt.count
                    let over = cols.fragility[hazard]
                    for (t, im) in list {
                        let i = Int(t)
                        if cols.kind[i] == connector { continue }
                        var median = Double.nan, beta = Double.nan
                        if let o = over, i < o.median.count, !o.median[i].isNaN {
                            median = o.median[i]; beta = o.beta[i]
                        } else {
                            let kind = cols.kind[i]
                            let c: (Double, Double)?
                            if let cached = libraryCache[kind] {
                                c = cached
                            } else {
                                let curve = scenario.fragility.damageCurve(kind: net.kinds[kind], hazard: hazard)
                                c = curve.map { ($0.median!, $0.beta!) }
                                libraryCache[kind] = c
                            }
                            guard let (m, b) = c else {
                                throw .missingFragility(
                                    event: e, line: ev.line, hazard: hazard, kind: net.kinds[kind],
                                    element: net.ids[ids[i]])
                            }
                            median = m; beta = b
                        }
                        guard median > 0, median.isFinite, beta >= 0, beta.isFinite else {
                            throw .invalidFragility(
                                event: e, line: ev.line, hazard: hazard, element: net.ids[ids[i]],
                                median: median, beta: beta)
                        }
                        let c = log(im) - log(median)
                        if fixed {
                            let p = beta == 0 ? (im >= median ? 1.0 : 0.0) : Distributions.normalCDF(c / beta)
                            if p > 0 { add(t, DrawKeys.elementKey(event: e, idKey: idKey(ids[i])), p, 0, noZone) }
                            continue
                        }
                        var a = beta == 0 ? c : c / beta
                        var b = beta == 0 ? 0 : 1 / beta
                        var z = noZone
                        if zs > 0 {
                            let zone = cols.zone[i]
                            if zone >= 0 {
                                z = zone
                            } else if b == 0 {
                                a = c / zs; b = 1 / zs
                            } else {
                                let s = (1 + b * b * zs * zs).squareRoot()
                                a /= s; b /= s
                            }
                        }
                        add(t, DrawKeys.elementKey(event: e, idKey: idKey(ids[i])), a, b, z)
                    }
                    return start..<tgt.count
                }
                step.assets = try elements(Array(zip(reach.assets, reach.assetIntensity)), net.assets.common, net.assets.idIndex)
                step.links = try elements(Array(zip(reach.links, reach.linkIntensity)), net.links.common, net.links.idIndex)

            case let .outage(probability, _):
                let m = ev.match ?? SelectionMatch()
                let start = tgt.count
                if probability > 0 {
                    for a in m.assets {
                        add(a, DrawKeys.elementKey(event: e, idKey: idKey(net.assets.idIndex[Int(a)])), probability, 0, noZone)
                    }
                }
                step.assets = start..<tgt.count
                let lstart = tgt.count
                if probability > 0 {
                    for l in m.links {
                        add(l, DrawKeys.elementKey(event: e, idKey: idKey(net.links.idIndex[Int(l)])), probability, 0, noZone)
                    }
                }
                step.links = lstart..<tgt.count

            case .supplyInterruption:
                let m = ev.match ?? SelectionMatch()
                let start = tgt.count
                for a in m.assets where net.assets.role[Int(a)] == .source { add(a, 0, 1, 0, noZone) }
                step.assets = start..<tgt.count
                step.links = tgt.count..<tgt.count

            case .contamination:
                let m = ev.match ?? SelectionMatch()
                let start = tgt.count
                for a in m.assets { add(a, 0, 1, 0, noZone) }
                step.assets = start..<tgt.count
                let lstart = tgt.count
                for l in m.links { add(l, 0, 1, 0, noZone) }
                step.links = lstart..<tgt.count

            case let .attack(count, strategy):
                step.state = 1
                let pool: [Int32] = ev.match?.assets ?? Array(0..<Int32(net.assets.count))
                guard count <= pool.count else {
                    throw .attackCountTooLarge(event: e, line: ev.line, count: count, candidates: pool.count)
                }
                var chosen: [Int32] = []
                switch strategy {
                case .criticality:
                    // highest n1_impact on the undamaged model first, then by id (docs/specification.md section 3)
                    guard let impact = criticality, impact.count == net.assets.count else {
                        throw .criticalityNeedsRankings(event: e, line: ev.line)
                    }
                    let ranked = pool.sorted { x, y in
                        let ix = impact[Int(x)], iy = impact[Int(y)]
                        return ix != iy ? ix > iy : graph.idRank(Int(x)) < graph.idRank(Int(y))
                    }
                    chosen = Array(ranked.prefix(count))
                case .random:
                    step.op = .attackRandom
                    step.count = max(count, 0)
                    let start = cands.count
                    cands.append(contentsOf: pool.sorted { graph.idRank(Int($0)) < graph.idRank(Int($1)) })
                    step.cand = start..<cands.count
                    marks = true
                case .degree:
                    // total number of links at the asset (links join assets of one sector), then id
                    func degree(_ a: Int32) -> Int32 { graph.adjStart[Int(a) + 1] - graph.adjStart[Int(a)] }
                    let ranked = pool.sorted { x, y in
                        let dx = degree(x), dy = degree(y)
                        return dx != dy ? dx > dy : graph.idRank(Int(x)) < graph.idRank(Int(y))
                    }
                    chosen = Array(ranked.prefix(count))
                case .listed:
                    let inPool = Set(pool)
                    var seen = Set<Int32>()
                    for id in ev.select?.ids ?? [] where chosen.count < count {
                        if case .asset(let a)? = net.element(id), inPool.contains(a), seen.insert(a).inserted {
                            chosen.append(a)
                        }
                    }
                }
                let start = tgt.count
                for a in chosen.sorted() { add(a, 0, 1, 0, noZone) }
                step.assets = start..<tgt.count
                step.links = tgt.count..<tgt.count
            }
            assetBound += step.assets.count + step.count
            linkBound += step.links.count
            step.eventIndex = UInt64(e)
            steps.append(step)
        }

        var rows: [Int32] = [], rk: [UInt64] = [], rp: [Double] = []
        let deps = net.dependencies
        var groupKeys: [UInt64?] = Array(repeating: nil, count: net.groups.count)
        for r in 0..<deps.count where deps.probability[r] < 1 {
            let g = Int(deps.group[r])
            let gk = groupKeys[g] ?? DrawKeys.nameKey(net.groups[deps.group[r]])
            groupKeys[g] = gk
            rows.append(Int32(r))
            rk.append(
                DrawKeys.rowKey(
                    consumer: idKey(net.assets.idIndex[Int(deps.consumer[r])]),
                    provider: idKey(net.assets.idIndex[Int(deps.provider[r])]), group: gk))
            rp.append(deps.probability[r])
        }

        self.steps = steps
        elTarget = tgt; elKey = key; elA = ea; elB = eb; elZone = ez
        candidates = cands
        uncertainRows = rows; rowKey = rk; rowP = rp
        maxAssetHits = min(assetBound, net.assets.count)
        maxLinkHits = min(linkBound, net.links.count)
        needsMarks = marks
    }

    /// A `SampleDamage` of the right size with every buffer the sampler needs reserved.
    public func makeDamage() -> SampleDamage {
        var d = SampleDamage(assets: assetCount, links: linkCount, rows: rowCount)
        prepare(&d)
        return d
    }

    /// The assets and links event `e` can act on in some sample: reached hazard elements (with a
    /// damage probability > 0 when the event has no uncertainty), selected assets/links of outages
    /// (probability > 0), sources of a supply interruption, the targets of a `degree` or `listed`
    /// attack, or the candidates of a `random` attack. In index order.
    public func elements(ofEvent e: Int) -> (assets: [Int32], links: [Int32]) {
        let s = steps[e]
        if s.op == .attackRandom { return (Array(candidates[s.cand]), []) }
        return (Array(elTarget[s.assets]), Array(elTarget[s.links]))
    }

    func prepare(_ d: inout SampleDamage) {
        if d.hitAssets.capacity < maxAssetHits { d.hitAssets.reserveCapacity(maxAssetHits) }
        if d.hitLinks.capacity < maxLinkHits { d.hitLinks.reserveCapacity(maxLinkHits) }
        if d.zoneLogFactor.count != zoneCount + 1 { d.zoneLogFactor = [Double](repeating: 0, count: zoneCount + 1) }
        if needsMarks && d.attackMark.count != assetCount {
            d.attackMark = [UInt32](repeating: 0, count: assetCount)
            d.attackEpoch = 0
        }
    }

    /// Fills `d` with what the events do in sample `index` of `seed` (see the type's documentation
    /// for the random numbers). `d` must be sized for this plan's network (`makeDamage()`).
    ///
    /// Allocates nothing after the first call with a given `d`; resets only what the previous sample
    /// set (`hitAssets`, `hitLinks`) and rewrites only the rows with probability < 1.
    /// - Complexity: O(reached/selected elements + events + zones × events with `zone_sigma > 0`
    ///   + uncertain rows), plus O(h log h) when several events hit assets out of index order.
    public func sample(_ index: Int, seed: UInt64, stream: RandomStream, into d: inout SampleDamage) {
        var none = NoEventLog()
        sample(index, seed: seed, stream: stream, into: &d, recorder: &none)
    }

    /// As `sample(_:seed:stream:into:)`, and lists in `log` every (event, element, state) the
    /// events produced, in event order, then draw order within an event (timed mode). The same
    /// random numbers are drawn: `d` is the same as without a log.
    /// - Complexity: as `sample(_:seed:stream:into:)`, plus O(1) per hit.
    public func sample(_ index: Int, seed: UInt64, stream: RandomStream, into d: inout SampleDamage, log: inout EventLog) {
        sample(index, seed: seed, stream: stream, into: &d, recorder: &log)
    }

    /// The sampler, specialised for each recorder.
    func sample<Recorder: HitRecorder>(
        _ index: Int, seed: UInt64, stream: RandomStream, into d: inout SampleDamage,
        recorder log: inout Recorder
    ) {
        precondition(
            d.asset.count == assetCount && d.link.count == linkCount && d.rowPresent.count == rowCount,
            "SampleDamage sized for \(d.asset.count) assets, \(d.link.count) links, \(d.rowPresent.count) rows; the plan has \(assetCount), \(linkCount), \(rowCount)"
        )
        prepare(&d)
        for a in d.hitAssets { d.asset[Int(a)] = 0 }
        d.hitAssets.removeAll(keepingCapacity: true)
        for l in d.hitLinks { d.link[Int(l)] = 0 }
        d.hitLinks.removeAll(keepingCapacity: true)

        stream.reseed(seed: seed, index: UInt64(index))
        var assetsSorted = true, linksSorted = true
        let uIndex = UInt64(index)

        log.begin()
        for step in steps {
            let event = Int32(step.eventIndex)
            switch step.op {
            case .fixed:
                for i in step.assets {
                    let p = elA[i]
                    if p >= 1 || SplitMix64.u01(SplitMix64.hash(seed, uIndex, elKey[i])) < p {
                        d.hitAsset(elTarget[i], step.state, &assetsSorted)
                        log.record(event: event, element: elTarget[i], state: step.state)
                    }
                }
                for i in step.links {
                    let p = elA[i]
                    if p >= 1 || SplitMix64.u01(SplitMix64.hash(seed, uIndex, elKey[i])) < p {
                        d.hitLink(elTarget[i], step.state, &linksSorted)
                        log.record(event: event, element: -(elTarget[i] + 1), state: step.state)
                    }
                }
            case .fragility:
                let le = step.eventSigma > 0 ? step.eventSigma * stream.normal() : 0
                if step.zoneSigma > 0 {
                    for z in 0..<zoneCount {
                        let bits = SplitMix64.hash(seed, uIndex, SplitMix64.hash(step.eventIndex, zoneKey[z]) | 1 << 62)
                        let u = (Double(bits >> 11) + 0.5) * 0x1p-53
                        d.zoneLogFactor[z] = step.zoneSigma * Distributions.normalQuantile(u)
                    }
                }
                let zl = d.zoneLogFactor
                for i in step.assets where damaged(i, le, seed, uIndex, zl) {
                    d.hitAsset(elTarget[i], 1, &assetsSorted)
                    log.record(event: event, element: elTarget[i], state: 1)
                }
                for i in step.links where damaged(i, le, seed, uIndex, zl) {
                    d.hitLink(elTarget[i], 1, &linksSorted)
                    log.record(event: event, element: -(elTarget[i] + 1), state: 1)
                }
            case .attackRandom:
                if d.attackEpoch == UInt32.max {
                    for k in d.attackMark.indices { d.attackMark[k] = 0 }
                    d.attackEpoch = 0
                }
                d.attackEpoch += 1
                let epoch = d.attackEpoch
                let base = step.cand.lowerBound, n = step.cand.count
                for j in (n - step.count)..<n {
                    let t = stream.uniformInt(below: j + 1)
                    var pick = candidates[base + t]
                    if d.attackMark[Int(pick)] == epoch { pick = candidates[base + j] }
                    d.attackMark[Int(pick)] = epoch
                    d.hitAsset(pick, 1, &assetsSorted)
                    log.record(event: event, element: pick, state: 1)
                }
            }
        }

        for k in 0..<uncertainRows.count {
            let u = SplitMix64.u01(SplitMix64.hash(seed, uIndex, rowKey[k]))
            d.rowPresent[Int(uncertainRows[k])] = u < rowP[k] ? 1 : 0
        }

        if !assetsSorted { Self.order(&d.hitAssets, marks: d.asset) }
        if !linksSorted { Self.order(&d.hitLinks, marks: d.link) }
    }

    @inline(__always)
    func damaged(_ i: Int, _ le: Double, _ seed: UInt64, _ index: UInt64, _ zl: [Double]) -> Bool {
        let lf = le + zl[Int(elZone[i])]
        let b = elB[i]
        if b == 0 { return elA[i] + lf >= 0 }
        let p = Distributions.normalCDF(elA[i] + b * lf)
        return SplitMix64.u01(SplitMix64.hash(seed, index, elKey[i])) < p
    }

    /// Puts `hits` in increasing order without allocating: a scan of `marks` when many are hit,
    /// else an in-place heapsort.
    static func order(_ hits: inout [Int32], marks: [UInt8]) {
        if hits.count * 8 >= marks.count {
            hits.removeAll(keepingCapacity: true)
            for k in 0..<marks.count where marks[k] != 0 { hits.append(Int32(k)) }
            return
        }
        let n = hits.count
        func sift(_ h: inout [Int32], _ start: Int, _ end: Int) {
            var root = start
            while true {
                var child = 2 * root + 1
                if child >= end { return }
                if child + 1 < end && h[child] < h[child + 1] { child += 1 }
                if h[root] >= h[child] { return }
                h.swapAt(root, child)
                root = child
            }
        }
        var s = n / 2 - 1
        while s >= 0 { sift(&hits, s, n); s -= 1 }
        var end = n - 1
        while end > 0 {
            hits.swapAt(0, end)
            sift(&hits, 0, end)
            end -= 1
        }
    }
}

extension SampleDamage {
    /// Marks element `i` with `state` (1 damaged beats 2 out) and records a new hit.
    @inline(__always)
    static func mark(_ i: Int32, _ state: UInt8, _ marks: inout [UInt8], _ hits: inout [Int32], _ sorted: inout Bool) {
        let old = marks[Int(i)]
        if old == 0 {
            if let last = hits.last, last > i { sorted = false }
            marks[Int(i)] = state
            hits.append(i)
        } else if state < old {
            marks[Int(i)] = state
        }
    }

    /// Marks asset `a` with `state` and records a new hit.
    @inline(__always)
    mutating func hitAsset(_ a: Int32, _ state: UInt8, _ sorted: inout Bool) {
        Self.mark(a, state, &asset, &hitAssets, &sorted)
    }

    /// Marks link `l` with `state` and records a new hit.
    @inline(__always)
    mutating func hitLink(_ l: Int32, _ state: UInt8, _ sorted: inout Bool) {
        Self.mark(l, state, &link, &hitLinks, &sorted)
    }
}
