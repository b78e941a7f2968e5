/// Arithmetic modulo an odd prime of `count` 64-bit limbs (little-endian) in Montgomery form.
/// Generic limb count: the Stark curve uses 4 limbs, BLS12-381 6. Not constant-time: it only checks public data.
struct MontgomeryField: Sendable {
    typealias Element = [UInt64]
    let count: Int
    let modulus: Element
    let inverse: UInt64   // -modulus⁻¹ mod 2^64
    let one: Element      // R mod m
    let rSquared: Element // R² mod m
    let zero: Element

    init(modulus: Element) {
        count = modulus.count
        self.modulus = modulus
        var inv: UInt64 = 1
        for _ in 0..<6 { inv = inv &* (2 &- modulus[0] &* inv) }
        inverse = 0 &- inv
        zero = Element(repeating: 0, count: modulus.count)
        var r = zero
        r[0] = 1
        var tmp = r
        for _ in 0..<(64 * modulus.count) { tmp = MontgomeryField.addMod(tmp, tmp, modulus) }
        one = tmp
        for _ in 0..<(64 * modulus.count) { tmp = MontgomeryField.addMod(tmp, tmp, modulus) }
        rSquared = tmp
        _ = r
    }

    static func compare(_ a: Element, _ b: Element) -> Int {
        for i in stride(from: a.count - 1, through: 0, by: -1) where a[i] != b[i] { return a[i] < b[i] ? -1 : 1 }
        return 0
    }

    static func subtractWrapping(_ a: Element, _ b: Element) -> (Element, Bool) {
        var out = a
        var borrow = false
        for i in 0..<a.count {
            let (d1, o1) = a[i].subtractingReportingOverflow(b[i])
            let (d2, o2) = d1.subtractingReportingOverflow(borrow ? 1 : 0)
            out[i] = d2
            borrow = o1 || o2
        }
        return (out, borrow)
    }

    static func addWrapping(_ a: Element, _ b: Element) -> (Element, Bool) {
        var out = a
        var carry = false
        for i in 0..<a.count {
            let (s1, o1) = a[i].addingReportingOverflow(b[i])
            let (s2, o2) = s1.addingReportingOverflow(carry ? 1 : 0)
            out[i] = s2
            carry = o1 || o2
        }
        return (out, carry)
    }

    static func addMod(_ a: Element, _ b: Element, _ m: Element) -> Element {
        let (s, carry) = addWrapping(a, b)
        if carry || compare(s, m) >= 0 { return subtractWrapping(s, m).0 }
        return s
    }

    func add(_ a: Element, _ b: Element) -> Element { MontgomeryField.addMod(a, b, modulus) }

    func sub(_ a: Element, _ b: Element) -> Element {
        let (d, borrow) = MontgomeryField.subtractWrapping(a, b)
        return borrow ? MontgomeryField.addWrapping(d, modulus).0 : d
    }

    func neg(_ a: Element) -> Element { isZero(a) ? a : MontgomeryField.subtractWrapping(modulus, a).0 }

    func isZero(_ a: Element) -> Bool { a.allSatisfy { $0 == 0 } }

    /// a·b·R⁻¹ mod m (CIOS).
    func mul(_ a: Element, _ b: Element) -> Element {
        let n = count
        // The accumulator lives on the stack: this is the hot loop of the pairing and the curves.
        return withUnsafeTemporaryAllocation(of: UInt64.self, capacity: n + 2) { t -> Element in
            t.initialize(repeating: 0)
            a.withUnsafeBufferPointer { a in
                b.withUnsafeBufferPointer { b in
                    modulus.withUnsafeBufferPointer { m in
                        for i in 0..<n {
                            var carry: UInt64 = 0
                            let bi = b[i]
                            for j in 0..<n {
                                let (hi, lo) = a[j].multipliedFullWidth(by: bi)
                                let (s1, o1) = lo.addingReportingOverflow(t[j])
                                let (s2, o2) = s1.addingReportingOverflow(carry)
                                t[j] = s2
                                carry = hi &+ (o1 ? 1 : 0) &+ (o2 ? 1 : 0)
                            }
                            let (s, o) = t[n].addingReportingOverflow(carry)
                            t[n] = s
                            t[n + 1] = o ? 1 : 0
                            let q = t[0] &* inverse
                            let (hi0, lo0) = q.multipliedFullWidth(by: m[0])
                            let (_, oz) = lo0.addingReportingOverflow(t[0])
                            carry = hi0 &+ (oz ? 1 : 0)
                            for j in 1..<n {
                                let (hi, lo) = q.multipliedFullWidth(by: m[j])
                                let (s1, o1) = lo.addingReportingOverflow(t[j])
                                let (s2, o2) = s1.addingReportingOverflow(carry)
                                t[j - 1] = s2
                                carry = hi &+ (o1 ? 1 : 0) &+ (o2 ? 1 : 0)
                            }
                            let (s3, o3) = t[n].addingReportingOverflow(carry)
                            t[n - 1] = s3
                            t[n] = t[n + 1] &+ (o3 ? 1 : 0)
                        }
                    }
                }
            }
            var out = Array(t[0..<n])
            if t[n] != 0 || MontgomeryField.compare(out, modulus) >= 0 { out = MontgomeryField.subtractWrapping(out, modulus).0 }
            return out
        }
    }

