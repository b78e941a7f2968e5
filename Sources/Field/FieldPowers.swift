/// Exponentiation shared by the field types: square-and-multiply and repeated squaring.
public protocol FieldPowers {
    static var one: Self { get }
    static func * (a: Self, b: Self) -> Self
    func square() -> Self
}

extension FieldPowers {
    /// self^exponent by square-and-multiply.
    @inlinable
    public func power(_ exponent: UInt64) -> Self {
        var result = Self.one
        var base = self
        var e = exponent
        while e > 0 {
            if e & 1 == 1 { result = result * base }
            base = base.square()
            e >>= 1
        }
        return result
    }

    /// self^(2^k) by k squarings.
    @inlinable
    public func exp2(_ k: Int) -> Self {
        var r = self
        for _ in 0..<k { r = r.square() }
        return r
    }
}
