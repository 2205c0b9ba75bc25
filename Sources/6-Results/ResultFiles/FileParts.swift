#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads a file in parts of a fixed size, so that digesting a model of several hundred MB
/// holds one part, not the file.
public enum FileParts {
    /// Bytes per part.
    public static let partBytes = 1 << 20

    /// Calls `body` with each part of the file at `path`, in order (the last part may be short,
    /// an empty file gives no call).
    /// - Returns: false when the file cannot be opened or a read fails.
    /// - Complexity: O(file size) time, O(`partBytes`) memory.
    @discardableResult
    public static func forEach(ofFileAt path: String, _ body: (UnsafeBufferPointer<UInt8>) -> Void) -> Bool {
        guard let f = fopen(path, "rb") else { return false }
        defer { fclose(f) }
        let buffer = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: partBytes)
        defer { buffer.deallocate() }
        while true {
            let n = fread(buffer.baseAddress, 1, partBytes, f)
            if n > 0 { body(UnsafeBufferPointer(rebasing: buffer[0..<n])) }
            if n < partBytes { return ferror(f) == 0 }
        }
    }

    /// The size of the file at `path` in bytes, nil when it cannot be read.
    public static func size(ofFileAt path: String) -> Int? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        return Int(st.st_size)
    }
}
