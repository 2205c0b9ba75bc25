import Foundation
import ModelIO
import TestSupport
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
        let path = TemporaryFolder.url("csvreader").path + ".csv"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let a = try CSVReader(path: path), b = try CSVReader(name: "t.csv", text: text)
        #expect(a.header == ["id", "name", "x"] && b.header == a.header)
        let ra = Self.rows(a), rb = Self.rows(b)
        #expect(ra.map(\.0) == [2, 4, 6]) // the blank line 3 is skipped; row 4 spans two lines
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

/// Segments: a file is read in pieces that end on record boundaries. With segments of a few
/// bytes, every kind of row (quoted, with embedded line ends, CRLF, blank lines, a BOM, a last
/// row without a line end, malformed quotes) must read exactly as from one buffer (text).
@Suite(.serialized) struct CSVReaderSegmentTests {
    static let texts = [
        "\u{FEFF}id,name,x\r\nA,\"Grid, \"\"North\"\"\",1.5\r\n\r\nB,\"two\nlines\",2\nC,,\n",
        "a,b\n\"x\"\"y\",\"\"\n\n\n\"p\nq\nr\",s\nlast,row",
        "a,b\n1,2\nx\"y,3\n\"Grid\"Co,4\n\"open,5\n6,7\n",
        "h\r\n" + (0..<300).map { "row-\($0)-" + String(repeating: "é", count: $0 % 17) }.joined(separator: "\r\n") + "\r\n",
        "k,v\n" + (0..<200).map { "\"\($0),\"\",\n\",\(String(repeating: "z", count: $0))" }.joined(separator: "\n"),
    ]

    static func rows(_ r: CSVReader) -> [(Int, [String])] {
        var out: [(Int, [String])] = []
        while r.nextRow() { out.append((r.line, (0..<r.fieldCount).map { String(decoding: r.bytes($0), as: UTF8.self) })) }
        return out
    }

    @Test func tinySegmentsReadAsOneBuffer() throws {
        let saved = CSVReader.segmentBytes
        defer { CSVReader.segmentBytes = saved }
        let path = TemporaryFolder.url("csvsegments").path + ".csv"
        defer { try? FileManager.default.removeItem(atPath: path) }
        for (t, text) in Self.texts.enumerated() {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            let whole = try CSVReader(name: "t.csv", text: text)
            let expected = Self.rows(whole)
            for size in [1, 2, 3, 5, 8, 13, 64, 1 << 20] {
                CSVReader.segmentBytes = size
                let r = try CSVReader(path: path)
                #expect(r.header == whole.header, "text \(t), segment \(size)")
                // release as a loader does, every few rows: the current row stays readable
                var got: [(Int, [String])] = []
                while r.nextRow() {
                    got.append((r.line, (0..<r.fieldCount).map { String(decoding: r.bytes($0), as: UTF8.self) }))
                    if got.count % 3 == 0 { r.releaseEarlierRows() }
                }
                #expect(got.map(\.0) == expected.map(\.0), "text \(t), segment \(size)")
                #expect(got.map(\.1) == expected.map(\.1), "text \(t), segment \(size)")
                #expect(
                    r.syntaxError?.line == whole.syntaxError?.line && r.syntaxError?.message == whole.syntaxError?.message,
                    "text \(t), segment \(size)")
            }
        }
    }

    @Test func utf8ErrorsAcrossBlocksNameTheirLine() throws {
        let path = TemporaryFolder.url("csvutf8").path + ".csv"
        defer { try? FileManager.default.removeItem(atPath: path) }
        // a valid 2-byte character split by the 1 MiB validation block, then a bad byte lines later
        var bytes = Array("a\n".utf8)
        bytes += [UInt8](repeating: 0x78, count: (1 << 20) - 3) + [0xC3, 0xA9] + Array("\nb\nc".utf8) + [0xFF] + Array("\n".utf8)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        do {
            _ = try CSVReader(path: path)
            Issue.record("expected an error")
        } catch {
            let d = error.diagnostics.errors.first
            #expect(d?.line == 4)
            #expect(d?.message.hasPrefix("the file is not valid UTF-8: byte 0xFF at byte offset \(bytes.count - 2)") == true, "\(d?.message ?? "")")
        }
        // the same without the bad byte reads
        try Data(bytes.dropLast(2) + Array("\n".utf8)).write(to: URL(fileURLWithPath: path))
        let r = try CSVReader(path: path)
        var n = 0
        while r.nextRow() { n += 1 }
        #expect(n == 3)
    }
}
