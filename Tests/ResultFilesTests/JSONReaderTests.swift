import ResultFiles
import Testing

/// The one JSON reader (RFC 8259): values, the lines they start on, and errors at the right line.
@Suite struct JSONReaderTests {
    @Test func valuesAndLines() throws {
        let text = "\u{FEFF}{\n  \"a\": [1, -2.5e3, true, null],\n  \"s\": \"x\\u00e9\\ud83d\\ude00\\n\",\n  \"seed\": 18446744073709551615\n}\n"
        let root = try JSONReader.parse(text)
        #expect(root.line == 1)
        guard case .array(let items)? = root["a"]?.kind else { Issue.record("a is not an array"); return }
        #expect(items.count == 4)
        if case .number(let t, let x) = items[1].kind { #expect(t == "-2.5e3" && x == -2500) } else { Issue.record("not a number") }
        if case .bool(true) = items[2].kind {} else { Issue.record("not true") }
        #expect(root["a"]?.line == 2)
        if case .string(let s)? = root["s"]?.kind { #expect(s == "xé😀\n") } else { Issue.record("s is not a string") }
        #expect(root["s"]?.line == 3)
        // the literal is kept: a UInt64 seed above 2^53 survives exactly
        if case .number(let t, _)? = root["seed"]?.kind { #expect(UInt64(t) == UInt64.max) } else { Issue.record("seed") }
        #expect(root["missing"] == nil)
        #expect(root.typeName == "an object")
    }

    /// Found by the shard fuzz target (Fuzz/fixtures/shard): a high surrogate followed by another
    /// high one overflowed UInt32 arithmetic (a trap). Lone surrogates read as U+FFFD (RFC 8259
    /// allows them; they name no character), and a pair still joins.
    @Test func loneSurrogatesAreReplacementCharacters() throws {
        func string(_ json: String) throws -> String? {
            if case .string(let s) = try JSONReader.parse(json).kind { return s }
            return nil
        }
        #expect(try string("\"\\ud808\\ud808\"") == "\u{FFFD}\u{FFFD}")
        #expect(try string("\"\\ud808\\ud83d\\ude00\"") == "\u{FFFD}😀")
        #expect(try string("\"\\ud808x\"") == "\u{FFFD}x")
        #expect(try string("\"\\ude00\"") == "\u{FFFD}")
    }

    @Test func errorsNameTheLine() {
        func error(_ text: String) -> (Int, String)? {
            do { _ = try JSONReader.parse(text); return nil } catch { return (error.line, error.message) }
        }
        #expect(error("{\n  \"a\": 1\n  \"b\": 2\n}")! == (3, "',' or '}' is expected"))
        #expect(error("{\"a\": \"x\n\"}")! == (1, "a line break inside a string"))
        #expect(error("{\"a\": nan}")! == (1, "unexpected text (a value is expected)"))
        #expect(error("{\"a\": @}")! == (1, "unexpected character (a value is expected)"))
        #expect(error("[1e999]")! == (1, "'1e999' is not a finite number"))
        #expect(error("{}\n\nx")! == (3, "unexpected text after the JSON value"))
        #expect(error("[\"\\q\"]")! == (1, "unknown escape in a string"))
        #expect(error(String(repeating: "[", count: 300))!.1 == "nesting too deep")
        #expect(error("") != nil)
    }

    @Test func finiteDecimals() {
        #expect(JSONReader.finiteDecimal("1.25") == 1.25)
        #expect(JSONReader.finiteDecimal("-0") == 0)
        #expect(JSONReader.finiteDecimal("nan") == nil)
        #expect(JSONReader.finiteDecimal("inf") == nil)
        #expect(JSONReader.finiteDecimal("0x10") == nil)
        #expect(JSONReader.finiteDecimal("1e400") == nil)
        #expect(JSONReader.finiteDecimal("") == nil)
    }
}
