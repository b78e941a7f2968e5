/// Arithmetic modulo an odd 256-bit (or smaller) modulus in Montgomery form, 4 × 64-bit limbs,
/// little-endian. Used for the Stark curve's base field and group order. Not constant-time: it
/// only verifies public data.
struct Montgomery256: Sendable {
    typealias Limbs = [UInt64]
    let modulus: Limbs
    let inverse: UInt64  // -modulus⁻¹ mod 2^64
    let rSquared: Limbs  // 2^512 mod modulus
    let one: Limbs       // 2^256 mod modulus (1 in Montgomery form)

    init(modulus: Limbs) {
        self.modulus = modulus
        var inv: UInt64 = 1
        for _ in 0..<6 { inv = inv &* (2 &- modulus[0] &* inv) }  // Newton: inv = m⁻¹ mod 2^64
        inverse = 0 &- inv
        var r: Limbs = [1, 0, 0, 0]
        for _ in 0..<256 { r = Montgomery256.addMod(r, r, modulus) }
        one = r
        var r2 = r
        for _ in 0..<256 { r2 = Montgomery256.addMod(r2, r2, modulus) }
        rSquared = r2
    }

    static func compare(_ a: Limbs, _ b: Limbs) -> Int {
        for i in stride(from: 3, through: 0, by: -1) where a[i] != b[i] { return a[i] < b[i] ? -1 : 1 }
        return 0
    }

    /// a - b assuming a >= b (wrapping otherwise), and the borrow.
    static func subtract(_ a: Limbs, _ b: Limbs) -> (Limbs, Bool) {
        var out = Limbs(repeating: 0, count: 4)
        var borrow: UInt64 = 0
        for i in 0..<4 {
            let (d1, o1) = a[i].subtractingReportingOverflow(b[i])
            let (d2, o2) = d1.subtractingReportingOverflow(borrow)
            out[i] = d2
            borrow = (o1 || o2) ? 1 : 0
        }
        return (out, borrow == 1)
    }

    static func addMod(_ a: Limbs, _ b: Limbs, _ m: Limbs) -> Limbs {
        var out = Limbs(repeating: 0, count: 4)
        var carry: UInt64 = 0
        for i in 0..<4 {
            let (s1, o1) = a[i].addingReportingOverflow(b[i])
            let (s2, o2) = s1.addingReportingOverflow(carry)
            out[i] = s2
            carry = (o1 || o2) ? 1 : 0
        }
        if carry == 1 || compare(out, m) >= 0 { out = subtract(out, m).0 }
        return out
    }

    func add(_ a: Limbs, _ b: Limbs) -> Limbs { Montgomery256.addMod(a, b, modulus) }

    func sub(_ a: Limbs, _ b: Limbs) -> Limbs {
        let (d, borrow) = Montgomery256.subtract(a, b)
        return borrow ? addWrapping(d, modulus) : d
    }

    func addWrapping(_ a: Limbs, _ b: Limbs) -> Limbs {
        var out = Limbs(repeating: 0, count: 4)
        var carry: UInt64 = 0
        for i in 0..<4 {
            let (s1, o1) = a[i].addingReportingOverflow(b[i])
            let (s2, o2) = s1.addingReportingOverflow(carry)
            out[i] = s2
            carry = (o1 || o2) ? 1 : 0
        }
        return out
    }

    func neg(_ a: Limbs) -> Limbs { isZero(a) ? a : Montgomery256.subtract(modulus, a).0 }

    func isZero(_ a: Limbs) -> Bool { a[0] | a[1] | a[2] | a[3] == 0 }

