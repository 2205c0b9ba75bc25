import Foundation
import InfraModel
import Yams

/// Loads a scenario YAML (docs/specification.md section 4) with its network, intensity files and fragility
/// libraries, and checks every key. Returns a whole scenario or throws every problem found.
public enum ScenarioLoader {
    public static let topKeys = [
        "format", "name", "network", "events", "annual_rate", "simulation", "weights",
        "crews", "fragility", "value_per_people_hour", "discount_rate", "mitigations",
        "budget",
    ]
    /// Event types that are not hazards.
    public static let nonHazardTypes = ["outage", "attack", "supply_interruption", "contamination"]

    /// Whether the file at `path` is a scenario, by its content, whatever its name (docs/specification.md
    /// section 4: a scenario has top-level `network` and `events`). A YAML map with either key is
    /// taken as a scenario, so that the other one is reported missing, rather than read as a model
    /// with unknown keys; a folder, or a map with neither, is a model.
    public static func isScenario(path: String) -> Bool {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir), !isDir.boolValue,
            let text = try? Paths.readText(path), let node = try? Yams.compose(yaml: text),
            case .mapping(let m) = node
        else { return false }
        return m["network"] != nil || m["events"] != nil
    }

    /// Loads `path` as `kaskada validate` and `kaskada serve` read it: a scenario when the file
    /// has top-level `network` or `events`, else a model (folder or `network.yaml`) as a timed
    /// scenario without events, with the default fragility library.
    /// - Throws: `InputError` with every problem (file, line, field).
    public static func loadScenarioOrModel(path: String) throws(InputError) -> (scenario: Scenario, isScenario: Bool, warnings: [Diagnostic]) {
        if isScenario(path: path) {
            let (sc, w) = try load(path: path)
            return (sc, true, w)
        }
        let (net, w) = try NetworkLoader.load(path: path)
        let fragility = FragilityLoader.locateDefault(scenarioPath: path)
        var library = FragilityLibrary()
        try FragilityLoader.load(fragility, into: &library)
        var sc = Scenario(name: net.name, path: path, networkPath: path, network: net, events: [], fragility: library)
        sc.defaultFragility = fragility
        sc.simulation.mode = .timed
        return (sc, false, w)
    }

    /// Loads the scenario at `path` with the shipped default fragility library found for it
    /// (`FragilityLoader.locateDefault`), as every command does.
    /// - Returns: the scenario (its `defaultFragility` says which library was read) and the
    ///   warnings of it and its model.
    /// - Throws: `InputError` with every error found (up to 50 per file).
    public static func load(path: String) throws(InputError) -> (scenario: Scenario, warnings: [Diagnostic]) {
        try load(path: path, defaultFragility: FragilityLoader.locateDefault(scenarioPath: path))
    }

    /// Loads the scenario at `path`; `defaultFragility` is the library read first (nil: none).
    /// - Returns: the scenario and the warnings of it and its model.
    /// - Throws: `InputError` with every error found (up to 50 per file).
    public static func load(path: String, defaultFragility: DefaultFragilitySource?) throws(InputError) -> (
        scenario: Scenario, warnings: [Diagnostic]
    ) {
        let text = try Paths.readText(path)
        var s = ScenarioParser(path: path)
        let result = s.parse(text, defaultFragility: defaultFragility)
        if s.bag.hasErrors { throw InputError(s.bag) }
        return (result!, s.bag.warnings)
    }
}

/// One pass over a scenario file, accumulating diagnostics.
struct ScenarioParser {
    let path: String
    var y: YAMLReader
    var bag = DiagnosticBag()

    init(path: String) {
        self.path = path
        y = YAMLReader(file: path)
    }

    mutating func flush() {
        bag.append(contentsOf: y.bag)
        y.bag = DiagnosticBag()
    }

