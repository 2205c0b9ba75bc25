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
            f.digest(into: &h)
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
            var fh = SHA256()
            out.append((label, f.digest(into: &fh) ? fh.hexDigest() : "missing"))
        }
        out += [("seed", "\(sc.simulation.seed)"), ("samples", "\(sc.simulation.samples)"), ("version", version)]
        return out
    }

    /// SHA-256 of the model alone, so that batch reports add expected annual losses only within
    /// one model (`summary.json` `model_sha256`). Order-independent where the model is: a table's
    /// data rows enter as a multiset (count and two 64-bit sums of per-row FNV-1a hashes with
    /// different offsets; docs/specification.md: row order never changes a result), its header and every
    /// `network.yaml` as text; no paths, so one model copied to two folders is one model.
    /// - Complexity: reads the model's files once in parts (`FileParts`), O(bytes) time and
    ///   O(part + header) memory.
    public static func model(_ sc: Scenario) -> String {
        var h = SHA256()
        for f in sc.network.files + [sc.networkPath] {
            if f.hasSuffix(".csv") {
                var rows = RowMultiset()
                guard FileParts.forEach(ofFileAt: f, { rows.add($0) }) else { h.update("missing\n"); continue }
                rows.finish()
                h.update("table \(rows.header) \(rows.count) \(rows.sum1) \(rows.sum2)\n")
            } else {
                guard let size = FileParts.size(ofFileAt: f) else { h.update("missing\n"); continue }
                h.update("file \(size)\n")
                h.update(fileAt: f)
            }
        }
        return h.hexDigest()
    }

    /// The multiset digest of a CSV table fed in parts: the header's hex SHA-256, and the count
    /// and two sums of per-row FNV-1a hashes of the data rows (CR before LF and a UTF-8
    /// byte-order mark ignored, empty lines skipped). A row may span parts; memory is the header.
    struct RowMultiset {
        private(set) var header = ""
        private(set) var count = 0
        private(set) var sum1: UInt64 = 0
        private(set) var sum2: UInt64 = 0
        private var headerBytes: [UInt8] = []
        private var h1: UInt64 = Self.offset1, h2: UInt64 = Self.offset2
        private var lineLength = 0
        /// A CR was read and not yet hashed: dropped if the line ends next.
        private var pendingCR = false
        private var first = true
        /// Bytes of the file seen so far, up to 3 (the byte-order mark check).
        private var lead: [UInt8] = []
        private static let offset1: UInt64 = 0xcbf29ce484222325, offset2: UInt64 = 0x84222325cbf29ce4

        /// Feeds the next part of the file.
        mutating func add(_ part: UnsafeBufferPointer<UInt8>) {
            var k = 0
            while lead.count < 3 && k < part.count {
                lead.append(part[k]); k += 1
                if lead.count == 3 {
                    if lead != [0xEF, 0xBB, 0xBF] { for b in lead { byte(b) } }
                }
            }
            while k < part.count { byte(part[k]); k += 1 }
        }

        /// Ends the file (a last row without a line end counts).
        mutating func finish() {
            if lead.count < 3 { for b in lead { byte(b) }; lead = [0, 0, 0] }
            endLine()
        }

        @inline(__always)
        private mutating func byte(_ b: UInt8) {
            if b == 0x0A { endLine(); return }
            if pendingCR { pendingCR = false; hash(0x0D) }
            if b == 0x0D { pendingCR = true } else { hash(b) }
        }

        @inline(__always)
        private mutating func hash(_ b: UInt8) {
            lineLength += 1
            if first { headerBytes.append(b); return }
            h1 = (h1 ^ UInt64(b)) &* 0x100000001b3
            h2 = (h2 ^ UInt64(b)) &* 0x100000001b3
        }

        private mutating func endLine() {
            pendingCR = false
            if lineLength > 0 {
                if first {
                    header = SHA256.hex(headerBytes)
                    headerBytes = []
                    first = false
                } else {
                    count += 1; sum1 &+= h1; sum2 &+= h2 ^ (h2 >> 29)
                }
            }
            h1 = Self.offset1; h2 = Self.offset2; lineLength = 0
        }
    }

    /// One input of a result: a file by its path, or the built-in default fragility library.
    struct InputFile {
        var name: String
        var builtIn = false
        var text: String? = nil

        /// Adds the bytes the digest covers to `h`, a file in parts; false when the file cannot be read.
        @discardableResult
        func digest(into h: inout SHA256) -> Bool {
            if let text { h.update(text); return true }
            return h.update(fileAt: name)
        }
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
