import XCTest
@testable import Liabilities
import Hashing

/// Fixtures copied from /work/shared/fixtures/por-legacy (OKX's examples and single-change variants).
let legacyFixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Fixtures/legacy").path

final class LegacyDecimalTests: XCTestCase {
    func testAddTruncatesAndCanonicalises() throws {
        func add(_ a: String, _ b: String) throws -> String {
            let x = try XCTUnwrap(LegacyDecimal(a)), y = try XCTUnwrap(LegacyDecimal(b))
            return x.okxAdding(y).canonical
        }
        XCTAssertEqual(try add("0.0000487", "0.0000013"), "0.00005")
        XCTAssertEqual(try add("1.10", "0"), "1.1")
        XCTAssertEqual(try add("3", "0"), "3")
        XCTAssertEqual(try add("0.123456789", "0"), "0.12345678")
        XCTAssertEqual(try add("-0.123456789", "0"), "-0.12345678")
        XCTAssertEqual(try add("1e-3", "2"), "2.001")
        XCTAssertEqual(try add("-5", "3.5"), "-1.5")
        XCTAssertEqual(try add("5", "-5"), "0")
        XCTAssertEqual(try add("19442.32909764", "95088.55505656"), "114530.8841542")
        XCTAssertEqual(try add("1e3", "0"), "1000")
        XCTAssertNil(LegacyDecimal("12a"))
        XCTAssertNil(LegacyDecimal(""))
        XCTAssertNil(LegacyDecimal("1.2.3"))
    }
}

final class MerkleV1Tests: XCTestCase {
    func verdict(_ name: String) throws -> Verdict {
        try MerkleV1.verify(path: legacyFixtures + "/merkle-v1/" + name)
    }

    func testOriginalPassesWithOKXRoot() throws {
        let v = try verdict("merkle_proof_file.json")
        XCTAssertEqual(v.verdict, .passed, v.reason)
        XCTAssertEqual(v.format, .merkleV1)
        XCTAssertEqual(v.constraint, .inclusion)
        XCTAssertTrue(v.reason.contains("BTC 95088.55505656"), v.reason)
        XCTAssertTrue(v.reason.contains("ETH 939953.49090361"), v.reason)
        XCTAssertTrue(v.reason.contains("USDT 3137909428.88369702"), v.reason)
        XCTAssertTrue(v.reason.contains("height 24"), v.reason)
        XCTAssertTrue(v.steps.joined().contains("ac6b39d2"), v.steps.joined())
        XCTAssertNil(v.okxVerdict)
    }

    func testNumericallyEqualSiblingPasses() throws {
        XCTAssertEqual(try verdict("path_balance_trailing_zero_ACCEPTED.json").verdict, .passed)
    }

    func testEveryTamperedFileFails() throws {
        let expectations: [(String, String)] = [
            ("self_balance_changed.json", "leaf hash"),
            ("self_nonce_changed.json", "leaf hash"),
            ("self_type_flipped.json", "same side"),
            ("self_hash_uppercase.json", "leaf hash"),
            ("path_balance_changed.json", "root hash"),
            ("path_nodes_swapped.json", "root hash"),
            ("path_type_flipped.json", "root hash"),
            ("path_hash_byteflip.json", "root hash"),
            ("root_hash_wrong.json", "root hash"),
            ("root_balance_wrong.json", "root balances"),
            ("root_height_wrong.json", "root height"),
            ("root_balance_trailing_zero.json", "root balances"),
        ]
        for (file, cause) in expectations {
            let v = try verdict(file)
            XCTAssertEqual(v.verdict, .failed, file)
            XCTAssertTrue(v.reason.contains(cause), "\(file): \(v.reason)")
        }
    }

    func testUserBalances() throws {
        let b = try MerkleV1.userBalances(path: legacyFixtures + "/merkle-v1/merkle_proof_file.json")
        XCTAssertEqual(Set(b.keys), ["BTC", "ETH", "USDT"])
    }

