import Foundation

/// Reading and updating the `files` entries of a result folder's `manifest.json`
/// (the format of `ManifestFile`: one line per file, sorted by name,
/// `"name": {"sha256": "hex"}`).
public enum Manifest {
    /// The `files` entries: file name → SHA-256 hex. Nil when the text is not a JSON object or
    /// its `files` is not an object (entries without a string `sha256` are left out).
    public static func files(_ manifestJSON: String) -> [String: String]? {
        guard let root = try? JSONReader.parse(manifestJSON), case .object = root.kind else { return nil }
        guard let f = root["files"] else { return [:] }
        guard case .object(let members) = f.kind else { return nil }
        var out: [String: String] = [:]
        for (name, v) in members {
            if let s = v["sha256"], case .string(let hex) = s.kind { out[name] = hex }
        }
        return out
    }

    /// The `inputs_sha256` digest and the `inputs` entries (label → value) of a manifest; nil
    /// when the text is not a manifest.
    public static func inputs(_ manifestJSON: String) -> (digest: String, inputs: [String: String])? {
        guard let root = try? JSONReader.parse(manifestJSON), case .object = root.kind,
            let d = root["inputs_sha256"], case .string(let digest) = d.kind
        else { return nil }
        var out: [String: String] = [:]
        if let i = root["inputs"], case .object(let members) = i.kind {
            for (k, v) in members { if case .string(let s) = v.kind { out[k] = s } }
        }
        return (digest, out)
    }

    /// The manifest with its `files` entries set to `digests` (file name → SHA-256 hex): an entry
    /// for a name in `digests` is added or replaced; an existing entry whose name starts with one
    /// of `removingPrefixes` (e.g. `"briefs/"`) and is not in `digests` is dropped; every other
    /// entry and every other key is kept byte for byte. Entries are written one per line sorted
    /// by name, as `ResultWriter` writes them, so that an unchanged set gives the same bytes.
    /// Text that is not a JSON object is returned unchanged.
    public static func updatingFiles(_ manifestJSON: String, digests: [String: String], removingPrefixes: [String] = []) -> String {
        let reader = JSONReader(manifestJSON)
        let bytes = reader.b
        guard let root = try? JSONReader.parse(manifestJSON), case .object(let members) = root.kind else { return manifestJSON }
        func raw(_ v: JSONValue) -> String { String(decoding: bytes[v.start..<v.end], as: UTF8.self) }
        var entries: [String: String] = [:]
        let filesValue = root["files"]
        if let f = filesValue {
            guard case .object(let old) = f.kind else { return manifestJSON }
            for (name, v) in old where !removingPrefixes.contains(where: { name.hasPrefix($0) }) {
                entries[name] = raw(v)
            }
        }
        for (name, hex) in digests { entries[name] = "{\"sha256\": \(JSON.string(hex))}" }
        let object = "{\n" + entries.sorted { $0.key < $1.key }.map { "    \(JSON.string($0.key)): \($0.value)" }.joined(separator: ",\n") + "\n  }"
        var out = bytes
        if let f = filesValue {
            out.replaceSubrange(f.start..<f.end, with: Array(object.utf8))
        } else if let lastMember = members.last {
            out.insert(contentsOf: Array(",\n  \"files\": \(object)".utf8), at: lastMember.value.end)
        } else {
            out.replaceSubrange(root.start..<root.end, with: Array("{\n  \"files\": \(object)\n}".utf8))
        }
        return String(decoding: out, as: UTF8.self)
    }
}
