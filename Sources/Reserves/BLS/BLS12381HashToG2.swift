import Hashing

/// RFC 9380 hash_to_curve for G2: expand_message_xmd (SHA-256), SSWU onto the 3-isogenous curve,
/// the 3-isogeny map, cofactor clearing by h_eff.
enum BLS12381HashToG2 {
    typealias Fp2 = Reserves.Fp2

    static func expandMessageXMD(_ message: [UInt8], dst: [UInt8], length: Int) -> [UInt8] {
        let dstPrime = dst + [UInt8(dst.count)]
        let blocks = (length + 31) / 32
        let b0 = SHA256.hash([UInt8](repeating: 0, count: 64) + message + [UInt8(length >> 8), UInt8(length & 0xFF), 0] + dstPrime)
        var previous = SHA256.hash(b0 + [1] + dstPrime)
        var out = previous
        if blocks > 1 {
            for i in 2...blocks {
                let mixed = zip(b0, previous).map { $0 ^ $1 }
                previous = SHA256.hash(mixed + [UInt8(i)] + dstPrime)
                out += previous
            }
        }
        return Array(out.prefix(length))
    }

    /// A 64-byte big-endian integer reduced mod p, in Montgomery form.
    static func reduce(_ bytes: ArraySlice<UInt8>) -> [UInt64] {
        let f = BLS12381.fp
        let high = f.limbs(bigEndian: Array(bytes.prefix(16))) ?? f.zero  // top 128 bits
        let low = f.limbs(bigEndian: Array(bytes.suffix(48))) ?? f.zero   // low 384 bits
        // value = high·2^384 + low; in Montgomery form high·R·R = mul(high, R³).
        let rCubed = f.mul(f.rSquared, f.rSquared)
        return f.add(f.mul(high, rCubed), f.mul(low, f.rSquared))
    }

    static let isoA = Fp2(c0: BLS12381.fp.zero, c1: BLS12381.fromInt(240))
    static let isoB = Fp2(c0: BLS12381.fromInt(1012), c1: BLS12381.fromInt(1012))
    static let isoZ = Fp2(c0: BLS12381.fp.neg(BLS12381.fromInt(2)), c1: BLS12381.fp.neg(BLS12381.fromInt(1)))

    /// Simplified SWU onto E2': y² = x³ + A'x + B' (not constant-time; inputs are public).
    static func mapToIsogenousCurve(_ u: Fp2) -> (x: Fp2, y: Fp2) {
        typealias B = BLS12381
        let u2 = B.square(u)
        let zu2 = B.mul(isoZ, u2)
        let denominator = B.add(B.square(zu2), zu2)
        var x1: Fp2
        if B.isZero(denominator) {
            x1 = B.mul(isoB, B.inverse(B.mul(isoZ, isoA)))
        } else {
            x1 = B.mul(B.mul(B.neg(isoB), B.inverse(isoA)), B.add(B.one2, B.inverse(denominator)))
        }
        func g(_ x: Fp2) -> Fp2 { B.add(B.add(B.mul(B.square(x), x), B.mul(isoA, x)), isoB) }
        var x = x1
        var y: Fp2
        if let root = B.sqrt(g(x1)) {
            y = root
        } else {
            x = B.mul(zu2, x1)
            y = B.sqrt(g(x)) ?? B.zero2  // g(x2) is a square whenever g(x1) is not (RFC 9380 6.6.2)
        }
        if B.sgn0(u) != B.sgn0(y) { y = B.neg(y) }
        x1 = x
        return (x1, y)
    }

    static func evaluate(_ coefficients: [Fp2], _ x: Fp2) -> Fp2 {
        var acc = BLS12381.zero2
        for c in coefficients.reversed() { acc = BLS12381.add(BLS12381.mul(acc, x), c) }
        return acc
    }

    static func isogeny(_ p: (x: Fp2, y: Fp2)) -> BLS12381.Point {
        typealias B = BLS12381
        let xNum = evaluate(BLS12381Constants.isoXNumerator, p.x), xDen = evaluate(BLS12381Constants.isoXDenominator, p.x)
        let yNum = evaluate(BLS12381Constants.isoYNumerator, p.x), yDen = evaluate(BLS12381Constants.isoYDenominator, p.x)
        if B.isZero(xDen) || B.isZero(yDen) { return .infinity }
        return B.Point(affineX: B.mul(xNum, B.inverse(xDen)), y: B.mul(p.y, B.mul(yNum, B.inverse(yDen))))
    }

    static let hEff = MontgomeryField.limbs(hex: BLS12381Constants.hEffG2)

    static func hash(_ message: [UInt8], dst: [UInt8]) -> BLS12381.Point {
        let bytes = expandMessageXMD(message, dst: dst, length: 256)
        let u0 = Fp2(c0: reduce(bytes[0..<64]), c1: reduce(bytes[64..<128]))
        let u1 = Fp2(c0: reduce(bytes[128..<192]), c1: reduce(bytes[192..<256]))
        let q = BLS12381.add(isogeny(mapToIsogenousCurve(u0)), isogeny(mapToIsogenousCurve(u1)))
        return BLS12381.multiply(q, hEff)
    }
}
