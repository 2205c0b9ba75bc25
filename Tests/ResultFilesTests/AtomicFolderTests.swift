import Foundation
import ResultFiles
import Testing

/// Replacing result folders and files: the previous version stays whole until the new one is
/// complete, a failed fill changes nothing, and nothing staged is left behind.
@Suite struct AtomicFolderTests {
    static func tempDir() throws -> URL {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("kaskada-atomic-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
        return d
    }

    static func entries(_ dir: URL) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []).sorted()
    }

    @Test func createsThenReplacesWhole() throws {
        let root = try Self.tempDir()
        defer { try? FileManager.default.removeItem(at: root) }
        let target = root.appendingPathComponent("result")
        try AtomicFolder.replace(target.path) { try Data("one".utf8).write(to: $0.appendingPathComponent("a.txt")) }
        #expect(Self.entries(target) == ["a.txt"])
        try AtomicFolder.replace(target.path) { try Data("two".utf8).write(to: $0.appendingPathComponent("b.txt")) }
        // the old folder's files are gone, not merged: the folder is replaced whole
        #expect(Self.entries(target) == ["b.txt"])
        #expect(try String(contentsOf: target.appendingPathComponent("b.txt"), encoding: .utf8) == "two")
        // no staging or old folders left beside it
        #expect(Self.entries(root) == ["result"])
    }

    struct Boom: Error {}

    @Test func aFailedFillLeavesThePreviousFolder() throws {
        let root = try Self.tempDir()
        defer { try? FileManager.default.removeItem(at: root) }
        let target = root.appendingPathComponent("result")
        try AtomicFolder.replace(target.path) { try Data("kept".utf8).write(to: $0.appendingPathComponent("a.txt")) }
        #expect(throws: Boom.self) {
            try AtomicFolder.replace(target.path) { staging in
                try Data("half".utf8).write(to: staging.appendingPathComponent("a.txt"))
                throw Boom()
            }
        }
        #expect(try String(contentsOf: target.appendingPathComponent("a.txt"), encoding: .utf8) == "kept")
        #expect(Self.entries(root) == ["result"])
    }

    @Test func aReadOnlyParentIsAnError() throws {
        guard getuid() != 0 else { return }   // root writes anywhere: nothing to check
        let root = try Self.tempDir()
        defer { chmod(root.path, 0o755); try? FileManager.default.removeItem(at: root) }
        chmod(root.path, 0o555)
        #expect(throws: (any Error).self) { try AtomicFolder.replace(root.appendingPathComponent("r").path) { _ in } }
    }

    @Test func atomicFileReplacesBytes() throws {
        let root = try Self.tempDir()
        defer { try? FileManager.default.removeItem(at: root) }
        let f = root.appendingPathComponent("f.bin").path
        try AtomicFile.write(Data([1, 2, 3]), to: f)
        try AtomicFile.write(Data([4]), to: f)
        #expect(FileManager.default.contents(atPath: f) == Data([4]))
        #expect(Self.entries(root) == ["f.bin"])
    }

    /// The digesting writer's bytes and digest equal a one-shot SHA-256 of the same text, across
    /// buffer flushes and writes larger than the buffer.
    @Test func digestingWriterMatchesOneShot() throws {
        let root = try Self.tempDir()
        defer { try? FileManager.default.removeItem(at: root) }
        let path = root.appendingPathComponent("big.csv").path
        let w = try DigestingWriter(path: path, bufferSize: 64)
        var all = ""
        for i in 0..<500 {
            let line = "row-\(i)," + String(repeating: "x", count: i % 150) + "\n"
            try w.write(line)
            all += line
        }
        let digest = try w.finish()
        #expect(w.byteCount == all.utf8.count)
        #expect(FileManager.default.contents(atPath: path) == Data(all.utf8))
        #expect(digest == SHA256.hex(Data(all.utf8)))
    }
}
