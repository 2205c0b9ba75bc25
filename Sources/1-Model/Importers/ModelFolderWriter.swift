import Foundation
import InfraModel
import ModelIO
import ResultFiles

/// Writes an `ImportedModel` as a model folder (docs/specification.md section 11): `network.yaml`,
/// `assets.csv`, `links.csv`, `import-ids.csv` and `import-report.json`.
///
/// The folder is replaced atomically (`AtomicFolder`): a failure leaves the previous folder as it
/// was and nothing partial. The bytes depend only on the model, the input's name and digest and
/// the options, so the same input and options give the same bytes. O(assets + links).
public enum ModelFolderWriter {
    /// What the report says about the input and the options (all echoed in `import-report.json`).
    public struct Provenance: Sendable {
        /// The input's file name (no folder: the bytes must not depend on where the file lies).
        public var inputName: String
        public var inputSHA256: String
        /// The options as given, e.g. `["people_per_mw": "1000"]`, written sorted by key.
        public var options: [String: String]
        public var kaskadaVersion: String

        public init(inputName: String, inputSHA256: String, options: [String: String], kaskadaVersion: String) {
            self.inputName = inputName
            self.inputSHA256 = inputSHA256
            self.options = options
            self.kaskadaVersion = kaskadaVersion
        }
    }

    /// The written model did not load: a fault of the importer, not of the input.
    public struct Unloadable: Error, CustomStringConvertible {
        public var diagnostics: [String]
        public var description: String {
            "the imported model does not load (a fault of kaskada import; please report it with the input file):\n"
                + diagnostics.joined(separator: "\n")
        }
    }

    /// Writes the folder and loads it back with `NetworkLoader` before it replaces `dir`, so that a
    /// model that would not load is never left behind. Returns the loader's warnings.
    @discardableResult
    public static func write(_ m: ImportedModel, provenance p: Provenance, to dir: String) throws -> [Diagnostic] {
        let files: [(String, String)] = [
            ("network.yaml", networkYAML(m, p)),
            ("assets.csv", assetsCSV(m)),
            ("links.csv", linksCSV(m)),
            ("import-ids.csv", idsCSV(m)),
            ("import-report.json", reportJSON(m, p)),
        ]
        var warnings: [Diagnostic] = []
        try AtomicFolder.replace(dir) { staging in
            for (name, text) in files {
                try Data(text.utf8).write(to: staging.appendingPathComponent(name))
            }
            do {
                warnings = try NetworkLoader.load(path: staging.appendingPathComponent("network.yaml").path).warnings.map {
                    var d = $0
                    d.file = d.file.replacingOccurrences(of: staging.path, with: dir)
                    return d
                }
            } catch let e as InputError {
                throw Unloadable(diagnostics: e.diagnostics.report())
            }
        }
        return warnings
    }

    static func networkYAML(_ m: ImportedModel, _ p: Provenance) -> String {
        var s = "# Imported by kaskada \(p.kaskadaVersion): kaskada import \(m.format) \(p.inputName)"
        for (k, v) in p.options.sorted(by: { $0.key < $1.key }) { s += " --\(k.replacingOccurrences(of: "_", with: "-")) \(v)" }
        s += "\n# input sha256 \(p.inputSHA256); what was left out and why: import-report.json\n"
        s += "format: 1\nname: \(m.name)\nassets: assets.csv\n"
        if !m.links.isEmpty { s += "links: links.csv\n" }
        s += "sectors:\n  \(m.sector): {supply: \(m.supply)}\n"
        return s
    }

    static func assetsCSV(_ m: ImportedModel) -> String {
        var s = "id,sector,kind,role" + (m.owner == nil ? "" : ",owner") + ",population"
        let owner = m.owner.map { "," + CSV.field($0) } ?? ""
        switch m.coordinates {
        case .wgs84: s += ",lat,lon"
        case .projected, .local: s += ",x,y"
        case .none: break
        }
        s += "\n"
        s.reserveCapacity(m.assets.count * 48)
        for a in m.assets {
            s += "\(a.id),\(m.sector),\(a.kind),\(a.role)\(owner),\(JSON.number(a.population))"
            if m.coordinates != .none {
                if let (u, v) = a.point { s += ",\(JSON.number(u)),\(JSON.number(v))" } else { s += ",," }
            }
            s += "\n"
        }
        return s
    }

