import Foundation
import XCTest
@testable import Reserves

/// Inputs that are not wallet lists, or rows that are malformed, become clear errors, never traps.
final class BadInputTests: XCTestCase {
    var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("reserves-bad-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: folder) }

    func write(_ name: String, _ bytes: [UInt8]) throws -> URL {
        let url = folder.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url
    }

    func write(_ name: String, _ text: String) throws -> URL { try write(name, Array(text.utf8)) }

    func rows(_ url: URL) throws -> (WalletSummary, [VerifiedRow]) {
        var out = [VerifiedRow]()
        let summary = try WalletListVerifier.verify(file: url) { out.append($0) }
        return (summary, out)
    }

    func assertInputError(_ url: URL, contains text: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try WalletListVerifier.verify(file: url), file: file, line: line) { error in
            guard let inputError = error as? WalletInputError else { return XCTFail("unexpected \(error)", file: file, line: line) }
            XCTAssertTrue(inputError.message.contains(text), inputError.message, file: file, line: line)
        }
    }

    /// A real row from the corpus (por_11col.csv line 40, BTC P2PKH) to build variants from.
    func realRow() throws -> String {
        let text = try String(contentsOf: ExpectedVerdictTests.fixtures.appendingPathComponent("por_11col.csv"), encoding: .utf8)
        return String(text.split(separator: "\n", omittingEmptySubsequences: false)[39])
    }

    static let header = "coin,Network,Snapshot Height,address,amount,message,signature1,signature2,redeem script/ public key, eoa1, eoa2"

    func testHTMLInsteadOfCSV() throws {
        assertInputError(try write("page.csv", "<!DOCTYPE html>\n<html><body>Access denied</body></html>\n"), contains: "HTML page")
    }

    func testWrongDelimiter() throws {
        assertInputError(try write("semi.csv", "coin;snapshot height;amount\nBTC;-;1\n"), contains: "';' as delimiter")
        assertInputError(try write("tab.csv", "coin\tsnapshot height\tamount\n"), contains: "tab-separated")
    }

    func testEmptyAndMissingFiles() throws {
        assertInputError(try write("empty.csv", ""), contains: "is empty")
        assertInputError(folder.appendingPathComponent("absent.csv"), contains: "cannot open")
        assertInputError(try write("nosep.csv", "coin,snapshot height,amount\nBTC,-,1\n"), contains: "no blank line")
    }

    func testBOMAndCRLFAreAccepted() throws {
        let text = "coin,snapshot height,amount\r\nBTC,-,1\r\n\r\n" + Self.header + "\r\n" + (try realRow()) + "\r\n"
        let url = try write("bom.csv", [0xEF, 0xBB, 0xBF] + Array(text.utf8))
        let (summary, rows) = try rows(url)
        XCTAssertEqual(rows.count, 1)
        XCTAssertEqual(rows.first?.outcome.verdict, .verified, rows.first?.outcome.reason ?? "")
        XCTAssertEqual(rows.first?.line, 5)
        XCTAssertEqual(summary.units.first?.claimed?.description, "1")
    }

    func testNonUTF8RowIsARowErrorWithLineAndColumn() throws {
        let good = try realRow()
        var bytes = Array(("coin,snapshot height,amount\nBTC,-,1\n\n" + Self.header + "\n").utf8)
        bytes += Array("BTC,BTC,1,addr\u{0}".utf8).dropLast() + [0xFF, 0xFE] + Array(",1,m,s,,,,\n".utf8)
        bytes += Array((good + "\n").utf8)
        let (_, rows) = try rows(try write("latin.csv", bytes))
        XCTAssertEqual(rows.count, 2)
        XCTAssertEqual(rows[0].line, 5)
        XCTAssertEqual(rows[0].outcome.verdict, .failed)
        XCTAssertTrue(rows[0].outcome.reason.contains("line 5 column 4"), rows[0].outcome.reason)
        XCTAssertTrue(rows[0].outcome.reason.contains("UTF-8"))
        XCTAssertEqual(rows[1].outcome.verdict, .verified)
    }

