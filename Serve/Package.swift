// swift-tools-version:6.1
// kaskada-serve: the HTTP service of live situations. A package of its own so that the
// root package's sanitizer builds in CI do not compile SwiftNIO and Hummingbird three times.
import PackageDescription

let package = Package(
    name: "KaskadaServe",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "kaskada-serve", targets: ["kaskada-serve"]),
    ],
    dependencies: [
        .package(name: "Kaskada", path: ".."),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // Persistence of situations, reports and the append-only audit log (SQLite through GRDB).
        .target(
            name: "ServiceStore",
            dependencies: [
                .product(name: "KaskadaSituations", package: "Kaskada"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        // The Hummingbird application: routes, tokens and roles, limits, problem+json errors, SSE.
        .target(
            name: "KaskadaService",
            dependencies: [
                "ServiceStore",
                .product(name: "KaskadaSituations", package: "Kaskada"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            resources: [.copy("Resources/index.html"), .copy("Resources/openapi.yaml")]
        ),
        .executableTarget(
            name: "kaskada-serve",
            dependencies: [
                "KaskadaService",
                .product(name: "KaskadaSituations", package: "Kaskada"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "KaskadaServiceTests",
            dependencies: [
                "KaskadaService", "ServiceStore",
                .product(name: "KaskadaSituations", package: "Kaskada"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                
            ]
        ),
    ]
)