    mutating func parse(_ text: String, defaultFragility: DefaultFragilitySource?) -> Scenario? {
        defer { flush() }
        guard let root = y.compose(text) else {
            if !y.bag.hasErrors { y.error(nil, "", "the file is empty: expected a scenario with keys name, network, events") }
            return nil
        }
        // a model given where a scenario is expected: one error that says so
        if case .mapping(let m) = root, m.keys.contains(where: { $0.string == "assets" }),
            !m.keys.contains(where: { $0.string == "events" || $0.string == "network" })
        {
            y.error(
                root, "",
                "this file is a model (network.yaml: it has 'assets'), not a scenario: give a scenario file that names it under 'network:' and adds 'events:' (for example scenarios/riverside-flood-100y.yaml, or see docs/formats.md section 10)"
            )
            return nil
        }
        guard let top = y.mapping(root, "", allowed: ScenarioLoader.topKeys) else { return nil }
        if let f = top["format"], let v = y.integer(f, "format"), v != 1 {
            y.error(f, "format", "unknown format version \(v); this Kaskada reads format 1")
        }
        var name: String?
        if let n = top["name"] {
            name = y.name(n, "name", pattern: "[A-Za-z0-9._-]+", valid: NameRules.isName)
        } else {
            y.error(root, "name", "missing key 'name': expected the result folder name ([A-Za-z0-9._-]+)")
        }
        // the model
        var network: Network?
        var networkPath = ""
        if let n = top["network"] {
            if let rel = y.string(n, "network") {
                networkPath = Paths.resolve(rel, against: path)
                if FileChecks.isDirectory(networkPath) { networkPath = Paths.normalise(networkPath + "/network.yaml") }
                if !Paths.exists(networkPath) {
                    y.error(n, "network", "cannot read '\(networkPath)': file not found")
                } else {
                    do {
                        let (net, warnings) = try NetworkLoader.load(path: networkPath)
                        network = net
                        for w in warnings { bag.warning(w.file, line: w.line, column: w.column, field: w.field, w.message) }
                    } catch {
                        bag.append(contentsOf: error.diagnostics)
                    }
                }
            }
        } else {
            y.error(root, "network", "missing key 'network': expected the path of the model's network.yaml")
        }
        // fragility libraries
        var library = FragilityLibrary()
        var fragilityPaths: [String] = []
        if let d = defaultFragility {
            do { try FragilityLoader.load(d, into: &library) } catch { bag.append(contentsOf: error.diagnostics) }
        }
        if let f = top["fragility"], let items = y.stringListNodes(f, "fragility") {
            for (node, rel) in items {
                let p = Paths.resolve(rel, against: path)
                fragilityPaths.append(p)
                if !Paths.exists(p) {
                    y.error(node, "fragility", "cannot read '\(p)': file not found")
                    continue
                }
                do { try FragilityLoader.load(path: p, into: &library) } catch { bag.append(contentsOf: error.diagnostics) }
            }
        }
        var settings = SimulationSettings()
        if let sim = top["simulation"] { parseSimulation(sim, into: &settings) }

        guard let net = network else {
            // still check what can be checked without the model
            if top["events"] == nil { y.error(root, "events", "missing key 'events': expected a list of at least one event") }
            return nil
        }
        let resolver = SelectionResolver(network: net)
        var events: [Event] = []
        if let e = top["events"] {
            if let items = y.sequence(e, "events") {
                if items.isEmpty { y.error(e, "events", "expected at least one event, found an empty list") }
                for (i, item) in items.enumerated() {
                    if let ev = parseEvent(item, index: i, net: net, resolver: resolver, library: library) { events.append(ev) }
                }
            }
        } else {
            y.error(root, "events", "missing key 'events': expected a list of at least one event")
        }
        var scenario = Scenario(
            name: name ?? "", path: path, networkPath: networkPath, network: net,
            events: events, fragility: library)
        scenario.simulation = settings
        scenario.fragilityPaths = fragilityPaths
        scenario.defaultFragility = defaultFragility
        if let a = top["annual_rate"] { scenario.annualRate = y.number(a, "annual_rate", min: 0, max: Bounds.annualRate) }
        if let w = top["weights"], let pairs = y.freeMapping(w, "weights") {
            for (sector, k, v) in pairs {
                guard net.sectors.code(sector) != nil else {
                    y.error(k, "weights.\(sector)", "unknown sector '\(sector)': expected one of \(net.sectors.names.joined(separator: ", "))")
                    continue
                }
                if let x = y.number(v, "weights.\(sector)", min: 0, max: Bounds.weight) { scenario.weights[sector] = x }
            }
        }
        if let c = top["crews"], let pairs = y.freeMapping(c, "crews") {
            for (owner, k, v) in pairs {
                guard net.owners.code(owner) != nil else {
                    y.error(k, "crews.\(owner)", "unknown owner '\(owner)': expected one of \(net.owners.names.joined(separator: ", "))")
                    continue
                }
                if let x = y.integer(v, "crews.\(owner)", min: 1, max: Bounds.crews) { scenario.crews[owner] = x }
            }
        }
        if let v = top["value_per_people_hour"] { scenario.valuePerPeopleHour = y.number(v, "value_per_people_hour", min: 0, max: Bounds.money) }
        if let v = top["discount_rate"], let x = y.number(v, "discount_rate", min: 0, max: 1) { scenario.discountRate = x }
        if let v = top["budget"] { scenario.budget = y.number(v, "budget", min: 0, max: Bounds.money) }
        if let m = top["mitigations"], let items = y.sequence(m, "mitigations") {
            var seen: [String: Int] = [:]
            for item in items {
                guard let mit = parseMitigation(item, net: net, resolver: resolver, events: events) else { continue }
                if let first = seen[mit.id] {
                    y.error(item, "mitigations.id", "duplicate mitigation id '\(mit.id)': already used at line \(first)")
                    continue
                }
                seen[mit.id] = y.line(item)
                scenario.mitigations.append(mit)
                warnIfTimedOnly(mit, item, in: &scenario)
            }
        }
        if scenario.budget != nil && scenario.mitigations.isEmpty, let b = top["budget"] {
            y.warning(b, "budget", "a budget without mitigations has no effect")
        }
        return scenario
    }

    // MARK: - simulation