    func testBadInputThrows() throws {
        let truncated = Data(try Data(contentsOf: URL(fileURLWithPath: legacyFixtures + "/merkle-v1/merkle_proof_file.json")).prefix(300))
        XCTAssertThrowsError(try MerkleV1.verify(jsonData: truncated, file: "t.json")) { e in
            XCTAssertTrue("\(e)".hasPrefix("t.json: "), "\(e)")
        }
        XCTAssertThrowsError(try MerkleV1.verify(jsonData: Data(#"{"self": {"type": "x"}, "path": []}"#.utf8), file: "w.json"))
        XCTAssertThrowsError(try MerkleV1.verify(jsonData: Data(#"[1,2]"#.utf8), file: "w.json"))
        XCTAssertThrowsError(try MerkleV1.verify(path: legacyFixtures + "/merkle-v1/missing.json"))
    }
}

final class MerkleV2Tests: XCTestCase {
    func verdict(_ user: String, _ tree: String, progress: MerkleV2.Progress? = nil) throws -> Verdict {
        try MerkleV2.verify(userFile: legacyFixtures + "/merkle-v2/" + user, treeFile: legacyFixtures + "/merkle-v2/" + tree, progress: progress)
    }

    func testOriginalPassesBothWays() throws {
        var calls = [(Int64, Int64)]()
        let v = try verdict("user_info_file.json", "full-liabilities-merkle-tree.txt") { calls.append(($0, $1)) }
        XCTAssertEqual(v.verdict, .passed, v.reason)
        XCTAssertNil(v.okxVerdict)
        XCTAssertTrue(v.reason.contains("9e98ebde32ef22ded88a5fb2d5e53d76ed57cb9c6b2c966f250721defe6ab041"), v.reason)
        XCTAssertTrue(v.steps.joined(separator: "\n").contains("BTC 0.00005 ETH 0.1 USDT 1.42045977"), v.steps.joined(separator: "\n"))
        XCTAssertEqual(calls.last?.0, 5228)
        XCTAssertEqual(calls.last?.1, 5228)
    }

    func testUserFileChangesFailInBoth() throws {
        for file in ["user_info_balance_changed.json", "user_info_nonce_changed.json", "user_info_total_changed.json"] {
            let v = try verdict(file, "full-liabilities-merkle-tree.txt")
            XCTAssertEqual(v.verdict, .failed, file)
            XCTAssertTrue(v.reason.contains("provided data is invalid"), v.reason)
            XCTAssertNil(v.okxVerdict)
        }
        let upper = try verdict("user_info_node_hash_uppercase.json", "full-liabilities-merkle-tree.txt")
        XCTAssertEqual(upper.verdict, .failed)
        XCTAssertNil(upper.okxVerdict)
    }

    func testRootRewrittenOKXAcceptsPorcheckFails() throws {
        let v = try verdict("user_info_file.json", "tree_root_hash_wrong_OKX_ACCEPTS.txt")
        XCTAssertEqual(v.verdict, .failed)
        XCTAssertEqual(v.okxVerdict, .passed)
        XCTAssertTrue(v.reason.contains("line 1"), v.reason)
    }

    func testTreeLeafChangesFail() throws {
        for tree in ["tree_user_leaf_balance_changed.txt", "tree_user_leaf_removed.txt", "tree_user_leaf_duplicated.txt"] {
            let v = try verdict("user_info_file.json", tree)
            XCTAssertEqual(v.verdict, .failed, tree)
            XCTAssertNil(v.okxVerdict, tree)
        }
    }

    /// Trees altered away from the user's own leaves: OKX passes them, the rebuild must not.
    func testForeignLeafEditAndSwapFail() throws {
        let original = try String(contentsOfFile: legacyFixtures + "/merkle-v2/full-liabilities-merkle-tree.txt", encoding: .utf8)
        var lines = original.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("porcheck-legacy-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        // Another user's leaf balance (line 28) raised.
        var edited = lines
        edited[27] = edited[27].replacingOccurrences(of: "0.00011246", with: "0.00011247")
        let editedPath = dir.appendingPathComponent("edited.txt").path
        try edited.joined(separator: "\n").write(toFile: editedPath, atomically: true, encoding: .utf8)
        let v1 = try MerkleV2.verify(userFile: legacyFixtures + "/merkle-v2/user_info_file.json", treeFile: editedPath)
        XCTAssertEqual(v1.verdict, .failed)
        XCTAssertEqual(v1.okxVerdict, .passed)
        // Two leaves swapped (lines 29 and 30).
        lines.swapAt(28, 29)
        let swappedPath = dir.appendingPathComponent("swapped.txt").path
        try lines.joined(separator: "\n").write(toFile: swappedPath, atomically: true, encoding: .utf8)
        let v2 = try MerkleV2.verify(userFile: legacyFixtures + "/merkle-v2/user_info_file.json", treeFile: swappedPath)
        XCTAssertEqual(v2.verdict, .failed)
        XCTAssertEqual(v2.okxVerdict, .passed)
    }

    func testMissingTreeThrows() {
        XCTAssertThrowsError(try verdict("user_info_file.json", "nope.txt")) { e in
            XCTAssertTrue("\(e)".contains("nope.txt"))
        }
    }
}

final class LegacyFormatTests: XCTestCase {
    func testDetectsEveryLegacyFormat() throws {
        XCTAssertEqual(try LegacyFormat.detect(path: legacyFixtures + "/merkle-v1/merkle_proof_file.json"), .merkleV1Proof)
        XCTAssertEqual(try LegacyFormat.detect(path: legacyFixtures + "/merkle-v2/user_info_file.json"), .merkleV2UserInfo)
        XCTAssertEqual(try LegacyFormat.detect(path: legacyFixtures + "/merkle-v2/full-liabilities-merkle-tree.txt"), .merkleV2Tree)
        XCTAssertEqual(try LegacyFormat.detect(path: legacyFixtures + "/stark-v1/valid/stark_small3"), .starkV1SumProofFolder)
        XCTAssertEqual(try LegacyFormat.detect(path: legacyFixtures + "/stark-v1/valid/stark_small3/sum_proof_data"), .starkV1SumProofFolder)
        XCTAssertEqual(try LegacyFormat.detect(path: legacyFixtures + "/stark-v1/valid/stark_small3/inclusion_proof_data/a0/user_0_inclusion_proof.json"), .starkV1InclusionProof)
        XCTAssertEqual(try LegacyFormat.detect(path: legacyFixtures + "/stark-v1/valid/stark_small3/sum_proof_data/trunk/sum_proof.json"), .starkV1SumProofPart)
        XCTAssertNil(try LegacyFormat.detect(path: legacyFixtures + "/stark-v1/valid"))
        XCTAssertNil(try LegacyFormat.detect(jsonData: Data(#"{"general": 1, "proof": 2}"#.utf8)))
        XCTAssertEqual(LegacyFormat.Kind.merkleV2Tree.format, .merkleV2)
        XCTAssertThrowsError(try LegacyFormat.detect(path: legacyFixtures + "/nothing-here"))
    }

    func testUserBalancesFromEachFormat() throws {
        XCTAssertEqual(try LegacyFormat.userBalances(path: legacyFixtures + "/merkle-v2/user_info_file.json"),
                       ["BTC": "0.00005", "ETH": "0", "USDT": "0"])
        let v1 = try XCTUnwrap(try LegacyFormat.userBalances(path: legacyFixtures + "/merkle-v1/merkle_proof_file.json"))
        XCTAssertEqual(Set(v1.keys), ["BTC", "ETH", "USDT"])
        let stark = try XCTUnwrap(try LegacyFormat.userBalances(path: legacyFixtures + "/stark-v1/valid/stark_small3/inclusion_proof_data/a0/user_2_inclusion_proof.json"))
        XCTAssertEqual(stark["BTC"], "53811197")
        XCTAssertEqual(stark["total_value"], "87339496")
        XCTAssertNil(try LegacyFormat.userBalances(path: legacyFixtures + "/merkle-v2/full-liabilities-merkle-tree.txt"))
    }
}

/// Sum trees with a negative entry: consistent hashes, so OKX's tools pass them; porcheck does not.
final class NegativeBalanceTests: XCTestCase {
    func sha(_ s: String) -> String { Hex.encode(SHA256.hash(Array(s.utf8))) }
    func json(_ b: LegacyBalances) -> String { "{\"BTC\":\"\(b.btc)\",\"ETH\":\"\(b.eth)\",\"USDT\":\"\(b.usdt)\"}" }

    func testMerkleV1NegativeSiblingFails() throws {
        let mine = LegacyBalances(btc: "1", eth: "0", usdt: "0")
        let sibling = LegacyBalances(btc: "-0.5", eth: "0", usdt: "0")
        let leaf = sha("n" + json(mine))
        let sum = try XCTUnwrap(mine.okxAdding(sibling))
        let root = MerkleV1.parentHash(left: leaf, right: "ab", sum: sum, height: 2)
        let text = """
        {"self": {"balances": \(json(mine)), "type": 1, "nonce": "n", "hash": "\(leaf)", "height": 1},
         "path": [{"balances": \(json(sibling)), "type": 2, "hash": "ab", "height": 1},
                  {"balances": \(json(sum)), "type": 3, "hash": "\(root)", "height": 2}]}
        """
        let v = try MerkleV1.verify(jsonData: Data(text.utf8), file: "neg.json")
        XCTAssertEqual(v.verdict, .failed)
        XCTAssertEqual(v.okxVerdict, .passed)
        XCTAssertTrue(v.reason.contains("path[0] has a negative balance"), v.reason)
    }

    func testMerkleV2NegativeLeafFailsStructurally() throws {
        let mine = LegacyBalances(btc: "1", eth: "0", usdt: "0")
        let other = LegacyBalances(btc: "-0.5", eth: "0", usdt: "0")
        let userHash = sha("n" + json(mine))
        let myLeaf = sha(userHash + "1" + "0" + "0")
        let otherLeaf = sha("x")
        let sum = try XCTUnwrap(mine.okxAdding(other))
        let root = MerkleV1.parentHash(left: myLeaf, right: otherLeaf, sum: sum, height: 2)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("porcheck-neg-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let tree = "\(root),2,\(json(sum))\n\(otherLeaf),1,\(json(other))\n\(myLeaf),1,\(json(mine))\n"
        try tree.write(to: dir.appendingPathComponent("tree.txt"), atomically: true, encoding: .utf8)
        let user = "{\"hash\": \"\(userHash)\", \"nodes\": [{\"balances\": \(json(mine)), \"hash\": \"\(myLeaf)\"}], \"nonce\": \"n\", \"totalBalances\": \(json(mine))}"
        try user.write(to: dir.appendingPathComponent("user.json"), atomically: true, encoding: .utf8)
        let v = try MerkleV2.verify(userFile: dir.appendingPathComponent("user.json").path, treeFile: dir.appendingPathComponent("tree.txt").path)
        XCTAssertEqual(v.verdict, .failed)
        XCTAssertEqual(v.okxVerdict, .passed)
        XCTAssertTrue(v.reason.contains("line 2: a negative balance"), v.reason)
        // The same tree with the other leaf at +0.5 passes: the construction itself is sound.
        let positive = LegacyBalances(btc: "0.5", eth: "0", usdt: "0")
        let sum2 = try XCTUnwrap(mine.okxAdding(positive))
        let root2 = MerkleV1.parentHash(left: myLeaf, right: otherLeaf, sum: sum2, height: 2)
        try "\(root2),2,\(json(sum2))\n\(otherLeaf),1,\(json(positive))\n\(myLeaf),1,\(json(mine))\n"
            .write(to: dir.appendingPathComponent("tree.txt"), atomically: true, encoding: .utf8)
        let w = try MerkleV2.verify(userFile: dir.appendingPathComponent("user.json").path, treeFile: dir.appendingPathComponent("tree.txt").path)
        XCTAssertEqual(w.verdict, .passed, w.reason)
    }
}
