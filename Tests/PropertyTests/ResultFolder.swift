import Foundation
import Testing

/// The files of result folders, for byte comparisons.
enum ResultFolder {
    /// Relative paths of the files below `dir`, `run.log` left out (it holds times, host and
    /// threads and is outside the identity guarantee: DESIGN.md section 8, docs/outputs.md).
    static func files(_ dir: URL) -> [String] {
        let fm = FileManager.default
        return (fm.enumerator(atPath: dir.path)?.allObjects as? [String] ?? []).filter {
            var d: ObjCBool = false
            return fm.fileExists(atPath: dir.appendingPathComponent($0).path, isDirectory: &d) && !d.boolValue && $0 != "run.log"
        }.sorted()
    }

    /// Records an issue for every file (but those in `except`) that `a` and `b` do not hold with the same bytes.
    static func expectSame(_ a: URL, _ b: URL, _ what: String, except: Set<String> = []) {
        let fa = files(a).filter { !except.contains($0) }, fb = files(b).filter { !except.contains($0) }
        #expect(fa.contains("summary.json") && fa.contains("report.md"), "\(what): \(fa)")
        #expect(fa == fb, "\(what): the folders hold different files: \(fa) vs \(fb)")
        for f in fa where fb.contains(f) {
            let da = try? Data(contentsOf: a.appendingPathComponent(f)), db = try? Data(contentsOf: b.appendingPathComponent(f))
            #expect(da != nil && da == db, "\(what): \(f) differs")
        }
    }
}
