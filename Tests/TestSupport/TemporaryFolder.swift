import Foundation

/// Paths under the system's temporary folder for tests, unique per call so that parallel tests
/// and repeated runs never share one: `kaskada-<tag>-<process id>-<8 hex digits>`.
public enum TemporaryFolder {
    /// A fresh path (nothing is created).
    public static func url(_ tag: String) -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("kaskada-\(tag)-\(getpid())-\(UUID().uuidString.prefix(8))")
    }

    /// A fresh, empty folder, created.
    public static func make(_ tag: String) throws -> URL {
        let u = url(tag)
        try FileManager.default.createDirectory(at: u, withIntermediateDirectories: true)
        return u
    }
}

/// The repository's folders, for tests that read shipped scenarios, models and docs.
public enum Repository {
    /// The checkout's root (this file is Tests/TestSupport/TemporaryFolder.swift).
    public static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// `path` relative to the root.
    public static func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }
}

/// Small models written as files, for loader and pipeline tests.
public enum ModelFolder {
    /// Writes each (file name, text) into a fresh temporary folder tagged `tag` and returns it.
    public static func write(_ tag: String, _ files: [(String, String)]) throws -> URL {
        let dir = try TemporaryFolder.make(tag)
        for (name, text) in files {
            let url = dir.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        return dir
    }
}
