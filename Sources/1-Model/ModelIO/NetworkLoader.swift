import CPrefetch
import Foundation
import InfraModel
import Yams

/// Loads a model folder (`network.yaml` and its CSV tables, with includes) into a `Network`.
///
/// Every problem is reported as a diagnostic naming file, line, field and what was expected;
/// on any error no model is returned (never a partial model). Included models are loaded in
/// place under their prefix, so a 1,000,000-asset table is read once and never copied.
///
/// - Complexity: O(total bytes of the tables + dependencies × log dependencies).
public enum NetworkLoader {
    /// Loads the model whose description is `path` (a `network.yaml`, or a folder holding one).
    /// - Returns: the network and the warnings found.
    /// - Throws: `InputError` with every error found (up to 50 per file).
    public static func load(path: String) throws(InputError) -> (network: Network, warnings: [Diagnostic]) {
        var p = path
        var isDir = false
        #if canImport(Foundation)
            isDir = FileChecks.isDirectory(p)
        #endif
        if isDir { p = Paths.normalise(p + "/network.yaml") }
        let b = NetworkBuilder()
        b.loadModel(path: p, prefix: "", stack: [], includeNode: nil, includeFile: nil)
        b.finish()
        if b.bag.hasErrors { throw InputError(b.bag) }
        var net = Network(name: "")
        swap(&net, &b.net)
        return (net, b.bag.warnings)
    }
}

enum FileChecks {
    static func isDirectory(_ p: String) -> Bool {
        var d: ObjCBool = false
        return FileManager.default.fileExists(atPath: p, isDirectory: &d) && d.boolValue
    }
}

/// Byte-level validity checks for names.
enum NameRules {
    /// `[A-Za-z0-9._:/-]+` (docs/specification.md: ids).
    @inline(__always)
    static func isIdByte(_ c: UInt8) -> Bool {
        (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57)
            || c == 46 || c == 95 || c == 58 || c == 47 || c == 45
    }
    static func isId(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        !b.isEmpty && b.allSatisfy(isIdByte)
    }
    static func isId(_ s: String) -> Bool { var s = s; return s.withUTF8 { isId($0) } }
    /// A lowercase word: `[a-z][a-z0-9_]*`.
    static func isLowerWord(_ s: String) -> Bool {
        guard let f = s.utf8.first, f >= 97 && f <= 122 else { return false }
        return s.utf8.allSatisfy { ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 95 }
    }
    /// `[A-Za-z0-9._-]+` (scenario names, kinds).
    static func isName(_ s: String) -> Bool {
        !s.isEmpty
            && s.utf8.allSatisfy {
                ($0 >= 97 && $0 <= 122) || ($0 >= 65 && $0 <= 90) || ($0 >= 48 && $0 <= 57) || $0 == 46 || $0 == 95 || $0 == 45
            }
    }
}

/// The last name found in one small table (sectors, kinds, owners) and its code: consecutive
/// rows mostly repeat these names, so most rows compare a few bytes instead of hashing.
struct LastName {
    var bytes: [UInt8] = []
    var code: Int32 = -1

    /// The code of `b` in `table`, or nil when it has none.
    @inline(__always)
    mutating func find(_ b: UnsafeBufferPointer<UInt8>, in table: IdTable) -> Int32? {
        if code >= 0 && bytes.elementsEqual(b) { return code }
        guard let c = table.find(b) else { return nil }
        bytes.removeAll(keepingCapacity: true)
        bytes.append(contentsOf: b)
        code = c
        return c
    }
}

/// Mutable state while loading one model and its includes.
final class NetworkBuilder {
    // Unchecked exclusivity: the builder's fields are touched for every row of model files of 10^6+
    // rows (benchmarks/load-1m.sh); one builder per load, on one thread.
    @exclusivity(unchecked) var net = Network(name: "")
    @exclusivity(unchecked) var bag = DiagnosticBag()
    /// Where each id whose row was dropped for errors was defined, and whether it named a link
    /// (the tables' source columns hold the others).
    @exclusivity(unchecked) var droppedSource: [Int32: (ref: SourceRef, link: Bool)] = [:]
    /// The last sector, kind and owner names read and their codes (`LastName`).
    @exclusivity(unchecked) var lastSector = LastName(), lastKind = LastName(), lastOwner = LastName()
    @exclusivity(unchecked) var sectorTable = IdTable()
    @exclusivity(unchecked) var kindTable = IdTable()
    @exclusivity(unchecked) var ownerTable = IdTable()
    @exclusivity(unchecked) var zoneTable = IdTable()
    @exclusivity(unchecked) var groupTable = IdTable()
    /// Explicit supply declarations: sector name → (mode, file, line).
    @exclusivity(unchecked) var declared: [String: (mode: SupplyMode, file: String, line: Int, column: Int?)] = [:]
    /// Declared sector names in the order met (the cascade's `sequential` order).
    @exclusivity(unchecked) var declaredOrder: [String] = []
    @exclusivity(unchecked) var scratch: [UInt8] = []
    @exclusivity(unchecked) var coordinateOrigin: (system: CoordinateSystem, file: String, line: Int)?

    func fileIndex(_ path: String) -> Int32 {
        if let i = net.files.firstIndex(of: path) { return Int32(i) }
        net.files.append(path)
        return Int32(net.files.count - 1)
    }

    static let modelKeys = ["format", "name", "assets", "links", "dependencies", "sectors", "include"]

    // MARK: - network.yaml

