import Foundation
import InfraModel
import ModelIO
import ResultFiles

/// `kaskada couple`: joins models into one interdependent model (docs/specification.md section 11). Each
/// model is included under its prefix; each rule writes dependency rows: the k nearest providers
/// within `max_km` (great-circle distance; ties to the smaller id in byte order), or rows listed
/// in a table. The output folder holds `network.yaml` (the includes, with paths relative to it),
/// an empty `assets.csv`, `dependencies.csv` and `coupling-report.csv` (`rule,consumer,provider,
/// distance_km`; a consumer no provider matched has an empty provider).
///
/// Nearest search: providers in a uniform grid of `max_km` cells on an equirectangular
/// projection around their mean latitude; each consumer looks at the cells within reach and
/// measures candidates exactly. O((C + P) + C × candidates) per rule.
public enum Coupler {
    /// One dependency row written by a rule.
    public struct Row: Sendable, Equatable {
        public var rule: String
        public var consumer: String
        public var provider: String
        public var type: String
        public var group: String
        public var need: String
        public var backupHours: Double
        public var distanceKm: Double?
    }

    public struct Result: Sendable {
        public var rows: [Row] = []
        /// (rule, consumer) pairs that no provider matched, in rule and consumer order.
        public var unmatched: [(rule: String, consumer: String)] = []
        public var warnings: [String] = []
    }

    /// A loaded included model and the coordinates of its assets (lat, lon; NaN when absent).
    struct Part {
        var include: CouplingSpec.Include
        var net: Network
        var sectorOf: [String]
        var ids: [String]
    }

