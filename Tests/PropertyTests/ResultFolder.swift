import Foundation
import Testing

/// The files of result folders, for byte comparisons.
enum ResultFolder {
    /// Relative paths of the files below `dir`, `run.log` left out (it holds times, host and
    /// threads and is outside the identity guarantee: docs/specification.md section 8, docs/outputs.md).
    static func files(_ dir: URL) -> [String] {
        let fm = FileManager.default
        return (fm.enumerator(atPath: dir.path)?.allObjects as? [String] ?? []).filter {
            var d: ObjCBool = false
            return fm.fileExists(atPath: dir.appendingPathComponent($0).path, isDirectory: &d) && !d.boolValue && $0 != "run.log"
        }.sorted()
    }

    /// Records an issue for every file (but those in `except`) that `a` and `b` do not hold with
    /// the same bytes, after `normalize` (by default none) on both sides.
    static func expectSame(
        _ a: URL, _ b: URL, _ what: String, except: Set<String> = [],
        normalize: (Data) -> Data = { $0 }
    ) {
        let fa = files(a).filter { !except.contains($0) }, fb = files(b).filter { !except.contains($0) }
        #expect(fa.contains("summary.json") && fa.contains("report.md"), "\(what): \(fa)")
        #expect(fa == fb, "\(what): the folders hold different files: \(fa) vs \(fb)")
        for f in fa where fb.contains(f) {
            let da = try? Data(contentsOf: a.appendingPathComponent(f)), db = try? Data(contentsOf: b.appendingPathComponent(f))
            #expect(da != nil && da.map(normalize) == db.map(normalize), "\(what): \(f) differs")
        }
    }

    /// Every decimal fraction in the text rounded to 12 significant digits (`%.12g`): hides
    /// differences in the last bits of a double, and nothing else.
    static func roundedNumbers(_ data: Data) -> Data {
        let text = String(decoding: data, as: UTF8.self)
        let ns = text as NSString
        var out = ""
        var last = 0
        for m in number.matches(in: text, range: NSRange(location: 0, length: ns.length)) {
            out += ns.substring(with: NSRange(location: last, length: m.range.location - last))
            let s = ns.substring(with: m.range)
            out += Double(s).map { String(format: "%.12g", $0) } ?? s
            last = m.range.location + m.range.length
        }
        out += ns.substring(from: last)
        return Data(out.utf8)
    }

    nonisolated(unsafe) static let number = try! NSRegularExpression(pattern: "-?[0-9]+\\.[0-9]+([eE][-+]?[0-9]+)?")
}
