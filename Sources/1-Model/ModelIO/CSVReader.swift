#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A fast reader of RFC 4180 CSV files: UTF-8, optional BOM, LF or CRLF line ends,
/// quoted fields (with `""` escapes and embedded line breaks).
///
/// A file is read in segments of about `segmentBytes` that end on a record boundary (a line
/// end outside quotes), so a row never spans two segments; a row's fields are byte ranges into
/// the current segment, so reading a row allocates nothing. Earlier segments stay in memory
/// (field bytes of earlier rows stay valid) until the caller says it holds none with
/// `releaseEarlierRows()`: a loader that commits rows in chunks then needs a few segments, not
/// the whole file. Physical line numbers are tracked for diagnostics.
///
/// - Complexity: O(file size) time (the file is read twice: once to check UTF-8, once to
///   parse); O(segment + columns) extra space when earlier rows are released, else the file's size.
public final class CSVReader {
    // Unchecked exclusivity on the cursor fields: they are read and written per byte and per field of
    // files of 10^6+ rows (benchmarks/load-1m.sh); a reader belongs to one thread.
    /// The file name used in diagnostics.
    public let path: String
    @exclusivity(unchecked) public private(set) var header: [String] = []
    /// Physical line (1-based) on which the current row starts.
    @exclusivity(unchecked) public private(set) var line = 0
    /// Number of fields on the current row.
    @exclusivity(unchecked) public private(set) var fieldCount = 0

    /// Bytes read per segment (a segment grows when one row is longer). Tests lower it to put
    /// segment boundaries everywhere.
    nonisolated(unsafe) public static var segmentBytes = 8 << 20

    /// The current segment: rows in `pos..<end`, then `end..<filled` carried to the next one.
    @exclusivity(unchecked) private var buffer: UnsafeMutableBufferPointer<UInt8>
    @exclusivity(unchecked) private var pos = 0
    @exclusivity(unchecked) private var end = 0
    @exclusivity(unchecked) private var filled = 0
    /// File offset of `buffer[0]`, and the file's size (after the BOM check: the whole file).
    @exclusivity(unchecked) private var bufferOffset = 0
    private let fileSize: Int
    /// Open until the whole file is in segments; nil for text.
    @exclusivity(unchecked) private var file: UnsafeMutablePointer<FILE>?
    /// Earlier segments, kept until `releaseEarlierRows()`.
    @exclusivity(unchecked) private var earlier: [UnsafeMutableBufferPointer<UInt8>] = []
    @exclusivity(unchecked) private var nextLine = 1
    @exclusivity(unchecked) private var starts: [Int] = []
    @exclusivity(unchecked) private var ends: [Int] = []
    @exclusivity(unchecked) private var columnIndex: [String: Int] = [:]

    /// The first syntax error of the rows read so far: a quote inside an unquoted field, text
    /// after a closing quote, or a quoted field not closed before the end of the file. Model
    /// files are read leniently (`"Grid"Co` reads as `GridCo`, as spreadsheet programs read it);
    /// a strict reader (the result files of `kaskada report`) stops at it.
    @exclusivity(unchecked) public private(set) var syntaxError: (line: Int, message: String)?

    /// Opens `path` and reads its header row.
    /// - Throws: `InputError` when the file is missing, unreadable, not UTF-8 or has no header.
    public init(path: String) throws(InputError) {
        self.path = path
        guard let f = fopen(path, "rb") else {
            let why = errno == ENOENT ? "file not found" : String(cString: strerror(errno))
            throw InputError(file: path, "cannot read the file: \(why)")
        }
        fseek(f, 0, SEEK_END)
        fileSize = max(0, ftell(f))
        fseek(f, 0, SEEK_SET)
        buffer = Self.allocate(1)
        file = f
        // UTF-8 first, streamed (constant memory), so that an error names its line before any row is read
        switch Self.checkUTF8(f) {
        case .invalid(let line, let offset, let byte):
            throw InputError(file: path, line: line, Self.notUTF8(byte: byte, offset: offset))
        case .valid(let lineFeeds):
            self.lineFeeds = lineFeeds
        }
        fseek(f, 0, SEEK_SET)
        try readHeader()
    }

