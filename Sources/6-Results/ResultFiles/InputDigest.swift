import Foundation
import InfraModel

/// SHA-256 over everything a result depends on.
public enum InputDigest {
    /// The digest of the scenario file, every model file it reads, the fragility libraries, the
    /// intensity files, the seed, the sample count and Kaskada's version (`manifest.json`).
    public static func compute(scenario sc: Scenario, version: String) -> String {
        var h = SHA256()
        for f in inputFiles(sc) {
            h.update("file \((f.name as NSString).lastPathComponent)\n")
            if let d = f.contents() { h.update(d) }
        }
        h.update("seed \(sc.simulation.seed) samples \(sc.simulation.samples) version \(version)\n")
        return h.hexDigest()
    }

    /// Each input on its own, for saying which one changed: label → SHA-256 of a file (labelled
    /// by its path relative to the scenario's folder) or the value of `seed`, `samples`, `version`.
    public static func inputs(scenario sc: Scenario, version: String) -> [(label: String, value: String)] {
        let base = URL(fileURLWithPath: sc.path).deletingLastPathComponent().standardizedFileURL.path + "/"
        var out: [(String, String)] = []
        var seen = Set<String>()
        for f in inputFiles(sc) {
            let label: String
            if f.builtIn {
                label = f.name
            } else {
                let full = URL(fileURLWithPath: f.name).standardizedFileURL.path
                label = full.hasPrefix(base) ? String(full.dropFirst(base.count)) : (f.name as NSString).lastPathComponent
            }
            guard seen.insert(label).inserted else { continue }
            out.append((label, f.contents().map { SHA256.hex($0) } ?? "missing"))
        }
        out += [("seed", "\(sc.simulation.seed)"), ("samples", "\(sc.simulation.samples)"), ("version", version)]
        return out
    }

    /// SHA-256 of the model alone, so that batch reports add expected annual losses only within
    /// one model (`summary.json` `model_sha256`). Order-independent where the model is: a table's
    /// data rows enter as a multiset (count and two 64-bit sums of per-row FNV-1a hashes with
    /// different offsets; docs/specification.md: row order never changes a result), its header and every
    /// `network.yaml` as text; no paths, so one model copied to two folders is one model.
    /// - Complexity: reads the model's files once, O(bytes).
    public static func model(_ sc: Scenario) -> String {
        var h = SHA256()
        for f in sc.network.files + [sc.networkPath] {
            guard let d = FileManager.default.contents(atPath: f) else { h.update("missing\n"); continue }
            if f.hasSuffix(".csv") {
                let rows = rowMultiset(d)
                h.update("table \(rows.header) \(rows.count) \(rows.sum1) \(rows.sum2)\n")
            } else {
                h.update("file \(d.count)\n")
                h.update(d)
            }
        }
        return h.hexDigest()
    }

    /// The header's hex SHA-256 and the multiset digest of the data rows (CR before LF and a
    /// UTF-8 byte-order mark ignored, empty lines skipped).
    static func rowMultiset(_ d: Data) -> (header: String, count: Int, sum1: UInt64, sum2: UInt64) {
        var count = 0, sum1: UInt64 = 0, sum2: UInt64 = 0
        var header = ""
        let b = [UInt8](d)
        var start = b.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        var first = true
        while start < b.count {
            var end = start
            while end < b.count && b[end] != 0x0A { end += 1 }
            var stop = end
            if stop > start && b[stop - 1] == 0x0D { stop -= 1 }
            if stop > start {
                if first {
                    header = SHA256.hex(b[start..<stop])
                    first = false
                } else {
                    var h1: UInt64 = 0xcbf29ce484222325, h2: UInt64 = 0x84222325cbf29ce4
                    for k in start..<stop {
                        h1 = (h1 ^ UInt64(b[k])) &* 0x100000001b3
                        h2 = (h2 ^ UInt64(b[k])) &* 0x100000001b3
                    }
                    count += 1; sum1 &+= h1; sum2 &+= h2 ^ (h2 >> 29)
                }
            }
            start = end + 1
        }
        return (header, count, sum1, sum2)
    }

    /// One input of a result: a file by its path, or the built-in default fragility library.
    struct InputFile {
        var name: String
        var builtIn = false
        var text: String? = nil

        /// The bytes the digest covers (nil: the file cannot be read).
        func contents() -> Data? { text.map { Data($0.utf8) } ?? FileManager.default.contents(atPath: name) }
    }

    /// The files a result depends on, in a fixed order.
    static func inputFiles(_ sc: Scenario) -> [InputFile] {
        var files = ([sc.path] + sc.network.files + [sc.networkPath]).map { InputFile(name: $0) }
        switch sc.defaultFragility {
        case .file(let p): files.append(InputFile(name: p))
        case .builtIn(let text): files.append(InputFile(name: DefaultFragilitySource.builtInName, builtIn: true, text: text))
        case nil: break
        }
        files += sc.fragilityPaths.map { InputFile(name: $0) }
        for e in sc.events {
            if case .hazard(_, let src, _) = e.kind {
                switch src {
                case .table(let p, _), .polygons(let p, _, _): files.append(InputFile(name: p))
                default: break
                }
            }
        }
        return files
    }
}
