import XCTest
@testable import Liabilities

let starkFixtures = legacyFixtures + "/stark-v1"

final class StarkV1SumProofTests: XCTestCase {
    func testValidSetsPass() throws {
        for set in ["stark_small3", "stark_mixed5", "stark_fullcfg"] {
            let v = try StarkV1.verifySumProof(folder: starkFixtures + "/valid/" + set)
            XCTAssertEqual(v.verdict, .passed, "\(set): \(v.reason)")
            XCTAssertEqual(v.constraint, .sum)
            XCTAssertEqual(v.format, .zkStarkV1)
            XCTAssertNil(v.okxVerdict)
        }
    }
}

final class StarkV1TamperedSumProofTests: XCTestCase {
    func verdict(_ name: String) throws -> Verdict {
        try StarkV1.verifySumProof(folder: starkFixtures + "/tampered/" + name)
    }

    /// README: every one of these fails in OKX too; porcheck must fail them for the same reason.
    func testTamperedSetsFailForTheRightReason() throws {
        let cases: [(String, String)] = [
            ("stark_small3_sum_total_plus1", "batch a0: the coin sums add up to"),
            ("stark_small3_sum_coin_and_total_plus1", "batch a0: spot check 0: constraint 4"),
            ("stark_small3_trunk_coin_and_total_plus1", "trunk: spot check 0: constraint 4"),
            ("stark_small3_mtree_branch_byteflip", "batch a1: main tree"),
            ("stark_small3_l_mtree_branch_byteflip", "batch a1: linear-combination tree"),
            ("stark_small3_fri_column_branch_byteflip", "trunk: FRI layer 0 column"),
            ("stark_small3_fri_last_layer_value_changed", "batch a2: FRI: the final values do not hash"),
            ("stark_small3_entries_data_byteflip", "batch a0: spot check 0: opened entry data"),
            ("stark_small3_pow_nonce_changed", "batch a0: invalid proof of work"),
            ("stark_small3_batch_a1_deleted", "sums do not add up to the trunk's"),
        ]
        for (set, reason) in cases {
            let v = try verdict(set)
            XCTAssertEqual(v.verdict, .failed, set)
            XCTAssertTrue(v.reason.hasPrefix(reason) || v.reason.contains(reason), "\(set): \(v.reason)")
            XCTAssertNil(v.okxVerdict, set)
        }
    }

    func testTrunkDeletedIsAnInputError() {
        XCTAssertThrowsError(try verdict("stark_small3_trunk_deleted")) { e in
            XCTAssertTrue("\(e)".contains("trunk"), "\(e)")
            XCTAssertTrue(e is InputError)
        }
    }

    /// The design gap: non-main coins have no per-coin constraint. OKX passes it and so does any
    /// verifier of this proof system; porcheck says which coins are unprotected.
    func testNonMainCoinShiftPassesWithWarning() throws {
        let v = try verdict("stark_mixed5_nonmain_coin_shift_ACCEPTED")
        XCTAssertEqual(v.verdict, .passed, v.reason)
        XCTAssertTrue(v.warnings.contains { $0.contains("USDC, XRP") }, "\(v.warnings)")
    }
}

final class StarkV1InclusionTests: XCTestCase {
    func testEveryValidInclusionProofPassesAgainstItsDataSet() throws {
        for set in ["stark_small3", "stark_mixed5", "stark_fullcfg"] {
            let folder = starkFixtures + "/valid/" + set
            let verdicts = try StarkV1.verifyAll(folder: folder)
            let inclusion = verdicts.filter { $0.constraint == .inclusion }
            XCTAssertEqual(verdicts.first?.verdict, .passed, set)
            XCTAssertEqual(inclusion.count, ["stark_small3": 45, "stark_mixed5": 93, "stark_fullcfg": 30][set], set)
            for v in inclusion {
                XCTAssertEqual(v.verdict, .passed, "\(v.file): \(v.reason)")
                XCTAssertNil(v.okxVerdict)
            }
        }
    }

    func testStandaloneInclusionPasses() throws {
        let file = starkFixtures + "/valid/stark_mixed5/inclusion_proof_data/b0/user_3_inclusion_proof.json"
        let v = try StarkV1.verifyInclusion(file: file)
        XCTAssertEqual(v.verdict, .passed, v.reason)
        XCTAssertFalse(v.warnings.isEmpty)
        // Negative printed values (value − p) become the right field elements.
        let balances = try StarkV1.userBalances(inclusionFile: file)
        XCTAssertEqual(balances["total_value"], "25376791150100937")
    }

