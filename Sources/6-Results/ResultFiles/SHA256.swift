import Crypto
import Foundation

/// SHA-256 (FIPS 180-4) for the manifest's file and input digests: swift-crypto's implementation
/// (BoringSSL's on Linux) behind the small interface the result code needs.
public struct SHA256 {
    private var hasher = Crypto.SHA256()

    public init() {}

    /// Adds bytes to the digest.
    public mutating func update<S: Sequence>(_ bytes: S) where S.Element == UInt8 {
        if let array = bytes as? [UInt8] { hasher.update(data: array) } else { hasher.update(data: Array(bytes)) }
    }

    /// Adds a string's UTF-8 bytes to the digest.
    public mutating func update(_ string: String) { hasher.update(data: Array(string.utf8)) }

    /// Adds `data` to the digest.
    public mutating func update(_ data: Data) { hasher.update(data: data) }

    /// Adds the bytes of a buffer to the digest.
    public mutating func update(_ part: UnsafeBufferPointer<UInt8>) { hasher.update(bufferPointer: UnsafeRawBufferPointer(part)) }

    /// Adds the bytes of the file at `path`, read in parts (`FileParts`). Returns false when the
    /// file cannot be read.
    @discardableResult
    public mutating func update(fileAt path: String) -> Bool {
        FileParts.forEach(ofFileAt: path) { update($0) }
    }

    /// The digest as 64 lowercase hex digits. The hasher is finished: call it once.
    public mutating func hexDigest() -> String {
        Self.hexString(hasher.finalize())
    }

    /// SHA-256 of `bytes` in hex.
    public static func hex<S: Sequence>(_ bytes: S) -> String where S.Element == UInt8 {
        var s = SHA256()
        s.update(bytes)
        return s.hexDigest()
    }

    /// SHA-256 of `data` in hex.
    public static func hex(_ data: Data) -> String {
        var s = SHA256()
        s.update(data)
        return s.hexDigest()
    }

    /// SHA-256 in hex of the file at `path`, read in 1 MiB parts (a file written by another
    /// library, such as `results.gpkg`).
    public static func hex(fileAt path: String) throws -> String {
        var s = SHA256()
        guard s.update(fileAt: path) else { throw AtomicFolder.Failure(path: path, reason: "cannot read it back") }
        return s.hexDigest()
    }

    static func hexString<D: Sequence>(_ digest: D) -> String where D.Element == UInt8 {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(64)
        for b in digest {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 15)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
