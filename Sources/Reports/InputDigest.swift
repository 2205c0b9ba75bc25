import Foundation
import InfraModel

/// SHA-256 over everything a result depends on.
public enum InputDigest {
    /// The digest of the scenario file, every model file it reads, the fragility libraries, the
    /// intensity files, the seed, the sample count and Kaskada's version (`manifest.json`).
    public static func compute(scenario sc: Scenario, defaultFragility: String?, version: String) -> String {
        var h = SHA256()
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
        for f in files {
            h.update("file \((f as NSString).lastPathComponent)\n")
            if let d = FileManager.default.contents(atPath: f) { h.update(d) }
        }
        h.update("seed \(sc.simulation.seed) samples \(sc.simulation.samples) version \(version)\n")
        return h.hexDigest()
    }
}