    mutating func parseSimulation(_ n: Node, into s: inout SimulationSettings) {
        let keys = ["mode", "samples", "seed", "threads", "horizon_hours", "step_hours", "target_relative_ci", "cascade_order"]
        guard let m = y.mapping(n, "simulation", allowed: keys) else { return }
        if let v = m["mode"], let str = y.string(v, "simulation.mode") {
            if let mode = SimulationMode(rawValue: str) {
                s.mode = mode
            } else {
                y.error(v, "simulation.mode", "'\(str)' is not a mode: expected static or timed")
            }
        }
        if let v = m["samples"], let x = y.integer(v, "simulation.samples", min: 1, max: Bounds.samples) { s.samples = x }
        if let v = m["seed"] {
            if case .scalar(let sc) = v, let x = UInt64(sc.string) {
                s.seed = x
            } else {
                y.error(v, "simulation.seed", "expected a whole number between 0 and 2^64−1, found \(YAMLReader.describe(v))")
            }
        }
        if let v = m["threads"], let x = y.integer(v, "simulation.threads", min: 1, max: Bounds.threads) { s.threads = x }
        // bounds by meaning: a horizon up to 10 years (87,600 h); at most 100,000 timeline steps
        // (each step is a row per sector in timeline.csv and a slot per sample in memory)
        if let v = m["horizon_hours"], let x = y.number(v, "simulation.horizon_hours", min: 0, minExclusive: true, max: Bounds.hours) {
            s.horizonHours = x
        }
        if let v = m["step_hours"], let x = y.number(v, "simulation.step_hours", min: 0, minExclusive: true, max: Bounds.hours) {
            s.stepHours = x
            if x > s.horizonHours {
                y.error(v, "simulation.step_hours", "expected a step no longer than horizon_hours (\(s.horizonHours)), found \(x)")
            }
        }
        if s.mode == .timed, s.horizonHours / s.stepHours > Bounds.timelineSteps {
            y.error(
                m["step_hours"] ?? m["horizon_hours"] ?? n, "simulation.step_hours",
                "horizon_hours \(YAMLReader.fmt(s.horizonHours)) / step_hours \(YAMLReader.fmt(s.stepHours)) gives \(YAMLReader.fmt((s.horizonHours / s.stepHours).rounded(.up))) timeline steps: expected at most 100,000 (a longer step or a shorter horizon)"
            )
        }
        if let v = m["target_relative_ci"], let x = y.number(v, "simulation.target_relative_ci", min: 0, minExclusive: true, max: 1) {
            s.targetRelativeCI = x
        }
        if let v = m["cascade_order"], let str = y.string(v, "simulation.cascade_order") {
            if let order = CascadeOrder(rawValue: str) {
                s.cascadeOrder = order
            } else {
                y.error(v, "simulation.cascade_order", "'\(str)' is not a cascade order: expected simultaneous or sequential")
            }
        }
        if s.mode == .static {
            for k in ["horizon_hours", "step_hours"] where m[k] != nil {
                y.warning(m[k], "simulation.\(k)", "\(k) has no effect in static mode")
            }
        }
    }

    // MARK: - selections

    mutating func parseSelection(_ n: Node, _ field: String) -> Selection? {
        guard let m = y.mapping(n, field, allowed: ["ids", "sector", "kind", "owner", "zone", "links"]) else { return nil }
        var s = Selection()
        var ok = true
        for key in ["ids", "sector", "kind", "owner", "zone"] {
            guard let v = m[key] else { continue }
            guard let list = y.stringList(v, "\(field).\(key)") else { ok = false; continue }
            switch key {
            case "ids": s.ids = list
            case "sector": s.sector = list
            case "kind": s.kind = list
            case "owner": s.owner = list
            default: s.zone = list
            }
        }
        if let v = m["links"], let b = y.bool(v, "\(field).links") { s.links = b }
        if s.isEmpty && ok {
            y.error(n, field, "an empty selection: expected at least one of ids, sector, kind, owner, zone")
            return nil
        }
        return ok ? s : nil
    }

    /// Resolves a selection; unknown names and an empty match are errors at `n`.
    mutating func resolve(_ s: Selection, _ n: Node, _ field: String, resolver: SelectionResolver) -> SelectionMatch? {
        let (match, unknown) = resolver.resolve(s)
        for u in unknown { y.error(n, "\(field).\(u.key)", u.message) }
        if !unknown.isEmpty { return nil }
        if match.isEmpty {
            y.error(n, field, "the selection matches nothing: no \(s.links ? "asset or link" : "asset") has \(describe(s))")
            return nil
        }
        return match
    }

    func describe(_ s: Selection) -> String {
        var parts: [String] = []
        if !s.ids.isEmpty { parts.append("id in [\(s.ids.joined(separator: ", "))]") }
        if !s.sector.isEmpty { parts.append("sector in [\(s.sector.joined(separator: ", "))]") }
        if !s.kind.isEmpty { parts.append("kind in [\(s.kind.joined(separator: ", "))]") }
        if !s.owner.isEmpty { parts.append("owner in [\(s.owner.joined(separator: ", "))]") }
        if !s.zone.isEmpty { parts.append("zone in [\(s.zone.joined(separator: ", "))]") }
        return parts.joined(separator: " and ")
    }

    // MARK: - events

