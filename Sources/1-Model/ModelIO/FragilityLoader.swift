import Foundation
import InfraModel

/// Reads fragility and repair libraries (`kind,hazard,median,beta,repair_median_hours,repair_beta,source`).
public enum FragilityLoader {
    public static let columns = ["kind", "hazard", "median", "beta", "repair_median_hours", "repair_beta", "source"]

    /// Reads `path` and lays its rows over `library` (later rows override earlier ones).
    /// - Throws: `InputError` with every problem of the file.
    public static func load(path: String, into library: inout FragilityLibrary) throws(InputError) {
        try load(CSVReader(path: path), name: path, into: &library)
    }

    /// Reads the default library from where it was found (a file, or the built-in text).
    public static func load(_ source: DefaultFragilitySource, into library: inout FragilityLibrary) throws(InputError) {
        switch source {
        case .file(let path): try load(path: path, into: &library)
        case .builtIn(let text): try load(CSVReader(name: source.name, text: text), name: source.name, into: &library)
        }
    }

    /// Lays the rows of `r` over `library`; diagnostics and curve origins name `path`.
    static func load(_ r: CSVReader, name path: String, into library: inout FragilityLibrary) throws(InputError) {
        var bag = DiagnosticBag()
        var col: [String: Int] = [:]
        for d in r.duplicateHeaders { bag.error(path, line: 1, field: d, "column given more than once") }
        for (i, h) in r.header.enumerated() {
            let name = h.trimmingCharacters(in: .whitespaces)
            if columns.contains(name) {
                col[name] = i
            } else {
                bag.error(path, line: 1, field: name, "unknown column '\(name)'; expected \(columns.joined(separator: ","))")
            }
        }
        for c in ["kind", "hazard", "source"] where col[c] == nil {
            bag.error(path, line: 1, field: c, "missing required column '\(c)'")
        }
        if bag.hasErrors { throw InputError(bag) }
        func value(_ name: String, min: Double, max: Double, exclusive: Bool, what: String) -> (ok: Bool, v: Double?) {
            guard let c = col[name] else { return (true, nil) }
            switch r.number(c) {
            case .blank: return (true, nil)
            case .value(let v):
                if v < min || (exclusive && v == min) || v > max {
                    bag.error(path, line: r.line, field: name, "expected \(what), found \(r.string(c))"); return (false, nil)
                }
                return (true, v)
            case .invalid(let s):
                bag.error(path, line: r.line, field: name, "expected \(what), found '\(s)'"); return (false, nil)
            }
        }
        while r.nextRow() {
            if r.fieldCount != r.header.count {
                bag.error(path, line: r.line, field: "", "expected \(r.header.count) fields as in the header, found \(r.fieldCount)")
                continue
            }
            let kind = r.string(col["kind"]!), hazard = r.string(col["hazard"]!)
            guard NameRules.isName(kind) else {
                bag.error(path, line: r.line, field: "kind", "'\(kind)' is not a kind: expected [A-Za-z0-9._-]+"); continue
            }
            guard hazard == "*" || NameRules.isLowerWord(hazard) else {
                bag.error(path, line: r.line, field: "hazard", "'\(hazard)' is not a hazard: expected a lowercase word or *"); continue
            }
            let m = value("median", min: 0, max: Bounds.intensity, exclusive: true, what: "a median intensity > 0 and at most 10^6")
            let b = value("beta", min: 0, max: Bounds.dispersion, exclusive: false, what: "a dispersion from 0 to 10")
            let rm = value("repair_median_hours", min: 0, max: Bounds.duration, exclusive: true, what: "a number of hours > 0 and at most 10^9")
            let rb = value("repair_beta", min: 0, max: Bounds.dispersion, exclusive: false, what: "a dispersion from 0 to 10")
            guard m.ok, b.ok, rm.ok, rb.ok else { continue }
            if (m.v == nil) != (b.v == nil) {
                bag.error(path, line: r.line, field: m.v == nil ? "median" : "beta", "median and beta must be given together"); continue
            }
            if hazard != "*" && m.v == nil {
                bag.error(path, line: r.line, field: "median", "missing value: a curve for hazard '\(hazard)' needs a median and beta"); continue
            }
            if hazard == "*" && rm.v == nil {
                bag.error(path, line: r.line, field: "repair_median_hours", "missing value: a '*' row gives a repair curve"); continue
            }
            if rm.v == nil && rb.v != nil {
                bag.error(path, line: r.line, field: "repair_median_hours", "repair_beta is given without repair_median_hours"); continue
            }
            let source = r.string(col["source"]!)
            if source.isEmpty {
                bag.error(path, line: r.line, field: "source", "missing value: say where the numbers come from (or that they are an assumption)")
                continue
            }
            library.set(
                kind: kind, hazard: hazard,
                FragilityCurve(
                    median: m.v, beta: b.v, repairMedianHours: rm.v, repairBeta: rb.v,
                    source: source, origin: "\(path):\(r.line)"))
        }
        if bag.hasErrors { throw InputError(bag) }
    }
}

extension FragilityLoader {
    /// Where the shipped `scenarios/fragility/default.csv` is: `$KASKADA_DEFAULT_FRAGILITY`, else the
    /// first `fragility/default.csv` or `scenarios/fragility/default.csv` found walking up from the
    /// scenario's folder, then from the executable's folder, then the working directory, else
    /// the copy built into the binary: a `kaskada` copied anywhere reads the shipped curves.
    public static func locateDefault(scenarioPath: String, executablePath: String? = nil) -> DefaultFragilitySource {
        let env = ProcessInfo.processInfo.environment
        if let p = env["KASKADA_DEFAULT_FRAGILITY"], !p.isEmpty { return .file(p) }
        let fm = FileManager.default
        func walk(from dir: String) -> String? {
            var d = URL(fileURLWithPath: dir).standardizedFileURL
            for _ in 0..<12 {
                for rel in ["fragility/default.csv", "scenarios/fragility/default.csv"] {
                    let c = d.appendingPathComponent(rel).path
                    if fm.fileExists(atPath: c) { return c }
                }
                let up = d.deletingLastPathComponent()
                if up.path == d.path { break }
                d = up
            }
            return nil
        }
        let scenarioDir = Paths.parent(scenarioPath)
        if let p = walk(from: scenarioDir.isEmpty ? "." : scenarioDir) { return .file(relativeIfPossible(p)) }
        if let e = executablePath ?? CommandLine.arguments.first {
            let exe = URL(fileURLWithPath: e).resolvingSymlinksInPath().deletingLastPathComponent().path
            if let p = walk(from: exe) { return .file(relativeIfPossible(p)) }
        }
        if let p = walk(from: fm.currentDirectoryPath) { return .file(relativeIfPossible(p)) }
        return .builtIn(embeddedDefaultFragility)
    }

    static func relativeIfPossible(_ p: String) -> String {
        let cwd = FileManager.default.currentDirectoryPath + "/"
        return p.hasPrefix(cwd) ? String(p.dropFirst(cwd.count)) : p
    }
}
