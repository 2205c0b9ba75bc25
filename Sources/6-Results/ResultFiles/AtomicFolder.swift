import CFileExchange
import Foundation

/// Replacing a folder or a file so that a reader, or a crash at any moment, sees the previous
/// version or the new one whole, never a mixture and never nothing (docs/decisions.md #48).
///
/// The new content is staged in a hidden sibling (`.<name>.tmp-<pid>-<n>`), on the same file
/// system as the target, then swapped in: with `renameat2(RENAME_EXCHANGE)` where the kernel and
/// file system offer it (one atomic step: the target path always names a complete folder), else
/// by two renames (the previous folder is moved aside first and moved back if the second rename
/// fails, so only a crash between the two renames leaves the path empty, with the previous
/// folder intact beside it as `.<name>.old-…`).
///
/// A writer killed with SIGKILL (or by a second Ctrl-C, which exits at once) cannot remove its
/// staging folder; the next replacement of the same target removes such leftovers — staging
/// folders before it stages, `.old-` folders once its own swap succeeded (until then an `.old-`
/// folder may be the only copy of the previous result) — when the process named in them no
/// longer runs on this machine (`removeStale`). A live process keeps its folders, so two
/// writers of one target never remove each other's work on one machine; across machines
/// sharing a file system a pid says nothing, which at worst makes the other writer fail (exit 1,
/// its previous result kept), and two hosts writing one result at once is a mistake anyway.
public enum AtomicFolder {
    /// What went wrong while replacing `path`.
    public struct Failure: Error, CustomStringConvertible {
        public var path: String
        public var reason: String
        public var description: String { "\(path): \(reason)" }
    }

    /// Builds the new content of folder `dir` with `fill` (called with the empty staging folder)
    /// and swaps it in. Parent folders are created. On any error the staging folder is removed,
    /// the previous folder is left as it was, and the error is rethrown.
    public static func replace(_ dir: String, fill: (URL) throws -> Void) throws {
        let fm = FileManager.default
        let target = URL(fileURLWithPath: dir).standardizedFileURL
        let parent = target.deletingLastPathComponent()
        try fm.createDirectory(at: parent, withIntermediateDirectories: true)
        let tag = uniqueTag()
        let staging = parent.appendingPathComponent(".\(target.lastPathComponent).tmp-\(tag)")
        removeStale(beside: target, kind: "tmp")
        try? fm.removeItem(at: staging)
        try fm.createDirectory(at: staging, withIntermediateDirectories: false)
        do {
            try fill(staging)
            try swapIn(staging, target, tag: tag)
        } catch {
            try? fm.removeItem(at: staging)
            throw error
        }
        removeStale(beside: target, kind: "old")
    }

    /// Removes the staging and `.old-` folders that killed writers left beside the complete
    /// folder `dir` (for a caller that keeps `dir` as it is, e.g. a result that is up to date);
    /// returns their names.
    @discardableResult
    public static func removeLeftovers(beside dir: String) -> [String] {
        let target = URL(fileURLWithPath: dir).standardizedFileURL
        return removeStale(beside: target, kind: "tmp") + removeStale(beside: target, kind: "old")
    }

    /// Removes the `.<name>.<kind>-<pid>-<n>` siblings of `target` whose process `<pid>` no
    /// longer runs (leftovers of a killed writer); returns their names.
    @discardableResult
    static func removeStale(beside target: URL, kind: String) -> [String] {
        let fm = FileManager.default
        let parent = target.deletingLastPathComponent()
        let prefix = ".\(target.lastPathComponent).\(kind)-"
        guard let names = try? fm.contentsOfDirectory(atPath: parent.path) else { return [] }
        var removed: [String] = []
        for name in names where name.hasPrefix(prefix) {
            let parts = name.dropFirst(prefix.count).split(separator: "-")
            guard parts.count == 2, let pid = Int32(parts[0]), pid > 0, Int(parts[1]) != nil,
                !processRuns(pid)
            else { continue }
            if (try? fm.removeItem(at: parent.appendingPathComponent(name))) != nil { removed.append(name) }
        }
        return removed
    }

    /// Whether process `pid` exists on this machine (`kill(pid, 0)`: EPERM means it exists).
    static func processRuns(_ pid: Int32) -> Bool {
        if pid == getpid() { return true }
        return kill(pid, 0) == 0 || errno != ESRCH
    }

    /// Moves the folder `staging` to `target`, replacing whatever folder is there.
    static func swapIn(_ staging: URL, _ target: URL, tag: String) throws {
        let fm = FileManager.default
        guard fm.fileExists(atPath: target.path) else {
            try rename(staging, target)
            return
        }
        if kaskada_exchange_paths(staging.path, target.path) == 0 {
            // the previous folder now sits at the staging path
            try? fm.removeItem(at: staging)
            return
        }
        let old = target.deletingLastPathComponent().appendingPathComponent(".\(target.lastPathComponent).old-\(tag)")
        try rename(target, old)
        do { try rename(staging, target) } catch {
            try? rename(old, target)
            throw error
        }
        try? fm.removeItem(at: old)
    }

    static func rename(_ from: URL, _ to: URL) throws {
        guard Foundation.rename(from.path, to.path) == 0 else {
            throw Failure(path: to.path, reason: "cannot move \(from.lastPathComponent) here: \(String(cString: strerror(errno)))")
        }
    }

    private static let counter = Counter()

    /// `<pid>-<n>`: unique among this process's staging folders, and across processes.
    static func uniqueTag() -> String { "\(ProcessInfo.processInfo.processIdentifier)-\(counter.next())" }

    final class Counter: @unchecked Sendable {
        private var n = 0
        private let lock = NSLock()
        func next() -> Int { lock.lock(); defer { lock.unlock() }; n += 1; return n }
    }
}

/// Replacing one file atomically: written beside it, flushed, then renamed over it.
public enum AtomicFile {
    /// Writes `data` to `path` so that `path` holds the previous bytes or the new ones, never a
    /// torn file. The parent folder must exist.
    public static func write(_ data: Data, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        let tmp = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).tmp-\(AtomicFolder.uniqueTag())")
        do {
            try data.write(to: tmp)
            try AtomicFolder.rename(tmp, url)
        } catch {
            try? FileManager.default.removeItem(at: tmp)
            throw error
        }
    }
}
