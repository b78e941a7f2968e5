/// The STARK-252 prime field, p = 2^251 + 17·2^192 + 1 (StarkWare's field, used by OKX's
/// zk-STARK v1 proofs). Four 64-bit limbs, little-endian, kept in Montgomery form (x·2^256 mod p)
/// so that a multiplication is one CIOS pass with no division.
public struct Stark252: Sendable, Hashable, CustomStringConvertible {
    /// Montgomery-form limbs, least significant first; always < p.
    @usableFromInline var l0: UInt64
    @usableFromInline var l1: UInt64
    @usableFromInline var l2: UInt64
    @usableFromInline var l3: UInt64

    /// p's limbs (p = 0x0800000000000011 0000000000000000 0000000000000000 0000000000000001).
    @usableFromInline static let p0: UInt64 = 1
    @usableFromInline static let p3: UInt64 = 0x0800_0000_0000_0011
    /// 2^512 mod p, to enter Montgomery form.
    @usableFromInline static let r2 = Stark252(rawLimbs: 0xffff_fd73_7e00_0401, 0x0000_0001_330f_ffff, 0xffff_ffff_ff6f_8000, 0x07ff_d4ab_5e00_8810)

    @inlinable init(rawLimbs l0: UInt64, _ l1: UInt64, _ l2: UInt64, _ l3: UInt64) {
        self.l0 = l0; self.l1 = l1; self.l2 = l2; self.l3 = l3
    }

    public static let zero = Stark252(rawLimbs: 0, 0, 0, 0)
    /// 2^256 mod p (1 in Montgomery form).
    public static let one = Stark252(rawLimbs: 0xffff_ffff_ffff_ffe1, 0xffff_ffff_ffff_ffff, 0xffff_ffff_ffff_ffff, 0x07ff_ffff_ffff_fdf0)

    /// The modulus as big-endian bytes.
    public static let modulusBigEndian: [UInt8] = limbsToBigEndian([p0, 0, 0, p3])

    /// Whether canonical little-endian limbs are < p.
    @inlinable static func isCanonical(_ a: UInt64, _ b: UInt64, _ c: UInt64, _ d: UInt64) -> Bool {
        if d != p3 { return d < p3 }
        if c != 0 || b != 0 { return false }
        return a < p0
    }

    /// From a canonical integer given as little-endian limbs (< p); nil when ≥ p.
    public init?(canonicalLimbs a: UInt64, _ b: UInt64, _ c: UInt64, _ d: UInt64) {
        guard Stark252.isCanonical(a, b, c, d) else { return nil }
        self = Stark252(rawLimbs: a, b, c, d) * Stark252.r2
    }

    public init(_ v: UInt64) {
        self = Stark252(rawLimbs: v, 0, 0, 0) * Stark252.r2
    }

    /// From 32 big-endian bytes; nil when the integer is ≥ p (not a field element).
    public init?<Bytes: Collection>(bigEndian bytes: Bytes) where Bytes.Element == UInt8 {
        guard let limbs = Stark252.limbs(bigEndian: bytes) else { return nil }
        self.init(canonicalLimbs: limbs[0], limbs[1], limbs[2], limbs[3])
    }

