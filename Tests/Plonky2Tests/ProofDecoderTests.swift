import Field
import Hashing
import JSONReader
import XCTest
@testable import Plonky2

final class ProofDecoderTests: XCTestCase {
    static let fixtures = CircuitDataDecoderTests.fixtures

    func load(_ relative: String) throws -> JSONValue {
        try JSONParser.parse(Array(try Data(contentsOf: Self.fixtures.appendingPathComponent(relative))))
    }

    func testValidProofsDecodeAndHaveTheCircuitsShape() throws {
        for set in ["one-level", "two-level"] {
            let json = try load("\(set)/sum_proof_data.json")
            let proof = try ProofDecoder.decode(try XCTUnwrap(json["proof"]))
            let circuit = try CircuitDataDecoder.decode(hex: try CircuitDataDecoderTests.hexFromSumProof(set))
            XCTAssertNoThrow(try proof.validateShape(circuit.common), set)
            XCTAssertEqual(proof.publicInputs.count, 6)
            XCTAssertEqual(proof.proof.openingProof.queryRoundProofs.count, 28)
            XCTAssertEqual(proof.proof.openingProof.queryRoundProofs[0].initialTreesProof.leaves.map(\.count), [85, 139, 24, 20])
        }
        let one = try ProofDecoder.decode(try XCTUnwrap(try load("one-level/sum_proof_data.json")["proof"]))
        XCTAssertEqual(one.publicInputs.map(\.value), [5502042280169, 1644071968532, 9100490757700524400, 5061154057908963786,
                                                       17654811877620929806, 15463196069437469575])
        XCTAssertEqual(one.proof.openingProof.powWitness.value, 45760)
    }

    func testShapeMismatchesAndBadValuesAreNamed() throws {
        let json = try load("one-level/sum_proof_data.json")
        let circuit = try CircuitDataDecoder.decode(hex: try CircuitDataDecoderTests.hexFromSumProof("one-level"))
        var proof = try ProofDecoder.decode(try XCTUnwrap(json["proof"]))
        proof.proof.openings.wires.removeLast()
        XCTAssertThrowsError(try proof.validateShape(circuit.common)) { error in
            XCTAssertEqual("\(error)", "proof shape: openings.wires has 134 entries, the circuit needs 135")
        }
        // A value ≥ p inside the JSON.
        let text = try String(contentsOf: Self.fixtures.appendingPathComponent("one-level/sum_proof_data.json"), encoding: .utf8)
        let bad = text.replacingOccurrences(of: "\"pow_witness\":45760", with: "\"pow_witness\":18446744069414584321")
        XCTAssertNotEqual(bad, text)
        let badJSON = try JSONParser.parse(Array(bad.utf8))
        XCTAssertThrowsError(try ProofDecoder.decode(try XCTUnwrap(badJSON["proof"]))) { error in
            XCTAssertEqual("\(error)", "proof.proof.opening_proof.pow_witness = 18446744069414584321 is not below the Goldilocks modulus")
        }
        let missing = text.replacingOccurrences(of: "\"plonk_zs_next\"", with: "\"plonk_zs_later\"")
        XCTAssertThrowsError(try ProofDecoder.decode(try XCTUnwrap(try JSONParser.parse(Array(missing.utf8))["proof"]))) { error in
            XCTAssertEqual("\(error)", "missing field proof.proof.openings.plonk_zs_next")
        }
    }
}
