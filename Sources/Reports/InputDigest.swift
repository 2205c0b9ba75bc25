import ResultFiles
import Foundation
import InfraModel

/// SHA-256 over everything a result depends on.
public enum InputDigest {
    /// The digest of the scenario file, every model file it reads, the fragility libraries, the
    /// intensity files, the seed, the sample count and Kaskada's version (`manifest.json`).
    public static func compute(scenario sc: Scenario, defaultFragility: String?, version: String) -> String {
        var h = SHA256()
        let files = inputFiles(sc, defaultFragility: defaultFragility)
        for f in files {
            h.update("file \((f as NSString).lastPathComponent)\n")
            if let d = FileManager.default.contents(atPath: f) { h.update(d) }
        }
        h.update("seed \(sc.simulation.seed) samples \(sc.simulation.samples) version \(version)\n")
        return h.hexDigest()
    }

    /// Each input on its own, for saying which one changed: label → SHA-256 of a file (labelled
    /// by its path relative to the scenario's folder) or the value of `seed`, `samples`, `version`.
    public static func inputs(scenario sc: Scenario, defaultFragility: String?, version: String) -> [(label: String, value: String)] {
        let base = URL(fileURLWithPath: sc.path).deletingLastPathComponent().standardizedFileURL.path + "/"
        var out: [(String, String)] = []
        var seen = Set<String>()
        for f in inputFiles(sc, defaultFragility: defaultFragility) {
            let full = URL(fileURLWithPath: f).standardizedFileURL.path
            let label = full.hasPrefix(base) ? String(full.dropFirst(base.count)) : (f as NSString).lastPathComponent
            guard seen.insert(label).inserted else { continue }
            out.append((label, FileManager.default.contents(atPath: f).map { SHA256.hex($0) } ?? "missing"))
        }
        out += [("seed", "\(sc.simulation.seed)"), ("samples", "\(sc.simulation.samples)"), ("version", version)]
        return out
    }

    /// SHA-256 of the model alone, so that batch reports add expected annual losses only within
    /// one model (`summary.json` `model_sha256`). Order-independent where the model is: a table's
    /// data rows enter as a multiset (count and two 64-bit sums of per-row FNV-1a hashes with
    /// different offsets; DESIGN.md: row order never changes a result), its header and every
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
        // one pass over the bytes: a CR is held back until the next byte shows whether it ends
        // the line (CR LF, or CR at the end of the data: left out) or is part of it
        var h1: UInt64 = 0, h2: UInt64 = 0, length = 0
        var pendingCR = false, first = true
        var headerBytes: [UInt8] = []
        func startLine() { h1 = 0xcbf29ce484222325; h2 = 0x84222325cbf29ce4; length = 0; pendingCR = false }
        func add(_ byte: UInt8) {
            h1 = (h1 ^ UInt64(byte)) &* 0x100000001b3
            h2 = (h2 ^ UInt64(byte)) &* 0x100000001b3
            length += 1
            if first { headerBytes.append(byte) }
        }
        func endLine() {
            guard length > 0 else { return }
            if first {
                header = SHA256.hex(Data(headerBytes))
                first = false
            } else {
                count += 1; sum1 &+= h1; sum2 &+= h2 ^ (h2 >> 29)
            }
        }
        startLine()
        let bom = d.starts(with: [0xEF, 0xBB, 0xBF])
        for byte in bom ? d.dropFirst(3) : d[...] {
            if byte == 0x0A {
                endLine()
                startLine()
                continue
            }
            if pendingCR { add(0x0D); pendingCR = false }
            if byte == 0x0D { pendingCR = true } else { add(byte) }
        }
        endLine()
        return (header, count, sum1, sum2)
    }

    /// The files a result depends on, in a fixed order.
    static func inputFiles(_ sc: Scenario, defaultFragility: String?) -> [String] {
        var files = [sc.path] + sc.network.files + [sc.networkPath]
        if let d = defaultFragility { files.append(d) }
        files += sc.fragilityPaths
        for e in sc.events {
            if case .hazard(_, let src, _) = e.kind {
                switch src {
                case .table(let p, _), .polygons(let p, _, _): files.append(p)
                default: break
                }
            }
        }
        return files
    }
}

