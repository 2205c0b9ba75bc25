/// The one JSON reader of the project (RFC 8259, strict), for the files Kaskada writes and reads
/// back: `summary.json` and `manifest.json` (`kaskada report`, batches), `shard.json` (merge).
/// It keeps each value's line, so that a bad file gets "FILE:LINE: error: field 'K': …".

/// A JSON value with the line it starts on and its byte span in the text.
public struct JSONValue: Sendable {
    public enum Kind: Sendable {
        case object([(key: String, value: JSONValue)])
        case array([JSONValue])
        case string(String)
        /// The literal text and its value.
        case number(String, Double)
        case bool(Bool)
        case null
    }
    public var kind: Kind
    /// The line (1-based) the value starts on.
    public var line: Int
    /// The value's byte span in the text (after a BOM).
    public var start: Int
    public var end: Int

    /// The member `key` of an object (the last when repeated); nil for other values.
    public subscript(key: String) -> JSONValue? {
        if case .object(let members) = kind { return members.last { $0.key == key }?.value }
        return nil
    }

    /// "an object", "a string", …: for messages.
    public var typeName: String {
        switch kind {
        case .object: return "an object"
        case .array: return "an array"
        case .string: return "a string"
        case .number: return "a number"
        case .bool: return "true or false"
        case .null: return "null"
        }
    }
}

/// Where and why a text is not JSON.
public struct JSONSyntaxError: Error, Sendable {
    public var line: Int
    public var message: String
}

/// A strict JSON reader (RFC 8259) that keeps line numbers and byte spans; numbers must be finite.
public struct JSONReader {
    public let b: [UInt8]
    private var i = 0
    private var line = 1

    public init(_ text: String) {
        var bytes = Array(text.utf8)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        b = bytes
    }

    /// The JSON value of `text` (a UTF-8 BOM is skipped).
    /// - Throws: `JSONSyntaxError` with the line of the first error.
    /// - Complexity: O(text length).
    public static func parse(_ text: String) throws(JSONSyntaxError) -> JSONValue {
        var r = JSONReader(text)
        r.skipSpace()
        let v = try r.value(depth: 0)
        r.skipSpace()
        if r.i < r.b.count { throw JSONSyntaxError(line: r.line, message: "unexpected text after the JSON value") }
        return v
    }

    private mutating func skipSpace() {
        while i < b.count {
            switch b[i] {
            case 0x20, 0x09, 0x0D: i += 1
            case 0x0A: line += 1; i += 1
            default: return
            }
        }
    }

    private mutating func value(depth: Int) throws(JSONSyntaxError) -> JSONValue {
        guard depth < 200 else { throw JSONSyntaxError(line: line, message: "nesting too deep") }
        guard i < b.count else { throw JSONSyntaxError(line: line, message: "unexpected end of the file (a value is expected)") }
        let start = i, startLine = line
        switch b[i] {
        case 0x7B: // {
            i += 1
            var members: [(key: String, value: JSONValue)] = []
            skipSpace()
            if i < b.count && b[i] == 0x7D { i += 1; return JSONValue(kind: .object(members), line: startLine, start: start, end: i) }
            while true {
                skipSpace()
                guard i < b.count, b[i] == 0x22 else { throw JSONSyntaxError(line: line, message: "a key in double quotes is expected") }
                let key = try string()
                skipSpace()
                guard i < b.count, b[i] == 0x3A else { throw JSONSyntaxError(line: line, message: "':' is expected after the key \"\(key)\"") }
                i += 1
                skipSpace()
                let v = try value(depth: depth + 1)
                members.append((key, v))
                skipSpace()
                guard i < b.count else { throw JSONSyntaxError(line: line, message: "unexpected end of the file in an object") }
                if b[i] == 0x2C { i += 1; continue }
                if b[i] == 0x7D { i += 1; break }
                throw JSONSyntaxError(line: line, message: "',' or '}' is expected")
            }
            return JSONValue(kind: .object(members), line: startLine, start: start, end: i)
        case 0x5B: // [
            i += 1
            var items: [JSONValue] = []
            skipSpace()
            if i < b.count && b[i] == 0x5D { i += 1; return JSONValue(kind: .array(items), line: startLine, start: start, end: i) }
            while true {
                skipSpace()
                items.append(try value(depth: depth + 1))
                skipSpace()
                guard i < b.count else { throw JSONSyntaxError(line: line, message: "unexpected end of the file in an array") }
                if b[i] == 0x2C { i += 1; continue }
                if b[i] == 0x5D { i += 1; break }
                throw JSONSyntaxError(line: line, message: "',' or ']' is expected")
            }
            return JSONValue(kind: .array(items), line: startLine, start: start, end: i)
        case 0x22:
            let s = try string()
            return JSONValue(kind: .string(s), line: startLine, start: start, end: i)
        case 0x74, 0x66, 0x6E: // true false null
            for (word, kind) in [("true", JSONValue.Kind.bool(true)), ("false", .bool(false)), ("null", .null)] {
                let w = Array(word.utf8)
                if i + w.count <= b.count && Array(b[i..<(i + w.count)]) == w {
                    i += w.count
                    return JSONValue(kind: kind, line: startLine, start: start, end: i)
                }
            }
            throw JSONSyntaxError(line: line, message: "unexpected text (a value is expected)")
        default:
            var j = i
            while j < b.count, (b[j] >= 0x30 && b[j] <= 0x39) || b[j] == 0x2D || b[j] == 0x2B || b[j] == 0x2E || b[j] == 0x65 || b[j] == 0x45 {
                j += 1
            }
            let text = String(decoding: b[i..<j], as: UTF8.self)
            guard j > i, let x = Self.finiteDecimal(text) else {
                throw JSONSyntaxError(line: line, message: j > i ? "'\(text)' is not a finite number" : "unexpected character (a value is expected)")
            }
            i = j
            return JSONValue(kind: .number(text, x), line: startLine, start: start, end: i)
        }
    }

