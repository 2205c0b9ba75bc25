import ModelIO
import ResultFiles

/// `kaskada import pandapower`: a pandapower network saved with `pandapower.to_json` as a power
/// model (docs/specification.md section 11). Reference: Thurner et al. (2018), pandapower, IEEE Trans. Power
/// Systems 33(6); table layouts as in pandapower's `create_*` functions.
///
/// - buses `bus:<index>` (the pandas index, not the row number), kind by `vn_kv`
///   (`MatpowerImporter.busKind`); names kept in import-ids.csv (they need not be unique);
/// - external grids `ext_grid:<index>` (kind `infeed`) and generators `gen:<index>` (kind
///   `power_plant`) are sources, each joined to its bus by `connector:<table>:<index>`; a
///   generator with negative output stands for a load: a consumer, reported;
/// - lines `line:<index>` (`line_overhead` for type `ol`, `line_cable` for `cs`, else `line`;
///   `length_km` kept), transformers `trafo:<index>` (`transformer`), three-winding transformers
///   `trafo3w:<index>:mv` and `:lv` (from the HV bus), closed bus-bus switches `switch:<index>`;
/// - left out and reported: elements not in service, lines and transformers behind an open
///   switch, open bus-bus switches, anything at a left-out bus. Static generators (`sgen`, mostly
///   PV) are not sources (DESIGN lists external grids and generators): counted in a note.
/// - population: per bus, Σ `p_mw × scaling` of its loads in service (MW) × the factor.
/// - coordinates: `geo` GeoJSON points (WGS84), or `bus_geodata` x/y converted with `--crs`
///   (kept as x/y otherwise). O(file size).
public enum PandapowerImporter {
    public static func read(_ input: ImportInput, options: ImportOptions) throws(InputError) -> ImportedModel {
        let pf = try PandasFrames(input)
        let file = input.path
        guard pf.className == "pandapowerNet" else {
            throw InputError(
                file: file, line: 1, field: "_class",
                "'\(pf.className)' is not a pandapower network: expected pandapowerNet (use 'pandapipes' for pandapipesNet)")
        }
        var m = ImportedModel(name: options.name ?? input.stem, format: "pandapower", sector: "power")
        m.loadMeasure = "load p_mw × scaling (MW)"
        var ids = ImportIds()
        let bus = pf.frame("bus")
        try pf.require(bus, ["vn_kv"])
        var busAsset: [String: Int] = [:]
        var leftBus = Set<String>()
        var rawXY: [String: (Double, Double)] = [:]
        let geodata = pf.frame("bus_geodata")
        for r in 0..<geodata.count {
            if let x = geodata.cell(r, "x")?.looseNumber, let y = geodata.cell(r, "y")?.looseNumber, x.isFinite, y.isFinite {
                rawXY[geodata.id(r)] = (x, y)
            }
        }
        var haveGeo = false
        for r in 0..<bus.count {
            let id = bus.id(r)
            if !pf.inService(bus, r) {
                m.leftOut.append(LeftOutRecord(table: "bus", nativeId: id, line: bus.line, reason: "out of service"))
                leftBus.insert(id)
                continue
            }
            let kv = try pf.number(bus, r, "vn_kv")
            var a = ImportedAsset(
                id: ids.make(table: "bus", nativeId: id), kind: MatpowerImporter.busKind(kV: kv), table: "bus",
                nativeId: id, name: bus.cell(r, "name")?.string ?? "", line: bus.line)
            if let p = try pf.geoPoint(bus, r) { a.point = p; haveGeo = true }
            busAsset[id] = m.assets.count
            m.assets.append(a)
        }
        // coordinates: geo (WGS84) or bus_geodata (system given by --crs, else kept as x/y)
        if haveGeo {
            m.coordinates = .wgs84
            m.sourceCRS = "EPSG:4326"
        } else if !rawXY.isEmpty {
            try Self.placeXY(&m, rawXY, busAsset: busAsset, crs: options.crs, file: file, table: "bus_geodata")
        }
        // loads
        let load = pf.frame("load")
        try pf.require(load, ["bus", "p_mw"])
        var negative: [String] = []
        for r in 0..<load.count where pf.inService(load, r) {
            let b = try pf.ref(load, r, "bus")
            guard let k = busAsset[b] else { continue }
            let p = try pf.number(load, r, "p_mw") * pf.number(load, r, "scaling", default: 1)
            if p < 0 { negative.append("load \(load.id(r)) at bus \(b) (\(JSON.number(p)) MW)"); continue }
            m.assets[k].load += p
        }
        if !negative.isEmpty {
            m.warnings.append("\(negative.count) load(s) with negative p_mw add no population: " + MatpowerImporter.list(negative))
        }
        // sources
        var connectors: [ImportedLink] = []
        for (table, kind) in [("ext_grid", "infeed"), ("gen", "power_plant")] {
            let f = pf.frame(table)
            try pf.require(f, ["bus"])
            var loadGens: [String] = []
            for r in 0..<f.count {
                let id = f.id(r)
                if !pf.inService(f, r) {
                    m.leftOut.append(LeftOutRecord(table: table, nativeId: id, line: f.line, reason: "out of service")); continue
                }
                let b = try pf.ref(f, r, "bus")
                guard let k = busAsset[b] else {
                    m.leftOut.append(
                        LeftOutRecord(
                            table: table, nativeId: id, line: f.line,
                            reason: leftBus.contains(b) ? "at bus \(b), which is out of service" : "at bus \(b), which is not in the bus table"));
                    continue
                }
                var role = "source"
                if table == "gen", let p = f.cell(r, "p_mw")?.looseNumber, p < 0 {
                    role = "consumer"
                    loadGens.append("gen \(id) at bus \(b) (\(JSON.number(p)) MW)")
                }
                let aid = ids.make(table: table, nativeId: id)
                m.assets.append(
                    ImportedAsset(
                        id: aid, kind: kind, role: role, table: table, nativeId: id,
                        name: f.cell(r, "name")?.string ?? "", line: f.line, point: m.assets[k].point))
                connectors.append(
                    ImportedLink(
                        id: ids.make(table: "connector", nativeId: table + ":" + id), kind: "connector", from: aid,
                        to: m.assets[k].id, table: "connector", nativeId: table + ":" + id, line: f.line, lengthKm: 0))
            }
            if !loadGens.isEmpty {
                m.warnings.append(
                    "\(loadGens.count) generator(s) with negative output stand for loads: consumers, not sources: " + MatpowerImporter.list(loadGens))
            }
        }
        let sgen = pf.frame("sgen")
        let sgenOn = (0..<sgen.count).filter { pf.inService(sgen, $0) }
        if !sgenOn.isEmpty {
            let mw = sgenOn.reduce(0.0) { $0 + (sgen.cell($1, "p_mw")?.looseNumber ?? 0) }
            m.notes.append(
                "\(sgenOn.count) static generators (sgen, \(JSON.number((mw * 1000).rounded() / 1000)) MW rated p_mw) are not sources: docs/specification.md section 11 makes external grids and generators the sources"
            )
        }
        // open switches: the lines and transformers they disconnect
        let sw = pf.frame("switch")
        try pf.require(sw, ["bus", "element", "et", "closed"])
        var openAt: [String: [String]] = [:] // "l:<idx>" / "t:<idx>" -> open switch indices
        for r in 0..<sw.count {
            let et = sw.cell(r, "et")?.string ?? ""
            let closed = sw.cell(r, "closed")?.bool ?? true
            if et != "b" && !closed && pf.inService(sw, r) {
                openAt[et + ":" + (try pf.ref(sw, r, "element")), default: []].append(sw.id(r))
            }
        }
        func endsIn(_ f: PandasFrames.Frame, _ r: Int, _ cols: [String]) throws(InputError) -> [Int]? {
            var out: [Int] = []
            for c in cols {
                let b = try pf.ref(f, r, c)
                guard let k = busAsset[b] else {
                    m.leftOut.append(
                        LeftOutRecord(
                            table: f.name, nativeId: f.id(r), line: f.line,
                            reason: leftBus.contains(b) ? "bus \(b) is out of service" : "bus \(b) is not in the bus table"))
                    return nil
                }
                out.append(k)
            }
            return out
        }
        // lines
        let line = pf.frame("line")
        try pf.require(line, ["from_bus", "to_bus"])
        for r in 0..<line.count {
            let id = line.id(r)
            if !pf.inService(line, r) {
                m.leftOut.append(LeftOutRecord(table: "line", nativeId: id, line: line.line, reason: "out of service")); continue
            }
            if let s = openAt["l:" + id] {
                m.leftOut.append(
                    LeftOutRecord(table: "line", nativeId: id, line: line.line, reason: "behind open switch \(s.joined(separator: ", "))"));
                continue
            }
            guard let e = try endsIn(line, r, ["from_bus", "to_bus"]) else { continue }
            let type = line.cell(r, "type")?.string ?? ""
            let kind = type == "ol" ? "line_overhead" : type == "cs" ? "line_cable" : "line"
            var l = ImportedLink(
                id: ids.make(table: "line", nativeId: id), kind: kind, from: m.assets[e[0]].id, to: m.assets[e[1]].id,
                table: "line", nativeId: id, name: line.cell(r, "name")?.string ?? "", line: line.line)
            if let len = line.cell(r, "length_km")?.looseNumber, len.isFinite, len >= 0 { l.lengthKm = len }
            m.links.append(l)
        }
        // transformers
        let trafo = pf.frame("trafo")
        try pf.require(trafo, ["hv_bus", "lv_bus"])
        for r in 0..<trafo.count {
            let id = trafo.id(r)
            if !pf.inService(trafo, r) {
                m.leftOut.append(LeftOutRecord(table: "trafo", nativeId: id, line: trafo.line, reason: "out of service")); continue
            }
            if let s = openAt["t:" + id] {
                m.leftOut.append(
                    LeftOutRecord(table: "trafo", nativeId: id, line: trafo.line, reason: "behind open switch \(s.joined(separator: ", "))"));
                continue
            }
            guard let e = try endsIn(trafo, r, ["hv_bus", "lv_bus"]) else { continue }
            m.links.append(
                ImportedLink(
                    id: ids.make(table: "trafo", nativeId: id), kind: "transformer", from: m.assets[e[0]].id, to: m.assets[e[1]].id,
                    table: "trafo", nativeId: id, name: trafo.cell(r, "name")?.string ?? "", line: trafo.line))
        }
        let t3 = pf.frame("trafo3w")
        try pf.require(t3, ["hv_bus", "mv_bus", "lv_bus"])
        for r in 0..<t3.count {
            let id = t3.id(r)
            if !pf.inService(t3, r) {
                m.leftOut.append(LeftOutRecord(table: "trafo3w", nativeId: id, line: t3.line, reason: "out of service")); continue
            }
            if let s = openAt["t3:" + id] {
                m.leftOut.append(
                    LeftOutRecord(table: "trafo3w", nativeId: id, line: t3.line, reason: "behind open switch \(s.joined(separator: ", "))"));
                continue
            }
            guard let e = try endsIn(t3, r, ["hv_bus", "mv_bus", "lv_bus"]) else { continue }
            for (side, k) in [("mv", e[1]), ("lv", e[2])] {
                m.links.append(
                    ImportedLink(
                        id: ids.make(table: "trafo3w", nativeId: id + ":" + side), kind: "transformer", from: m.assets[e[0]].id,
                        to: m.assets[k].id, table: "trafo3w", nativeId: id + ":" + side, line: t3.line))
            }
        }
        // bus-bus switches
        for r in 0..<sw.count where sw.cell(r, "et")?.string == "b" {
            let id = sw.id(r)
            let closed = sw.cell(r, "closed")?.bool ?? true
            if !closed || !pf.inService(sw, r) {
                m.leftOut.append(
                    LeftOutRecord(table: "switch", nativeId: id, line: sw.line, reason: closed ? "out of service" : "open bus-bus switch"));
                continue
            }
            guard let e = try endsIn(sw, r, ["bus", "element"]) else { continue }
            m.links.append(
                ImportedLink(
                    id: ids.make(table: "switch", nativeId: id), kind: "switch", from: m.assets[e[0]].id, to: m.assets[e[1]].id,
                    table: "switch", nativeId: id, name: sw.cell(r, "name")?.string ?? "", line: sw.line))
        }
        for table in ["impedance", "dcline", "ward", "xward", "storage", "motor", "shunt", "tcsc", "svc", "ssc", "vsc", "line_dc", "bus_dc"] {
            let f = pf.frame(table)
            if f.count > 0 {
                for r in 0..<f.count {
                    m.leftOut.append(LeftOutRecord(table: table, nativeId: f.id(r), line: f.line, reason: "element type not modelled"))
                }
            }
        }
        m.links += connectors
        if !m.assets.contains(where: { $0.role == "source" }) {
            m.warnings.append("no external grid or generator in service: every bus will be unsupplied")
        }
        m.escapedIds = ids.escapes
        PopulationAllocation.apply(&m, options: options)
        return m
    }

    /// x/y of `table` per element id onto the assets: converted to lat/lon with `crs`, else kept as
    /// x/y (`local`) with a warning.
    static func placeXY(
        _ m: inout ImportedModel, _ xy: [String: (Double, Double)], busAsset: [String: Int], crs: String?,
        file: String, table: String
    ) throws(InputError) {
        if let crs {
            let tr: CoordinateTransform
            do { tr = try CoordinateTransform(from: crs) } catch { throw InputError(file: file, field: "--crs", error.message) }
            for (id, k) in busAsset {
                guard let (x, y) = xy[id] else { continue }
                guard let p = tr.latLon(x: x, y: y) else {
                    throw InputError(file: file, field: "\(table)[\(id)]", "PROJ cannot convert (\(x), \(y)) from \(crs)")
                }
                m.assets[k].point = p
            }
            m.coordinates = .wgs84
            m.sourceCRS = crs
        } else {
            for (id, k) in busAsset { if let p = xy[id] { m.assets[k].point = (p.0, p.1) } }
            m.coordinates = .local
            m.warnings.append("\(table) x/y kept as x,y: the file does not name its coordinate system (give --crs EPSG:n to convert them to WGS84)")
        }
    }
}
