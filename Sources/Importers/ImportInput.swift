import Foundation
import ModelIO
import ResultFiles

/// An input file read whole for an importer: its text split into lines, its name and SHA-256.
/// The files importers read are small (a few MB), so reading them whole is the simple choice.
public struct ImportInput: Sendable {
    /// The path as given (diagnostics name it).
    public var path: String
    /// The file name without folders (the report's `input`).
    public var fileName: String
    public var sha256: String
    public var text: String

    public init(path: String) throws(InputError) {
        guard let data = FileManager.default.contents(atPath: path) else {
            var isDir: ObjCBool = false
            let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDir)
            throw InputError(file: path, exists && isDir.boolValue ? "this is a folder: expected a file" : "cannot read the file (missing or not readable)")
        }
        var bytes = [UInt8](data)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        guard let t = String(validating: bytes, as: UTF8.self) else {
            let bad = Self.firstInvalidUTF8(bytes)
            let line = 1 + bytes[..<bad].reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
            throw InputError(file: path, line: line, String(format: "the file is not valid UTF-8: byte 0x%02X at byte offset %d; save it as UTF-8", bytes[bad], bad))
        }
        var h = ResultFiles.SHA256()
        h.update(data)
        self.path = path
        self.fileName = (path as NSString).lastPathComponent
        self.sha256 = h.hexDigest()
        self.text = t
    }

    /// The text's lines without their line ends (`\n` or `\r\n`), 0-based (line k + 1 in messages).
    public var lines: [Substring] {
        // "\r\n" is one Character in Swift: split on both
        text.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" }
    }

    /// The default model name: the file name without extension, escaped like an id.
    public var stem: String {
        let base = (fileName as NSString).deletingPathExtension
        let s = ImportIds.escape(base.isEmpty ? fileName : base)
        return s.isEmpty ? "imported" : s
    }

    static func firstInvalidUTF8(_ b: [UInt8]) -> Int {
        var i = 0
        while i < b.count {
            let c = b[i]
            let n = c < 0x80 ? 1 : c >> 5 == 0x6 ? 2 : c >> 4 == 0xE ? 3 : c >> 3 == 0x1E ? 4 : 0
            if n == 0 || i + n > b.count { return i }
            for k in 1..<n where b[i + k] >> 6 != 0x2 { return i }
            if String(validating: b[i..<(i + n)], as: UTF8.self) == nil { return i }
            i += n
        }
        return 0
    }
}
