import Field
import XCTest
@testable import Hashing

/// The many-lane kernels (AVX2, AVX-512 in CAccel) and the Swift permutation must be the same
/// function: each kernel this machine runs is tested here against plonky2's vectors and against
/// the Swift permutation, with every count of states (the kernels' last group is padded).
final class PoseidonManyTests: XCTestCase {
    let negOne = Goldilocks.order - 1

    var kernels: [Poseidon.Kernel] {
        let available = Poseidon.availableKernels
        // Said in the log, so that a run on a machine without AVX-512 shows what it did not test.
        print("Poseidon kernels on this machine: \(available.map(\.rawValue).joined(separator: ", ")); permuteMany uses \(Poseidon.manyKernel.rawValue)")
        return available
    }

    var vectors: [([UInt64], [UInt64])] { Plonky2PoseidonVectors.all }

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
