import InfraModel
import ModelIO
import ResultFiles

/// The subset of MATLAB that MATPOWER case files use: `mpc.NAME = [ numeric matrix ];`,
/// `mpc.NAME = { 'cell'; 'strings' };`, `mpc.NAME = 'string';` and scalars, with `%` comments.
/// Rows end at `;` or at a line end, as in MATLAB; values are separated by blanks or commas.
/// Every row keeps its line for messages. O(file size).
struct MatlabCase {
    struct Matrix {
        var name: String
        /// The line of `mpc.NAME = [`.
        var line: Int
        var rows: [[Double]] = []
        var lines: [Int] = []

        /// Records an error when a row has fewer than `n` columns.
        func requireColumns(_ n: Int, names: String, file: String, bag: inout DiagnosticBag) {
            for (r, row) in rows.enumerated() where row.count < n {
                bag.error(
                    file, line: lines[r], field: "mpc.\(name)",
                    "a row of \(row.count) values: expected at least \(n) (\(names))")
            }
        }
    }
    struct Cells {
        var line: Int
        var values: [String] = []
    }

    var matrices: [String: Matrix] = [:]
    var strings: [String: (value: String, line: Int)] = [:]
    var cells: [String: Cells] = [:]

    static func parse(_ input: ImportInput) throws(InputError) -> MatlabCase {
        var doc = MatlabCase()
        var bag = DiagnosticBag()
        let file = input.path
        enum Block {
            case none
            case matrix(String)
            case cells(String)
        }
        var block = Block.none
        for (k, raw) in input.lines.enumerated() {
            let lineNo = k + 1
            var line = LineText.beforeComment(raw, 37, quotes: true) // '%'

            if case .none = block {
                let t = line.drop { $0 == " " || $0 == "\t" }
                guard t.utf8.starts(with: "mpc.".utf8), let eq = t.firstIndex(of: "=") else { continue }
                let name = t[t.index(t.startIndex, offsetBy: 4)..<eq].trimmed(" \t")
                var rest = t[t.index(after: eq)...].drop { $0 == " " || $0 == "\t" }
                if rest.hasPrefix("[") {
                    doc.matrices[name] = Matrix(name: name, line: lineNo)
                    block = .matrix(name)
                    rest = rest.dropFirst()
                    line = rest
                } else if rest.hasPrefix("{") {
                    doc.cells[name] = Cells(line: lineNo)
                    block = .cells(name)
                    rest = rest.dropFirst()
                    line = rest
                } else if rest.hasPrefix("'") {
                    let body = rest.dropFirst()
                    if let q = body.firstIndex(of: "'") { doc.strings[name] = (String(body[..<q]), lineNo) }
                    continue
                } else {
                    continue
                }
            }
            switch block {
            case .none: break
            case .matrix(let name):
                var text = line
                var closed = false
                if let end = text.utf8.firstIndex(of: 93) { text = text[..<end]; closed = true }
                for seg in LineText.tokens(text, { $0 == 59 }) { // rows end at ";"
                    let toks = LineText.tokens(seg, LineText.isBlankOrComma)
                    if toks.isEmpty { continue }
                    var row: [Double] = []
                    row.reserveCapacity(toks.count)
                    for tok in toks {
                        if let v = Double(tok) {
                            row.append(v)
                        } else {
                            bag.error(file, line: lineNo, field: "mpc.\(name)", "'\(tok)' is not a number")
                            row.append(.nan)
                        }
                    }
                    doc.matrices[name]!.rows.append(row)
                    doc.matrices[name]!.lines.append(lineNo)
                }
                if closed { block = .none }
            case .cells(let name):
                var text = line
                var closed = false
                if let end = text.utf8.firstIndex(of: 125) { text = text[..<end]; closed = true }
                var i = text.startIndex
                while let q = text[i...].firstIndex(of: "'") {
                    let after = text.index(after: q)
                    guard let e = text[after...].firstIndex(of: "'") else { break }
                    doc.cells[name]!.values.append(String(text[after..<e]))
                    i = text.index(after: e)
                }
                if closed { block = .none }
            }
        }
        if case .matrix(let name) = block {
            bag.error(file, line: doc.matrices[name]!.line, field: "mpc.\(name)", "the matrix is not closed: expected '];'")
        }
        if bag.hasErrors { throw InputError(bag) }
        return doc
    }

    static func show(_ x: Double) -> String { x.isNaN ? "not a number" : JSON.number(x) }
}

extension Substring {
    func trimmed(_ set: String) -> String {
        var s = self
        while let f = s.first, set.contains(f) { s = s.dropFirst() }
        while let l = s.last, set.contains(l) { s = s.dropLast() }
        return String(s)
    }
}
