import ArgumentParser
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `kaskada serve`: the live situation service (issue 16). The service is its own package
/// (`Serve/`, on Hummingbird and GRDB) so that the simulator's sanitizer builds do not compile a
/// web server; this command finds its binary and hands over (exec), passing every argument on.
struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve a model or scenario as a live situation service for an operations centre (docs/serve-api.md).",
        discussion: """
            kaskada serve MODEL_OR_SCENARIO [--port 8080] [--bind 127.0.0.1] [--data DIR] [--tokens FILE]
            Runs Serve/.build/release/kaskada-serve (build it with: swift build -c release --package-path Serve), \
            or the binary named by KASKADA_SERVE, or a kaskada-serve beside this executable.
            """)

    @Argument(parsing: .captureForPassthrough, help: "MODEL_OR_SCENARIO and the service's options.")
    var arguments: [String] = []

    /// Where the service binary is: KASKADA_SERVE, beside this executable, or in the Serve
    /// package's release (then debug) build of the checkout this executable was built in.
    static func locate() -> String? {
        let fm = FileManager.default
        if let p = ProcessInfo.processInfo.environment["KASKADA_SERVE"], !p.isEmpty { return p }
        let exe = URL(fileURLWithPath: CommandLine.arguments[0].contains("/") ? CommandLine.arguments[0]
                        : (Bundle.main.executablePath ?? CommandLine.arguments[0])).resolvingSymlinksInPath()
        let dir = exe.deletingLastPathComponent()
        var candidates = [dir.appendingPathComponent("kaskada-serve").path]
        // <root>/.build/<triple>/<config>/kaskada → <root>/Serve/.build/{release,debug}/kaskada-serve
        var up = dir
        for _ in 0..<4 {
            up = up.deletingLastPathComponent()
            for config in ["release", "debug"] { candidates.append(up.appendingPathComponent("Serve/.build/\(config)/kaskada-serve").path) }
        }
        candidates.append(fm.currentDirectoryPath + "/Serve/.build/release/kaskada-serve")
        return candidates.first { fm.isExecutableFile(atPath: $0) }
    }

    func run() throws {
        guard let binary = Self.locate() else {
            Console.errorLines(["kaskada serve: the service is not built: run `swift build -c release --package-path Serve` in the Kaskada checkout (or set KASKADA_SERVE to the kaskada-serve binary)"])
            throw ExitCode(2)
        }
        let argv = [binary] + arguments
        var cargs = argv.map { strdup($0) } + [nil]
        execv(binary, &cargs)
        Console.errorLines(["kaskada serve: cannot start \(binary): \(String(cString: strerror(errno)))"])
        throw ExitCode(1)
    }
}
