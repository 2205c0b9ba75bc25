import Foundation
import ResultFiles

/// `briefs/<owner>.md`: a short brief per owner for crisis coordinators (docs/specification.md sections 1
/// and 8). Need to know: it names the owner's own assets and dependencies, and gives only
/// aggregate figures (counts and sums per owner) about other owners' assets: their asset ids
/// never appear, not even from `coordination.csv`'s `top_dependencies`.
struct BriefWriter {
    /// An owner pair of `coordination.csv`.
    struct PairKey: Hashable {
        var owner: String
        var dependsOn: String
    }

    /// The rows of the data files that concern one owner, as indices into `ResultData`'s tables
    /// (a region's briefs together hold 4 bytes per row, not copies of the rows).
    struct Scope {
        /// The owner's assets, by rank.
        var assets: [Int32] = []
        /// Dependency rows with the owner on either side (nil: no dependencies.csv).
        var dependencies: [Int32]?
        /// Coordination rows with the owner on either side (nil: no coordination.csv).
        var coordination: [CoordinationRow]?

        /// Scopes of all owners in one pass over the data.
        static func all(_ data: ResultData) -> [String: Scope] {
            var out: [String: Scope] = [:]
            for o in data.owners {
                out[o] = Scope(assets: [], dependencies: data.dependencies == nil ? nil : [], coordination: data.coordination == nil ? nil : [])
            }
            // in source order (sequential reads), each row's position kept; then each owner's
            // positions sorted, so that the lists are in report order
            let assetPosition = data.assets.positions()
            for (s, a) in data.assets.inSourceOrder.enumerated() where !a.owner.isEmpty { out[a.owner]?.assets.append(assetPosition[s]) }
            if let deps = data.dependencies {
                let rowPosition = deps.positions()
                for (s, d) in deps.inSourceOrder.enumerated() {
                    out[d.consumerOwner]?.dependencies?.append(rowPosition[s])
                    if d.providerOwner != d.consumerOwner { out[d.providerOwner]?.dependencies?.append(rowPosition[s]) }
                }
            }
            for o in out.keys {
                out[o]!.assets.sort()
                out[o]!.dependencies?.sort()
            }
            for c in data.coordination ?? [] {
                out[c.owner]?.coordination?.append(c)
                if c.dependsOn != c.owner { out[c.dependsOn]?.coordination?.append(c) }
            }
            return out
        }
    }

    let data: ResultData
    let owner: String
    let scope: Scope
    /// The scope's coordination rows by (owner, depends_on).
    let coordinationByPair: [PairKey: CoordinationRow]

    /// Line → slot storage, shared by the briefs of one build.
    let slotTable: SlotTable

    init(data: ResultData, owner: String, scope: Scope, slots: SlotTable = SlotTable()) {
        self.data = data
        slotTable = slots
        if let rows = data.dependencies, let mine = scope.dependencies {
            scopeDependencies = mine.map { rows[Int($0)] }
        } else {
            scopeDependencies = nil
        }
        self.owner = owner
        self.scope = scope
        var pairs: [PairKey: CoordinationRow] = [:]
        for c in scope.coordination ?? [] where pairs[PairKey(owner: c.owner, dependsOn: c.dependsOn)] == nil {
            pairs[PairKey(owner: c.owner, dependsOn: c.dependsOn)] = c
        }
        coordinationByPair = pairs
    }

    /// p_carried from which a single-provider requirement is called for a second feed.
    static let redundantFeedThreshold = 0.01

    var unit: String { data.lossUnit }

    func ownerLabel(_ o: String) -> String {
        if o.isEmpty { return "(no owner)" }
        return o == owner ? "\(o) (your own assets)" : o
    }

    func markdown() -> String { BlockRenderer.markdown(blocks()) }

