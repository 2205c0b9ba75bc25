import Foundation
import InfraModel
import ModelIO
import ResultFiles

/// `kaskada import tntp`: a road network in the TNTP format of the Transportation Networks for
/// Research collection (Bar-Gera et al., github.com/bstabler/TransportationNetworks), with an
/// optional node file (TNTP `node x y ;` table, or GeoJSON points with `node_id`).
///
/// Nodes `node:<n>` (1…`<NUMBER OF NODES>`), roads `road:<a>-<b>`: one undirected link when both
/// directions are in the file (the first's line), a directed one otherwise. The sector is
/// `transport` with `supply: giant-component`: roads have no sources. The length's unit is not in
/// the file: `--length-unit` states it; without it, and with node coordinates in WGS84, the unit
/// (m, km, mi, ft) whose lengths best match the great-circle distances is used and reported;
/// otherwise lengths are left out and a warning says so. O(links log links).
public enum TntpImporter {
    /// The largest `<NUMBER OF NODES>` taken: every node becomes an asset (docs/formats.md, valid ranges).
    public static let maxNodes = 10_000_000

    public static func read(_ input: ImportInput, options: ImportOptions, lengthUnit: String?) throws(InputError) -> ImportedModel {
        let file = input.path
        var bag = DiagnosticBag()
        var nodeCount: Int?
        var nodeLine = 0
        var inMeta = true
        struct Row { var a: Int, b: Int, length: Double?, type: String, line: Int }
        var rows: [Row] = []
        var header: [String] = []
        for (k, raw) in input.lines.enumerated() {
            let line = k + 1
            let t = raw.trimmed(" \t")
            if t.isEmpty { continue }
            if inMeta {
                if t.hasPrefix("<END OF METADATA>") { inMeta = false; continue }
                if t.hasPrefix("<NUMBER OF NODES>") {
                    let v = t.dropFirst("<NUMBER OF NODES>".count).trimmed(" \t")
                    guard let n = Int(v), n > 0, n <= maxNodes else {
                        bag.error(
                            file, line: line, field: "NUMBER OF NODES", "'\(v)' is not a node count: expected an integer from 1 to \(maxNodes)");
                        continue
                    }
                    nodeCount = n
                    nodeLine = line
                }
                continue
            }
            if t.hasPrefix("~") {
                header = t.dropFirst().split { $0 == " " || $0 == "\t" || $0 == ";" }.map { $0.lowercased() }
                continue
            }
            let cells = LineText.tokens(Substring(t), LineText.isBlank).filter { $0 != ";" }
            guard cells.count >= 2, let a = Int(cells[0]), let b = Int(cells[1]) else {
                bag.error(file, line: line, field: "init_node/term_node", "expected two node numbers, found '\(t.prefix(40))'"); continue
            }
            let li = header.firstIndex(of: "length") ?? 3
            let ti = header.firstIndex(of: "link_type") ?? header.firstIndex(of: "type") ?? 9
            var length: Double?
            if li < cells.count {
                guard let v = Double(cells[li]), v.isFinite, v >= 0 else {
                    bag.error(file, line: line, field: "length", "'\(cells[li])' is not a length: expected a number ≥ 0"); continue
                }
                length = v
            }
            rows.append(Row(a: a, b: b, length: length, type: ti < cells.count ? String(cells[ti]) : "", line: line))
        }
        if inMeta { bag.error(file, line: 0, field: "<END OF METADATA>", "missing: expected the TNTP metadata block to end with <END OF METADATA>") }
        guard let n = nodeCount else {
            bag.error(file, line: 0, field: "<NUMBER OF NODES>", "missing: expected <NUMBER OF NODES> in the metadata")
            throw InputError(bag)
        }
        for r in rows where r.a < 1 || r.a > n || r.b < 1 || r.b > n {
            bag.error(
                file, line: r.line, field: "init_node/term_node", "node \(r.a < 1 || r.a > n ? r.a : r.b) is outside 1…\(n) (<NUMBER OF NODES>)")
        }
        for r in rows where r.a == r.b {
            bag.error(file, line: r.line, field: "term_node", "a road from node \(r.a) to itself")
        }
        // found by the tntp fuzz target: a file without roads gave a model that its own loader
        // refuses (a giant-component sector needs links), so exit 1 "a fault of kaskada import"
        if rows.isEmpty && !bag.hasErrors {
            bag.error(file, line: 0, field: "links", "no roads: expected at least one link row (init_node term_node ...) after <END OF METADATA>")
        }
        if bag.hasErrors { throw InputError(bag) }

        var m = ImportedModel(name: options.name ?? input.stem, format: "tntp", sector: "transport")
        m.supply = "giant-component"
        var ids = ImportIds()
        var points = [(Double, Double)?](repeating: nil, count: n + 1)
        var pointLines = [Int](repeating: nodeLine, count: n + 1)
        if let nodes = options.nodesFile {
            let kind = try readNodes(path: nodes, count: n, crs: options.crs, into: &points, lines: &pointLines)
            m.coordinates = kind.0
            m.sourceCRS = kind.1
            if kind.0 == .local {
                m.warnings.append("node coordinates kept as x/y: their coordinate system is unknown (give --crs EPSG:n to convert them to WGS84)")
            }
        }
        for i in 1...n {
            m.assets.append(
                ImportedAsset(
                    id: ids.make(table: "node", nativeId: String(i)), kind: "road_node", table: "node",
                    nativeId: String(i), line: pointLines[i], point: points[i]))
        }
        // both directions -> one undirected link, at the first direction's line
        var firstOf: [Int64: Int] = [:] // (min,max) -> index into links
        var pairLengths: [(Double, Double)] = [] // file length, great-circle km
        for r in rows {
            let key = Int64(min(r.a, r.b)) << 32 | Int64(max(r.a, r.b))
            if let k = firstOf[key], m.links[k].directed, m.links[k].from == m.assets[r.b - 1].id, m.links[k].to == m.assets[r.a - 1].id {
                m.links[k].directed = false
                continue
            }
            if firstOf[key] != nil {
                m.notes.append("line \(r.line): a second road between nodes \(r.a) and \(r.b) in the same direction is kept as its own link")
            }
            let native = "\(r.a)-\(r.b)"
            let id = ids.make(table: "road", nativeId: native)
            if firstOf[key] == nil { firstOf[key] = m.links.count }
            var l = ImportedLink(
                id: id, kind: "road", from: m.assets[r.a - 1].id, to: m.assets[r.b - 1].id, directed: true,
                table: "road", nativeId: native, line: r.line)
            l.lengthKm = r.length
            m.links.append(l)
            if m.coordinates == .wgs84, let p = points[r.a], let q = points[r.b], let len = r.length {
                pairLengths.append((len, greatCircleKm(p, q)))
            }
        }
        // the length unit
        let factors: [(String, Double)] = [("m", 0.001), ("km", 1), ("mi", 1.609344), ("ft", 0.0003048)]
        var factor: Double?
        if let u = lengthUnit {
            guard let f = factors.first(where: { $0.0 == u })?.1 else {
                throw InputError(file: file, field: "--length-unit", "'\(u)' is not a length unit: expected m, km, mi or ft")
            }
            factor = f
            m.notes.append("road lengths read in \(u) (--length-unit)")
        } else if !pairLengths.isEmpty {
            // the unit whose median ratio length / distance is closest to 1 (roads are a bit longer than the straight line)
            var ratios = pairLengths.filter { $0.1 > 0 }.map { $0.0 / $0.1 }
            ratios.sort()
            let med = ratios.isEmpty ? 0 : ratios[ratios.count / 2]
            if let best = factors.min(by: { abs(log(med * $0.1)) < abs(log(med * $1.1)) }), med > 0 {
                let r = med * best.1
                if r > 0.8 && r < 2.0 {
                    factor = best.1
                    m.notes.append(
                        "road lengths read in \(best.0): the median road is \(NumberText.fixed(r, 2))× the great-circle distance between its nodes in that unit (give --length-unit to state it)"
                    )
                }
            }
        }
        if let f = factor {
            for i in m.links.indices { m.links[i].lengthKm = m.links[i].lengthKm.map { $0 * f } }
        } else {
            for i in m.links.indices { m.links[i].lengthKm = nil }
            if rows.contains(where: { $0.length != nil }) {
                m.warnings.append(
                    "road lengths left out: the file does not say their unit; give --length-unit m|km|mi|ft (or node coordinates in WGS84 to check it)"
                )
            }
        }
        m.loadMeasure = "none (TNTP road networks carry no loads)"
        m.warnings.append("TNTP files carry no population: every node has population 0; put people on assets of the sectors that depend on roads")
        m.escapedIds = ids.escapes
        return m
    }

