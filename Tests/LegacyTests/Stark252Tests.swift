import XCTest
import Field
import Hashing

/// Expected values computed with Python's big integers (p = 2^251 + 17·2^192 + 1), seed 7.
final class Stark252Tests: XCTestCase {
    func f(_ hex: String) throws -> Stark252 {
        try XCTUnwrap(Stark252(bigEndian: try XCTUnwrap(Hex.decode(hex))))
    }

    let a = "036f675c81e74ef5e8e25d940ed904759531985d5d9dc9f81818e811892f902b"
    let b = "00cb1e29658cda1495e60af593bd04cf0fd630f1f29d0da9953f48f1a09f76b5"

    func testArithmeticMatchesPython() throws {
        let x = try f(a), y = try f(b)
        XCTAssertEqual(Hex.encode((x + y).bigEndianBytes), "043a8585e774290a7ec86889a2960944a507c94f503ad7a1ad58310329cf06e0")
        XCTAssertEqual(Hex.encode((x - y).bigEndianBytes), "02a449331c5a74e152fc529e7b1bffa6855b676b6b00bc4e82d99f1fe8901976")
        XCTAssertEqual(Hex.encode((y - x).bigEndianBytes), "055bb6cce3a58b2fad03ad6184e400597aa4989494ff43b17d2660e0176fe68b")
        XCTAssertEqual(Hex.encode((x * y).bigEndianBytes), "008d787749a037ca97e74d569408d971018713be93bea647a0380aaf6c98f4e2")
        XCTAssertEqual(Hex.encode(x.inverse.bigEndianBytes), "0600adc6940af1d69766afc1333b64eebe2839bb97abd42a23cdf66ae4a8222f")
        XCTAssertEqual(Hex.encode(x.power(12345).bigEndianBytes), "00539745e7857cfc9bf730221cb457ba224be5c6f343693c4774421ff131d9cd")
        XCTAssertEqual(x * x.inverse, Stark252.one)
        XCTAssertEqual(Stark252.batchInverse([x, .zero, y]), [x.inverse, .zero, y.inverse])
    }

    func testEdgesOfTheField() throws {
        let pMinus1 = try f("0800000000000011000000000000000000000000000000000000000000000000")
        XCTAssertEqual(pMinus1 * pMinus1, Stark252.one)
        XCTAssertEqual(pMinus1 + Stark252.one, Stark252.zero)
        XCTAssertEqual(Stark252.zero - Stark252.one, pMinus1)
        XCTAssertNil(Stark252(bigEndian: Stark252.modulusBigEndian))
        XCTAssertNil(Stark252(bigEndian: [UInt8](repeating: 0xff, count: 32)))
        XCTAssertNil(Stark252(bigEndian: [UInt8](repeating: 0, count: 31)))
        XCTAssertNil(Stark252(bigEndianSlice: Stark252.modulusBigEndian[...]))
        XCTAssertEqual(Stark252(bigEndianSlice: pMinus1.bigEndianBytes[...]), pMinus1)
        XCTAssertEqual(Stark252(bigEndianSlice: ([9, 9] + (try f(a)).bigEndianBytes)[2...]), try f(a))
        // 2^255 + 12345 reduced
        var big = [UInt8](repeating: 0, count: 32); big[0] = 0x80; big[30] = 0x30; big[31] = 0x39
        XCTAssertEqual(Hex.encode(try XCTUnwrap(Stark252(reducingBigEndian: big)).bigEndianBytes),
                       "07ffffffffffff0100000000000000000000000000000000000000000000302a")
        XCTAssertEqual(Stark252(7).canonicalLimbs, [7, 0, 0, 0])
        XCTAssertEqual(Hex.encode(Stark252.zero.bigEndianBytes), String(repeating: "0", count: 64))
    }

    /// 256-bit values reduced mod p (Python: x % p), including 2^256 − 1, p, 2p − 1 and 31p + 5.
    func testReductionOfAny256BitValue() throws {
        let cases = [
            ("ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff", "07fffffffffffdf0ffffffffffffffffffffffffffffffffffffffffffffffe0"),
            ("0800000000000011000000000000000000000000000000000000000000000001", "0000000000000000000000000000000000000000000000000000000000000000"),
            ("1000000000000022000000000000000000000000000000000000000000000001", "0800000000000011000000000000000000000000000000000000000000000000"),
            ("f80000000000020f00000000000000000000000000000000000000000000001f", "0000000000000000000000000000000000000000000000000000000000000000"),
            ("f80000000000020f000000000000000000000000000000000000000000000024", "0000000000000000000000000000000000000000000000000000000000000005"),
            ("8cb4a0d7d62256758a7d43b578633074b7970386fee29476311624273bfd1d33", "04b4a0d7d62255548a7d43b578633074b7970386fee29476311624273bfd1d22"),
        ]
        for (x, r) in cases {
            let v = try XCTUnwrap(Stark252(reducingBigEndian: try XCTUnwrap(Hex.decode(x))))
            XCTAssertEqual(Hex.encode(v.bigEndianBytes), r, x)
        }
    }

