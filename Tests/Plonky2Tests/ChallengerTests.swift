import Field
import Hashing
import JSONReader
import XCTest
@testable import Plonky2

/// The transcript is right when the prover's proof-of-work witness works on it: OKX's prover
/// ground the witness on its own transcript, so a transcript that differs anywhere before it gives
/// a response with 16 leading zero bits only by a 1-in-65,536 chance.
final class ChallengerTests: XCTestCase {
    func proofAndCircuit(_ set: String) throws -> (ProofWithPublicInputs, VerifierCircuitData) {
        let data = try Data(contentsOf: CircuitDataDecoderTests.fixtures.appendingPathComponent("\(set)/sum_proof_data.json"))
        let json = try JSONParser.parse(Array(data))
        let proof = try ProofDecoder.decode(try XCTUnwrap(json["proof"]))
        let circuit = try CircuitDataDecoder.decode(hex: try CircuitDataDecoderTests.hexFromSumProof(set))
        return (proof, circuit)
    }

    func testTheProversProofOfWorkHoldsOnOurTranscript() throws {
        for set in ["one-level", "two-level"] {
            let (proof, circuit) = try proofAndCircuit(set)
            let c = ProofChallenges(proof: proof, circuitDigest: circuit.verifierOnly.circuitDigest, common: circuit.common)
            XCTAssertGreaterThanOrEqual(c.friPowResponse.value.leadingZeroBitCount, 16, set)
            XCTAssertEqual(c.betas.count, 2)
            XCTAssertEqual(c.friBetas.count, 4)
            XCTAssertEqual(c.friQueryIndices.count, 28)
            XCTAssertTrue(c.friQueryIndices.allSatisfy { $0 >= 0 && $0 < 1 << circuit.common.ldeBits })
            // Another witness, or another digest, breaks it.
            var other = proof
            other.proof.openingProof.powWitness = proof.proof.openingProof.powWitness + .one
            let c2 = ProofChallenges(proof: other, circuitDigest: circuit.verifierOnly.circuitDigest, common: circuit.common)
            XCTAssertLessThan(c2.friPowResponse.value.leadingZeroBitCount, 16, set)
        }
    }

    func testChallengesComeFromTheLastLaneFirst() {
        var t = Challenger()
        t.observe([Goldilocks](repeating: .one, count: 3))
        let first = t.challenge()
        var state = [Goldilocks](repeating: .zero, count: 12)
        for i in 0..<3 { state[i] = .one }
        Poseidon.permute(&state)
        XCTAssertEqual(first, state[7])
        XCTAssertEqual(t.challenge(), state[6])
        // Observing discards unread outputs: the next challenge needs a new permutation.
        t.observe(Goldilocks.two)
        var next = state
        next[0] = .two
        Poseidon.permute(&next)
        XCTAssertEqual(t.challenge(), next[7])
    }
}