    public static func couple(_ spec: CouplingSpec) throws(InputError) -> Result {
        var parts: [String: Part] = [:]
        var bag = DiagnosticBag()
        for inc in spec.includes {
            let net: Network
            do { net = try NetworkLoader.load(path: inc.resolvedPath).network } catch {
                bag.append(contentsOf: error.diagnostics)
                continue
            }
            let ids = (0..<net.assets.count).map { inc.prefix + net.assetId(Int32($0)) }
            parts[inc.model] = Part(include: inc, net: net, sectorOf: net.sectors.names, ids: ids)
        }
        if bag.hasErrors { throw InputError(bag) }
        var result = Result()
        var seenTriple: [String: String] = [:] // consumer|provider|group -> rule
        var requirement: [String: (need: String, backup: Double, rule: String)] = [:] // consumer|group
        func add(_ r: Row, line: Int) {
            let triple = r.consumer + "|" + r.provider + "|" + r.group
            if let other = seenTriple[triple] {
                bag.error(
                    spec.file, line: line, field: "couplings",
                    "rule '\(r.rule)' writes \(r.consumer) → \(r.provider) (group \(r.group)), which rule '\(other)' already wrote")
                return
            }
            let key = r.consumer + "|" + r.group
            if let q = requirement[key], q.need != r.need || q.backup != r.backupHours {
                bag.error(
                    spec.file, line: line, field: "couplings",
                    "rule '\(r.rule)' gives \(r.consumer)'s \(r.group) requirement need \(r.need), backup_hours \(JSON.number(r.backupHours)); rule '\(q.rule)' gave need \(q.need), backup_hours \(JSON.number(q.backup)): one requirement has one need and one backup"
                )
                return
            }
            requirement[key] = (r.need, r.backupHours, r.rule)
            seenTriple[triple] = r.rule
            result.rows.append(r)
        }
        for rule in spec.rules {
            switch rule {
            case let .nearest(id, cs, ps, k, maxKm, dep, required, line):
                guard let cp = parts[cs.model], let pp = parts[ps.model] else { continue }
                for (p, what) in [(cp, "consumers"), (pp, "providers")] where p.net.coordinates != .geographic {
                    bag.error(
                        spec.file, line: line, field: "couplings[\(id)].\(what)",
                        "model '\(p.include.model)' has no lat/lon coordinates: a nearest rule needs them (give a table rule instead)")
                }
                if bag.hasErrors { continue }
                let consumers = select(cs, cp), providers = select(ps, pp)
                if providers.isEmpty {
                    bag.error(spec.file, line: ps.line, field: "couplings[\(id)].providers", "selects no asset of model '\(ps.model)'")
                    continue
                }
                if consumers.isEmpty { result.warnings.append("rule '\(id)': its consumers select no asset of model '\(cs.model)'") }
                let index = NearestIndex(
                    lat: providers.map { pp.net.assets.common.y[$0] }, lon: providers.map { pp.net.assets.common.x[$0] },
                    cellKm: maxKm)
                var unmatched: [String] = []
                for c in consumers {
                    let lat = cp.net.assets.common.y[c], lon = cp.net.assets.common.x[c]
                    let cid = cp.ids[c]
                    var found: [(d: Double, id: String, p: Int)] = []
                    if lat.isFinite && lon.isFinite {
                        index.within(lat: lat, lon: lon, km: maxKm) { j, d in
                            let p = providers[j]
                            let pid = pp.ids[p]
                            if pid != cid { found.append((d, pid, p)) }
                        }
                    }
                    found.sort { $0.d != $1.d ? $0.d < $1.d : Array($0.id.utf8).lexicographicallyPrecedes(Array($1.id.utf8)) }
                    if found.isEmpty {
                        unmatched.append(cid)
                        result.unmatched.append((id, cid))
                        continue
                    }
                    if found.count < k {
                        result.warnings.append("rule '\(id)': \(cid) has \(found.count) of its \(k) providers within \(JSON.number(maxKm)) km")
                    }
                    for f in found.prefix(k) {
                        let group = dep.group ?? pp.sectorOf[Int(pp.net.assets.common.sector[f.p])]
                        add(
                            Row(
                                rule: id, consumer: cid, provider: f.id, type: dep.type, group: group, need: dep.need,
                                backupHours: dep.backupHours, distanceKm: f.d), line: line)
                    }
                }
                if !unmatched.isEmpty {
                    let msg =
                        "rule '\(id)': \(unmatched.count) consumer(s) with no provider within \(JSON.number(maxKm)) km: "
                        + unmatched.prefix(10).joined(separator: ", ") + (unmatched.count > 10 ? ", … (all in coupling-report.csv)" : "")
                    if required {
                        bag.error(spec.file, line: line, field: "couplings[\(id)]", msg + " (required: true)")
                    } else {
                        result.warnings.append(msg)
                    }
                }
            case let .table(id, _, resolved, _, _):
                var tableBag = DiagnosticBag()
                let rows = readTable(id: id, path: resolved, parts: parts, bag: &tableBag)
                bag.append(contentsOf: tableBag)
                for (row, line) in rows { add(row, line: line) }
            }
        }
        if bag.hasErrors { throw InputError(bag) }
        return result
    }

    /// Asset indices of `p` that `s` selects, in table order.
    static func select(_ s: CouplingSpec.Selector, _ p: Part) -> [Int] {
        let c = p.net.assets.common
        return (0..<p.net.assets.count).filter { i in
            if let ss = s.sectors, !ss.contains(p.sectorOf[Int(c.sector[i])]) { return false }
            if let ks = s.kinds, !ks.contains(p.net.kinds[c.kind[i]]) { return false }
            if let rs = s.roles, !rs.contains(String(describing: p.net.assets.role[i])) { return false }
            return true
        }
    }