    func testQuotedFieldsWithCommasBracketsAndNewlines() throws {
        let good = try realRow()
        let quoted = "ETH,ETH,1,\"0xab,\ncd\",1,\"I am [an] OKX, address\",0x00,,,,\n"
        let text = "coin,snapshot height,amount\nBTC,-,1\n\n" + Self.header + "\n" + quoted + good + "\n"
        let (_, rows) = try rows(try write("quoted.csv", text))
        XCTAssertEqual(rows.count, 2)
        XCTAssertEqual(rows[0].line, 5)
        XCTAssertEqual(rows[0].address, "0xab,\ncd")
        XCTAssertEqual(rows[0].outcome.verdict, .failed)
        XCTAssertEqual(rows[1].line, 7, "the quoted newline counts as a physical line")
        XCTAssertEqual(rows[1].outcome.verdict, .verified)
    }

    func testShortRowAndBadAmountAreRowErrors() throws {
        let text = "coin,snapshot height,amount\nBTC,-,1\n\n" + Self.header + "\nBTC,BTC,1\nBTC,BTC,1,addr, 1.5,m,s,,,,\n"
        let (_, rows) = try rows(try write("short.csv", text))
        XCTAssertEqual(rows.map(\.outcome.verdict), [.failed, .failed])
        XCTAssertTrue(rows[0].outcome.reason.contains("3 columns"))
        XCTAssertTrue(rows[1].outcome.reason.contains("not a decimal"))
    }

    func testHugeLineIsCappedNotLoaded() throws {
        let url = folder.appendingPathComponent("huge.csv")
        FileManager.default.createFile(atPath: url.path, contents: nil)
        let handle = try FileHandle(forWritingTo: url)
        try handle.write(contentsOf: Data(("coin,snapshot height,amount\nBTC,-,1\n\n" + Self.header + "\nBTC,BTC,1,").utf8))
        // 64 MiB line without a newline (the cap is 1 MiB; a 1 GB line is handled the same way).
        let block = Data(repeating: UInt8(ascii: "A"), count: 1 << 20)
        for _ in 0..<64 { try handle.write(contentsOf: block) }
        try handle.write(contentsOf: Data(("\n" + (try realRow()) + "\n").utf8))
        try handle.close()
        let (_, rows) = try rows(url)
        XCTAssertEqual(rows.count, 2)
        XCTAssertEqual(rows[0].outcome.verdict, .failed)
        XCTAssertTrue(rows[0].outcome.reason.contains("longer than"), rows[0].outcome.reason)
        XCTAssertEqual(rows[1].line, 6)
        XCTAssertEqual(rows[1].outcome.verdict, .verified)
        if let peak = WalletBenchmark.peakResidentBytes() { XCTAssertLessThan(peak, 400 << 20) }
    }

    func testHugeFieldsFailWithoutQuadraticWork() throws {
        // 900 kB addresses (under the 1 MiB record cap) for base58 and cashaddr decoders.
        let long = String(repeating: "1", count: 900_000)
        var text = "coin,snapshot height,amount\nBTC,-,1\n\n" + Self.header + "\n"
        text += "BTC,BTC,1,\(long),1,m,H2jFcZs5zCCKbzPQ5/25/PMf8xXdvdnCiNMmtXem3GAgW2b4x9qdfYh9orv3b5oYm9p3suquseajCK0rBgZqpn8=,,,,\n"
        text += "TRX,TRX,1,T\(long),1,m,0x\(String(repeating: "11", count: 64))1b,,,,\n"
        text += "BCHN,BCH,1,q\(long),1,m,H2jFcZs5zCCKbzPQ5/25/PMf8xXdvdnCiNMmtXem3GAgW2b4x9qdfYh9orv3b5oYm9p3suquseajCK0rBgZqpn8=,,,,\n"
        let (_, rows) = try rows(try write("longfields.csv", text))
        XCTAssertEqual(rows.map(\.outcome.verdict), [.failed, .failed, .failed])
        for row in rows { XCTAssertLessThan(row.outcome.reason.count, 200, row.outcome.reason) }
    }

    func testDamagedZipIsAClearError() throws {
        let url = try write("bad.zip", [0x50, 0x4B, 0x03, 0x04] + [UInt8](repeating: 7, count: 100))
        XCTAssertThrowsError(try WalletListSource.file(url).resolve(workFolder: folder)) { error in
            XCTAssertTrue("\(error)".contains("not a readable zip"), "\(error)")
        }
    }