    func blocks() -> [Block] {
        var b: [Block] = [.heading(1, "Brief for \(owner)", anchor: "top")]
        b.append(.paragraph([.text("Scenario \(data.summary.scenario): " + ReportDocument(data: data).runLine() + " Losses are in \(unit).")]))
        b.append(
            .paragraph([
                .text(
                    "Need to know: this brief names \(owner)'s own assets and dependencies; about other owners' assets it gives only aggregate figures per owner."
                )
            ]))
        b += briefSummary()
        b += terms()
        b += ownAssets()
        b += dependents()
        b += providers()
        b += optionsForOwner()
        b += agreements()
        return b
    }

    /// The owner's asset rows, by rank (made when asked: one owner's rows at a time).
    var mine: LazyMapSequence<[Int32], AssetRow> { scope.assets.lazy.map { data.assets[Int($0)] } }

    /// The dependency rows with the owner on either side (nil: no dependencies.csv), in
    /// `ResultData.dependencies` order (so each consumer's rows are adjacent). Made once per
    /// brief (64 bytes a row, one owner's rows at a time): the sections read them several times,
    /// and a row made from the run's arrays costs a cache miss per column.
    let scopeDependencies: [DependencyRow]?

    // MARK: own assets

    func ownAssets() -> [Block] {
        var b: [Block] = [.heading(2, "Your assets", anchor: "assets")]
        let own = mine
        // one pass in rank order (each row read once; the sum in the same order as always)
        var bySector: [String: Int] = [:]
        var people = 0.0, often = 0
        for a in own {
            bySector[a.sector, default: 0] += 1
            people += a.population
            if a.pOutage >= 0.01 { often += 1 }
        }
        let sectors = bySector.sorted { RB.byteLess($0.key, $1.key) }.map { "\($0.key) \($0.value)" }
        b.append(
            .paragraph([
                .text(
                    "\(RB.plural(own.count, "asset")) (\(sectors.joined(separator: ", "))) serving \(NumberText.figure(people)) people; \(often) of them out of service in at least 1% of the samples. The \(min(15, own.count)) highest by rank:"
                )
            ]))
        var headers = ["rank", "asset", "sector", "kind", "zone", "population", "p_damage", "p_outage", "n1_impact", "rrw"]
        var numeric = [true, false, false, false, false, true, true, true, true, true]
        if data.timed {
            headers += ["mean outage h", "p90 outage h"]
            numeric += [true, true]
        }
        let rows = Array(own.prefix(15)).map { a -> [String] in
            var row = [
                a.rank.map(String.init) ?? "–", a.id, a.sector, a.kind, a.zone, NumberText.figure(a.population),
                NumberText.probability(a.pDamage), NumberText.probability(a.pOutage), NumberText.figure(a.n1), NumberText.figure(a.rrw),
            ]
            if data.timed { row += [NumberText.figure(a.meanOutage), NumberText.figure(a.p90Outage)] }
            return row
        }
        b.append(.table(ReportTable(headers: headers, numeric: numeric, rows: rows)))
        return b
    }

    // MARK: others depending on this owner

    struct Group {
        var rows = 0
        var carried = 0
        var score = 0.0
        /// this owner's assets involved: slot (`AssetSlots`) → Σ score
        var own: [Int32: Double] = [:]

        /// Counts row `d`, whose asset of this owner has slot `asset`. Called in place on the
        /// dictionary's value (`groups[k, default:].add`), so `own` is never copied: O(1) per row.
        mutating func add(_ d: DependencyRow, asset: Int32) {
            rows += 1
            if d.pCarried > 0 { carried += 1 }
            score += d.score
            own[asset, default: 0] += d.score
        }
    }

    /// Line → slot storage shared by every section of every brief of one build, so that a
    /// section costs what its rows cost, not the size of `assets.csv` (a region has thousands of
    /// owners). A slot is valid only under its section's generation stamp: nothing is reset.
    final class SlotTable {
        fileprivate var slot: [Int32] = []
        fileprivate var stamp: [UInt32] = []
        fileprivate var generation: UInt32 = 0
    }

    /// Small integer slots for the assets a brief section sums over, keyed by their line in
    /// `assets.csv` (an array index), or by id for an asset that has no row there (a
    /// hand-edited result folder).
    struct AssetSlots {
        private(set) var ids: [String] = []
        private let table: SlotTable
        private let generation: UInt32
        private var byId: [String: Int32] = [:]