    func loadModel(path: String, prefix: String, stack: [String], includeNode: Node?, includeFile: String?) {
        let canonical = Paths.canonical(path)
        if stack.contains(canonical) {
            let chain = (stack + [canonical]).map {
                ($0 as NSString).lastPathComponent == "network.yaml"
                    ? (Paths.parent($0) as NSString).lastPathComponent + "/network.yaml" : $0
            }
            bag.error(
                includeFile ?? path, line: includeNode?.mark?.line ?? 0, column: includeNode?.mark?.column,
                field: "include", "include cycle: \(chain.joined(separator: " → "))")
            return
        }
        let text: String
        do { text = try Paths.readText(path) } catch {
            if let f = includeFile {
                bag.error(
                    f, line: includeNode?.mark?.line ?? 0, column: includeNode?.mark?.column,
                    field: "include.path", "cannot read included model '\(path)': \(error.diagnostics.errors.first?.message ?? "")")
            } else {
                bag.append(contentsOf: error.diagnostics)
            }
            return
        }
        var y = YAMLReader(file: path)
        defer { bag.append(contentsOf: y.bag) }
        guard let root = y.compose(text) else {
            if !y.bag.hasErrors { y.error(nil, "", "the file is empty: expected a map with keys assets, links, dependencies, sectors, include") }
            return
        }
        guard let top = y.mapping(root, "", allowed: Self.modelKeys) else { return }
        if let f = top["format"], let v = y.integer(f, "format"), v != 1 {
            y.error(f, "format", "unknown format version \(v); this Kaskada reads format 1")
        }
        if stack.isEmpty {
            if let n = top["name"] { net.name = y.name(n, "name", pattern: "[A-Za-z0-9._-]+", valid: NameRules.isName) ?? "" }
            if net.name.isEmpty {
                net.name = (Paths.parent(Paths.canonical(path)) as NSString).lastPathComponent
            }
        } else if let n = top["name"] {
            _ = y.name(n, "name", pattern: "[A-Za-z0-9._-]+", valid: NameRules.isName)
        }
        if let s = top["sectors"], let pairs = y.freeMapping(s, "sectors") {
            for (sector, k, v) in pairs {
                let field = "sectors.\(sector)"
                guard NameRules.isLowerWord(sector) else {
                    y.error(k, field, "'\(sector)' is not a sector name: expected a lowercase word")
                    continue
                }
                guard let m = y.mapping(v, field, allowed: ["supply"]) else { continue }
                guard let sv = m["supply"] else { y.error(v, field + ".supply", "missing key 'supply'"); continue }
                guard let str = y.string(sv, field + ".supply") else { continue }
                guard let mode = SupplyMode(rawValue: str) else {
                    y.error(sv, field + ".supply", "'\(str)' is not a supply mode: expected sources, giant-component or none")
                    continue
                }
                if let d = declared[sector], d.mode != mode {
                    y.error(
                        sv, field + ".supply",
                        "supply mode '\(mode.rawValue)' disagrees with '\(d.mode.rawValue)' declared in \(d.file):\(d.line); supply modes of a sector must agree across included models"
                    )
                    continue
                }
                if declared[sector] == nil {
                    declared[sector] = (mode, path, sv.mark?.line ?? 0, sv.mark?.column)
                    declaredOrder.append(sector)
                }
            }
        }
        var assetsOK = true
        if let a = top["assets"] {
            if let rel = y.string(a, "assets") {
                assetsOK = loadAssets(Paths.resolve(rel, against: path), prefix: prefix, yamlFile: path, node: a)
            } else {
                assetsOK = false
            }
        } else if top["include"] == nil {
            y.error(root, "assets", "missing key 'assets': expected the path of the assets table")
            assetsOK = false
        }
        if let inc = top["include"], let items = y.sequence(inc, "include") {
            for item in items {
                guard let m = y.mapping(item, "include", allowed: ["path", "prefix"]) else { continue }
                guard let pn = m["path"] else { y.error(item, "include.path", "missing key 'path'"); continue }
                guard let rel = y.string(pn, "include.path") else { continue }
                var childPrefix = ""
                if let pf = m["prefix"] {
                    guard let s = y.name(pf, "include.prefix", pattern: "[A-Za-z0-9._:/-]+", valid: NameRules.isId) else { continue }
                    childPrefix = s
                }
                var child = Paths.resolve(rel, against: path)
                if FileChecks.isDirectory(child) { child = Paths.normalise(child + "/network.yaml") }
                bag.append(contentsOf: y.bag)
                y.bag = DiagnosticBag()
                loadModel(
                    path: child, prefix: prefix + childPrefix, stack: stack + [canonical], includeNode: pn,
                    includeFile: path)
            }
        }
        guard assetsOK else { return }
        if let l = top["links"], let rel = y.string(l, "links") {
            loadLinks(Paths.resolve(rel, against: path), prefix: prefix, yamlFile: path, node: l)
        }
        if let d = top["dependencies"], let rel = y.string(d, "dependencies") {
            loadDependencies(Paths.resolve(rel, against: path), prefix: prefix, yamlFile: path, node: d)
        }
    }

    func openTable(_ file: String, yamlFile: String, node: Node, field: String) -> CSVReader? {
        do {
            let r = try CSVReader(path: file)
            if let why = Self.foreignSeparator(r.header) {
                bag.error(file, line: 1, field: "", why)
                return nil
            }
            return r
        } catch {
            let first = error.diagnostics.errors.first
            if first?.message.hasPrefix("cannot read") == true {
                bag.error(
                    yamlFile, line: node.mark?.line ?? 0, column: node.mark?.column, field: field,
                    "\(first!.message.replacingOccurrences(of: "cannot read the file", with: "cannot read '\(file)'"))")
            } else {
                bag.append(contentsOf: error.diagnostics)
            }
            return nil
        }
    }

    /// A header read as one column that holds `;` or a tab: the file was exported with another
    /// separator (a spreadsheet with a decimal comma uses `;`). One error that says so, instead
    /// of an unknown column and every required one missing.
    static func foreignSeparator(_ header: [String]) -> String? {
        guard header.count == 1, let h = header.first else { return nil }
        let sep = h.contains(";") ? "';'" : h.contains("\t") ? "a tab" : nil
        guard let sep else { return nil }
        return
            "the file uses \(sep) as column separator; Kaskada reads comma-separated files (RFC 4180): export it as CSV with ',' separators and '.' as the decimal point (in LibreOffice: Save As, Text CSV, field delimiter ',')"
    }

    // MARK: - columns shared by assets and links

    struct CommonColumns {
        var sector = -1, kind = -1, owner = -1, zone = -1, lat = -1, lon = -1, x = -1, y = -1
        var priority = -1, repairHours = -1, repairBeta = -1
        var hazards: [(name: String, median: Int, beta: Int)] = []
    }