    /// Reads node coordinates: GeoJSON points with a `node_id` property (WGS84 by RFC 7946), or a
    /// TNTP node table (`node x y ;`, system given by `--crs` or unknown).
    static func readNodes(
        path: String, count n: Int, crs: String?, into points: inout [(Double, Double)?],
        lines: inout [Int]
    ) throws(InputError) -> (ImportedModel.CoordinateKind, String?) {
        let input = try ImportInput(path: path)
        let t = input.text.drop { $0 == " " || $0 == "\n" || $0 == "\r" || $0 == "\t" }
        if t.hasPrefix("{") {
            let doc: JSONValue
            do { doc = try JSONReader.parse(input.text) } catch { throw InputError(file: path, line: error.line, error.message) }
            guard let features = doc["features"]?.array else {
                throw InputError(file: path, line: doc.line, field: "features", "missing: expected a GeoJSON FeatureCollection")
            }
            for f in features where f["geometry"]?["type"]?.string == "Point" {
                guard let idv = f["properties"]?["node_id"]?.looseNumber, let id = Int(exactly: idv) else {
                    throw InputError(
                        file: path, line: f.line, field: "properties.node_id", "missing or not an integer: expected the TNTP node number")
                }
                guard let c = f["geometry"]?["coordinates"]?.array, c.count >= 2, let lon = c[0].number, let lat = c[1].number,
                    abs(lat) <= 90, abs(lon) <= 180
                else {
                    throw InputError(file: path, line: f.line, field: "geometry.coordinates", "expected [longitude, latitude] in degrees (RFC 7946)")
                }
                guard id >= 1 && id <= n else {
                    throw InputError(file: path, line: f.line, field: "properties.node_id", "node \(id) is outside 1…\(n)")
                }
                points[id] = (lat, lon)
                lines[id] = f.line
            }
            return (.wgs84, "EPSG:4326")
        }
        var raw: [(Int, Double, Double, Int)] = []
        for (k, l) in input.lines.enumerated() {
            let cells = l.split { $0 == " " || $0 == "\t" }.filter { $0 != ";" }
            guard cells.count >= 3, let id = Int(cells[0]) else { continue } // header or blank
            guard let x = Double(cells[1]), let y = Double(cells[2]), x.isFinite, y.isFinite else {
                throw InputError(file: path, line: k + 1, field: "x/y", "expected two numbers")
            }
            guard id >= 1 && id <= n else { throw InputError(file: path, line: k + 1, field: "node", "node \(id) is outside 1…\(n)") }
            raw.append((id, x, y, k + 1))
        }
        if let crs {
            let tr: CoordinateTransform
            do { tr = try CoordinateTransform(from: crs) } catch { throw InputError(file: path, field: "--crs", error.message) }
            for (id, x, y, line) in raw {
                guard let p = tr.latLon(x: x, y: y) else {
                    throw InputError(file: path, line: line, field: "x/y", "PROJ cannot convert (\(x), \(y)) from \(crs)")
                }
                points[id] = p
                lines[id] = line
            }
            return (.wgs84, crs)
        }
        for (id, x, y, line) in raw { points[id] = (x, y); lines[id] = line }
        return (.local, nil)
    }

    /// Great-circle distance in km (haversine, mean Earth radius 6,371.0088 km).
    public static func greatCircleKm(_ p: (Double, Double), _ q: (Double, Double)) -> Double {
        let r = 6371.0088, d = Double.pi / 180
        let dlat = (q.0 - p.0) * d, dlon = (q.1 - p.1) * d
        let h = sin(dlat / 2) * sin(dlat / 2) + cos(p.0 * d) * cos(q.0 * d) * sin(dlon / 2) * sin(dlon / 2)
        return 2 * r * asin(min(1, sqrt(h)))
    }
}
