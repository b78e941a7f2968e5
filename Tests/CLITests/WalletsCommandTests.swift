import Foundation
import XCTest

/// `porcheck wallets` as scripts use it: JSON Lines in file order, a summary last, exit codes,
/// history, and one-line errors for input that is not a wallet list.
final class WalletsCommandTests: XCTestCase {
    var porcheck: PorcheckProcess!
    let wallets = PorcheckProcess.fixtures.appendingPathComponent("wallets")

    override func setUpWithError() throws { porcheck = PorcheckProcess() }
    override func tearDownWithError() throws { porcheck.cleanUp() }

    func testJSONLinesFollowTheFileAndMatchExpectedVerdicts() throws {
        let result = try porcheck.run(["wallets", "--json", wallets.appendingPathComponent("okx_real/test.csv").path])
        XCTAssertEqual(result.status, 0, result.stderr)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 10, "nine rows and the summary")
        var previous = 0
        for line in lines.dropLast() {
            let row = try PorcheckProcess.json(line)
            XCTAssertEqual(Set(row.keys), ["line", "coin", "network", "address", "verdict", "reason"])
            let n = try XCTUnwrap(row["line"] as? Int)
            XCTAssertGreaterThan(n, previous, "file order")
            previous = n
            // OKX's own example rows: none may fail (which verdict each gets is ReservesTests' job).
            XCTAssertTrue(["verified", "unproven", "skipped"].contains(row["verdict"] as? String ?? ""), line)
        }
        let summary = try XCTUnwrap(try PorcheckProcess.json(try XCTUnwrap(lines.last))["summary"] as? [String: Any])
        XCTAssertEqual(summary["rows"] as? Int, 9)
        XCTAssertEqual(summary["failed"] as? Int, 0)
    }

    func testFailuresGiveExitCode1AFailedRowsFileAndAHistoryEntry() throws {
        let failed = porcheck.dataDir.deletingLastPathComponent().appendingPathComponent("failed-\(UUID().uuidString).csv")
        defer { try? FileManager.default.removeItem(at: failed) }
        let result = try porcheck.run(["wallets", "--failed-csv", failed.path, wallets.appendingPathComponent("por_11col.csv").path])
        XCTAssertEqual(result.status, 1, result.stderr)
        XCTAssertTrue(result.stdout.contains("172 rows"), result.stdout)
        let csv = try String(contentsOf: failed, encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(csv.first, "line,coin,network,address,reason")
        let expectedFailures = try String(contentsOf: wallets.appendingPathComponent("expected.csv"), encoding: .utf8)
            .split(separator: "\n").filter { $0.hasPrefix("por_11col.csv,") && $0.split(separator: ",")[6] == "fail" }.count
        XCTAssertGreaterThanOrEqual(csv.count - 1, expectedFailures)
        let history = try porcheck.run(["history", "--json"])
        let entries = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(history.stdout.utf8)) as? [[String: Any]])
        XCTAssertEqual(entries.first?["kind"] as? String, "wallets")
        XCTAssertEqual(entries.first?["verdict"] as? String, "failed")
    }

    /// A recorded check keeps the list by its hash (for re-runs and diffs); `--no-record` leaves
    /// no entry and no copy in the data directory.
    func testARecordedCheckKeepsTheListAndNoRecordKeepsNothing() throws {
        let list = wallets.appendingPathComponent("por_11col.csv")
        let files = porcheck.dataDir.appendingPathComponent("files")
        func keptCopies() -> [String] {
            (FileManager.default.enumerator(atPath: files.path)?.allObjects as? [String] ?? []).filter { $0.count == 67 }
        }
        let unrecorded = try porcheck.run(["wallets", "--no-record", list.path])
        XCTAssertEqual(unrecorded.status, 1, unrecorded.stderr)
        XCTAssertEqual(keptCopies(), [])
        let history = try porcheck.run(["history", "--json"])
        XCTAssertEqual(try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(history.stdout.utf8)) as? [[String: Any]]).count, 0)
        let recorded = try porcheck.run(["wallets", list.path])
        XCTAssertEqual(recorded.status, 1, recorded.stderr)
        let copies = keptCopies()
        XCTAssertEqual(copies.count, 1, "\(copies)")
        XCTAssertEqual(try Data(contentsOf: files.appendingPathComponent(copies[0])), try Data(contentsOf: list))
    }

    func testInputThatIsNotAWalletListIsOneLineExit2() throws {
        let scratch = porcheck.dataDir.deletingLastPathComponent().appendingPathComponent("w-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let html = scratch.appendingPathComponent("list.csv")
        try Data("<!DOCTYPE html><html><body>503 Service Unavailable</body></html>\n".utf8).write(to: html)
        for args in [["wallets", html.path], ["wallets", scratch.appendingPathComponent("missing.csv").path]] {
            let result = try porcheck.run(args)
            XCTAssertEqual(result.status, 2, "\(args): \(result.stdout)")
            XCTAssertEqual(result.stderr.split(separator: "\n").count, 1, result.stderr)
            XCTAssertTrue(result.stderr.hasPrefix("porcheck: "), result.stderr)
        }
    }
}