    /// Maps header names to columns; unknown names and missing required ones are errors.
    func mapColumns(_ r: CSVReader, required: [String], optional: [String]) -> (CommonColumns, [String: Int])? {
        var ok = true
        for d in r.duplicateHeaders {
            bag.error(r.path, line: 1, field: d, "column given more than once")
            ok = false
        }
        var named: [String: Int] = [:]
        var c = CommonColumns()
        var medians: [String: Int] = [:], betas: [String: Int] = [:]
        for (i, h) in r.header.enumerated() {
            let name = h.trimmingCharacters(in: .whitespaces)
            if required.contains(name) || optional.contains(name) {
                named[name] = i
            } else if name.hasSuffix("_median"), NameRules.isLowerWord(String(name.dropLast(7))) {
                medians[String(name.dropLast(7))] = i
            } else if name.hasSuffix("_beta"), name != "repair_beta", NameRules.isLowerWord(String(name.dropLast(5))) {
                betas[String(name.dropLast(5))] = i
            } else {
                bag.error(
                    r.path, line: 1, field: name,
                    "unknown column '\(name)'; expected \((required + optional).joined(separator: ", ")) or <hazard>_median/<hazard>_beta")
                ok = false
            }
        }
        for m in required where named[m] == nil {
            bag.error(r.path, line: 1, field: m, "missing required column '\(m)'")
            ok = false
        }
        for h in Set(medians.keys).union(betas.keys).sorted() {
            guard let m = medians[h], let b = betas[h] else {
                let missing = medians[h] == nil ? "\(h)_median" : "\(h)_beta"
                bag.error(r.path, line: 1, field: missing, "missing column '\(missing)': fragility columns come in pairs")
                ok = false
                continue
            }
            c.hazards.append((h, m, b))
        }
        for pair in [("lat", "lon"), ("x", "y")] {
            if (named[pair.0] == nil) != (named[pair.1] == nil) {
                let missing = named[pair.0] == nil ? pair.0 : pair.1
                bag.error(r.path, line: 1, field: missing, "missing column '\(missing)': \(pair.0) and \(pair.1) come together")
                ok = false
            }
        }
        if named["lat"] != nil && named["x"] != nil {
            bag.error(r.path, line: 1, field: "x", "both lat/lon and x/y columns: a model uses one coordinate system")
            ok = false
        }
        guard ok else { return nil }
        c.sector = named["sector"] ?? -1; c.kind = named["kind"] ?? -1; c.owner = named["owner"] ?? -1
        c.zone = named["zone"] ?? -1; c.lat = named["lat"] ?? -1; c.lon = named["lon"] ?? -1
        c.x = named["x"] ?? -1; c.y = named["y"] ?? -1; c.priority = named["priority"] ?? -1
        c.repairHours = named["repair_hours"] ?? -1; c.repairBeta = named["repair_beta"] ?? -1
        return (c, named)
    }

    /// Reads a numeric field; blank gives `defaultValue`; records an error when invalid or out of range.
    @inline(__always)
    func num(
        _ r: CSVReader, _ col: Int, _ field: String, _ defaultValue: Double,
        min: Double = -.infinity, max: Double = .infinity, minExclusive: Bool = false,
        expected: @autoclosure () -> String
    ) -> Double? {
        if col < 0 { return defaultValue }
        switch r.number(col) {
        case .blank: return defaultValue
        case .value(let v):
            if v < min || v > max || (minExclusive && v == min) {
                bag.error(r.path, line: r.line, field: field, "expected \(expected()), found \(r.string(col))")
                return nil
            }
            return v
        case .invalid(let s):
            let lower = s.lowercased()
            let what = (lower.contains("nan") || lower.contains("inf")) ? "a finite number" : expected()
            var message = "expected \(what), found '\(s)'"
            if let fixed = Self.decimalComma(s) { message += ": a decimal comma? Kaskada reads '.' as the decimal point: write \(fixed)" }
            bag.error(r.path, line: r.line, field: field, message)
            return nil
        }
    }

    /// `s` with its decimal comma as a point when it reads as a number that way ("48,5" → "48.5",
    /// "-0,25" → "-0.25"); nil otherwise. Thousands separators ("1,234,567") are not taken for one.
    static func decimalComma(_ s: String) -> String? {
        let t = s.trimmingCharacters(in: .whitespaces)
        let parts = t.split(separator: ",", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { return nil }
        let digits = { (x: Substring) in x.allSatisfy { $0.isASCII && $0.isNumber } }
        let whole = parts[0].hasPrefix("-") ? parts[0].dropFirst() : parts[0]
        guard !whole.isEmpty, digits(whole), digits(parts[1]) else { return nil }
        return parts[0] + "." + parts[1]
    }

    func intern(_ table: inout IdTable, _ b: UnsafeBufferPointer<UInt8>) -> Int32 {
        table.insert(b).index
    }

    /// Bytes of `prefix + field` (the field itself when there is no prefix).
    func withPrefixed<R>(_ prefix: String, _ b: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        if prefix.isEmpty { return body(b) }
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: prefix.utf8)
        scratch.append(contentsOf: b)
        return scratch.withUnsafeBufferPointer(body)
    }

