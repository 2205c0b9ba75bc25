import Foundation
import Testing

@testable import ResultFiles

/// The model digest reads tables in parts: its row multiset must not depend on where the parts
/// split the file (a row, a CR-LF pair or the byte-order mark cut in two).
@Suite struct InputDigestTests {
    /// The whole-buffer definition of the row multiset (docs/specification.md: row order never
    /// changes a result): split on LF, drop one trailing CR, skip empty lines, first line the header.
    static func reference(_ b: [UInt8]) -> (header: String, count: Int, sum1: UInt64, sum2: UInt64) {
        var count = 0, sum1: UInt64 = 0, sum2: UInt64 = 0, header = ""
        var start = b.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        var first = true
        while start < b.count {
            var end = start
            while end < b.count && b[end] != 0x0A { end += 1 }
            var stop = end
            if stop > start && b[stop - 1] == 0x0D { stop -= 1 }
            if stop > start {
                if first {
                    header = SHA256.hex(b[start..<stop]); first = false
                } else {
                    var h1: UInt64 = 0xcbf29ce484222325, h2: UInt64 = 0x84222325cbf29ce4
                    for k in start..<stop {
                        h1 = (h1 ^ UInt64(b[k])) &* 0x100000001b3
                        h2 = (h2 ^ UInt64(b[k])) &* 0x100000001b3
                    }
                    count += 1; sum1 &+= h1; sum2 &+= h2 ^ (h2 >> 29)
                }
            }
            start = end + 1
        }
        return (header, count, sum1, sum2)
    }

    @Test func rowMultisetDoesNotDependOnTheParts() {
        var rng = SystemRandomNumberGenerator()
        let alphabet: [UInt8] = [0x61, 0x62, 0x2C, 0x0D, 0x0A, 0x0A, 0xEF, 0xBB, 0xBF]
        for trial in 0..<400 {
            var bytes: [UInt8] = trial % 3 == 0 ? [0xEF, 0xBB, 0xBF] : []
            bytes += (0..<Int.random(in: 0...60, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }
            let want = Self.reference(bytes)
            var got = InputDigest.RowMultiset()
            var k = 0
            while k < bytes.count {
                let n = min(bytes.count - k, Int.random(in: 1...4, using: &rng))
                bytes[k..<(k + n)].withUnsafeBufferPointer { got.add($0) }
                k += n
            }
            got.finish()
            #expect(got.header == want.header && got.count == want.count, "bytes \(bytes)")
            #expect(got.sum1 == want.sum1 && got.sum2 == want.sum2, "bytes \(bytes)")
        }
    }

    @Test func fileDigestSpansParts() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("kaskada-parts-\(UInt32.random(in: 0...UInt32.max))").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let bytes = (0..<(3 * FileParts.partBytes + 17)).map { UInt8(truncatingIfNeeded: $0 &* 131 &+ $0 >> 9) }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        #expect(try SHA256.hex(fileAt: path) == SHA256.hex(bytes))
        #expect(FileParts.size(ofFileAt: path) == bytes.count)
        var h = SHA256()
        let read = h.update(fileAt: path + ".absent")
        #expect(!read)
    }
}
