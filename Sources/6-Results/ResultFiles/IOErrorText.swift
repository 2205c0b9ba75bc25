import Foundation

/// A file-system error in the system's words, for the "cannot write" messages of the command
/// line: `No space left on device (results.geojson)`, `Read-only file system (/data/new)`.
/// Foundation's own texts are vaguer ("The operation could not be completed. There isn't enough
/// space.") or a dump of the `NSError` with its domain, code and user info.
public enum IOErrorText {
    public static func describe(_ error: Error) -> String {
        if let f = error as? AtomicFolder.Failure { return f.reason + file(f.path) }
        let ns = error as NSError
        var code: Int32? = nil
        if ns.domain == NSPOSIXErrorDomain {
            code = Int32(ns.code)
        } else if let u = ns.userInfo[NSUnderlyingErrorKey] as? NSError, u.domain == NSPOSIXErrorDomain {
            code = Int32(u.code)
        } else if ns.domain == NSCocoaErrorDomain {
            switch CocoaError.Code(rawValue: ns.code) {
            case .fileWriteOutOfSpace: code = ENOSPC
            case .fileWriteVolumeReadOnly: code = EROFS
            case .fileWriteNoPermission, .fileReadNoPermission: code = EACCES
            default: break
            }
        }
        let path = ns.userInfo[NSFilePathErrorKey] as? String ?? (ns.userInfo[NSURLErrorKey] as? URL)?.path
        guard let code else {
            let text = ns.localizedDescription
            let boiler = "The operation could not be completed. "
            return (text.hasPrefix(boiler) ? String(text.dropFirst(boiler.count)) : text) + file(path)
        }
        return String(cString: strerror(code)) + file(path)
    }

    /// ` (PATH)` for the file or folder the error concerns, from below the hidden staging folder
    /// or temporary file (`.<name>.tmp-…`) when there is one, whose name says nothing to the
    /// reader: `(results.geojson)`, `(/data/results/new)`; nothing for the staging folder itself.
    static func file(_ path: String?) -> String {
        guard let path, !path.isEmpty else { return "" }
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        guard let hidden = parts.lastIndex(where: { $0.hasPrefix(".") && $0 != "." && $0 != ".." }) else { return " (\(path))" }
        let below = parts[(hidden + 1)...].joined(separator: "/")
        return below.isEmpty ? "" : " (\(below))"
    }
}
