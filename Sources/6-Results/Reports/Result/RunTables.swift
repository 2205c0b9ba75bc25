import InfraGraph
import InfraModel
import Rankings
import Simulation

/// The rows of the two largest data files, as a run holds them (`ReportTables.of`).
struct ReportTables {
    var assetCount: Int
    /// Row k (0-based, file order) of `assets.csv`.
    var asset: (Int32) -> AssetRow
    var dependencyCount: Int
    /// Row k of `dependencies.csv`; nil: no `dependencies.csv`. Its consumer and provider are
    /// assets of the run, so both lines are known (≥ 2).
    var dependency: ((Int32) -> DependencyRow)?
}

extension ReportTables {
    /// The rows of `assets.csv` and `dependencies.csv` of a run with exactly the values those
    /// files carry (numbers that are not finite absent, −0 as 0), by their position in the
    /// files, made when read from the model and the result (no row is stored). `assetOrder` and
    /// `dependencyOrder` are the file orders (`ResultAssembly.assetOrder`, `.dependencyOrder`).
    /// O(assets + rows) to set up.
    static func of(
        _ net: Network, _ graph: CompiledGraph, _ result: MonteCarloResult, _ rankings: RankingResult?,
        assetOrder order: [Int32], dependencyOrder rowOrder: [Int32]
    ) -> ReportTables {
        let c = net.assets.common
        let n = Double(max(1, result.samples))
        func v(_ x: Double) -> Double { x == 0 ? 0 : x }
        func opt(_ x: Double) -> Double? { x.isFinite ? v(x) : nil }
        // ids by code = row = id rank, read from the model
        let strings = RowStrings(ids: { net.assetId(order[Int($0)]) }, count: order.count)
        // network name codes → row string codes (−1, no owner or zone, → "")
        let sectorCode = (0..<net.sectors.count).map { strings.name(net.sectors[Int32($0)]) }
        let kindCode = (0..<net.kinds.count).map { strings.name(net.kinds[Int32($0)]) }
        let ownerCode = (0..<net.owners.count).map { strings.name(net.owners[Int32($0)]) }
        let zoneCode = (0..<net.zones.count).map { strings.name(net.zones[Int32($0)]) }
        func owner(_ o: Int32) -> Int32 { o >= 0 ? ownerCode[Int(o)] : 0 }
        // the columns the rows read, as locals (no struct captured whole, no retain per row)
        let population = net.assets.population, damaged = result.damagedCount, outage = result.outageCount
        let n1 = rankings?.n1, rrw = rankings?.rrw, rank = rankings?.rank
        let meanHours = result.timed?.meanOutageHours, p90Hours = result.timed?.p90OutageHours
        let sector = c.sector, kind = c.kind, ownerColumn = c.owner, zone = c.zone, xs = c.x, ys = c.y
        let asset: (Int32) -> AssetRow = { k in
            let a = Int(order[Int(k)])
            return AssetRow(
                strings: strings, line: Int(k) + 2, idCode: k, sector: sectorCode[Int(sector[a])], kind: kindCode[Int(kind[a])],
                owner: owner(ownerColumn[a]), zone: zone[a] >= 0 ? zoneCode[Int(zone[a])] : 0,
                population: v(population[a]),
                pDamage: Double(damaged[a]) / n, pOutage: Double(outage[a]) / n,
                n1: n1.flatMap { opt($0[a]) }, rrw: rrw.flatMap { opt($0[a]) },
                meanOutage: meanHours.flatMap { opt($0[a]) }, rank: rank.map { Int($0[a]) },
                p90Outage: p90Hours.flatMap { opt($0[a]) }, x: opt(xs[a]), y: opt(ys[a]))
        }
        var dependency: ((Int32) -> DependencyRow)? = nil
        if let out = result.outcomes {
            let d = net.dependencies
            let groupCode = (0..<net.groups.count).map { strings.name(net.groups[Int32($0)]) }
            let typeCode = DependencyType.allCases.map { strings.name($0.name) }
            let consumer = d.consumer, provider = d.provider, group = d.group, type = d.type
            let carried = out.rowCarried, lossFollowing = out.rowLossFollowing
            dependency = { k in
                let r = Int(rowOrder[Int(k)])
                let cons = consumer[r], prov = provider[r]
                let cRank = graph.idRank(Int(cons)), pRank = graph.idRank(Int(prov))
                return DependencyRow(
                    strings: strings, line: Int(k) + 2, consumer: cRank, provider: pRank, group: groupCode[Int(group[r])],
                    type: typeCode[Int(type[r].rawValue)], pCarried: Double(carried[r]) / n,
                    lossFollowing: opt(lossFollowing[r]),
                    consumerOwner: owner(ownerColumn[Int(cons)]), providerOwner: owner(ownerColumn[Int(prov)]),
                    consumerLine: cRank + 2, providerLine: pRank + 2)
            }
        }
        return ReportTables(assetCount: order.count, asset: asset, dependencyCount: rowOrder.count, dependency: dependency)
    }
}
