import Field
import XCTest
@testable import Hashing

/// Poseidon's correctness is pinned by the fixtures (every OKX inclusion proof must reach the
/// root its global proof publishes: LiabilitiesTests); these tests pin the sponge rules around it.
final class PoseidonTests: XCTestCase {
    func elements(_ values: [UInt64]) -> [Goldilocks] { values.map { Goldilocks(reducing: $0) } }

    func testTwoToOneIsHashNoPadOfTheEightLimbs() {
        let a = HashOut(1, 2, 3, 4), b = HashOut(5, 6, 7, 8)
        XCTAssertEqual(PoseidonHash.twoToOne(a, b), PoseidonHash.hashNoPad(elements([1, 2, 3, 4, 5, 6, 7, 8])))
        XCTAssertNotEqual(PoseidonHash.twoToOne(a, b), PoseidonHash.twoToOne(b, a))
    }

    func testShortLeavesAreTheirOwnHash() {
        XCTAssertEqual(PoseidonHash.hashOrNoop(elements([9, 8])), HashOut(9, 8, 0, 0))
        XCTAssertEqual(PoseidonHash.hashOrNoop(elements([1, 2, 3, 4, 5])), PoseidonHash.hashNoPad(elements([1, 2, 3, 4, 5])))
    }

    func testSpongeAbsorbsByOverwritingTheRate() {
        // Nine inputs: the first permutation absorbs 8, the second overwrites only lane 0.
        var state = [Goldilocks](repeating: .zero, count: 12)
        for i in 0..<8 { state[i] = Goldilocks(reducing: UInt64(i + 1)) }
        Poseidon.permute(&state)
        state[0] = Goldilocks(reducing: 9)
        Poseidon.permute(&state)
        XCTAssertEqual(PoseidonHash.hashNoPad(elements([1, 2, 3, 4, 5, 6, 7, 8, 9])),
                       HashOut(state[0], state[1], state[2], state[3]))
    }

    func testPermutationOfZeroIsNotTrivialAndIsDeterministic() {
        var a = [Goldilocks](repeating: .zero, count: 12)
        Poseidon.permute(&a)
        XCTAssertFalse(a.allSatisfy(\.isZero))
        var b = [Goldilocks](repeating: .zero, count: 12)
        Poseidon.permute(&b)
        XCTAssertEqual(a, b)
        XCTAssertEqual(Poseidon.roundConstants.count, 360)
        XCTAssertTrue(Poseidon.roundConstants.allSatisfy { $0 < Goldilocks.order })
    }

    func testHashOutByteForm() {
        let h = HashOut(1, 0x0102_0304_0506_0708, 0, Goldilocks(reducing: Goldilocks.order - 1))
        XCTAssertEqual(h.hex, "0100000000000000" + "0807060504030201" + "0000000000000000" + "00000000ffffffff")
        XCTAssertEqual(HashOut(hex: h.hex), h)
        XCTAssertNil(HashOut(hex: String(repeating: "f", count: 64)), "limbs ≥ p are not field elements")
        XCTAssertNil(HashOut(hex: "00"))
    }
}

final class PoseidonFastFormTests: XCTestCase {
    /// The factorised partial rounds give exactly the textbook permutation.
    func testFastAndReferencePermutationsAgree() {
        var x: UInt64 = 0x1234_5678_9ABC_DEF0
        for trial in 0..<200 {
            var a = (0..<12).map { _ -> UInt64 in
                x = x &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                return trial % 10 == 0 ? Goldilocks.order - 1 : x % Goldilocks.order
            }
            var b = a
            a.withUnsafeMutableBufferPointer { Poseidon.permute(raw: $0) }
            b.withUnsafeMutableBufferPointer { Poseidon.permuteReference(raw: $0) }
            XCTAssertEqual(a, b)
        }
    }
}

/// plonky2's published known-answer vectors (`poseidon_goldilocks.rs`, `test_vectors`): an
/// independent check of both permutation forms.
final class PoseidonKnownAnswerTests: XCTestCase {
    func testPlonky2PublishedVectors() {
        let negOne = Goldilocks.order - 1
        let vectors: [([UInt64], [UInt64])] = [
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
        for (input, expected) in vectors {
            var fast = input
            fast.withUnsafeMutableBufferPointer { Poseidon.permute(raw: $0) }
            XCTAssertEqual(fast, expected)
            var reference = input
            reference.withUnsafeMutableBufferPointer { Poseidon.permuteReference(raw: $0) }
            XCTAssertEqual(reference, expected)
        }
    }
}

/// The non-canonical lane arithmetic inside the permutation, at the edges of its bounds.
final class PoseidonLazyArithmeticTests: XCTestCase {
    let edges: [UInt64] = [0, 1, 2, 0xFFFF_FFFF, 0x1_0000_0000, Goldilocks.order - 1, Goldilocks.order,
                           Goldilocks.order + 1, UInt64.max - 1, UInt64.max, 0x8000_0000_0000_0000, 0xFFFF_FFFE_FFFF_FFFF]

    func residue(_ x: UInt64) -> Goldilocks { Goldilocks(reducing: x) }

    func testProductsAndSumsAgreeWithCanonicalArithmetic() {
        for a in edges {
            for b in edges {
                XCTAssertEqual(residue(Lazy.multiply(a, b)), residue(a) * residue(b), "\(a)·\(b)")
                for c in edges {
                    XCTAssertEqual(residue(Lazy.multiplyAdd(a, b, c)), residue(a) * residue(b) + residue(c))
                }
                if b < Goldilocks.order {
                    XCTAssertEqual(residue(Lazy.addCanonical(a, b)), residue(a) + residue(b), "\(a)+\(b)")
                }
            }
            XCTAssertEqual(residue(Lazy.sbox(a)), residue(a).power(7))
        }
    }

    func testAccumulatorAndMDSAgreeWithCanonicalArithmetic() {
        var acc = Lazy.Accumulator()
        var expected = Goldilocks.zero
        for a in edges {
            for b in edges.prefix(12) {
                acc.add(a, b)
                expected += residue(a) * residue(b)
            }
        }
        XCTAssertEqual(residue(acc.reduced), expected)

        var lanes = [UInt64.max, 0, Goldilocks.order, 1, UInt64.max - 1, 0xFFFF_FFFF, 7, Goldilocks.order - 1, 3, UInt64.max, 5, 0x1_0000_0000]
        let before = lanes.map(residue)
        let table = PoseidonTables.shared
        lanes.withUnsafeMutableBufferPointer { if let b = $0.baseAddress { Lazy.mds(b, table.mdsKernel) } }
        for r in 0..<12 {
            var sum = before[r] * residue(Poseidon.mdsDiagonal[r])
            for i in 0..<12 { sum += before[(i + r) % 12] * residue(Poseidon.mdsCirculant[i]) }
            XCTAssertEqual(residue(lanes[r]), sum, "row \(r)")
        }
    }

    func testNonCanonicalLanesPermuteLikeTheirResidues() {
        var high = [UInt64](repeating: Goldilocks.order, count: 12)  // every lane ≡ 0
        high[3] = UInt64.max  // ≡ 2^32 − 2
        var low = high.map { residue($0).value }
        high.withUnsafeMutableBufferPointer { Poseidon.permute(raw: $0) }
        low.withUnsafeMutableBufferPointer { Poseidon.permuteReference(raw: $0) }
        XCTAssertEqual(high, low)
    }
}