    /// Reads `text` as the contents of a file called `name` (for diagnostics), header row first.
    /// - Throws: `InputError` when `text` has no header row.
    public init(name: String, text: String) throws(InputError) {
        path = name
        var text = text
        buffer = text.withUTF8 { u -> UnsafeMutableBufferPointer<UInt8> in
            let b = Self.allocate(u.count + 1)
            if u.count > 0 { _ = UnsafeMutableBufferPointer(rebasing: b[0..<u.count]).initialize(from: u) }
            return b
        }
        fileSize = buffer.count - 1
        filled = fileSize
        end = fileSize
        try readHeader()
    }

    private func readHeader() throws(InputError) {
        if file != nil { _ = loadSegment(first: true) }
        if filled >= 3 && buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF { pos = 3 }
        guard nextRow() else {
            throw InputError(file: path, line: 1, "the file is empty: expected a header row")
        }
        header = (0..<fieldCount).map { string($0) }
        for (i, h) in header.enumerated() where columnIndex[h] == nil { columnIndex[h] = i }
    }

    deinit {
        free(buffer.baseAddress)
        for b in earlier { free(b.baseAddress) }
        if let f = file { fclose(f) }
    }

    /// Frees the segments before the current row's: the caller holds no field bytes of earlier
    /// rows (a loader calls it after committing a chunk of rows).
    public func releaseEarlierRows() {
        for b in earlier { free(b.baseAddress) }
        earlier.removeAll()
    }

    /// A segment buffer; large ones ask for huge pages (fewer page faults and TLB misses).
    private static func allocate(_ n: Int) -> UnsafeMutableBufferPointer<UInt8> {
        var raw: UnsafeMutableRawPointer? = nil
        let big = n >= 1 << 22
        guard posix_memalign(&raw, big ? 1 << 21 : 64, max(1, n)) == 0, let r = raw else { fatalError("CSVReader: out of memory for \(n) bytes") }
        #if canImport(Glibc)
            if big { _ = madvise(r, n, 14 /* MADV_HUGEPAGE */) }
        #endif
        return UnsafeMutableBufferPointer(start: r.bindMemory(to: UInt8.self, capacity: max(1, n)), count: max(1, n))
    }

    /// Moves to the next segment: the bytes carried from the current one, then more of the file,
    /// up to the last record boundary (the whole rest at the end of the file). The current
    /// segment joins the earlier ones. False when the file has no more bytes.
    private func loadSegment(first: Bool = false) -> Bool {
        guard let f = file else { return false }
        let carry = filled - end
        var cap = max(Self.segmentBytes, 2 * carry, 1)
        var seg = Self.allocate(cap)
        if carry > 0 { (seg.baseAddress!).update(from: buffer.baseAddress! + end, count: carry) }
        let offset = bufferOffset + end
        var n = carry
        var atEnd = false
        // record boundaries follow the parser's own rules (a quote opens a field only at its start)
        var scan = BoundaryScan()
        var scanned = 0
        var boundary = 0
        while true {
            let want = cap - n
            let got = want > 0 ? fread(seg.baseAddress! + n, 1, want, f) : 0
            n += got
            if got < want { atEnd = true }
            if atEnd { boundary = n; break }
            if scanned == 0 && first && n >= 3 && seg[0] == 0xEF && seg[1] == 0xBB && seg[2] == 0xBF { scanned = 3 }
            if let b = scan.lastBoundary(seg, from: scanned, to: n) { boundary = b }
            scanned = n
            if boundary > 0 { break }
            // one row longer than the segment: grow it
            let bigger = Self.allocate(2 * cap)
            (bigger.baseAddress!).update(from: seg.baseAddress!, count: n)
            free(seg.baseAddress)
            seg = bigger
            cap *= 2
        }
        if atEnd { fclose(f); file = nil }
        if first { free(buffer.baseAddress) } else { earlier.append(buffer) }
        buffer = seg
        bufferOffset = offset
        pos = 0
        end = boundary
        filled = n
        return n > 0
    }

    /// Finds record boundaries (just after a line feed outside a quoted field) with the
    /// parser's rules: a quote opens a quoted field only at the start of a field; inside one,
    /// `""` is a quote and `"` closes it; bytes after the closing quote run to the separator.
    private struct BoundaryScan {
        enum State { case fieldStart, unquoted, quoted, quoteSeen, afterQuote }
        var state = State.fieldStart

