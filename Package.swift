// swift-tools-version:6.1
// Kaskada — critical-infrastructure dependency simulator.
// The targets follow the pipeline, and so does the Sources folder: 1-Model, 2-Graph, 3-Hazards,
// 4-Engine, 5-Analysis, 6-Results, 7-Run, 8-Live, and the C shims under CShims. Each module
// imports only modules of its own or earlier stages, and each dependency listed here is exactly
// an import (scripts/check-imports.py, run by CI). docs/architecture.md draws the picture.
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
        // MARK: C shims (Sources/CShims)
        // GSL headers and link flags only; no Swift API (see Sources/CShims/CGSL/README.md).
        .systemLibrary(name: "CGSL", path: "Sources/CShims/CGSL", pkgConfig: "gsl", providers: [.apt(["libgsl-dev"])]),
        // PROJ headers and link flags only, for coordinate conversions (see Sources/CShims/CPROJ/README.md).
        .systemLibrary(name: "CPROJ", path: "Sources/CShims/CPROJ", pkgConfig: "proj", providers: [.apt(["libproj-dev"])]),
        // SQLite headers and link flags, for results.gpkg (see Sources/CShims/CSQLite/README.md).
        .systemLibrary(name: "CSQLite", path: "Sources/CShims/CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        // A software-prefetch hint for memory-bound lookups (header-only C).
        .target(name: "CPrefetch", path: "Sources/CShims/CPrefetch"),
        // Allocator policy for memory-bound runs: large allocations from mmap (header-only C).
        .target(name: "CAllocator", path: "Sources/CShims/CAllocator"),
        // Atomic exchange of two paths (renameat2), for replacing result folders (header + one C function).
        .target(name: "CFileExchange", path: "Sources/CShims/CFileExchange"),
        // LeakSanitizer's suppressions of leaks outside Kaskada, for builds with --sanitize=address (C).
        .target(name: "CSanitizerDefaults", path: "Sources/CShims/CSanitizerDefaults"),

        // MARK: 1. Model: value types, files in, real networks in
        // Value types of the model and scenario. No I/O, no randomness.
        .target(name: "InfraModel", dependencies: ["CPrefetch"], path: "Sources/1-Model/InfraModel"),
        // Files -> InfraModel, or diagnostics naming file, line and field; the default fragility library.
        .target(
            name: "ModelIO", dependencies: ["InfraModel", "CPrefetch", .product(name: "Yams", package: "Yams")],
            path: "Sources/1-Model/ModelIO"),
        // Real networks in: MATPOWER, pandapower, pandapipes, EPANET and TNTP files -> model folders; couplings.
        .target(name: "Importers", dependencies: ["ModelIO", "InfraModel", "ResultFiles", "CPROJ"], path: "Sources/1-Model/Importers"),

        // MARK: 2. Graph
        // InfraModel -> compiled graph (interned 32-bit indices, CSR adjacency), model checks.
        .target(name: "InfraGraph", dependencies: ["InfraModel"], path: "Sources/2-Graph/InfraGraph"),

        // MARK: 3. Hazards: randomness and damage
        // The only importer of CGSL: random streams, distributions, statistics.
        .target(name: "Stochastics", dependencies: ["CGSL"], path: "Sources/3-Hazards/Stochastics"),
        // Intensities, fragility, damage and event draws per sample. The only stage that draws randoms.
        .target(name: "Hazards", dependencies: ["InfraModel", "InfraGraph", "Stochastics"], path: "Sources/3-Hazards/Hazards"),

        // MARK: 4. Engine
        // Pure, deterministic propagation of failures (static fixed point). No RNG, no allocation per sample.
        .target(name: "Cascade", dependencies: ["InfraGraph", "InfraModel"], path: "Sources/4-Engine/Cascade"),
        // Monte Carlo driver: samples in parallel, results reduced in sample order; N-1 impact of every asset.
        .target(
            name: "Simulation", dependencies: ["Hazards", "Cascade", "InfraGraph", "InfraModel", "Stochastics"],
            path: "Sources/4-Engine/Simulation"),
        // Timed mode: event-driven samples (backups, repairs, crews), restoration curves.
        .target(
            name: "TimedSimulation", dependencies: ["Simulation", "Hazards", "Cascade", "InfraGraph", "InfraModel", "Stochastics"],
            path: "Sources/4-Engine/TimedSimulation"),
        // A scenario compiled for Monte Carlo runs, and the choice of its engine (static or timed).
        .target(
            name: "Engines", dependencies: ["Simulation", "TimedSimulation", "Hazards", "InfraGraph", "InfraModel"],
            path: "Sources/4-Engine/Engines"),

        // MARK: 5. Analysis
        // Rankings: risk reduction worth, coordination between owners (N-1 impact lives in Simulation).
        .target(name: "Rankings", dependencies: ["Simulation", "InfraGraph", "InfraModel"], path: "Sources/5-Analysis/Rankings"),
        // Mitigation options: actions applied to a scenario, paired comparison with the baseline, the portfolio.
        .target(
            name: "Mitigations",
            dependencies: ["Engines", "Simulation", "TimedSimulation", "Hazards", "InfraGraph", "InfraModel", "Stochastics"],
            path: "Sources/5-Analysis/Mitigations"),

        // MARK: 6. Results
        // Result files written safely: atomic folders and files, SHA-256, input digests, the manifest, ordered JSON and GeoJSON.
        .target(
            name: "ResultFiles", dependencies: ["CFileExchange", "InfraModel", .product(name: "Crypto", package: "swift-crypto")],
            path: "Sources/6-Results/ResultFiles"),
        // OGC GeoPackage 1.3 files of feature layers with R-tree indexes, written row by row through SQLite.
        .target(name: "GeoPackage", dependencies: ["CSQLite"], path: "Sources/6-Results/GeoPackage"),
        // The typed result of a run (ResultData: assembled once, written to files, read back from them) and its
        // renderers: report.md, report.html, briefs, batch pages.
        .target(
            name: "Reports",
            dependencies: [
                "ResultFiles", "GeoPackage", "ModelIO", "Simulation", "Rankings", "Mitigations", "InfraGraph", "InfraModel", "Stochastics",
            ],
            path: "Sources/6-Results/Reports"),

        // MARK: 7. Run
        // The run pipeline: load, compile, samples (checkpoints, shards), rankings, options, portfolio, result folder,
        // merge, compare; progress and cancellation for any caller (the command line, a service).
        .target(
            name: "RunPipeline",
            dependencies: [
                "Engines", "ModelIO", "InfraModel", "InfraGraph", "Hazards", "Simulation", "TimedSimulation", "Rankings", "Mitigations",
                "Reports", "ResultFiles", "Stochastics",
            ],
            path: "Sources/7-Run/RunPipeline"),
        // The command line: parses arguments, calls the library, prints.
        .executableTarget(
            name: "kaskada",
            dependencies: [
                "Stochastics", "InfraModel", "ModelIO", "InfraGraph", "Simulation", "Mitigations", "Reports", "ResultFiles", "RunPipeline",
                "Importers", "CAllocator", "CSanitizerDefaults", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Sources/7-Run/kaskada"),

        // MARK: 8. Live situations
        // Field reports on a model, the state now, what fails next, what-ifs, warnings (also as CAP 1.2), owner
        // briefs. No I/O of its own: the service (Serve/) loads, stores and serves it.
        .target(
            name: "Situations", dependencies: ["Engines", "Simulation", "Cascade", "InfraGraph", "InfraModel", "ResultFiles", "Stochastics"],
            path: "Sources/8-Live/Situations"),

        // MARK: Benchmarks and tests
        // The benchmark suite: reference workloads through Kaskada's engine, against the C reference.
        .executableTarget(
            name: "kaskada-bench", dependencies: ["Cascade", "InfraGraph", "InfraModel", "Stochastics", "CAllocator"],
            path: "benchmarks/KaskadaBench"),
        // Shared by every test target: seeded generators, temporary folders, the repository's paths, small models.
        .target(name: "TestSupport", dependencies: ["Stochastics"], path: "Tests/TestSupport"),
        .testTarget(name: "StochasticsTests", dependencies: ["TestSupport", "Stochastics"]),
        .testTarget(name: "ModelIOTests", dependencies: ["TestSupport", "ModelIO", "InfraModel"], exclude: ["Malformed", "Fixtures"]),
        .testTarget(
            name: "ImportersTests", dependencies: ["TestSupport", "Importers", "ModelIO", "InfraModel", "InfraGraph", "Simulation"],
            exclude: ["Goldens"]),
        .testTarget(name: "InfraGraphTests", dependencies: ["TestSupport", "InfraGraph", "ModelIO", "InfraModel"]),
        .testTarget(name: "HazardsTests", dependencies: ["TestSupport", "Hazards", "InfraGraph", "ModelIO", "InfraModel", "Stochastics"]),
        .testTarget(name: "CascadeTests", dependencies: ["TestSupport", "Cascade", "InfraGraph", "ModelIO", "InfraModel"]),
        .testTarget(name: "SimulationTests", dependencies: ["TestSupport", "Simulation", "Reports", "ResultFiles", "InfraModel", "Stochastics"]),
        .testTarget(
            name: "TimedSimulationTests", dependencies: ["TestSupport", "TimedSimulation", "Simulation", "Hazards", "InfraGraph", "ModelIO", "InfraModel"]),
        .testTarget(
            name: "RankingsTests",
            dependencies: [
                "TestSupport", "Rankings", "Mitigations", "Engines", "Simulation", "Hazards", "Cascade", "InfraGraph", "ModelIO", "InfraModel",
                "Stochastics",
            ]),
        .testTarget(name: "ResultFilesTests", dependencies: ["TestSupport", "ResultFiles"]),
        .testTarget(name: "GeoPackageTests", dependencies: ["TestSupport", "GeoPackage", "CSQLite"]),
        .testTarget(name: "RunPipelineTests", dependencies: ["TestSupport", "RunPipeline", "Engines"]),
        .testTarget(name: "SituationsTests", dependencies: ["TestSupport", "Situations", "ModelIO"]),
        .testTarget(name: "CLITests", dependencies: ["TestSupport", "kaskada", "Reports", "CSanitizerDefaults"]),
        // Seeded, replayable properties on random small models (the invariants of docs/specification.md).
        .testTarget(
            name: "PropertyTests",
            dependencies: [
                "TestSupport", "kaskada", "Reports", "Simulation", "Cascade", "InfraGraph", "ModelIO", "InfraModel",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ]),
    ]
)