    /// a·b·2^-256 mod m (CIOS).
    func mul(_ a: Limbs, _ b: Limbs) -> Limbs {
        var t = [UInt64](repeating: 0, count: 6)
        for i in 0..<4 {
            var carry: UInt64 = 0
            for j in 0..<4 {
                let (hi, lo) = a[j].multipliedFullWidth(by: b[i])
                let (s1, o1) = lo.addingReportingOverflow(t[j])
                let (s2, o2) = s1.addingReportingOverflow(carry)
                t[j] = s2
                carry = hi &+ (o1 ? 1 : 0) &+ (o2 ? 1 : 0)
            }
            let (s, o) = t[4].addingReportingOverflow(carry)
            t[4] = s
            t[5] = o ? 1 : 0
            let m = t[0] &* inverse
            let (hi0, lo0) = m.multipliedFullWidth(by: modulus[0])
            let (_, oz) = lo0.addingReportingOverflow(t[0])
            carry = hi0 &+ (oz ? 1 : 0)
            for j in 1..<4 {
                let (hi, lo) = m.multipliedFullWidth(by: modulus[j])
                let (s1, o1) = lo.addingReportingOverflow(t[j])
                let (s2, o2) = s1.addingReportingOverflow(carry)
                t[j - 1] = s2
                carry = hi &+ (o1 ? 1 : 0) &+ (o2 ? 1 : 0)
            }
            let (s3, o3) = t[4].addingReportingOverflow(carry)
            t[3] = s3
            t[4] = t[5] &+ (o3 ? 1 : 0)
        }
        var out = Array(t[0..<4])
        if t[4] != 0 || Montgomery256.compare(out, modulus) >= 0 { out = Montgomery256.subtract(out, modulus).0 }
        return out
    }

    func toMontgomery(_ a: Limbs) -> Limbs { mul(a, rSquared) }
    func fromMontgomery(_ a: Limbs) -> Limbs { mul(a, [1, 0, 0, 0]) }

    /// base^exponent (base in Montgomery form, exponent plain).
    func pow(_ base: Limbs, _ exponent: Limbs) -> Limbs {
        var result = one
        for i in stride(from: 255, through: 0, by: -1) {
            result = mul(result, result)
            if (exponent[i / 64] >> UInt64(i % 64)) & 1 == 1 { result = mul(result, base) }
        }
        return result
    }

    /// Inverse by Fermat (the modulus is prime); zero maps to zero.
    func inverse(_ a: Limbs) -> Limbs { pow(a, Montgomery256.subtract(modulus, [2, 0, 0, 0]).0) }

    /// A square root (Tonelli-Shanks) of a Montgomery-form value, nil for a non-residue.
    func sqrt(_ a: Limbs) -> Limbs? {
        if isZero(a) { return a }
        let pMinus1 = Montgomery256.subtract(modulus, [1, 0, 0, 0]).0
        let half = Montgomery256.shiftRight(pMinus1, 1)
        guard pow(a, half) == one else { return nil }
        var q = pMinus1
        var s = 0
        while q[0] & 1 == 0 { q = Montgomery256.shiftRight(q, 1); s += 1 }
        var z = add(one, one)
        let minusOne = neg(one)
        while pow(z, half) != minusOne { z = add(z, one) }
        var m = s
        var c = pow(z, q)
        var t = pow(a, q)
        var r = pow(a, Montgomery256.shiftRight(Montgomery256.addMod(q, [1, 0, 0, 0], [UInt64.max, UInt64.max, UInt64.max, UInt64.max]), 1))
        while t != one {
            var i = 0
            var t2 = t
            while t2 != one && i < m { t2 = mul(t2, t2); i += 1 }
            if i == m { return nil }
            var b = c
            for _ in 0..<(m - i - 1) { b = mul(b, b) }
            m = i
            c = mul(b, b)
            t = mul(t, c)
            r = mul(r, b)
        }
        return r
    }

    static func shiftRight(_ a: Limbs, _ n: Int) -> Limbs {
        var out = Limbs(repeating: 0, count: 4)
        for i in 0..<4 {
            out[i] = a[i] >> UInt64(n)
            if i < 3 && n > 0 { out[i] |= a[i + 1] << UInt64(64 - n) }
        }
        return out
    }

    /// Limbs of a big-endian byte string (at most 32 bytes).
    static func limbs(bigEndian bytes: [UInt8]) -> Limbs? {
        guard bytes.count <= 32 else { return nil }
        let padded = [UInt8](repeating: 0, count: 32 - bytes.count) + bytes
        var out = Limbs(repeating: 0, count: 4)
        for i in 0..<4 {
            var v: UInt64 = 0
            for b in 0..<8 { v = v << 8 | UInt64(padded[(3 - i) * 8 + b]) }
            out[i] = v
        }
        return out
    }

    static func bigEndianBytes(_ a: Limbs) -> [UInt8] {
        var out = [UInt8]()
        for i in stride(from: 3, through: 0, by: -1) {
            for b in stride(from: 7, through: 0, by: -1) { out.append(UInt8(truncatingIfNeeded: a[i] >> UInt64(8 * b))) }
        }
        return out
    }
}