    func testJSONLinesAndFailedRowsCSV() throws {
        let corpus = ExpectedVerdictTests.fixtures.appendingPathComponent("por_12col_staking.csv")
        var lines = [String]()
        let failedURL = folder.appendingPathComponent("failed.csv")
        let writer = try FailedRowsCSVWriter(url: failedURL)
        let summary = try WalletListVerifier.verify(file: corpus) { row in
            lines.append(WalletJSONLines.row(row))
            try writer.add(row)
        }
        lines.append(try WalletJSONLines.summary(summary))
        XCTAssertEqual(lines.count, 13)
        for line in lines {
            XCTAssertNoThrow(try JSONSerialization.jsonObject(with: Data(line.utf8)), line)
        }
        guard let first = try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any] else { return XCTFail() }
        XCTAssertEqual(Set(first.keys), ["line", "coin", "network", "address", "verdict", "reason"])
        XCTAssertTrue(lines[12].hasPrefix("{\"summary\":"))
        let failed = try String(contentsOf: failedURL, encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(failed.count, 1 + summary.failed)
        XCTAssertEqual(summary.failed, 4)
    }

    func testJSONLinesStreamToFile() throws {
        let out = folder.appendingPathComponent("out.jsonl")
        FileManager.default.createFile(atPath: out.path, contents: nil)
        let handle = try FileHandle(forWritingTo: out)
        let failed = folder.appendingPathComponent("failed.csv")
        let summary = try WalletJSONLines.verify(file: ExpectedVerdictTests.fixtures.appendingPathComponent("por_11col.csv"),
                                                 to: handle, failedRowsCSV: failed)
        try handle.close()
        let lines = try String(contentsOf: out, encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(lines.count, 173)
        var previous = 0
        for line in lines.dropLast() {
            guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  let number = object["line"] as? Int else { return XCTFail("bad row line \(line)") }
            XCTAssertGreaterThan(number, previous)
            previous = number
        }
        guard let last = try JSONSerialization.jsonObject(with: Data((lines.last ?? "").utf8)) as? [String: Any],
              let body = last["summary"] as? [String: Any] else { return XCTFail("no summary object") }
        XCTAssertEqual(body["rows"] as? Int, 172)
        XCTAssertEqual(body["failed"] as? Int, summary.failed)
        XCTAssertEqual((body["verified"] as? Int ?? 0) + (body["unproven"] as? Int ?? 0), 86)
        XCTAssertEqual(body["skipped"] as? Int, 3)
        XCTAssertEqual(summary.failed, 83)
        XCTAssertEqual(try String(contentsOf: failed, encoding: .utf8).split(separator: "\n").count, 84)
    }

    func testOKXExampleSummaryBlockUnitAndCoinClaims() throws {
        let (summary, _) = try rows(ExpectedVerdictTests.fixtures.appendingPathComponent("okx_real/okx_por_example.csv"))
        XCTAssertEqual(summary.units.first { $0.unit == "ETH" }?.claimed?.description, "6")
        XCTAssertEqual(summary.coinClaims.first { $0.coin == "ETH" }?.claimed.description, "5.2834")
        XCTAssertTrue(summary.claimed.contains { $0.coin == "BTC" }, "BTC has no detail rows in this file")
        XCTAssertEqual(summary.units.first { $0.unit == "USDT" }?.claimed?.description, "5569", "USDT-TON row carries unit USDT")
    }

    func testSyntheticSummaryBlockMatchesRowTotals() throws {
        let (summary, _) = try rows(ExpectedVerdictTests.fixtures.appendingPathComponent("por_11col.csv"))
        XCTAssertFalse(summary.units.isEmpty)
        for unit in summary.units where unit.claimed != nil {
            XCTAssertEqual(unit.claimedMatchesRows, true, "\(unit.unit): claimed \(unit.claimed?.description ?? "") vs rows \(unit.amountAllRows)")
        }
        XCTAssertTrue(summary.claimed.isEmpty, "summary lines without detail rows: \(summary.claimed.map(\.coin))")
    }
}
