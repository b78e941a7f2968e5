import XCTest
@testable import Field

final class GoldilocksTests: XCTestCase {
    let p = Goldilocks.order

    func testCanonicalRejectsValuesAtOrAboveP() {
        XCTAssertNil(Goldilocks(canonical: p))
        XCTAssertNil(Goldilocks(canonical: UInt64.max))
        XCTAssertEqual(Goldilocks(canonical: p - 1)?.value, p - 1)
        XCTAssertEqual(Goldilocks(reducing: UInt64.max).value, UInt64.max - p)
    }

    func testAdditionAndSubtractionWrapAroundP() {
        let minusOne = Goldilocks(canonical: p - 1)!
        XCTAssertEqual(minusOne + .one, .zero)
        XCTAssertEqual(minusOne + minusOne, Goldilocks(canonical: p - 2)!)
        XCTAssertEqual(Goldilocks.zero - .one, minusOne)
        XCTAssertEqual(-Goldilocks.one, minusOne)
        XCTAssertEqual(-Goldilocks.zero, .zero)
    }

    func testMultiplicationMatchesWideArithmetic() {
        // (p − 1)² = 1 and 2^32 · 2^32 = 2^64 ≡ 2^32 − 1.
        let minusOne = Goldilocks(canonical: p - 1)!
        XCTAssertEqual(minusOne * minusOne, .one)
        let twoTo32 = Goldilocks(canonical: 1 << 32)!
        XCTAssertEqual((twoTo32 * twoTo32).value, 0xFFFF_FFFF)
        // 2^96 ≡ −1.
        XCTAssertEqual(twoTo32 * twoTo32 * twoTo32, minusOne)
        // Against a slow reference on pseudo-random operands.
        var x: UInt64 = 0x9E37_79B9_7F4A_7C15
        for _ in 0..<2000 {
            x = x &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let a = Goldilocks(reducing: x)
            x = x &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let b = Goldilocks(reducing: x)
            XCTAssertEqual((a * b).value, slowMulMod(a.value, b.value))
        }
    }

    func testInverseAndRootsOfUnity() {
        let a = Goldilocks(reducing: 123_456_789_012_345)
        XCTAssertEqual(a * a.inverse(), .one)
        let g = Goldilocks.primitiveRootOfUnity(bits: 32)
        XCTAssertEqual(g.exp2(32), .one)
        XCTAssertNotEqual(g.exp2(31), .one)
        XCTAssertEqual(Goldilocks.primitiveRootOfUnity(bits: 1), -Goldilocks.one)
    }

    func testExtensionFieldInverseAndFrobenius() {
        let a = GoldilocksExt2(Goldilocks(reducing: 5), Goldilocks(reducing: 11))
        XCTAssertEqual(a * a.inverse(), .one)
        // x ↦ x^p is the Frobenius map.
        XCTAssertEqual(a.power(Goldilocks.order), a.frobenius())
        // X² = 7.
        let x = GoldilocksExt2(.zero, .one)
        XCTAssertEqual(x * x, GoldilocksExt2(Goldilocks(reducing: 7)))
    }

    /// Shift-and-add modular multiplication, independent of the reduction under test.
    private func slowMulMod(_ a: UInt64, _ b: UInt64) -> UInt64 {
        var result: UInt64 = 0
        var addend = a % p
        var m = b
        while m > 0 {
            if m & 1 == 1 { result = addMod(result, addend) }
            addend = addMod(addend, addend)
            m >>= 1
        }
        return result
    }

    private func addMod(_ a: UInt64, _ b: UInt64) -> UInt64 {
        let (s, o) = a.addingReportingOverflow(b)
        if o || s >= p { return s &- p }
        return s
    }
}