    mutating func parseEvent(
        _ n: Node, index: Int, net: Network, resolver: SelectionResolver,
        library: FragilityLibrary
    ) -> Event? {
        let field = "events[\(index)]"
        guard case .mapping(let raw) = n else {
            y.error(n, field, "expected a map with a 'type' key, found \(YAMLReader.describe(n))"); return nil
        }
        guard let tn = raw["type"], let type = y.string(tn, field + ".type") else {
            if raw["type"] == nil {
                y.error(
                    n, field + ".type",
                    "missing key 'type': expected flood, wind, heat, drought, another hazard, outage, attack, supply_interruption or contamination")
            }
            return nil
        }
        let isHazard = !ScenarioLoader.nonHazardTypes.contains(type)
        if isHazard && !NameRules.isLowerWord(type) {
            y.error(
                tn, field + ".type",
                "'\(type)' is not an event type: expected flood, wind, heat, drought, another hazard name (a lowercase word), outage, attack, supply_interruption or contamination"
            )
            return nil
        }
        let allowed: [String]
        switch type {
        case "outage": allowed = ["type", "select", "probability", "duration_hours", "start_hours"]
        case "attack": allowed = ["type", "select", "count", "strategy", "start_hours"]
        case "supply_interruption", "contamination": allowed = ["type", "select", "duration_hours", "start_hours"]
        default: allowed = ["type", "intensity", "uncertainty", "select", "start_hours"]
        }
        guard let m = y.mapping(n, field, allowed: allowed) else { return nil }
        var start = 0.0
        if let v = m["start_hours"], let x = y.number(v, field + ".start_hours", min: 0, max: Bounds.hours) { start = x }
        var select: Selection?
        var match: SelectionMatch?
        var selectionFailed = false
        if let sn = m["select"] {
            select = parseSelection(sn, field + ".select")
            if let s = select { match = resolve(s, sn, field + ".select", resolver: resolver) }
            if match == nil { selectionFailed = true }
        } else if !isHazard && type != "attack" {
            y.error(n, field + ".select", "missing key 'select': \(type == "outage" ? "an" : "a") \(type) event needs to say what it acts on")
            selectionFailed = true
        }
        func duration() -> Double?? {
            guard let v = m["duration_hours"] else { return .some(nil) }
            guard let x = y.number(v, field + ".duration_hours", min: 0, minExclusive: true, max: Bounds.duration) else { return nil }
            return .some(x)
        }
        let kind: EventKind
        switch type {
        case "outage":
            var p = 1.0
            if let v = m["probability"] { guard let x = y.number(v, field + ".probability", min: 0, max: 1) else { return nil }; p = x }
            guard let d = duration() else { return nil }
            kind = .outage(probability: p, durationHours: d)
        case "supply_interruption":
            guard let d = duration() else { return nil }
            if let mt = match {
                let sources = mt.assets.filter { net.assets.role[Int($0)] == .source }
                if sources.isEmpty {
                    y.error(
                        m["select"], field + ".select", "a supply_interruption acts on sources, and the selection holds no asset with role source")
                    return nil
                }
                if sources.count < mt.assets.count {
                    y.warning(
                        m["select"], field + ".select",
                        "\(mt.assets.count - sources.count) selected assets are not sources; a supply_interruption puts out only the \(sources.count) sources"
                    )
                }
                match = SelectionMatch(assets: sources, links: [])
            }
            kind = .supplyInterruption(durationHours: d)
        case "contamination":
            guard let d = duration() else { return nil }
            kind = .contamination(durationHours: d)
        case "attack":
            guard let cn = m["count"] else { y.error(n, field + ".count", "missing key 'count': expected how many assets are attacked"); return nil }
            guard let count = y.integer(cn, field + ".count", min: 1) else { return nil }
            var strategy = AttackStrategy.random
            if let sn = m["strategy"], let str = y.string(sn, field + ".strategy") {
                guard let st = AttackStrategy(rawValue: str) else {
                    y.error(sn, field + ".strategy", "'\(str)' is not a strategy: expected random, degree, criticality or listed"); return nil
                }
                strategy = st
            }
            if strategy == .listed && (select?.ids.isEmpty ?? true) && !selectionFailed {
                y.error(m["select"] ?? n, field + ".select.ids", "strategy listed attacks the selection's ids in order: expected select.ids")
                return nil
            }
            let available = match?.assets.count ?? net.assets.count
            if !selectionFailed && count > available {
                y.error(cn, field + ".count", "expected at most \(available) (the assets in the selection), found \(count)")
                return nil
            }
            kind = .attack(count: count, strategy: strategy)
        default:
            guard let inode = m["intensity"] else {
                y.error(
                    n, field + ".intensity",
                    "missing key 'intensity': expected {value}, {table}, {polygons, property} or {centre, peak, decay_km|radius_km}")
                return nil
            }
            guard let intensity = parseIntensity(inode, field + ".intensity", net: net) else { return nil }
            var unc = Uncertainty()
            if let un = m["uncertainty"], let um = y.mapping(un, field + ".uncertainty", allowed: ["event_sigma", "zone_sigma"]) {
                if let v = um["event_sigma"], let x = y.number(v, field + ".uncertainty.event_sigma", min: 0, max: Bounds.dispersion) {
                    unc.eventSigma = x
                }
                if let v = um["zone_sigma"], let x = y.number(v, field + ".uncertainty.zone_sigma", min: 0, max: Bounds.dispersion) {
                    unc.zoneSigma = x
                }
            }
            kind = .hazard(name: type, intensity: intensity, uncertainty: unc)
        }
        if selectionFailed { return nil }
        var event = Event(kind: kind, select: select, match: match, startHours: start, line: y.line(n))
        if case .hazard(let hname, _, _) = kind {
            let reach = HazardField.reached(by: event, network: net)
            event.reach = reach
            checkReach(reach, hazard: hname, net: net, library: library, node: n, field: field)
        }
        return event
    }