    func testRootsOfUnity() throws {
        let w = try XCTUnwrap(Stark252.rootOfUnity(order: 4096))
        XCTAssertEqual(Hex.encode(w.bigEndianBytes), "003d14df6ec477cfc061f4256749ae3ddb5375bc91ee171f9273dbbc7afd187f")
        XCTAssertEqual(w.power(4096), Stark252.one)
        XCTAssertNotEqual(w.power(2048), Stark252.one)
        XCTAssertNil(Stark252.rootOfUnity(order: 12))
    }

    /// Random elements, a third of them within 2^64 of p or of 0 (the largest limbs, carries).
    func samples(_ count: Int, _ g: inout Generator) -> [Stark252] {
        let pMinus1 = Stark252.zero - .one
        return (0..<count).map { _ in
            switch g.next() % 3 {
            case 0: return pMinus1 - Stark252(g.next() % 1000)
            case 1: return Stark252(g.next() % 3)
            default:
                var bytes = (0..<32).map { _ in UInt8(truncatingIfNeeded: g.next()) }
                bytes[0] &= 0x07
                return Stark252(bigEndian: bytes) ?? .zero
            }
        }
    }

    /// One reduction per sum (ProductSum, dot) gives the sum of the products reduced one at a
    /// time, across the 256-product fold and for sums of nothing but p − 1 squared.
    func testProductSumMatchesThePlainSum() {
        var g = Generator(state: 21)
        let pMinus1 = Stark252.zero - .one
        for count in [0, 1, 2, 3, 17, 205, 255, 256, 257, 511, 512, 513, 1000] {
            for round in 0..<(count > 300 ? 3 : 12) {
                let xs = round == 0 ? [Stark252](repeating: pMinus1, count: count) : samples(count, &g)
                let ys = round == 0 ? [Stark252](repeating: pMinus1, count: count) : samples(count, &g)
                let plain = zip(xs, ys).reduce(Stark252.zero) { $0 + $1.0 * $1.1 }
                XCTAssertEqual(Stark252.dot(xs, ys), plain, "\(count) products, round \(round)")
                var sum = Stark252.ProductSum()
                for (x, y) in zip(xs, ys) { sum.add(x, y) }
                XCTAssertEqual(sum.value, plain)
                // Lists of different lengths: the common length.
                XCTAssertEqual(Stark252.dot(xs + [.one], ys), plain)
            }
        }
        XCTAssertEqual(Stark252.ProductSum().value, .zero)
    }

    /// A value read without conversion is the element v·2⁻²⁵⁶; entering Montgomery form gives v.
    func testMontgomeryReadIsTheValueOver2To256() throws {
        var g = Generator(state: 5)
        let inverseR = Stark252(2).power(256).inverse
        var inputs: [[UInt8]] = [Stark252.modulusBigEndian, [UInt8](repeating: 0, count: 32), [UInt8](repeating: 0xFF, count: 32)]
        var below = Stark252.modulusBigEndian; below[31] -= 1; inputs.append(below)
        for _ in 0..<500 {
            var bytes = (0..<32).map { _ in UInt8(truncatingIfNeeded: g.next()) }
            if g.next() % 2 == 0 { bytes[0] &= 0x0F }
            inputs.append(bytes)
        }
        for bytes in inputs {
            let converted = Stark252(bigEndianSlice: bytes[...])
            let read = Stark252(montgomeryBigEndianSlice: bytes[...])
            XCTAssertEqual(read == nil, converted == nil, "\(bytes)")
            guard let read, let converted else { continue }
            XCTAssertEqual(read.scaledUpByR, converted)
            XCTAssertEqual(read, converted * inverseR)
            let limbs = converted.canonicalLimbs
            XCTAssertEqual(Stark252(montgomeryLimbs: limbs[0], limbs[1], limbs[2], limbs[3]), read)
        }
        XCTAssertNil(Stark252(montgomeryBigEndianSlice: [UInt8](repeating: 0, count: 31)[...]))
    }
}
