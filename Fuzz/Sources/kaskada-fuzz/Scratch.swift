import Foundation
import ModelIO

/// The folder one fuzzing process writes its inputs to (in `/dev/shm` when there is one), and the
/// checks that every target applies to what a reader returns.
final class Scratch: @unchecked Sendable {
    static let shared = Scratch()
    let dir: String

    private init() {
        let base = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
        dir = "\(base)/kaskada-fuzz-\(getpid())"
        try? FileManager.default.removeItem(atPath: dir)
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        atexit { try? FileManager.default.removeItem(atPath: Scratch.shared.dir) }
    }

    func path(_ name: String) -> String { dir + "/" + name }

    /// Splits `bytes` at NUL bytes and writes section i to `files[i]`; files without a section are
    /// removed, so nothing of an earlier input is read. Sections past the last file name are
    /// appended to the last file (a NUL inside its text stays a NUL).
    func write(sections bytes: UnsafeBufferPointer<UInt8>, to files: [String]) {
        var parts: [ArraySlice<UInt8>] = []
        var start = 0
        for i in 0..<bytes.count where bytes[i] == 0 && parts.count < files.count - 1 {
            parts.append(ArraySlice(bytes[start..<i]))
            start = i + 1
        }
        parts.append(ArraySlice(bytes[start..<bytes.count]))
        let fm = FileManager.default
        for (i, name) in files.enumerated() {
            let p = path(name)
            if i < parts.count {
                try? fm.createDirectory(atPath: (p as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                fm.createFile(atPath: p, contents: Data(parts[i]))
            } else {
                try? fm.removeItem(atPath: p)
            }
        }
    }

    /// Removes a folder a target wrote (an imported model, say) before the next input.
    func clear(_ name: String) { try? FileManager.default.removeItem(atPath: path(name)) }
}

/// A finding that is not a crash by itself: the process stops with a message, and libFuzzer
/// saves the input (`crash-...`).
func finding(_ message: String) -> Never {
    FileHandle.standardError.write(Data("FINDING: \(message)\n".utf8))
    abort()
}

/// A reader may only fail with an input error, and an input error must name a file and say
/// something (docs/specification.md section 7).
func check(_ error: any Error, target: String) {
    guard let e = error as? InputError else { finding("\(target): an error that is not an input error: \(error)") }
    let errors = e.diagnostics.errors
    if errors.isEmpty { finding("\(target): an InputError without any error: \(e.diagnostics.report())") }
    for d in errors where d.file.isEmpty || d.message.isEmpty {
        finding("\(target): an error without file or message: '\(d.description)'")
    }
}
