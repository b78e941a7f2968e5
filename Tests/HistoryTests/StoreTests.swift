import Foundation
import GRDB
import XCTest
import Hashing
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

    /// peak resident memory of this process so far (getrusage), in bytes.
    func peakResident() -> Int {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return usage.ru_maxrss * 1024
    }

    /// Files kept from disk (above 8 MiB) are hashed and copied in pieces: the same bytes and name as keeping
    /// them from memory, 0600, nothing rewritten when already kept, and a copy back out checked.
    func testKeepingAFileFromDiskStreamsItAndCopiesItBackChecked() throws {
        let store = try Store(directory: dir)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        // 9.5 MiB of varied bytes (above the size read whole): 1 MiB pieces and a partial last one.
        var bytes = [UInt8](repeating: 0, count: 9 * (1 << 20) + 524_301)
        var x: UInt32 = 12345
        for i in bytes.indices { x = x &* 1_103_515_245 &+ 12345; bytes[i] = UInt8(truncatingIfNeeded: x >> 16) }
        let source = dir.appendingPathComponent("list.csv")
        try Data(bytes).write(to: source)
        let kept = try store.keep(fileAt: source.path)
        XCTAssertEqual(kept.sha256, Hex.encode(SHA256.hash(Data(bytes))))
        XCTAssertEqual(kept.size, Int64(bytes.count))
        let url = store.keptFileURL(sha256: kept.sha256)
        XCTAssertEqual(try Data(contentsOf: url), Data(bytes))
        let mode = try XCTUnwrap(FileManager.default.attributesOfItem(atPath: url.path)[.posixPermissions] as? NSNumber)
        XCTAssertEqual(mode.intValue & 0o777, 0o600)
        // Kept again: found by its hash, not written again.
        let before = try XCTUnwrap(FileManager.default.attributesOfItem(atPath: url.path)[.modificationDate] as? Date)
        Thread.sleep(forTimeInterval: 0.02)
        XCTAssertEqual(try store.keep(fileAt: source.path).sha256, kept.sha256)
        XCTAssertEqual(try FileManager.default.attributesOfItem(atPath: url.path)[.modificationDate] as? Date, before)
        XCTAssertEqual(try store.keep(data: Data(bytes)).sha256, kept.sha256, "the same name as keeping the bytes")
        XCTAssertEqual(try Store.digest(ofFileAt: source.path).sha256, kept.sha256)
        // A small file (read whole) gets the same name and bytes as its data would.
        let small = dir.appendingPathComponent("small.csv")
        try Data(bytes.prefix(100_000)).write(to: small)
        let keptSmall = try store.keep(fileAt: small.path)
        XCTAssertEqual(keptSmall.sha256, Hex.encode(SHA256.hash(Data(bytes.prefix(100_000)))))
        XCTAssertEqual(try Store.digest(ofFileAt: small.path).sha256, keptSmall.sha256)
        XCTAssertEqual(try Data(contentsOf: store.keptFileURL(sha256: keptSmall.sha256)), Data(bytes.prefix(100_000)))
        // Copied back out, checked, 0600; a damaged kept file is refused and leaves nothing behind.
        let out = dir.appendingPathComponent("copy.csv")
        try store.copyKept(sha256: kept.sha256, to: out)
        XCTAssertEqual(try Data(contentsOf: out), Data(bytes))
        XCTAssertEqual(try store.checkedKeptFile(sha256: kept.sha256), url)
        var damaged = bytes
        damaged[9_000_000] ^= 1
        try Data(damaged).write(to: url)
        let refused = dir.appendingPathComponent("refused.csv")
        XCTAssertThrowsError(try store.copyKept(sha256: kept.sha256, to: refused)) { error in
            XCTAssertTrue("\(error)".contains("no longer matches its SHA-256"), "\(error)")
        }
        XCTAssertThrowsError(try store.checkedKeptFile(sha256: kept.sha256))
        XCTAssertFalse(FileManager.default.fileExists(atPath: refused.path))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".tmp") }
        XCTAssertEqual(leftovers, [])
        XCTAssertThrowsError(try store.keep(fileAt: dir.appendingPathComponent("absent.csv").path)) { error in
            XCTAssertTrue("\(error)".contains("cannot be read to keep a copy"), "\(error)")
        }
    }

    /// Keeping a 160 MB file does not hold it in memory (a wallet list or a Merkle tree file can
    /// be hundreds of MB): this process's peak resident memory grows by far less than the file.
    func testKeepingALargeFileUsesLittleMemory() throws {
        let store = try Store(directory: dir)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let source = dir.appendingPathComponent("large.csv")
        let size = 160 << 20
        guard FileManager.default.createFile(atPath: source.path, contents: nil), let handle = FileHandle(forWritingAtPath: source.path) else {
            return XCTFail("cannot create \(source.path)")
        }
        let piece = Data((0..<(1 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) })
        for _ in 0..<(size >> 20) { handle.write(piece) }
        handle.closeFile()
        let peakBefore = peakResident()
        let kept = try store.keep(fileAt: source.path)
        XCTAssertEqual(kept.size, Int64(size))
        XCTAssertLessThan(peakResident() - peakBefore, 32 << 20, "peak memory grew with the file's size")
        try store.copyKept(sha256: kept.sha256, to: dir.appendingPathComponent("back.csv"))
        XCTAssertLessThan(peakResident() - peakBefore, 32 << 20, "peak memory grew with the file's size")
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