    /// Reads the shared columns of the current row into `cols`. Returns false on error.
    func readCommon(
        _ r: CSVReader, _ c: CommonColumns, _ cols: inout ElementColumns, prefix: String,
        fileIdx: Int32, defaultOwner: Int32 = -1
    ) -> Bool {
        var ok = true
        let sb = r.trimmedBytes(c.sector)
        var sector: Int32 = -1
        if sb.isEmpty {
            bag.error(r.path, line: r.line, field: "sector", "missing value: expected a lowercase word such as power or water"); ok = false
        } else if let s = lastSector.find(sb, in: sectorTable) {
            sector = s
        } else if NameRules.isLowerWord(r.string(c.sector)) {
            sector = intern(&sectorTable, sb)
        } else {
            bag.error(
                r.path, line: r.line, field: "sector",
                "'\(r.string(c.sector))' is not a sector name: expected a lowercase word such as power or water")
            ok = false
        }
        let kb = r.trimmedBytes(c.kind)
        var kind: Int32 = -1
        if let k = lastKind.find(kb, in: kindTable) {
            kind = k
        } else {
            let kn = r.string(c.kind)
            if NameRules.isName(kn) {
                kind = intern(&kindTable, kb)
            } else {
                bag.error(
                    r.path, line: r.line, field: "kind",
                    kn.isEmpty ? "missing value: expected a kind such as substation" : "'\(kn)' is not a kind: expected [A-Za-z0-9._-]+")
                ok = false
            }
        }
        var owner = defaultOwner
        if c.owner >= 0 && !r.isBlank(c.owner) {
            let ob = r.trimmedBytes(c.owner)
            owner = lastOwner.find(ob, in: ownerTable) ?? intern(&ownerTable, ob)
        }
        var zone: Int32 = -1
        if c.zone >= 0 && !r.isBlank(c.zone) {
            let zb = r.trimmedBytes(c.zone)
            if NameRules.isId(zb) {
                zone = withPrefixed(prefix, zb) { b in zoneTable.find(b) ?? zoneTable.insert(b).index }
            } else {
                bag.error(r.path, line: r.line, field: "zone", "'\(r.string(c.zone))' is not a zone id: expected [A-Za-z0-9._:/-]+"); ok = false
            }
        }
        var x = Double.nan, y = Double.nan
        if c.lat >= 0 {
            let la = num(r, c.lat, "lat", .nan, min: -90, max: 90, expected: "a latitude between -90 and 90")
            let lo = num(r, c.lon, "lon", .nan, min: -180, max: 180, expected: "a longitude between -180 and 180")
            if let la, let lo {
                if la.isNaN != lo.isNaN {
                    bag.error(r.path, line: r.line, field: la.isNaN ? "lat" : "lon", "lat and lon must be given together"); ok = false
                } else {
                    x = lo; y = la
                }
            } else {
                ok = false
            }
        } else if c.x >= 0 {
            let xv = num(r, c.x, "x", .nan, expected: "a number of metres")
            let yv = num(r, c.y, "y", .nan, expected: "a number of metres")
            if let xv, let yv {
                if xv.isNaN != yv.isNaN {
                    bag.error(r.path, line: r.line, field: xv.isNaN ? "x" : "y", "x and y must be given together"); ok = false
                } else {
                    x = xv; y = yv
                }
            } else {
                ok = false
            }
        }
        guard let pr = num(r, c.priority, "priority", 0, min: 0, max: Bounds.priority, expected: "a priority from 0 to 10^6") else { return false }
        guard
            let rh = num(
                r, c.repairHours, "repair_hours", .nan, min: 0, max: Bounds.duration, minExclusive: true,
                expected: "a number of hours > 0 and at most 10^9 (never)")
        else { return false }
        guard let rb = num(r, c.repairBeta, "repair_beta", .nan, min: 0, max: Bounds.dispersion, expected: "a dispersion from 0 to 10") else {
            return false
        }
        if rh.isNaN && !rb.isNaN {
            bag.error(r.path, line: r.line, field: "repair_hours", "repair_beta is given without repair_hours"); ok = false
        }
        var frag: [(String, Double, Double)] = []
        for h in c.hazards {
            guard
                let m = num(
                    r, h.median, "\(h.name)_median", .nan, min: 0, max: Bounds.intensity, minExclusive: true,
                    expected: "a median intensity > 0 and at most 10^6"),
                let b = num(r, h.beta, "\(h.name)_beta", .nan, min: 0, max: Bounds.dispersion, expected: "a dispersion from 0 to 10")
            else { ok = false; continue }
            if m.isNaN != b.isNaN {
                bag.error(
                    r.path, line: r.line, field: m.isNaN ? "\(h.name)_median" : "\(h.name)_beta",
                    "\(h.name)_median and \(h.name)_beta must be given together");
                ok = false
                continue
            }
            if !m.isNaN { frag.append((h.name, m, b)) }
        }
        guard ok else { return false }
        let idx = cols.count
        cols.sector.append(sector); cols.kind.append(kind); cols.owner.append(owner); cols.zone.append(zone)
        cols.x.append(x); cols.y.append(y); cols.priority.append(pr)
        cols.repairHours.append(rh); cols.repairBeta.append(rb)
        cols.source.append(SourceRef(file: fileIdx, line: Int32(r.line)))
        for (h, m, b) in frag {
            if cols.fragility[h] == nil { cols.fragility[h] = FragilityColumns(count: 0) }
            var fc = cols.fragility[h]!
            cols.fragility[h] = nil
            while fc.median.count < idx { fc.median.append(.nan); fc.beta.append(.nan) }
            fc.median.append(m); fc.beta.append(b)
            cols.fragility[h] = fc
        }
        return true
    }

    /// Grows the id table once for the rows a table is about to add.
    func reserveIds(rowsEstimate: Int) {
        net.ids.reserve(net.ids.count + rowsEstimate + 16)
        net.idTarget.reserveCapacity(net.ids.count + rowsEstimate + 16)
    }

    func noteCoordinates(_ system: CoordinateSystem, file: String) {
        if let o = coordinateOrigin {
            if o.system != system {
                bag.error(
                    file, line: 1, field: system == .geographic ? "lat" : "x",
                    "\(system == .geographic ? "lat/lon" : "x/y") coordinates, but \(o.file) uses \(o.system == .geographic ? "lat/lon" : "x/y"): a model uses one coordinate system"
                )
            }
        } else {
            coordinateOrigin = (system, file, 1)
            net.coordinates = system
        }
    }

    // MARK: - assets.csv

    static let assetRequired = ["id", "sector", "kind"]
    static let assetOptional = [
        "role", "owner", "zone", "lat", "lon", "x", "y", "population", "priority",
        "repair_hours", "repair_beta",
    ]

    /// Opens an asset or link table: header checked, coordinate system noted, ids reserved for
    /// the estimated rows. Returns nil (with diagnostics) when the table cannot be read.
    func openElementTable(_ file: String, yamlFile: String, node: Node, field: String, required: [String], optional: [String])
        -> (CSVReader, CommonColumns, [String: Int], Int32, Int)?
    {
        guard let r = openTable(file, yamlFile: yamlFile, node: node, field: field) else { return nil }
        guard let (c, named) = mapColumns(r, required: required, optional: optional) else { return nil }
        if c.lat >= 0 { noteCoordinates(.geographic, file: file) } else if c.x >= 0 { noteCoordinates(.projected, file: file) }
        let estimate = r.estimatedRows
        reserveIds(rowsEstimate: estimate)
        return (r, c, named, fileIndex(file), estimate)
    }

    /// Assets of one chunk, parsed but not yet interned. A row whose columns had errors keeps
    /// its id (`commonRow` -1) so that references to it raise no second error.
    struct PendingAssets {
        var line: [Int] = [], id: [UnsafeBufferPointer<UInt8>] = [], commonRow: [Int32] = []
        var role: [Role] = [], population: [Double] = []
        var common = ElementColumns()
        var count: Int { line.count }
        mutating func removeAll() {
            line.removeAll(keepingCapacity: true); id.removeAll(keepingCapacity: true)
            commonRow.removeAll(keepingCapacity: true); role.removeAll(keepingCapacity: true)
            population.removeAll(keepingCapacity: true); common.removeAll()
        }
    }

