import Foundation

/// A buffered file output that computes the SHA-256 of what it writes, so a large result file is
/// streamed to disk and digested in one pass without ever holding it whole in memory.
///
/// Memory: one buffer of `bufferSize` bytes. Each `write` is O(length) amortised.
public final class DigestingWriter {
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private var hasher = SHA256()
    private let bufferSize: Int
    /// Bytes written so far.
    public private(set) var byteCount = 0
    /// The path being written.
    public let path: String

    /// Creates (or truncates) the file at `path`; its folder must exist.
    public init(path: String, bufferSize: Int = 1 << 20) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil) else {
            throw AtomicFolder.Failure(path: path, reason: "cannot create the file: \(String(cString: strerror(errno)))")
        }
        handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        self.path = path
        self.bufferSize = bufferSize
        buffer.reserveCapacity(bufferSize)
    }

    /// Appends a string's UTF-8 bytes.
    public func write(_ s: String) throws {
        try write(bytes: s.utf8)
    }

    /// Appends bytes (a string's UTF-8 view, an array, `Data`). O(count) amortised.
    public func write<C: Collection>(bytes: C) throws where C.Element == UInt8 {
        let n = bytes.count
        if buffer.count + n > bufferSize { try flush() }
        buffer.append(contentsOf: bytes)
        if buffer.count >= bufferSize { try flush() }
        byteCount += n
    }

    private func flush() throws {
        guard !buffer.isEmpty else { return }
        hasher.update(buffer)
        try handle.write(contentsOf: buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes, closes the file and returns the SHA-256 of everything written, in hex.
    public func finish() throws -> String {
        try flush()
        try handle.close()
        return hasher.hexDigest()
    }
}
