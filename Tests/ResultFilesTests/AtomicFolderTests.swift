import Foundation
import ResultFiles
import TestSupport
import Testing

/// Replacing result folders and files: the previous version stays whole until the new one is
/// complete, a failed fill changes nothing, and nothing staged is left behind.
@Suite struct AtomicFolderTests {
    static func tempDir() throws -> URL {
        let d = TemporaryFolder.url("atomic")
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

    /// The pid of a process that ran and has been reaped: no process has it (for a while).
    static func deadPid() throws -> Int32 {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/true")
        try p.run()
        p.waitUntilExit()
        return p.processIdentifier
    }

    /// A writer killed with SIGKILL leaves its staging folder (`.<name>.tmp-<pid>-<n>`), and one
    /// killed between the two renames of the fallback an `.old-` folder: the next replacement of
    /// the same target removes those of processes that no longer run, and keeps a live
    /// process's (scripts/fault-tests.sh found them piling up beside results after kills).
    @Test func leftoversOfAKilledWriterAreRemovedByTheNextReplacement() throws {
        let root = try Self.tempDir()
        defer { try? FileManager.default.removeItem(at: root) }
        let fm = FileManager.default
        let target = root.appendingPathComponent("result")
        try AtomicFolder.replace(target.path) { try Data("one".utf8).write(to: $0.appendingPathComponent("a.txt")) }
        let dead = try Self.deadPid()
        let me = ProcessInfo.processInfo.processIdentifier
        for name in [".result.tmp-\(dead)-3", ".result.old-\(dead)-4", ".result.tmp-\(me)-999", ".other.tmp-\(dead)-1", ".result.tmp-x-1"] {
            try fm.createDirectory(at: root.appendingPathComponent(name), withIntermediateDirectories: false)
            try Data("half".utf8).write(to: root.appendingPathComponent(name).appendingPathComponent("a.txt"))
        }
        // a failed replacement removes the dead staging folder but keeps the dead `.old-` folder
        // (it may be the only copy of a previous result until a new one is swapped in)
        struct Boom: Error {}
        #expect(throws: Boom.self) { try AtomicFolder.replace(target.path) { _ in throw Boom() } }
        #expect(Self.entries(root) == [".other.tmp-\(dead)-1", ".result.old-\(dead)-4", ".result.tmp-\(me)-999", ".result.tmp-x-1", "result"])
        try AtomicFolder.replace(target.path) { try Data("two".utf8).write(to: $0.appendingPathComponent("a.txt")) }
        // this process's folder (alive), another target's and a name that is not a tag stay
        #expect(Self.entries(root) == [".other.tmp-\(dead)-1", ".result.tmp-\(me)-999", ".result.tmp-x-1", "result"])
        #expect(try String(contentsOf: target.appendingPathComponent("a.txt"), encoding: .utf8) == "two")
    }

    @Test func aReadOnlyParentIsAnError() throws {
        guard getuid() != 0 else { return } // root writes anywhere: nothing to check
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

    /// Write errors read as the system's words and the file, not Foundation's boilerplate or a
    /// dump of the NSError (`kaskada batch` printed `Error Domain=NSCocoaErrorDomain Code=642 …`
    /// for a read-only folder; scripts/fault-tests.sh).
    @Test func ioErrorsReadAsTheSystemsWords() {
        let rofs = NSError(
            domain: NSCocoaErrorDomain, code: CocoaError.fileWriteVolumeReadOnly.rawValue,
            userInfo: [
                NSFilePathErrorKey: "/data/ro/batch",
                NSUnderlyingErrorKey: NSError(domain: NSPOSIXErrorDomain, code: Int(EROFS)),
            ])
        #expect(IOErrorText.describe(rofs) == "Read-only file system (/data/ro/batch)")
        let full = NSError(
            domain: NSCocoaErrorDomain, code: CocoaError.fileWriteOutOfSpace.rawValue,
            userInfo: [NSFilePathErrorKey: "/data/.r.tmp-12-1/results.geojson"])
        #expect(IOErrorText.describe(full) == "No space left on device (results.geojson)")
        #expect(IOErrorText.describe(NSError(domain: NSPOSIXErrorDomain, code: Int(ENOSPC))) == "No space left on device")
        let staging = NSError(domain: NSPOSIXErrorDomain, code: Int(EROFS), userInfo: [NSFilePathErrorKey: "/data/.r.tmp-12-1"])
        #expect(IOErrorText.describe(staging) == "Read-only file system")
        do {
            _ = try DigestingWriter(path: "/nonexistent-\(UUID().uuidString)/.r.tmp-1-1/a.csv")
            Issue.record("created a file in a folder that does not exist")
        } catch {
            #expect(IOErrorText.describe(error) == "cannot create the file: No such file or directory (a.csv)")
        }
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
