import Foundation

/// Path helpers: resolve a path written in a file relative to that file's folder.
public enum Paths {
    /// The folder part of `path` ("" for a bare file name, "/" for a file at the root), trailing
    /// slashes ignored. Foundation's `NSString.deletingLastPathComponent` traps on one-character
    /// names such as `x` or `m/` (swift-corelibs-foundation on Linux), so Kaskada uses this.
    public static func parent(_ path: String) -> String {
        var p = Substring(path)
        while p.count > 1, p.hasSuffix("/") { p = p.dropLast() }
        guard let slash = p.lastIndex(of: "/") else { return "" }
        if slash == p.startIndex { return "/" }
        return String(p[..<slash])
    }

    /// `relative` resolved against the folder of `file`, normalised (no `.`/`..`), kept relative
    /// when both are relative so messages stay short.
    static func resolve(_ relative: String, against file: String) -> String {
        if relative.hasPrefix("/") { return normalise(relative) }
        let dir = parent(file)
        return normalise(dir.isEmpty ? relative : dir + "/" + relative)
    }

    /// Removes `.` and resolvable `..` components.
    static func normalise(_ path: String) -> String {
        let absolute = path.hasPrefix("/")
        var parts: [Substring] = []
        for c in path.split(separator: "/", omittingEmptySubsequences: true) {
            if c == "." { continue }
            if c == "..", let last = parts.last, last != ".." { parts.removeLast(); continue }
            if c == "..", absolute, parts.isEmpty { continue }
            parts.append(c)
        }
        let joined = parts.joined(separator: "/")
        return absolute ? "/" + joined : (joined.isEmpty ? "." : joined)
    }

    /// A canonical absolute form, for cycle detection.
    static func canonical(_ path: String) -> String {
        let abs = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        return URL(fileURLWithPath: normalise(abs)).resolvingSymlinksInPath().path
    }

    static func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: path) }

    /// Reads a text file, stripping a UTF-8 BOM and turning CRLF into LF.
    static func readText(_ path: String) throws(InputError) -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            var isDir: ObjCBool = false
            let why =
                FileManager.default.fileExists(atPath: path, isDirectory: &isDir)
                ? (isDir.boolValue ? "is a folder, expected a file" : "cannot read the file")
                : "file not found"
            throw InputError(file: path, why)
        }
        var bytes = [UInt8](data)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        guard var text = String(validating: bytes, as: UTF8.self) else {
            throw InputError(file: path, "the file is not valid UTF-8")
        }
        if text.contains("\r\n") { text = text.replacingOccurrences(of: "\r\n", with: "\n") }
        return text
    }
}