        init(_ table: SlotTable) {
            table.generation &+= 1
            if table.generation == 0 { // wrapped: every old stamp could match again
                for k in table.stamp.indices { table.stamp[k] = 0 }
                table.generation = 1
            }
            self.table = table
            generation = table.generation
        }

        /// The slot of the asset on `line` (≥ 0), else of `id`; the id is made only for a new slot.
        mutating func slot(_ id: @autoclosure () -> String, line: Int32) -> Int32 {
            if line >= 0 {
                let l = Int(line)
                if l >= table.slot.count {
                    let more = max(l + 1 - table.slot.count, table.slot.count)
                    table.slot.append(contentsOf: repeatElement(0, count: more))
                    table.stamp.append(contentsOf: repeatElement(0, count: more))
                }
                if table.stamp[l] == generation { return table.slot[l] }
                let k = Int32(ids.count)
                ids.append(id())
                table.slot[l] = k; table.stamp[l] = generation
                return k
            }
            let i = id()
            if let k = byId[i] { return k }
            let k = Int32(ids.count)
            ids.append(i); byId[i] = k
            return k
        }
    }

    /// The `n` slots of `m` with the highest sums (ties by id in byte order), as "id (sum)".
    /// O(m · n).
    static func topIds(_ m: [Int32: Double], _ n: Int, _ slots: AssetSlots) -> String {
        RB.topK(m, n) { a, b in a.value != b.value ? a.value > b.value : RB.byteLess(slots.ids[Int(a.key)], slots.ids[Int(b.key)]) }
            .map { $0.value > 0 ? "\(slots.ids[Int($0.key)]) (\(NumberText.figure($0.value)))" : slots.ids[Int($0.key)] }.joined(separator: ", ")
    }

    /// The coordination row of owner pair (x, y) (one per pair): a dictionary lookup, built once per
    /// brief from the owner's own coordination rows.
    func coordination(owner x: String, dependsOn y: String) -> CoordinationRow? {
        coordinationByPair[PairKey(owner: x, dependsOn: y)]
    }

    func dependents() -> [Block] {
        var b: [Block] = [.heading(2, "Who depends on your assets", anchor: "dependents")]
        guard let deps = scopeDependencies else {
            b.append(.paragraph([.code("dependencies.csv"), .text(" is not in this result folder, so who depends on your assets is not known.")]))
            return b
        }
        var groups: [String: Group] = [:]
        var slots = AssetSlots(slotTable)
        for d in deps where d.providerOwner == owner && d.consumerOwner != owner {
            groups[d.consumerOwner, default: Group()].add(d, asset: slots.slot(d.provider, line: d.providerLine))
        }
        for c in scope.coordination ?? [] where c.dependsOn == owner && c.owner != owner && c.expectedLoss > 0 && groups[c.owner] == nil {
            groups[c.owner] = Group()
        }
        if groups.isEmpty {
            b.append(.paragraph([.text("No dependency row has a provider of yours.")]))
            return b
        }
        b.append(
            .paragraph([
                .text(
                    "Per owner of the dependent assets: the dependency rows on your assets, how many carried a failure in some sample, their exposure score, and the expected loss at that owner's assets that your assets cause ("
                ),
                .code("coordination.csv"), .text(")."),
            ]))
        let order = groups.keys.sorted { x, y in
            let a = groups[x]!, c = groups[y]!
            if a.score != c.score { return a.score > c.score }
            let ex = coordination(owner: x, dependsOn: owner)?.expectedLoss ?? 0, ey = coordination(owner: y, dependsOn: owner)?.expectedLoss ?? 0
            if ex != ey { return ex > ey }
            return RB.byteLess(x, y)
        }
        let rows = order.map { o -> [String] in
            let g = groups[o]!
            let e = o == owner ? nil : coordination(owner: o, dependsOn: owner)?.expectedLoss
            return [ownerLabel(o), String(g.rows), String(g.carried), NumberText.figure(g.score), NumberText.figure(e), Self.topIds(g.own, 3, slots)]
        }
        b.append(
            .table(
                ReportTable(
                    headers: [
                        "dependent owner", "dependency rows", "rows that carried failures", "exposure score",
                        "expected loss at their assets", "your assets they depend on most",
                    ],
                    numeric: [false, true, true, true, true, false], rows: rows)))
        return b
    }