        /// The position after the last boundary in `b[from..<to]` (nil: none), continuing from
        /// the state where the previous call stopped. Without any quote in the range, the
        /// last line feed is the boundary.
        mutating func lastBoundary(_ b: UnsafeMutableBufferPointer<UInt8>, from: Int, to: Int) -> Int? {
            guard to > from else { return nil }
            if state == .fieldStart || state == .unquoted || state == .afterQuote,
                memchr(b.baseAddress! + from, 0x22, to - from) == nil
            {
                var lfAt = to - 1
                while lfAt >= from && b[lfAt] != 0x0A { lfAt -= 1 }
                guard lfAt >= from else {
                    // no line end: the state moves on to inside a field unless the range ends a field
                    let last = b[to - 1]
                    if last == 0x2C || last == 0x0D { state = .fieldStart } else if state == .fieldStart { state = .unquoted }
                    return nil
                }
                let after = lfAt + 1
                // the tail after the last line feed sets the state
                state = .fieldStart
                for i in after..<to {
                    let c = b[i]
                    if c == 0x2C || c == 0x0D { state = .fieldStart } else if state == .fieldStart { state = .unquoted }
                }
                return after
            }
            var last: Int? = nil
            for i in from..<to {
                let c = b[i]
                switch state {
                case .fieldStart:
                    if c == 0x22 { state = .quoted } else if c == 0x0A { last = i + 1 } else if c != 0x2C && c != 0x0D { state = .unquoted }
                case .unquoted, .afterQuote:
                    if c == 0x2C || c == 0x0D { state = .fieldStart } else if c == 0x0A { state = .fieldStart; last = i + 1 }
                case .quoted:
                    if c == 0x22 { state = .quoteSeen }
                case .quoteSeen:
                    if c == 0x22 {
                        state = .quoted
                    } else if c == 0x2C || c == 0x0D {
                        state = .fieldStart
                    } else if c == 0x0A {
                        state = .fieldStart; last = i + 1
                    } else {
                        state = .afterQuote
                    }
                }
            }
            return last
        }
    }

    private enum UTF8Check {
        case valid(lineFeeds: Int)
        case invalid(line: Int, offset: Int, byte: UInt8)
    }

    /// Why a file is not UTF-8, and the fix: a byte 0x80–0xFF that is a letter in Windows-1252
    /// (the encoding of spreadsheet exports on Western European Windows: ä 0xE4, ß 0xDF, é 0xE9)
    /// names the encoding and the character it stands for there.
    static func notUTF8(byte: UInt8, offset: Int) -> String {
        let hex = String(format: "0x%02X", byte)
        var text = "the file is not valid UTF-8: byte \(hex) at byte offset \(offset)"
        if byte >= 0xA0 || (byte >= 0x80 && ![0x81, 0x8D, 0x8F, 0x90, 0x9D].contains(byte)),
            let ch = String(bytes: [byte], encoding: .windowsCP1252)
        {
            text +=
                " is '\(ch)' in Windows-1252/Latin-1, the usual encoding of spreadsheet exports on Windows: save the file as UTF-8 (in a spreadsheet: 'CSV UTF-8'; or iconv -f WINDOWS-1252 -t UTF-8)"
        } else {
            text += ": save the file as UTF-8"
        }
        return text
    }

    /// The line and file offset of the first byte that is not UTF-8 (after a BOM), or the
    /// number of line feeds of a valid file; read in blocks.
    private static func checkUTF8(_ f: UnsafeMutablePointer<FILE>) -> UTF8Check {
        let blockSize = 1 << 20
        let block = UnsafeMutablePointer<UInt8>.allocate(capacity: blockSize + 4)
        defer { block.deallocate() }
        var carry = 0, offset = 0, line = 1
        var first = true
        while true {
            let got = fread(block + carry, 1, blockSize, f)
            let to = carry + got
            let atEnd = got < blockSize
            var i = 0
            if first { first = false; if to >= 3 && block[0] == 0xEF && block[1] == 0xBB && block[2] == 0xBF { i = 3 } }
            while i < to {
                let c = block[i]
                if c < 0x80 { if c == 10 { line += 1 }; i += 1; continue }
                var n = 0
                if c & 0xE0 == 0xC0 && c >= 0xC2 {
                    n = 1
                } else if c & 0xF0 == 0xE0 {
                    n = 2
                } else if c & 0xF8 == 0xF0 && c <= 0xF4 {
                    n = 3
                } else {
                    return .invalid(line: line, offset: offset + i, byte: block[i])
                }
                if i + n >= to {
                    if atEnd { return .invalid(line: line, offset: offset + i, byte: block[i]) }
                    break // a sequence split by the block: checked with the next block
                }
                for k in 1...n where block[i + k] & 0xC0 != 0x80 { return .invalid(line: line, offset: offset + i, byte: block[i]) }
                i += n + 1
            }
            if atEnd { return .valid(lineFeeds: line - 1) }
            carry = to - i
            if carry > 0 { block.update(from: block + i, count: carry) }
            offset += i
        }
    }