    private mutating func string() throws(JSONSyntaxError) -> String {
        i += 1 // opening quote
        var out: [UInt8] = []
        while i < b.count {
            let c = b[i]
            if c == 0x22 { i += 1; return String(decoding: out, as: UTF8.self) }
            if c == 0x0A { throw JSONSyntaxError(line: line, message: "a line break inside a string") }
            if c == 0x5C {
                guard i + 1 < b.count else { break }
                let e = b[i + 1]
                i += 2
                switch e {
                case 0x22: out.append(0x22)
                case 0x5C: out.append(0x5C)
                case 0x2F: out.append(0x2F)
                case 0x62: out.append(0x08)
                case 0x66: out.append(0x0C)
                case 0x6E: out.append(0x0A)
                case 0x72: out.append(0x0D)
                case 0x74: out.append(0x09)
                case 0x75:
                    var u = try hex4()
                    // a high surrogate joins a following low one; alone (or before another high one,
                    // which overflowed here: found by the shard fuzz target) it reads as U+FFFD and the
                    // next escape is read on its own
                    if u >= 0xD800 && u < 0xDC00, i + 1 < b.count, b[i] == 0x5C, b[i + 1] == 0x75 {
                        let next = i
                        i += 2
                        let lo = try hex4()
                        if lo >= 0xDC00 && lo < 0xE000 { u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00) } else { i = next }
                    }
                    let scalar = Unicode.Scalar(u) ?? "\u{FFFD}"
                    out.append(contentsOf: Array(String(Character(scalar)).utf8))
                default:
                    throw JSONSyntaxError(line: line, message: "unknown escape in a string")
                }
                continue
            }
            out.append(c)
            i += 1
        }
        throw JSONSyntaxError(line: line, message: "a string is not closed before the end of the file")
    }

    private mutating func hex4() throws(JSONSyntaxError) -> UInt32 {
        guard i + 4 <= b.count, let v = UInt32(String(decoding: b[i..<(i + 4)], as: UTF8.self), radix: 16) else {
            throw JSONSyntaxError(line: line, message: "\\u must be followed by four hex digits")
        }
        i += 4
        return v
    }

    /// A finite decimal (digits, sign, point, exponent); nil for anything else ("nan", "inf", hex).
    public static func finiteDecimal(_ s: String) -> Double? {
        guard !s.isEmpty, s.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2E || $0 == 0x2D || $0 == 0x2B || $0 == 0x65 || $0 == 0x45 }),
            s.utf8.contains(where: { $0 >= 0x30 && $0 <= 0x39 }),
            let x = Double(s), x.isFinite
        else { return nil }
        return x
    }
}
