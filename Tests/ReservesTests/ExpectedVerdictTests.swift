import Foundation
import XCTest
@testable import Reserves

/// Every detail row of every corpus file gets the verdict expected.csv gives it.
final class ExpectedVerdictTests: XCTestCase {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/wallets")

    struct Expectation {
        let file: String, row: Int, line: Int, coin: String, network: String, address: String
        let expected: String, caseID: String
    }

    static func expectations() throws -> [Expectation] {
        let reader = try CSVRecordReader(url: fixtures.appendingPathComponent("expected.csv"))
        _ = try reader.next()
        var out = [Expectation]()
        while let record = try reader.next() {
            if record.isBlank { continue }
            let f = record.fields
            guard f.count >= 9, let row = Int(f[1]), let line = Int(f[2]) else {
                throw WalletInputError("expected.csv line \(record.line) malformed")
            }
            out.append(Expectation(file: f[0], row: row, line: line, coin: f[3], network: f[4], address: f[5],
                                   expected: f[6], caseID: f[8]))
        }
        return out
    }

    /// Schemes we do not implement: their rows are `skipped` with a reason, never verified.
    static func isKnownGap(_ row: VerifiedRow) -> Bool {
        row.outcome.verdict == .skipped && row.outcome.reason.contains("not implemented")
    }

    func testEveryCorpusRowGetsItsExpectedVerdict() throws {
        let all = try Self.expectations()
        XCTAssertEqual(all.count, 326)  // 172 + 12 + 65 + 5 + 3 + 9 + 60 (README's 354 is a miscount)
        var gaps = [String]()
        var unprovenNetworks = Set<String>()
        var checked = 0
        for file in Set(all.map(\.file)).sorted() {
            var rows = [Int: VerifiedRow]()
            var order = [Int]()
            _ = try WalletListVerifier.verify(file: Self.fixtures.appendingPathComponent(file)) { row in
                rows[row.line] = row
                order.append(row.line)
            }
            XCTAssertEqual(order, order.sorted(), "\(file): rows not in file order")
            let expected = all.filter { $0.file == file }
            XCTAssertEqual(rows.count, expected.count, "\(file): detail row count")
            for e in expected {
                guard let row = rows[e.line] else { XCTFail("\(file) line \(e.line) (\(e.caseID)) not reported"); continue }
                checked += 1
                let verdict = row.outcome.verdict
                if Self.isKnownGap(row) {
                    gaps.append("\(e.caseID) [\(e.expected)]")
                    continue
                }
                let ok: Bool
                switch e.expected {
                case "pass": ok = verdict == .verified || verdict == .unproven
                case "fail": ok = verdict == .failed
                default: ok = verdict == .skipped
                }
                XCTAssertTrue(ok, "\(file) line \(e.line) \(e.caseID): expected \(e.expected), got \(verdict.rawValue) (\(row.outcome.reason))")
                XCTAssertEqual(row.address, e.address, "\(e.caseID) address column")
                if verdict == .unproven { unprovenNetworks.insert(e.network) }
            }
        }
        XCTAssertEqual(checked, 326)
        // `unproven` only where the key cannot be bound to the address offline: public-key mode
        // (XRP, AVAX-X), EOS accounts, account-name ed25519 chains (NEAR, HBAR), StarkNet
        // accounts, and the test-layout owner2 without signature (ETH network).
        XCTAssertEqual(unprovenNetworks, ["XRP", "AVAX-X", "EOS", "Vaulta", "NEAR", "HBAR", "STARKNET", "ETH"])
        // Every scheme of the corpus is implemented: no row is skipped as "not implemented".
        XCTAssertEqual(gaps, [])
    }
}
