import XCTest
@testable import Hashing

final class KeccakTests: XCTestCase {
    func testKnownVectors() {
        XCTAssertEqual(Hex.encode(Keccak256.hash([UInt8]())),
                       "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470")
        XCTAssertEqual(Hex.encode(Keccak256.hash(Array("abc".utf8))),
                       "4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45")
        // Longer than one 136-byte block, and exactly one block (padding spills into a new block).
        XCTAssertEqual(Hex.encode(Keccak256.hash([UInt8](repeating: 0x61, count: 136))).count, 64)
    }

    func testSHA256() {
        XCTAssertEqual(Hex.encode(SHA256.hash(Array("abc".utf8))),
                       "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    func testHexDecodingIsStrict() {
        XCTAssertEqual(Hex.decode("0x0aFf"), [0x0A, 0xFF])
        XCTAssertNil(Hex.decode("abc"))
        XCTAssertNil(Hex.decode("zz"))
    }
}

final class KeccakFastPathTests: XCTestCase {
    func testUnrolledPermutationMatchesReference() {
        var a = (0..<25).map { UInt64($0) &* 0x9E37_79B9_7F4A_7C15 }
        var b = a
        KeccakF1600.permute(&a)
        KeccakF1600.permuteReference(&b)
        XCTAssertEqual(a, b)
    }

    func testHashPairEqualsHashOfConcatenation() {
        let x = (0..<32).map { UInt8($0) }, y = (0..<32).map { UInt8(255 - $0) }
        XCTAssertEqual(Keccak256.hashPair(x, y), Keccak256.hash(x + y))
    }
}

final class KeccakBlockPathTests: XCTestCase {
    /// The contiguous fast path and the byte-wise sponge agree at every length around the rate.
    func testBlockPathMatchesSponge() {
        for length in [0, 1, 31, 32, 64, 135, 136, 137, 271, 272, 273, 1000] {
            let data = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 3) }
            var sponge = Keccak256.Sponge()
            sponge.absorb(data)
            XCTAssertEqual(Keccak256.hash(data), sponge.finish(), "length \(length)")
            XCTAssertEqual(Keccak256.hash(data[...]), Keccak256.hash(AnySequence(data)), "length \(length)")
        }
    }
}

/// The register-held permutation and the inline digests against the loop-based reference.
final class KeccakInlineDigestTests: XCTestCase {
    func testStatePermutationMatchesReferenceOnManyStates() {
        var g = Generator(state: 42)
        for _ in 0..<200 {
            var a = (0..<25).map { _ in g.next() }
            var b = a
            KeccakF1600.permute(&a)
            KeccakF1600.permuteReference(&b)
            XCTAssertEqual(a, b)
        }
    }

    func testPairHashAndDigestsMatchTheByteHash() {
        var g = Generator(state: 7)
        for _ in 0..<100 {
            let x = Bytes32(words: g.next(), g.next(), g.next(), g.next())
            let y = Bytes32(words: g.next(), g.next(), g.next(), g.next())
            XCTAssertEqual(Keccak256.hashPair(x, y).bytes, Keccak256.hash(x.bytes + y.bytes))
            XCTAssertEqual(Keccak256.hashPair(x.bytes, y.bytes), Keccak256.hash(x.bytes + y.bytes))
        }
        for length in [0, 1, 31, 32, 64, 135, 136, 137, 271, 272, 273, 1000] {
            let data = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 13 &+ 5) }
            XCTAssertEqual(Keccak256.digest(data).bytes, Keccak256.hash(data), "length \(length)")
            XCTAssertEqual(Keccak256.digest(AnySequence(data)).bytes, Keccak256.hash(data), "length \(length)")
        }
    }

    func testBytes32LayoutAndRoundTrip() throws {
        let bytes = (0..<32).map { UInt8($0 * 7 + 1) }
        let b = try XCTUnwrap(Bytes32(bytes))
        XCTAssertEqual(b.bytes, bytes)
        XCTAssertEqual(Bytes32(bytes[...]), b)
        XCTAssertEqual(Bytes32(AnySequence(bytes).map { $0 }), b)
        for i in 0..<32 { XCTAssertEqual(b[i], bytes[i]) }
        XCTAssertEqual(b.w0, UInt64(littleEndian: bytes.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }))
        XCTAssertEqual(b.hex, Hex.encode(bytes))
        XCTAssertNil(Bytes32([UInt8](repeating: 0, count: 31)))
        XCTAssertTrue(Bytes32.zero.isZero)
    }
}
