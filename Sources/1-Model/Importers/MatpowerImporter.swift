import InfraModel
import ModelIO
import ResultFiles

/// `kaskada import matpower`: a MATPOWER case file (`.m`, case format version 2) as a power model
/// (docs/specification.md section 11). Reference: Zimmerman, Murillo-Sánchez & Thomas (2011), MATPOWER,
/// IEEE Trans. Power Systems 26(1); the column order is MATPOWER's `caseformat` help.
///
/// - buses `bus:<bus_i>` (isolated buses, type 4, left out), kind by base voltage;
/// - generators `gen:<row>` (1-based row of `mpc.gen`), sources when in service with Pmax > 0
///   and Pg ≥ 0; one with Pg < 0 stands for a load: kept as a consumer, not a source, reported,
///   and its load is not added to the population; each joined to its bus by `connector:gen:<row>`;
/// - branches `branch:<row>`, undirected, `transformer` when the tap ratio is not 0 or the phase
///   shift is not 0, else `line`; parallel branches are kept;
/// - out-of-service generators and branches (status 0) and anything at a left-out or unknown bus
///   are left out and reported. Population: bus Pd (MW) × `--people-per-mw`; a negative Pd gives 0
///   and is reported. O(file size).
public enum MatpowerImporter {
    public static func read(_ input: ImportInput, options: ImportOptions) throws(InputError) -> ImportedModel {
        let file = input.path
        let doc = try MatlabCase.parse(input)
        guard let version = doc.strings["version"] else {
            throw InputError(file: file, field: "mpc.version", "missing: expected mpc.version = '2' (MATPOWER case format version 2)")
        }
        guard version.value == "2" else {
            throw InputError(
                file: file, line: version.line, field: "mpc.version",
                "'\(version.value)' is not supported: expected '2' (convert a version 1 case with MATPOWER's loadcase and savecase)")
        }
        guard let bus = doc.matrices["bus"] else { throw InputError(file: file, field: "mpc.bus", "missing: expected the bus matrix") }
        let gen = doc.matrices["gen"] ?? MatlabCase.Matrix(name: "gen", line: 0)
        let branch = doc.matrices["branch"] ?? MatlabCase.Matrix(name: "branch", line: 0)
        var bag = DiagnosticBag()
        bus.requireColumns(13, names: "bus_i type Pd Qd Gs Bs area Vm Va baseKV zone Vmax Vmin", file: file, bag: &bag)
        gen.requireColumns(10, names: "bus Pg Qg Qmax Qmin Vg mBase status Pmax Pmin", file: file, bag: &bag)
        branch.requireColumns(11, names: "fbus tbus r x b rateA rateB rateC ratio angle status", file: file, bag: &bag)
        if bag.hasErrors { throw InputError(bag) }

        var m = ImportedModel(name: options.name ?? input.stem, format: "matpower", sector: "power")
        m.loadMeasure = "Pd (MW)"
        var ids = ImportIds()
        var busIndex: [Int: Int] = [:] // bus_i -> asset index
        var isolated = Set<Int>() // bus_i of type-4 buses
        var negativeLoads: [String] = []
        let names = doc.cells["bus_name"]
        for (r, row) in bus.rows.enumerated() {
            let line = bus.lines[r]
            guard let busNo = exactInt(row[0]), busNo > 0 else {
                bag.error(file, line: line, field: "mpc.bus bus_i", "'\(MatlabCase.show(row[0]))' is not a bus number: expected a positive integer");
                continue
            }
            if busIndex[busNo] != nil || isolated.contains(busNo) {
                bag.error(file, line: line, field: "mpc.bus bus_i", "bus \(busNo) is defined twice"); continue
            }
            let type = Int(row[1])
            if type == 4 {
                m.leftOut.append(LeftOutRecord(table: "bus", nativeId: String(busNo), line: line, reason: "isolated bus (type 4)"))
                isolated.insert(busNo)
                continue
            }
            let pd = row[2]
            if pd < 0 { negativeLoads.append("bus \(busNo) (Pd \(JSON.number(pd)) MW)") }
            let name = r < (names?.values.count ?? 0) ? names!.values[r].trimmingTrailingSpaces : ""
            let id = ids.make(table: "bus", nativeId: String(busNo))
            busIndex[busNo] = m.assets.count
            m.assets.append(
                ImportedAsset(
                    id: id, kind: busKind(kV: row[9]), table: "bus", nativeId: String(busNo),
                    name: name, line: line, load: max(0, pd)))
        }
        if !negativeLoads.isEmpty {
            m.warnings.append("\(negativeLoads.count) bus(es) with negative load get population 0: " + Self.list(negativeLoads))
        }
        var connectors: [ImportedLink] = []
        var loadGens: [String] = []
        for (r, row) in gen.rows.enumerated() {
            let line = gen.lines[r], native = String(r + 1)
            guard let busNo = exactInt(row[0]) else {
                bag.error(file, line: line, field: "mpc.gen bus", "'\(MatlabCase.show(row[0]))' is not a bus number"); continue
            }
            if row[7] <= 0 {
                m.leftOut.append(LeftOutRecord(table: "gen", nativeId: native, line: line, reason: "out of service (status 0)")); continue
            }
            guard let b = busIndex[busNo] else {
                let why = isolated.contains(busNo) ? "at isolated bus \(busNo)" : "at bus \(busNo), which is not in mpc.bus"
                m.leftOut.append(LeftOutRecord(table: "gen", nativeId: native, line: line, reason: why)); continue
            }
            let pg = row[1], pmax = row[8]
            let role: String
            if pg < 0 {
                role = "consumer"
                loadGens.append("gen \(native) at bus \(busNo) (Pg \(JSON.number(pg)) MW)")
            } else {
                role = pmax > 0 ? "source" : "node"
            }
            let id = ids.make(table: "gen", nativeId: native)
            m.assets.append(ImportedAsset(id: id, kind: "power_plant", role: role, table: "gen", nativeId: native, line: line))
            let cid = ids.make(table: "connector", nativeId: "gen:" + native)
            connectors.append(
                ImportedLink(
                    id: cid, kind: "connector", from: id, to: m.assets[b].id, table: "connector",
                    nativeId: "gen:" + native, line: line, lengthKm: 0))
        }
        if !loadGens.isEmpty {
            m.warnings.append(
                "\(loadGens.count) generator(s) with negative output stand for loads: kept as consumers, not sources, their load not added to the population: "
                    + Self.list(loadGens))
        }
        for (r, row) in branch.rows.enumerated() {
            let line = branch.lines[r], native = String(r + 1)
            guard let f = exactInt(row[0]), let t = exactInt(row[1]) else {
                bag.error(
                    file, line: line, field: "mpc.branch fbus/tbus",
                    "expected bus numbers, found '\(MatlabCase.show(row[0]))' and '\(MatlabCase.show(row[1]))'");
                continue
            }
            if row[10] <= 0 {
                m.leftOut.append(LeftOutRecord(table: "branch", nativeId: native, line: line, reason: "out of service (status 0)")); continue
            }
            guard let a = busIndex[f], let b = busIndex[t] else {
                let missing = busIndex[f] == nil ? f : t
                m.leftOut.append(
                    LeftOutRecord(table: "branch", nativeId: native, line: line, reason: "bus \(missing) is isolated (type 4) or not in mpc.bus"));
                continue
            }
            let kind = (row[8] != 0 || row[9] != 0) ? "transformer" : "line"
            let id = ids.make(table: "branch", nativeId: native)
            m.links.append(ImportedLink(id: id, kind: kind, from: m.assets[a].id, to: m.assets[b].id, table: "branch", nativeId: native, line: line))
        }
        if bag.hasErrors { throw InputError(bag) }
        m.links += connectors
        if !m.assets.contains(where: { $0.role == "source" }) {
            m.warnings.append("no generator is a source (in service, Pmax > 0, Pg ≥ 0): every bus will be unsupplied")
        }
        m.notes.append("coordinates: MATPOWER cases have none")
        m.escapedIds = ids.escapes
        PopulationAllocation.apply(&m, options: options)
        return m
    }

    /// Bus kinds by base voltage (kV): `bus_ehv` ≥ 220, `bus_hv` ≥ 60, `bus_mv` ≥ 1, `bus_lv` > 0, else `bus`.
    public static func busKind(kV: Double) -> String {
        kV >= 220 ? "bus_ehv" : kV >= 60 ? "bus_hv" : kV >= 1 ? "bus_mv" : kV > 0 ? "bus_lv" : "bus"
    }

    static func exactInt(_ x: Double) -> Int? {
        x.isFinite && x == x.rounded() && abs(x) < 1e15 ? Int(x) : nil
    }

    /// The first ten items and "… and N more".
    static func list(_ items: [String]) -> String {
        items.prefix(10).joined(separator: ", ") + (items.count > 10 ? ", … and \(items.count - 10) more" : "")
    }
}

extension String {
    var trimmingTrailingSpaces: String {
        var s = Substring(self)
        while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
        return String(s)
    }
}
