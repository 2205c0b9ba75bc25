// swift-tools-version:6.1
// Kaskada — critical-infrastructure dependency simulator.
// The target list draws the pipeline: each module imports only the stages before it.
import PackageDescription

let package = Package(
    name: "Kaskada",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "kaskada", targets: ["kaskada"]),
        .library(name: "KaskadaCore", targets: ["InfraModel", "ModelIO", "InfraGraph", "Stochastics", "Hazards", "Cascade"]),
        .library(name: "KaskadaRun", targets: ["RunPipeline"]),
        .library(name: "KaskadaImport", targets: ["Importers"]),
        .library(name: "KaskadaSituations", targets: ["Situations", "ModelIO"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
    ],
    targets: [
        // PROJ headers and link flags only, for coordinate conversions (see Sources/CPROJ/README.md).
        .systemLibrary(
            name: "CPROJ",
            pkgConfig: "proj",
            providers: [.apt(["libproj-dev"])]
        ),
        // GSL headers and link flags only; no Swift API (see Sources/CGSL/README.md).
        .systemLibrary(
            name: "CGSL",
            pkgConfig: "gsl",
            providers: [.apt(["libgsl-dev"])]
        ),
        // The only importer of CGSL: random streams, distributions, statistics.
        .target(name: "Stochastics", dependencies: ["CGSL"]),
        // A software-prefetch hint for memory-bound lookups (header-only C).
        .target(name: "CPrefetch"),
        // Allocator policy for memory-bound runs: large allocations from mmap (header-only C).
        .target(name: "CAllocator"),
        // LeakSanitizer's suppressions of leaks outside Kaskada, for builds with --sanitize=address (C).
        .target(name: "CSanitizerDefaults"),
        // Value types of the model and scenario. No I/O, no randomness.
        .target(name: "InfraModel", dependencies: ["CPrefetch"]),
        // Files -> InfraModel, or diagnostics naming file, line and field.
        .target(name: "ModelIO", dependencies: ["InfraModel", "CPrefetch", .product(name: "Yams", package: "Yams")]),
        // InfraModel -> compiled graph (interned 32-bit indices, CSR adjacency), model checks.
        .target(name: "InfraGraph", dependencies: ["InfraModel"]),
        // Intensities, fragility, damage and event draws per sample. The only stage that draws randoms.
        .target(name: "Hazards", dependencies: ["InfraModel", "InfraGraph", "Stochastics"]),
        // Pure, deterministic propagation of failures (static fixed point). No RNG, no allocation per sample.
        .target(name: "Cascade", dependencies: ["InfraGraph"]),
        // Monte Carlo driver: samples in parallel, results reduced in sample order; N-1 impact of every asset.
        .target(name: "Simulation", dependencies: ["Hazards", "Cascade", "InfraGraph", "InfraModel", "Stochastics"]),
        // Timed mode: event-driven samples (backups, repairs, crews), restoration curves.
        .target(name: "TimedSimulation", dependencies: ["Simulation", "Hazards", "Cascade", "InfraGraph", "InfraModel", "Stochastics"]),
        // Rankings: risk reduction worth, coordination between owners (N-1 impact lives in Simulation).
        .target(name: "Rankings", dependencies: ["Simulation", "Cascade", "InfraGraph", "InfraModel"]),
        // A scenario compiled for Monte Carlo runs, and the choice of its engine (static or timed).
        .target(name: "Engines", dependencies: ["Simulation", "TimedSimulation", "Hazards", "InfraGraph", "InfraModel"]),
        // Mitigation options: actions applied to a scenario, paired comparison with the baseline.
        .target(name: "Mitigations", dependencies: ["Engines", "Simulation", "TimedSimulation", "Hazards", "InfraGraph", "InfraModel", "Stochastics"]),
        // Atomic exchange of two paths (renameat2), for replacing result folders (header + one C function).
        .target(name: "CFileExchange"),
        // Writing result files safely: atomic folder and file replacement, SHA-256 digests, a digesting writer.
        .target(name: "ResultFiles", dependencies: ["CFileExchange", "InfraModel", .product(name: "Crypto", package: "swift-crypto")]),
        // Result files: summary.json, assets.csv, report.md, manifest.json; atomic writes.
        .target(name: "Reports", dependencies: ["ResultFiles", "ModelIO", "Simulation", "Rankings", "Mitigations", "InfraGraph", "InfraModel", "Stochastics"]),
        // Real networks in: MATPOWER, pandapower, pandapipes, EPANET and TNTP files -> model folders (DESIGN.md section 11).
        .target(name: "Importers", dependencies: ["ModelIO", "InfraModel", "ResultFiles", "CPROJ"]),
        // The run pipeline: load, compile, samples (checkpoints, shards), rankings, options, portfolio, result folder;
        // progress and cancellation for any caller (the command line, a service).
        .target(name: "RunPipeline", dependencies: ["Engines", "ModelIO", "InfraModel", "InfraGraph", "Simulation", "Rankings",
                                                    "Mitigations", "Reports", "ResultFiles", "Stochastics"]),
        // Live situations (issue 16): field reports on a model, the state now, what fails next, what-ifs,
        // warnings (also as CAP 1.2), owner briefs. No I/O of its own: the service (Serve/) stores and serves it.
        .target(name: "Situations", dependencies: ["Engines", "Mitigations", "Simulation", "TimedSimulation", "Hazards", "Cascade",
                                                   "InfraGraph", "InfraModel", "ResultFiles", "Stochastics"]),
        // The command line: thin layer over the library.
        .executableTarget(
            name: "kaskada",
            dependencies: [
                "Stochastics", "InfraModel", "ModelIO", "InfraGraph", "Hazards", "Cascade", "Simulation", "TimedSimulation",
                "Rankings", "Mitigations", "Reports", "CAllocator", "CSanitizerDefaults", "Engines", "RunPipeline", "ResultFiles", "Importers",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // The benchmark suite: reference workloads through Kaskada's engine, against the C reference.
        .executableTarget(
            name: "kaskada-bench",
            dependencies: ["Cascade", "InfraGraph", "InfraModel", "Stochastics", "CAllocator"],
            path: "benchmarks/KaskadaBench"
        ),
        // Shared by every test target: seeded generators, temporary folders, the repository's paths, small models.
        .target(name: "TestSupport", dependencies: ["Stochastics"], path: "Tests/TestSupport"),
        .testTarget(name: "StochasticsTests", dependencies: ["TestSupport", "Stochastics"]),
        .testTarget(name: "ModelIOTests", dependencies: ["TestSupport", "ModelIO", "InfraModel"], exclude: ["Malformed", "Fixtures"]),
        .testTarget(name: "InfraGraphTests", dependencies: ["TestSupport", "InfraGraph", "ModelIO", "InfraModel"]),
        .testTarget(name: "HazardsTests", dependencies: ["TestSupport", "Hazards", "InfraGraph", "ModelIO", "InfraModel", "Stochastics"]),
        .testTarget(name: "CascadeTests", dependencies: ["TestSupport", "Cascade", "InfraGraph", "ModelIO", "InfraModel"]),
        .testTarget(name: "RankingsTests", dependencies: ["TestSupport", "Rankings", "Mitigations", "Engines", "Simulation", "TimedSimulation", "Hazards", "Cascade", "InfraGraph", "ModelIO", "InfraModel", "Stochastics"]),
        .testTarget(name: "TimedSimulationTests", dependencies: ["TestSupport", "TimedSimulation", "Simulation", "Hazards", "InfraGraph", "ModelIO", "InfraModel"]),
        .testTarget(name: "SimulationTests", dependencies: ["TestSupport", "Simulation", "Reports", "ResultFiles", "Hazards", "Cascade", "InfraGraph", "ModelIO", "InfraModel", "Stochastics"]),
        .testTarget(name: "ResultFilesTests", dependencies: ["TestSupport", "ResultFiles"]),
        .testTarget(name: "RunPipelineTests", dependencies: ["TestSupport", "RunPipeline", "Engines", "Simulation", "ModelIO"]),
        .testTarget(name: "ImportersTests", dependencies: ["TestSupport", "Importers", "ModelIO", "InfraModel", "InfraGraph", "Simulation"]),
        .testTarget(name: "SituationsTests", dependencies: ["TestSupport", "Situations", "ModelIO", "InfraModel"]),
        .testTarget(name: "CLITests", dependencies: ["TestSupport", "kaskada", "Reports", "CSanitizerDefaults"]),
        // Seeded, replayable properties on random small models (DESIGN.md invariants).
        .testTarget(name: "PropertyTests", dependencies: ["TestSupport", "kaskada", "RunPipeline", "Reports", "Simulation", "Cascade", "InfraGraph", "ModelIO", "InfraModel",
                                                           .product(name: "PropertyBased", package: "swift-property-based")]),
    ]
)
