import ResultFiles
import Testing

/// SHA-256 against the FIPS 180-4 example vectors (NIST CSRC "Example Algorithm" SHA256.pdf).
@Suite struct SHA256Tests {
    @Test func knownVectors() {
        #expect(SHA256.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex([UInt8]()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        let two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq" // 448 bits: padding spills into a second block
        #expect(SHA256.hex(Array(two.utf8)) == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    @Test func incrementalUpdatesEqualOneShot() {
        let data = (0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 37) }
        var h = SHA256()
        h.update(data[0..<1])
        h.update(data[1..<63])
        h.update(data[63..<1000])
        #expect(h.hexDigest() == SHA256.hex(data))
    }
}
