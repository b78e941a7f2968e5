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
        for (input, expected) in Plonky2PoseidonVectors.all {
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
