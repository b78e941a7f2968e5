import Field
import XCTest
@testable import Hashing

/// The many-lane kernels (AVX2, AVX-512 in CAccel) and the Swift permutation must be the same
/// function: each kernel this machine runs is tested here against plonky2's vectors and against
/// the Swift permutation, with every count of states (the kernels' last group is padded).
final class PoseidonManyTests: XCTestCase {
    let negOne = Goldilocks.order - 1

    var kernels: [Poseidon.Kernel] {
        let available = Poseidon.Kernel.allCases.filter(\.isAvailable)
        // Said in the log, so that a run on a machine without AVX-512 shows what it did not test.
        print("Poseidon kernels on this machine: \(available.map(\.rawValue).joined(separator: ", ")); permuteMany uses \(Poseidon.manyKernel.rawValue)")
        return available
    }

    /// plonky2's published known answers (`poseidon_goldilocks.rs`, `test_vectors`).
    var vectors: [([UInt64], [UInt64])] {
        [
            ([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
             [0x3c18a9786cb0b359, 0xc4055e3364a246c3, 0x7953db0ab48808f4, 0xc71603f33a1144ca,
              0xd7709673896996dc, 0x46a84e87642f44ed, 0xd032648251ee0b3c, 0x1c687363b207df62,
              0xdf8565563e8045fe, 0x40f5b37ff4254dae, 0xd070f637b431067c, 0x1792b1c4342109d7]),
            ([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11],
             [0xd64e1e3efc5b8e9e, 0x53666633020aaa47, 0xd40285597c6a8825, 0x613a4f81e81231d2,
              0x414754bfebd051f0, 0xcb1f8980294a023f, 0x6eb2a9e4d54a9d0f, 0x1902bc3af467e056,
              0xf045d5eafdc6021f, 0xe4150f77caaa3be5, 0xc9bfd01d39b50cce, 0x5c0a27fcb0e1459b]),
            ([UInt64](repeating: negOne, count: 12),
             [0xbe0085cfc57a8357, 0xd95af71847d05c09, 0xcf55a13d33c1c953, 0x95803a74f4530e82,
              0xfcd99eb30a135df1, 0xe095905e913a3029, 0xde0392461b42919b, 0x7d3260e24e81d031,
              0x10d3d0465d9deaa0, 0xa87571083dfc2a47, 0xe18263681e9958f8, 0xe28e96f1ae5e60d3]),
            ([0x8ccbbbea4fe5d2b7, 0xc2af59ee9ec49970, 0x90f7e1a9e658446a, 0xdcc0630a3ab8b1b8,
              0x7ff8256bca20588c, 0x5d99a7ca0c44ecfb, 0x48452b17a70fbee3, 0xeb09d654690b6c88,
              0x4a55d3a39c676a88, 0xc0407a38d2285139, 0xa234bac9356386d1, 0xe1633f2bad98a52f],
             [0xa89280105650c4ec, 0xab542d53860d12ed, 0x5704148e9ccab94f, 0xd3a826d4b62da9f5,
              0x8a7a6ca87892574f, 0xc7017e1cad1a674e, 0x1f06668922318e34, 0xa3b203bc8102676f,
              0xfcc781b0ce382bf2, 0x934c69ff3ed14ba5, 0x504688a5996e8f13, 0x401f3f2ed524a2ba]),
        ]
    }

    func permuted(_ flat: [UInt64], kernel: Poseidon.Kernel) -> [UInt64] {
        var states = flat
        states.withUnsafeMutableBufferPointer { b in
            if let base = b.baseAddress { Poseidon.permuteMany(base, count: b.count / Poseidon.width, kernel: kernel) }
        }
        return states
    }

    func testEveryKernelGivesPlonky2sVectors() {
        for kernel in kernels {
            // The vectors in every lane position: counts 1…19 cycling through them.
            for count in 1...19 {
                let chosen = (0..<count).map { vectors[$0 % vectors.count] }
                let out = permuted(chosen.flatMap(\.0), kernel: kernel)
                XCTAssertEqual(out, chosen.flatMap(\.1), "\(kernel) with \(count) states")
            }
        }
    }

    /// Lanes the FRI never gives (it hashes canonical values) are taken too, by every kernel, as
    /// the residues they stand for: values ≥ p, near p, near 2^64, near 2^32.
    func testKernelsAgreeWithTheSwiftPermutationOnRandomAndEdgeStates() {
        let edges: [UInt64] = [0, 1, 2, 0xFFFF_FFFF, 0x1_0000_0000, 0xFFFF_FFFF_0000_0000, negOne, Goldilocks.order,
                               Goldilocks.order + 1, UInt64.max - 1, UInt64.max, 0x8000_0000_0000_0000, 0xFFFF_FFFE_FFFF_FFFF]
        var x: UInt64 = 0x0123_4567_89AB_CDEF
        func next() -> UInt64 {
            x ^= x << 13; x ^= x >> 7; x ^= x << 17
            return x
        }
        func lane(_ style: Int) -> UInt64 {
            switch style {
            case 0: return edges[Int(next() % UInt64(edges.count))]
            case 1: return negOne - next() % 1000                          // just below p
            case 2: return Goldilocks.order + next() % 0xFFFF_FFFF          // non-canonical
            case 3: return next() % Goldilocks.order
            default: return next()                                           // any u64
            }
        }
        for kernel in kernels {
            for trial in 0..<300 {
                let count = 1 + trial % 21
                let input = (0..<(count * Poseidon.width)).map { _ in lane(trial % 3 == 0 ? Int(next() % 5) : trial % 5) }
                var expected = input
                expected.withUnsafeMutableBufferPointer { b in
                    guard let base = b.baseAddress else { return }
                    for k in 0..<count { Poseidon.permute(lanes: base + k * Poseidon.width) }
                }
                XCTAssertEqual(permuted(input, kernel: kernel), expected, "\(kernel), trial \(trial)")
            }
        }
    }

    func testEveryStateAlikeAndEveryStateEqual() {
        // Eight equal states in one vector give eight equal results; a state's result does not
        // depend on its neighbours.
        for kernel in kernels {
            let one = vectors[3]
            XCTAssertEqual(permuted(Array([[UInt64]](repeating: one.0, count: 8).joined()), kernel: kernel),
                           Array([[UInt64]](repeating: one.1, count: 8).joined()))
            var mixed = [[UInt64]](repeating: vectors[0].0, count: 9)
            mixed[4] = vectors[1].0
            let out = permuted(Array(mixed.joined()), kernel: kernel)
            XCTAssertEqual(Array(out[48..<60]), vectors[1].1, "\(kernel)")
            XCTAssertEqual(Array(out[96..<108]), vectors[0].1, "\(kernel)")
        }
        XCTAssertEqual(permuted([], kernel: Poseidon.manyKernel), [])
    }

    func testBatchedHashesEqualTheSingleOnes() {
        var x: UInt64 = 42
        func element() -> Goldilocks {
            x = x &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Goldilocks(reducing: x)
        }
        // Leaves of every length from 0 to 40, shuffled, some repeated: own hashes (≤ 4) and
        // sponges of 1 to 5 chunks side by side.
        var leaves = (0...40).map { n in (0..<n).map { _ in element() } }
        leaves += leaves.reversed().prefix(7)
        XCTAssertEqual(PoseidonHash.hashOrNoopMany(leaves), leaves.map { PoseidonHash.hashOrNoop($0) })
        XCTAssertEqual(PoseidonHash.hashOrNoopMany([]), [])

        let pairs = (0..<19).flatMap { _ in [HashOut(element(), element(), element(), element()), HashOut(element(), element(), element(), element())] }
        var outputs = [HashOut](repeating: .zero, count: 19)
        var scratch = [UInt64](repeating: 0, count: 19 * Poseidon.width)
        pairs.withUnsafeBufferPointer { p in
            outputs.withUnsafeMutableBufferPointer { o in
                scratch.withUnsafeMutableBufferPointer { s in
                    if let pb = p.baseAddress, let ob = o.baseAddress, let sb = s.baseAddress {
                        PoseidonHash.twoToOneMany(pb, count: 19, into: ob, scratch: sb)
                    }
                }
            }
        }
        XCTAssertEqual(outputs, (0..<19).map { PoseidonHash.twoToOne(pairs[2 * $0], pairs[2 * $0 + 1]) })
    }
}
