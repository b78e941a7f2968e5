import Field

/// Interpolation of 2^bits values on the coset shift·⟨g⟩, evaluated at a point, with constraints of
/// bounded degree (`CosetInterpolationGate`, upstream plonky2's gate for FRI folding in recursion;
/// OKX's circuits use `LowDegreeInterpolationGate` instead, but the fork still serializes this one).
///
/// The interpolant P on the coset is evaluated as P'(z / shift), P' the interpolant on the subgroup,
/// by the barycentric recurrence over the subgroup points xᵢ with weights wᵢ:
///   e₀ = 0, p₀ = 1;  eᵢ₊₁ = eᵢ·(z' − xᵢ) + wᵢ·vᵢ·pᵢ;  pᵢ₊₁ = pᵢ·(z' − xᵢ).
/// To keep the degree at `degree`, the witness holds (e, p) after every `degree − 1` steps.
///
/// Wires: shift (0); values (1…, 2 each); evaluation point; evaluation value; then the
/// intermediate evaluations, the intermediate products and the shifted point z' (2 each).
struct CosetInterpolationGate: Gate {
    let subgroupBits: Int
    let degree: Int
    let weights: [Goldilocks]

    var numPoints: Int { 1 << subgroupBits }
    var numIntermediates: Int { (numPoints - 2) / (degree - 1) }
    var numConstraints: Int { 2 + 2 + 4 * numIntermediates }

    var startValues: Int { 1 }
    var startEvaluationPoint: Int { startValues + 2 * numPoints }
    var startEvaluationValue: Int { startEvaluationPoint + 2 }
    var startIntermediates: Int { startEvaluationValue + 2 }
    func intermediateEvalWire(_ i: Int) -> Int { startIntermediates + 2 * i }
    func intermediateProdWire(_ i: Int) -> Int { startIntermediates + 2 * (numIntermediates + i) }
    var shiftedPointWire: Int { startIntermediates + 4 * numIntermediates }
    var endWires: Int { shiftedPointWire + 2 }

    /// The barycentric weights of the subgroup ⟨g⟩ of order n: 1/∏_{j≠i}(xᵢ − xⱼ) = xᵢ/n, since
    /// ∏_{j≠i}(xᵢ − xⱼ) is the derivative of Xⁿ − 1 at xᵢ, n·xᵢⁿ⁻¹ = n/xᵢ.
    static func subgroupWeights(bits: Int) -> [Goldilocks] {
        let n = 1 << bits
        let g = Goldilocks.primitiveRootOfUnity(bits: bits)
        let nInverse = Goldilocks(reducing: UInt64(n)).inverse()
        var x = Goldilocks.one, out = [Goldilocks]()
        out.reserveCapacity(n)
        for _ in 0..<n { out.append(x * nInverse); x *= g }
        return out
    }

    func evalUnfiltered(_ vars: EvaluationVars) -> [GoldilocksExt2] {
        var out = [GoldilocksExt2]()
        out.reserveCapacity(numConstraints)
        let shift = vars.localWires[0]
        let point = vars.algebra(startEvaluationPoint)
        let shifted = vars.algebra(shiftedPointWire)
        out += (point - shifted.scalarMul(shift)).components

        let g = Goldilocks.primitiveRootOfUnity(bits: subgroupBits)
        var domain = [Goldilocks](), x = Goldilocks.one
        for _ in 0..<numPoints { domain.append(x); x *= g }

        // The recurrence over points range, from (eval, prod).
        func steps(_ range: Range<Int>, _ eval: ExtensionAlgebra, _ prod: ExtensionAlgebra) -> (ExtensionAlgebra, ExtensionAlgebra) {
            var eval = eval, prod = prod
            for i in range {
                let term = shifted - ExtensionAlgebra(ext(domain[i]))
                let weighted = vars.algebra(startValues + 2 * i).scalarMul(ext(weights[i]))
                eval = eval * term + weighted * prod
                prod = prod * term
            }
            return (eval, prod)
        }

        var (eval, prod) = steps(0..<degree, .zero, ExtensionAlgebra(.one))
        for i in 0..<numIntermediates {
            let storedEval = vars.algebra(intermediateEvalWire(i))
            let storedProd = vars.algebra(intermediateProdWire(i))
            out += (storedEval - eval).components
            out += (storedProd - prod).components
            let start = 1 + (degree - 1) * (i + 1)
            (eval, prod) = steps(start..<min(start + degree - 1, numPoints), storedEval, storedProd)
        }
        out += (vars.algebra(startEvaluationValue) - eval).components
        return out
    }
}
