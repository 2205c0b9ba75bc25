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

    /// SHA-256 of the model alone: the content of every file it was read from (tables and
    /// `network.yaml` of the model and of its includes), in reading order, without their paths,
    /// so that one model copied to two folders is one model. Batch reports add expected annual
    /// losses only within one model (`summary.json` `model_sha256`).
    /// - Complexity: reads the model's files once (O(bytes)).
    public static func model(_ sc: Scenario) -> String {
        var h = SHA256()
        for f in sc.network.files + [sc.networkPath] {
            guard let d = FileManager.default.contents(atPath: f) else { h.update("missing\n"); continue }
            h.update("file \(d.count)\n")
            h.update(d)
        }
        return h.hexDigest()
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

