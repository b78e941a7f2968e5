import Foundation
import GRDB
import XCTest

/// History as a user comes back to it: re-run, diff, report, forget, and a store shared by
/// several processes.
final class HistoryCommandsTests: XCTestCase {
    var porcheck: PorcheckProcess!
    let v2 = PorcheckProcess.fixtures.appendingPathComponent("por-v2")

    override func setUpWithError() throws { porcheck = PorcheckProcess() }
    override func tearDownWithError() throws { porcheck.cleanUp() }

    var store: URL { porcheck.dataDir.appendingPathComponent("porcheck.sqlite") }

    func history() throws -> [[String: Any]] {
        let r = try porcheck.run(["history", "--json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        return try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]])
    }

    func testRerunFromKeptFilesAndLastMonth() throws {
        try porcheck.run(["verify", v2.appendingPathComponent("two-level").path])
        // Pretend the check was made 40 days ago.
        let db = try DatabaseQueue(path: store.path)
        try db.write { try $0.execute(sql: "UPDATE checks SET started_at = datetime('now', '-40 days') WHERE id = 1") }
        try db.close()
        try porcheck.run(["verify", v2.appendingPathComponent("one-level/sum_proof_data.json").path])

        let rerun = try porcheck.run(["rerun", "--last-month", "--json"])
        XCTAssertEqual(rerun.status, 0, rerun.stderr)
        let top = try PorcheckProcess.json(rerun.stdout)
        XCTAssertEqual(top["rerun_of"] as? Int, 1)
        XCTAssertEqual(top["changed"] as? Bool, false)
        let checks = try XCTUnwrap(top["checks"] as? [[String: Any]])
        XCTAssertEqual(checks.count, 7)
        // The re-run names the files as the user gave them, not the scratch copies.
        XCTAssertTrue(checks.allSatisfy { ($0["file"] as? String ?? "").hasPrefix(v2.appendingPathComponent("two-level").path) })
        let entries = try history()
        XCTAssertEqual(entries.first?["rerun_of"] as? Int, 1)
        XCTAssertEqual(entries.first?["origin"] as? String, "rerun")

        let text = try porcheck.run(["rerun", "1"])
        XCTAssertTrue(text.stdout.contains("The verdict is unchanged"), text.stdout)
    }

    /// Recording a global proof remembers the root it commits to (in the check's transaction), so
    /// an inclusion proof given alone later is checked against the kept global proof.
    func testALaterInclusionProofFindsTheKeptGlobalProof() throws {
        let folder = v2.appendingPathComponent("one-level")
        XCTAssertEqual(try porcheck.run(["verify", folder.appendingPathComponent("sum_proof_data.json").path]).status, 0)
        let alone = try porcheck.run(["verify", "--no-record", folder.appendingPathComponent("idx099_batch6_lastuser_padded_inclusion_proof.json").path])
        XCTAssertEqual(alone.status, 0, alone.stderr)
        XCTAssertTrue(alone.stdout.contains("used the global proof kept in the history store for round 1001"), alone.stdout)
    }

    func testRerunSaysPlainlyWhenAKeptFileIsGoneOrChanged() throws {
        try porcheck.run(["verify", v2.appendingPathComponent("one-level/sum_proof_data.json").path,
                          v2.appendingPathComponent("one-level/idx000_batch0_first_inclusion_proof.json").path])
        // The files were kept under their SHA-256 (hashed while they were parsed): a re-run reads
        // them back and checks that.
        XCTAssertEqual(try porcheck.run(["rerun", "1"]).status, 0)
        let files = porcheck.dataDir.appendingPathComponent("files")
        let kept = try XCTUnwrap(FileManager.default.enumerator(at: files, includingPropertiesForKeys: nil)?
            .compactMap { $0 as? URL }.filter { !$0.hasDirectoryPath && $0.lastPathComponent.count == 64 })
        XCTAssertEqual(kept.count, 2)
        let small = try XCTUnwrap(kept.min { (try? Data(contentsOf: $0).count) ?? 0 < (try? Data(contentsOf: $1).count) ?? 0 })
        try Data("tampered".utf8).write(to: small)
        let changed = try porcheck.run(["rerun", "1"])
        XCTAssertEqual(changed.status, 2)
        XCTAssertTrue(changed.stderr.contains("no longer matches its SHA-256"), changed.stderr)
        try FileManager.default.removeItem(at: small)
        let missing = try porcheck.run(["rerun", "1"])
        XCTAssertEqual(missing.status, 2)
        XCTAssertTrue(missing.stderr.contains("the kept file is missing"), missing.stderr)
        XCTAssertEqual(try history().count, 2, "a failed re-run records nothing")
    }

    func testDiffShowsBalancesTotalsAndTrend() throws {
        try porcheck.run(["verify", v2.appendingPathComponent("one-level/sum_proof_data.json").path,
                          v2.appendingPathComponent("one-level/idx050_batch3_middle_inclusion_proof.json").path])
        try porcheck.run(["verify", v2.appendingPathComponent("one-level/sum_proof_data.json").path,
                          v2.appendingPathComponent("one-level/tampered/idx050_equity_moved_between_tokens_sum_kept_inclusion_proof.json").path])
        let diff = try porcheck.run(["diff"])
        XCTAssertEqual(diff.status, 0, diff.stderr)
        XCTAssertTrue(diff.stdout.contains("Changes from #1"), diff.stdout)
        XCTAssertTrue(diff.stdout.contains("equity 5502042280169 (unchanged)"), diff.stdout)
        XCTAssertTrue(diff.stdout.contains("Account b2337017…: equity 53878446659 (unchanged)"), diff.stdout)
        // The tampered file moved one unit between two tokens: the diff shows both.
        let tokenLines = diff.stdout.split(separator: "\n").filter { $0.hasPrefix("    ") }
        XCTAssertEqual(tokenLines.count, 2, diff.stdout)
        XCTAssertTrue(tokenLines.contains { $0.contains("(+1)") } && tokenLines.contains { $0.contains("(-1)") }, diff.stdout)
        XCTAssertTrue(diff.stdout.contains("Your net balance over 2 checks: "), diff.stdout)
        let bad = try porcheck.run(["diff", "1"])
        XCTAssertEqual(bad.status, 2)
    }

    func testReportsInEveryFormatAndRedacted() throws {
        try porcheck.run(["verify", v2.appendingPathComponent("one-level/sum_proof_data.json").path,
                          v2.appendingPathComponent("one-level/idx050_batch3_middle_inclusion_proof.json").path])
        let md = try porcheck.run(["report", "1"])
        XCTAssertTrue(md.stdout.contains("| idx050_batch3_middle_inclusion_proof.json | inclusion | **passed** |"), md.stdout)
        XCTAssertTrue(md.stdout.contains("b2337017"))
        XCTAssertFalse(md.stdout.contains(v2.path), "no local paths in a report to share")
        let redacted = try porcheck.run(["report", "1", "--redact", "--format", "html"])
        XCTAssertTrue(redacted.stdout.hasPrefix("<!DOCTYPE html>"))
        XCTAssertFalse(redacted.stdout.contains("b2337017"))
        XCTAssertFalse(redacted.stdout.contains("53878446659"))
        let out = porcheck.dataDir.appendingPathComponent("r.json")
        let json = try porcheck.run(["report", "1", "--format", "json", "-o", out.path])
        XCTAssertEqual(json.status, 0, json.stderr)
        let top = try PorcheckProcess.json(try String(contentsOf: out, encoding: .utf8))
        XCTAssertEqual((top["reports"] as? [[String: Any]])?.first?["verdict"] as? String, "passed")
        XCTAssertEqual(try porcheck.run(["report", "9"]).status, 2)
        XCTAssertEqual(try porcheck.run(["report", "1", "--format", "pdf"]).status, 2)
    }

    func testForgetNeedsConfirmationAndDeletesKeptFiles() throws {
        try porcheck.run(["verify", v2.appendingPathComponent("one-level").path])
        try porcheck.run(["verify", v2.appendingPathComponent("two-level").path])
        let refused = try porcheck.run(["forget", "1"])
        XCTAssertEqual(refused.status, 2)
        XCTAssertTrue(refused.stderr.contains("without --yes"), refused.stderr)
        XCTAssertEqual(try history().count, 2)
        XCTAssertEqual(try porcheck.run(["forget", "1", "--yes"]).status, 0)
        XCTAssertEqual(try history().map { $0["id"] as? Int }, [2])
        XCTAssertEqual(try porcheck.run(["forget", "--all", "--yes"]).status, 0)
        XCTAssertEqual(try history().count, 0)
        XCTAssertFalse(FileManager.default.fileExists(atPath: porcheck.dataDir.appendingPathComponent("files").path))
    }

    /// Several processes recording at once: every check lands, the store stays consistent.
    func testConcurrentWritersLoseNothing() throws {
        let writers = 4, each = 3
        let group = DispatchGroup()
        for _ in 0..<writers {
            group.enter()
            let p = porcheck!
            let path = v2.appendingPathComponent("one-level").path
            DispatchQueue.global().async {
                for _ in 0..<each { _ = try? p.run(["verify", path]) }
                group.leave()
            }
        }
        group.wait()
        let entries = try history()
        XCTAssertEqual(entries.count, writers * each)
        XCTAssertEqual(Set(entries.compactMap { $0["id"] as? Int }).count, writers * each)
        let db = try DatabaseQueue(path: store.path)
        try db.read { db in
            XCTAssertEqual(try String.fetchOne(db, sql: "PRAGMA integrity_check"), "ok")
            XCTAssertEqual(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM check_results"), writers * each * 7)
        }
    }

    /// `verify` leaves its commit in the write-ahead log; the next one copies the log into the
    /// database and starts it afresh, so the log stays the size of one check, however many run.
    func testTheWriteAheadLogStaysSmall() throws {
        let path = v2.appendingPathComponent("one-level").path
        let wal = porcheck.dataDir.appendingPathComponent("porcheck.sqlite-wal")
        func walSize() throws -> Int {
            try XCTUnwrap(FileManager.default.attributesOfItem(atPath: wal.path)[.size] as? NSNumber).intValue
        }
        XCTAssertEqual(try porcheck.run(["verify", path]).status, 0)
        XCTAssertEqual(try porcheck.run(["verify", path]).status, 0)
        let one = try walSize()
        for _ in 0..<10 { XCTAssertEqual(try porcheck.run(["verify", path]).status, 0) }
        XCTAssertLessThanOrEqual(try walSize(), 2 * one, "the log grows with every check")
        XCTAssertEqual(try history().count, 12)
    }

    /// A process killed at random points leaves a consistent store and no partial files.
    func testKillNineLeavesAConsistentStore() throws {
        var generator = SystemRandomNumberGenerator()
        for round in 0..<6 {
            let process = Process()
            process.executableURL = PorcheckProcess.binary
            process.arguments = ["verify", v2.appendingPathComponent("two-level").path, "--data-dir", porcheck.dataDir.path]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            usleep(UInt32.random(in: 2_000...(round < 3 ? 40_000 : 120_000), using: &generator))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        // The next run cleans up whatever a killed process left half-written, and works.
        let after = try porcheck.run(["verify", v2.appendingPathComponent("one-level").path])
        XCTAssertEqual(after.status, 0, after.stderr)
        let db = try DatabaseQueue(path: store.path)
        try db.read { db in
            XCTAssertEqual(try String.fetchOne(db, sql: "PRAGMA integrity_check"), "ok")
            // Every recorded check is whole: results and files or none at all.
            let partial = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM checks c WHERE NOT EXISTS (SELECT 1 FROM check_results r WHERE r.check_id = c.id)")
            XCTAssertEqual(partial, 0)
        }
        let leftovers = FileManager.default.enumerator(at: porcheck.dataDir, includingPropertiesForKeys: nil)?
            .compactMap { $0 as? URL }.filter { $0.lastPathComponent.hasSuffix(".tmp") } ?? []
        XCTAssertEqual(leftovers, [])
        // Every kept file still has its hash as its name.
        for check in try history() {
            let show = try porcheck.run(["history", "show", String(check["id"] as? Int ?? 0)])
            XCTAssertFalse(show.stdout.contains("kept copy missing"), show.stdout)
        }
    }
}
