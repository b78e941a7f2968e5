/// The quadratic extension F_p[X]/(X² − 7) of the Goldilocks field: plonky2's `GoldilocksField`
/// `QuadraticExtension`, where challenges and openings live (`D = 2`).
@frozen
public struct GoldilocksExt2: Hashable, Sendable, CustomStringConvertible, FieldPowers {
    /// X² = W in the extension.
    public static let w = Goldilocks(unchecked: 7)

    public var c0: Goldilocks
    public var c1: Goldilocks

    @inlinable public init(_ c0: Goldilocks, _ c1: Goldilocks) { self.c0 = c0; self.c1 = c1 }
    /// The base field embedded in the extension.
    @inlinable public init(_ base: Goldilocks) { self.c0 = base; self.c1 = .zero }

    public static let zero = GoldilocksExt2(.zero, .zero)
    public static let one = GoldilocksExt2(.one, .zero)

    public var description: String { "(\(c0), \(c1))" }
    @inlinable public var isZero: Bool { c0.isZero && c1.isZero }

    @inlinable
    public static func + (a: GoldilocksExt2, b: GoldilocksExt2) -> GoldilocksExt2 {
        GoldilocksExt2(a.c0 + b.c0, a.c1 + b.c1)
    }

    @inlinable
    public static func - (a: GoldilocksExt2, b: GoldilocksExt2) -> GoldilocksExt2 {
        GoldilocksExt2(a.c0 - b.c0, a.c1 - b.c1)
    }

    @inlinable
    public static prefix func - (a: GoldilocksExt2) -> GoldilocksExt2 { GoldilocksExt2(-a.c0, -a.c1) }

    @inlinable
    public static func * (a: GoldilocksExt2, b: GoldilocksExt2) -> GoldilocksExt2 {
        GoldilocksExt2(a.c0 * b.c0 + w * (a.c1 * b.c1), a.c0 * b.c1 + a.c1 * b.c0)
    }

    /// Multiplication by a base-field scalar.
    @inlinable
    public static func * (a: GoldilocksExt2, b: Goldilocks) -> GoldilocksExt2 {
        GoldilocksExt2(a.c0 * b, a.c1 * b)
    }

    @inlinable
    public static func * (a: Goldilocks, b: GoldilocksExt2) -> GoldilocksExt2 { b * a }

    @inlinable public static func += (a: inout GoldilocksExt2, b: GoldilocksExt2) { a = a + b }
    @inlinable public static func -= (a: inout GoldilocksExt2, b: GoldilocksExt2) { a = a - b }
    @inlinable public static func *= (a: inout GoldilocksExt2, b: GoldilocksExt2) { a = a * b }

    @inlinable public func square() -> GoldilocksExt2 { self * self }

    /// The inverse through the norm: (c0 − c1·X) / (c0² − W·c1²). Zero maps to zero.
    @inlinable
    public func inverse() -> GoldilocksExt2 {
        let norm = c0 * c0 - GoldilocksExt2.w * (c1 * c1)
        let inv = norm.inverse()
        return GoldilocksExt2(c0 * inv, -(c1 * inv))
    }

    /// The Frobenius map x ↦ x^p, which conjugates: c0 + c1·X ↦ c0 − c1·X... times the
    /// constant X^(p−1) = W^((p−1)/2) = −1 for this W.
    @inlinable
    public func frobenius() -> GoldilocksExt2 {
        // X^p = X · (X²)^((p−1)/2) = X · 7^((p−1)/2); 7 is a non-residue, so that power is −1.
        GoldilocksExt2(c0, -c1)
    }
}