    func testTamperedInclusionFilesFail() throws {
        let small3 = try StarkV1DataSet.load(folder: starkFixtures + "/valid/stark_small3")
        let cases: [(String, String)] = [
            ("balance_eth_plus1", "leaf mismatch"),
            ("total_value_plus1", "leaf mismatch"),
            ("trunk_total_value_plus1", "trunk: the leaf"),
            ("merkle_path_byteflip", "does not reach the root"),
            ("user_index_plus1", "does not reach the root"),
            ("config_coin_removed", "leaf mismatch"),
            ("total_value_negative", "not a whole number in [0, 2^256)"),
            ("balance_not_a_number", "not a whole number"),
            ("total_value_plus_modulus", "leaf mismatch"),
        ]
        for (name, reason) in cases {
            let file = starkFixtures + "/tampered/inclusion/\(name)_inclusion_proof.json"
            for set in [nil, small3] {
                let v = try StarkV1.verifyInclusion(file: file, dataSet: set)
                XCTAssertEqual(v.verdict, .failed, name)
                XCTAssertTrue(v.reason.contains(reason), "\(name): \(v.reason)")
                XCTAssertNil(v.okxVerdict, name)
            }
        }
    }

    /// OKX reduces coin values mod p, so BTC + p passes there; it is not a valid amount.
    func testBalancePlusModulusFailsButOKXAccepts() throws {
        let file = starkFixtures + "/tampered/inclusion/balance_plus_modulus_ACCEPTED_inclusion_proof.json"
        let v = try StarkV1.verifyInclusion(file: file)
        XCTAssertEqual(v.verdict, .failed)
        XCTAssertEqual(v.okxVerdict, .passed)
        XCTAssertTrue(v.reason.contains("BTC"), v.reason)
    }

    /// OKX never compares an inclusion proof's trunk root with the folder's trunk: a proof from
    /// another data set passes there. porcheck ties it to the data set and fails it.
    func testInclusionFromAnotherDataSetFails() throws {
        let small3 = try StarkV1DataSet.load(folder: starkFixtures + "/valid/stark_small3")
        let foreign = starkFixtures + "/valid/stark_mixed5/inclusion_proof_data/b0/user_3_inclusion_proof.json"
        let v = try StarkV1.verifyInclusion(file: foreign, dataSet: small3)
        XCTAssertEqual(v.verdict, .failed)
        XCTAssertEqual(v.okxVerdict, .passed)
    }

