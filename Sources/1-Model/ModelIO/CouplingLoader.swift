import Foundation
import InfraModel
import Yams

/// A `COUPLE.yaml` file (docs/specification.md section 11): models included under prefixes and the rules that
/// write dependency rows between them. Loaded by `CouplingLoader`; run by `Importers.Coupler`.
public struct CouplingSpec: Sendable {
    /// One included model.
    public struct Include: Sendable {
        /// The path as written, and resolved against the COUPLE.yaml folder.
        public var path: String
        public var resolvedPath: String
        public var prefix: String
        /// The name rules use for it: the prefix without its trailing separator (`lv/` → `lv`).
        public var model: String
        public var line: Int
    }
    /// Which assets of one included model a rule takes.
    public struct Selector: Sendable {
        public var model: String
        public var sectors: [String]?
        public var kinds: [String]?
        public var roles: [String]?
        public var line: Int
    }
    /// The dependency rows a rule writes.
    public struct Dependency: Sendable {
        public var type: String = "physical"
        /// nil: the provider's sector (docs/specification.md section 2).
        public var group: String?
        /// `any`, `all` or an integer k ≥ 1, as written in dependencies.csv.
        public var need: String = "any"
        public var backupHours: Double = 0
    }
    public enum Rule: Sendable {
        /// Each consumer depends on its k nearest providers within `maxKm`.
        case nearest(
            id: String, consumers: Selector, providers: Selector, k: Int, maxKm: Double,
            dependency: Dependency, required: Bool, line: Int)
        /// Rows listed in a CSV file: `consumer,provider[,need,backup_hours,type,group]` (prefixed ids).
        case table(id: String, path: String, resolvedPath: String, required: Bool, line: Int)

        public var id: String {
            switch self {
            case .nearest(let id, _, _, _, _, _, _, _), .table(let id, _, _, _, _): return id
            }
        }
    }

    public var file: String
    public var name: String
    public var includes: [Include] = []
    public var rules: [Rule] = []
}

/// Reads a `COUPLE.yaml`; every problem is a diagnostic with file, line, column and key path.
public enum CouplingLoader {
    static let topKeys = ["format", "name", "include", "couplings"]
    static let ruleKeys = ["id", "consumers", "providers", "nearest", "dependency", "required", "table"]
    static let selectorKeys = ["model", "sector", "kind", "role"]
    static let dependencyKeys = ["type", "group", "need", "backup_hours"]