    /// From 32 big-endian bytes of an array slice (the verifier's hot path: no generic dispatch,
    /// no allocation); nil when the integer is ≥ p or the slice is not 32 bytes.
    public init?(bigEndianSlice bytes: ArraySlice<UInt8>) {
        guard bytes.count == 32 else { return nil }
        let limbs = bytes.withUnsafeBytes { raw -> (UInt64, UInt64, UInt64, UInt64) in
            (UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 24, as: UInt64.self)),
             UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 16, as: UInt64.self)),
             UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self)),
             UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self)))
        }
        guard Stark252.isCanonical(limbs.0, limbs.1, limbs.2, limbs.3) else { return nil }
        self = Stark252(rawLimbs: limbs.0, limbs.1, limbs.2, limbs.3) * Stark252.r2
    }

    /// The element whose Montgomery form is the integer in 32 big-endian bytes (v < p), that is
    /// v·2⁻²⁵⁶ mod p; nil when v ≥ p or the slice is not 32 bytes. No multiplication: for sums of
    /// products with values as read (`ProductSum`), where a common factor 2⁻²⁵⁶ on both sides
    /// of an equation does not change whether it holds.
    public init?(montgomeryBigEndianSlice bytes: ArraySlice<UInt8>) {
        guard bytes.count == 32 else { return nil }
        let limbs = bytes.withUnsafeBytes { raw -> (UInt64, UInt64, UInt64, UInt64) in
            (UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 24, as: UInt64.self)),
             UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 16, as: UInt64.self)),
             UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self)),
             UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self)))
        }
        self.init(montgomeryLimbs: limbs.0, limbs.1, limbs.2, limbs.3)
    }

    /// The element whose Montgomery form is the integer with these little-endian limbs (< p):
    /// v·2⁻²⁵⁶ mod p; nil when v ≥ p.
    @inlinable
    public init?(montgomeryLimbs a: UInt64, _ b: UInt64, _ c: UInt64, _ d: UInt64) {
        guard Stark252.isCanonical(a, b, c, d) else { return nil }
        self.init(rawLimbs: a, b, c, d)
    }

    /// The element entering Montgomery form: self·2²⁵⁶ (one multiplication). For a value read
    /// with `init(montgomeryBigEndianSlice:)` this is the element of the integer read.
    @inlinable public var scaledUpByR: Stark252 { self * Stark252.r2 }

    /// From 32 big-endian bytes, reducing any 256-bit integer mod p.
    public init?<Bytes: Collection>(reducingBigEndian bytes: Bytes) where Bytes.Element == UInt8 {
        guard let limbs = Stark252.limbs(bigEndian: bytes) else { return nil }
        self.init(reducingLimbs: limbs[0], limbs[1], limbs[2], limbs[3])
    }

    /// Any 256-bit integer (little-endian limbs) reduced mod p.
    @inlinable
    public init(reducingLimbs l0: UInt64, _ l1: UInt64, _ l2: UInt64, _ l3: UInt64) {
        // q = x div 2^251 (< 32). x − q·p lies in (−p, 2^251), so one conditional add of p
        // gives the canonical residue.
        let q = l3 >> 59
        var borrow: UInt64 = 0
        var r0 = Stark252.sbb(l0, q, &borrow)
        var r1 = Stark252.sbb(l1, 0, &borrow)
        var r2 = Stark252.sbb(l2, 0, &borrow)
        var r3 = Stark252.sbb(l3, q &* Stark252.p3, &borrow)
        if borrow != 0 {
            var carry: UInt64 = 0
            r0 = Stark252.adc(r0, Stark252.p0, &carry)
            r1 = Stark252.adc(r1, 0, &carry)
            r2 = Stark252.adc(r2, 0, &carry)
            r3 = Stark252.adc(r3, Stark252.p3, &carry)
        }
        self = Stark252(rawLimbs: r0, r1, r2, r3) * Stark252.r2
    }

    static func limbs<Bytes: Collection>(bigEndian bytes: Bytes) -> [UInt64]? where Bytes.Element == UInt8 {
        guard bytes.count == 32 else { return nil }
        if let fast = bytes.withContiguousStorageIfAvailable({ buffer -> [UInt64] in
            let raw = UnsafeRawBufferPointer(buffer)
            return (0..<4).map { UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 24 - 8 * $0, as: UInt64.self)) }
        }) { return fast }
        var limbs = [UInt64](repeating: 0, count: 4)
        for (i, byte) in bytes.enumerated() {
            let limb = 3 - i / 8
            limbs[limb] = (limbs[limb] << 8) | UInt64(byte)
        }
        return limbs
    }

    static func subtractLimbs(_ a: [UInt64], _ b: [UInt64]) -> [UInt64] {
        var out = [UInt64](repeating: 0, count: 4)
        var borrow: UInt64 = 0
        for i in 0..<4 {
            let (d1, o1) = a[i].subtractingReportingOverflow(b[i])
            let (d2, o2) = d1.subtractingReportingOverflow(borrow)
            out[i] = d2
            borrow = (o1 || o2) ? 1 : 0
        }
        return out
    }

    static func limbsToBigEndian(_ limbs: [UInt64]) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(32)
        for limb in limbs.reversed() {
            for shift in stride(from: 56, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: limb >> UInt64(shift))) }
        }
        return out
    }

    /// The canonical integer's little-endian limbs.
    public var canonicalLimbs: [UInt64] {
        let c = canonical
        return [c.0, c.1, c.2, c.3]
    }

    /// The canonical integer's little-endian limbs, without an array (leaving Montgomery form
    /// is one multiplication by 1).
    @inlinable
    public var canonical: (UInt64, UInt64, UInt64, UInt64) {
        let c = self * Stark252(rawLimbs: 1, 0, 0, 0)
        return (c.l0, c.l1, c.l2, c.l3)
    }

    public var bigEndianBytes: [UInt8] { Stark252.limbsToBigEndian(canonicalLimbs) }

    public var description: String {
        "0x" + bigEndianBytes.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
    }

    public var isZero: Bool { l0 == 0 && l1 == 0 && l2 == 0 && l3 == 0 }

    // MARK: arithmetic

    @inlinable @inline(__always)
    static func mac(_ acc: UInt64, _ a: UInt64, _ b: UInt64, _ carry: inout UInt64) -> UInt64 {
        let (hi, lo) = a.multipliedFullWidth(by: b)
        let (s1, o1) = lo.addingReportingOverflow(acc)
        let (s2, o2) = s1.addingReportingOverflow(carry)
        carry = hi &+ (o1 ? 1 : 0) &+ (o2 ? 1 : 0)
        return s2
    }

    @inlinable @inline(__always)
    static func adc(_ a: UInt64, _ b: UInt64, _ carry: inout UInt64) -> UInt64 {
        let (s1, o1) = a.addingReportingOverflow(b)
        let (s2, o2) = s1.addingReportingOverflow(carry)
        carry = (o1 ? 1 : 0) &+ (o2 ? 1 : 0)
        return s2
    }

    @inlinable @inline(__always)
    static func sbb(_ a: UInt64, _ b: UInt64, _ borrow: inout UInt64) -> UInt64 {
        let (d1, o1) = a.subtractingReportingOverflow(b)
        let (d2, o2) = d1.subtractingReportingOverflow(borrow)
        borrow = (o1 || o2) ? 1 : 0
        return d2
    }

    /// Subtracts p when the value is ≥ p (inputs < 2p).
    @inlinable @inline(__always)
    static func reduceOnce(_ a: UInt64, _ b: UInt64, _ c: UInt64, _ d: UInt64) -> Stark252 {
        var borrow: UInt64 = 0
        let r0 = sbb(a, p0, &borrow)
        let r1 = sbb(b, 0, &borrow)
        let r2 = sbb(c, 0, &borrow)
        let r3 = sbb(d, p3, &borrow)
        if borrow != 0 { return Stark252(rawLimbs: a, b, c, d) }
        return Stark252(rawLimbs: r0, r1, r2, r3)
    }

    @inlinable
    public static func + (x: Stark252, y: Stark252) -> Stark252 {
        // Both < p < 2^252, so the sum fits in 256 bits.
        var carry: UInt64 = 0
        let a = adc(x.l0, y.l0, &carry)
        let b = adc(x.l1, y.l1, &carry)
        let c = adc(x.l2, y.l2, &carry)
        let d = adc(x.l3, y.l3, &carry)
        return reduceOnce(a, b, c, d)
    }

    @inlinable
    public static func - (x: Stark252, y: Stark252) -> Stark252 {
        var borrow: UInt64 = 0
        var a = sbb(x.l0, y.l0, &borrow)
        var b = sbb(x.l1, y.l1, &borrow)
        var c = sbb(x.l2, y.l2, &borrow)
        var d = sbb(x.l3, y.l3, &borrow)
        if borrow != 0 {
            var carry: UInt64 = 0
            a = adc(a, p0, &carry)
            b = adc(b, 0, &carry)
            c = adc(c, 0, &carry)
            d = adc(d, p3, &carry)
        }
        return Stark252(rawLimbs: a, b, c, d)
    }

    @inlinable
    public static prefix func - (x: Stark252) -> Stark252 { Stark252.zero - x }

    /// Montgomery multiplication (CIOS). p ≡ 1 mod 2^64, so -p⁻¹ mod 2^64 = 2^64 - 1 and m = -t0.
    @inlinable
    public static func * (x: Stark252, y: Stark252) -> Stark252 {
        var t0: UInt64 = 0, t1: UInt64 = 0, t2: UInt64 = 0, t3: UInt64 = 0, t4: UInt64 = 0
        @inline(__always) func round(_ bi: UInt64) {
            var c: UInt64 = 0
            t0 = mac(t0, x.l0, bi, &c)
            t1 = mac(t1, x.l1, bi, &c)
            t2 = mac(t2, x.l2, bi, &c)
            t3 = mac(t3, x.l3, bi, &c)
            var carry: UInt64 = 0
            t4 = adc(t4, c, &carry)
            let t5 = carry
            let m = 0 &- t0
            // t + m·p, where p = p0 + p3·2^192 with p0 = 1; the low limb becomes 0.
            c = 0
            _ = mac(t0, m, p0, &c)
            var k: UInt64 = 0
            let n0 = adc(t1, c, &k)
            let n1 = adc(t2, 0, &k)
            var c3: UInt64 = 0
            let n2 = mac(t3, m, p3, &c3)
            // add k into n2 position as well
            var k2: UInt64 = 0
            let n2b = adc(n2, k, &k2)
            var c4: UInt64 = 0
            let n3 = adc(t4, c3, &c4)
            var c5: UInt64 = 0
            let n3b = adc(n3, k2, &c5)
            t0 = n0; t1 = n1; t2 = n2b; t3 = n3b
            t4 = t5 &+ c4 &+ c5
        }
        round(y.l0); round(y.l1); round(y.l2); round(y.l3)
        return reduceOnce(t0, t1, t2, t3)
    }

    @inlinable
    public var squared: Stark252 { self * self }

    public func power(_ e: UInt64) -> Stark252 {
        var result = Stark252.one
        var base = self
        var e = e
        while e > 0 {
            if e & 1 == 1 { result = result * base }
            base = base * base
            e >>= 1
        }
        return result
    }

    /// self^e for an exponent given as little-endian limbs.
    public func power(limbs: [UInt64]) -> Stark252 {
        var result = Stark252.one
        for limb in limbs.reversed() {
            for bit in stride(from: 63, through: 0, by: -1) {
                result = result * result
                if (limb >> UInt64(bit)) & 1 == 1 { result = result * self }
            }
        }
        return result
    }

    /// The multiplicative inverse (0 for 0, as OKX's `inv(0)` returns 0).
    public var inverse: Stark252 {
        // p - 2 = 0x0800000000000010 ffffffffffffffff ffffffffffffffff ffffffffffffffff
        power(limbs: [0xffff_ffff_ffff_ffff, 0xffff_ffff_ffff_ffff, 0xffff_ffff_ffff_ffff, 0x0800_0000_0000_0010])
    }

    /// Inverts many elements with one field inversion (Montgomery's trick); zeros stay zero.
    public static func batchInverse(_ xs: [Stark252]) -> [Stark252] {
        var prefix = [Stark252]()
        prefix.reserveCapacity(xs.count)
        var acc = Stark252.one
        for x in xs {
            prefix.append(acc)
            if !x.isZero { acc = acc * x }
        }
        var inv = acc.inverse
        var out = [Stark252](repeating: .zero, count: xs.count)
        for i in stride(from: xs.count - 1, through: 0, by: -1) where !xs[i].isZero {
            out[i] = inv * prefix[i]
            inv = inv * xs[i]
        }
        return out
    }

    /// Any 256-bit integer reduced mod p, as limbs (no Montgomery conversion).
    @inlinable
    static func reducedInteger(_ l0: UInt64, _ l1: UInt64, _ l2: UInt64, _ l3: UInt64) -> Stark252 {
        // q = x div 2^251 (< 32); x − q·p lies in (−p, 2^251), so one conditional add of p.
        let q = l3 >> 59
        var borrow: UInt64 = 0
        var r0 = sbb(l0, q, &borrow)
        var r1 = sbb(l1, 0, &borrow)
        var r2 = sbb(l2, 0, &borrow)
        var r3 = sbb(l3, q &* p3, &borrow)
        if borrow != 0 {
            var carry: UInt64 = 0
            r0 = adc(r0, p0, &carry)
            r1 = adc(r1, 0, &carry)
            r2 = adc(r2, 0, &carry)
            r3 = adc(r3, p3, &carry)
        }
        return Stark252(rawLimbs: r0, r1, r2, r3)
    }

    /// Σ xᵢ·yᵢ with one Montgomery reduction for the whole sum instead of one per product: the
    /// 512-bit products of the limbs are added up as they are, and the reduction, which is
    /// linear mod p, is applied once at the end. `value` equals the sum of `x * y` taken one
    /// product at a time (tested on random values and on values near p). Limbs are < p < 2^252,
    /// so a product is < 2^504 and 256 of them fit in 512 bits; past 256 products the sum so far
    /// is reduced into `folded`, so any number of products can be added.
    public struct ProductSum: Sendable {
        @usableFromInline var s0: UInt64 = 0, s1: UInt64 = 0, s2: UInt64 = 0, s3: UInt64 = 0
        @usableFromInline var s4: UInt64 = 0, s5: UInt64 = 0, s6: UInt64 = 0, s7: UInt64 = 0
        @usableFromInline var pending = 0
        @usableFromInline var folded = Stark252.zero

        public init() {}

        @usableFromInline static let maximumPending = 256

        /// Adds x·y (the product `x * y` would give, unreduced).
        @inlinable @inline(__always)
        public mutating func add(_ x: Stark252, _ y: Stark252) {
            if pending == ProductSum.maximumPending { fold() }
            pending += 1
            // Schoolbook 4×4 product, row by row: r = x·y (8 limbs).
            var c: UInt64 = 0
            let r0 = mac(0, x.l0, y.l0, &c)
            var r1 = mac(0, x.l0, y.l1, &c)
            var r2 = mac(0, x.l0, y.l2, &c)
            var r3 = mac(0, x.l0, y.l3, &c)
            var r4 = c
            c = 0
            r1 = mac(r1, x.l1, y.l0, &c)
            r2 = mac(r2, x.l1, y.l1, &c)
            r3 = mac(r3, x.l1, y.l2, &c)
            r4 = mac(r4, x.l1, y.l3, &c)
            var r5 = c
            c = 0
            r2 = mac(r2, x.l2, y.l0, &c)
            r3 = mac(r3, x.l2, y.l1, &c)
            r4 = mac(r4, x.l2, y.l2, &c)
            r5 = mac(r5, x.l2, y.l3, &c)
            var r6 = c
            c = 0
            r3 = mac(r3, x.l3, y.l0, &c)
            r4 = mac(r4, x.l3, y.l1, &c)
            r5 = mac(r5, x.l3, y.l2, &c)
            r6 = mac(r6, x.l3, y.l3, &c)
            let r7 = c
            // s += r; no carry out of s7 (see the bound above).
            var k: UInt64 = 0
            s0 = adc(s0, r0, &k)
            s1 = adc(s1, r1, &k)
            s2 = adc(s2, r2, &k)
            s3 = adc(s3, r3, &k)
            s4 = adc(s4, r4, &k)
            s5 = adc(s5, r5, &k)
            s6 = adc(s6, r6, &k)
            s7 = s7 &+ r7 &+ k
        }

        /// The sum so far moved into `folded`.
        @usableFromInline mutating func fold() {
            folded = value
            s0 = 0; s1 = 0; s2 = 0; s3 = 0; s4 = 0; s5 = 0; s6 = 0; s7 = 0
            pending = 0
        }

        /// Σ xᵢ·yᵢ in the field. The sum S = H·2^256 + L (H, L < 2^256) stands for S·2⁻²⁵⁶ =
        /// H + L·2⁻²⁵⁶ mod p: H reduced as an integer, L reduced and then taken out of Montgomery
        /// form by a multiplication by the integer 1.
        public var value: Stark252 {
            let high = Stark252.reducedInteger(s4, s5, s6, s7)
            let low = Stark252.reducedInteger(s0, s1, s2, s3) * Stark252(rawLimbs: 1, 0, 0, 0)
            return folded + high + low
        }
    }

    /// Σ xᵢ·yᵢ over the common length of the two arrays, with one reduction per 256 products
    /// (`ProductSum`): the field element `zip(xs, ys).reduce(.zero) { $0 + $1.0 * $1.1 }` gives.
    public static func dot(_ xs: [Stark252], _ ys: [Stark252]) -> Stark252 {
        var sum = ProductSum()
        xs.withUnsafeBufferPointer { x in
            ys.withUnsafeBufferPointer { y in
                for i in 0..<min(x.count, y.count) { sum.add(x[i], y[i]) }
            }
        }
        return sum.value
    }

    /// (p - 1) as little-endian limbs: 2^192·(2^59 + 17).
    public static let modulusMinusOneLimbs: [UInt64] = [0, 0, 0, p3]

    /// g^((p-1)/n) for n a power of two up to 2^192: a primitive n-th root of unity when g = 3.
    public static func rootOfUnity(order n: UInt64, generator: UInt64 = 3) -> Stark252? {
        guard n > 0, n & (n - 1) == 0 else { return nil }
        let k = UInt64(n.trailingZeroBitCount)
        // (p-1) >> k: p - 1 = p3 · 2^192, and k ≤ 63 < 192.
        let limb3 = p3 >> k
        let limb2 = k == 0 ? 0 : p3 << (64 - k)
        return Stark252(generator).power(limbs: [0, 0, limb2, limb3])
    }
}
