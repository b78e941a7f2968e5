import Hashing

/// An element c0 + c1·u of Fp2 = Fp[u]/(u² + 1), coordinates in Montgomery form.
struct Fp2: Equatable, Sendable {
    var c0: [UInt64]
    var c1: [UInt64]
}

/// BLS12-381 arithmetic for verifying BETH signatures (SPEC 4.7): Fp, Fp2, points on E(Fp) and
/// the twist E'(Fp2) in Jacobian coordinates, compressed point decoding with subgroup checks.
/// Written for clarity, not speed: a BETH row costs a fraction of a second.
enum BLS12381 {
    typealias Fp = [UInt64]
    static let fp = MontgomeryField(modulus: MontgomeryField.limbs(hex: BLS12381Constants.p))
    static let order = MontgomeryField.limbs(hex: BLS12381Constants.r)
    static let pMinus1Over2 = shiftRight1(MontgomeryField.subtractWrapping(fp.modulus, [1, 0, 0, 0, 0, 0]).0)
    static let pPlus1Over4 = shiftRight1(shiftRight1(MontgomeryField.addWrapping(fp.modulus, [1, 0, 0, 0, 0, 0]).0))

    static func shiftRight1(_ a: [UInt64]) -> [UInt64] {
        var out = a
        for i in 0..<a.count { out[i] = (a[i] >> 1) | (i + 1 < a.count ? a[i + 1] << 63 : 0) }
        return out
    }

    static func fromInt(_ v: UInt64) -> Fp { fp.toMontgomery([v, 0, 0, 0, 0, 0]) }

    // MARK: Fp2

    static let zero2 = Fp2(c0: fp.zero, c1: fp.zero)
    static let one2 = Fp2(c0: fp.one, c1: fp.zero)

    static func add(_ a: Fp2, _ b: Fp2) -> Fp2 { Fp2(c0: fp.add(a.c0, b.c0), c1: fp.add(a.c1, b.c1)) }
    static func sub(_ a: Fp2, _ b: Fp2) -> Fp2 { Fp2(c0: fp.sub(a.c0, b.c0), c1: fp.sub(a.c1, b.c1)) }
    static func neg(_ a: Fp2) -> Fp2 { Fp2(c0: fp.neg(a.c0), c1: fp.neg(a.c1)) }
    static func isZero(_ a: Fp2) -> Bool { fp.isZero(a.c0) && fp.isZero(a.c1) }

    static func mul(_ a: Fp2, _ b: Fp2) -> Fp2 {
        let t0 = fp.mul(a.c0, b.c0), t1 = fp.mul(a.c1, b.c1)
        let cross = fp.sub(fp.sub(fp.mul(fp.add(a.c0, a.c1), fp.add(b.c0, b.c1)), t0), t1)
        return Fp2(c0: fp.sub(t0, t1), c1: cross)
    }

    static func square(_ a: Fp2) -> Fp2 { mul(a, a) }

    static func inverse(_ a: Fp2) -> Fp2 {
        let norm = fp.add(fp.mul(a.c0, a.c0), fp.mul(a.c1, a.c1))
        let inv = fp.inverse(norm)
        return Fp2(c0: fp.mul(a.c0, inv), c1: fp.neg(fp.mul(a.c1, inv)))
    }

    static func sqrtFp(_ a: Fp) -> Fp? {
        let root = fp.pow(a, pPlus1Over4)
        return fp.mul(root, root) == a ? root : nil
    }

    /// A square root in Fp2 (p ≡ 3 mod 4), nil for a non-square.
    static func sqrt(_ a: Fp2) -> Fp2? {
        if fp.isZero(a.c1) {
            if let r = sqrtFp(a.c0) { return Fp2(c0: r, c1: fp.zero) }
            if let r = sqrtFp(fp.neg(a.c0)) { return Fp2(c0: fp.zero, c1: r) }
            return nil
        }
        guard let gamma = sqrtFp(fp.add(fp.mul(a.c0, a.c0), fp.mul(a.c1, a.c1))) else { return nil }
        let half = fp.inverse(fromInt(2))
        var delta = fp.mul(fp.add(a.c0, gamma), half)
        var x0 = sqrtFp(delta)
        if x0 == nil {
            delta = fp.mul(fp.sub(a.c0, gamma), half)
            x0 = sqrtFp(delta)
        }
        guard let x0, !fp.isZero(x0) else { return nil }
        let x1 = fp.mul(a.c1, fp.inverse(fp.add(x0, x0)))
        let root = Fp2(c0: x0, c1: x1)
        return square(root) == a ? root : nil
    }

    static func greaterThanHalf(_ a: Fp) -> Bool {
        MontgomeryField.compare(fp.fromMontgomery(a), pMinus1Over2) > 0
    }

    /// RFC 9380 sgn0 for Fp2.
    static func sgn0(_ a: Fp2) -> Bool {
        let c0 = fp.fromMontgomery(a.c0), c1 = fp.fromMontgomery(a.c1)
        return c0[0] & 1 == 1 || (c0.allSatisfy { $0 == 0 } && c1[0] & 1 == 1)
    }

    // MARK: Points (E over Fp embedded in Fp2, and the twist E'), y² = x³ + b, a = 0

    struct Point: Sendable {
        var x: Fp2, y: Fp2, z: Fp2
        static let infinity = Point(x: BLS12381.one2, y: BLS12381.one2, z: BLS12381.zero2)
        var isInfinity: Bool { BLS12381.isZero(z) }
        init(x: Fp2, y: Fp2, z: Fp2) { self.x = x; self.y = y; self.z = z }
        init(affineX: Fp2, y: Fp2) { self.init(x: affineX, y: y, z: BLS12381.one2) }
    }

