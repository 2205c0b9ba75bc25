import PropertyBased

/// Raw draws of a damage set, taken modulo the model's asset, link and row counts.
struct DamageRecipe: Sendable, CustomStringConvertible {
    var assets: [Int], links: [Int], absentRows: [Int]

    func hit(_ m: LoadedModel) -> Set<Int> { m.graph.assetCount == 0 ? [] : Set(assets.map { $0 % m.graph.assetCount }) }
    func linkHit(_ m: LoadedModel) -> Set<Int> { m.graph.linkCount == 0 ? [] : Set(links.map { $0 % m.graph.linkCount }) }
    func absent(_ m: LoadedModel) -> Set<Int> {
        m.net.dependencies.count == 0 ? [] : Set(absentRows.map { $0 % m.net.dependencies.count })
    }
    var description: String { "damage assets \(assets), links \(links), absent rows \(absentRows) (raw, modulo the counts)" }
}

extension DamageRecipe {
    /// Up to `assets` damaged assets, `links` damaged links and `rows` absent dependency rows.
    static func generator(assets: Int = 6, links: Int = 4, rows: Int = 3) -> Generator<DamageRecipe, some SendableSequenceType> {
        zip(
            Gen.int(in: 0...9999).array(of: 0...assets), Gen.int(in: 0...9999).array(of: 0...links),
            Gen.int(in: 0...9999).array(of: 0...rows)
        ).map { a, l, r in
            DamageRecipe(assets: a, links: l, absentRows: r)
        }
    }
}
