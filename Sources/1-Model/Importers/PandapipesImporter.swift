import ModelIO

/// `kaskada import pandapipes`: a pandapipes gas (or other fluid) network saved with
/// `pandapipes.to_json` as a `gas` model (docs/specification.md section 11). Reference: Lohmeier et al.
/// (2020), pandapipes, Sustainability 12(23); table layouts as in pandapipes' `create_*`.
///
/// - junctions `junction:<index>` (kind `gas_junction`); external grids `ext_grid:<index>`
///   (kind `infeed`), the sources, joined to their junction by `connector:ext_grid:<index>`;
/// - pipes `pipe:<index>` (kind `gas_pipe`, `length_km`), open valves `valve:<index>` (`valve`;
///   closed ones left out), pressure and flow controllers `pressure_control:<index>` /
///   `flow_control:<index>` (directed from → to), heat exchangers `heat_exchanger:<index>`;
/// - pumps and compressors are assets (`pump:<index>` / `compressor:<index>`, kind `compressor`)
///   between directed links `<id>:in` and `<id>:out`, so that couplings can make them depend on
///   power; circulation pumps and injections (`source`) are left out and reported;
/// - elements not in service, and anything at a left-out junction, are left out and reported;
/// - population: per junction, Σ `mdot_kg_per_s × scaling` of its sinks in service (kg/s);
/// - coordinates: `junction_geodata` x/y. pandapipes files do not name their coordinate system
///   (the Schutterwald network is in EPSG:31467, Gauss–Krüger zone 3): give `--crs` to convert
///   to WGS84 (PROJ, with the datum shift), else they stay x/y with a warning. O(file size).
public enum PandapipesImporter {
    public static func read(_ input: ImportInput, options: ImportOptions) throws(InputError) -> ImportedModel {
        let pf = try PandasFrames(input)
        let file = input.path
        guard pf.className == "pandapipesNet" else {
            throw InputError(
                file: file, line: 1, field: "_class",
                "'\(pf.className)' is not a pandapipes network: expected pandapipesNet (use 'pandapower' for pandapowerNet)")
        }
        var m = ImportedModel(name: options.name ?? input.stem, format: "pandapipes", sector: "gas")
        m.loadMeasure = "sink mdot_kg_per_s × scaling (kg/s)"
        var ids = ImportIds()
        let junction = pf.frame("junction")
        var at: [String: Int] = [:]
        var leftJ = Set<String>()
        for r in 0..<junction.count {
            let id = junction.id(r)
            if !pf.inService(junction, r) {
                m.leftOut.append(LeftOutRecord(table: "junction", nativeId: id, line: junction.line, reason: "out of service"))
                leftJ.insert(id)
                continue
            }
            at[id] = m.assets.count
            m.assets.append(
                ImportedAsset(
                    id: ids.make(table: "junction", nativeId: id), kind: "gas_junction", table: "junction",
                    nativeId: id, name: junction.cell(r, "name")?.string ?? "", line: junction.line))
        }
        let geo = pf.frame("junction_geodata")
        var xy: [String: (Double, Double)] = [:]
        for r in 0..<geo.count {
            if let x = geo.cell(r, "x")?.looseNumber, let y = geo.cell(r, "y")?.looseNumber, x.isFinite, y.isFinite { xy[geo.id(r)] = (x, y) }
        }
        if !xy.isEmpty { try PandapowerImporter.placeXY(&m, xy, busAsset: at, crs: options.crs, file: file, table: "junction_geodata") }
        let sink = pf.frame("sink")
        try pf.require(sink, ["junction", "mdot_kg_per_s"])
        for r in 0..<sink.count where pf.inService(sink, r) {
            guard let k = at[try pf.ref(sink, r, "junction")] else { continue }
            let q = try pf.number(sink, r, "mdot_kg_per_s") * pf.number(sink, r, "scaling", default: 1)
            if q > 0 { m.assets[k].load += q }
        }
        func ends(_ f: PandasFrames.Frame, _ r: Int) throws(InputError) -> (Int, Int)? {
            let a = try pf.ref(f, r, "from_junction"), b = try pf.ref(f, r, "to_junction")
            for j in [a, b] where at[j] == nil {
                m.leftOut.append(
                    LeftOutRecord(
                        table: f.name, nativeId: f.id(r), line: f.line,
                        reason: leftJ.contains(j) ? "junction \(j) is out of service" : "junction \(j) is not in the junction table"))
                return nil
            }
            return (at[a]!, at[b]!)
        }
        var connectors: [ImportedLink] = []
        let ext = pf.frame("ext_grid")
        try pf.require(ext, ["junction"])
        for r in 0..<ext.count {
            let id = ext.id(r)
            if !pf.inService(ext, r) {
                m.leftOut.append(LeftOutRecord(table: "ext_grid", nativeId: id, line: ext.line, reason: "out of service")); continue
            }
            let j = try pf.ref(ext, r, "junction")
            guard let k = at[j] else {
                m.leftOut.append(
                    LeftOutRecord(table: "ext_grid", nativeId: id, line: ext.line, reason: "at junction \(j), which is not in the model"));
                continue
            }
            let aid = ids.make(table: "ext_grid", nativeId: id)
            m.assets.append(
                ImportedAsset(
                    id: aid, kind: "infeed", role: "source", table: "ext_grid", nativeId: id,
                    name: ext.cell(r, "name")?.string ?? "", line: ext.line, point: m.assets[k].point))
            connectors.append(
                ImportedLink(
                    id: ids.make(table: "connector", nativeId: "ext_grid:" + id), kind: "connector", from: aid,
                    to: m.assets[k].id, table: "connector", nativeId: "ext_grid:" + id, line: ext.line, lengthKm: 0))
        }
        let pipe = pf.frame("pipe")
        try pf.require(pipe, ["from_junction", "to_junction"])
        for r in 0..<pipe.count {
            let id = pipe.id(r)
            if !pf.inService(pipe, r) {
                m.leftOut.append(LeftOutRecord(table: "pipe", nativeId: id, line: pipe.line, reason: "out of service")); continue
            }
            guard let (a, b) = try ends(pipe, r) else { continue }
            var l = ImportedLink(
                id: ids.make(table: "pipe", nativeId: id), kind: "gas_pipe", from: m.assets[a].id, to: m.assets[b].id,
                table: "pipe", nativeId: id, name: pipe.cell(r, "name")?.string ?? "", line: pipe.line)
            if let len = pipe.cell(r, "length_km")?.looseNumber, len.isFinite, len >= 0 { l.lengthKm = len }
            m.links.append(l)
        }
        for (table, kind, directed) in [
            ("valve", "valve", false), ("pressure_control", "pressure_control", true),
            ("flow_control", "flow_control", true), ("heat_exchanger", "heat_exchanger", false),
        ] {
            let f = pf.frame(table)
            try pf.require(f, ["from_junction", "to_junction"])
            for r in 0..<f.count {
                let id = f.id(r)
                if !pf.inService(f, r) {
                    m.leftOut.append(LeftOutRecord(table: table, nativeId: id, line: f.line, reason: "out of service")); continue
                }
                if table == "valve", f.cell(r, "opened")?.bool == false {
                    m.leftOut.append(LeftOutRecord(table: table, nativeId: id, line: f.line, reason: "closed valve")); continue
                }
                guard let (a, b) = try ends(f, r) else { continue }
                m.links.append(
                    ImportedLink(
                        id: ids.make(table: table, nativeId: id), kind: kind, from: m.assets[a].id, to: m.assets[b].id,
                        directed: directed, table: table, nativeId: id, name: f.cell(r, "name")?.string ?? "", line: f.line))
            }
        }
        for table in ["pump", "compressor"] {
            let f = pf.frame(table)
            try pf.require(f, ["from_junction", "to_junction"])
            for r in 0..<f.count {
                let id = f.id(r)
                if !pf.inService(f, r) {
                    m.leftOut.append(LeftOutRecord(table: table, nativeId: id, line: f.line, reason: "out of service")); continue
                }
                guard let (a, b) = try ends(f, r) else { continue }
                let aid = ids.make(table: table, nativeId: id)
                var point: (Double, Double)?
                if let p = m.assets[a].point, let q = m.assets[b].point { point = ((p.0 + q.0) / 2, (p.1 + q.1) / 2) }
                m.assets.append(
                    ImportedAsset(
                        id: aid, kind: "compressor", table: table, nativeId: id, name: f.cell(r, "name")?.string ?? "",
                        line: f.line, point: point))
                m.links.append(
                    ImportedLink(
                        id: ids.make(table: table, nativeId: id + ":in"), kind: "connector", from: m.assets[a].id,
                        to: aid, directed: true, table: table, nativeId: id + ":in", line: f.line))
                m.links.append(
                    ImportedLink(
                        id: ids.make(table: table, nativeId: id + ":out"), kind: "connector", from: aid,
                        to: m.assets[b].id, directed: true, table: table, nativeId: id + ":out", line: f.line))
            }
        }
        for table in ["circ_pump_pressure", "circ_pump_mass", "source", "mass_storage"] {
            let f = pf.frame(table)
            for r in 0..<f.count {
                m.leftOut.append(LeftOutRecord(table: table, nativeId: f.id(r), line: f.line, reason: "element type not modelled"))
            }
        }
        m.links += connectors
        if !m.assets.contains(where: { $0.role == "source" }) { m.warnings.append("no external grid in service: every junction will be unsupplied") }
        m.escapedIds = ids.escapes
        PopulationAllocation.apply(&m, options: options)
        return m
    }
}
