import Foundation
import Testing

/// `kaskada serve` hands over to the service binary with every argument.
@Suite struct ServeCLITests {
    /// With KASKADA_SERVE naming a program, that program runs with the arguments as given.
    @Test func serveHandsEveryArgumentToTheServiceBinary() throws {
        let r = try CLI.run(
            ["serve", "scenarios/networks/riverside", "--port", "9090", "--bind", "127.0.0.1"],
            environment: ["KASKADA_SERVE": "/bin/echo"])
        #expect(r.code == 0)
        #expect(r.out == "scenarios/networks/riverside --port 9090 --bind 127.0.0.1\n", "\(r.out)\(r.err)")
    }

    /// A service binary that cannot be started is exit 1 naming it, not a crash.
    @Test func aMissingServiceBinaryIsAClearError() throws {
        let r = try CLI.run(["serve", "scenarios/networks/riverside"], environment: ["KASKADA_SERVE": "/nonexistent/kaskada-serve"])
        #expect(r.code == 1)
        #expect(r.err.contains("cannot start /nonexistent/kaskada-serve"), "\(r.err)")
    }
}
