import Field
import Hashing

/// plonky2's `eval_vanishing_poly` at ζ: the Z(1) = 1 terms, the permutation argument's
/// partial-product checks, and every gate's constraints times its selector filter, combined with
/// powers of each α.
public enum VanishingPolynomial {
    /// plonky2's `UNUSED_SELECTOR` (u32::MAX): the selector value of rows without a gate of a group.
    static let unusedSelector: UInt64 = 0xFFFF_FFFF

    public static func evaluate(common: CommonCircuitData, gates: [any Gate], zeta x: GoldilocksExt2,
                                openings o: OpeningSet, publicInputsHash: HashOut,
                                betas: [Goldilocks], gammas: [Goldilocks], alphas: [Goldilocks]) -> [GoldilocksExt2] {
        let constraintTerms = gateConstraints(common: common, gates: gates, constants: o.constants, wires: o.wires,
                                              publicInputsHash: publicInputsHash)
        var zTerms = [GoldilocksExt2](), productTerms = [GoldilocksExt2]()
        let l0 = lagrangeFirst(n: common.degree, x: x)
        let routed = common.config.numRoutedWires
        let numProducts = common.numPartialProducts
        for i in 0..<common.config.numChallenges {
            let z = o.plonkZs[i], zNext = o.plonkZsNext[i]
            zTerms.append(l0 * (z - .one))
            let beta = GoldilocksExt2(betas[i]), gamma = GoldilocksExt2(gammas[i])
            var numerators = [GoldilocksExt2](), denominators = [GoldilocksExt2]()
            numerators.reserveCapacity(routed)
            denominators.reserveCapacity(routed)
            for j in 0..<routed {
                let wire = o.wires[j]
                numerators.append(wire + x * GoldilocksExt2(common.kIs[j]) * beta + gamma)
                denominators.append(wire + o.plonkSigmas[j] * beta + gamma)
            }
            let partials = Array(o.partialProducts[(i * numProducts)..<((i + 1) * numProducts)])
            productTerms += checkPartialProducts(numerators: numerators, denominators: denominators, partials: partials,
                                                 z: z, zNext: zNext, maxDegree: common.quotientDegreeFactor)
        }
        let terms = zTerms + productTerms + constraintTerms
        return alphas.map { alpha in
            let a = GoldilocksExt2(alpha)
            var acc = GoldilocksExt2.zero
            for term in terms.reversed() { acc = acc * a + term }
            return acc
        }
    }

    /// Σ over gates of filter(gate) · constraint, into `num_gate_constraints` slots.
    public static func gateConstraints(common: CommonCircuitData, gates: [any Gate], constants: [GoldilocksExt2],
                                       wires: [GoldilocksExt2], publicInputsHash: HashOut) -> [GoldilocksExt2] {
        var out = [GoldilocksExt2](repeating: .zero, count: common.numGateConstraints)
        let selectors = common.selectorsInfo
        let numSelectors = selectors.numSelectors
        let vars = EvaluationVars(localConstants: constants[numSelectors...], localWires: wires, publicInputsHash: publicInputsHash)
        for (row, gate) in gates.enumerated() {
            let s = selectors.selectorIndices[row]
            let f = filter(row: row, group: selectors.groups[s], selector: constants[s], manySelectors: numSelectors > 1)
            for (j, c) in gate.evalUnfiltered(vars).enumerated() where j < out.count { out[j] += f * c }
        }
        return out
    }

    /// plonky2's `compute_filter`: Π_{i in group, i ≠ row} (i − s), times (UNUSED − s) when there
    /// are several selector groups; it vanishes on rows of every other gate.
    public static func filter(row: Int, group: Range<Int>, selector s: GoldilocksExt2, manySelectors: Bool) -> GoldilocksExt2 {
        var f = GoldilocksExt2.one
        for i in group where i != row { f *= GoldilocksExt2(Goldilocks(reducing: UInt64(i))) - s }
        if manySelectors { f *= GoldilocksExt2(Goldilocks(reducing: unusedSelector)) - s }
        return f
    }

    /// L₀(x) = (xⁿ − 1) / (n·(x − 1)), with L₀(1) = 1.
    public static func lagrangeFirst(n: Int, x: GoldilocksExt2) -> GoldilocksExt2 {
        if x == .one { return .one }
        let zeroPoly = x.exp2(n.trailingZeroBitCount) - .one
        return zeroPoly * (GoldilocksExt2(Goldilocks(reducing: UInt64(n))) * (x - .one)).inverse()
    }

    /// The accumulator chain Z(x), p₁, …, p_k, Z(gx): each step multiplies by a chunk of
    /// `maxDegree` numerators over the same chunk of denominators.
    public static func checkPartialProducts(numerators: [GoldilocksExt2], denominators: [GoldilocksExt2],
                                            partials: [GoldilocksExt2], z: GoldilocksExt2, zNext: GoldilocksExt2,
                                            maxDegree: Int) -> [GoldilocksExt2] {
        let accumulators = [z] + partials + [zNext]
        var out = [GoldilocksExt2]()
        var chunk = 0
        var start = 0
        while start < numerators.count, chunk + 1 < accumulators.count {
            let end = min(start + maxDegree, numerators.count)
            var num = GoldilocksExt2.one, den = GoldilocksExt2.one
            for j in start..<end { num *= numerators[j]; den *= denominators[j] }
            out.append(accumulators[chunk] * num - accumulators[chunk + 1] * den)
            chunk += 1
            start = end
        }
        return out
    }
}
