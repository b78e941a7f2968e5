import Foundation
import History
import XCTest
@testable import Balances

/// `porcheck balances` as a user runs it: the built binary, a real EVM node, Ctrl-C and a re-run.
final class BalancesCommandTests: NodeTestCase {
    /// The binary SwiftPM built, or the one `PORCHECK_TEST_BINARY` names (as in CLITests).
    static var binary: String {
        if let chosen = ProcessInfo.processInfo.environment["PORCHECK_TEST_BINARY"], !chosen.isEmpty { return chosen }
        let candidates = [Bundle.main.bundleURL.appendingPathComponent("porcheck"),
                          Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("porcheck"),
                          TestTools.repositoryRoot.appendingPathComponent(".build/debug/porcheck")]
        return (candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[2]).path
    }

    /// Starts porcheck with its own data directory; the caller waits for it.
    func porcheck(_ arguments: [String]) throws -> ChildProcess {
        try ChildProcess([Self.binary] + arguments + ["--data-dir", folder.appendingPathComponent("data").path], folder: folder,
                         name: "porcheck-\(UUID().uuidString.prefix(6))", environment: ["NO_COLOR": "1"])
    }

    func finished(_ arguments: [String]) throws -> (status: Int32?, out: String, err: String) {
        let p = try porcheck(arguments)
        let status = p.wait(timeout: 120)
        return (status, p.output, p.errors)
    }

    static func address(_ i: Int) -> String { "0x" + String(format: "%040x", 0xabc000 + i) }

