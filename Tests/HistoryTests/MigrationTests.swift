import Foundation
import GRDB
import XCTest
@testable import History

/// A store written by the earliest schema (v1) opens with today's code without losing anything.
final class MigrationTests: XCTestCase {
    func testAVersion1StoreMigratesWithoutLoss() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("porcheck-migrate-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let path = dir.appendingPathComponent("porcheck.sqlite").path

        // Make the store exactly as the first release did: only the v1 migration, data by SQL.
        let old = try DatabaseQueue(path: path)
        try Store.migrator.migrate(old, upTo: "v1: checks, results, files, accounts")
        try old.write { db in
            XCTAssertFalse(try db.tableExists("check_totals"))
            try db.execute(sql: """
                INSERT INTO checks (id, kind, format, round, started_at, finished_at, verdict, rerun_of, origin, summary)
                VALUES (7, 'inclusion', 'zk-stark-v2', '1001', '2024-10-01 10:00:00.000', '2024-10-01 10:00:01.000', 'passed', NULL, 'wizard', '1 passed');
                INSERT INTO check_results (check_id, position, file, format, "constraint", verdict, reason, steps, warnings)
                VALUES (7, 0, 'a_inclusion_proof.json', 'zk-stark-v2', 'inclusion', 'passed', 'ok', '["s1"]', '[]');
                INSERT INTO check_files (check_id, role, original_path, name, sha256, size) VALUES (7, 'inclusion-proof', '/x/a', 'a', 'ab', 3);
                INSERT INTO check_accounts (check_id, account_prefix, equity_total, debt_total, per_token) VALUES (7, 'b2337017', '10', '2', '{"BTC":["10","2"]}');
                INSERT INTO known_roots (root, format, round, sum_proof_sha256) VALUES ('r', 'zk-stark-v2', '1001', 'ab');
                """)
        }
        try old.close()

        let store = try Store(directory: dir)
        let detail = try XCTUnwrap(try store.detail(id: 7))
        XCTAssertEqual(detail.check.kind, "inclusion")
        XCTAssertEqual(detail.check.round, "1001")
        XCTAssertEqual(detail.results.first?.stepList, ["s1"])
        XCTAssertEqual(detail.files.first?.sha256, "ab")
        XCTAssertEqual(detail.accounts.first?.perTokenMap, ["BTC": ["10", "2"]])
        XCTAssertEqual(detail.totals, [], "the new table starts empty for old checks")
        let migrated = try DatabaseQueue(path: path)
        try migrated.read { db in
            XCTAssertTrue(try db.tableExists("check_totals"))
            XCTAssertTrue(try db.tableExists("balance_runs"))
            XCTAssertEqual(try Store.migrator.appliedIdentifiers(db), Set(Store.migrator.migrations), "every migration applied")
            XCTAssertEqual(try String.fetchOne(db, sql: "PRAGMA integrity_check"), "ok")
        }
        // New checks go on from there.
        let id = try store.record(Store.NewCheck(
            check: CheckRecord(kind: "global", format: "zk-stark-v2", round: "1002", startedAt: Date(), finishedAt: Date(),
                               verdict: "passed", origin: "test", summary: ""),
            totals: [TotalsRecord(checkID: 0, round: "1002", equity: "5", debt: "1", net: "4", verified: true)]))
        XCTAssertEqual(try store.detail(id: id)?.totals.first?.net, "4")
        XCTAssertEqual(try store.checks().map(\.id), [id, 7])
    }
}