    /// Rows of a table rule: `consumer,provider[,need,backup_hours,type,group]`, ids with prefixes.
    static func readTable(id: String, path: String, parts: [String: Part], bag: inout DiagnosticBag) -> [(Row, Int)] {
        var out: [(Row, Int)] = []
        var where_: [String: (Part, Int)] = [:]
        for p in parts.values { for (i, pid) in p.ids.enumerated() { where_[pid] = (p, i) } }
        let r: CSVReader
        do { r = try CSVReader(path: path) } catch { bag.append(contentsOf: error.diagnostics); return [] }
        let known = ["consumer", "provider", "need", "backup_hours", "type", "group"]
        for h in r.header where !known.contains(h) {
            bag.error(path, line: 1, field: h, "unknown column '\(h)'; expected \(known.joined(separator: ","))")
        }
        guard let ci = r.column("consumer"), let pi = r.column("provider") else {
            bag.error(path, line: 1, field: "consumer", "expected the columns consumer,provider[,need,backup_hours,type,group]")
            return []
        }
        let ni = r.column("need"), bi = r.column("backup_hours"), ti = r.column("type"), gi = r.column("group")
        while r.nextRow() {
            let c = r.string(ci), p = r.string(pi)
            guard let (cp, cidx) = where_[c] else {
                bag.error(path, line: r.line, field: "consumer", "unknown id '\(c)': expected an asset id of an included model, with its prefix");
                continue
            }
            guard let (pp, pidx) = where_[p] else {
                bag.error(path, line: r.line, field: "provider", "unknown id '\(p)': expected an asset id of an included model, with its prefix");
                continue
            }
            if c == p { bag.error(path, line: r.line, field: "provider", "'\(p)' would be its own provider"); continue }
            let need = ni.map { r.string($0) }.flatMap { $0.isEmpty ? nil : $0 } ?? "any"
            if Need(name: need) == nil {
                bag.error(path, line: r.line, field: "need", "'\(need)' is not a need: expected any, all or a whole number from 1 to 2147483647");
                continue
            }
            var backup = 0.0
            if let b = bi, !r.string(b).isEmpty {
                guard let v = Double(r.string(b)), v.isFinite, v >= 0 else {
                    bag.error(path, line: r.line, field: "backup_hours", "expected a number ≥ 0, found '\(r.string(b))'"); continue
                }
                backup = v
            }
            let type = ti.map { r.string($0) }.flatMap { $0.isEmpty ? nil : $0 } ?? "physical"
            if !["physical", "cyber", "geographic", "logical"].contains(type) {
                bag.error(path, line: r.line, field: "type", "'\(type)' is not a dependency type: expected physical, cyber, geographic or logical");
                continue
            }
            let group = gi.map { r.string($0) }.flatMap { $0.isEmpty ? nil : $0 } ?? pp.sectorOf[Int(pp.net.assets.common.sector[pidx])]
            var d: Double?
            let (la, lo) = (cp.net.assets.common.y[cidx], cp.net.assets.common.x[cidx])
            let (pa, po) = (pp.net.assets.common.y[pidx], pp.net.assets.common.x[pidx])
            if cp.net.coordinates == .geographic && pp.net.coordinates == .geographic && la.isFinite && pa.isFinite {
                d = TntpImporter.greatCircleKm((la, lo), (pa, po))
            }
            out.append((Row(rule: id, consumer: c, provider: p, type: type, group: group, need: need, backupHours: backup, distanceKm: d), r.line))
        }
        return out
    }

    /// Writes the coupled model folder (replaced atomically, loaded back before it replaces `dir`).
    @discardableResult
    public static func write(_ spec: CouplingSpec, _ r: Result, inputSHA256: String, to dir: String) throws -> [Diagnostic] {
        let target = URL(fileURLWithPath: dir).standardizedFileURL
        var yaml = "# Coupled by kaskada couple from \((spec.file as NSString).lastPathComponent) (sha256 \(inputSHA256))\n"
        yaml += "# rows and distances: coupling-report.csv\nformat: 1\nname: \(spec.name)\nassets: assets.csv\n"
        if !r.rows.isEmpty { yaml += "dependencies: dependencies.csv\n" }
        yaml += "include:\n"
        for inc in spec.includes {
            yaml += "  - {path: \"\(relativePath(from: target, to: URL(fileURLWithPath: inc.resolvedPath)))\", prefix: \"\(inc.prefix)\"}\n"
        }
        var deps = "consumer,provider,type,group,need,backup_hours\n"
        var report = "rule,consumer,provider,distance_km\n"
        for row in r.rows {
            deps += "\(row.consumer),\(row.provider),\(row.type),\(row.group),\(row.need),\(JSON.number(row.backupHours))\n"
        }
        // per rule, in the file's order: its rows, then its unmatched consumers (no provider)
        for rule in spec.rules {
            for row in r.rows where row.rule == rule.id {
                report += "\(row.rule),\(row.consumer),\(row.provider),\(row.distanceKm.map { NumberText.fixed($0, 4) } ?? "")\n"
            }
            for u in r.unmatched where u.rule == rule.id { report += "\(u.rule),\(u.consumer),,\n" }
        }
        var warnings: [Diagnostic] = []
        try AtomicFolder.replace(dir) { staging in
            try Data(yaml.utf8).write(to: staging.appendingPathComponent("network.yaml"))
            try Data("id,sector,kind\n".utf8).write(to: staging.appendingPathComponent("assets.csv"))
            if !r.rows.isEmpty { try Data(deps.utf8).write(to: staging.appendingPathComponent("dependencies.csv")) }
            try Data(report.utf8).write(to: staging.appendingPathComponent("coupling-report.csv"))
            do {
                warnings = try NetworkLoader.load(path: staging.appendingPathComponent("network.yaml").path).warnings.map {
                    var d = $0
                    d.file = d.file.replacingOccurrences(of: staging.path, with: dir)
                    return d
                }
            } catch let e as InputError {
                throw ModelFolderWriter.Unloadable(diagnostics: e.diagnostics.report().map { $0.replacingOccurrences(of: staging.path, with: dir) })
            }
        }
        return warnings
    }

