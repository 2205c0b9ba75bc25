import Foundation
import ModelIO

import Testing

/// ModelIO's CSV reader, the one CSV reader of the project: the same rows from a file and from
/// text, physical line numbers, and the syntax errors a strict reader (`kaskada report`) stops at.
@Suite struct CSVReaderTests {
    static func rows(_ r: CSVReader) -> [(Int, [String])] {
        var out: [(Int, [String])] = []
        while r.nextRow() { out.append((r.line, (0..<r.fieldCount).map { String(decoding: r.bytes($0), as: UTF8.self) })) }
        return out
    }

    @Test func textAndFileReadAlike() throws {
        let text = "\u{FEFF}id,name,x\r\nA,\"Grid, \"\"North\"\"\",1.5\r\n\r\nB,\"two\nlines\",2\nC,,\n"
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("csvreader-\(getpid()).csv").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let a = try CSVReader(path: path), b = try CSVReader(name: "t.csv", text: text)
        #expect(a.header == ["id", "name", "x"] && b.header == a.header)
        let ra = Self.rows(a), rb = Self.rows(b)
        #expect(ra.map(\.0) == [2, 4, 6])   // the blank line 3 is skipped; row 4 spans two lines
        #expect(ra.map(\.1) == [["A", "Grid, \"North\"", "1.5"], ["B", "two\nlines", "2"], ["C", "", ""]])
        #expect(rb.map(\.0) == ra.map(\.0) && rb.map(\.1) == ra.map(\.1))
        #expect(a.syntaxError == nil && b.syntaxError == nil)
        #expect(b.path == "t.csv")
    }

    @Test func syntaxErrorsAreRecordedWithTheirLine() throws {
        func first(_ text: String) throws -> (Int, String)? {
            let r = try CSVReader(name: "t.csv", text: text)
            while r.nextRow() {}
            return r.syntaxError.map { ($0.line, $0.message) }
        }
        #expect(try first("a,b\n1,2\nx\"y,3\n")! == (3, "a quote inside an unquoted field (quote the whole field and double the quote)"))
        #expect(try first("a,b\n\"Grid\"Co,1\n")! == (2, "text after the closing quote of a field"))
        #expect(try first("a,b\n1,2\n\"open,3\n4,5\n")! == (3, "a quoted field is not closed before the end of the file"))
        #expect(try first("a,b\n\"\",\"x\"\"y\"\n") == nil)
        // lenient reading is kept for model files: the value still reads as a spreadsheet reads it
        let r = try CSVReader(name: "t.csv", text: "owner\n\"Grid\"Co\n")
        #expect(r.nextRow() && r.string(0) == "GridCo")
        #expect(r.syntaxError?.line == 2)
    }

    @Test func emptyTextHasNoHeader() {
        #expect(throws: InputError.self) { try CSVReader(name: "t.csv", text: "") }
        #expect(throws: InputError.self) { try CSVReader(name: "t.csv", text: "\n\r\n") }
        let headerOnly = try? CSVReader(name: "t.csv", text: "a,b\n")
        #expect(headerOnly?.header == ["a", "b"] && headerOnly?.nextRow() == false)
    }
}