    static func double(_ p: Point) -> Point {
        if p.isInfinity || isZero(p.y) { return .infinity }
        let a = square(p.x), b = square(p.y), c = square(b)
        let t = sub(sub(square(add(p.x, b)), a), c)
        let d = add(t, t)
        let e = add(add(a, a), a)
        let f = square(e)
        let x3 = sub(f, add(d, d))
        let c8 = add(add(add(c, c), add(c, c)), add(add(c, c), add(c, c)))
        let y3 = sub(mul(e, sub(d, x3)), c8)
        let yz = mul(p.y, p.z)
        return Point(x: x3, y: y3, z: add(yz, yz))
    }

    static func add(_ p: Point, _ q: Point) -> Point {
        if p.isInfinity { return q }
        if q.isInfinity { return p }
        let z1z1 = square(p.z), z2z2 = square(q.z)
        let u1 = mul(p.x, z2z2), u2 = mul(q.x, z1z1)
        let s1 = mul(p.y, mul(q.z, z2z2)), s2 = mul(q.y, mul(p.z, z1z1))
        if u1 == u2 { return s1 == s2 ? double(p) : .infinity }
        let h = sub(u2, u1), r = sub(s2, s1)
        let hh = square(h), hhh = mul(hh, h), u1hh = mul(u1, hh)
        let x3 = sub(sub(square(r), hhh), add(u1hh, u1hh))
        let y3 = sub(mul(r, sub(u1hh, x3)), mul(s1, hhh))
        return Point(x: x3, y: y3, z: mul(h, mul(p.z, q.z)))
    }

    static func multiply(_ p: Point, _ scalar: [UInt64]) -> Point {
        var result = Point.infinity
        for i in stride(from: scalar.count * 64 - 1, through: 0, by: -1) {
            result = double(result)
            if (scalar[i / 64] >> UInt64(i % 64)) & 1 == 1 { result = add(result, p) }
        }
        return result
    }

    static func affine(_ p: Point) -> (x: Fp2, y: Fp2)? {
        guard !p.isInfinity else { return nil }
        let zi = inverse(p.z), zi2 = square(zi)
        return (mul(p.x, zi2), mul(p.y, mul(zi2, zi)))
    }

    static let b1 = Fp2(c0: fromInt(4), c1: fp.zero)
    static let b2 = Fp2(c0: fromInt(4), c1: fromInt(4))

    static func isOnCurve(x: Fp2, y: Fp2, b: Fp2) -> Bool { square(y) == add(mul(square(x), x), b) }

    static let g1 = Point(affineX: Fp2(c0: fp.toMontgomery(MontgomeryField.limbs(hex: BLS12381Constants.g1x)), c1: fp.zero),
                          y: Fp2(c0: fp.toMontgomery(MontgomeryField.limbs(hex: BLS12381Constants.g1y)), c1: fp.zero))

    static func fpFromBytes(_ bytes: ArraySlice<UInt8>) throws -> Fp {
        guard let limbs = fp.limbs(bigEndian: Array(bytes)), MontgomeryField.compare(limbs, fp.modulus) < 0 else {
            throw RowFailure("BLS coordinate is not below the field modulus")
        }
        return fp.toMontgomery(limbs)
    }

    /// Decodes a compressed G1 public key (48 bytes), checking curve and subgroup membership.
    static func decodeG1(_ bytes: [UInt8]) throws -> Point {
        guard bytes.count == 48 else { throw RowFailure("BLS public key is \(bytes.count) bytes, expected 48") }
        let flags = bytes[0]
        guard flags & 0x80 != 0 else { throw RowFailure("BLS public key is not in compressed form") }
        guard flags & 0x40 == 0 else { throw RowFailure("BLS public key is the point at infinity") }
        var raw = bytes
        raw[0] &= 0x1F
        let x = try fpFromBytes(raw[...])
        guard let y = sqrtFp(fp.add(fp.mul(fp.mul(x, x), x), fromInt(4))) else { throw RowFailure("BLS public key is not on the curve") }
        let wantLarge = flags & 0x20 != 0
        let yy = greaterThanHalf(y) == wantLarge ? y : fp.neg(y)
        let point = Point(affineX: Fp2(c0: x, c1: fp.zero), y: Fp2(c0: yy, c1: fp.zero))
        guard multiply(point, order).isInfinity else { throw RowFailure("BLS public key is not in the G1 subgroup") }
        return point
    }

    /// Decodes a compressed G2 signature (96 bytes), checking curve and subgroup membership.
    static func decodeG2(_ bytes: [UInt8]) throws -> Point {
        guard bytes.count == 96 else { throw RowFailure("BLS signature is \(bytes.count) bytes, expected 96") }
        let flags = bytes[0]
        guard flags & 0x80 != 0 else { throw RowFailure("BLS signature is not in compressed form") }
        guard flags & 0x40 == 0 else { throw RowFailure("BLS signature is the point at infinity (rejected)") }
        var raw = bytes
        raw[0] &= 0x1F
        let x = Fp2(c0: try fpFromBytes(raw[48..<96]), c1: try fpFromBytes(raw[0..<48]))
        guard let y = sqrt(add(mul(square(x), x), b2)) else { throw RowFailure("BLS signature is not on the curve") }
        let large = fp.isZero(y.c1) ? greaterThanHalf(y.c0) : greaterThanHalf(y.c1)
        let yy = large == (flags & 0x20 != 0) ? y : neg(y)
        let point = Point(affineX: x, y: yy)
        guard multiply(point, order).isInfinity else { throw RowFailure("BLS signature is not in the G2 subgroup") }
        return point
    }
}