    func loadAssets(_ file: String, prefix: String, yamlFile: String, node: Node) -> Bool {
        let before = bag.errorCount(file: file)
        guard
            let (r, c, named, fileIdx, estimate) = openElementTable(
                file, yamlFile: yamlFile, node: node, field: "assets",
                required: Self.assetRequired, optional: Self.assetOptional)
        else { return false }
        let idCol = named["id"]!, roleCol = named["role"] ?? -1, popCol = named["population"] ?? -1
        net.assets.reserve(net.assets.count + estimate)
        let arena = ByteArena()
        var p = PendingAssets()
        readChunked(
            r, file: file, pending: { p.count },
            parse: {
                var role = Role.node
                if roleCol >= 0 && !r.isBlank(roleCol) {
                    let s = r.string(roleCol)
                    guard let ro = Role(name: s) else {
                        bag.error(file, line: r.line, field: "role", "'\(s)' is not a role: expected source, node or consumer")
                        return
                    }
                    role = ro
                }
                guard
                    let pop = num(
                        r, popCol, "population", 0, min: 0, max: Bounds.population,
                        expected: "a number of people from 0 to 10^10 (more than live on Earth)")
                else { return }
                guard checkId(r, idCol, file: file) else { return }
                let ok = readCommon(r, c, &p.common, prefix: prefix, fileIdx: fileIdx)
                p.line.append(r.line)
                p.id.append(key(r, idCol, prefix: prefix, arena: arena))
                p.commonRow.append(ok ? Int32(p.common.count - 1) : -1)
                p.role.append(role); p.population.append(pop)
            },
            flush: {
                commitAssets(&p, file: file, fileIdx: fileIdx)
                p.removeAll()
            })
        padFragility(&net.assets.common)
        return bag.errorCount(file: file) == before
    }

    /// Interns and appends one chunk of assets, in row order.
    func commitAssets(_ p: inout PendingAssets, file: String, fileIdx: Int32) {
        var idRes = [(index: Int32, inserted: Bool)](repeating: (0, false), count: p.count)
        p.id.withUnsafeBufferPointer { k in idRes.withUnsafeMutableBufferPointer { net.ids.insertMany(k, into: $0) } }
        for k in 0..<p.count {
            let (idIndex, inserted) = idRes[k]
            guard inserted else {
                duplicateId(idIndex, file: file, line: p.line[k])
                continue
            }
            let row = Int(p.commonRow[k])
            guard row >= 0 else {
                net.idTarget.append(Int32.min)
                droppedSource[idIndex] = (SourceRef(file: fileIdx, line: Int32(p.line[k])), false)
                continue
            }
            net.idTarget.append(Int32(net.assets.count))
            net.assets.common.append(row: row, of: p.common)
            net.assets.role.append(p.role[k])
            net.assets.population.append(p.population[k])
            net.assets.idIndex.append(idIndex)
        }
    }

    func padFragility(_ cols: inout ElementColumns) {
        for (h, var fc) in cols.fragility {
            cols.fragility[h] = nil
            while fc.median.count < cols.count { fc.median.append(.nan); fc.beta.append(.nan) }
            cols.fragility[h] = fc
        }
    }

    // MARK: - links.csv

    static let linkRequired = ["id", "sector", "from", "to", "kind"]
    static let linkOptional = [
        "directed", "length_km", "lat", "lon", "x", "y", "owner", "zone", "priority",
        "repair_hours", "repair_beta",
    ]

    /// Rows are parsed in chunks; each chunk's id references are then resolved in one batch
    /// (`IdTable.findMany`/`insertMany` overlap their cache misses), and the rows committed in order.
    static let chunkRows = 4096

    /// Reads the data rows of `r` in chunks. `parse` handles one row that has the header's field
    /// count (reporting its own errors); `flush` commits the `pending()` rows every `chunkRows`
    /// rows and at the end. Stops after 200 errors in all.
    func readChunked(_ r: CSVReader, file: String, pending: () -> Int, parse: () -> Void, flush: () -> Void) {
        var more = true
        while more {
            more = r.nextRow() && bag.errorCount <= 4 * DiagnosticBag.limit
            if more {
                if r.fieldCount != r.header.count {
                    bag.error(file, line: r.line, field: "", "expected \(r.header.count) fields as in the header, found \(r.fieldCount)")
                } else {
                    parse()
                }
            }
            if pending() == Self.chunkRows || (!more && pending() > 0) {
                flush()
                // the chunk is committed: no field bytes of earlier rows are held
                r.releaseEarlierRows()
            }
        }
    }

    /// Whether the id field of the current row is a valid id; reports it when not.
    func checkId(_ r: CSVReader, _ col: Int, file: String) -> Bool {
        if NameRules.isId(r.bytes(col)) { return true }
        let s = String(decoding: r.bytes(col), as: UTF8.self)
        bag.error(
            file, line: r.line, field: "id", s.isEmpty ? "missing value: expected an id" : "'\(s)' is not a valid id: expected [A-Za-z0-9._:/-]+")
        return false
    }

    /// Reports a duplicate id, naming its first definition.
    func duplicateId(_ idIndex: Int32, file: String, line: Int) {
        let first: SourceRef, what: String
        if let d = droppedSource[idIndex] {
            (first, what) = (d.ref, d.link ? "a link" : "an asset")
        } else {
            let t = net.idTarget[Int(idIndex)]
            (first, what) = t >= 0 ? (net.assets.common.source[Int(t)], "an asset") : (net.links.common.source[Int(-t - 1)], "a link")
        }
        bag.error(
            file, line: line, field: "id",
            "duplicate id '\(net.ids[idIndex])': already used by \(what) at \(net.files[Int(first.file)]):\(first.line) (asset and link ids share one namespace)"
        )
    }

    /// The key bytes of a reference: the field itself, or `prefix + field` copied into `arena`.
    func key(_ r: CSVReader, _ col: Int, prefix: String, arena: ByteArena) -> UnsafeBufferPointer<UInt8> {
        let b = r.bytes(col)
        return prefix.isEmpty ? b : arena.store(prefix, b)
    }

    /// The `idTarget` of each id index (`Int32.max` for -1, an unknown id), prefetching ahead
    /// because the indices come in random order.
    func gatherTargets(_ idx: [Int32]) -> [Int32] {
        let d = 16
        var out = [Int32](repeating: Int32.max, count: idx.count)
        let t = net.idTarget
        for i in 0..<idx.count {
            if i + d < idx.count, idx[i + d] >= 0 { t.prefetch(Int(idx[i + d])) }
            if idx[i] >= 0 { out[i] = t[Int(idx[i])] }
        }
        return out
    }