    public static func load(path: String) throws(InputError) -> CouplingSpec {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw InputError(file: path, "cannot read the file (missing, not readable or not UTF-8)")
        }
        var y = YAMLReader(file: path)
        guard let root = y.compose(text) else {
            // found by the couple fuzz target: an empty file gave exit 2 with no message
            if !y.bag.hasErrors { y.error(nil, "", "the file is empty: expected a map with keys name, include, couplings") }
            throw InputError(y.bag)
        }
        let base = URL(fileURLWithPath: path).deletingLastPathComponent()
        var spec = CouplingSpec(file: path, name: "")
        guard let top = y.mapping(root, "", allowed: topKeys) else { throw InputError(y.bag) }
        if let f = top["format"], let v = y.integer(f, "format"), v != 1 {
            y.error(f, "format", "format \(v) is not known: expected 1")
        }
        if let n = top["name"] {
            spec.name = y.name(n, "name", pattern: "[A-Za-z0-9._-]+") { NameRules.isName($0) } ?? ""
        } else {
            y.error(root, "name", "missing key 'name': expected the coupled model's name")
        }
        var models: [String: Int] = [:]
        if let inc = top["include"], let list = y.sequence(inc, "include") {
            for (i, item) in list.enumerated() {
                let f = "include[\(i)]"
                guard let m = y.mapping(item, f, allowed: ["path", "prefix"]) else { continue }
                guard let pn = m["path"], let p = y.string(pn, f + ".path") else {
                    if m["path"] == nil { y.error(item, f + ".path", "missing key 'path': expected a model's network.yaml") }
                    continue
                }
                guard let xn = m["prefix"], let prefix = y.string(xn, f + ".prefix") else {
                    if m["prefix"] == nil { y.error(item, f + ".prefix", "missing key 'prefix': expected e.g. \"lv/\"") }
                    continue
                }
                var model = Substring(prefix)
                while let l = model.last, "/:._-".contains(l) { model = model.dropLast() }
                guard !model.isEmpty else { y.error(xn, f + ".prefix", "'\(prefix)' names no model: expected a word such as \"lv/\""); continue }
                if let other = models[String(model)] {
                    y.error(xn, f + ".prefix", "model '\(model)' is included twice (also include[\(other)])"); continue
                }
                models[String(model)] = i
                var resolved = base.appendingPathComponent(p).standardizedFileURL.path
                if p.hasPrefix("/") { resolved = URL(fileURLWithPath: p).standardizedFileURL.path }
                spec.includes.append(.init(path: p, resolvedPath: resolved, prefix: prefix, model: String(model), line: y.line(item)))
            }
        } else if top["include"] == nil {
            y.error(root, "include", "missing key 'include': expected the models to couple")
        }
        var ruleIds = Set<String>()
        if let cs = top["couplings"], let list = y.sequence(cs, "couplings") {
            for (i, item) in list.enumerated() {
                let f = "couplings[\(i)]"
                guard let m = y.mapping(item, f, allowed: ruleKeys) else { continue }
                guard let idn = m["id"], let id = y.name(idn, f + ".id", pattern: "[A-Za-z0-9._-]+", valid: NameRules.isName) else {
                    if m["id"] == nil { y.error(item, f + ".id", "missing key 'id': expected a name for the rule") }
                    continue
                }
                if !ruleIds.insert(id).inserted { y.error(idn, f + ".id", "rule '\(id)' is defined twice"); continue }
                let required = m["required"].flatMap { y.bool($0, f + ".required") } ?? false
                if let tn = m["table"] {
                    for k in ["consumers", "providers", "nearest", "dependency"] where m[k] != nil {
                        y.error(m[k], f + "." + k, "a rule with 'table' takes its rows from the table: remove '\(k)'")
                    }
                    guard let t = y.string(tn, f + ".table") else { continue }
                    let resolved = base.appendingPathComponent(t).standardizedFileURL.path
                    spec.rules.append(.table(id: id, path: t, resolvedPath: resolved, required: required, line: y.line(item)))
                    continue
                }
                func selector(_ key: String) -> CouplingSpec.Selector? {
                    guard let n = m[key] else {
                        y.error(item, f + "." + key, "missing key '\(key)': expected {model: …, sector: …, kind: …}"); return nil
                    }
                    guard let s = y.mapping(n, f + "." + key, allowed: selectorKeys) else { return nil }
                    guard let mn = s["model"], let model = y.string(mn, f + "." + key + ".model") else {
                        if s["model"] == nil {
                            y.error(
                                n, f + "." + key + ".model",
                                "missing key 'model': expected one of \(spec.includes.map(\.model).joined(separator: ", "))")
                        }
                        return nil
                    }
                    if models[model] == nil {
                        y.error(
                            mn, f + "." + key + ".model",
                            "'\(model)' is not an included model: expected one of \(spec.includes.map(\.model).joined(separator: ", "))")
                        return nil
                    }
                    return .init(
                        model: model, sectors: s["sector"].flatMap { y.stringList($0, f + "." + key + ".sector") },
                        kinds: s["kind"].flatMap { y.stringList($0, f + "." + key + ".kind") },
                        roles: s["role"].flatMap { y.stringList($0, f + "." + key + ".role") }, line: y.line(n))
                }
                let cons = selector("consumers"), prov = selector("providers")
                var k = 1, maxKm = 0.0
                if let nn = m["nearest"], let near = y.mapping(nn, f + ".nearest", allowed: ["k", "max_km"]) {
                    if let kn = near["k"] { k = y.integer(kn, f + ".nearest.k", min: 1, max: 1000) ?? 1 }
                    if let dn = near["max_km"] {
                        maxKm = y.number(dn, f + ".nearest.max_km", min: 0, minExclusive: true, max: Bounds.km) ?? 0
                    } else {
                        y.error(nn, f + ".nearest.max_km", "missing key 'max_km': expected the largest distance in km at which a provider may serve")
                    }
                } else if m["nearest"] == nil {
                    y.error(item, f + ".nearest", "missing key 'nearest': expected {k: 1, max_km: …} (or give 'table')")
                }
                var dep = CouplingSpec.Dependency()
                if let dn = m["dependency"], let d = y.mapping(dn, f + ".dependency", allowed: dependencyKeys) {
                    if let t = d["type"], let s = y.string(t, f + ".dependency.type") {
                        if ["physical", "cyber", "geographic", "logical"].contains(s) {
                            dep.type = s
                        } else {
                            y.error(t, f + ".dependency.type", "'\(s)' is not a dependency type: expected physical, cyber, geographic or logical")
                        }
                    }
                    if let g = d["group"] { dep.group = y.name(g, f + ".dependency.group", pattern: "[A-Za-z0-9._-]+", valid: NameRules.isName) }
                    if let nd = d["need"], let s = y.string(nd, f + ".dependency.need") {
                        if Need(name: s) != nil {
                            dep.need = s
                        } else {
                            y.error(nd, f + ".dependency.need", "'\(s)' is not a need: expected any, all or a whole number from 1 to 2147483647")
                        }
                    }
                    if let b = d["backup_hours"] { dep.backupHours = y.number(b, f + ".dependency.backup_hours", min: 0, max: Bounds.duration) ?? 0 }
                }
                if let c = cons, let p = prov {
                    spec.rules.append(
                        .nearest(
                            id: id, consumers: c, providers: p, k: k, maxKm: maxKm, dependency: dep,
                            required: required, line: y.line(item)))
                }
            }
        }
        if y.bag.hasErrors { throw InputError(y.bag) }
        return spec
    }
}
