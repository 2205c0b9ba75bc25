import Foundation
import InfraModel
import ResultFiles

/// Renders `report.md`, `report.html` and `briefs/<owner>.md` from a result (`ResultData`: a
/// run's, assembled in memory, or a folder's, read from its data files; docs/specification.md section 8;
/// docs/outputs.md "Reports"), so that both give the same bytes. `summary.json` and `assets.csv`
/// are required; `dependencies.csv`, `coordination.csv`, `zones.csv` and `timeline.csv` are
/// optional, and a report section whose file is absent is replaced by one sentence saying why.
/// `mitigations.csv` is optional too; without it the report has no mitigation section at all.
///
/// The output holds no dates, host names or other state: the same files give the same bytes.
/// Everything is sorted with explicit tie-breaks (ids and names in byte order).
public struct ReportBuilder {
    /// The result the reports are rendered from.
    let data: ResultData

    /// The reports of `data` (a run's, assembled in memory, or a folder's, read from its files).
    public init(data: ResultData) {
        self.data = data
    }

    /// The data files the builder reads, required ones first (what `kaskada report` should pass).
    public static let dataFileNames = [
        "summary.json", "assets.csv", "dependencies.csv", "coordination.csv",
        "zones.csv", "timeline.csv", "mitigations.csv", "footprints.geojson",
    ]

    /// `files` maps a data file name (`summary.json`, `assets.csv`, ...) to its content. Names the
    /// builder does not read are ignored. Throws `ReportDataError` listing every problem found
    /// (up to 50 per file), each naming the file, line and field.
    public init(files: [String: String]) throws {
        data = try ResultData.parse(files: files)
    }

    /// As `init(files:)`, with `paths` naming files the builder reads itself (for `assets.csv`
    /// and `dependencies.csv` of a region: no copy of them as text first). A name in `files`
    /// wins.
    public init(files: [String: String], paths: [String: String]) throws {
        data = try ResultData.parse(files: files, paths: paths)
    }

    /// `report.md`, `report.html`, then `briefs/<owner>.md` per owner in file-name order.
    public func build() -> [(name: String, content: String)] {
        let doc = ReportDocument(data: data)
        let blocks = doc.blocks()
        var out: [(name: String, content: String)] = [
            ("report.md", BlockRenderer.markdown(blocks)),
            ("report.html", ReportHTML.page(title: data.summary.scenario, blocks: blocks)),
        ]
        let scopes = BriefWriter.Scope.all(data)
        let slots = BriefWriter.SlotTable()
        for (file, owner) in Self.briefFileNames(owners: data.owners) {
            out.append(("briefs/\(file)", BriefWriter(data: data, owner: owner, scope: scopes[owner] ?? .init(), slots: slots).markdown()))
        }
        return out
    }

    /// An owner's name reduced to `[A-Za-z0-9._-]` (every other character becomes `_`).
    public static func safeFileName(_ owner: String) -> String {
        var s = ""
        for ch in owner {
            if ch.isASCII, let a = ch.asciiValue,
                (a >= 0x30 && a <= 0x39) || (a >= 0x41 && a <= 0x5A) || (a >= 0x61 && a <= 0x7A) || a == 0x2E || a == 0x5F || a == 0x2D
            {
                s.append(ch)
            } else {
                s.append("_")
            }
        }
        return s
    }

    /// Brief file names (`<safe owner>.md`) for owners in byte order. Two owners that reduce to
    /// the same name: the first in byte order keeps it, the next get `-2`, `-3`, ...
    static func briefFileNames(owners: [String]) -> [(file: String, owner: String)] {
        var used = Set<String>()
        var out: [(file: String, owner: String)] = []
        for owner in owners.sorted(by: RB.byteLess) {
            let base = safeFileName(owner)
            var name = base + ".md"
            var k = 2
            while used.contains(name) {
                name = "\(base)-\(k).md"
                k += 1
            }
            used.insert(name)
            out.append((name, owner))
        }
        return out.sorted { RB.byteLess($0.file, $1.file) }
    }
}

/// Problems found in the data files of a result folder.
public struct ReportDataError: Error, Sendable, CustomStringConvertible {
    public struct Problem: Sendable, Equatable, CustomStringConvertible {
        /// The data file's name (`assets.csv`).
        public var file: String
        /// 1-based line, 0 when the problem concerns the whole file.
        public var line: Int
        /// The column or key concerned ("" when none).
        public var field: String
        public var message: String

        public init(file: String, line: Int, field: String, message: String) {
            self.file = file
            self.line = line
            self.field = field
            self.message = message
        }

        /// `file:line: error: field 'name': message`.
        public var description: String {
            var s = file
            if line > 0 { s += ":\(line)" }
            s += ": error: "
            if !field.isEmpty { s += "field '\(field)': " }
            return s + message
        }
    }

    /// Problems in file order, then line order; at most 50 per file.
    public var problems: [Problem]
    /// Problems per file beyond the 50 listed.
    public var omitted: [String: Int]

    public init(problems: [Problem], omitted: [String: Int] = [:]) {
        self.problems = problems
        self.omitted = omitted
    }

