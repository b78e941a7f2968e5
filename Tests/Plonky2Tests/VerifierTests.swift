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

/// Hostile circuit data: random byte changes anywhere in the serialized circuit either fail to
/// decode or make verification fail; none may trap.
final class HostileCircuitTests: XCTestCase {
    func testRandomCircuitMutationsNeverTrap() throws {
        let (proof, _) = try loadProofAndCircuit("one-level/sum_proof_data.json")
        let bytes = try XCTUnwrap(Hex.decode(try CircuitDataDecoderTests.hexFromSumProof("one-level")))
        var generator = SplitMix(seed: 20261124)
        var decoded = 0
        for _ in 0..<150 {
            var mutated = bytes
            let at = Int(generator.next() % UInt64(bytes.count))
            mutated[at] = UInt8(truncatingIfNeeded: generator.next())
            guard let circuit = try? CircuitDataDecoder.decode(bytes: mutated) else { continue }
            decoded += 1
            if mutated == bytes { continue }
            // Either rejected, or (a byte the verifier does not read, e.g. a k_i never used) accepted.
            _ = try? Plonky2Verifier.verify(proof, circuit: circuit)
        }
        XCTAssertGreaterThan(decoded, 10)
    }
}

struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
