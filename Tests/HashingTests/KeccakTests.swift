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
