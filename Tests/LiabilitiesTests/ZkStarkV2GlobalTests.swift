import Foundation
import Hashing
import XCTest
@testable import Liabilities

final class ZkStarkV2GlobalTests: XCTestCase {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    var verifier: ZkStarkV2GlobalVerifier {
        ZkStarkV2GlobalVerifier.loadingKnownCircuits(from: Self.repository.appendingPathComponent("Resources/circuits"))
    }

    func testTheShippedKnownCircuitIsRound508787475() throws {
        let known = verifier.known
        XCTAssertEqual(known.map(\.round), ["508787475"])
        let hex = try String(contentsOf: Self.repository.appendingPathComponent("Resources/circuits/okx-round-508787475.hex"), encoding: .utf8)
        let bytes = try XCTUnwrap(Hex.decode(hex.trimmingCharacters(in: .whitespacesAndNewlines)))
        XCTAssertEqual(Hex.encode(SHA256.hash(bytes)), known.first?.circuitSHA256)
    }

    /// The known-circuits list is read with porcheck's parser by the rules Foundation's decoder
    /// applied: the shipped file decodes the same; a malformed entry rejects the whole list.
    func testKnownCircuitsReadAsTheDecoderWould() throws {
        let data = try Data(contentsOf: Self.repository.appendingPathComponent("Resources/circuits/known-root-circuits.json"))
        let ours = try XCTUnwrap(KnownRootCircuit.list(fromJSON: data))
        let decoded = try JSONDecoder().decode([KnownRootCircuit].self, from: data)
        XCTAssertEqual(ours.map(\.round), decoded.map(\.round))
        XCTAssertEqual(ours.map(\.circuitSHA256), decoded.map(\.circuitSHA256))
        XCTAssertEqual(ours.map(\.file), decoded.map(\.file))
        XCTAssertEqual(ours.map(\.source), decoded.map(\.source))
        let noFile = Data(#"[{"round": "1", "circuit_sha256": "ab", "source": "s", "file": null}, {"round": "2", "circuit_sha256": "cd", "source": "t"}]"#.utf8)
        XCTAssertEqual(KnownRootCircuit.list(fromJSON: noFile)?.map(\.file), [nil, nil])
        for bad in [#"[{"round": 1, "circuit_sha256": "ab", "source": "s"}]"#, #"[{"round": "1", "source": "s"}]"#,
                    #"[{"round": "1", "circuit_sha256": "ab", "source": "s", "file": 3}]"#, #"{"round": "1"}"#, "[1]", "not json"] {
            XCTAssertNil(KnownRootCircuit.list(fromJSON: Data(bad.utf8)), bad)
            XCTAssertNil(try? JSONDecoder().decode([KnownRootCircuit].self, from: Data(bad.utf8)), bad)
        }
    }

    /// A round-508787475 file without circuits_info is checked against the built-in circuit, as
    /// OKX's verifier does (here the proof is another round's, so the digests cannot match).
    func testRound508787475UsesTheBuiltInCircuit() throws {
        var text = try String(contentsOf: ZkStarkV2InclusionTests.fixtures.appendingPathComponent("one-level/sum_proof_data.json"), encoding: .utf8)
        text = text.replacingOccurrences(of: "\"round_num\":1001", with: "\"round_num\":508787475")
        let start = try XCTUnwrap(text.range(of: ",\"circuits_info\":{"))
        let end = try XCTUnwrap(text.range(of: "},\"proof\":", range: start.upperBound..<text.endIndex))
        text.replaceSubrange(start.lowerBound..<end.upperBound, with: ",\"proof\":")
        let proof = try ZkStarkV2GlobalProof.parse(Data(text.utf8), file: "x.json")
        XCTAssertNil(proof.circuitBytes)
        let v = verifier.verify(proof, file: "x.json")
        XCTAssertTrue(v.steps.contains { $0.contains("used the built-in root circuit of round 508787475") }, "\(v.steps)")
        XCTAssertTrue(v.steps.contains { $0.contains("decoded the root circuit: 14 gate types, 2^19 rows") }, "\(v.steps)")
        XCTAssertEqual(v.verdict, .failed)
        XCTAssertTrue(v.reason.contains("root_vd_digest does not match"), v.reason)
    }
}
