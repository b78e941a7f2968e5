import Field

/// Interpolation of 2^bits values on the coset shift·⟨g⟩ by a polynomial of low degree, evaluated
/// at a point (`LowDegreeInterpolationGate`, what the recursive verifier uses for FRI folding).
///
/// Wires: shift (0); values (1…, 2 each); evaluation point; evaluation value; coefficients
/// (2 each); then the powers shift², … and point², … .
struct LowDegreeInterpolationGate: Gate {
    let subgroupBits: Int
    var numPoints: Int { 1 << subgroupBits }
    var numConstraints: Int { numPoints * 2 + 2 + 3 * (numPoints - 2) }

    var startValues: Int { 1 }
    var startEvaluationPoint: Int { startValues + 2 * numPoints }
    var startEvaluationValue: Int { startEvaluationPoint + 2 }
    var startCoeffs: Int { startEvaluationValue + 2 }
    var endCoeffs: Int { startCoeffs + 2 * numPoints }

    func powerOfShiftWire(_ i: Int) -> Int { i == 1 ? 0 : endCoeffs + i - 2 }
    func powerOfPointWire(_ i: Int) -> Int { i == 1 ? startEvaluationPoint : endCoeffs + numPoints - 2 + (i - 2) * 2 }

    func evalUnfiltered(_ vars: EvaluationVars) -> [GoldilocksExt2] {
        let n = numPoints
        var out = [GoldilocksExt2]()
        out.reserveCapacity(numConstraints)
        let coeffs = (0..<n).map { vars.algebra(startCoeffs + 2 * $0) }

        var shiftPowers = (1..<n).map { vars.localWires[powerOfShiftWire($0)] }
        let shift = shiftPowers[0]
        for i in 1..<(n - 1) { out.append(shiftPowers[i - 1] * shift - shiftPowers[i]) }
        shiftPowers.insert(.one, at: 0)
        let altered = zip(coeffs, shiftPowers).map { $0.scalarMul($1) }

        // The interpolant with coefficients scaled by shiftⁱ, evaluated on the subgroup ⟨g⟩.
        let g = Goldilocks.primitiveRootOfUnity(bits: subgroupBits)
        var point = Goldilocks.one
        for i in 0..<n {
            var computed = ExtensionAlgebra.zero
            for c in altered.reversed() { computed = computed.scalarMul(ext(point)) + c }
            out += (vars.algebra(startValues + 2 * i) - computed).components
            point *= g
        }

        let pointPowers = (1..<n).map { vars.algebra(powerOfPointWire($0)) }
        let evaluationPoint = pointPowers[0]
        for i in 1..<(n - 1) { out += (pointPowers[i - 1] * evaluationPoint - pointPowers[i]).components }
        var computedValue = coeffs[0]
        for (c, p) in zip(coeffs[1...], pointPowers) { computedValue += p * c }
        out += (vars.algebra(startEvaluationValue) - computedValue).components
        return out
    }
}
