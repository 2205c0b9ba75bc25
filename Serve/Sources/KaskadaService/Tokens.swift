import Crypto
import Foundation
import Situations

/// SHA-256 of bytes, as lowercase hex.
public func sha256Hex(_ data: some DataProtocol) -> String {
    let digits = Array("0123456789abcdef".utf8)
    var out = [UInt8]()
    out.reserveCapacity(64)
    for b in SHA256.hash(data: data) { out.append(digits[Int(b >> 4)]); out.append(digits[Int(b & 15)]) }
    return String(decoding: out, as: UTF8.self)
}

/// The SHA-256 of the empty body, the digest audited for requests without one.
public let emptyBodySha256 = sha256Hex(Data())

/// The tokens of a service: SHA-256 digests of bearer tokens and their roles. Tokens themselves
/// are never stored; a presented token is hashed and compared with every digest in constant time.
public struct TokenTable: Sendable {
    public struct Entry: Sendable {
        public var digest: [UInt8]
        public var scope: Scope
    }
    public var entries: [Entry]

    public init(entries: [Entry]) { self.entries = entries }

    /// Reads a tokens file: lines `<sha256-hex> <role>`, `#` comments, blank lines.
    /// - Throws: `TokenFileError` naming the file and line.
    public static func load(path: String, owners: [String]) throws(TokenFileError) -> TokenTable {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw TokenFileError("\(path): cannot read the tokens file")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw TokenFileError("\(path): the tokens file is not UTF-8")
        }
        return try parse(text, name: path, owners: owners)
    }

    public static func parse(_ text: String, name: String, owners: [String]) throws(TokenFileError) -> TokenTable {
        var entries: [Entry] = []
        var seen = Set<[UInt8]>()
        for (i, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let at = "\(name):\(i + 1)"
            let parts = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard parts.count == 2 else {
                throw TokenFileError("\(at): expected `<sha256-hex> <role>` (role: centre, owner:<name>, public)")
            }
            let hex = parts[0].lowercased()
            guard hex.count == 64, let digest = bytes(hex: hex) else {
                throw TokenFileError("\(at): the first field must be 64 hex digits (the SHA-256 of the token; see `kaskada-serve hash-token`)")
            }
            guard let scope = Scope(role: String(parts[1])) else {
                throw TokenFileError("\(at): unknown role `\(parts[1])` (centre, owner:<name>, public)")
            }
            if case .owner(let o) = scope, !owners.contains(o) {
                throw TokenFileError("\(at): `\(o)` is not an owner of the model (owners: \(owners.joined(separator: ", ")))")
            }
            guard seen.insert(digest).inserted else { throw TokenFileError("\(at): the same token digest appears twice") }
            entries.append(Entry(digest: digest, scope: scope))
        }
        return TokenTable(entries: entries)
    }

    /// The role of a presented token, nil when unknown.
    public func scope(forToken token: String) -> Scope? { match(token)?.scope }

    /// The entry of a presented token (its index keys the rate limit), nil when unknown. Hashes
    /// the token once and compares against every entry, in constant time per entry.
    public func match(_ token: String) -> (index: Int, scope: Scope)? {
        let d = Array(SHA256.hash(data: Data(token.utf8)))
        var found: (Int, Scope)?
        for (i, e) in entries.enumerated() where Self.constantTimeEqual(e.digest, d) { found = (i, e.scope) }
        return found
    }

    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var diff: UInt8 = 0
        for i in 0..<a.count { diff |= a[i] ^ b[i] }
        return diff == 0
    }

    static func bytes(hex: String) -> [UInt8]? {
        var out: [UInt8] = []
        var it = hex.utf8.makeIterator()
        while let h = it.next() {
            guard let l = it.next(), let hv = nibble(h), let lv = nibble(l) else { return nil }
            out.append(hv << 4 | lv)
        }
        return out
    }
    static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case 48...57: return c - 48
        case 97...102: return c - 87
        default: return nil
        }
    }

    /// The tokens-file line for `token` and `role`.
    public static func line(token: String, role: String) -> String {
        "\(sha256Hex(Data(token.utf8))) \(role)"
    }
}

public struct TokenFileError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ d: String) { description = d }
}
