import Field
import Hashing

/// A signed integer of up to 512 bits, exactly as written in OKX's files (sum_values.json holds
/// JSON integers above 2^251; totals may exceed p). Only what the verifier needs: parse,
/// add, compare, reduce mod p.
public struct ExactInteger: Sendable, Equatable, CustomStringConvertible {
    /// Magnitude, little-endian 64-bit limbs, no trailing zero limbs.
    var magnitude: [UInt64]
    var negative: Bool

    static let maximumLimbs = 8

    public static let zero = ExactInteger(magnitude: [], negative: false)

    init(magnitude: [UInt64], negative: Bool) {
        var m = magnitude
        while let last = m.last, last == 0 { m.removeLast() }
        self.magnitude = m
        self.negative = negative && !m.isEmpty
    }

    /// Parses `-?[0-9]+` (no `+`, spaces, `_`, fractions or exponents). nil when malformed or
    /// larger than 512 bits.
    public init?<Bytes: Collection>(decimal bytes: Bytes) where Bytes.Element == UInt8 {
        var neg = false
        var mag = [UInt64]()
        var sawDigit = false
        var first = true
        for b in bytes {
            if first && b == UInt8(ascii: "-") { neg = true; first = false; continue }
            first = false
            guard b >= 48 && b <= 57 else { return nil }
            sawDigit = true
            // mag = mag * 10 + digit
            var carry = UInt64(b - 48)
            for i in 0..<mag.count {
                let (hi, lo) = mag[i].multipliedFullWidth(by: 10)
                let (s, o) = lo.addingReportingOverflow(carry)
                mag[i] = s
                carry = hi &+ (o ? 1 : 0)
            }
            if carry != 0 { mag.append(carry) }
            if mag.count > ExactInteger.maximumLimbs { return nil }
        }
        guard sawDigit else { return nil }
        self.init(magnitude: mag, negative: neg)
    }

    public init?(decimal text: String) { self.init(decimal: Array(text.utf8)) }

    static func compareMagnitude(_ a: [UInt64], _ b: [UInt64]) -> Int {
        if a.count != b.count { return a.count < b.count ? -1 : 1 }
        for i in stride(from: a.count - 1, through: 0, by: -1) where a[i] != b[i] { return a[i] < b[i] ? -1 : 1 }
        return 0
    }

    static func addMagnitude(_ a: [UInt64], _ b: [UInt64]) -> [UInt64] {
        var out = [UInt64]()
        var carry: UInt64 = 0
        for i in 0..<max(a.count, b.count) {
            let x = i < a.count ? a[i] : 0, y = i < b.count ? b[i] : 0
            let (s1, o1) = x.addingReportingOverflow(y)
            let (s2, o2) = s1.addingReportingOverflow(carry)
            out.append(s2)
            carry = (o1 ? 1 : 0) + (o2 ? 1 : 0)
        }
        if carry != 0 { out.append(carry) }
        return out
    }

    /// a - b for a ≥ b.
    static func subtractMagnitude(_ a: [UInt64], _ b: [UInt64]) -> [UInt64] {
        var out = [UInt64]()
        var borrow: UInt64 = 0
        for i in 0..<a.count {
            let y = i < b.count ? b[i] : 0
            let (d1, o1) = a[i].subtractingReportingOverflow(y)
            let (d2, o2) = d1.subtractingReportingOverflow(borrow)
            out.append(d2)
            borrow = (o1 || o2) ? 1 : 0
        }
        return out
    }

    public static func + (x: ExactInteger, y: ExactInteger) -> ExactInteger {
        if x.negative == y.negative { return ExactInteger(magnitude: addMagnitude(x.magnitude, y.magnitude), negative: x.negative) }
        let c = compareMagnitude(x.magnitude, y.magnitude)
        if c == 0 { return .zero }
        if c > 0 { return ExactInteger(magnitude: subtractMagnitude(x.magnitude, y.magnitude), negative: x.negative) }
        return ExactInteger(magnitude: subtractMagnitude(y.magnitude, x.magnitude), negative: y.negative)
    }

    public var isNegative: Bool { negative }

    static let modulusLimbs: [UInt64] = [1, 0, 0, 0x0800_0000_0000_0011]

    /// 0 ≤ self < p: a field element as OKX writes it.
    public var isFieldElement: Bool { !negative && ExactInteger.compareMagnitude(magnitude, ExactInteger.modulusLimbs) < 0 }

    /// |self| < p: a signed amount as OKX's inclusion files print it (value − p for large ones).
    public var isSignedFieldAmount: Bool { ExactInteger.compareMagnitude(magnitude, ExactInteger.modulusLimbs) < 0 }

    /// (p − 1) / 2: field elements above it stand for negative amounts.
    static let halfModulusLimbs: [UInt64] = [0, 0, 0x8000_0000_0000_0000, 0x0400_0000_0000_0008]