    func testAnInterruptedRunContinuesWhereItStopped() throws {
        let count = 40
        var plan = (0..<count).map { #"{"op": "fund", "to": "\#(Self.address($0))", "wei": "\#(($0 + 1) * 1_000_000_000_000_000)"}"# }
        plan.append(#"{"op": "mark", "name": "snapshot"}"#)
        let evm = try startEVM(plan: "[" + plan.joined(separator: ",") + "]", delay: 0.05)
        let snapshot = String(try XCTUnwrap(evm.marks["snapshot"]))
        let list = folder.appendingPathComponent("list.csv")
        try Data(porList(summary: [], rows: (0..<count).map { ("ETH", snapshot, Self.address($0), "0.\(String(format: "%03d", $0 + 1))") }).utf8).write(to: list)
        let nodes = folder.appendingPathComponent("nodes.json")
        try Data(#"{"nodes": [{"coin": "ETH", "kind": "evm", "url": "http://127.0.0.1:\#(evm.port)", "concurrency": 1}]}"#.utf8).write(to: nodes)
        let args = ["balances", list.path, "--nodes", nodes.path, "--json"]

        // Ctrl-C part-way through.
        let first = try porcheck(args)
        let deadline = Date().addingTimeInterval(60)
        // One request at a time: once the 11th address is asked, the first 10 answers are in porcheck's hands.
        while (try evm.requests()["eth_getBalance " + Self.address(10)]) == nil, Date() < deadline { usleep(20_000) }
        first.signal(SIGINT)
        XCTAssertEqual(first.wait(timeout: 30), 130, first.errors)
        let partial = first.output.split(separator: "\n")
        let interrupted = try XCTUnwrap(partial.last.flatMap { try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] })
        let summary = try XCTUnwrap(interrupted["summary"] as? [String: Any])
        XCTAssertEqual(summary["interrupted"] as? Bool, true)
        let answered = try XCTUnwrap(summary["addresses"] as? Int)
        XCTAssertGreaterThanOrEqual(answered, 10)
        XCTAssertLessThan(answered, count)
        XCTAssertEqual(partial.count, answered + 1, "the answered addresses, in list order, then the summary")

        // The same command again continues the run: the answered addresses are not asked again.
        let second = try finished(args)
        XCTAssertEqual(second.status, 0, second.err)
        XCTAssertTrue(second.err.contains("continuing run #1: \(answered) of \(count) addresses already answered"), second.err)
        let lines = second.out.split(separator: "\n")
        XCTAssertEqual(lines.count, count + 1)
        XCTAssertTrue(lines.dropLast().allSatisfy { $0.contains(#""verdict":"matched""#) })
        XCTAssertTrue(lines.first?.contains("resumed") ?? false, "kept answers say so")
        let asked = try evm.requests().filter { $0.key.hasPrefix("eth_getBalance ") }
        XCTAssertEqual(asked.count, count)
        let total = asked.values.reduce(0, +)
        XCTAssertLessThanOrEqual(total, UInt64(count + 1), "at most the one request in flight at Ctrl-C is asked twice")

        // Finished: nothing left to resume; recorded once in the history.
        let resume = try finished(args + ["--resume"])
        XCTAssertEqual(resume.status, 2)
        XCTAssertTrue(resume.err.hasPrefix("porcheck: \(list.path): no unfinished balance run"), resume.err)
        XCTAssertEqual(resume.err.split(separator: "\n").count, 1)
        let history = try finished(["history", "--kind", "balances", "--json"])
        let checks = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(history.out.utf8)) as? [[String: Any]])
        XCTAssertEqual(checks.count, 1)
        XCTAssertEqual(checks.first?["verdict"] as? String, "passed")
        let rerun = try finished(["rerun", String(try XCTUnwrap(checks.first?["id"] as? Int))])
        XCTAssertEqual(rerun.status, 2)
        XCTAssertTrue(rerun.err.contains("is a balances check: it asked your nodes"), rerun.err)
        // --restart asks everything again.
        let again = try finished(args + ["--restart"])
        XCTAssertEqual(again.status, 0)
        XCTAssertFalse(again.err.contains("continuing"))
        XCTAssertEqual(try evm.requests().filter { $0.key.hasPrefix("eth_getBalance ") }.values.reduce(0, +), total + UInt64(count))
        // Forgetting the first run's check deletes that run's answers too; the second run stays.
        let firstCheck = String(try XCTUnwrap(checks.first?["id"] as? Int))
        XCTAssertEqual(try finished(["forget", firstCheck, "--yes"]).status, 0)
        let store = try Store(directory: folder.appendingPathComponent("data"))
        XCTAssertNil(try store.balanceRun(id: 1))
        XCTAssertEqual(try store.balanceResults(runID: 1).count, 0)
        XCTAssertEqual(try store.balanceResults(runID: 2).count, count)
    }

    func testInputErrorsAreOneLineAndExitTwo() throws {
        let list = folder.appendingPathComponent("list.csv")
        try Data(porList(summary: [], rows: [("ETH", "5", Self.address(1), "1")]).utf8).write(to: list)
        let cases: [(String, String)] = [
            (#"{"nodes": [{"coin": "ETH", "kind": "evm", "url": "http://127.0.0.1:1", "concurrency": 1000}]}"#, "nodes[0].concurrency must be 1…64"),
            (#"{"nodes": [{"coin": "ETH", "url": "ftp://mainnet.example/rpc"}]}"#, "nodes[0].url must be an http:// or https:// URL"),
            (#"{"nodes": [{"coin": "SOL", "url": "http://127.0.0.1:1"}]}"#, "nodes[0].kind is missing"),
            ("{\"nodes\": [", "not valid JSON"),
        ]
        for (config, message) in cases {
            let nodes = folder.appendingPathComponent("nodes.json")
            try Data(config.utf8).write(to: nodes)
            let r = try finished(["balances", list.path, "--nodes", nodes.path])
            XCTAssertEqual(r.status, 2, config)
            XCTAssertTrue(r.err.hasPrefix("porcheck: \(nodes.path): ") && r.err.contains(message), r.err)
            XCTAssertEqual(r.err.split(separator: "\n").count, 1, r.err)
        }
        let nodes = folder.appendingPathComponent("nodes.json")
        try Data(#"{"nodes": [{"coin": "ETH", "kind": "evm", "url": "http://127.0.0.1:1"}]}"#.utf8).write(to: nodes)
        let perAddress = TestTools.repositoryRoot.appendingPathComponent("Tests/Fixtures/wallets/test_format.csv").path
        let layout = try finished(["balances", perAddress, "--nodes", nodes.path])
        XCTAssertEqual(layout.status, 2)
        XCTAssertTrue(layout.err.contains("has no amounts or snapshot heights"), layout.err)
        let missing = try finished(["balances", list.path, "--nodes", nodes.path, "--address", "0xdead"])
        XCTAssertEqual(missing.status, 2)
        XCTAssertTrue(missing.err.contains("address 0xdead is not in the list"), missing.err)
        let both = try finished(["balances", list.path, "--nodes", nodes.path, "--resume", "--restart"])
        XCTAssertEqual(both.status, 2)
    }

    /// An https node as a user reaches it: porcheck itself maps neither libcurl nor OpenSSL (the
    /// porcheck-fetch relay child does the TLS), credentials appear nowhere, and the relay ends
    /// with the run, and also when porcheck is killed and cannot stop it.
    func testHTTPSNodesGoThroughARelayThatEndsWithPorcheck() throws {
        let certificates = try TestCertificates.shared()
        let stall = "0x5000000000000000000000000000000000000001"
        let evm = try startEVM(plan: EVMNodeTests.plan, faults: [stall: "stall"], tls: certificates.server)
        let s = String(try XCTUnwrap(evm.marks["snapshot"]))
        // The CA file inside this test's folder: the relay's command line names it, so this test finds its own relay.
        let ca = folder.appendingPathComponent("test-ca.pem")
        try FileManager.default.copyItem(at: URL(fileURLWithPath: certificates.ca), to: ca)
        let list = folder.appendingPathComponent("list.csv")
        try Data(porList(summary: [], rows: [("ETH", s, EVMNodeTests.a1, "1.5"), ("ETH", s, stall, "1")]).utf8).write(to: list)
        let nodes = folder.appendingPathComponent("nodes.json")
        let (user, password, key) = ("alice", "pw-51d0", "key-e3b7")
        try Data(#"{"nodes": [{"coin": "ETH", "kind": "evm", "url": "https://127.0.0.1:\#(evm.port)/", "user": "\#(user)", "password": "\#(password)", "headers": {"X-Api-Key": "\#(key)"}, "timeout": 4, "retries": 0}]}"#.utf8).write(to: nodes)
        let args = ["balances", list.path, "--nodes", nodes.path, "--ca-file", ca.path, "--json"]
        func until(_ seconds: Double, _ condition: () throws -> Bool) rethrows -> Bool {
            let deadline = Date().addingTimeInterval(seconds)
            while Date() < deadline {
                if try condition() { return true }
                usleep(100_000)
            }
            return try condition()
        }
        func stalledAsked(_ times: UInt64) throws -> Bool { (try evm.requests()["eth_getBalance \(stall)"] ?? 0) >= times }

        let run = try porcheck(args)
        // The stalled address holds the run for its 4 s timeout: look inside meanwhile.
        XCTAssertTrue(try until(60) { try stalledAsked(1) && !TestTools.relays(mentioning: folder.path).isEmpty }, run.errors)
        let own = TestTools.mappedLibraries(run.pid)
        // The binary itself is always mapped (the installed one is static: no libc.so): the full
        // porcheck, which the `porcheck` front execs for `balances`, when it is beside the front.
        let beside = URL(fileURLWithPath: Self.binary).deletingLastPathComponent().appendingPathComponent("porcheck-full").path
        let running = FileManager.default.isExecutableFile(atPath: beside) ? "porcheck-full" : URL(fileURLWithPath: Self.binary).lastPathComponent
        XCTAssertTrue(own.contains(running), "the maps are read: \(own.sorted())")
        XCTAssertFalse(own.contains { $0.hasPrefix("libcurl") || $0.hasPrefix("libssl") || $0.hasPrefix("libFoundationNetworking") }, own.sorted().joined(separator: " "))
        let relay = try XCTUnwrap(TestTools.relays(mentioning: folder.path).first)
        XCTAssertTrue(TestTools.mappedLibraries(relay).contains { $0.hasPrefix("libssl") }, "the relay does the TLS")
        XCTAssertEqual(run.wait(timeout: 60), 0, run.errors)
        let lines = run.output.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 3, run.output)
        XCTAssertTrue(lines[0].contains(#""verdict":"matched""#) && lines[0].contains(EVMNodeTests.a1), lines[0])
        XCTAssertTrue(lines[1].contains(#""error_kind":"stalled""#), lines[1])
        XCTAssertTrue(until(5) { TestTools.relays(mentioning: folder.path).isEmpty }, "the relay ends with the run")
        // No credential in the output, the messages or anything porcheck stored.
        let basic = Data("\(user):\(password)".utf8).base64EncodedString()
        var stored = [run.output, run.errors]
        let data = folder.appendingPathComponent("data")
        for name in FileManager.default.subpaths(atPath: data.path) ?? [] {
            if let bytes = FileManager.default.contents(atPath: data.appendingPathComponent(name).path) { stored.append(String(decoding: bytes, as: UTF8.self)) }
        }
        XCTAssertGreaterThan(stored.count, 2, "the store's files were read")
        for secret in [password, key, basic] {
            XCTAssertFalse(stored.contains { $0.contains(secret) }, "\(secret) appears in porcheck's output or store")
        }

        // Killed mid-run, porcheck cannot stop the relay: it exits because its standard input closed.
        let killed = try porcheck(args + ["--restart"])
        XCTAssertTrue(try until(60) { try stalledAsked(2) && !TestTools.relays(mentioning: folder.path).isEmpty }, killed.errors)
        killed.signal(SIGKILL)
        XCTAssertEqual(killed.wait(timeout: 10), 128 + SIGKILL)
        XCTAssertTrue(until(5) { TestTools.relays(mentioning: folder.path).isEmpty }, "no relay outlives a killed porcheck")

        // The binary itself needs neither libcurl nor OpenSSL: `porcheck --help` and `verify` never load them.
        // (A debug build lists its shared libraries; the one install.sh builds is static.)
        let ldd = try ChildProcess(["/usr/bin/ldd", Self.binary], folder: folder, name: "ldd")
        XCTAssertEqual(ldd.wait(timeout: 30), 0, ldd.errors)
        XCTAssertTrue(ldd.output.contains("libc.so") || ldd.output.contains("statically linked"), ldd.output)
        for library in ["libcurl", "libssl", "libFoundationNetworking"] { XCTAssertFalse(ldd.output.contains(library), ldd.output) }
    }

    /// The wizard's balances step (9) and its reserves step, typed as a user would.
    func testTheWizardChecksBalancesAndShowsReserves() throws {
        let evm = try startEVM(plan: EVMNodeTests.plan)
        let s = String(try XCTUnwrap(evm.marks["snapshot"]))
        let list = folder.appendingPathComponent("list.csv")
        try Data(porList(summary: [("ETH", "1.5")], rows: [("ETH", s, EVMNodeTests.a1, "1.5"), ("ETH", s, EVMNodeTests.a4, "3")]).utf8).write(to: list)
        let nodes = folder.appendingPathComponent("nodes.json")
        try Data(#"{"nodes": [{"coin": "ETH", "kind": "evm", "url": "http://127.0.0.1:\#(evm.port)"}]}"#.utf8).write(to: nodes)
        let wizard = try porcheck([])
        wizard.type("9\n\(list.path)\n\(nodes.path)\nreserves\n\n\nq\n")
        XCTAssertEqual(wizard.wait(timeout: 60), 0, wizard.errors)
        let out = wizard.output
        XCTAssertTrue(out.contains("9) check balances"), out)
        XCTAssertTrue(out.contains("MISMATCH     line 6 ETH \(EVMNodeTests.a4): on chain 0, listed 3"), out)
        XCTAssertTrue(out.contains("2 addresses — 1 matched, 1 mismatch, 0 not-checked, 0 error"), out)
        XCTAssertTrue(out.contains("Wallet list (CSV path, zip, or https:// URL) [\(list.path)]"), "the reserves step offers the list just checked")
        XCTAssertTrue(out.contains("Reserves of \(list.path)"), out)
        XCTAssertTrue(out.contains("2/2 (1 MISMATCH)"), out)
    }
}