    // MARK: this owner depending on others

    func providers() -> [Block] {
        var b: [Block] = [.heading(2, "What you depend on from others", anchor: "providers")]
        guard let deps = scopeDependencies else {
            b.append(.paragraph([.code("dependencies.csv"), .text(" is not in this result folder, so what your assets depend on is not known.")]))
            return b
        }
        var groups: [String: Group] = [:]
        var slots = AssetSlots(slotTable)
        var internalRows = 0, internalScore = 0.0
        for d in deps where d.consumerOwner == owner {
            if d.providerOwner == owner {
                internalRows += 1
                internalScore += d.score
                continue
            }
            groups[d.providerOwner, default: Group()].add(d, asset: slots.slot(d.consumer, line: d.consumerLine))
        }
        for c in scope.coordination ?? [] where c.owner == owner && c.dependsOn != owner && c.expectedLoss > 0 && groups[c.dependsOn] == nil {
            groups[c.dependsOn] = Group()
        }
        if groups.isEmpty {
            b.append(.paragraph([.text("None of your assets depends on another owner's assets.")]))
        } else {
            b.append(
                .paragraph([
                    .text(
                        "Per provider owner: your dependency rows on its assets, how many carried a failure in some sample, their exposure score, and from "
                    ), .code("coordination.csv"),
                    .text(
                        " the expected loss at your assets that its assets cause"
                            + (data.timed ? ", the median outage of its providers and the backup hours that would ride through it." : ".")),
                ]))
            let order = groups.keys.sorted { x, y in
                let ex = coordination(owner: owner, dependsOn: x)?.expectedLoss ?? 0, ey = coordination(owner: owner, dependsOn: y)?.expectedLoss ?? 0
                if ex != ey { return ex > ey }
                let a = groups[x]!, c = groups[y]!
                if a.score != c.score { return a.score > c.score }
                return RB.byteLess(x, y)
            }
            var headers = [
                "provider owner", "dependency rows", "rows that carried failures", "exposure score", "expected loss at your assets",
                "your assets involved",
            ]
            var numeric = [false, true, true, true, true, false]
            if data.timed {
                headers += ["provider median outage h", "backup hours to ride through"]
                numeric += [true, true]
            }
            let rows = order.map { o -> [String] in
                let g = groups[o]!
                let c = coordination(owner: owner, dependsOn: o)
                var row = [
                    ownerLabel(o), String(g.rows), String(g.carried), NumberText.figure(g.score), NumberText.figure(c?.expectedLoss),
                    Self.topIds(g.own, 3, slots),
                ]
                if data.timed {
                    let h = data.summary.horizonHours, beyond = c?.medianCensored ?? false
                    row += [RB.hours(c?.providerMedianOutage, beyond: beyond, horizon: h), RB.hours(c?.backupHours, beyond: beyond, horizon: h)]
                }
                return row
            }
            b.append(.table(ReportTable(headers: headers, numeric: numeric, rows: rows)))
        }
        if internalRows > 0 {
            b.append(
                .paragraph([
                    .text(
                        "Between your own assets: \(RB.plural(internalRows, "dependency row")), exposure score \(NumberText.figure(internalScore)).")
                ]))
        }
        if scope.coordination == nil {
            b.append(
                .paragraph([
                    .code("coordination.csv"), .text(" is not in this result folder (runs with "), .code("--no-rankings"),
                    .text(" skip it), so expected losses per owner pair are not given."),
                ]))
        }
        return b
    }

    // MARK: agreements