/// `diff` on two wallet-list checks: addresses added and removed, per-coin totals.
final class WalletsDiffTests: XCTestCase {
    func testDiffOfTwoWalletLists() throws {
        let porcheck = PorcheckProcess()
        defer { porcheck.cleanUp() }
        let wallets = PorcheckProcess.fixtures.appendingPathComponent("wallets")
        try porcheck.run(["wallets", wallets.appendingPathComponent("okx_real/okx_por_example.csv").path])
        try porcheck.run(["wallets", wallets.appendingPathComponent("por_11col.csv").path])
        let diff = try porcheck.run(["diff"])
        XCTAssertEqual(diff.status, 0, diff.stderr)
        XCTAssertTrue(diff.stdout.contains("Wallet lists: 113 addresses added, 5 removed"), diff.stdout)
        XCTAssertTrue(diff.stdout.contains("- ETH ETH 0x0cdcdb19a857c2ac24818ca4fdfe38cce071483e"), diff.stdout)
        XCTAssertTrue(diff.stdout.contains("ADA ADA          total 0 → 93212716.074104"), diff.stdout)
    }
}

/// `porcheck wallets http://127.0.0.1:…`: the download goes through porcheck-fetch (porcheck
/// itself does not load the networking libraries), is kept by hash, and verified.
final class WalletsDownloadTests: XCTestCase {
    func testAListServedOnLoopbackIsDownloadedAndVerified() throws {
        let porcheck = PorcheckProcess()
        defer { porcheck.cleanUp() }
        let served = PorcheckProcess.fixtures.appendingPathComponent("wallets/okx_real")
        let server = Process()
        server.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        // The child unblocks SIGTERM (Swift tests hand it down blocked) and serves on a free port.
        server.arguments = ["python3", "-u", "-c", """
            import signal, sys, http.server, functools
            signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGTERM])
            handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=sys.argv[1])
            httpd = http.server.ThreadingHTTPServer(('127.0.0.1', 0), handler)
            print(httpd.server_address[1], flush=True)
            httpd.serve_forever()
            """, served.path]
        let out = Pipe()
        server.standardOutput = out
        server.standardError = FileHandle.nullDevice
        try server.run()
        defer {
            kill(server.processIdentifier, SIGKILL)
            server.waitUntilExit()
        }
        var portText = ""
        while !portText.contains("\n") {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            portText += String(decoding: chunk, as: UTF8.self)
        }
        let port = try XCTUnwrap(Int(portText.trimmingCharacters(in: .whitespacesAndNewlines)))
        let result = try porcheck.run(["wallets", "--json", "http://127.0.0.1:\(port)/test.csv"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout.split(separator: "\n").count, 10)
        let missing = try porcheck.run(["wallets", "http://127.0.0.1:\(port)/nothing-here.csv"])
        XCTAssertEqual(missing.status, 2)
        XCTAssertTrue(missing.stderr.contains("404") || missing.stderr.contains("failed"), missing.stderr)
        let refused = try porcheck.run(["wallets", "http://example.invalid/list.csv"])
        XCTAssertEqual(refused.status, 2)
        XCTAssertTrue(refused.stderr.contains("refusing plain http"), refused.stderr)
    }
}