    func toMontgomery(_ a: Element) -> Element { mul(a, rSquared) }
    func fromMontgomery(_ a: Element) -> Element {
        var unit = zero
        unit[0] = 1
        return mul(a, unit)
    }

    /// base^exponent; base in Montgomery form, exponent a plain little-endian limb array.
    func pow(_ base: Element, _ exponent: [UInt64]) -> Element {
        var result = one
        for i in stride(from: exponent.count * 64 - 1, through: 0, by: -1) {
            result = mul(result, result)
            if (exponent[i / 64] >> UInt64(i % 64)) & 1 == 1 { result = mul(result, base) }
        }
        return result
    }

    func inverse(_ a: Element) -> Element {
        var two = zero
        two[0] = 2
        return pow(a, MontgomeryField.subtractWrapping(modulus, two).0)
    }

    /// A square root (Tonelli-Shanks) of a Montgomery-form value, nil for a non-residue.
    func sqrt(_ a: Element) -> Element? {
        if isZero(a) { return a }
        var unit = zero
        unit[0] = 1
        let pMinus1 = MontgomeryField.subtractWrapping(modulus, unit).0
        let half = MontgomeryField.shiftRight(pMinus1, 1)
        guard pow(a, half) == one else { return nil }
        var q = pMinus1
        var s = 0
        while q[0] & 1 == 0 { q = MontgomeryField.shiftRight(q, 1); s += 1 }
        var z = add(one, one)
        let minusOne = neg(one)
        while pow(z, half) != minusOne { z = add(z, one) }
        var m = s
        var c = pow(z, q)
        var t = pow(a, q)
        var r = pow(a, MontgomeryField.shiftRight(MontgomeryField.addWrapping(q, unit).0, 1))
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

    static func shiftRight(_ a: Element, _ n: Int) -> Element {
        var out = a
        for i in 0..<a.count {
            out[i] = a[i] >> UInt64(n)
            if i + 1 < a.count && n > 0 { out[i] |= a[i + 1] << UInt64(64 - n) }
        }
        return out
    }

    static func bigEndianBytes(_ a: Element) -> [UInt8] {
        var out = [UInt8]()
        for i in stride(from: a.count - 1, through: 0, by: -1) {
            for b in stride(from: 7, through: 0, by: -1) { out.append(UInt8(truncatingIfNeeded: a[i] >> UInt64(8 * b))) }
        }
        return out
    }

    /// Limbs of a big-endian byte string of at most count·8 bytes.
    func limbs(bigEndian bytes: [UInt8]) -> Element? {
        guard bytes.count <= count * 8 else { return nil }
        let padded = [UInt8](repeating: 0, count: count * 8 - bytes.count) + bytes
        var out = zero
        for i in 0..<count {
            var v: UInt64 = 0
            for b in 0..<8 { v = v << 8 | UInt64(padded[(count - 1 - i) * 8 + b]) }
            out[i] = v
        }
        return out
    }

    static func limbs(hex: String) -> [UInt64] {
        var digits = Array(hex.utf8)
        while digits.count % 16 != 0 { digits.insert(UInt8(ascii: "0"), at: 0) }
        var out = [UInt64]()
        var end = digits.count
        while end > 0 {
            var v: UInt64 = 0
            for c in digits[(end - 16)..<end] {
                let nibble: UInt64 = c >= 97 ? UInt64(c - 87) : (c >= 65 ? UInt64(c - 55) : UInt64(c - 48))
                v = v << 4 | nibble
            }
            out.append(v)
            end -= 16
        }
        return out
    }
}
