import Field

/// acc ← acc·α + coeff over base-field coefficients, one accumulator per coefficient, the last
/// one being the output (`ReducingGate`). Wires: output 0‥1, α 2‥3, old acc 4‥5, coefficients,
/// then intermediate accumulators.
struct ReducingGate: Gate {
    let numCoeffs: Int
    var numConstraints: Int { 2 * numCoeffs }
    func evalUnfiltered(_ vars: EvaluationVars) -> [GoldilocksExt2] {
        let alpha = vars.algebra(2)
        var acc = vars.algebra(4)
        let startAccs = 6 + numCoeffs
        var out = [GoldilocksExt2]()
        out.reserveCapacity(numConstraints)
        for i in 0..<numCoeffs {
            let accWire = i == numCoeffs - 1 ? 0 : startAccs + 2 * i
            let next = vars.algebra(accWire)
            out += (acc * alpha + ExtensionAlgebra(vars.localWires[6 + i]) - next).components
            acc = next
        }
        return out
    }
}

/// The same with extension-algebra coefficients (2 wires each): `ReducingExtensionGate`.
struct ReducingExtensionGate: Gate {
    let numCoeffs: Int
    var numConstraints: Int { 2 * numCoeffs }
    func evalUnfiltered(_ vars: EvaluationVars) -> [GoldilocksExt2] {
        let alpha = vars.algebra(2)
        var acc = vars.algebra(4)
        let startAccs = 6 + 2 * numCoeffs
        var out = [GoldilocksExt2]()
        out.reserveCapacity(numConstraints)
        for i in 0..<numCoeffs {
            let accWire = i == numCoeffs - 1 ? 0 : startAccs + 2 * i
            let next = vars.algebra(accWire)
            out += (acc * alpha + vars.algebra(6 + 2 * i) - next).components
            acc = next
        }
        return out
    }
}

/// `num_copies` lookups list[index] = claimed, the index given by bits folded pairwise, plus
/// extra constants copied to wires (`RandomAccessGate`).
struct RandomAccessGate: Gate {
    let bits: Int
    let numCopies: Int
    let numExtraConstants: Int
    var vecSize: Int { 1 << bits }
    var numConstraints: Int { (bits + 2) * numCopies + numExtraConstants }

    func evalUnfiltered(_ vars: EvaluationVars) -> [GoldilocksExt2] {
        let w = vars.localWires
        let routed = (2 + vecSize) * numCopies + numExtraConstants
        var out = [GoldilocksExt2]()
        out.reserveCapacity(numConstraints)
        for copy in 0..<numCopies {
            let start = (2 + vecSize) * copy
            let accessIndex = w[start], claimed = w[start + 1]
            var items = Array(w[(start + 2)..<(start + 2 + vecSize)])
            let bitWires = (0..<bits).map { w[routed + copy * bits + $0] }
            for b in bitWires { out.append(b * (b - .one)) }
            var reconstructed = GoldilocksExt2.zero
            for b in bitWires.reversed() { reconstructed = reconstructed + reconstructed + b }
            out.append(reconstructed - accessIndex)
            for b in bitWires {
                items = stride(from: 0, to: items.count, by: 2).map { items[$0] + b * (items[$0 + 1] - items[$0]) }
            }
            out.append(items[0] - claimed)
        }
        for i in 0..<numExtraConstants {
            out.append(vars.constant(i) - w[(2 + vecSize) * numCopies + i])
        }
        return out
    }
}
