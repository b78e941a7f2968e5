import Field
import Hashing
import JSONReader
import XCTest
@testable import Plonky2

/// The whole verifier on OKX's proofs: valid ones pass, tampered ones fail at the right step.
final class VerifierTests: XCTestCase {
    func load(_ relative: String) throws -> (ProofWithPublicInputs, VerifierCircuitData) {
        try loadProofAndCircuit(relative)
    }

    func testValidOKXProofsVerify() throws {
        for set in ["one-level", "two-level"] {
            let (proof, circuit) = try load("\(set)/sum_proof_data.json")
            XCTAssertNoThrow(try Plonky2Verifier.verify(proof, circuit: circuit), set)
        }
    }

    func testChangedPublicInputsOrOpeningsBreakTheVanishingIdentity() throws {
        for variant in ["pi_equity_plus1", "pi_debt_minus1", "pi_root_hash", "opening_wires", "wires_cap"] {
            let (proof, circuit) = try load("one-level/tampered/sum_proof_data.\(variant).json")
            XCTAssertThrowsError(try Plonky2Verifier.verify(proof, circuit: circuit), variant) { error in
                guard let failure = error as? VerificationFailure else { return XCTFail("\(error)") }
                XCTAssertEqual(failure, .vanishingIdentity(challenge: 0), variant)
            }
        }
    }
}
