import InfraModel
import ModelIO
import ResultFiles

/// `kaskada import epanet`: an EPANET 2.x input file (`.inp`) as a `water` model (docs/specification.md
/// section 11). Format: the EPANET 2.2 user manual (Rossman et al. 2020, EPA/600/R-20/133),
/// appendix C; WNTR's reader (Klise et al. 2017) was read for comparison.
///
/// - nodes: `junction:<id>`, `reservoir:<id>` (the sources), `tank:<id>` (sources only with
///   `--tanks-as-sources`); node and link ids share nothing, hence the table prefixes (Net3 has a
///   junction `10` and a pump `10`);
/// - pipes `pipe:<id>` (undirected; a check valve, status `CV`, is directed from node 1 to 2),
///   valves `valve:<id>` (kind `valve_<type>`; PRV, PSV and FCV pass water one way and are directed,
///   TCV, PBV and GPV are not), pumps as assets `pump:<id>` (kind `pump_station`) between the
///   directed links `pump:<id>:in` (node 1 → pump) and `pump:<id>:out` (pump → node 2), of kind
///   `connector` (no hazard reaches them: the pump asset is what a hazard damages);
/// - a link closed at the start ([PIPES] status or [STATUS]) is left out and reported unless a
///   [CONTROLS] line or a [RULES] action opens it (status OPEN, or a pump setting > 0);
/// - population: per junction, Σ base demand × the mean of its pattern × the demand multiplier
///   ([DEMANDS] entries replace the [JUNCTIONS] demand; a blank pattern is [OPTIONS] `PATTERN`,
///   else pattern `1` when it exists, else constant 1, as in EPANET 2.2); negative demands add
///   nothing and are reported;
/// - coordinates: [COORDINATES] are in the file's own units (often feet): kept as x/y with a
///   warning, or converted with `--crs`. Pipe lengths in feet (US flow units) or metres (SI).
/// O(file size).
public enum EpanetImporter {
    static let skipped: Set<String> = [
        "TITLE", "TAGS", "CURVES", "ENERGY", "EMITTERS", "QUALITY", "SOURCES", "REACTIONS",
        "MIXING", "TIMES", "REPORT", "VERTICES", "LABELS", "BACKDROP", "END", "LEAKAGE",
    ]
    static let read: Set<String> = [
        "JUNCTIONS", "RESERVOIRS", "TANKS", "PIPES", "PUMPS", "VALVES", "DEMANDS", "STATUS",
        "PATTERNS", "CONTROLS", "RULES", "OPTIONS", "COORDINATES",
    ]
    static let usUnits: Set<String> = ["CFS", "GPM", "MGD", "IMGD", "AFD"]
    static let siUnits: Set<String> = ["LPS", "LPM", "MLD", "CMH", "CMD", "CMS"]

    struct Row { var line: Int; var t: [Substring] }

