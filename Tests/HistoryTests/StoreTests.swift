import Foundation
import GRDB
import XCTest
@testable import History

final class StoreTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("porcheck-store-\(UUID().uuidString)")
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: dir)
    }

    func sampleCheck(kind: String = "inclusion", round: String = "1001", verdict: String = "passed", at date: Date = Date()) -> Store.NewCheck {
        Store.NewCheck(
            check: CheckRecord(kind: kind, format: "zk-stark-v2", round: round, startedAt: date, finishedAt: date,
                               verdict: verdict, origin: "test", summary: "1 \(verdict)"),
            results: [ResultRecord(checkID: 0, position: 0, file: "a_inclusion_proof.json", format: "zk-stark-v2",
                                   constraint: "inclusion", verdict: verdict, reason: "because", steps: ["one", "two"], warnings: ["w"])],
            accounts: [AccountRecord(checkID: 0, accountPrefix: "b2337017", equityTotal: "12", debtTotal: "3",
                                     perToken: ["BTC": ["12", "3"]])])
    }

    func testRecordsListFiltersAndShowsChecks() throws {
        let store = try Store(directory: dir)
        let old = try store.record(sampleCheck(round: "1000", verdict: "failed", at: Date(timeIntervalSinceNow: -40 * 86400)))
        let new = try store.record(sampleCheck())
        XCTAssertEqual(try store.checks().map(\.id), [new, old], "newest first")
        XCTAssertEqual(try store.checks(Store.Filter(failedOnly: true)).map(\.id), [old])
        XCTAssertEqual(try store.checks(Store.Filter(round: "1001")).map(\.id), [new])
        XCTAssertEqual(try store.checks(Store.Filter(since: Date(timeIntervalSinceNow: -86400))).map(\.id), [new])
        XCTAssertEqual(try store.checks(Store.Filter(kind: "wallets")).count, 0)
        let detail = try XCTUnwrap(try store.detail(id: new))
        XCTAssertEqual(detail.results.first?.stepList, ["one", "two"])
        XCTAssertEqual(detail.results.first?.warningList, ["w"])
        XCTAssertEqual(detail.accounts.first?.perTokenMap, ["BTC": ["12", "3"]])
        XCTAssertNil(try store.detail(id: 999))
    }

    func testKeptFilesAreContentAddressedPrivateAndChecked() throws {
        let store = try Store(directory: dir)
        let data = Data("{\"hello\":1}".utf8)
        let kept = try store.keep(data: data)
        XCTAssertEqual(kept.sha256, "0ea09e73d0357bb61ddf17c9e622566c90016909939ebeb446d21c558c9d2c0a", "named by SHA-256 (value from sha256sum)")
        XCTAssertEqual(kept.size, 11)
        XCTAssertEqual(try store.keptData(sha256: kept.sha256), data)
        let url = store.keptFileURL(sha256: kept.sha256)
        let mode = try XCTUnwrap(FileManager.default.attributesOfItem(atPath: url.path)[.posixPermissions] as? NSNumber)
        XCTAssertEqual(mode.intValue & 0o777, 0o600)
        let dirMode = try XCTUnwrap(FileManager.default.attributesOfItem(atPath: dir.path)[.posixPermissions] as? NSNumber)
        XCTAssertEqual(dirMode.intValue & 0o777, 0o700)
        let dbMode = try XCTUnwrap(FileManager.default.attributesOfItem(atPath: store.databasePath)[.posixPermissions] as? NSNumber)
        XCTAssertEqual(dbMode.intValue & 0o777, 0o600)
        // A changed kept file is reported, not used.
        try Data("{\"hello\":2}".utf8).write(to: url)
        XCTAssertThrowsError(try store.keptData(sha256: kept.sha256)) { error in
            XCTAssertTrue("\(error)".contains("no longer matches its SHA-256"), "\(error)")
        }
        try FileManager.default.removeItem(at: url)
        XCTAssertThrowsError(try store.keptData(sha256: kept.sha256)) { error in
            XCTAssertTrue("\(error)".contains("missing"), "\(error)")
        }
    }

    func testKnownRootsFindTheRoundOfAPastedProof() throws {
        let store = try Store(directory: dir)
        let kept = try store.keep(data: Data("global".utf8))
        try store.rememberRoot("ab", format: "zk-stark-v2", round: "1001", sumProofSHA256: kept.sha256)
        XCTAssertEqual(try store.knownRoot("ab")?.round, "1001")
        XCTAssertNil(try store.knownRoot("cd"))
        try FileManager.default.removeItem(at: store.keptFileURL(sha256: kept.sha256))
        XCTAssertNil(try store.knownRoot("ab"), "a root whose kept proof is gone is no help")
    }

    func testDeletingACheckRemovesItsOrphanedFilesOnly() throws {
        let store = try Store(directory: dir)
        let shared = try store.keep(data: Data("shared".utf8))
        let own = try store.keep(data: Data("own".utf8))
        var a = sampleCheck()
        a.files = [FileRecord(checkID: 0, role: "sum-proof", originalPath: "/x", name: "x", sha256: shared.sha256, size: 6),
                   FileRecord(checkID: 0, role: "inclusion-proof", originalPath: "/y", name: "y", sha256: own.sha256, size: 3)]
        var b = sampleCheck()
        b.files = [FileRecord(checkID: 0, role: "sum-proof", originalPath: "/x", name: "x", sha256: shared.sha256, size: 6)]
        let idA = try store.record(a)
        _ = try store.record(b)
        XCTAssertTrue(try store.delete(id: idA))
        XCTAssertNil(try store.detail(id: idA))
        XCTAssertFalse(FileManager.default.fileExists(atPath: store.keptFileURL(sha256: own.sha256).path))
        XCTAssertTrue(FileManager.default.fileExists(atPath: store.keptFileURL(sha256: shared.sha256).path))
        try store.deleteEverything()
        XCTAssertEqual(try store.checks().count, 0)
        XCTAssertFalse(FileManager.default.fileExists(atPath: store.filesDirectory.path))
    }

    func testACorruptStoreIsAClearError() throws {
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try Data(repeating: 0x41, count: 4096).write(to: dir.appendingPathComponent("porcheck.sqlite"))
        XCTAssertThrowsError(try Store(directory: dir)) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("porcheck.sqlite"), text)
            XCTAssertTrue(text.contains("not an SQLite database") || text.contains("corrupt"), text)
            XCTAssertFalse(text.contains("\n"))
        }
    }

    func testReopeningKeepsEverything() throws {
        let id = try Store(directory: dir).record(sampleCheck())
        let reopened = try Store(directory: dir)
        XCTAssertEqual(try reopened.detail(id: id)?.check.summary, "1 passed")
    }
}
