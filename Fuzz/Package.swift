// swift-tools-version:6.1
// Kaskada's libFuzzer targets: a package of its own, so that the main package's
// `swift build` and `swift test` never need libFuzzer's `main`. Built and run by Fuzz/run.sh:
//   swift build -c release --package-path Fuzz -Xswiftc -sanitize=fuzzer,address
// Every Kaskada module the targets reach is instrumented (coverage and AddressSanitizer).
import PackageDescription

let package = Package(
    name: "KaskadaFuzz",
    platforms: [.macOS(.v13)],
    dependencies: [.package(name: "Kaskada", path: "..")],
    targets: [
        // The process entry SwiftPM expects of an executable, handing over to libFuzzer's driver.
        .target(name: "FuzzDriver"),
        // One binary, many targets: KASKADA_FUZZ_TARGET names the reader under test (Fuzz/README.md).
        .executableTarget(
            name: "kaskada-fuzz",
            dependencies: [
                "FuzzDriver",
                .product(name: "KaskadaCore", package: "Kaskada"),
                .product(name: "KaskadaRun", package: "Kaskada"),
                .product(name: "KaskadaImport", package: "Kaskada"),
            ]
        ),
    ]
)