    mutating func parseIntensity(_ n: Node, _ field: String, net: Network) -> IntensitySource? {
        guard let m = y.mapping(n, field, allowed: ["table", "polygons", "property", "centre", "peak", "decay_km", "radius_km", "value"]) else {
            return nil
        }
        let forms = [m["table"] != nil, m["polygons"] != nil, m["centre"] != nil, m["value"] != nil].filter { $0 }.count
        guard forms == 1 else {
            y.error(
                n, field,
                forms == 0
                    ? "expected one of {value}, {table}, {polygons, property}, {centre, peak, decay_km|radius_km}"
                    : "give only one of value, table, polygons, centre")
            return nil
        }
        func only(_ keys: [String]) -> Bool {
            for (k, v) in m where !keys.contains(k) {
                y.error(v, "\(field).\(k)", "'\(k)' does not go with \(keys[0]): expected only \(keys.joined(separator: ", "))")
                return false
            }
            return true
        }
        if let v = m["value"] {
            guard only(["value"]), let x = y.number(v, field + ".value", min: 0, max: Bounds.intensity) else { return nil }
            return .value(x)
        }
        if let t = m["table"] {
            guard only(["table"]), let rel = y.string(t, field + ".table") else { return nil }
            let p = Paths.resolve(rel, against: path)
            guard Paths.exists(p) else { y.error(t, field + ".table", "cannot read '\(p)': file not found"); return nil }
            return loadIntensityTable(p, net: net).map { .table(path: p, values: $0) }
        }
        if let pg = m["polygons"] {
            guard only(["polygons", "property"]), let rel = y.string(pg, field + ".polygons") else { return nil }
            guard let pn = m["property"], let prop = y.string(pn, field + ".property") else {
                if m["property"] == nil {
                    y.error(n, field + ".property", "missing key 'property': expected the GeoJSON property holding the intensity")
                }
                return nil
            }
            let p = Paths.resolve(rel, against: path)
            guard Paths.exists(p) else { y.error(pg, field + ".polygons", "cannot read '\(p)': file not found"); return nil }
            do {
                let (areas, warnings) = try GeoJSONLoader.load(path: p, property: prop, geographic: net.coordinates != .projected)
                for w in warnings { bag.warning(w.file, line: w.line, column: w.column, field: w.field, w.message) }
                return .polygons(path: p, property: prop, areas: areas)
            } catch {
                bag.append(contentsOf: error.diagnostics)
                return nil
            }
        }
        // footprint
        guard only(["centre", "peak", "decay_km", "radius_km"]) else { return nil }
        let cn = m["centre"]!
        guard let cm = y.mapping(cn, field + ".centre", allowed: ["lat", "lon", "x", "y"]) else { return nil }
        var centre: Point?
        if cm["lat"] != nil || cm["lon"] != nil {
            guard net.coordinates != .projected else {
                y.error(cn, field + ".centre", "the model uses x/y metres: expected centre {x, y}"); return nil
            }
            guard let la = cm["lat"], let lo = cm["lon"], cm["x"] == nil, cm["y"] == nil else {
                y.error(cn, field + ".centre", "expected {lat, lon} (or {x, y} for projected models)"); return nil
            }
            guard let lat = y.number(la, field + ".centre.lat", min: -90, max: 90),
                let lon = y.number(lo, field + ".centre.lon", min: -180, max: 180)
            else { return nil }
            centre = Point(x: lon, y: lat)
        } else {
            guard net.coordinates != .geographic else {
                y.error(cn, field + ".centre", "the model uses lat/lon: expected centre {lat, lon}"); return nil
            }
            guard let xn = cm["x"], let yn = cm["y"] else { y.error(cn, field + ".centre", "expected {lat, lon} or {x, y}"); return nil }
            guard let x = y.number(xn, field + ".centre.x"), let yv = y.number(yn, field + ".centre.y") else { return nil }
            centre = Point(x: x, y: yv)
        }
        guard let pk = m["peak"] else { y.error(n, field + ".peak", "missing key 'peak': expected the intensity at the centre"); return nil }
        guard let peak = y.number(pk, field + ".peak", min: 0, max: Bounds.intensity) else { return nil }
        let d = m["decay_km"], r = m["radius_km"]
        guard (d == nil) != (r == nil) else {
            y.error(n, field, d == nil ? "missing key: expected decay_km or radius_km" : "give decay_km or radius_km, not both")
            return nil
        }
        var decay: Double?, radius: Double?
        if let d { guard let x = y.number(d, field + ".decay_km", min: 0, minExclusive: true, max: Bounds.km) else { return nil }; decay = x }
        if let r { guard let x = y.number(r, field + ".radius_km", min: 0, minExclusive: true, max: Bounds.km) else { return nil }; radius = x }
        return .footprint(centre: centre!, peak: peak, decayKm: decay, radiusKm: radius)
    }

    /// Reads an intensity table (`id,intensity`).
    mutating func loadIntensityTable(_ p: String, net: Network) -> [(Element, Double)]? {
        let r: CSVReader
        do { r = try CSVReader(path: p) } catch { bag.append(contentsOf: error.diagnostics); return nil }
        var errors = DiagnosticBag()
        for d in r.duplicateHeaders { errors.error(p, line: 1, field: d, "column given more than once") }
        for (i, h) in r.header.enumerated() where !["id", "intensity"].contains(h.trimmingCharacters(in: .whitespaces)) {
            _ = i
            errors.error(p, line: 1, field: h, "unknown column '\(h)'; expected id,intensity")
        }
        guard let ic = r.column("id"), let vc = r.column("intensity") else {
            for c in ["id", "intensity"] where r.column(c) == nil { errors.error(p, line: 1, field: c, "missing required column '\(c)'") }
            bag.append(contentsOf: errors)
            return nil
        }
        var out: [(Element, Double)] = []
        var seen = Set<String>()
        while r.nextRow() {
            if r.fieldCount != r.header.count {
                errors.error(p, line: r.line, field: "", "expected \(r.header.count) fields as in the header, found \(r.fieldCount)"); continue
            }
            let id = r.string(ic)
            guard let el = net.element(id) else {
                errors.error(p, line: r.line, field: "id", "unknown id '\(id)': expected an asset or link id of the model"); continue
            }
            guard seen.insert(id).inserted else { errors.error(p, line: r.line, field: "id", "id '\(id)' listed more than once"); continue }
            switch r.number(vc) {
            case .value(let v) where v >= 0 && v <= Bounds.intensity: out.append((el, v))
            default: errors.error(p, line: r.line, field: "intensity", "expected a number from 0 to 10^6, found '\(r.string(vc))'")
            }
        }
        bag.append(contentsOf: errors)
        return errors.hasErrors ? nil : out
    }