    /// The errors of `bag` (at most 50 per file, in file order then line order) and the count
    /// of those not kept per file.
    public init(_ bag: DiagnosticBag) {
        self.init(
            problems: bag.sortedErrors.map { .init(file: $0.file, line: $0.line, field: $0.field, message: $0.message) },
            omitted: bag.omitted)
    }

    public var description: String {
        var lines = problems.map(\.description)
        for (file, n) in omitted.sorted(by: { RB.byteLess($0.key, $1.key) }) where n > 0 {
            lines.append("\(file): error: \(n) more errors not shown")
        }
        return lines.joined(separator: "\n")
    }
}

// MARK: - Shared helpers

/// Small deterministic helpers shared by the report writers.
enum RB {
    /// Byte order of UTF-8 (the order of ids everywhere in Kaskada's outputs).
    static func byteLess(_ a: String, _ b: String) -> Bool {
        a.utf8.lexicographicallyPrecedes(b.utf8)
    }

    /// A time that may lie beyond the horizon: `> H` when `beyond` (a censored quantile or
    /// median: the event had not happened by the horizon in enough samples), else `NumberText.figure(x)`.
    static func hours(_ x: Double?, beyond: Bool, horizon: Double?) -> String {
        beyond ? "> " + NumberText.figure(horizon) : NumberText.figure(x)
    }

    /// A 95% CI "lo–hi", "lo to hi" when a bound is negative (a dash would read as a minus sign).
    static func ci(_ lo: Double?, _ hi: Double?) -> String {
        if (lo ?? 0) < 0 || (hi ?? 0) < 0 { return "\(NumberText.figure(lo)) to \(NumberText.figure(hi))" }
        return "\(NumberText.figure(lo))–\(NumberText.figure(hi))"
    }

    /// Euros for chart labels: "1.2 M EUR", "150 k EUR", "900 EUR"; "–" for none.
    static func eurShort(_ x: Double?) -> String {
        guard let x, x.isFinite else { return "–" }
        let a = abs(x)
        let (d, suffix) = a >= 1e9 ? (1e9, " bn") : a >= 1e6 ? (1e6, " M") : a >= 1e3 ? (1e3, " k") : (1.0, "")
        return NumberText.figure(x / d) + suffix + " EUR"
    }

    static func html(_ s: String) -> String {
        var o = ""
        o.reserveCapacity(s.utf8.count)
        for ch in s.unicodeScalars {
            switch ch {
            case "&": o += "&amp;"
            case "<": o += "&lt;"
            case ">": o += "&gt;"
            case "\"": o += "&quot;"
            case "'": o += "&#39;"
            default:
                if ch.value < 0x20 && ch != "\n" && ch != "\t" { o += " " } else { o.unicodeScalars.append(ch) }
            }
        }
        return o
    }

    /// Markdown text: characters that could start markup are backslash-escaped; line breaks become spaces.
    static func md(_ s: String) -> String {
        var o = ""
        let chars = Array(s)
        for (i, ch) in chars.enumerated() {
            switch ch {
            case "\\", "`", "*", "|", "<", ">", "[", "]", "#":
                o.append("\\")
                o.append(ch)
            case "_":
                // intraword underscores are not emphasis in CommonMark
                let before = i > 0 && (chars[i - 1].isLetter || chars[i - 1].isNumber)
                let after = i + 1 < chars.count && (chars[i + 1].isLetter || chars[i + 1].isNumber)
                if before && after { o.append(ch) } else { o += "\\_" }
            case "\n", "\r":
                o.append(" ")
            default:
                o.append(ch)
            }
        }
        return o
    }

    /// The permutation that sorts positions 0..<n by `less` (a strict total order on positions):
    /// element k is the position that comes k-th. 32-bit, so 4 bytes a row.
    /// - Complexity: O(n log n) comparisons.
    static func sortedOrder(_ n: Int, by less: (Int, Int) -> Bool) -> [Int32] {
        var order = [Int32](unsafeUninitializedCapacity: n) { b, c in
            for k in 0..<n { b[k] = Int32(k) }
            c = n
        }
        order.sort { less(Int($0), Int($1)) }
        return order
    }

    /// The first `k` elements of `xs` in the order `less` (a strict total order), without sorting all of them.
    static func topK<S: Sequence>(_ xs: S, _ k: Int, by less: (S.Element, S.Element) -> Bool) -> [S.Element] {
        guard k > 0 else { return [] }
        var top: [S.Element] = []
        top.reserveCapacity(k + 1)
        for x in xs {
            if top.count == k, !less(x, top[k - 1]) { continue }
            var i = top.count
            while i > 0 && less(x, top[i - 1]) { i -= 1 }
            top.insert(x, at: i)
            if top.count > k { top.removeLast() }
        }
        return top
    }

    /// "x, y and z".
    static func list(_ items: [String]) -> String {
        switch items.count {
        case 0: return ""
        case 1: return items[0]
        default: return items.dropLast().joined(separator: ", ") + " and " + items.last!
        }
    }

    static func plural(_ n: Int, _ one: String, _ many: String? = nil) -> String {
        "\(n) " + (n == 1 ? one : (many ?? one + "s"))
    }
}
