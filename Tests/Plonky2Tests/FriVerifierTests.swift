import Field
import Hashing
import JSONReader
import XCTest
@testable import Plonky2

/// Reads a fixture global proof with its circuit.
func loadProofAndCircuit(_ relative: String) throws -> (ProofWithPublicInputs, VerifierCircuitData) {
    let data = try Data(contentsOf: CircuitDataDecoderTests.fixtures.appendingPathComponent(relative))
    let json = try JSONParser.parse(Array(data))
    guard case .string(let hex)? = json["circuits_info"]?["root_verifier_data_hex"] else { throw DecodingError("no circuit") }
    guard let proofJSON = json["proof"] else { throw DecodingError("no proof") }
    return (try ProofDecoder.decode(proofJSON), try CircuitDataDecoder.decode(hex: hex))
}

final class FriVerifierTests: XCTestCase {
    func load(_ relative: String) throws -> (ProofWithPublicInputs, VerifierCircuitData) { try loadProofAndCircuit(relative) }


    func fri(_ proof: ProofWithPublicInputs, _ circuit: VerifierCircuitData) throws {
        let c = ProofChallenges(proof: proof, circuitDigest: circuit.verifierOnly.circuitDigest, common: circuit.common)
        try FriVerifier(common: circuit.common).verify(
            proof: proof, challenges: c,
            initialCaps: [circuit.verifierOnly.constantsSigmasCap, proof.proof.wiresCap,
                          proof.proof.plonkZsPartialProductsCap, proof.proof.quotientPolysCap])
    }

    func testValidProofsPassFRI() throws {
        for set in ["one-level", "two-level"] {
            let (proof, circuit) = try load("\(set)/sum_proof_data.json")
            XCTAssertNoThrow(try fri(proof, circuit), set)
        }
    }

    func testTamperedProofsFailAtTheRightFRIStep() throws {
        let cases: [(String, (FriFailure) -> Bool)] = [
            ("fri_initial_leaf_value", { if case .initialMerkleProof(0, 1) = $0 { return true } else { return false } }),
            ("fri_merkle_sibling", { if case .initialMerkleProof(0, 0) = $0 { return true } else { return false } }),
            ("fri_step_eval", { if case .foldingConsistency(3, 0) = $0 { return true }; if case .commitPhaseMerkleProof(3, 0) = $0 { return true }; return false }),
            // The final polynomial is in the transcript before the proof of work: changing it changes
            // every later challenge, so the prover's PoW witness no longer works.
            ("fri_final_poly", { $0 == .proofOfWork }),
            ("fri_pow_witness", { $0 == .proofOfWork }),
        ]
        for (variant, matches) in cases {
            let (proof, circuit) = try load("one-level/tampered/sum_proof_data.\(variant).json")
            XCTAssertThrowsError(try fri(proof, circuit), variant) { error in
                guard let failure = error as? FriFailure else { return XCTFail("\(variant): \(error)") }
                XCTAssertTrue(matches(failure), "\(variant): \(failure)")
            }
        }
    }

    /// Folding a polynomial we choose: P(X) = Σ cᵢXⁱ of degree < 16 on a coset of 16th roots,
    /// folded with β, must equal Σ_j (Σ_k c_{16j+k}… ) — for degree < arity, it is P(β) itself.
    func testFoldingInterpolatesTheCoset() {
        let coeffs: [GoldilocksExt2] = (1...16).map { GoldilocksExt2(Goldilocks(reducing: UInt64($0 * 7919)), Goldilocks(reducing: UInt64($0))) }
        func p(_ z: GoldilocksExt2) -> GoldilocksExt2 { coeffs.reversed().reduce(.zero) { $0 * z + $1 } }
        let arityBits = 4
        let g = Goldilocks.primitiveRootOfUnity(bits: arityBits)
        let start = Goldilocks(reducing: 123_456_789)
        // Coset values in bit-reversed order, as FRI commits them.
        var evals = [GoldilocksExt2](repeating: .zero, count: 16)
        for i in 0..<16 { evals[reverseBits(i, arityBits)] = p(GoldilocksExt2(start * g.power(UInt64(i)))) }
        let beta = GoldilocksExt2(Goldilocks(reducing: 987_654_321), Goldilocks(reducing: 55))
        // x is the coset element at position `within` (bit-reversed numbering).
        for within in [0, 5, 15] {
            let x = start * g.power(UInt64(reverseBits(within, arityBits)))
            XCTAssertEqual(FriVerifier.foldedEvaluation(x: x, indexWithinCoset: within, arityBits: arityBits, evals: evals, beta: beta), p(beta))
        }
        XCTAssertEqual(FriVerifier.interpolate(points: [1, 2, 3], values: [.one, GoldilocksExt2(4), GoldilocksExt2(9)], at: GoldilocksExt2(5)), GoldilocksExt2(25))
    }

    func testMerkleProofsNeedTheRightIndex() throws {
        let (proof, circuit) = try load("one-level/sum_proof_data.json")
        let c = ProofChallenges(proof: proof, circuitDigest: circuit.verifierOnly.circuitDigest, common: circuit.common)
        let initial = proof.proof.openingProof.queryRoundProofs[0].initialTreesProof
        XCTAssertTrue(initial.proofs[1].verify(leaf: initial.leaves[1], index: c.friQueryIndices[0], cap: proof.proof.wiresCap))
        XCTAssertFalse(initial.proofs[1].verify(leaf: initial.leaves[1], index: c.friQueryIndices[0] ^ 1, cap: proof.proof.wiresCap))
        XCTAssertEqual(reverseBits(0b0001, 4), 0b1000)
        XCTAssertEqual(reverseBits(0b1011, 4), 0b1101)
    }

    /// Paths checked through a shared memo of compressions: every query's paths still verify,
    /// and a changed sibling on a memoised level is caught after the honest path was memoised.
    func testMerkleMemoChangesNoVerdict() throws {
        let (proof, circuit) = try load("one-level/sum_proof_data.json")
        let c = ProofChallenges(proof: proof, circuitDigest: circuit.verifierOnly.circuitDigest, common: circuit.common)
        let memo = CompressionMemo()
        for (q, round) in proof.proof.openingProof.queryRoundProofs.enumerated() {
            let initial = round.initialTreesProof
            XCTAssertTrue(initial.proofs[1].verify(leaf: initial.leaves[1], index: c.friQueryIndices[q], cap: proof.proof.wiresCap, memo: memo))
        }
        let initial = proof.proof.openingProof.queryRoundProofs[0].initialTreesProof
        var tampered = initial.proofs[1]
        let top = tampered.siblings.count - 1
        tampered.siblings[top].e1 = tampered.siblings[top].e1 + .one
        XCTAssertFalse(tampered.verify(leaf: initial.leaves[1], index: c.friQueryIndices[0], cap: proof.proof.wiresCap, memo: memo))
        XCTAssertFalse(initial.proofs[1].verify(leaf: initial.leaves[1], index: c.friQueryIndices[0] ^ 1, cap: proof.proof.wiresCap, memo: memo))
        let a = HashOut(1, 2, 3, 4), b = HashOut(5, 6, 7, 8)
        XCTAssertEqual(memo.twoToOne(a, b), PoseidonHash.twoToOne(a, b))
        XCTAssertEqual(memo.twoToOne(a, b), PoseidonHash.twoToOne(a, b))
        XCTAssertEqual(memo.twoToOne(b, a), PoseidonHash.twoToOne(b, a))
    }
}
