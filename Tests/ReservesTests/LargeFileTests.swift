import Foundation
import XCTest
@testable import Reserves

/// The 50,000-row performance file (stored zipped, read through the zip source): every row
/// verified and the totals equal to large_50k_expected_summary.json.
final class LargeFileTests: XCTestCase {
    func testFiftyThousandRowsAllVerifiedWithExpectedTotals() throws {
        let fixtures = ExpectedVerdictTests.fixtures
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("reserves-50k-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: work) }
        let csv = try WalletListSource.file(fixtures.appendingPathComponent("large_50k_por_11col.zip")).resolve(workFolder: work)
        XCTAssertEqual(csv.lastPathComponent, "large_50k_por_11col.csv")
        var lastLine = 0
        var outOfOrder = 0
        let summary = try WalletListVerifier.verify(file: csv) { row in
            if row.line <= lastLine { outOfOrder += 1 }
            lastLine = row.line
        }
        XCTAssertEqual(outOfOrder, 0)
        let expectedData = try Data(contentsOf: fixtures.appendingPathComponent("large_50k_expected_summary.json"))
        guard let expected = try JSONSerialization.jsonObject(with: expectedData) as? [String: Any],
              let perCoin = expected["per_coin"] as? [String: [String: Any]],
              let perUnit = expected["per_unit_total"] as? [String: String] else {
            return XCTFail("large_50k_expected_summary.json has an unexpected shape")
        }
        XCTAssertEqual(summary.layout, .report11)
        XCTAssertEqual(summary.rows, 50_000)
        XCTAssertEqual(summary.verified, 50_000)
        XCTAssertEqual(summary.failed + summary.unproven + summary.skipped, 0)
        for (coin, values) in perCoin {
            let groups = summary.groups.filter { $0.coin == coin }
            XCTAssertEqual(groups.reduce(0) { $0 + $1.rows }, values["rows"] as? Int, coin)
            XCTAssertEqual(groups.reduce(0) { $0 + $1.verified }, values["pass"] as? Int, coin)
            let sum = groups.reduce(ExactDecimal.zero) { $0 + $1.amountVerified }
            XCTAssertEqual(sum.description, values["amount_sum"] as? String, coin)
        }
        XCTAssertEqual(Set(summary.groups.map(\.coin)), Set(perCoin.keys))
        for (unit, total) in perUnit {
            guard let u = summary.units.first(where: { $0.unit == unit }) else { XCTFail("no unit \(unit)"); continue }
            XCTAssertEqual(u.amountAllRows.description, total, unit)
            XCTAssertEqual(u.amountVerified.description, total, unit)
            XCTAssertEqual(u.claimed?.description, total, "\(unit): summary block")
            XCTAssertEqual(u.claimedMatchesRows, true, unit)
        }
        let rounded = expected["per_unit_total_rounded_2"] as? [String: String] ?? [:]
        for (unit, text) in rounded {
            XCTAssertEqual(summary.units.first { $0.unit == unit }?.amountAllRows.rounded(places: 2), text, unit)
        }
    }
}
