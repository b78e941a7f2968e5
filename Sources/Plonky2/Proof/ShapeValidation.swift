import Field
import Hashing

extension CommonCircuitData {
    /// Bits of the low-degree extension: degree bits + rate bits.
    public var ldeBits: Int { degreeBits + config.friConfig.rateBits }
    /// Salt added to leaves of hiding trees.
    public var salt: Int { friParams.hiding ? saltSize : 0 }
    /// Leaf widths of the four initial trees: constants+sigmas, wires, Z+partial products, quotient.
    public var initialTreeLeafWidths: [Int] {
        let challenges = config.numChallenges
        return [numConstants + config.numRoutedWires,
                config.numWires + salt,
                challenges * (1 + numPartialProducts) + salt,
                challenges * quotientDegreeFactor + salt]
    }
    /// Coefficients of FRI's final polynomial.
    public var finalPolyLength: Int { 1 << (degreeBits - friParams.reductionArityBits.reduce(0, +)) }
}

extension ProofWithPublicInputs {
    /// plonky2's `validate_shape`: every length the circuit implies, checked before any math,
    /// so the verifier can index without bounds surprises.
    public func validateShape(_ c: CommonCircuitData) throws(DecodingError) {
        func expect(_ what: String, _ actual: Int, _ expected: Int) throws(DecodingError) {
            guard actual == expected else { throw DecodingError("proof shape: \(what) has \(actual) entries, the circuit needs \(expected)") }
        }
        let capLength = 1 << c.config.friConfig.capHeight
        let k = c.config.numChallenges
        try expect("public_inputs", publicInputs.count, c.numPublicInputs)
        try expect("wires_cap", proof.wiresCap.count, capLength)
        try expect("plonk_zs_partial_products_cap", proof.plonkZsPartialProductsCap.count, capLength)
        try expect("quotient_polys_cap", proof.quotientPolysCap.count, capLength)
        let o = proof.openings
        try expect("openings.constants", o.constants.count, c.numConstants)
        try expect("openings.plonk_sigmas", o.plonkSigmas.count, c.config.numRoutedWires)
        try expect("openings.wires", o.wires.count, c.config.numWires)
        try expect("openings.plonk_zs", o.plonkZs.count, k)
        try expect("openings.plonk_zs_next", o.plonkZsNext.count, k)
        try expect("openings.partial_products", o.partialProducts.count, k * c.numPartialProducts)
        try expect("openings.quotient_polys", o.quotientPolys.count, k * c.quotientDegreeFactor)
        guard c.degreeBits >= c.friParams.reductionArityBits.reduce(0, +), c.ldeBits >= c.config.friConfig.capHeight else {
            throw DecodingError("circuit: FRI arities exceed the degree")
        }
        let f = proof.openingProof
        let arities = c.friParams.reductionArityBits
        try expect("commit_phase_merkle_caps", f.commitPhaseMerkleCaps.count, arities.count)
        for (i, cap) in f.commitPhaseMerkleCaps.enumerated() { try expect("commit_phase_merkle_caps[\(i)]", cap.count, capLength) }
        try expect("final_poly.coeffs", f.finalPoly.count, c.finalPolyLength)
        try expect("query_round_proofs", f.queryRoundProofs.count, c.config.friConfig.numQueryRounds)
        let widths = c.initialTreeLeafWidths
        let initialDepth = c.ldeBits - c.config.friConfig.capHeight
        for (q, round) in f.queryRoundProofs.enumerated() {
            let initial = round.initialTreesProof
            try expect("query \(q) initial trees", initial.leaves.count, widths.count)
            try expect("query \(q) initial tree proofs", initial.proofs.count, widths.count)
            for t in 0..<widths.count {
                try expect("query \(q) initial tree \(t) leaf", initial.leaves[t].count, widths[t])
                try expect("query \(q) initial tree \(t) siblings", initial.proofs[t].siblings.count, initialDepth)
            }
            try expect("query \(q) steps", round.steps.count, arities.count)
            var bits = c.ldeBits
            for (s, step) in round.steps.enumerated() {
                bits -= arities[s]
                try expect("query \(q) step \(s) evals", step.evals.count, 1 << arities[s])
                try expect("query \(q) step \(s) siblings", step.merkleProof.siblings.count, max(0, bits - c.config.friConfig.capHeight))
            }
        }
    }
}
