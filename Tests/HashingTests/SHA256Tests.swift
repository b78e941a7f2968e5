import XCTest
@testable import Hashing

/// SHA-256 on both paths: the SHA-NI kernel (when this CPU has the instructions) and libsodium.
final class SHA256Tests: XCTestCase {
    /// FIPS 180-4 / NIST example messages and their digests.
    static let vectors: [(message: [UInt8], digest: String)] = [
        ([], "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        (Array("abc".utf8), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        (Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8),
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
        (Array("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu".utf8),
         "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"),
        ([UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000),
         "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"),
    ]

    func paths() throws -> [Bool] {
        SHA256.usesSHAInstructions ? [false, true] : [false]
    }

    func testKnownAnswersOnBothPaths() throws {
        for accelerated in try paths() {
            for (message, digest) in SHA256Tests.vectors {
                let got = message.withUnsafeBytes { SHA256.hash(buffer: $0, accelerated: accelerated) }
                XCTAssertEqual(Hex.encode(got), digest, "accelerated: \(accelerated), \(message.count) bytes")
            }
        }
        XCTAssertEqual(Hex.encode(SHA256.hash(Array("abc".utf8))), SHA256Tests.vectors[1].digest)
    }

    /// Every length around the padding boundaries (55/56/63/64 bytes and their multiples) and
    /// random contents: the kernel agrees with libsodium.
    func testTheKernelAgreesWithLibsodiumOnRandomInputs() throws {
        guard SHA256.usesSHAInstructions else { throw XCTSkip("this CPU has no SHA instructions: only libsodium is used") }
        var generator = SystemRandomNumberGenerator()
        var lengths = Array(0...300)
        lengths += [511, 512, 513, 1023, 1024, 1025, 4095, 4096, 65_536 + 55, 579_156]
        lengths += (0..<20).map { _ in Int.random(in: 0...200_000, using: &generator) }
        for length in lengths {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let slow = bytes.withUnsafeBytes { SHA256.hash(buffer: $0, accelerated: false) }
            let fast = bytes.withUnsafeBytes { SHA256.hash(buffer: $0, accelerated: true) }
            XCTAssertEqual(fast, slow, "\(length) bytes")
        }
    }

    /// Data, arrays and non-contiguous sequences hash alike.
    func testEveryKindOfInputGivesTheSameDigest() {
        let bytes = Array("The quick brown fox jumps over the lazy dog".utf8)
        let digest = "d7a8fbb307d7809469ca9abcb0082e4f8d5651e46d3cdb762d02d0bf37c9e592"
        XCTAssertEqual(Hex.encode(SHA256.hash(bytes)), digest)
        XCTAssertEqual(Hex.encode(SHA256.hash(bytes[...])), digest)
        XCTAssertEqual(Hex.encode(SHA256.hash(bytes.lazy.map { $0 })), digest)
    }
}
