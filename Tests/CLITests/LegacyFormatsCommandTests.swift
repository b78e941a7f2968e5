import Foundation
import XCTest

/// Earlier OKX formats through the commands: recognised without being told, verified, recorded,
/// and pasted in the wizard.
final class LegacyFormatsCommandTests: XCTestCase {
    var porcheck: PorcheckProcess!
    let legacy = PorcheckProcess.fixtures.appendingPathComponent("legacy")

    override func setUpWithError() throws { porcheck = PorcheckProcess() }
    override func tearDownWithError() throws { porcheck.cleanUp() }

    func checks(_ args: [String]) throws -> (Int32, [[String: Any]]) {
        let r = try porcheck.run(["verify", "--json"] + args)
        guard r.status != 2 else { XCTFail(r.stderr); return (2, []) }
        return (r.status, try XCTUnwrap(try PorcheckProcess.json(r.stdout)["checks"] as? [[String: Any]]))
    }

    func testEveryFormatIsRecognisedAndRecorded() throws {
        let (s1, v1) = try checks([legacy.appendingPathComponent("merkle-v1/merkle_proof_file.json").path])
        XCTAssertEqual(s1, 0)
        XCTAssertEqual(v1.map { $0["format"] as? String }, ["merkle-v1"])
        XCTAssertEqual(v1.first?["verdict"] as? String, "passed")

        let (s2, v2) = try checks([legacy.appendingPathComponent("merkle-v2/user_info_file.json").path,
                                   legacy.appendingPathComponent("merkle-v2/full-liabilities-merkle-tree.txt").path])
        XCTAssertEqual(s2, 0)
        XCTAssertEqual(v2.map { $0["verdict"] as? String }, ["passed"])

        let (s3, v3) = try checks([legacy.appendingPathComponent("stark-v1/valid/stark_small3").path])
        XCTAssertEqual(s3, 0)
        XCTAssertEqual(v3.first?["constraint"] as? String, "sum")
        XCTAssertTrue(v3.allSatisfy { $0["format"] as? String == "zk-stark-v1" && $0["verdict"] as? String == "passed" })
        XCTAssertEqual(v3.count, 46, "the sum proof and its 45 inclusion files")

        let history = try porcheck.run(["history", "--json"])
        let kinds = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(history.stdout.utf8)) as? [[String: Any]]).map { $0["kind"] as? String }
        XCTAssertEqual(kinds, ["zk-stark-v1", "merkle-v2", "merkle-v1"])
    }

    func testWhereOKXAndPorcheckDifferBothAreReported() throws {
        let (status, v) = try checks([legacy.appendingPathComponent("merkle-v2/user_info_file.json").path,
                                      legacy.appendingPathComponent("merkle-v2/tree_root_hash_wrong_OKX_ACCEPTS.txt").path])
        XCTAssertEqual(status, 1)
        XCTAssertEqual(v.first?["verdict"] as? String, "failed")
        XCTAssertEqual(v.first?["okx_verdict"] as? String, "passed")
        let text = try porcheck.run(["verify", legacy.appendingPathComponent("merkle-v2/user_info_file.json").path,
                                     legacy.appendingPathComponent("merkle-v2/tree_root_hash_wrong_OKX_ACCEPTS.txt").path])
        XCTAssertTrue(text.stdout.contains("OKX's own validator would say \"passed\" here"), text.stdout)
    }

    func testPastingAMerkleV1ProofInTheWizard() throws {
        let proof = try String(contentsOf: legacy.appendingPathComponent("merkle-v1/merkle_proof_file.json"), encoding: .utf8)
        let flat = try JSONSerialization.data(withJSONObject: try JSONSerialization.jsonObject(with: Data(proof.utf8)))
        let result = try porcheck.run([], stdin: flat + Data("\nq\n".utf8))
        XCTAssertTrue(result.stdout.contains("Recognised: a merkle-v1 proof."), result.stdout)
        XCTAssertTrue(result.stdout.contains("Inclusion constraint validation passed"), result.stdout)
        XCTAssertTrue(result.stdout.contains("/merkle_proof_file.json"), result.stdout)
    }
}