    func testBadInclusionInputThrows() {
        XCTAssertThrowsError(try StarkV1InclusionProof.parse(Data(#"{"config": {"main_coins_num": 1, "coins": ["BTC"]}}"#.utf8), file: "x.json")) { e in
            XCTAssertTrue("\(e)".hasPrefix("x.json: missing field"), "\(e)")
        }
        XCTAssertThrowsError(try StarkV1InclusionProof.parse(Data(#"{"batch_inclusion_proof": {"#.utf8), file: "t.json"))
    }
}

final class StarkV1InputTests: XCTestCase {
    func testSumValuesParserIsExact() throws {
        let v = try StarkV1SumValues.parse(Data(#" {"BTC": 3618502788666131213697322783095070105623107215331596699973092056135872008136, "ETH": -5, "total_value": 123456789012345678901234567890} "#.utf8), file: "s.json")
        XCTAssertEqual(v.value("BTC")?.description, "3618502788666131213697322783095070105623107215331596699973092056135872008136")
        XCTAssertEqual(v.value("ETH")?.description, "-5")
        XCTAssertEqual(v.value("total_value")?.description, "123456789012345678901234567890")
        XCTAssertThrowsError(try StarkV1SumValues.parse(Data(#"{"BTC": 1.5}"#.utf8), file: "s.json"))
        XCTAssertThrowsError(try StarkV1SumValues.parse(Data(#"{"BTC": "1"}"#.utf8), file: "s.json"))
        XCTAssertThrowsError(try StarkV1SumValues.parse(Data(#"{"BTC": 1"#.utf8), file: "s.json")) { e in
            XCTAssertTrue("\(e)".hasPrefix("s.json: "), "\(e)")
        }
        XCTAssertThrowsError(try StarkV1SumValues.parse(Data(("{\"BTC\": 1" + String(repeating: "0", count: 200) + "}").utf8), file: "s.json"))
    }

    func testSignedReadingOfFieldElements() throws {
        let pMinus12345 = try XCTUnwrap(ExactInteger(decimal: "3618502788666131213697322783095070105623107215331596699973092056135872008136"))
        XCTAssertEqual(pMinus12345.asSignedFieldAmount?.description, "-12345")
        XCTAssertNil(try XCTUnwrap(ExactInteger(decimal: "777")).asSignedFieldAmount)
        // (p − 1) / 2 is the largest non-negative amount, one more is the most negative.
        let half = "1809251394333065606848661391547535052811553607665798349986546028067936010240"
        XCTAssertNil(try XCTUnwrap(ExactInteger(decimal: half)).asSignedFieldAmount)
        XCTAssertEqual(try XCTUnwrap(ExactInteger(decimal: "1809251394333065606848661391547535052811553607665798349986546028067936010241")).asSignedFieldAmount?.description,
                       "-1809251394333065606848661391547535052811553607665798349986546028067936010240")
    }

    func testNegativeBatchSumIsReported() throws {
        let v = try StarkV1.verifySumProof(folder: starkFixtures + "/valid/stark_mixed5")
        XCTAssertEqual(v.verdict, .passed)
        XCTAssertTrue(v.warnings.contains { $0.contains("batch a0's BTC sum is negative (-12345)") }, "\(v.warnings)")
    }

    func testBatchFolderWithMissingFileThrows() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("porcheck-stark-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let source = starkFixtures + "/valid/stark_small3/sum_proof_data"
        try FileManager.default.copyItem(atPath: source, toPath: dir)
        try FileManager.default.removeItem(atPath: dir + "/batches/a1/sum_values.json")
        XCTAssertThrowsError(try StarkV1.verifySumProof(folder: dir)) { e in
            XCTAssertTrue("\(e)".contains("a1/sum_values.json"), "\(e)")
        }
        // Truncated proof JSON.
        try FileManager.default.copyItem(atPath: source + "/batches/a1/sum_values.json", toPath: dir + "/batches/a1/sum_values.json")
        let proof = try Data(contentsOf: URL(fileURLWithPath: dir + "/batches/a0/sum_proof.json"))
        try proof.prefix(1000).write(to: URL(fileURLWithPath: dir + "/batches/a0/sum_proof.json"))
        XCTAssertThrowsError(try StarkV1.verifySumProof(folder: dir)) { e in
            XCTAssertTrue("\(e)".contains("a0/sum_proof.json"), "\(e)")
        }
        XCTAssertThrowsError(try StarkV1.verifySumProof(folder: dir + "/nothing"))
    }
}

final class StarkV1BenchmarkAPITests: XCTestCase {
    /// The benchmark API reports every part of a real set (timings themselves are measured in a
    /// release build by `porcheck bench stark-v1`, not asserted here).
    func testBenchmarkReportsEveryPart() throws {
        let r = try StarkV1Benchmark.run(folder: starkFixtures + "/valid/stark_small3")
        XCTAssertEqual(r.batches.map(\.name), ["a0", "a1", "a2"])
        XCTAssertEqual(r.trunk.name, "trunk")
        XCTAssertEqual(r.inclusionFiles, 45)
        XCTAssertTrue(r.allPassed)
        let broken = try StarkV1Benchmark.run(folder: starkFixtures + "/tampered/stark_small3_pow_nonce_changed")
        XCTAssertFalse(broken.allPassed)
    }
}

final class ProofJSONTests: XCTestCase {
    func testParsesAndRejects() throws {
        let doc = try ProofJSON.parse(Data(#" {"a": [1, "0aff", [], {"b": null}], "c": -2, "d": "x\"y"} "#.utf8), file: nil)
        XCTAssertEqual(doc.kind(doc.root), .object)
        XCTAssertEqual(doc.members(doc.root).map { doc.string($0.key) }, ["a", "c", "d"])
        let a = try XCTUnwrap(doc.field(doc.root, "a"))
        XCTAssertEqual(doc.kind(a), .array)
        let items = Array(doc.elements(a))
        XCTAssertEqual(items.map { doc.kind($0) }, [.number, .string, .array, .object])
        XCTAssertEqual(doc.hexBytes(items[1]), [0x0a, 0xff])
        XCTAssertEqual(doc.count(items[2]), 0)
        XCTAssertTrue(doc.isLiteral(try XCTUnwrap(doc.field(items[3], "b")), "null"))
        XCTAssertEqual(doc.text(try XCTUnwrap(doc.field(doc.root, "c"))).map { $0 }, Array("-2".utf8))
        XCTAssertEqual(doc.string(try XCTUnwrap(doc.field(doc.root, "d"))), "x\"y")
        XCTAssertNil(doc.field(doc.root, "e"))
        for bad in [#"{"a": [1, 2"#, #"{"a" 1}"#, #"{"a": "x}"#, #"[1,]"#, #"{} x"#, String(repeating: "[", count: 100) + String(repeating: "]", count: 100)] {
            XCTAssertThrowsError(try ProofJSON.parse(Data(bad.utf8), file: "f.json"), bad) { e in
                XCTAssertTrue("\(e)".hasPrefix("f.json: "), "\(e)")
            }
        }
        XCTAssertEqual(ProofJSON.hex(Array("0aFF".utf8)), [0x0a, 0xff])
        XCTAssertNil(ProofJSON.hex(Array("0a0".utf8)))
        XCTAssertNil(ProofJSON.hex(Array("0g".utf8)))
    }

    func testWrongFieldTypeInSumProofThrows() throws {
        let text = #"{"steps": "256", "uts": 16}"#
        XCTAssertThrowsError(try StarkV1SumProof.parse(Data(text.utf8), file: "p.json")) { e in
            XCTAssertEqual("\(e)", "p.json: steps is not a whole number from 0 to 2^40")
        }
    }
}

/// The trunk ↔ batch link from trunk/mtree.json + mtree_entries_data.json (kept for stark_small3).
final class StarkV1TrunkLinkTests: XCTestCase {
    func copyOfSmall3() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("porcheck-trunk-\(UUID().uuidString)").path
        try FileManager.default.copyItem(atPath: starkFixtures + "/valid/stark_small3/sum_proof_data", toPath: dir)
        return dir
    }

    func testLinkCheckedWhenFilesArePresent() throws {
        let v = try StarkV1.verifySumProof(folder: starkFixtures + "/valid/stark_small3")
        XCTAssertEqual(v.verdict, .passed, v.reason)
        XCTAssertTrue(v.steps.contains { $0.contains("trunk tree rebuilt") }, "\(v.steps)")
        let mixed = try StarkV1.verifySumProof(folder: starkFixtures + "/valid/stark_mixed5")
        XCTAssertTrue(mixed.warnings.contains { $0.contains("trunk/mtree.json is not in the folder") })
    }

    /// Renaming batches changes no sum, so OKX passes; the trunk's slots name the batches by root.
    func testSwappedBatchFoldersFail() throws {
        let dir = try copyOfSmall3()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let fm = FileManager.default
        try fm.moveItem(atPath: dir + "/batches/a0", toPath: dir + "/batches/tmp")
        try fm.moveItem(atPath: dir + "/batches/a1", toPath: dir + "/batches/a0")
        try fm.moveItem(atPath: dir + "/batches/tmp", toPath: dir + "/batches/a1")
        let v = try StarkV1.verifySumProof(folder: dir)
        XCTAssertEqual(v.verdict, .failed)
        XCTAssertEqual(v.okxVerdict, .passed)
        XCTAssertTrue(v.reason.contains("trunk slot 0's id is not batch a0's Merkle root"), v.reason)
    }

    func testAlteredEntriesOrTreeFail() throws {
        let dir = try copyOfSmall3()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let entriesPath = dir + "/trunk/mtree_entries_data.json"
        let original = try String(contentsOfFile: entriesPath, encoding: .utf8)
        // The first BTC balance of entry 0 starts at hex offset 64 + 64 − 2 ("…5e09de75" → "…5e09de76").
        try original.replacingOccurrences(of: "5e09de75", with: "5e09de76").write(toFile: entriesPath, atomically: true, encoding: .utf8)
        let v = try StarkV1.verifySumProof(folder: dir)
        XCTAssertEqual(v.verdict, .failed)
        XCTAssertEqual(v.okxVerdict, .passed)
        XCTAssertTrue(v.reason.contains("trunk entry 0 is not the leaf"), v.reason)

        try original.write(toFile: entriesPath, atomically: true, encoding: .utf8)
        let treePath = dir + "/trunk/mtree.json"
        let tree = try String(contentsOfFile: treePath, encoding: .utf8)
        let firstNode = "\"193709a1"
        try tree.replacingOccurrences(of: firstNode, with: "\"193709a2").write(toFile: treePath, atomically: true, encoding: .utf8)
        let w = try StarkV1.verifySumProof(folder: dir)
        XCTAssertEqual(w.verdict, .failed)
        XCTAssertTrue(w.reason.contains("node"), w.reason)

        try FileManager.default.removeItem(atPath: treePath)
        XCTAssertThrowsError(try StarkV1.verifySumProof(folder: dir)) { e in
            XCTAssertTrue("\(e)".contains("mtree.json"), "\(e)")
        }
    }
}
