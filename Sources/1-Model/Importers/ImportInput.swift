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
            throw InputError(
                file: path, exists && isDir.boolValue ? "this is a folder: expected a file" : "cannot read the file (missing or not readable)")
        }
        var bytes = [UInt8](data)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        guard let t = String(validating: bytes, as: UTF8.self) else {
            let bad = Self.firstInvalidUTF8(bytes)
            let line = 1 + bytes[..<bad].reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
            throw InputError(
                file: path, line: line,
                String(format: "the file is not valid UTF-8: byte 0x%02X at byte offset %d; save it as UTF-8", bytes[bad], bad))
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
        // split on the bytes: fast, and "\r\n" (one Character in Swift) ends a line as "\n" does
        var out: [Substring] = []
        let u = text.utf8
        var start = u.startIndex, i = u.startIndex
        func line(_ s: String.Index, _ e: String.Index) -> Substring {
            var end = e
            if end > s, u[u.index(before: end)] == 13 { end = u.index(before: end) }
            return text[s..<end]
        }
        while i < u.endIndex {
            if u[i] == 10 {
                out.append(line(start, i))
                start = u.index(after: i)
            }
            i = u.index(after: i)
        }
        out.append(line(start, u.endIndex))
        return out
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

/// Byte-level text helpers for the importers' line readers (ASCII separators only, so every cut
/// lies on a character boundary): an order of magnitude faster than splitting on Characters.
enum LineText {
    /// The pieces of `s` between runs of bytes for which `isSeparator` holds (no empty pieces).
    static func tokens(_ s: Substring, _ isSeparator: (UInt8) -> Bool) -> [Substring] {
        var out: [Substring] = []
        let u = s.utf8
        var i = u.startIndex, start: String.Index? = nil
        while i < u.endIndex {
            if isSeparator(u[i]) {
                if let st = start { out.append(s[st..<i]); start = nil }
            } else if start == nil {
                start = i
            }
            i = u.index(after: i)
        }
        if let st = start { out.append(s[st..<u.endIndex]) }
        return out
    }

    /// `s` up to the first `comment` byte outside single quotes (`quotes: true`) or anywhere.
    static func beforeComment(_ s: Substring, _ comment: UInt8, quotes: Bool = false) -> Substring {
        let u = s.utf8
        var quoted = false
        var i = u.startIndex
        while i < u.endIndex {
            let c = u[i]
            if quotes && c == 39 { quoted.toggle() }
            if c == comment && !quoted { return s[s.startIndex..<i] }
            i = u.index(after: i)
        }
        return s
    }

    static func isBlank(_ c: UInt8) -> Bool { c == 32 || c == 9 || c == 13 }
    static func isBlankOrComma(_ c: UInt8) -> Bool { c == 32 || c == 9 || c == 13 || c == 44 }
}
