import Foundation
import Testing

/// Runs the `kaskada` binary (built because this target depends on it), as Tests/CLITests does.
enum KaskadaCLI {
    static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The `kaskada` binary next to the test bundle.
    static var binary: URL {
        var dir = Bundle.main.bundleURL
        for _ in 0..<4 {
            let c = dir.appendingPathComponent("kaskada")
            if FileManager.default.isExecutableFile(atPath: c.path) { return c }
            dir = dir.deletingLastPathComponent()
        }
        return repo.appendingPathComponent(".build/debug/kaskada")
    }

    struct Result { var code: Int32; var err: String }

    /// Runs `kaskada ARGS` in `cwd` and waits; standard output is discarded.
    static func run(_ args: [String], cwd: URL) throws -> Result {
        let p = Process()
        p.executableURL = binary
        p.arguments = args
        p.currentDirectoryURL = cwd
        let e = Pipe()
        p.standardOutput = FileHandle.nullDevice
        p.standardError = e
        try p.run()
        let ed = e.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Result(code: p.terminationStatus, err: String(decoding: ed, as: UTF8.self))
    }

    /// Runs `kaskada ARGS` and records an issue unless it exits 0.
    @discardableResult
    static func expectSuccess(_ args: [String], cwd: URL) throws -> Bool {
        let r = try run(args, cwd: cwd)
        #expect(r.code == 0, "kaskada \(args.joined(separator: " ")) exited \(r.code): \(r.err)")
        return r.code == 0
    }
}