    /// For a field element above (p − 1)/2, the negative amount it stands for (self − p).
    public var asSignedFieldAmount: ExactInteger? {
        guard isFieldElement, ExactInteger.compareMagnitude(magnitude, ExactInteger.halfModulusLimbs) > 0 else { return nil }
        return self + ExactInteger(magnitude: ExactInteger.modulusLimbs, negative: true)
    }

    /// 0 ≤ self < 2^256.
    public var fitsIn256Bits: Bool { !negative && magnitude.count <= 4 }

    /// self mod p, as a field element (negative values wrap to p − |x|).
    public var reduced: Stark252 {
        var acc = Stark252.zero
        let base = Stark252(1 << 32) * Stark252(1 << 32)
        for limb in magnitude.reversed() { acc = acc * base + Stark252(limb) }
        return negative ? -acc : acc
    }

    /// The 32-byte big-endian encoding of a value in [0, 2^256).
    public var bigEndian32: [UInt8]? {
        guard fitsIn256Bits else { return nil }
        var out = [UInt8]()
        for i in stride(from: 3, through: 0, by: -1) {
            let limb = i < magnitude.count ? magnitude[i] : 0
            for shift in stride(from: 56, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: limb >> UInt64(shift))) }
        }
        return out
    }

    public var description: String {
        if magnitude.isEmpty { return "0" }
        var digits = [UInt8]()
        var m = magnitude
        while !m.isEmpty {
            var rem: UInt64 = 0
            for i in stride(from: m.count - 1, through: 0, by: -1) {
                let (q, r) = UInt64(10).dividingFullWidth((rem, m[i]))
                m[i] = q
                rem = r
            }
            digits.append(UInt8(rem))
            while let last = m.last, last == 0 { m.removeLast() }
        }
        return (negative ? "-" : "") + String(digits.reversed().map { Character(Unicode.Scalar($0 + 48)) })
    }
}

/// The decimal amounts of inclusion files as the 32 big-endian bytes of their residue mod p,
/// with a fast path for the amounts that fit in 64 bits (nearly all of them): no limb array, no
/// field multiplication. Anything larger goes through `ExactInteger`, the reference.
enum DecimalAmount {
    /// `-?[0-9]+` as a magnitude below 2^64 and a sign; nil when malformed or too large for 64 bits.
    static func small<Bytes: Collection>(_ text: Bytes) -> (magnitude: UInt64, negative: Bool)? where Bytes.Element == UInt8 {
        var it = text.makeIterator()
        guard var c = it.next() else { return nil }
        var negative = false
        if c == UInt8(ascii: "-") {
            negative = true
            guard let d = it.next() else { return nil }
            c = d
        }
        var v: UInt64 = 0
        while true {
            guard c >= 48, c <= 57 else { return nil }
            let (m, o1) = v.multipliedReportingOverflow(by: 10)
            let (s, o2) = m.addingReportingOverflow(UInt64(c - 48))
            if o1 || o2 { return nil }
            v = s
            guard let d = it.next() else { break }
            c = d
        }
        return (v, negative && v != 0)
    }

    /// x mod p as 32 big-endian bytes, and whether |x| < p (a valid signed amount); nil when
    /// the text is not a whole number of at most 512 bits.
    static func residue<Bytes: Collection>(_ text: Bytes) -> (bytes: Bytes32, isSignedAmount: Bool)? where Bytes.Element == UInt8 {
        if let (v, negative) = small(text) {
            guard negative else { return (Bytes32(words: 0, 0, 0, v.byteSwapped), true) }
            // p − v for 0 < v < 2^64, with p = p3·2^192 + 1.
            var borrow: UInt64 = 0
            func sub(_ a: UInt64, _ b: UInt64) -> UInt64 {
                let (d1, o1) = a.subtractingReportingOverflow(b)
                let (d2, o2) = d1.subtractingReportingOverflow(borrow)
                borrow = (o1 || o2) ? 1 : 0
                return d2
            }
            let l0 = sub(1, v), l1 = sub(0, 0), l2 = sub(0, 0), l3 = sub(0x0800_0000_0000_0011, 0)
            return (Bytes32(words: l3.byteSwapped, l2.byteSwapped, l1.byteSwapped, l0.byteSwapped), true)
        }
        guard let x = ExactInteger(decimal: text) else { return nil }
        return (x.reduced.bigEndian32, x.isSignedFieldAmount)
    }

    /// x as 32 big-endian bytes when 0 ≤ x < 2^256 (not reduced), and whether x < p; nil when
    /// the text is not such a whole number.
    static func unsigned256<Bytes: Collection>(_ text: Bytes) -> (bytes: Bytes32, isFieldElement: Bool)? where Bytes.Element == UInt8 {
        if let (v, negative) = small(text), !negative { return (Bytes32(words: 0, 0, 0, v.byteSwapped), true) }
        guard let x = ExactInteger(decimal: text), let be = x.bigEndian32, let b = Bytes32(be) else { return nil }
        return (b, x.isFieldElement)
    }
}