    /// Line feeds in the file (counted while checking UTF-8); nil for text.
    private var lineFeeds: Int?

    /// An estimate of the number of data rows: for a file, an upper bound (its line feeds, less
    /// the header's, plus a last line without one), exact unless rows hold line breaks or the
    /// file blank lines; for text, from the first rows' length.
    public var estimatedRows: Int {
        if let lf = lineFeeds { return max(1, lf) }
        var i = pos, lines = 0
        let sampleEnd = min(end, pos + 65536)
        while i < sampleEnd { if buffer[i] == 10 { lines += 1 }; i += 1 }
        guard lines > 0 else { return 1 }
        let perLine = Double(sampleEnd - pos) / Double(lines)
        return Int(Double(fileSize - bufferOffset - pos) / perLine * 1.05) + 1
    }

    /// Column index of header `name`, or nil.
    public func column(_ name: String) -> Int? { columnIndex[name] }

    /// Header names that appear more than once.
    public var duplicateHeaders: [String] {
        var seen = Set<String>(), dup: [String] = []
        for h in header where !seen.insert(h).inserted { dup.append(h) }
        return dup
    }

    /// Advances to the next non-blank row. Returns false at the end of the file.
    @discardableResult
    public func nextRow() -> Bool {
        starts.removeAll(keepingCapacity: true)
        ends.removeAll(keepingCapacity: true)
        // skip blank lines, moving to the next segment at the end of this one (a segment ends
        // on a record boundary: a row never spans two)
        while true {
            while pos < end && (buffer[pos] == 10 || buffer[pos] == 13) {
                if buffer[pos] == 10 { nextLine += 1 }
                pos += 1
            }
            if pos < end { break }
            if !loadSegment() { fieldCount = 0; return false }
        }
        line = nextLine
        while true {
            if pos < end && buffer[pos] == UInt8(ascii: "\"") {
                // quoted field: unescape in place, moving bytes left over the escapes
                pos += 1
                let s = pos
                var w = pos
                var closed = false
                while pos < end {
                    let c = buffer[pos]
                    if c == UInt8(ascii: "\"") {
                        if pos + 1 < end && buffer[pos + 1] == UInt8(ascii: "\"") {
                            buffer[w] = c; w += 1; pos += 2; continue
                        }
                        pos += 1
                        closed = true
                        break
                    }
                    if c == 10 { nextLine += 1 }
                    buffer[w] = c; w += 1; pos += 1
                }
                if !closed { noteSyntaxError(line, "a quoted field is not closed before the end of the file") }
                // anything after the closing quote up to the separator is kept verbatim
                // (`"Grid"Co` reads as `GridCo`, as spreadsheet programs read it)
                if pos < end && buffer[pos] != UInt8(ascii: ",") && buffer[pos] != 10 && buffer[pos] != 13 {
                    noteSyntaxError(nextLine, "text after the closing quote of a field")
                }
                while pos < end && buffer[pos] != UInt8(ascii: ",") && buffer[pos] != 10 && buffer[pos] != 13 {
                    buffer[w] = buffer[pos]; w += 1; pos += 1
                }
                starts.append(s); ends.append(w)
            } else {
                let s = pos
                while pos < end {
                    let c = buffer[pos]
                    if c == UInt8(ascii: ",") || c == 10 || c == 13 { break }
                    if c == UInt8(ascii: "\"") {
                        noteSyntaxError(nextLine, "a quote inside an unquoted field (quote the whole field and double the quote)")
                    }
                    pos += 1
                }
                starts.append(s); ends.append(pos)
            }
            if pos < end && buffer[pos] == UInt8(ascii: ",") { pos += 1; continue }
            // end of row
            if pos < end && buffer[pos] == 13 { pos += 1 }
            if pos < end && buffer[pos] == 10 { pos += 1; nextLine += 1 }
            break
        }
        fieldCount = starts.count
        return true
    }

    private func noteSyntaxError(_ line: Int, _ message: String) {
        if syntaxError == nil { syntaxError = (line, message) }
    }

    /// The bytes of field `i` of the current row (empty when the row is shorter).
    @inline(__always)
    public func bytes(_ i: Int) -> UnsafeBufferPointer<UInt8> {
        guard i >= 0 && i < fieldCount else { return UnsafeBufferPointer(start: nil, count: 0) }
        return UnsafeBufferPointer(rebasing: buffer[starts[i]..<ends[i]])
    }