    public static func read(_ input: ImportInput, options: ImportOptions) throws(InputError) -> ImportedModel {
        let file = input.path
        var bag = DiagnosticBag()
        // 1. split into sections of tokenised rows (comments after ';' removed)
        var sections: [String: [Row]] = [:]
        var current: String?
        for (k, raw) in input.lines.enumerated() {
            let t = LineText.tokens(LineText.beforeComment(raw, 59), LineText.isBlank) // ';'

            guard let first = t.first else { continue }
            if first.hasPrefix("[") {
                let name = first.dropFirst().prefix { $0 != "]" }.uppercased()
                guard first.hasSuffix("]"), read.contains(name) || skipped.contains(name) else {
                    bag.error(
                        file, line: k + 1, field: String(first),
                        "'\(first)' is not an EPANET section: expected one of [\(read.union(skipped).sorted().joined(separator: "], ["))]")
                    current = nil
                    continue
                }
                current = name
                continue
            }
            guard let sec = current else {
                bag.error(file, line: k + 1, field: "", "text before the first [SECTION]"); continue
            }
            if read.contains(sec) { sections[sec, default: []].append(Row(line: k + 1, t: t)) }
        }
        if bag.hasErrors { throw InputError(bag) }
        func num(_ r: Row, _ i: Int, _ field: String, section: String) -> Double? {
            guard i < r.t.count else { bag.error(file, line: r.line, field: "[\(section)] \(field)", "missing value: expected a number"); return nil }
            guard let v = Double(r.t[i]), v.isFinite else {
                bag.error(file, line: r.line, field: "[\(section)] \(field)", "'\(r.t[i])' is not a number"); return nil
            }
            return v
        }
        // 2. options
        var units = "GPM", multiplier = 1.0, defaultPattern: String?
        for r in sections["OPTIONS"] ?? [] {
            let key = r.t[0].uppercased()
            if key == "UNITS", r.t.count > 1 {
                let u = r.t[1].uppercased()
                guard usUnits.contains(u) || siUnits.contains(u) else {
                    bag.error(
                        file, line: r.line, field: "[OPTIONS] Units",
                        "'\(r.t[1])' is not an EPANET flow unit: expected one of \((usUnits.sorted() + siUnits.sorted()).joined(separator: ", "))");
                    continue
                }
                units = u
            } else if key == "PATTERN", r.t.count > 1 {
                defaultPattern = String(r.t[1])
            } else if key == "DEMAND", r.t.count > 2, r.t[1].uppercased() == "MULTIPLIER" {
                if let v = num(r, 2, "Demand Multiplier", section: "OPTIONS") { multiplier = v }
            }
        }
        // 3. patterns: mean multiplier per id
        var patternSum: [String: (Double, Int)] = [:]
        for r in sections["PATTERNS"] ?? [] {
            let id = String(r.t[0])
            var (s, n) = patternSum[id] ?? (0, 0)
            for i in 1..<r.t.count {
                guard let v = num(r, i, "multiplier", section: "PATTERNS") else { break }
                s += v
                n += 1
            }
            patternSum[id] = (s, n)
        }
        func patternMean(_ id: String?, _ r: Row, _ section: String) -> Double? {
            let pid = id ?? defaultPattern ?? (patternSum["1"] != nil ? "1" : nil)
            guard let p = pid else { return 1 }
            guard let (s, n) = patternSum[p] else {
                if id == nil && defaultPattern != nil && p == defaultPattern {
                    bag.error(file, line: r.line, field: "[OPTIONS] Pattern", "pattern '\(p)' is not defined in [PATTERNS]")
                } else {
                    bag.error(file, line: r.line, field: "[\(section)] Pattern", "pattern '\(p)' is not defined in [PATTERNS]")
                }
                return nil
            }
            return n > 0 ? s / Double(n) : 1
        }
        // 4. nodes
        var m = ImportedModel(name: options.name ?? input.stem, format: "epanet", sector: "water")
        m.loadMeasure = "demand (\(units)) × pattern mean × demand multiplier"
        var ids = ImportIds()
        var node: [String: Int] = [:]
        func addNode(_ r: Row, table: String, kind: String, role: String, section: String) -> Int? {
            let id = String(r.t[0])
            if let k = node[id] {
                bag.error(file, line: r.line, field: "[\(section)] ID", "node '\(id)' is already defined (line \(m.assets[k].line))"); return nil
            }
            node[id] = m.assets.count
            m.assets.append(ImportedAsset(id: ids.make(table: table, nativeId: id), kind: kind, role: role, table: table, nativeId: id, line: r.line))
            return m.assets.count - 1
        }
        var junctionDemand: [Int: Double] = [:]
        var negative: [String] = []
        for r in sections["JUNCTIONS"] ?? [] {
            guard let k = addNode(r, table: "junction", kind: "junction", role: "node", section: "JUNCTIONS") else { continue }
            guard num(r, 1, "Elev", section: "JUNCTIONS") != nil else { continue }
            if r.t.count > 2, let d = num(r, 2, "Demand", section: "JUNCTIONS") {
                if let mean = patternMean(r.t.count > 3 ? String(r.t[3]) : nil, r, "JUNCTIONS") { junctionDemand[k] = d * mean }
            }
        }
        for r in sections["RESERVOIRS"] ?? [] {
            if addNode(r, table: "reservoir", kind: "reservoir", role: "source", section: "RESERVOIRS") != nil {
                _ = num(r, 1, "Head", section: "RESERVOIRS")
            }
        }
        for r in sections["TANKS"] ?? [] {
            if addNode(r, table: "tank", kind: "tank", role: options.tanksAsSources ? "source" : "node", section: "TANKS") != nil {
                _ = num(r, 1, "Elevation", section: "TANKS")
            }
        }
        // [DEMANDS] replaces the [JUNCTIONS] demand of each junction it lists
        var listed = Set<Int>()
        for r in sections["DEMANDS"] ?? [] {
            guard let k = node[String(r.t[0])], m.assets[k].table == "junction" else {
                bag.error(file, line: r.line, field: "[DEMANDS] Junction", "'\(r.t[0])' is not a junction of [JUNCTIONS]"); continue
            }
            guard let d = num(r, 1, "Demand", section: "DEMANDS"), let mean = patternMean(r.t.count > 2 ? String(r.t[2]) : nil, r, "DEMANDS") else {
                continue
            }
            if listed.insert(k).inserted { junctionDemand[k] = 0 }
            junctionDemand[k, default: 0] += d * mean
        }
        for (k, d) in junctionDemand.sorted(by: { $0.key < $1.key }) {
            let v = d * multiplier
            if v < 0 { negative.append("\(m.assets[k].nativeId) (\(JSON.number(v)) \(units))") } else { m.assets[k].load = v }
        }
        if !negative.isEmpty {
            m.warnings.append("\(negative.count) junction(s) with negative demand (inflow) add no population: " + MatpowerImporter.list(negative))
        }
        // 5. links: initial status, then what controls and rules open
        enum LinkKind {
            case pipe(cv: Bool)
            case pump
            case valve(String)
        }
        struct Link { var id: String; var from: Int; var to: Int; var kind: LinkKind; var line: Int; var closed: Bool; var length: Double? }
        var links: [Link] = []
        var linkAt: [String: Int] = [:]
        func ends(_ r: Row, _ section: String) -> (Int, Int)? {
            guard r.t.count >= 3 else { bag.error(file, line: r.line, field: "[\(section)]", "expected ID, Node1, Node2, …"); return nil }
            guard let a = node[String(r.t[1])] else {
                bag.error(file, line: r.line, field: "[\(section)] Node1", "unknown node '\(r.t[1])': expected a junction, reservoir or tank");
                return nil
            }
            guard let b = node[String(r.t[2])] else {
                bag.error(file, line: r.line, field: "[\(section)] Node2", "unknown node '\(r.t[2])': expected a junction, reservoir or tank");
                return nil
            }
            return (a, b)
        }
        func addLink(_ l: Link, _ section: String) {
            if let k = linkAt[l.id] {
                bag.error(file, line: l.line, field: "[\(section)] ID", "link '\(l.id)' is already defined (line \(links[k].line))"); return
            }
            linkAt[l.id] = links.count
            links.append(l)
        }
        let lengthKm = usUnits.contains(units) ? 0.0003048 : 0.001
        for r in sections["PIPES"] ?? [] {
            guard let (a, b) = ends(r, "PIPES"), let len = num(r, 3, "Length", section: "PIPES") else { continue }
            let status = r.t.count > 7 ? r.t[7].uppercased() : "OPEN"
            guard ["OPEN", "CLOSED", "CV"].contains(status) else {
                bag.error(file, line: r.line, field: "[PIPES] Status", "'\(r.t[7])' is not a pipe status: expected Open, Closed or CV"); continue
            }
            addLink(
                Link(
                    id: String(r.t[0]), from: a, to: b, kind: .pipe(cv: status == "CV"), line: r.line, closed: status == "CLOSED",
                    length: len * lengthKm), "PIPES")
        }
        for r in sections["PUMPS"] ?? [] {
            guard let (a, b) = ends(r, "PUMPS") else { continue }
            addLink(Link(id: String(r.t[0]), from: a, to: b, kind: .pump, line: r.line, closed: false), "PUMPS")
        }
        for r in sections["VALVES"] ?? [] {
            guard let (a, b) = ends(r, "VALVES") else { continue }
            guard r.t.count > 4 else {
                bag.error(file, line: r.line, field: "[VALVES] Type", "missing: expected PRV, PSV, PBV, FCV, TCV or GPV"); continue
            }
            let type = r.t[4].uppercased()
            guard ["PRV", "PSV", "PBV", "FCV", "TCV", "GPV", "PCV"].contains(type) else {
                bag.error(file, line: r.line, field: "[VALVES] Type", "'\(r.t[4])' is not a valve type: expected PRV, PSV, PBV, FCV, TCV or GPV");
                continue
            }
            addLink(Link(id: String(r.t[0]), from: a, to: b, kind: .valve(type), line: r.line, closed: false), "VALVES")
        }
        var closedBy: [Int: Int] = [:] // link -> [STATUS] line that closes it
        for r in sections["STATUS"] ?? [] {
            guard let k = linkAt[String(r.t[0])] else { bag.error(file, line: r.line, field: "[STATUS] ID", "unknown link '\(r.t[0])'"); continue }
            guard r.t.count > 1 else {
                bag.error(file, line: r.line, field: "[STATUS] Status", "missing: expected Open, Closed or a setting"); continue
            }
            let s = r.t[1].uppercased()
            if s == "CLOSED" {
                links[k].closed = true; closedBy[k] = r.line
            } else if s == "OPEN" {
                links[k].closed = false
            } else if let v = Double(r.t[1]) {
                if case .pump = links[k].kind { links[k].closed = v <= 0; if v <= 0 { closedBy[k] = r.line } }
            } else {
                bag.error(file, line: r.line, field: "[STATUS] Status", "'\(r.t[1])' is not a status: expected Open, Closed or a number")
            }
        }
        // controls: LINK id OPEN|CLOSED|setting AT|IF …
        var opened = Set<Int>()
        for r in sections["CONTROLS"] ?? [] {
            guard r.t.count >= 3, r.t[0].uppercased() == "LINK" else {
                bag.error(
                    file, line: r.line, field: "[CONTROLS]",
                    "expected 'LINK id OPEN|CLOSED|setting AT TIME t | AT CLOCKTIME t | IF NODE id ABOVE|BELOW v'");
                continue
            }
            guard let k = linkAt[String(r.t[1])] else {
                bag.error(file, line: r.line, field: "[CONTROLS] LINK", "unknown link '\(r.t[1])'"); continue
            }
            if opens(String(r.t[2])) { opened.insert(k) }
        }
        // rules: actions after THEN / ELSE (and the AND lines that follow them)
        var inAction = false
        for r in sections["RULES"] ?? [] {
            let w = r.t[0].uppercased()
            switch w {
            case "RULE", "IF", "OR", "PRIORITY": inAction = false; continue
            case "THEN", "ELSE": inAction = true
            case "AND": break
            default:
                bag.error(
                    file, line: r.line, field: "[RULES]",
                    "'\(r.t[0])' does not start a rule clause: expected RULE, IF, AND, OR, THEN, ELSE or PRIORITY");
                continue
            }
            guard inAction else { continue }
            // THEN|ELSE|AND  LINK|PUMP|PIPE|VALVE id STATUS|SETTING IS|= value
            guard r.t.count >= 6 else {
                bag.error(file, line: r.line, field: "[RULES]", "expected 'THEN LINK id STATUS IS OPEN' or 'SETTING IS value'"); continue
            }
            guard ["LINK", "PUMP", "PIPE", "VALVE"].contains(r.t[1].uppercased()) else {
                bag.error(file, line: r.line, field: "[RULES]", "an action acts on a LINK, PUMP, PIPE or VALVE, found '\(r.t[1])'"); continue
            }
            guard let k = linkAt[String(r.t[2])] else { bag.error(file, line: r.line, field: "[RULES]", "unknown link '\(r.t[2])'"); continue }
            let attr = r.t[3].uppercased(), value = String(r.t[5])
            if (attr == "STATUS" && value.uppercased() == "OPEN") || (attr == "SETTING" && opens(value)) { opened.insert(k) }
        }
        if bag.hasErrors { throw InputError(bag) }
        // 6. the model's links, in file order (pipes, pumps, valves)
        var pumpAsset: [Int: Int] = [:] // link -> its pump asset
        for (k, l) in links.enumerated() {
            let table: String
            switch l.kind {
            case .pipe: table = "pipe";
            case .pump: table = "pump";
            case .valve: table = "valve"
            }
            if l.closed && !opened.contains(k) {
                let at = closedBy[k].map { "[STATUS] line \($0)" } ?? "its status column"
                m.leftOut.append(
                    LeftOutRecord(table: table, nativeId: l.id, line: l.line, reason: "closed at the start (\(at)) and no control or rule opens it"))
                continue
            }
            if l.closed { m.notes.append("\(table) \(l.id) is closed at the start and kept: a control or rule opens it") }
            let a = m.assets[l.from].id, b = m.assets[l.to].id
            switch l.kind {
            case .pipe(let cv):
                m.links.append(
                    ImportedLink(
                        id: ids.make(table: "pipe", nativeId: l.id), kind: "pipe", from: a, to: b, directed: cv,
                        table: "pipe", nativeId: l.id, line: l.line, lengthKm: l.length))
            case .valve(let type):
                m.links.append(
                    ImportedLink(
                        id: ids.make(table: "valve", nativeId: l.id), kind: "valve_" + type.lowercased(), from: a, to: b,
                        directed: ["PRV", "PSV", "FCV"].contains(type), table: "valve", nativeId: l.id, line: l.line))
            case .pump:
                let pid = ids.make(table: "pump", nativeId: l.id)
                pumpAsset[k] = m.assets.count
                m.assets.append(ImportedAsset(id: pid, kind: "pump_station", table: "pump", nativeId: l.id, line: l.line))
                m.links.append(
                    ImportedLink(
                        id: ids.make(table: "pump", nativeId: l.id + ":in"), kind: "connector", from: a, to: pid, directed: true,
                        table: "pump", nativeId: l.id + ":in", line: l.line, lengthKm: 0))
                m.links.append(
                    ImportedLink(
                        id: ids.make(table: "pump", nativeId: l.id + ":out"), kind: "connector", from: pid, to: b, directed: true,
                        table: "pump", nativeId: l.id + ":out", line: l.line, lengthKm: 0))
            }
        }
        // 7. coordinates
        var xy: [String: (Double, Double)] = [:]
        for r in sections["COORDINATES"] ?? [] {
            guard r.t.count >= 3, let x = Double(r.t[1]), let y = Double(r.t[2]), x.isFinite, y.isFinite else {
                bag.error(file, line: r.line, field: "[COORDINATES]", "expected 'Node X-Coord Y-Coord'"); continue
            }
            guard node[String(r.t[0])] != nil else {
                bag.error(file, line: r.line, field: "[COORDINATES] Node", "unknown node '\(r.t[0])'"); continue
            }
            xy[String(r.t[0])] = (x, y)
        }
        if bag.hasErrors { throw InputError(bag) }
        if !xy.isEmpty {
            try PandapowerImporter.placeXY(&m, xy, busAsset: node, crs: options.crs, file: file, table: "[COORDINATES]")
            // pumps at the midpoint of their nodes
            for (k, i) in pumpAsset {
                let l = links[k]
                guard let p = m.assets[l.from].point, let q = m.assets[l.to].point else { continue }
                m.assets[i].point = ((p.0 + q.0) / 2, (p.1 + q.1) / 2)
            }
        }
        m.notes.append("flow units \(units); pipe lengths in \(usUnits.contains(units) ? "feet" : "metres"), converted to km")
        if !m.assets.contains(where: { $0.role == "source" }) {
            m.warnings.append("no reservoir (and no tank as source): every junction will be unsupplied")
        }
        m.escapedIds = ids.escapes
        PopulationAllocation.apply(&m, options: options)
        return m
    }

    /// Whether a control's or rule's target status or setting opens the link.
    static func opens(_ v: String) -> Bool {
        let u = v.uppercased()
        if u == "OPEN" { return true }
        if u == "CLOSED" { return false }
        return (Double(v) ?? 0) > 0 // a pump speed or valve setting
    }
}