    /// Every asset or link that a hazard reaches with intensity > 0 needs a fragility curve for it,
    /// except connectors (docs/specification.md section 11: no hazard reaches them).
    mutating func checkReach(
        _ reach: Reach, hazard: String, net: Network,
        library: FragilityLibrary, node: Node, field: String
    ) {
        var missing: [Int32: (count: Int, example: String)] = [:]
        let connector = net.kinds.code("connector") ?? -1
        func check(_ kind: Int32, _ override: Bool, _ id: () -> String) {
            if override || kind == connector { return }
            if library.damageCurve(kind: net.kinds[kind], hazard: hazard) != nil { return }
            if let m = missing[kind] { missing[kind] = (m.count + 1, m.example) } else { missing[kind] = (1, id()) }
        }
        let aOver = net.assets.common.fragility[hazard], lOver = net.links.common.fragility[hazard]
        for a in reach.assets {
            check(net.assets.common.kind[Int(a)], aOver.map { !$0.median[Int(a)].isNaN } ?? false) { net.assetId(a) }
        }
        for l in reach.links {
            check(net.links.common.kind[Int(l)], lOver.map { !$0.median[Int(l)].isNaN } ?? false) { net.linkId(l) }
        }
        for (kind, m) in missing.sorted(by: { net.kinds[$0.key] < net.kinds[$1.key] }) {
            y.error(
                node, field + ".type",
                "hazard '\(hazard)' reaches \(m.count) element(s) of kind '\(net.kinds[kind])' (e.g. '\(m.example)') with intensity > 0, and kind '\(net.kinds[kind])' has no \(hazard) fragility curve: add a row '\(net.kinds[kind]),\(hazard),median,beta,...' to a fragility library, give \(hazard)_median/\(hazard)_beta columns, or narrow 'select'"
            )
        }
    }

    // MARK: - mitigations

    /// In a static scenario, warns about an option whose actions act only in timed
    /// mode (backup hours, repair times, crews), or about those actions of a mixed option, and
    /// names the timed twin `<stem>-timed.yaml` when it exists beside the scenario.
    mutating func warnIfTimedOnly(_ option: Mitigation, _ node: Node, in scenario: inout Scenario) {
        guard scenario.simulation.mode == .static else { return }
        let timedOnly = option.actions.filter(\.actsOnlyInTimedMode)
        guard !timedOnly.isEmpty else { return }
        if scenario.timedTwin == nil {
            let stem = (path as NSString).deletingPathExtension
            let twin = stem + "-timed.yaml"
            if FileManager.default.fileExists(atPath: twin) { scenario.timedTwin = (twin as NSString).lastPathComponent }
        }
        let keys = Array(Set(timedOnly.map(\.key))).sorted().joined(separator: ", ")
        let twinText =
            scenario.timedTwin.map { "; run the timed twin \($0) to evaluate it" } ?? "; evaluate it in a scenario with simulation: {mode: timed}"
        if timedOnly.count == option.actions.count {
            y.warning(
                node, "mitigations.\(option.id)",
                "option '\(option.id)' acts only in timed mode (\(keys)): a static run treats backups as exhausted and repairs nothing, so it is not evaluated here\(twinText)"
            )
        } else {
            y.warning(
                node, "mitigations.\(option.id)",
                "option '\(option.id)': its \(keys) actions act only in timed mode and count for nothing in this static run\(twinText)")
        }
    }

    mutating func parseMitigation(_ n: Node, net: Network, resolver: SelectionResolver, events: [Event]) -> Mitigation? {
        guard let m = y.mapping(n, "mitigations", allowed: ["id", "cost", "lifetime_years", "annual_cost", "actions"]) else { return nil }
        guard let idn = m["id"] else { y.error(n, "mitigations.id", "missing key 'id'"); return nil }
        guard let id = y.name(idn, "mitigations.id", pattern: "[A-Za-z0-9._-]+", valid: NameRules.isName) else { return nil }
        let f = "mitigations[\(id)]"
        guard let cn = m["cost"] else { y.error(n, f + ".cost", "missing key 'cost': expected the cost in EUR"); return nil }
        guard let cost = y.number(cn, f + ".cost", min: 0, max: Bounds.money) else { return nil }
        var life = 30.0, annual = 0.0
        if let v = m["lifetime_years"] {
            guard let x = y.number(v, f + ".lifetime_years", min: 0, minExclusive: true, max: Bounds.years) else { return nil }; life = x
        }
        if let v = m["annual_cost"] { guard let x = y.number(v, f + ".annual_cost", min: 0, max: Bounds.money) else { return nil }; annual = x }
        guard let an = m["actions"] else { y.error(n, f + ".actions", "missing key 'actions': expected a list of actions"); return nil }
        guard let items = y.sequence(an, f + ".actions") else { return nil }
        if items.isEmpty { y.error(an, f + ".actions", "expected at least one action"); return nil }
        var actions: [MitigationAction] = []
        var ok = true
        for item in items {
            if let a = parseAction(item, f + ".actions", net: net, resolver: resolver, events: events) { actions.append(a) } else { ok = false }
        }
        return ok ? Mitigation(id: id, cost: cost, lifetimeYears: life, annualCost: annual, actions: actions) : nil
    }

