import Field
import Hashing
import JSONReader

/// Decodes the serde JSON of a plonky2 `ProofWithPublicInputs` (the `proof` field of OKX's
/// `sum_proof_data.json`). Every number must be a canonical Goldilocks element; every error names
/// the JSON path where it was found.
public enum ProofDecoder {
    /// `queryRounds`: the FRI query rounds when `QueryRoundReader` read them while the file was
    /// parsed (the tree then has `null` in their place).
    public static func decode(_ value: JSONValue, queryRounds: [FriQueryRound]? = nil) throws(DecodingError) -> ProofWithPublicInputs {
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
        let roundsNode = try f.field("query_round_proofs")
        if let queryRounds { rounds = queryRounds }
        for q in queryRounds == nil ? try roundsNode.items() : [] {
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

    /// A JSON value with the path it was found at. The path text is built only when asked for
    /// (an error message, or a child's path): a proof has thousands of values and nearly all are
    /// well formed.
    struct Node {
        let value: JSONValue
        private let parent: String
        private let step: Step

        enum Step {
            case none
            case key(String)
            case index(Int)
        }

        init(_ value: JSONValue, _ path: String) { self.init(value, parent: path, step: .none) }

        private init(_ value: JSONValue, parent: String, step: Step) {
            self.value = value
            self.parent = parent
            self.step = step
        }

        var path: String {
            switch step {
            case .none: return parent
            case .key(let k): return "\(parent).\(k)"
            case .index(let i): return "\(parent)[\(i)]"
            }
        }

        func field(_ key: String) throws(DecodingError) -> Node {
            guard case .object = value else { throw DecodingError("\(path) is \(value.typeName), expected an object") }
            guard let v = value[key] else { throw DecodingError("missing field \(path).\(key)") }
            return Node(v, parent: path, step: .key(key))
        }

        func items() throws(DecodingError) -> [Node] {
            guard case .array(let a) = value else { throw DecodingError("\(path) is \(value.typeName), expected a list") }
            let here = path
            return a.enumerated().map { Node($1, parent: here, step: .index($0)) }
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
                if let g = Node.plainElement(v) { out.append(g); continue }
                _ = try Node(v, parent: path, step: .index(i)).element()
            }
            return out
        }

        /// A quadratic-extension element, serialized as `[c0, c1]`.
        func extensionElement() throws(DecodingError) -> GoldilocksExt2 {
            let limbs = try fields()
            guard limbs.count == 2 else { throw DecodingError("\(path) has \(limbs.count) limbs, an extension element has 2") }
            return GoldilocksExt2(limbs[0], limbs[1])
        }

        /// A list of extension elements. Well-formed entries are decoded directly; a malformed one
        /// goes through `extensionElement()` for its precise error.
        func extensions() throws(DecodingError) -> [GoldilocksExt2] {
            guard case .array(let a) = value else { throw DecodingError("\(path) is \(value.typeName), expected a list") }
            var out = [GoldilocksExt2]()
            out.reserveCapacity(a.count)
            for (i, v) in a.enumerated() {
                if case .array(let limbs) = v, limbs.count == 2,
                   let c0 = Node.plainElement(limbs[0]), let c1 = Node.plainElement(limbs[1]) {
                    out.append(GoldilocksExt2(c0, c1))
                } else {
                    out.append(try Node(v, parent: path, step: .index(i)).extensionElement())
                }
            }
            return out
        }

        func hash() throws(DecodingError) -> HashOut {
            let limbs = try field("elements").fields()
            guard let h = HashOut(elements: limbs) else { throw DecodingError("\(path).elements has \(limbs.count) limbs, a hash has 4") }
            return h
        }

        /// A list of hashes; well-formed entries are decoded directly, a malformed one goes through
        /// `hash()` for its precise error.
        func cap() throws(DecodingError) -> [HashOut] {
            guard case .array(let a) = value else { throw DecodingError("\(path) is \(value.typeName), expected a list") }
            var out = [HashOut]()
            out.reserveCapacity(a.count)
            for (i, v) in a.enumerated() {
                if let h = Node.plainHash(v) { out.append(h) } else { out.append(try Node(v, parent: path, step: .index(i)).hash()) }
            }
            return out
        }

        func merkleProof() throws(DecodingError) -> MerkleProof {
            MerkleProof(siblings: try field("siblings").cap())
        }

        /// A canonical field element, or `nil` for anything `element()` would reject.
        @inline(__always)
        static func plainElement(_ v: JSONValue) -> Goldilocks? {
            guard case .unsigned(let raw) = v else { return nil }
            return Goldilocks(canonical: raw)
        }

        /// `{"elements": [4 canonical limbs]}` (the first "elements" key, as `field` reads it), or
        /// `nil` for anything `hash()` would reject or must describe.
        static func plainHash(_ v: JSONValue) -> HashOut? {
            guard case .object = v, case .array(let l)? = v["elements"], l.count == 4,
                  let e0 = plainElement(l[0]), let e1 = plainElement(l[1]),
                  let e2 = plainElement(l[2]), let e3 = plainElement(l[3]) else { return nil }
            return HashOut(e0, e1, e2, e3)
        }
    }
}
