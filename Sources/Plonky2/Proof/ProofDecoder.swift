import Field
import Hashing
import JSONReader

/// Decodes the serde JSON of a plonky2 `ProofWithPublicInputs` (the `proof` field of OKX's
/// `sum_proof_data.json`). Every number must be a canonical Goldilocks element; every error names
/// the JSON path where it was found.
public enum ProofDecoder {
    public static func decode(_ value: JSONValue) throws(DecodingError) -> ProofWithPublicInputs {
        let top = Node(value, "proof")
        let p = try top.field("proof")
        let o = try p.field("openings")
        let openings = OpeningSet(
            constants: try o.field("constants").extensions(), plonkSigmas: try o.field("plonk_sigmas").extensions(),
            wires: try o.field("wires").extensions(), plonkZs: try o.field("plonk_zs").extensions(),
            plonkZsNext: try o.field("plonk_zs_next").extensions(),
            partialProducts: try o.field("partial_products").extensions(),
            quotientPolys: try o.field("quotient_polys").extensions())
        let f = try p.field("opening_proof")
        var rounds = [FriQueryRound]()
        for q in try f.field("query_round_proofs").items() {
            var leaves = [[Goldilocks]](), proofs = [MerkleProof]()
            for pair in try q.field("initial_trees_proof").field("evals_proofs").items() {
                let parts = try pair.items()
                guard parts.count == 2 else { throw DecodingError("\(pair.path) is not a [leaf, merkle_proof] pair") }
                leaves.append(try parts[0].fields())
                proofs.append(try parts[1].merkleProof())
            }
            var steps = [FriQueryStep]()
            for s in try q.field("steps").items() {
                steps.append(FriQueryStep(evals: try s.field("evals").extensions(), merkleProof: try s.field("merkle_proof").merkleProof()))
            }
            rounds.append(FriQueryRound(initialTreesProof: FriInitialTreeProof(leaves: leaves, proofs: proofs), steps: steps))
        }
        let fri = FriProof(
            commitPhaseMerkleCaps: try f.field("commit_phase_merkle_caps").items().map { (n) throws(DecodingError) -> [HashOut] in try n.cap() },
            queryRoundProofs: rounds,
            finalPoly: try f.field("final_poly").field("coeffs").extensions(),
            powWitness: try f.field("pow_witness").element())
        let proof = Proof(wiresCap: try p.field("wires_cap").cap(),
                          plonkZsPartialProductsCap: try p.field("plonk_zs_partial_products_cap").cap(),
                          quotientPolysCap: try p.field("quotient_polys_cap").cap(),
                          openings: openings, openingProof: fri)
        return ProofWithPublicInputs(proof: proof, publicInputs: try top.field("public_inputs").fields())
    }

    /// A JSON value with the path it was found at.
    struct Node {
        let value: JSONValue
        let path: String
        init(_ value: JSONValue, _ path: String) { self.value = value; self.path = path }

        func field(_ key: String) throws(DecodingError) -> Node {
            guard case .object = value else { throw DecodingError("\(path) is \(value.typeName), expected an object") }
            guard let v = value[key] else { throw DecodingError("missing field \(path).\(key)") }
            return Node(v, "\(path).\(key)")
        }

        func items() throws(DecodingError) -> [Node] {
            guard case .array(let a) = value else { throw DecodingError("\(path) is \(value.typeName), expected a list") }
            return a.enumerated().map { Node($1, "\(path)[\($0)]") }
        }

        func element() throws(DecodingError) -> Goldilocks {
            switch value {
            case .unsigned(let v):
                guard let g = Goldilocks(canonical: v) else { throw DecodingError("\(path) = \(v) is not below the Goldilocks modulus") }
                return g
            case .number(let t): throw DecodingError("\(path) = \(t.prefix(30)) is not a field element (a whole number below 2^64 - 2^32 + 1)")
            default: throw DecodingError("\(path) is \(value.typeName), expected a number")
            }
        }

        func fields() throws(DecodingError) -> [Goldilocks] {
            guard case .array(let a) = value else { throw DecodingError("\(path) is \(value.typeName), expected a list") }
            var out = [Goldilocks]()
            out.reserveCapacity(a.count)
            for (i, v) in a.enumerated() {
                if case .unsigned(let raw) = v, let g = Goldilocks(canonical: raw) { out.append(g); continue }
                _ = try Node(v, "\(path)[\(i)]").element()
            }
            return out
        }

        /// A quadratic-extension element, serialized as `[c0, c1]`.
        func extensionElement() throws(DecodingError) -> GoldilocksExt2 {
            let limbs = try fields()
            guard limbs.count == 2 else { throw DecodingError("\(path) has \(limbs.count) limbs, an extension element has 2") }
            return GoldilocksExt2(limbs[0], limbs[1])
        }

        func extensions() throws(DecodingError) -> [GoldilocksExt2] {
            try items().map { (n) throws(DecodingError) -> GoldilocksExt2 in try n.extensionElement() }
        }

        func hash() throws(DecodingError) -> HashOut {
            let limbs = try field("elements").fields()
            guard let h = HashOut(elements: limbs) else { throw DecodingError("\(path).elements has \(limbs.count) limbs, a hash has 4") }
            return h
        }

        func cap() throws(DecodingError) -> [HashOut] {
            try items().map { (n) throws(DecodingError) -> HashOut in try n.hash() }
        }

        func merkleProof() throws(DecodingError) -> MerkleProof {
            MerkleProof(siblings: try field("siblings").items().map { (n) throws(DecodingError) -> HashOut in try n.hash() })
        }
    }
}
