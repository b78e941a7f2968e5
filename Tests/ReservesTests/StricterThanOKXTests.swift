import Foundation
import XCTest
@testable import Reserves

/// SPEC §9 cases where OKX's tool passes a row without proof (or rejects a valid one): built from
/// real corpus rows by changing one thing, so each test isolates the check we add.
final class StricterThanOKXTests: XCTestCase {
    func corpusFields(_ line: Int) throws -> [String] {
        let text = try String(contentsOf: ExpectedVerdictTests.fixtures.appendingPathComponent("por_11col.csv"), encoding: .utf8)
        return text.split(separator: "\n", omittingEmptySubsequences: false)[line - 1]
            .split(separator: ",", omittingEmptySubsequences: false).map(String.init)
    }

    func verdict(_ fields: [String]) -> RowOutcome {
        RowVerifier.verify(fields: fields, line: 1, layout: .report11).outcome
    }

    func testOriginalsVerify() throws {
        for line in [40, 41, 95, 146] {
            XCTAssertEqual(verdict(try corpusFields(line)).verdict, .verified, "line \(line)")
        }
    }

    /// Q1: a BTC address with a broken base58 checksum (OKX: success).
    func testBadChecksumAddressFails() throws {
        var f = try corpusFields(40)
        let last = f[3].removeLast()
        f[3].append(last == "M" ? "N" : "M")
        let outcome = verdict(f)
        XCTAssertEqual(outcome.verdict, .failed)
        XCTAssertTrue(outcome.reason.contains("does not decode"), outcome.reason)
    }

    /// Q3: a taproot address with a recoverable signature (OKX: success).
    func testTaprootAddressFails() throws {
        var f = try corpusFields(40)
        f[3] = "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0"
        XCTAssertEqual(verdict(f).verdict, .failed)
    }

    /// Q5: both multisig signatures from the same key (OKX: success).
    func testSameSignerTwiceFails() throws {
        var f = try corpusFields(41)
        f[7] = f[6]
        let outcome = verdict(f)
        XCTAssertEqual(outcome.verdict, .failed)
        XCTAssertTrue(outcome.reason.contains("same key"), outcome.reason)
    }

    /// Q14: an LTC address on a BTC row (OKX: may succeed, depending on row order).
    func testOtherNetworkAddressFails() throws {
        var f = try corpusFields(40)
        let ltc = try corpusFields(Int(try XCTUnwrap(lineOf(caseID: "LTC-P2PKH-ok"))))
        f[3] = ltc[3]
        XCTAssertEqual(verdict(f).verdict, .failed)
    }

    /// Q8: the same BCH key hash written as a cashaddr P2PKH (OKX: always fails; we verify).
    func testCashaddrP2PKHVerifies() throws {
        var f = try corpusFields(95)
        let payload = try XCTUnwrap(Base58.bitcoin.decodeCheck(f[3]))
        XCTAssertEqual(payload.first, 0x00)
        f[3] = Base32.encodeCash(prefix: "bitcoincash", version: 0, hash: Array(payload.dropFirst()))
        XCTAssertEqual(verdict(f).verdict, .verified, verdict(f).reason)
        f[3] = String(f[3].dropFirst("bitcoincash:".count))
        XCTAssertEqual(verdict(f).verdict, .verified, "bare cashaddr")
    }

    /// Q9: a case-changed SOL address (a different key's address in base58) (OKX: success).
    func testCaseChangedBase58AddressFails() throws {
        var f = try corpusFields(146)
        f[3] = String(f[3].map { $0.isUppercase ? Character($0.lowercased()) : Character($0.uppercased()) })
        XCTAssertEqual(verdict(f).verdict, .failed)
    }

    func lineOf(caseID: String) throws -> Int? {
        let text = try String(contentsOf: ExpectedVerdictTests.fixtures.appendingPathComponent("expected.csv"), encoding: .utf8)
        for row in text.components(separatedBy: .newlines) where row.contains(",\(caseID),") && row.hasPrefix("por_11col.csv,") {
            return Int(row.split(separator: ",")[2])
        }
        return nil
    }
}
