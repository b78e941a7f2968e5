import Field

/// `num_ops` base-field operations out = c0·m0·m1 + c1·addend, 4 wires each (plonky2's
/// `ArithmeticGate`).
struct ArithmeticGate: Gate {
    let numOps: Int
    var numConstraints: Int { numOps }
    func evalUnfiltered(_ vars: EvaluationVars) -> [GoldilocksExt2] {
        let c0 = vars.constant(0), c1 = vars.constant(1)
        return (0..<numOps).map { i in
            let w = vars.localWires
            return w[4 * i + 3] - (w[4 * i] * w[4 * i + 1] * c0 + w[4 * i + 2] * c1)
        }
    }
}

/// The same on extension-algebra wires (2 wires per value, 8 per op): `ArithmeticExtensionGate`.
struct ArithmeticExtensionGate: Gate {
    let numOps: Int
    var numConstraints: Int { 2 * numOps }
    func evalUnfiltered(_ vars: EvaluationVars) -> [GoldilocksExt2] {
        let c0 = vars.constant(0), c1 = vars.constant(1)
        var out = [GoldilocksExt2]()
        out.reserveCapacity(numConstraints)
        for i in 0..<numOps {
            let base = 8 * i
            let computed = (vars.algebra(base) * vars.algebra(base + 2)).scalarMul(c0) + vars.algebra(base + 4).scalarMul(c1)
            out += (vars.algebra(base + 6) - computed).components
        }
        return out
    }
}

/// out = c0·m0·m1 on extension-algebra wires (6 wires per op): `MulExtensionGate`.
struct MulExtensionGate: Gate {
    let numOps: Int
    var numConstraints: Int { 2 * numOps }
    func evalUnfiltered(_ vars: EvaluationVars) -> [GoldilocksExt2] {
        let c0 = vars.constant(0)
        var out = [GoldilocksExt2]()
        out.reserveCapacity(numConstraints)
        for i in 0..<numOps {
            let base = 6 * i
            let computed = (vars.algebra(base) * vars.algebra(base + 2)).scalarMul(c0)
            out += (vars.algebra(base + 4) - computed).components
        }
        return out
    }
}

/// Wire 0 = Σ limbᵢ·Bⁱ over the limb wires 1…n, each limb in 0..<B (`BaseSumGate<B>`).
struct BaseSumGate: Gate {
    let numLimbs: Int
    let base: Int
    var numConstraints: Int { 1 + numLimbs }
    func evalUnfiltered(_ vars: EvaluationVars) -> [GoldilocksExt2] {
        let limbs = vars.localWires[1...numLimbs]
        let b = ext(UInt64(base))
        var computed = GoldilocksExt2.zero
        for limb in limbs.reversed() { computed = computed * b + limb }
        var out = [computed - vars.localWires[0]]
        for limb in limbs {
            var product = GoldilocksExt2.one
            for i in 0..<base { product *= limb - ext(UInt64(i)) }
            out.append(product)
        }
        return out
    }
}

/// Bit-decomposed exponentiation: output = base^power with power's bits in wires (square and
/// multiply, most significant bit first): `ExponentiationGate`.
struct ExponentiationGate: Gate {
    let numPowerBits: Int
    var numConstraints: Int { numPowerBits + 1 }
    func evalUnfiltered(_ vars: EvaluationVars) -> [GoldilocksExt2] {
        let w = vars.localWires
        let base = w[0]
        let bit = { (i: Int) in w[1 + i] }
        let intermediate = { (i: Int) in w[2 + self.numPowerBits + i] }
        var out = [GoldilocksExt2]()
        out.reserveCapacity(numConstraints)
        for i in 0..<numPowerBits {
            let previous = i == 0 ? GoldilocksExt2.one : intermediate(i - 1).square()
            let current = bit(numPowerBits - i - 1)
            let computed = previous * (current * base + (GoldilocksExt2.one - current))
            out.append(computed - intermediate(i))
        }
        out.append(w[1 + numPowerBits] - intermediate(numPowerBits - 1))
        return out
    }
}
