import PropertyBased

// Property-based tests on random small models (docs/specification.md sections 2, 5, 6, 7 and 8).
//
// Every model, damage set and run recipe here comes from PropertyBased's generators (`Gen`),
// seeded per check. A failing check prints the input (the model's CSV files and the scenario)
// and a line such as
//     Add `.fixedSeed("aKPPWDEafU0CGMDYHef/ETcbYUyjWQvRVP1DTNy6qJk=")` to the Test to reproduce this issue.
// To replay, add that trait to the failing @Test, e.g.
//     @Test(.fixedSeed("aKPP…qJk=")) func moreDamageNeverLeavesMoreWorking() async throws { … }
// and run `swift test --filter PropertyTests`; remove the trait again before committing (the
// library reports an issue whenever a fixed seed is present). In the in-process properties the
// shrinker then reduces the failing model to a smaller one that still fails, and prints both.
// The properties that run the `kaskada` binary (RunInvariance, ShardMerge, ReportRebuild) have
// `.shrinking(false)`, since every shrinking step is several runs; to get a minimal model, replay
// with `.fixedSeed(…)` and change that trait to `.shrinking(true)` (minutes, not seconds).

/// The raw draws of one random model: small integers that `ModelFiles` turns into CSV rows.
///
/// Raw endpoints (`from`, `consumer`, …) are taken modulo the asset count, so that the shrinker
/// may drop assets and the rest still forms a valid model.
struct ModelRecipe: Sendable {
    /// The sectors a model may use, with the asset kind of each.
    static let sectorNames = ["power", "water", "telecom", "health", "fuel"]
    static let kinds = ["substation", "pump_station", "cell_tower", "hospital", "fuel_depot"]

    struct Asset: Sendable {
        var sector: Int, role: Int, population: Int, owner: Int, zone: Int
    }
    struct Link: Sendable {
        var from: Int, to: Int, directed: Bool
    }
    struct Dependency: Sendable {
        var consumer: Int, provider: Int, group: Int, need: Int, backup: Int, uncertain: Bool
    }

    /// Per sector: 0 `sources`, 1 `none`, 2 `giant-component` (only when `giant` and the sector has links, else `sources`).
    var modes: [Int]
    /// Per sector: a sort key for the order `network.yaml` declares the sectors in.
    var order: [Int]
    /// Per sector: weight code (1, 2 or 0.5).
    var weights: [Int]
    var assets: [Asset]
    var links: [Link]
    var dependencies: [Dependency]
    /// Whether giant-component sectors are allowed.
    var giant: Bool
    /// Seeds the shuffling of table rows (`ModelFiles(recipe, shuffle:)`).
    var shuffle: UInt64

    /// Random models of 5–40 assets in up to five sectors, with links, dependencies and sources.
    /// `giant`: sectors may use `giant-component` supply.
    static func generator(giant: Bool) -> Generator<ModelRecipe, some SendableSequenceType> {
        let sectors = Gen.int(in: 0...2).array(of: sectorNames.count)
        let order = Gen.int(in: 0...9).array(of: sectorNames.count)
        let weights = Gen.int(in: 0...2).array(of: sectorNames.count)
        // roles: 0 source, 1 node, 2 consumer; drawn from 0...4 so that nodes are the commonest
        let assets = zip(Gen.int(in: 0...4), Gen.int(in: 0...4), Gen.int(in: 0...9), Gen.int(in: 0...3), Gen.int(in: 0...2))
            .array(of: 5...40)
        let links = zip(Gen.int(in: 0...999), Gen.int(in: 0...999), Gen.bool(0.25)).array(of: 0...60)
        let deps = zip(
            Gen.int(in: 0...999), Gen.int(in: 0...999), Gen.int(in: 0...2), Gen.int(in: 0...3),
            Gen.int(in: 0...2), Gen.bool(0.2)
        ).array(of: 0...40)
        return zip(zip(sectors, order, weights), assets, links, deps, Gen.uint64(in: 0...UInt64.max)).map { head, a, l, d, shuffle in
            ModelRecipe(
                modes: head.0, order: head.1, weights: head.2,
                assets: a.map { Asset(sector: $0.0, role: [1, 0, 1, 2, 1][$0.1], population: $0.2 * 10, owner: $0.3, zone: $0.4) },
                links: l.map { Link(from: $0.0, to: $0.1, directed: $0.2) },
                dependencies: d.map { Dependency(consumer: $0.0, provider: $0.1, group: $0.2, need: $0.3, backup: $0.4, uncertain: $0.5) },
                giant: giant, shuffle: shuffle)
        }
    }
}