    static func linksCSV(_ m: ImportedModel) -> String {
        // connectors have length 0 by definition: the column only when some other link has a length
        let lengths = m.links.contains { $0.lengthKm != nil && $0.kind != "connector" }
        // a link's point (hazards reach links at it): the midpoint of its two ends
        var point: [String: (Double, Double)] = [:]
        if m.coordinates != .none { for a in m.assets { if let p = a.point { point[a.id] = p } } }
        let coords = m.coordinates == .none ? "" : m.coordinates == .wgs84 ? ",lat,lon" : ",x,y"
        var s = "id,sector,from,to,kind,directed" + (lengths ? ",length_km" : "") + coords + "\n"
        s.reserveCapacity(m.links.count * 64)
        for l in m.links {
            s += "\(l.id),\(m.sector),\(l.from),\(l.to),\(l.kind),\(l.directed)"
            if lengths { s += "," + (l.lengthKm.map(JSON.number) ?? "") } // empty: unknown
            if !coords.isEmpty {
                if let p = point[l.from], let q = point[l.to] {
                    s += "," + JSON.number((p.0 + q.0) / 2) + "," + JSON.number((p.1 + q.1) / 2)
                } else {
                    s += ",,"
                }
            }
            s += "\n"
        }
        return s
    }

    static func idsCSV(_ m: ImportedModel) -> String {
        var s = "id,table,native_id,name,line\n"
        for a in m.assets { s += "\(a.id),\(CSV.field(a.table)),\(CSV.field(a.nativeId)),\(CSV.field(a.name)),\(a.line)\n" }
        for l in m.links { s += "\(l.id),\(CSV.field(l.table)),\(CSV.field(l.nativeId)),\(CSV.field(l.name)),\(l.line)\n" }
        return s
    }

    static func reportJSON(_ m: ImportedModel, _ p: Provenance) -> String {
        func count<S: Sequence>(_ kinds: S) -> String where S.Element == String {
            var c: [String: Int] = [:]
            for k in kinds { c[k, default: 0] += 1 }
            return "{" + c.sorted { $0.key < $1.key }.map { "\(JSON.string($0.key)): \($0.value)" }.joined(separator: ", ") + "}"
        }
        let sources = m.assets.filter { $0.role == "source" }.count
        let population = m.assets.reduce(0.0) { $0 + $1.population }
        var s = "{\n"
        s += "  \"format\": \(JSON.string(m.format)),\n"
        s += "  \"input\": \(JSON.string(p.inputName)),\n"
        s += "  \"input_sha256\": \(JSON.string(p.inputSHA256)),\n"
        s += "  \"kaskada_version\": \(JSON.string(p.kaskadaVersion)),\n"
        s +=
            "  \"options\": {"
            + p.options.sorted { $0.key < $1.key }.map { "\(JSON.string($0.key)): \(JSON.string($0.value))" }.joined(separator: ", ") + "},\n"
        s += "  \"name\": \(JSON.string(m.name)),\n"
        s += "  \"sector\": \(JSON.string(m.sector)),\n"
        s += "  \"counts\": {\"assets\": \(m.assets.count), \"links\": \(m.links.count), \"sources\": \(sources), "
        s += "\"left_out\": \(m.leftOut.count), \"escaped_ids\": \(m.escapedIds.count)},\n"
        s += "  \"assets_by_kind\": \(count(m.assets.lazy.map(\.kind))),\n"
        s += "  \"links_by_kind\": \(count(m.links.lazy.map(\.kind))),\n"
        // ten significant digits: the sum of pro-rata shares carries float noise (6999.99999999998)
        s += "  \"population_total\": \(NumberText.significant(population, 10)),\n"
        s += "  \"load_measure\": \(JSON.string(m.loadMeasure)),\n"
        s += "  \"coordinates\": \(JSON.string(m.coordinates.rawValue)),\n"
        s += "  \"source_crs\": \(m.sourceCRS.map(JSON.string) ?? "null"),\n"
        s += "  \"warnings\": [" + m.warnings.map(JSON.string).joined(separator: ", ") + "],\n"
        s += "  \"notes\": [" + m.notes.map(JSON.string).joined(separator: ", ") + "],\n"
        s +=
            "  \"left_out\": ["
            + m.leftOut.map {
                "\n    {\"table\": \(JSON.string($0.table)), \"native_id\": \(JSON.string($0.nativeId)), \"line\": \($0.line), \"reason\": \(JSON.string($0.reason))}"
            }.joined(separator: ",") + (m.leftOut.isEmpty ? "" : "\n  ") + "],\n"
        s +=
            "  \"escaped_ids\": ["
            + m.escapedIds.map {
                "\n    {\"table\": \(JSON.string($0.table)), \"native_id\": \(JSON.string($0.nativeId)), \"id\": \(JSON.string($0.id)), \"reason\": \(JSON.string($0.reason))}"
            }.joined(separator: ",") + (m.escapedIds.isEmpty ? "" : "\n  ") + "]\n}\n"
        return s
    }
}