    /// The bytes of field `i` without surrounding spaces and tabs.
    @inline(__always)
    public func trimmedBytes(_ i: Int) -> UnsafeBufferPointer<UInt8> {
        let b = bytes(i)
        var lo = 0, hi = b.count
        while lo < hi && (b[lo] == 32 || b[lo] == 9) { lo += 1 }
        while hi > lo && (b[hi - 1] == 32 || b[hi - 1] == 9) { hi -= 1 }
        if lo == 0 && hi == b.count { return b }
        return UnsafeBufferPointer(rebasing: b[lo..<hi])
    }

    /// Whether field `i` is empty or only spaces.
    public func isBlank(_ i: Int) -> Bool {
        bytes(i).allSatisfy { $0 == 32 || $0 == 9 }
    }

    /// Field `i` as a String (spaces around it trimmed).
    public func string(_ i: Int) -> String {
        var b = bytes(i)
        while let f = b.first, f == 32 || f == 9 { b = UnsafeBufferPointer(rebasing: b.dropFirst()) }
        while let l = b.last, l == 32 || l == 9 { b = UnsafeBufferPointer(rebasing: b.dropLast()) }
        return String(decoding: b, as: UTF8.self)
    }

    /// Field `i` as a finite decimal number; nil when blank, `.failure` when not a finite number.
    public func number(_ i: Int) -> NumberField {
        NumberParser.parse(bytes(i))
    }
}

/// The result of reading a numeric field.
public enum NumberField: Equatable {
    case blank
    case value(Double)
    case invalid(String)
}

/// Parses finite decimal numbers from bytes: fast exact path for short decimals
/// (Clinger 1990), `strtod` otherwise. Rejects `nan`, `inf` and hexadecimal.
public enum NumberParser {
    private static let pow10: [Double] = [
        1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]

    public static func parse(_ raw: UnsafeBufferPointer<UInt8>) -> NumberField {
        var lo = 0, hi = raw.count
        while lo < hi && (raw[lo] == 32 || raw[lo] == 9) { lo += 1 }
        while hi > lo && (raw[hi - 1] == 32 || raw[hi - 1] == 9) { hi -= 1 }
        if lo == hi { return .blank }
        let b = UnsafeBufferPointer(rebasing: raw[lo..<hi])
        // fast path: [-+]digits[.digits], at most 15 significant digits
        var i = 0
        var neg = false
        if b[0] == UInt8(ascii: "-") || b[0] == UInt8(ascii: "+") { neg = b[0] == UInt8(ascii: "-"); i = 1 }
        var mant: UInt64 = 0, digits = 0, frac = 0, sawDot = false, simple = i < b.count
        while i < b.count {
            let c = b[i]
            if c >= 48 && c <= 57 {
                if digits > 0 || c != 48 { digits += 1 }
                mant = mant &* 10 &+ UInt64(c - 48)
                if sawDot { frac += 1 }
            } else if c == UInt8(ascii: ".") && !sawDot {
                sawDot = true
            } else {
                simple = false
                break
            }
            i += 1
        }
        if simple && digits <= 15 && frac <= 22 && !(sawDot && b.count == (b[0] == 45 || b[0] == 43 ? 2 : 1)) {
            let v = Double(mant) / pow10[frac]
            return .value(neg ? -v : v)
        }
        // validate characters: digits, sign, dot, exponent only
        for c in b {
            let ok = (c >= 48 && c <= 57) || c == 43 || c == 45 || c == 46 || c == 101 || c == 69
            if !ok { return .invalid(String(decoding: b, as: UTF8.self)) }
        }
        if b.count > 256 { return .invalid(String(decoding: b.prefix(40), as: UTF8.self) + "…") }
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: b.count + 1) { tmp -> NumberField in
            for k in 0..<b.count { tmp[k] = CChar(bitPattern: b[k]) }
            tmp[b.count] = 0
            var endp: UnsafeMutablePointer<CChar>? = nil
            let v = strtod(tmp.baseAddress!, &endp)
            guard let e = endp, e - tmp.baseAddress! == b.count, v.isFinite else {
                return .invalid(String(decoding: b, as: UTF8.self))
            }
            return .value(v)
        }
    }

    /// Parses a String (for YAML scalars and tests).
    public static func parse(_ s: String) -> NumberField {
        var s = s
        return s.withUTF8 { parse($0) }
    }
}
