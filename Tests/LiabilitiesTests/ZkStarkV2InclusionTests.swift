import Foundation
import Hashing
import XCTest
@testable import Liabilities

/// Inclusion proofs made by OKX's own prover (fixtures/por-v2), checked against the root in
/// public inputs 2…5 of the matching global proof.
final class ZkStarkV2InclusionTests: XCTestCase {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/por-v2")

    func folder(_ name: String) -> URL { Self.fixtures.appendingPathComponent(name) }

    /// Headers read once per data set (each global proof file is ~600 KB of JSON).
    nonisolated(unsafe) static var headers = [String: ZkStarkV2SumProofHeader]()

    func header(_ set: String) throws -> ZkStarkV2SumProofHeader {
        if let h = Self.headers[set] { return h }
        let h = try ZkStarkV2SumProofHeader.load(path: folder(set).appendingPathComponent("sum_proof_data.json").path)
        Self.headers[set] = h
        return h
    }

    func verifier(_ set: String) throws -> ZkStarkV2InclusionVerifier {
        let h = try header(set)
        return ZkStarkV2InclusionVerifier(root: h.root, batchSize: h.batchSize, branchOut: Int(h.branchOut))
    }

    func verdict(_ set: String, _ relative: String) throws -> Verdict {
        let path = folder(set).appendingPathComponent(relative).path
        return try verifier(set).verify(try ZkStarkV2InclusionProof.load(path: path), file: path)
    }

    func testHeaderRootMatchesTheProversRootHash() throws {
        for set in ["one-level", "two-level"] {
            let h = try header(set)
            let info = try JSONSerialization.jsonObject(with: Data(contentsOf: folder(set).appendingPathComponent("global_info.json"))) as? [String: Any]
            XCTAssertEqual(h.root.hex, info?["root_hash"] as? String, set)
            XCTAssertEqual(String(h.totalEquity.value), (info?["equity_sum"] as? NSNumber)?.stringValue, set)
            XCTAssertEqual(String(h.totalDebt.value), (info?["debt_sum"] as? NSNumber)?.stringValue, set)
            XCTAssertEqual(h.branchOut, 64)
        }
        XCTAssertEqual(try header("one-level").roundNumber, 1001)
        XCTAssertEqual(try header("two-level").batchSize, 4)
    }

    func testEveryValidProofPasses() throws {
        for set in ["one-level", "two-level"] {
            let names = try FileManager.default.contentsOfDirectory(atPath: folder(set).path).filter { $0.hasSuffix("_inclusion_proof.json") }
            let all = try FileManager.default.contentsOfDirectory(atPath: folder(set).appendingPathComponent("all_user_proofs").path)
            XCTAssertEqual(names.count, 6, set)
            XCTAssertEqual(all.count, set == "one-level" ? 100 : 300)
            for relative in names + all.map({ "all_user_proofs/\($0)" }) {
                let v = try verdict(set, relative)
                XCTAssertEqual(v.verdict, .passed, "\(set)/\(relative): \(v.reason)")
                XCTAssertEqual(v.okxSentence, "Inclusion constraint validation passed")
            }
        }
    }

    func testImpliedRootFindsTheRound() throws {
        let path = folder("two-level").appendingPathComponent("idx256_batch64_first_2nd_group_inclusion_proof.json").path
        let proof = try ZkStarkV2InclusionProof.load(path: path)
        XCTAssertEqual(ZkStarkV2InclusionVerifier.impliedRoot(of: proof), try header("two-level").root)
        XCTAssertNotEqual(ZkStarkV2InclusionVerifier.impliedRoot(of: proof), try header("one-level").root)
    }

    func testProofOfAnotherAuditFailsWithRootMismatch() throws {
        let path = folder("two-level").appendingPathComponent("idx000_batch0_first_inclusion_proof.json").path
        let v = try verifier("one-level").verify(try ZkStarkV2InclusionProof.load(path: path), file: path)
        XCTAssertEqual(v.verdict, .failed)
        // The two-level tree has batch size 4 (2 levels), the one-level global proof says 16.
        XCTAssertTrue(v.reason.hasPrefix("path shape"), v.reason)
        let loose = ZkStarkV2InclusionVerifier(root: try header("one-level").root)
        XCTAssertTrue(loose.verify(try ZkStarkV2InclusionProof.load(path: path), file: path).reason.hasPrefix("root mismatch"))
    }

