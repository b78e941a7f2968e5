import Hashing

/// The BLS12-381 pairing in its plainest form: Fp12 = Fp[w]/(w¹² − 2w⁶ + 2), the twist point
/// untwisted by x·w⁻², y·w⁻³ (with u ↦ w⁶ − 1), a Miller loop over |x| = 0xd201000000010000 with
/// affine line functions, and the final exponentiation checked through Frobenius maps.
/// Slow (≈ a second) but short enough to check by eye; only BETH rows use it.
enum BLS12381Pairing {
    typealias Fp12 = [[UInt64]]  // 12 coefficients in Montgomery form
    static let fp = BLS12381.fp

    static let one12: Fp12 = [fp.one] + [[UInt64]](repeating: fp.zero, count: 11)

    static func mul(_ a: Fp12, _ b: Fp12) -> Fp12 {
        var c = [[UInt64]](repeating: fp.zero, count: 23)
        for i in 0..<12 where !fp.isZero(a[i]) {
            for j in 0..<12 where !fp.isZero(b[j]) { c[i + j] = fp.add(c[i + j], fp.mul(a[i], b[j])) }
        }
        // w¹² = 2w⁶ − 2
        for k in stride(from: 22, through: 12, by: -1) where !fp.isZero(c[k]) {
            let twice = fp.add(c[k], c[k])
            c[k - 6] = fp.add(c[k - 6], twice)
            c[k - 12] = fp.sub(c[k - 12], twice)
        }
        return Array(c[0..<12])
    }

    static func sub(_ a: Fp12, _ b: Fp12) -> Fp12 { (0..<12).map { fp.sub(a[$0], b[$0]) } }

    /// c0 + c1·u ↦ (c0 − c1) + c1·w⁶.
    static func embed(_ a: Fp2) -> Fp12 {
        var out = [[UInt64]](repeating: fp.zero, count: 12)
        out[0] = fp.sub(a.c0, a.c1)
        out[6] = a.c1
        return out
    }

    static func embed(_ a: [UInt64]) -> Fp12 {
        var out = [[UInt64]](repeating: fp.zero, count: 12)
        out[0] = a
        return out
    }

    /// w⁻¹ = w⁵ − w¹¹/2 (from w¹² − 2w⁶ + 2 = 0).
    static let wInverse: Fp12 = {
        var out = [[UInt64]](repeating: fp.zero, count: 12)
        out[5] = fp.one
        out[11] = fp.neg(fp.inverse(BLS12381.fromInt(2)))
        return out
    }()
    static let wInverse2 = mul(wInverse, wInverse)
    static let wInverse3 = mul(wInverse2, wInverse)

    static let loopCount: UInt64 = 0xD201_0000_0001_0000

    /// Miller loop of the twist point q (affine, Fp2) and p (affine, on E(Fp)).
    static func millerLoop(q: (x: Fp2, y: Fp2), p: (x: [UInt64], y: [UInt64])) -> Fp12 {
        typealias B = BLS12381
        let px = embed(p.x), py = embed(p.y)
        var rx = q.x, ry = q.y
        var f = one12
        func line(slope: Fp2, x: Fp2, y: Fp2) -> Fp12 {
            let m = mul(embed(slope), wInverse)
            return sub(mul(m, sub(px, mul(embed(x), wInverse2))), sub(py, mul(embed(y), wInverse3)))
        }
        for i in stride(from: 62, through: 0, by: -1) {
            let three = B.add(B.add(B.square(rx), B.square(rx)), B.square(rx))
            let slope = B.mul(three, B.inverse(B.add(ry, ry)))
            f = mul(mul(f, f), line(slope: slope, x: rx, y: ry))
            let nx = B.sub(B.square(slope), B.add(rx, rx))
            ry = B.sub(B.mul(slope, B.sub(rx, nx)), ry)
            rx = nx
            if (loopCount >> UInt64(i)) & 1 == 1 {
                let slope2 = B.mul(B.sub(q.y, ry), B.inverse(B.sub(q.x, rx)))
                f = mul(f, line(slope: slope2, x: rx, y: ry))
                let nx2 = B.sub(B.sub(B.square(slope2), rx), q.x)
                ry = B.sub(B.mul(slope2, B.sub(rx, nx2)), ry)
                rx = nx2
            }
        }
        return f
    }

    static func power(_ f: Fp12, _ exponent: [UInt64]) -> Fp12 {
        var result = one12
        for i in stride(from: exponent.count * 64 - 1, through: 0, by: -1) {
            result = mul(result, result)
            if (exponent[i / 64] >> UInt64(i % 64)) & 1 == 1 { result = mul(result, f) }
        }
        return result
    }

    /// w^(i·q) for i = 0…11: the Frobenius map f ↦ f^q is linear over Fp in the basis w^i.
    static func frobeniusBasis(_ q: String) -> [Fp12] {
        var w = [[UInt64]](repeating: fp.zero, count: 12)
        w[1] = fp.one
        let wq = power(w, MontgomeryField.limbs(hex: q))
        var basis = [one12]
        for _ in 1..<12 { basis.append(mul(basis[basis.count - 1], wq)) }
        return basis
    }

    static let frobenius2 = frobeniusBasis(BLS12381Constants.pSquared)
    static let frobenius6 = frobeniusBasis(BLS12381Constants.pToTheSixth)

    static func frobenius(_ f: Fp12, _ basis: [Fp12]) -> Fp12 {
        var out = [[UInt64]](repeating: fp.zero, count: 12)
        for i in 0..<12 where !fp.isZero(f[i]) {
            for j in 0..<12 { out[j] = fp.add(out[j], fp.mul(f[i], basis[i][j])) }
        }
        return out
    }

    static let hardExponent = MontgomeryField.limbs(hex: BLS12381Constants.hardExponent)

    /// True when f^((p¹² − 1)/r) = 1. With (p¹² − 1)/r = (p⁶ − 1)(p² + 1)·H and u = f^(p² + 1):
    /// f^… = 1 ⇔ (u^(p⁶)/u)^H = 1 ⇔ X^(p⁶) = X for X = u^H (Frobenius commutes with powers),
    /// which needs no inversion and only the 1,270-bit power H.
    static func finalExponentiationIsOne(_ f: Fp12) -> Bool {
        // The equivalence needs f invertible; a zero Miller value never verifies.
        guard f.contains(where: { !fp.isZero($0) }) else { return false }
        let u = mul(frobenius(f, frobenius2), f)
        let x = power(u, hardExponent)
        return frobenius(x, frobenius6) == x
    }
}
