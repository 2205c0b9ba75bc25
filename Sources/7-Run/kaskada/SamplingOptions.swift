import ArgumentParser

/// `--samples`, `--seed` and `--threads`, shared by `run`, `compare` and `batch` (docs/specification.md
/// section 7): each overrides the scenario's `simulation` value when given.
struct SamplingOptions: ParsableArguments {
    @Option(help: "Number of Monte Carlo samples (default: the scenario's simulation.samples).")
    var samples: Int?

    @Option(help: "Random seed (default: the scenario's simulation.seed).")
    var seed: UInt64?

    @Option(help: "Worker threads (default: the scenario's simulation.threads, else all cores).")
    var threads: Int?

    func validate() throws {
        if let s = samples, s < 1 { throw ValidationError("--samples must be at least 1, found \(s)") }
        if let t = threads, t < 1 { throw ValidationError("--threads must be at least 1, found \(t)") }
    }
}
