/// An element of the Goldilocks field, p = 2^64 − 2^32 + 1: the field plonky2 (and OKX's
/// zk-STARK v2 proofs) compute in.
///
/// The value is always kept canonical (`< p`), so `==` and hashing compare field elements, not
/// representations. Arithmetic never traps: every operation reduces with wrapping integer ops.
@frozen
public struct Goldilocks: Hashable, Sendable, CustomStringConvertible, FieldPowers {
    /// p = 2^64 − 2^32 + 1.
    public static let order: UInt64 = 0xFFFF_FFFF_0000_0001
    /// 2^64 mod p = 2^32 − 1: what a wrap-around past 2^64 is worth in the field.
    @usableFromInline static let epsilon: UInt64 = 0xFFFF_FFFF

    /// The canonical value, always `< order`.
    public let value: UInt64

    /// Wraps an already canonical value. Callers that have not checked must use `init(canonical:)`.
    @inlinable init(unchecked value: UInt64) { self.value = value }

    /// A field element from a value that must be canonical; `nil` when `value ≥ p`.
    /// Use this for anything read from a file: a non-canonical value is malformed input.
    @inlinable public init?(canonical value: UInt64) {
        guard value < Goldilocks.order else { return nil }
        self.value = value
    }

    /// The residue of any 64-bit value (plonky2's `from_noncanonical_u64`).
    @inlinable public init(reducing value: UInt64) {
        self.value = value >= Goldilocks.order ? value &- Goldilocks.order : value
    }

    public static let zero = Goldilocks(unchecked: 0)
    public static let one = Goldilocks(unchecked: 1)
    public static let two = Goldilocks(unchecked: 2)
    /// A generator of the whole multiplicative group (plonky2's `MULTIPLICATIVE_GROUP_GENERATOR`).
    public static let multiplicativeGenerator = Goldilocks(unchecked: 7)
    /// The largest power-of-two subgroup has order 2^32.
    public static let twoAdicity = 32
    /// A primitive 2^32-th root of unity (plonky2's `POWER_OF_TWO_GENERATOR`).
    public static let powerOfTwoGenerator = Goldilocks(unchecked: 1_753_635_133_440_165_772)

    public var description: String { String(value) }
    @inlinable public var isZero: Bool { value == 0 }

    // MARK: arithmetic

    @inlinable
    public static func + (a: Goldilocks, b: Goldilocks) -> Goldilocks {
        var (sum, carry) = a.value.addingReportingOverflow(b.value)
        if carry { sum &+= epsilon }  // a + b − 2^64 + (2^64 mod p); cannot wrap again for canonical inputs
        return Goldilocks(reducing: sum)
    }

    @inlinable
    public static func - (a: Goldilocks, b: Goldilocks) -> Goldilocks {
        var (diff, borrow) = a.value.subtractingReportingOverflow(b.value)
        if borrow { diff &-= epsilon }  // a − b + 2^64 − (2^64 mod p) = a − b + p
        return Goldilocks(unchecked: diff)
    }

    @inlinable
    public static prefix func - (a: Goldilocks) -> Goldilocks {
        a.value == 0 ? a : Goldilocks(unchecked: order &- a.value)
    }

    @inlinable
    public static func * (a: Goldilocks, b: Goldilocks) -> Goldilocks {
        let (hi, lo) = a.value.multipliedFullWidth(by: b.value)
        return reduce128(hi: hi, lo: lo)
    }

    @inlinable public static func += (a: inout Goldilocks, b: Goldilocks) { a = a + b }
    @inlinable public static func -= (a: inout Goldilocks, b: Goldilocks) { a = a - b }
    @inlinable public static func *= (a: inout Goldilocks, b: Goldilocks) { a = a * b }

    /// Reduces hi·2^64 + lo modulo p, using 2^64 ≡ 2^32 − 1 and 2^96 ≡ −1.
    @inlinable
    public static func reduce128(hi: UInt64, lo: UInt64) -> Goldilocks {
        let hiHi = hi >> 32
        let hiLo = hi & epsilon
        var (t0, borrow) = lo.subtractingReportingOverflow(hiHi)  // lo − hiHi·2^96 ≡ lo − hiHi
        if borrow { t0 &-= epsilon }
        let t1 = hiLo &* epsilon  // hiLo·2^64 ≡ hiLo·(2^32 − 1); fits in 64 bits
        var (t2, carry) = t0.addingReportingOverflow(t1)
        if carry { t2 &+= epsilon }
        return Goldilocks(reducing: t2)
    }

    @inlinable public func square() -> Goldilocks { self * self }

    /// The multiplicative inverse; zero has none and maps to zero (callers check `isZero` where it matters).
    @inlinable public func inverse() -> Goldilocks { power(Goldilocks.order &- 2) }

    /// A primitive 2^bits-th root of unity.
    public static func primitiveRootOfUnity(bits: Int) -> Goldilocks {
        precondition(bits >= 0 && bits <= twoAdicity, "no 2^\(bits)-th root of unity in Goldilocks")
        return powerOfTwoGenerator.exp2(twoAdicity - bits)
    }
}

extension Goldilocks: ExpressibleByIntegerLiteral {
    /// Integer literals in source code are reduced modulo p.
    public init(integerLiteral value: UInt64) { self.init(reducing: value) }
}
