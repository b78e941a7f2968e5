import Foundation
import GRDB
import XCTest
@testable import History

/// The store's own SQL and JSON writing gives the rows GRDB's Codable records and Foundation's
/// JSONEncoder gave.
final class RecordWritingTests: XCTestCase {
    func sample() -> Store.NewCheck {
        let date = Date(timeIntervalSince1970: 1_733_050_000.123)
        return Store.NewCheck(
            check: CheckRecord(kind: "inclusion", format: "zk-stark-v2", round: "1001", startedAt: date,
                               finishedAt: date.addingTimeInterval(0.5), verdict: "failed", rerunOf: nil, origin: "verify", summary: "1 passed, 1 failed"),
            results: [
                ResultRecord(checkID: 0, position: 0, file: "/a/sum_proof_data.json", format: "zk-stark-v2", constraint: "sum",
                             verdict: "passed", reason: "ok \"quoted\" / slash", steps: ["one", "two\nlines\t\u{1}"], warnings: []),
                ResultRecord(checkID: 0, position: 1, file: "b_inclusion_proof.json", format: "zk-stark-v2", constraint: "inclusion",
                             verdict: "failed", reason: "é😀", steps: [], warnings: ["w"]),
            ],
            files: [FileRecord(checkID: 0, role: "sum-proof", originalPath: "/a/sum_proof_data.json", name: "sum_proof_data.json",
                               sha256: String(repeating: "ab", count: 32), size: 579_156)],
            accounts: [AccountRecord(checkID: 0, accountPrefix: "b2337017", equityTotal: "53878446659", debtTotal: "0",
                                     perToken: ["BTC": ["1", "0"], "#10": ["2", "3"], "#9": ["4", "5"], "e\u{301}x": ["6", "7"], "ea": ["8", "9"], "/": ["\\", "\""]])],
            totals: [TotalsRecord(checkID: 0, round: "1001", equity: "10", debt: "4", net: "6", verified: true)],
            knownRoots: [Store.KnownRoot(root: "r00t", format: "zk-stark-v2", round: "1001", sumProofSHA256: String(repeating: "ab", count: 32))])
    }

    func rows(_ db: Database) throws -> [String] {
        var out = [String]()
        for table in ["checks", "check_results", "check_files", "check_accounts", "check_totals", "known_roots"] {
            for row in try Row.fetchAll(db, sql: "SELECT * FROM \(table) ORDER BY rowid") {
                out.append("\(table): " + row.map { "\($0.0)=\($0.1.storage)" }.joined(separator: " "))
            }
        }
        return out
    }

    func testStoreInsertWritesTheRowsCodableRecordsWrote() throws {
        let new = sample()
        let queue = try DatabaseQueue()
        try Store.migrator.migrate(queue)
        // The way the store wrote a check before: each record's Codable insert.
        let viaRecords = try queue.write { db -> [String] in
            var check = new.check
            try check.insert(db)
            let id = try XCTUnwrap(check.id)
            for var r in new.results { r.checkID = id; try r.insert(db) }
            for var f in new.files { f.checkID = id; try f.insert(db) }
            for var a in new.accounts { a.checkID = id; try a.insert(db) }
            for var t in new.totals { t.checkID = id; try t.insert(db) }
            for r in new.knownRoots { try Store.remember(r, db) }
            return try rows(db)
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("porcheck-rows-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try Store(directory: dir)
        let id = try store.record(new)
        XCTAssertEqual(id, 1)
        let viaStore = try store.read { db in try rows(db) }
        XCTAssertEqual(viaStore, viaRecords)
    }

    func testJSONTextIsWhatJSONEncoderWrites() throws {
        var generator = SystemRandomNumberGenerator()
        let alphabet: [Unicode.Scalar] = (0..<0x80).compactMap { Unicode.Scalar($0) }
            + ["é", "€", "😀", "\u{2028}", "\u{301}", "\u{FF5A}", "\u{E000}", "\u{D7FF}", "\u{7F}"]
        func randomString() -> String {
            var s = String.UnicodeScalarView()
            for _ in 0..<Int.random(in: 0...12, using: &generator) { s.append(alphabet.randomElement(using: &generator) ?? "a") }
            return String(s)
        }
        let sorted = JSONEncoder()
        sorted.outputFormatting = [.sortedKeys]
        for _ in 0..<300 {
            let list = (0..<Int.random(in: 0...5, using: &generator)).map { _ in randomString() }
            XCTAssertEqual(RecordJSON.array(list), String(decoding: try JSONEncoder().encode(list), as: UTF8.self))
            var map = [String: [String]]()
            for _ in 0..<Int.random(in: 0...8, using: &generator) { map[randomString()] = [randomString(), randomString()] }
            XCTAssertEqual(RecordJSON.object(map), String(decoding: try sorted.encode(map), as: UTF8.self))
        }
        let allASCII = String(String.UnicodeScalarView(alphabet))
        XCTAssertEqual(RecordJSON.array([allASCII]), String(decoding: try JSONEncoder().encode([allASCII]), as: UTF8.self))
    }
}

final class StoredDateTests: XCTestCase {
    /// The store's date text is GRDB's (DateFormatter's) for dates around now, whole and
    /// fractional milliseconds, day and year boundaries, leap days and far years.
    func testDateTextIsGRDBs() throws {
        var generator = SystemRandomNumberGenerator()
        var dates = [Date(), Date(timeIntervalSince1970: 0), Date(timeIntervalSince1970: 951_782_400), // 2000-02-29
                     Date(timeIntervalSince1970: 1_735_689_599.9999), Date(timeIntervalSince1970: 1_735_689_600.0005),
                     Date(timeIntervalSince1970: -1.5), Date(timeIntervalSince1970: 4_102_444_800.999)]
        for _ in 0..<20_000 {
            dates.append(Date(timeIntervalSince1970: Double.random(in: -2_000_000_000...8_000_000_000, using: &generator)))
        }
        // Exactly half a millisecond, after and before 1970 (the formatter rounds half up).
        for halfway in [1_700_000_000_000.5, 1_700_000_000_001.5, -1_945_088_528_462.5, -0.5, 0.5] {
            dates.append(Date(timeIntervalSinceReferenceDate: halfway / 1000 - 978_307_200))
        }
        for _ in 0..<5_000 {
            // Exact milliseconds and values just below and above them (the cut, not rounding).
            let ms = Double(Int64.random(in: 1_600_000_000_000...2_000_000_000_000, using: &generator))
            for delta in [0.0, -0.0001, 0.0001, 0.4999, 0.5, 0.9999] {
                dates.append(Date(timeIntervalSince1970: (ms + delta) / 1000))
            }
        }
        for date in dates {
            let grdb = date.databaseValue.storage.value as? String
            XCTAssertEqual(StoredDate.text(date), grdb, "\(date.timeIntervalSinceReferenceDate)")
        }
    }
}