    /// Reports a reference that did not resolve to an asset; returns the asset or nil.
    /// `Int32.min` marks an asset defined on a row that had errors (no further message).
    func resolvedAsset(_ idx: Int32, target t: Int32, key: UnsafeBufferPointer<UInt8>, file: String, line: Int, field: String) -> Int32? {
        if idx < 0 {
            let shown = String(decoding: key, as: UTF8.self)
            bag.error(
                file, line: line, field: field,
                shown.isEmpty ? "missing value: expected an asset id" : "unknown id '\(shown)': expected the id of an asset")
            return nil
        }
        if t == Int32.min { return Int32.min }
        guard t >= 0 else {
            bag.error(file, line: line, field: field, "'\(net.ids[idx])' is a link: expected the id of an asset")
            return nil
        }
        return t
    }

    /// Links of one chunk, parsed but not yet resolved.
    struct PendingLinks {
        var line: [Int] = [], id: [UnsafeBufferPointer<UInt8>] = [], from: [UnsafeBufferPointer<UInt8>] = []
        var to: [UnsafeBufferPointer<UInt8>] = [], directed: [Bool] = [], length: [Double] = []
        var common = ElementColumns()
        var count: Int { line.count }
        mutating func removeAll() {
            line.removeAll(keepingCapacity: true); id.removeAll(keepingCapacity: true)
            from.removeAll(keepingCapacity: true); to.removeAll(keepingCapacity: true)
            directed.removeAll(keepingCapacity: true); length.removeAll(keepingCapacity: true)
            common.removeAll()
        }
    }

    func loadLinks(_ file: String, prefix: String, yamlFile: String, node: Node) {
        guard
            let (r, c, named, fileIdx, estimate) = openElementTable(
                file, yamlFile: yamlFile, node: node, field: "links",
                required: Self.linkRequired, optional: Self.linkOptional)
        else { return }
        let idCol = named["id"]!, fromCol = named["from"]!, toCol = named["to"]!
        let dirCol = named["directed"] ?? -1, lenCol = named["length_km"] ?? -1
        net.links.reserve(net.links.count + estimate)
        let arena = ByteArena()
        var p = PendingLinks()
        readChunked(
            r, file: file, pending: { p.count },
            parse: {
                var directed = false
                if dirCol >= 0 && !r.isBlank(dirCol) {
                    switch r.string(dirCol).lowercased() {
                    case "true": directed = true
                    case "false": directed = false
                    default:
                        bag.error(file, line: r.line, field: "directed", "expected true or false, found '\(r.string(dirCol))'")
                        return
                    }
                }
                guard let len = num(r, lenCol, "length_km", .nan, min: 0, max: Bounds.km, expected: "a length in km from 0 to 40,075 (the Equator)")
                else { return }
                guard checkId(r, idCol, file: file) else { return }
                // owner -2: the owner of `from`, filled in once it is resolved
                guard readCommon(r, c, &p.common, prefix: prefix, fileIdx: fileIdx, defaultOwner: -2) else { return }
                p.line.append(r.line)
                p.id.append(key(r, idCol, prefix: prefix, arena: arena))
                p.from.append(key(r, fromCol, prefix: prefix, arena: arena))
                p.to.append(key(r, toCol, prefix: prefix, arena: arena))
                p.directed.append(directed); p.length.append(len)
            },
            flush: {
                commitLinks(&p, file: file, fileIdx: fileIdx)
                p.removeAll()
            })
        padFragility(&net.links.common)
    }

    /// Resolves and appends one chunk of links, in row order.
    func commitLinks(_ p: inout PendingLinks, file: String, fileIdx: Int32) {
        let n = p.count
        var fromIdx = [Int32](repeating: -1, count: n), toIdx = fromIdx
        var idRes = [(index: Int32, inserted: Bool)](repeating: (0, false), count: n)
        p.from.withUnsafeBufferPointer { k in fromIdx.withUnsafeMutableBufferPointer { net.ids.findMany(k, into: $0) } }
        p.to.withUnsafeBufferPointer { k in toIdx.withUnsafeMutableBufferPointer { net.ids.findMany(k, into: $0) } }
        let fromT = gatherTargets(fromIdx), toT = gatherTargets(toIdx)
        p.id.withUnsafeBufferPointer { k in idRes.withUnsafeMutableBufferPointer { net.ids.insertMany(k, into: $0) } }
        let sectorOf = net.assets.common.sector
        for k in 0..<n {
            if k + 16 < n {
                if fromT[k + 16] >= 0 && fromT[k + 16] != Int32.max { sectorOf.prefetch(Int(fromT[k + 16])) }
                if toT[k + 16] >= 0 && toT[k + 16] != Int32.max { sectorOf.prefetch(Int(toT[k + 16])) }
            }
            let line = p.line[k]
            let from = resolvedAsset(fromIdx[k], target: fromT[k], key: p.from[k], file: file, line: line, field: "from")
            let to = resolvedAsset(toIdx[k], target: toT[k], key: p.to[k], file: file, line: line, field: "to")
            let (idIndex, inserted) = idRes[k]
            guard inserted else {
                duplicateId(idIndex, file: file, line: line)
                continue
            }
            // the id's element, appended when the row is done: the link, or none for a row with errors
            var target = Int32.min
            defer {
                net.idTarget.append(target)
                if target == Int32.min { droppedSource[idIndex] = (SourceRef(file: fileIdx, line: Int32(line)), true) }
            }
            guard let from, let to, from != Int32.min, to != Int32.min else { continue }
            if p.common.owner[k] == -2 { p.common.owner[k] = net.assets.common.owner[Int(from)] }
            let sector = p.common.sector[k]
            var endsOK = true
            for (end, name) in [(from, "from"), (to, "to")] where net.assets.common.sector[Int(end)] != sector {
                let es = sectorTable[net.assets.common.sector[Int(end)]], ls = sectorTable[sector]
                bag.error(
                    file, line: line, field: name,
                    "asset '\(net.assetId(end))' is in sector \(es), but the link is in sector \(ls): both ends must be assets of the link's sector")
                endsOK = false
            }
            guard endsOK else { continue }
            if from == to {
                bag.warning(
                    file, line: line, field: "to", "link '\(net.ids[idIndex])' joins asset '\(net.assetId(from))' to itself; it has no effect")
            }
            target = -(Int32(net.links.count) + 1)
            net.links.common.append(row: k, of: p.common)
            net.links.from.append(from); net.links.to.append(to)
            net.links.directed.append(p.directed[k]); net.links.lengthKm.append(p.length[k])
            net.links.idIndex.append(idIndex)
        }
    }