    static let actionKeys = ["harden", "backup", "redundant_supply", "protect_zone", "faster_repair", "add_crews"]

    mutating func parseAction(_ n: Node, _ field: String, net: Network, resolver: SelectionResolver, events: [Event]) -> MitigationAction? {
        guard let outer = y.mapping(n, field, allowed: Self.actionKeys) else { return nil }
        guard outer.count == 1, let (key, body) = outer.first else {
            y.error(n, field, "an action is a map with exactly one key: \(Self.actionKeys.joined(separator: ", "))"); return nil
        }
        let f = field + "." + key
        func selection(_ m: [String: Node]) -> (Selection, SelectionMatch)? {
            guard let sn = m["select"] else { y.error(body, f + ".select", "missing key 'select'"); return nil }
            guard let s = parseSelection(sn, f + ".select"), let mt = resolve(s, sn, f + ".select", resolver: resolver) else { return nil }
            return (s, mt)
        }
        switch key {
        case "harden":
            guard let m = y.mapping(body, f, allowed: ["select", "median_factor", "undamageable"]) else { return nil }
            guard (m["median_factor"] == nil) != (m["undamageable"] == nil) else {
                y.error(body, f, "expected exactly one of median_factor or undamageable: true"); return nil
            }
            guard let (s, mt) = selection(m) else { return nil }
            if let v = m["median_factor"] {
                guard let x = y.number(v, f + ".median_factor", min: 0, minExclusive: true, max: Bounds.factor) else { return nil }
                return .harden(select: s, match: mt, medianFactor: x, undamageable: false)
            }
            guard let u = y.bool(m["undamageable"]!, f + ".undamageable") else { return nil }
            guard u else {
                y.error(m["undamageable"], f + ".undamageable", "undamageable: false changes nothing: expected true or median_factor"); return nil
            }
            return .harden(select: s, match: mt, medianFactor: nil, undamageable: true)
        case "backup":
            guard let m = y.mapping(body, f, allowed: ["select", "group", "hours"]) else { return nil }
            guard let gn = m["group"], let group = y.string(gn, f + ".group") else {
                if m["group"] == nil { y.error(body, f + ".group", "missing key 'group': expected the requirement's group (e.g. power)") }
                return nil
            }
            guard let hn = m["hours"] else { y.error(body, f + ".hours", "missing key 'hours'"); return nil }
            guard let hours = y.number(hn, f + ".hours", min: 0, max: Bounds.duration), let (s, mt) = selection(m) else { return nil }
            guard let g = net.groups.code(group) else {
                y.error(gn, f + ".group", "unknown group '\(group)': expected one of \(net.groups.names.joined(separator: ", "))"); return nil
            }
            let consumers = Set(mt.assets)
            let d = net.dependencies
            if !(0..<d.count).contains(where: { d.group[$0] == g && consumers.contains(d.consumer[$0]) }) {
                y.error(gn, f + ".group", "no selected asset has a requirement in group '\(group)': the backup would change nothing"); return nil
            }
            return .backup(select: s, match: mt, group: group, hours: hours)
        case "redundant_supply":
            guard let m = y.mapping(body, f, allowed: ["consumer", "provider", "group", "need", "link"]) else { return nil }
            if let ln = m["link"] {
                guard m.count == 1 else { y.error(body, f, "give either link or consumer/provider, not both"); return nil }
                guard let lm = y.mapping(ln, f + ".link", allowed: ["id", "sector", "from", "to", "kind"]) else { return nil }
                var vals: [String: String] = [:]
                for k in ["id", "sector", "from", "to", "kind"] {
                    guard let v = lm[k] else { y.error(ln, "\(f).link.\(k)", "missing key '\(k)'"); return nil }
                    guard let s = y.string(v, "\(f).link.\(k)") else { return nil }
                    vals[k] = s
                }
                guard NameRules.isName(vals["kind"]!) else {
                    y.error(lm["kind"], f + ".link.kind", "'\(vals["kind"]!)' is not a kind: expected [A-Za-z0-9._-]+"); return nil
                }
                if net.element(vals["id"]!) != nil {
                    y.error(lm["id"], f + ".link.id", "id '\(vals["id"]!)' is already used in the model: expected a new link id"); return nil
                }
                guard NameRules.isId(vals["id"]!) else { y.error(lm["id"], f + ".link.id", "'\(vals["id"]!)' is not a valid id"); return nil }
                guard let sc = net.sectors.code(vals["sector"]!) else {
                    y.error(lm["sector"], f + ".link.sector", "unknown sector '\(vals["sector"]!)'"); return nil
                }
                for k in ["from", "to"] {
                    guard case .asset(let a)? = net.element(vals[k]!) else {
                        y.error(lm[k], "\(f).link.\(k)", "unknown asset '\(vals[k]!)'"); return nil
                    }
                    if net.assets.common.sector[Int(a)] != sc {
                        y.error(
                            lm[k], "\(f).link.\(k)",
                            "asset '\(vals[k]!)' is in sector \(net.sectors[net.assets.common.sector[Int(a)]]), not \(vals["sector"]!)");
                        return nil
                    }
                }
                return .redundantLink(id: vals["id"]!, sector: vals["sector"]!, from: vals["from"]!, to: vals["to"]!, kind: vals["kind"]!)
            }
            guard let cn = m["consumer"], let pn = m["provider"] else {
                y.error(body, f, "expected consumer and provider (a dependency row) or link"); return nil
            }
            guard let c = y.string(cn, f + ".consumer"), let p = y.string(pn, f + ".provider") else { return nil }
            guard case .asset(let ca)? = net.element(c) else { y.error(cn, f + ".consumer", "unknown asset '\(c)'"); return nil }
            guard case .asset(let pa)? = net.element(p) else { y.error(pn, f + ".provider", "unknown asset '\(p)'"); return nil }
            if ca == pa { y.error(pn, f + ".provider", "self-dependency: '\(c)' cannot be its own provider"); return nil }
            var group = net.sectors[net.assets.common.sector[Int(pa)]]
            if let gn = m["group"] {
                guard let g = y.name(gn, f + ".group", pattern: "[A-Za-z0-9._-]+", valid: NameRules.isName) else { return nil }
                group = g
            }
            var need = Need.any
            var needGiven = false
            if let nn = m["need"] {
                guard let s = y.string(nn, f + ".need"), let nv = Need(name: s) else {
                    y.error(nn, f + ".need", "expected any, all or a whole number from 1 to 2147483647"); return nil
                }
                need = nv
                needGiven = true
            }
            // the new row joins an existing requirement (consumer, group): same need, no duplicate
            if let g = net.groups.code(group) {
                let d = net.dependencies
                for r in 0..<d.count where d.consumer[r] == ca && d.group[r] == g {
                    if d.provider[r] == pa {
                        y.error(
                            pn, f + ".provider",
                            "'\(p)' already provides group '\(group)' to '\(c)' (\(net.files[Int(d.source[r].file)]):\(d.source[r].line)): the action would change nothing"
                        )
                        return nil
                    }
                    if needGiven && d.need[r] != need {
                        y.error(
                            m["need"], f + ".need",
                            "need '\(need)' disagrees with '\(d.need[r])' of the requirement ('\(c)', group \(group)) at \(net.files[Int(d.source[r].file)]):\(d.source[r].line)"
                        )
                        return nil
                    }
                    need = d.need[r]
                }
            }
            return .redundantDependency(consumer: c, provider: p, group: group, need: need)
        case "protect_zone":
            guard let m = y.mapping(body, f, allowed: ["zone", "hazard", "reduce_by", "factor"]) else { return nil }
            guard let zn = m["zone"], let zone = y.string(zn, f + ".zone") else {
                if m["zone"] == nil { y.error(body, f + ".zone", "missing key 'zone'") }; return nil
            }
            guard let hn = m["hazard"], let hazard = y.string(hn, f + ".hazard") else {
                if m["hazard"] == nil { y.error(body, f + ".hazard", "missing key 'hazard'") }; return nil
            }
            guard net.zones.code(zone) != nil else {
                y.error(zn, f + ".zone", "unknown zone '\(zone)': expected one of \(net.zones.names.joined(separator: ", "))"); return nil
            }
            let hazards = Set(events.compactMap { if case .hazard(let h, _, _) = $0.kind { return h } else { return nil } })
            guard hazards.contains(hazard) else {
                y.error(
                    hn, f + ".hazard",
                    "no event of this scenario is a '\(hazard)' hazard (\(hazards.isEmpty ? "it has none" : "it has \(hazards.sorted().joined(separator: ", "))")): the action would change nothing"
                )
                return nil
            }
            guard (m["reduce_by"] == nil) != (m["factor"] == nil) else { y.error(body, f, "expected exactly one of reduce_by or factor"); return nil }
            if let v = m["reduce_by"] {
                guard let x = y.number(v, f + ".reduce_by", min: 0, max: Bounds.intensity) else { return nil }
                return .protectZone(zone: zone, hazard: hazard, reduceBy: x, factor: nil)
            }
            guard let x = y.number(m["factor"]!, f + ".factor", min: 0, max: 1) else { return nil }
            return .protectZone(zone: zone, hazard: hazard, reduceBy: nil, factor: x)
        case "faster_repair":
            guard let m = y.mapping(body, f, allowed: ["select", "factor"]) else { return nil }
            guard let fn = m["factor"] else { y.error(body, f + ".factor", "missing key 'factor'"); return nil }
            guard let x = y.number(fn, f + ".factor", min: 0, minExclusive: true, max: Bounds.factor), let (s, mt) = selection(m) else { return nil }
            return .fasterRepair(select: s, match: mt, factor: x)
        default: // add_crews
            guard let m = y.mapping(body, f, allowed: ["owner", "count"]) else { return nil }
            guard let on = m["owner"], let owner = y.string(on, f + ".owner") else {
                if m["owner"] == nil { y.error(body, f + ".owner", "missing key 'owner'") }; return nil
            }
            guard let cn = m["count"] else { y.error(body, f + ".count", "missing key 'count'"); return nil }
            guard let count = y.integer(cn, f + ".count", min: 1, max: Bounds.crews) else { return nil }
            guard net.owners.code(owner) != nil else {
                y.error(on, f + ".owner", "unknown owner '\(owner)': expected one of \(net.owners.names.joined(separator: ", "))"); return nil
            }
            return .addCrews(owner: owner, count: count)
        }
    }
}

extension YAMLReader {
    /// A single path or a list of paths, each with its node.
    mutating func stringListNodes(_ n: Node, _ field: String) -> [(Node, String)]? {
        switch n {
        case .scalar: return string(n, field).map { [(n, $0)] }
        case .sequence(let s):
            var out: [(Node, String)] = []
            for item in s { if let v = string(item, field) { out.append((item, v)) } }
            return out
        default:
            error(n, field, "expected a path or a list of paths, found \(Self.describe(n))")
            return nil
        }
    }
}
