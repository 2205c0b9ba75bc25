import ArgumentParser
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// `kaskada serve`: the live situation service. The service is its own package
/// (`Serve/`, on Hummingbird and GRDB) so that the simulator's sanitizer builds do not compile a
/// web server; this command finds its binary and hands over (exec), passing every argument on.
struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve a model or scenario as a live situation service for an operations centre (docs/serve-api.md).",
        discussion: """
            kaskada serve MODEL_OR_SCENARIO [--port 8080] [--bind 127.0.0.1] [--data DIR] [--tokens FILE]
            Runs the kaskada-serve binary beside this executable (scripts/build.sh builds both and puts it there), \
            or the one named by KASKADA_SERVE.
            """)

    @Argument(parsing: .captureForPassthrough, help: "MODEL_OR_SCENARIO and the service's options.")
    var arguments: [String] = []

    /// Where the service binary is: the path in KASKADA_SERVE, else `kaskada-serve` beside this
    /// executable (where `scripts/build.sh` puts it).
    static func locate() -> String? {
        if let p = ProcessInfo.processInfo.environment["KASKADA_SERVE"], !p.isEmpty { return p }
        let exe = URL(
            fileURLWithPath: CommandLine.arguments[0].contains("/")
                ? CommandLine.arguments[0]
                : (Bundle.main.executablePath ?? CommandLine.arguments[0])
        ).resolvingSymlinksInPath()
        let beside = exe.deletingLastPathComponent().appendingPathComponent("kaskada-serve").path
        return FileManager.default.isExecutableFile(atPath: beside) ? beside : nil
    }

    func run() throws {
        guard let binary = Self.locate() else {
            Console.errorLines([
                "kaskada serve: the service is not built: run scripts/build.sh in the Kaskada checkout, which puts kaskada-serve beside kaskada (or set KASKADA_SERVE to the kaskada-serve binary)"
            ])
            throw ExitCode(2)
        }
        let argv = [binary] + arguments
        var cargs = argv.map { strdup($0) } + [nil]
        execv(binary, &cargs)
        Console.errorLines(["kaskada serve: cannot start \(binary): \(String(cString: strerror(errno)))"])
        throw ExitCode(1)
    }
}