    /// The tampered variants of the fixtures' README, with the check that must catch each.
    func testTamperedProofsFailAtTheRightCheck() throws {
        let expectations: [(String, String?)] = [
            ("equity_plus1", "root mismatch"),
            ("debt_plus1", "root mismatch"),
            ("sum_sibling_flipped", "root mismatch"),
            ("recursive_sibling_flipped", "root mismatch"),
            ("index_changed", "root mismatch"),
            ("id_changed", "root mismatch"),
            ("sum_sibling_removed", "path shape"),
            // Accepted by design: the leaf binds only id, Σequity and Σdebt, not the per-token split.
            ("equity_moved_between_tokens_sum_kept", nil),
        ]
        for (set, idx) in [("one-level", "idx050"), ("two-level", "idx150")] {
            var cases = expectations
            if set == "two-level" { cases.append(("recursive_sibling_top_level_flipped", "root mismatch")) }
            for (variant, failure) in cases {
                let v = try verdict(set, "tampered/\(idx)_\(variant)_inclusion_proof.json")
                if let failure {
                    XCTAssertEqual(v.verdict, .failed, "\(set) \(variant)")
                    XCTAssertTrue(v.reason.hasPrefix(failure), "\(set) \(variant): \(v.reason)")
                    XCTAssertEqual(v.okxSentence, "Inclusion constraint validation failed")
                } else {
                    XCTAssertEqual(v.verdict, .passed, "\(set) \(variant): \(v.reason)")
                    XCTAssertTrue(v.warnings.contains { $0.contains("per-token") }, "\(set) \(variant) must warn that the split is not proven")
                }
            }
        }
    }

    /// Where OKX's verifier panics, porcheck gives a one-line input error naming the problem.
    func testMalformedProofsAreInputErrors() throws {
        let cases: [(String, String)] = [
            ("sibling_bad_hex", "sum_tree_siblings[0] is not hexadecimal"),
            ("equity_not_a_number", "account.equity[0] is \"abc\", not a non-negative whole number"),
            ("truncated", "is not valid JSON"),
        ]
        for (set, idx) in [("one-level", "idx050"), ("two-level", "idx150")] {
            for (variant, message) in cases {
                let path = folder(set).appendingPathComponent("tampered/\(idx)_\(variant)_inclusion_proof.json").path
                XCTAssertThrowsError(try ZkStarkV2InclusionProof.load(path: path), variant) { error in
                    guard let e = error as? InputError else { return XCTFail("\(variant): \(error)") }
                    XCTAssertEqual(e.file, path)
                    XCTAssertTrue(e.message.contains(message), "\(variant): \(e.message)")
                    XCTAssertFalse(e.description.contains("\n"))
                }
            }
        }
    }

    func testOutOfRangeAndWrongTypesAreRejected() throws {
        let base = try String(contentsOf: folder("one-level").appendingPathComponent("idx000_batch0_first_inclusion_proof.json"), encoding: .utf8)
        func parse(_ text: String) -> String? {
            do {
                _ = try ZkStarkV2InclusionProof.parse(Data(text.utf8), file: "x.json")
                return nil
            } catch let e as InputError {
                return e.message
            } catch {
                return "\(error)"
            }
        }
        // p itself is not a field element; a negative amount is not an amount.
        XCTAssertEqual(parse(base.replacingOccurrences(of: "\"equity\":[\"", with: "\"equity\":[\"1\",\"")), "account.equity has 221 entries but account.debt has 220")
        let p = base.replacingOccurrences(of: "\"debt\":[\"0\"", with: "\"debt\":[\"18446744069414584321\"")
        XCTAssertNotEqual(p, base)
        XCTAssertEqual(parse(p), "account.debt[0] is 18446744069414584321, too large (must be below 2^64 - 2^32 + 1)")
        XCTAssertEqual(parse(base.replacingOccurrences(of: "\"debt\":[\"0\"", with: "\"debt\":[\"-5\"")), "account.debt[0] is \"-5\", not a non-negative whole number")
        XCTAssertEqual(parse(base.replacingOccurrences(of: "\"index\":0", with: "\"index\":\"zero\"")), "index is not a number")
        XCTAssertEqual(parse("[1,2]"), "top level is not a JSON object")
        XCTAssertEqual(parse("{}"), "missing field account")
        XCTAssertEqual(parse("hello"), "is not JSON (it starts with \"hello\")")
        let shortHash = base.replacingOccurrences(of: "\"sum_tree_siblings\":[\"", with: "\"sum_tree_siblings\":[\"00")
        XCTAssertEqual(parse(shortHash), "sum_tree_siblings[0] must be 64 hex characters, got 66")
    }

    func testLeafHashInputsFollowOKXsLayout() throws {
        let proof = try ZkStarkV2InclusionProof.load(path: folder("one-level").appendingPathComponent("idx050_batch3_middle_inclusion_proof.json").path)
        let limbs = proof.accountIDLimbs
        XCTAssertEqual(limbs.count, 5)
        XCTAssertEqual(limbs[0].value, UInt64(proof.accountID.prefix(14), radix: 16))
        XCTAssertEqual(limbs[4].value, UInt64(proof.accountID.suffix(8), radix: 16))
        let totals = proof.totals
        XCTAssertEqual(UInt128(proof.fieldSums.equity.value), totals.equity % UInt128(18_446_744_069_414_584_321))
    }
}
