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