    // MARK: - dependencies.csv

    static let depRequired = ["consumer", "provider"]
    static let depOptional = ["type", "group", "need", "backup_hours", "probability"]

    func loadDependencies(_ file: String, prefix: String, yamlFile: String, node: Node) {
        guard let r = openTable(file, yamlFile: yamlFile, node: node, field: "dependencies") else { return }
        var ok = true
        for d in r.duplicateHeaders { bag.error(file, line: 1, field: d, "column given more than once"); ok = false }
        var named: [String: Int] = [:]
        for (i, h) in r.header.enumerated() {
            let name = h.trimmingCharacters(in: .whitespaces)
            if Self.depRequired.contains(name) || Self.depOptional.contains(name) {
                named[name] = i
            } else {
                bag.error(
                    file, line: 1, field: name,
                    "unknown column '\(name)'; expected \((Self.depRequired + Self.depOptional).joined(separator: ", "))")
                ok = false
            }
        }
        for m in Self.depRequired where named[m] == nil {
            bag.error(file, line: 1, field: m, "missing required column '\(m)'"); ok = false
        }
        guard ok else { return }
        let fileIdx = fileIndex(file)
        let cCol = named["consumer"]!, pCol = named["provider"]!, tCol = named["type"] ?? -1, gCol = named["group"] ?? -1
        let nCol = named["need"] ?? -1, bCol = named["backup_hours"] ?? -1, prCol = named["probability"] ?? -1
        net.dependencies.reserve(net.dependencies.count + r.estimatedRows)
        let arena = ByteArena()
        var p = PendingDependencies()
        readChunked(
            r, file: file, pending: { p.count },
            parse: {
                var type = DependencyType.physical
                if tCol >= 0 && !r.isBlank(tCol) {
                    let s = r.string(tCol)
                    guard let t = DependencyType(name: s) else {
                        bag.error(
                            file, line: r.line, field: "type", "'\(s)' is not a dependency type: expected physical, cyber, geographic or logical")
                        return
                    }
                    type = t
                }
                var need = Need.any
                if nCol >= 0 && !r.isBlank(nCol) {
                    let s = r.string(nCol)
                    guard let n = Need(name: s) else {
                        bag.error(file, line: r.line, field: "need", "'\(s)' is not a need: expected any, all or a whole number from 1 to 2147483647")
                        return
                    }
                    need = n
                }
                guard
                    let backup = num(
                        r, bCol, "backup_hours", 0, min: 0, max: Bounds.duration, expected: "a number of hours from 0 to 10^9 (never runs out)"),
                    let prob = num(r, prCol, "probability", 1, min: 0, max: 1, expected: "a probability between 0 and 1")
                else { return }
                var group: Int32 = -1 // -1: the provider's sector, once resolved
                if gCol >= 0 && !r.isBlank(gCol) {
                    let gb = r.trimmedBytes(gCol)
                    let gs = r.string(gCol)
                    guard NameRules.isName(gs) else {
                        bag.error(file, line: r.line, field: "group", "'\(gs)' is not a group name: expected [A-Za-z0-9._-]+")
                        return
                    }
                    group = groupTable.find(gb) ?? groupTable.insert(gb).index
                }
                p.line.append(r.line)
                p.consumer.append(key(r, cCol, prefix: prefix, arena: arena))
                p.provider.append(key(r, pCol, prefix: prefix, arena: arena))
                p.type.append(type); p.need.append(need); p.backup.append(backup); p.probability.append(prob)
                p.group.append(group)
            },
            flush: {
                commitDependencies(&p, file: file, fileIdx: fileIdx)
                p.removeAll()
            })
    }

    /// Dependency rows of one chunk, parsed but not yet resolved.
    struct PendingDependencies {
        var line: [Int] = [], consumer: [UnsafeBufferPointer<UInt8>] = [], provider: [UnsafeBufferPointer<UInt8>] = []
        var type: [DependencyType] = [], need: [Need] = [], backup: [Double] = [], probability: [Double] = []
        var group: [Int32] = []
        var count: Int { line.count }
        mutating func removeAll() {
            line.removeAll(keepingCapacity: true); consumer.removeAll(keepingCapacity: true)
            provider.removeAll(keepingCapacity: true); type.removeAll(keepingCapacity: true)
            need.removeAll(keepingCapacity: true); backup.removeAll(keepingCapacity: true)
            probability.removeAll(keepingCapacity: true); group.removeAll(keepingCapacity: true)
        }
    }

    /// Resolves and appends one chunk of dependency rows, in row order.
    func commitDependencies(_ p: inout PendingDependencies, file: String, fileIdx: Int32) {
        let n = p.count
        var cIdx = [Int32](repeating: -1, count: n), pIdx = cIdx
        p.consumer.withUnsafeBufferPointer { k in cIdx.withUnsafeMutableBufferPointer { net.ids.findMany(k, into: $0) } }
        p.provider.withUnsafeBufferPointer { k in pIdx.withUnsafeMutableBufferPointer { net.ids.findMany(k, into: $0) } }
        let cT = gatherTargets(cIdx), pT = gatherTargets(pIdx)
        for k in 0..<n {
            let line = p.line[k]
            let consumer = resolvedAsset(cIdx[k], target: cT[k], key: p.consumer[k], file: file, line: line, field: "consumer")
            let provider = resolvedAsset(pIdx[k], target: pT[k], key: p.provider[k], file: file, line: line, field: "provider")
            guard let consumer, let provider, consumer != Int32.min, provider != Int32.min else { continue }
            if consumer == provider {
                bag.error(file, line: line, field: "provider", "self-dependency: '\(net.assetId(consumer))' cannot be its own provider")
                continue
            }
            var group = p.group[k]
            if group < 0 {
                let sectorCode = net.assets.common.sector[Int(provider)]
                group = sectorTable.withBytes(sectorCode) { b in groupTable.find(b) ?? groupTable.insert(b).index }
            }
            net.dependencies.consumer.append(consumer); net.dependencies.provider.append(provider)
            net.dependencies.type.append(p.type[k]); net.dependencies.group.append(group)
            net.dependencies.need.append(p.need[k]); net.dependencies.backupHours.append(p.backup[k])
            net.dependencies.probability.append(p.probability[k])
            net.dependencies.source.append(SourceRef(file: fileIdx, line: Int32(line)))
        }
    }