    func agreements() -> [Block] {
        var b: [Block] = [.heading(2, "Recommended agreements", anchor: "agreements")]
        guard let deps = scopeDependencies else {
            b.append(.paragraph([.code("dependencies.csv"), .text(" is not in this result folder, so no agreements can be derived.")]))
            return b
        }
        // what this owner can ask of others, and what others ask of it
        var items: [[Inline]] = [], offers: [[Inline]] = []

        // 1. priority restoration: what this owner should ask of its providers ...
        var slots = AssetSlots(slotTable)
        var fromProvider: [String: [Int32: Double]] = [:]
        var fromProviderTotal: [String: Double] = [:]
        for d in deps where d.consumerOwner == owner && d.providerOwner != owner && !d.providerOwner.isEmpty && d.score > 0 {
            fromProvider[d.providerOwner, default: [:]][slots.slot(d.consumer, line: d.consumerLine), default: 0] += d.score
            fromProviderTotal[d.providerOwner, default: 0] += d.score
        }
        let providerOrder = RB.topK(fromProviderTotal, 3) { $0.value != $1.value ? $0.value > $1.value : RB.byteLess($0.key, $1.key) }
        for (p, total) in providerOrder {
            let stake =
                coordination(owner: owner, dependsOn: p).map { "expected loss at stake \(NumberText.figure($0.expectedLoss)) \(unit)" }
                ?? "exposure score \(NumberText.figure(total))"
            items.append([
                .strong("Priority restoration with \(p)"),
                .text(
                    ": ask \(p) to restore first the supply of your assets \(Self.topIds(fromProvider[p]!, 3, slots)) (exposure scores); \(stake)."),
            ])
        }
        // ... and what it should offer as a provider: sums by slot, then the owners served by the top 3
        var offered: [Int32: Double] = [:]
        for d in deps where d.providerOwner == owner && d.consumerOwner != owner && d.score > 0 {
            offered[slots.slot(d.provider, line: d.providerLine), default: 0] += d.score
        }
        let offeredTop = RB.topK(offered, 3) { a, b in
            a.value != b.value ? a.value > b.value : RB.byteLess(slots.ids[Int(a.key)], slots.ids[Int(b.key)])
        }
        var offeredOwners: [Int32: Set<String>] = [:]
        for (k, _) in offeredTop { offeredOwners[k] = [] }
        if !offeredTop.isEmpty {
            for d in deps where d.providerOwner == owner && d.consumerOwner != owner && d.score > 0 {
                let k = slots.slot(d.provider, line: d.providerLine)
                if offeredOwners[k] != nil { offeredOwners[k]!.insert(d.consumerOwner.isEmpty ? "(no owner)" : d.consumerOwner) }
            }
            let list = offeredTop.map {
                "\(slots.ids[Int($0.key)]) (\(NumberText.figure($0.value)), for \(RB.plural(offeredOwners[$0.key]!.count, "owner")))"
            }
            offers.append([
                .strong("Priority restoration for others"),
                .text(": restore first your assets others depend on most: \(list.joined(separator: ", ")) (exposure scores)."),
            ])
            let dependents = (scope.coordination ?? []).filter { $0.dependsOn == owner && $0.owner != owner && $0.expectedLoss > 0 }
                .sorted(by: ReportDocument.coordinationOrder).prefix(3)
            for c in dependents {
                offers.append([
                    .strong("Coordinate with \(c.owner)"),
                    .text(
                        ": your assets cause an expected loss of \(NumberText.figure(c.expectedLoss)) \(unit) at its assets; agree on warnings and restoration order with it."
                    ),
                ])
            }
        }
        if providerOrder.isEmpty {
            items.append([
                .strong("Priority restoration"),
                .text(": none of your dependencies on another owner carried a failure followed by a loss in this run."),
            ])
        }
        if offeredTop.isEmpty {
            offers.append([
                .strong("Priority restoration"),
                .text(": no other owner's dependency on your assets carried a failure followed by a loss in this run."),
            ])
        }

        // 2. backup hours
        if data.timed {
            let rows = (scope.coordination ?? []).filter {
                $0.owner == owner && $0.dependsOn != owner && (($0.backupHours ?? 0) > 0 || $0.medianCensored) && $0.expectedLoss > 0
            }
            .sorted(by: ReportDocument.coordinationOrder).prefix(3)
            let horizon = NumberText.figure(data.summary.horizonHours)
            for c in rows {
                var s: String
                if c.medianCensored {
                    s =
                        ": more than half of the outages of your providers at \(c.dependsOn) outlast the \(horizon) h horizon, so no backup within it rides through; agree on restoration priority or a second feed instead"
                } else {
                    s = ": keep at least \(NumberText.figure(c.backupHours)) h of backup at your assets that depend on \(c.dependsOn)"
                    if let m = c.providerMedianOutage { s += " (median outage of its providers \(NumberText.figure(m)) h)" }
                }
                s += "; expected loss at stake \(NumberText.figure(c.expectedLoss)) \(unit)."
                items.append([.strong("Backup hours with \(c.dependsOn)"), .text(s)])
            }
            if rows.isEmpty {
                items.append([
                    .strong("Backup hours"),
                    .text(
                        scope.coordination == nil
                            ? ": coordination.csv is not in this result folder, so backup hours are not given."
                            : ": no provider owner's outage calls for more backup at your assets in this run."),
                ])
            }
        } else {
            items.append([
                .strong("Backup hours"),
                .text(
                    ": this is a static run (backups count as exhausted), so backup hours that ride through an outage are not computed; a timed run gives them."
                ),
            ])
        }

        // 3. redundant feeds: requirements of this owner's assets with a single provider that carried failures often
        // (rows of one consumer are adjacent in scope order; its requirements are its groups)
        var single: [DependencyRow] = []
        var run: [DependencyRow] = []
        func offer(_ d: DependencyRow) {
            // keep the 5 first in dependencyOrder
            if single.count == 5, !ReportDocument.dependencyOrder(d, single[4]) { return }
            var i = single.count
            while i > 0 && ReportDocument.dependencyOrder(d, single[i - 1]) { i -= 1 }
            single.insert(d, at: i)
            if single.count > 5 { single.removeLast() }
        }
        func closeRun() {
            // the consumer's rows by group: a group of one row is a single-provider requirement
            let byGroup = run.indices.sorted { RB.byteLess(run[$0].group, run[$1].group) }
            var i = 0
            while i < byGroup.count {
                var j = i + 1
                while j < byGroup.count && run[byGroup[j]].group == run[byGroup[i]].group { j += 1 }
                if j == i + 1, run[byGroup[i]].pCarried >= Self.redundantFeedThreshold { offer(run[byGroup[i]]) }
                i = j
            }
            run.removeAll(keepingCapacity: true)
        }
        for d in deps where d.consumerOwner == owner {
            if let last = run.last, last.consumer != d.consumer { closeRun() }
            run.append(d)
        }
        closeRun()
        for d in single {
            let provider =
                d.providerOwner == owner ? "your asset \(d.provider)" : "an asset of \(d.providerOwner.isEmpty ? "no owner" : d.providerOwner)"
            items.append([
                .strong("Redundant feed for \(d.consumer)"),
                .text(
                    ": its \(d.group.isEmpty ? "" : "\(d.group) ")requirement has a single provider (\(provider)) that carried a failure in \(NumberText.percent(d.pCarried)) of the samples, followed by a mean loss of \(NumberText.figure(d.lossFollowing)) \(unit); a second feed removes that path."
                ),
            ])
        }
        if single.isEmpty {
            items.append([
                .strong("Redundant feeds"),
                .text(
                    ": none of your assets has a single-provider requirement that carried failures in at least \(NumberText.percent(Self.redundantFeedThreshold)) of the samples."
                ),
            ])
        }
        b.append(.heading(3, "What you can ask of others", anchor: "ask"))
        b.append(.bullets(items))
        b.append(.heading(3, "What others ask of you", anchor: "offer"))
        b.append(.bullets(offers))
        return b
    }
}