    /// The path of `to` relative to folder `from` (both absolute).
    static func relativePath(from: URL, to: URL) -> String {
        let a = from.standardizedFileURL.pathComponents, b = to.standardizedFileURL.pathComponents
        var i = 0
        while i < a.count && i < b.count && a[i] == b[i] { i += 1 }
        return (Array(repeating: "..", count: a.count - i) + b[i...]).joined(separator: "/")
    }
}

/// Points in a uniform grid for radius queries (equirectangular km around the mean latitude).
struct NearestIndex {
    let lat: [Double], lon: [Double]
    let kx: Double, ky = 110.574, cell: Double
    var cells: [Int64: [Int32]] = [:]

    init(lat: [Double], lon: [Double], cellKm: Double) {
        self.lat = lat
        self.lon = lon
        let finite = lat.filter(\.isFinite)
        let lat0 = finite.isEmpty ? 0 : finite.reduce(0, +) / Double(finite.count)
        kx = 111.320 * cos(lat0 * .pi / 180)
        // cells a bit wider than the radius: a query looks at its cell and the eight around it
        cell = max(cellKm * 1.25, 1e-6)
        for i in lat.indices where lat[i].isFinite && lon[i].isFinite {
            cells[key(Int64((lon[i] * kx / cell).rounded(.down)), Int64((lat[i] * ky / cell).rounded(.down))), default: []].append(Int32(i))
        }
    }

    func key(_ x: Int64, _ y: Int64) -> Int64 { x &* 73_856_093 ^ y &* 19_349_663 }

    /// Calls `body(index, km)` for every point within `km` (great-circle) of (lat, lon).
    func within(lat la: Double, lon lo: Double, km: Double, _ body: (Int, Double) -> Void) {
        // candidates from the cells in reach (10% margin), an equirectangular prefilter (20%),
        // then the exact haversine distance
        // a point km away lies km / kxHere degrees of longitude off, i.e. km × kx / kxHere in
        // grid units: the reach in x follows the query's latitude
        let kxHere = max(111.320 * cos(la * .pi / 180), 1e-9)
        let reachX = Int64((km * 1.1 * kx / kxHere / cell).rounded(.up)), reachY = Int64((km * 1.1 / cell).rounded(.up))
        let cx = Int64((lo * kx / cell).rounded(.down)), cy = Int64((la * ky / cell).rounded(.down))
        let limit = (km * 1.2) * (km * 1.2)
        var seen = Set<Int64>()
        for dx in -reachX...reachX {
            for dy in -reachY...reachY {
                let k = key(cx + dx, cy + dy)
                guard seen.insert(k).inserted, let pts = cells[k] else { continue }
                for j in pts {
                    let i = Int(j)
                    let ex = (lon[i] - lo) * kxHere, ey = (lat[i] - la) * ky
                    if ex * ex + ey * ey > limit { continue }
                    let d = TntpImporter.greatCircleKm((la, lo), (lat[i], lon[i]))
                    if d <= km { body(i, d) }
                }
            }
        }
    }
}