    // MARK: - whole-model checks

    func finish() {
        net.sectors = NamePool((0..<sectorTable.count).map { sectorTable[Int32($0)] })
        net.supply = net.sectors.names.map { declared[$0]?.mode ?? .sources }
        net.declaredSectorOrder = declaredOrder
        net.kinds = NamePool((0..<kindTable.count).map { kindTable[Int32($0)] })
        net.owners = NamePool((0..<ownerTable.count).map { ownerTable[Int32($0)] })
        net.zones = NamePool((0..<zoneTable.count).map { zoneTable[Int32($0)] })
        net.groups = NamePool((0..<groupTable.count).map { groupTable[Int32($0)] })
        checkSectorNames()
        if bag.hasErrors { return }
        checkRequirements()
        // giant-component sectors need links
        var hasLinks = [Bool](repeating: false, count: net.sectors.count)
        for s in net.links.common.sector { hasLinks[Int(s)] = true }
        for (name, d) in declared.sorted(by: { $0.key < $1.key }) where d.mode == .giantComponent {
            if let code = net.sectors.code(name), !hasLinks[Int(code)] {
                bag.error(
                    d.file, line: d.line, column: d.column, field: "sectors.\(name).supply",
                    "sector '\(name)' uses giant-component supply but has no links: expected links.csv rows in this sector")
            }
        }
        for (name, d) in declared.sorted(by: { $0.key < $1.key }) where net.sectors.code(name) == nil {
            bag.warning(d.file, line: d.line, field: "sectors.\(name)", "sector '\(name)' has no assets")
        }
    }

    /// A sector that is neither declared under `sectors:` nor one of DESIGN's standard names is
    /// an error when it is close to one of them (a misspelling, "did you mean"), else accepted
    /// as DESIGN says (supply: sources), with a warning when the model declares its sectors.
    /// Named at its first row in assets.csv (else links.csv).
    func checkSectorNames() {
        let known = Array(Set(declared.keys).union(SectorNames.standard)).sorted()
        for (code, name) in net.sectors.names.enumerated() where !known.contains(name) {
            var ref: SourceRef? = nil
            if let a = net.assets.common.sector.firstIndex(of: Int32(code)) {
                ref = net.assets.common.source[a]
            } else if let l = net.links.common.sector.firstIndex(of: Int32(code)) {
                ref = net.links.common.source[l]
            }
            let file = ref.map { net.files[Int($0.file)] } ?? (net.files.first ?? ""), line = ref.map { Int($0.line) } ?? 0
            if let near = SectorNames.closest(name, among: known) {
                bag.error(
                    file, line: line, field: "sector",
                    "unknown sector '\(name)': did you mean '\(near)'? A new sector needs an entry under sectors: in network.yaml (e.g. \(name): {supply: sources})"
                )
            } else if !declared.isEmpty {
                bag.warning(
                    file, line: line, field: "sector",
                    "sector '\(name)' is not declared under sectors: in network.yaml; it uses supply: sources")
            }
        }
    }

    /// Rows of one requirement (consumer, group) must agree on need and backup_hours;
    /// a (consumer, provider, group) row may appear once.
    func checkRequirements() {
        let d = net.dependencies
        // sort rows by (consumer, group, file, line) using packed integer keys
        var keys = [(UInt64, UInt64)]()
        keys.reserveCapacity(d.count)
        for r in 0..<d.count {
            keys.append(
                (
                    UInt64(UInt32(bitPattern: d.consumer[r])) << 32 | UInt64(UInt32(bitPattern: d.group[r])),
                    UInt64(UInt32(bitPattern: d.source[r].file)) << 32 | UInt64(UInt32(bitPattern: d.source[r].line))
                ))
        }
        var order = Array(0..<d.count)
        order.sort { keys[$0] < keys[$1] }
        var i = 0
        while i < order.count {
            var j = i + 1
            while j < order.count && keys[order[j]].0 == keys[order[i]].0 { j += 1 }
            if j - i > 1 { checkRequirement(order[i..<j]) }
            i = j
        }
    }

    /// Checks the rows of one requirement, in file order.
    func checkRequirement(_ rows: ArraySlice<Int>) {
        let d = net.dependencies
        let first = rows.first!
        var providers: [Int32: Int] = [:]
        for row in rows {
            let file = net.files[Int(d.source[row].file)], line = Int(d.source[row].line)
            let firstAt = "\(net.files[Int(d.source[first].file)]):\(d.source[first].line)"
            let req = "requirement ('\(net.assetId(d.consumer[row]))', group \(net.groups[d.group[row]]))"
            if let dup = providers[d.provider[row]] {
                bag.error(
                    file, line: line, field: "provider",
                    "duplicate dependency: provider '\(net.assetId(d.provider[row]))' already listed for \(req) at \(net.files[Int(d.source[dup].file)]):\(d.source[dup].line)"
                )
            } else {
                providers[d.provider[row]] = row
            }
            if d.need[row] != d.need[first] {
                bag.error(
                    file, line: line, field: "need",
                    "need '\(d.need[row])' disagrees with '\(d.need[first])' at \(firstAt): all rows of \(req) must give the same need")
            }
            if d.backupHours[row] != d.backupHours[first] {
                bag.error(
                    file, line: line, field: "backup_hours",
                    "backup_hours \(d.backupHours[row]) disagrees with \(d.backupHours[first]) at \(firstAt): all rows of \(req) must give the same backup_hours"
                )
            }
        }
    }
}

/// Stable storage for prefixed key bytes (`prefix + field`) that outlive one CSV row:
/// fixed blocks that never move, freed together.
final class ByteArena {
    private var blocks: [UnsafeMutableBufferPointer<UInt8>] = []
    private var used = 0
    private static let blockSize = 1 << 20

    func store(_ prefix: String, _ b: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        let n = prefix.utf8.count + b.count
        if blocks.isEmpty || used + n > blocks.last!.count {
            blocks.append(.allocate(capacity: max(Self.blockSize, n)))
            used = 0
        }
        let dst = blocks.last!.baseAddress! + used
        var i = 0
        for c in prefix.utf8 { dst[i] = c; i += 1 }
        for c in b { dst[i] = c; i += 1 }
        used += n
        return UnsafeBufferPointer(start: dst, count: n)
    }

    deinit { for b in blocks { b.deallocate() } }
}
