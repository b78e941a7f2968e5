import XCTest
@testable import Hashing

/// The many-lane Keccak-256 kernels (CAccel's AVX2 and AVX-512 ones, and the scalar loop):
/// known answers, and every kernel against the Swift `Keccak256.digest` at every length up to 300
/// bytes and around the rate, with every count of messages (so every filling of the last group).
final class KeccakManyTests: XCTestCase {
    static let kernels: [Keccak256.Kernel] = {
        let available = Keccak256.availableKernels
        print("Keccak kernels on this machine: \(available.map(\.rawValue).joined(separator: ", ")); digestMany uses \(Keccak256.manyKernel.rawValue)")
        return available
    }()
    var kernels: [Keccak256.Kernel] { Self.kernels }

    /// Bytes (7i + 3) mod 256, the pattern of the known answers below.
    static func pattern(_ n: Int) -> [UInt8] { (0..<n).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 3) } }

    /// Keccak-256 of pattern(n), from a from-the-specification Python sponge that reproduces
    /// hashlib's SHA3-256 with SHA3's padding (0x06), here with Keccak's (0x01).
    static let patternAnswers: [(Int, String)] = [
        (135, "00ef96af9cf4b24c7f269d922294444a197d0a33638c2e56634c57e892103a8f"),
        (136, "742061bcad767ed4c4f5883b1dcb1aad11afdcc140dc469d953759b127b9f9ed"),
        (137, "e3371f61e770abf254c34239c3b0099ad90594507415bc81dd0a10b9692bbf2a"),
        (271, "4401c4afbe16ff911bdbf2d38e556e5b861f3fdf0f9d4306b1c46f6ae4f73584"),
        (272, "ac141fd7b0a0ffcd2e967254d508da3ec616596493c36fa304425647d90e6de5"),
        (273, "16192ea86793083e47731cb3c970600f04768414d92bc0540e54ce8607a0fce0"),
        (300, "fa75f2293be9f9a14dcdeeff53f7b91ff6a2b1331b13886e69077ab1cf8252a9"),
        (1000, "80cdc8dd52cbb3dbaea8f383209893fa2bb52efbd5aedbb4b26dcfe307fcdc9b"),
        (4992, "64270505bfe614e0fd445c8651ff27bfaeed8eda798672962fbab0ba05bfd85c"),
        (6592, "8bc95190027e53be7854624bc189085499a05b88251e6d337a7790fb274ed357"),
    ]

    /// digestMany of the messages (all of one length) with one kernel.
    func digests(_ messages: [[UInt8]], length: Int, kernel: Keccak256.Kernel) -> [Bytes32] {
        var out = [Bytes32](repeating: .zero, count: messages.count)
        var pointers = [UnsafePointer<UInt8>?]()
        // One buffer holding every message, so that the pointers stay valid.
        let flat = messages.flatMap { $0 }
        flat.withUnsafeBufferPointer { f in
            for k in 0..<messages.count { pointers.append(f.baseAddress.map { $0 + k * length }) }
            pointers.withUnsafeBufferPointer { p in
                out.withUnsafeMutableBufferPointer { o in
                    if let pb = p.baseAddress, let ob = o.baseAddress {
                        Keccak256.digestMany(pb, length: length, count: messages.count, into: ob, kernel: kernel)
                    }
                }
            }
        }
        return out
    }

    func testKnownAnswers() {
        var cases: [([UInt8], String)] = [
            ([], "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470"),
            (Array("abc".utf8), "4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45"),
            (Array("The quick brown fox jumps over the lazy dog".utf8), "4d741b6f1eb29cb2a9b9911c82f56fa8d73b04959d3d9d222895df6c0b28aa15"),
        ]
        cases += Self.patternAnswers.map { (Self.pattern($0.0), $0.1) }
        for (message, answer) in cases {
            XCTAssertEqual(Hex.encode(Keccak256.hash(message)), answer, "Swift, length \(message.count)")
            for kernel in kernels {
                // Alone, and 9 copies (a full group and one more for the wider kernels).
                for copies in [1, 9] {
                    let d = digests(Array(repeating: message, count: copies), length: message.count, kernel: kernel)
                    for (k, v) in d.enumerated() {
                        XCTAssertEqual(Hex.encode(v.bytes), answer, "\(kernel), length \(message.count), copy \(k) of \(copies)")
                    }
                }
            }
        }
    }

    func testKernelsAgreeWithTheSwiftHashAtEveryLengthAndCount() {
        var g = Generator(state: 0x5EED)
        let lengths = Array(0...300) + [407, 408, 409, 1000, 1536, 4992, 6592]
        for kernel in kernels {
            for length in lengths {
                // Every count 1...17 on short lengths; a few counts on long ones.
                let counts = length <= 300 ? [1, 2, 3, 4, 5, 7, 8, 9, 12, 16, 17] : Array(1...17)
                for count in counts {
                    let messages = (0..<count).map { _ in g.bytes(length) }
                    let expected = messages.map { Keccak256.digest($0) }
                    XCTAssertEqual(digests(messages, length: length, kernel: kernel), expected, "\(kernel), length \(length), count \(count)")
                }
            }
        }
    }

    /// Messages at arbitrary addresses (here overlapping, unaligned windows of one buffer), and
    /// the same message in several lanes.
    func testUnalignedOverlappingAndRepeatedMessages() {
        var g = Generator(state: 77)
        let buffer = g.bytes(20_000)
        let starts = [0, 1, 3, 8, 13, 100, 5001, 5003, 13, 0, 999, 19_000 - 300]
        for kernel in kernels {
            for length in [0, 1, 64, 136, 300, 999] {
                var out = [Bytes32](repeating: .zero, count: starts.count)
                buffer.withUnsafeBufferPointer { b in
                    let pointers: [UnsafePointer<UInt8>?] = starts.map { start in b.baseAddress.map { UnsafePointer($0 + start) } }
                    pointers.withUnsafeBufferPointer { p in
                        out.withUnsafeMutableBufferPointer { o in
                            guard let pb = p.baseAddress, let ob = o.baseAddress else { return }
                            Keccak256.digestMany(pb, length: length, count: starts.count, into: ob, kernel: kernel)
                        }
                    }
                }
                XCTAssertEqual(out, starts.map { Keccak256.digest(buffer[$0..<($0 + length)]) }, "\(kernel), length \(length)")
            }
        }
    }

    func testHashPairsManyEqualsHashPair() {
        var g = Generator(state: 12)
        for kernel in kernels {
            for count in Array(0...20) + [63, 64, 65, 127, 128, 129, 200] {
                let nodes = (0..<(2 * count)).map { _ in Bytes32(words: g.next(), g.next(), g.next(), g.next()) }
                let expected = (0..<count).map { Keccak256.hashPair(nodes[2 * $0], nodes[2 * $0 + 1]) }
                var out = [Bytes32](repeating: .zero, count: count)
                nodes.withUnsafeBufferPointer { n in
                    out.withUnsafeMutableBufferPointer { o in
                        if let nb = n.baseAddress, let ob = o.baseAddress { Keccak256.hashPairsMany(nb, count: count, into: ob, kernel: kernel) }
                    }
                }
                XCTAssertEqual(out, expected, "\(kernel), \(count) pairs")
                // In place: parent k over node k.
                var inPlace = nodes
                inPlace.withUnsafeMutableBufferPointer { n in
                    if let nb = n.baseAddress { Keccak256.hashPairsMany(UnsafePointer(nb), count: count, into: nb, kernel: kernel) }
                }
                XCTAssertEqual(Array(inPlace.prefix(count)), expected, "\(kernel), \(count) pairs in place")
            }
        }
    }

    /// All 8 lanes hashing different messages, each differing from the others in one byte only:
    /// a lane mix-up would show.
    func testLanesAreKeptApart() {
        for kernel in kernels {
            for length in [32, 136, 500] {
                let messages = (0..<19).map { k -> [UInt8] in
                    var m = [UInt8](repeating: 0xAB, count: length)
                    m[(k * 31) % length] ^= UInt8(k + 1)
                    return m
                }
                XCTAssertEqual(digests(messages, length: length, kernel: kernel), messages.map { Keccak256.digest($0) }, "\(kernel), length \(length)")
            }
        }
    }
}
