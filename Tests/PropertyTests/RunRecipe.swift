import PropertyBased

/// The raw draws of one Monte Carlo run of a random model: the scenario's events, mode,
/// samples, seed and options, and how a run is split (shards, threads, merge order).
struct RunRecipe: Sendable, CustomStringConvertible {
    var model: ModelRecipe
    var timed: Bool
    var samples: Int
    var seed: Int
    /// Per sector: outage probability code (probability 0.05 × (code + 1)).
    var outage: [Int]
    var flood: Bool, attack: Bool, mitigations: Bool, rankings: Bool
    /// Shard count (1–5), threads per shard (1–3, cycled), and a seed for the merge order.
    var shards: Int, shardThreads: [Int], mergeOrder: UInt64

    /// Random runs of random models (giant-component sectors allowed), 10–60 samples, static or timed.
    static var generator: Generator<RunRecipe, some SendableSequenceType> {
        let flags = zip(Gen.bool, Gen.bool, Gen.bool, Gen.bool, Gen.bool(0.75))
        let split = zip(Gen.int(in: 1...5), Gen.int(in: 1...3).array(of: 5), Gen.uint64(in: 0...UInt64.max))
        return zip(
            ModelRecipe.generator(giant: true), flags, Gen.int(in: 10...60), Gen.int(in: 0...999_999),
            Gen.int(in: 0...5).array(of: ModelRecipe.sectorNames.count), split
        )
        .map { model, flags, samples, seed, outage, split in
            RunRecipe(
                model: model, timed: flags.0, samples: samples, seed: seed, outage: outage,
                flood: flags.1, attack: flags.2, mitigations: flags.3, rankings: flags.4,
                shards: split.0, shardThreads: split.1, mergeOrder: split.2)
        }
    }

    /// The scenario file for the model in `network` (a path relative to the scenario), valid by
    /// construction (docs/formats.md sections 10–14): outages per sector and on one sector's
    /// links, optionally a flood on water, an attack on power by criticality, crews and mitigations.
    func scenarioYAML(_ files: ModelFiles, network: String) -> String {
        var y = "name: prop\nnetwork: \(network)\nevents:\n"
        for (k, s) in ModelRecipe.sectorNames.enumerated() where files.modes[s] != nil {
            y +=
                "  - {type: outage, select: {sector: \(s)}, probability: \([0.05, 0.1, 0.15, 0.2, 0.25, 0.3][outage[k]])\(timed ? ", duration_hours: 12" : "")}\n"
        }
        if let s = files.sectors.first(where: { files.linkedSectors.contains($0) }) {
            y += "  - {type: outage, select: {sector: \(s), links: true}, probability: 0.1\(timed ? ", duration_hours: 6" : "")}\n"
        }
        if flood && files.modes["water"] != nil {
            y += "  - {type: flood, intensity: {value: 0.6}, select: {sector: water}}\n"
        }
        if attack && files.modes["power"] != nil {
            y += "  - {type: attack, count: 1, strategy: criticality, select: {sector: power}}\n"
        }
        y +=
            "simulation: {mode: \(timed ? "timed" : "static"), samples: \(samples), seed: \(seed)\(timed ? ", horizon_hours: 48, step_hours: 6" : "")}\n"
        y += "weights: {" + files.sectors.map { "\($0): \(files.weights[$0]!)" }.joined(separator: ", ") + "}\n"
        if timed && files.owners.contains("PowerCo") { y += "crews: {PowerCo: 1}\n" }
        if mitigations {
            let first = files.sectors[0]
            y += "mitigations:\n"
            y += "  - {id: harden-\(first), cost: 1000, actions: [{harden: {select: {sector: \(first)}, undamageable: true}}]}\n"
            y += "  - {id: faster-\(first), cost: 400, actions: [{faster_repair: {select: {sector: \(first)}, factor: 0.5}}]}\n"
            y += "budget: 1200\n"
        }
        return y
    }

    var description: String {
        let files = ModelFiles(model)
        return "\(files)--- scenario.yaml\n\(scenarioYAML(files, network: "model/network.yaml"))"
            + "--- rankings \(rankings), shards \(shards), shard threads \(shardThreads), merge order seed \(mergeOrder)"
    }
}
