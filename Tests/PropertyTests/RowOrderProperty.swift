import PropertyBased
import Simulation
import Testing

/// The result never depends on the order of rows in any input file (docs/specification.md section 2, end of
/// "What working means"): the same model with its assets.csv, links.csv and dependencies.csv rows
/// shuffled gives the same working set and the same N-1 impacts, by id. (The whole-run version,
/// result bytes, is in `RunInvarianceProperty`.)
@Suite struct RowOrderProperty {
    /// 100 random models (giant-component sectors allowed, where ties are broken by id), one
    /// damage set each, mapped by id onto the shuffled model.
    @Test func cascadeAndN1IgnoreRowOrder() async throws {
        await propertyCheck(count: 100, input: ModelRecipe.generator(giant: true), DamageRecipe.generator()) { recipe, d in
            let a = try LoadedModel(ModelFiles(recipe)), b = try LoadedModel(ModelFiles(recipe, shuffle: true))
            func rowKey(_ m: LoadedModel, _ r: Int) -> String {
                let t = m.net.dependencies
                return "\(m.net.assetId(t.consumer[r])) \(m.net.assetId(t.provider[r])) \(m.net.groups.names[Int(t.group[r])])"
            }
            func assetIndex(_ id: String) -> Int? { if case .asset(let i)? = b.net.element(id) { Int(i) } else { nil } }
            func linkIndex(_ id: String) -> Int? { if case .link(let i)? = b.net.element(id) { Int(i) } else { nil } }
            let hitA = d.hit(a), linksA = d.linkHit(a), rowsA = d.absent(a)
            let hitB = Set(hitA.compactMap { assetIndex(a.net.assetId(Int32($0))) })
            let linksB = Set(linksA.compactMap { linkIndex(a.net.linkId(Int32($0))) })
            let keys = Set(rowsA.map { rowKey(a, $0) })
            let rowsB = Set((0..<b.net.dependencies.count).filter { keys.contains(rowKey(b, $0)) })
            #expect(hitB.count == hitA.count && linksB.count == linksA.count && rowsB.count == rowsA.count)
            let workingA = a.ids(a.alive(hit: hitA, linkHit: linksA, absentRows: rowsA))
            let workingB = b.ids(b.alive(hit: hitB, linkHit: linksB, absentRows: rowsB))
            #expect(workingA == workingB, "\(d): in file order \(workingA.sorted()), shuffled \(workingB.sorted())")
            func n1(_ m: LoadedModel) -> [String: Double] {
                let r = N1All.compute(graph: m.graph, population: m.net.assets.population, weight: m.weights, threads: 2)
                return Dictionary(uniqueKeysWithValues: (0..<m.graph.assetCount).map { (m.net.assetId(Int32($0)), r.impact[$0]) })
            }
            #expect(n1(a) == n1(b))
        }
    }
}
