import Field

/// plonky2's `ExtensionAlgebra<F::Extension, 2>`: pairs of extension elements multiplied modulo
/// Y² = W (W = 7), the arithmetic of gates that work on extension-field wires at an
/// extension-field point.
public struct ExtensionAlgebra: Equatable, Sendable {
    public var a0: GoldilocksExt2
    public var a1: GoldilocksExt2

    @inlinable public init(_ a0: GoldilocksExt2, _ a1: GoldilocksExt2) { self.a0 = a0; self.a1 = a1 }
    /// An extension element embedded as (x, 0).
    @inlinable public init(_ x: GoldilocksExt2) { self.a0 = x; self.a1 = .zero }

    public static let zero = ExtensionAlgebra(.zero, .zero)

    @inlinable public static func + (a: Self, b: Self) -> Self { Self(a.a0 + b.a0, a.a1 + b.a1) }
    @inlinable public static func - (a: Self, b: Self) -> Self { Self(a.a0 - b.a0, a.a1 - b.a1) }
    @inlinable public static func * (a: Self, b: Self) -> Self {
        Self(a.a0 * b.a0 + (a.a1 * b.a1) * GoldilocksExt2.w, a.a0 * b.a1 + a.a1 * b.a0)
    }
    @inlinable public static func += (a: inout Self, b: Self) { a = a + b }
    @inlinable public func scalarMul(_ s: GoldilocksExt2) -> Self { Self(a0 * s, a1 * s) }
    /// The two components (plonky2's `to_basefield_array`).
    @inlinable public var components: [GoldilocksExt2] { [a0, a1] }
}
