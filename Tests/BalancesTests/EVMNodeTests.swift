import Checks
import Foundation
import History
import XCTest
@testable import Balances

/// Balances from a real EVM (eth-tester + py-evm behind JSON-RPC, Nodes/evm_node.py) with a real
/// ERC-20 compiled from Nodes/Token.vy by vyper; balances move after the snapshot block.
final class EVMNodeTests: NodeTestCase {
    static let a1 = "0x1111111111111111111111111111111111111111"
    static let a2 = "0x2222222222222222222222222222222222222222"
    static let a3 = "0x3333333333333333333333333333333333333333"
    static let a4 = "0x4444444444444444444444444444444444444444"

    /// ETH and a 6-decimal token; after the snapshot A1 gets 1 ETH more and A3 8 tokens more.
    static let plan = """
        [{"op": "deploy", "name": "TUSD", "decimals": 6},
         {"op": "fund", "to": "\(a1)", "wei": "1500000000000000000"},
         {"op": "fund", "to": "\(a2)", "wei": "1"},
         {"op": "mint", "token": "TUSD", "to": "\(a1)", "units": "1234567891"},
         {"op": "mint", "token": "TUSD", "to": "\(a3)", "units": "42000000"},
         {"op": "mark", "name": "snapshot"},
         {"op": "fund", "to": "\(a1)", "wei": "1000000000000000000"},
         {"op": "mint", "token": "TUSD", "to": "\(a3)", "units": "8000000"},
         {"op": "mine", "blocks": 2},
         {"op": "mark", "name": "later"}]
        """

    func start(faults: [String: String] = [:]) throws -> EVMNode { try startEVM(plan: Self.plan, faults: faults) }

    func testBalancesAtTheSnapshotBlockNotTheLatest() throws {
        let node = try start()
        let snapshot = try XCTUnwrap(node.marks["snapshot"])
        let later = try XCTUnwrap(node.marks["later"])
        XCTAssertGreaterThan(later, snapshot)
        let token = try XCTUnwrap(node.tokens["TUSD"])
        let s = String(snapshot)
        let list = porList(summary: [("ETH", "1.500000000000000001")], rows: [
            ("ETH", s, Self.a1, "1.5"),
            ("ETH", s, Self.a2, "0.000000000000000001"),  // one wei
            ("USDT-ERC20", s, Self.a1, "1234.567891"),
            ("USDT-ERC20", s, Self.a3, "42"),
            ("USDT-ERC20", String(later), Self.a3, "50"),  // the same address at another snapshot height
            ("ETH", s, Self.a4, "2.5"),  // listed at the snapshot, nothing there
            ("ETH", String(later + 100), Self.a1, "2.5"),  // a block the node has not reached
        ])
        let nodes = #"{"nodes": [{"coin": "ETH", "kind": "evm", "url": "http://127.0.0.1:\#(node.port)", "concurrency": 4, "tokens": [{"coin": "USDT-ERC20", "contract": "\#(token)"}]}]}"#
        let store = try Store(directory: folder.appendingPathComponent("data"))
        let (summary, r) = try checkBalances(folder: folder, list: list, nodes: nodes, store: store)
        XCTAssertEqual(r["ETH \(Self.a1) \(s)"]?.verdict, .matched, r["ETH \(Self.a1) \(s)"]?.reason ?? "")
        XCTAssertEqual(r["ETH \(Self.a1) \(s)"]?.onChain?.description, "1.5", "the snapshot block's 1.5, not the latest 2.5")
        XCTAssertEqual(r["ETH \(Self.a2) \(s)"]?.onChain?.description, "0.000000000000000001")
        XCTAssertEqual(r["ETH \(Self.a2) \(s)"]?.verdict, .matched)
        XCTAssertEqual(r["USDT-ERC20 \(Self.a1) \(s)"]?.verdict, .matched, r["USDT-ERC20 \(Self.a1) \(s)"]?.reason ?? "")
        XCTAssertTrue(r["USDT-ERC20 \(Self.a1) \(s)"]?.source.contains("6 decimals") ?? false, "decimals() read from the contract")
        XCTAssertEqual(r["USDT-ERC20 \(Self.a3) \(s)"]?.onChain?.description, "42")
        XCTAssertEqual(r["USDT-ERC20 \(Self.a3) \(later)"]?.onChain?.description, "50")
        XCTAssertEqual(r["ETH \(Self.a4) \(s)"]?.verdict, .mismatch)
        let unreached = try XCTUnwrap(r["ETH \(Self.a1) \(later + 100)"])
        XCTAssertEqual(unreached.verdict, .notChecked)
        XCTAssertTrue(unreached.reason.contains("below the snapshot block \(later + 100)"), unreached.reason)
        XCTAssertEqual(summary.count(.matched), 5)
        XCTAssertEqual(summary.count(.mismatch), 1)
        XCTAssertEqual(summary.exitCode, 1)

        // A list that publishes the latest balance as the snapshot's is caught.
        let wrong = porList(summary: [], rows: [("ETH", s, Self.a1, "2.5")])
        let (bad, rb) = try checkBalances(folder: folder, list: wrong, nodes: nodes, store: store)
        XCTAssertEqual(rb[Self.a1]?.verdict, .mismatch)
        XCTAssertTrue(rb[Self.a1]?.reason.contains("on chain 1.5, listed 2.5") ?? false, rb[Self.a1]?.reason ?? "")
        XCTAssertEqual(bad.exitCode, 1)
    }

    /// OKX's own rpc.json, as it ships (a "coins" list with rpc parts), works unchanged.
    func testOKXsRpcJSONAgainstTheSameNode() throws {
        let node = try start()
        let snapshot = try XCTUnwrap(node.marks["snapshot"])
        let token = try XCTUnwrap(node.tokens["TUSD"])
        let url = "http://127.0.0.1:\(node.port)/"
        let rpc = """
            {"coins": [
              {"name": "eth", "coin": "eth",
               "api": {"endpoint": "https://www.oklink.com/api/v5/explorer/block/address-balance-history", "jsonPattern": "$.data[0].balance", "enabled": true},
               "rpc": {"endpoint": "\(url)", "jsonPattern": "$.result", "defaultUnit": "", "customHeaders": {"Content-Type": "application/json", "Authorization": "Basic"},
                       "authUser": "", "authPassword": "", "enabled": true}},
              {"name": "usdt-erc20", "coin": "eth",
               "rpc": {"endpoint": "\(url)", "jsonPattern": "$.result", "defaultUnit": "", "customHeaders": {"Content-Type": "application/json", "Authorization": "Basic"},
                       "authUser": "", "authPassword": "", "tokenAddress": "\(token)", "enabled": true},
               "whiteList": [{"project": "comp", "projectFullName": "compound", "address": "\(Self.a3)", "tokenAddress": "0xf650c3d88d12db855b8bf7d11be6c55a4e07dcc9"}]},
              {"name": "usdt-trc20", "coin": "tron", "rpc": {"endpoint": "\(url)", "jsonPattern": "$.result", "tokenAddress": "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t", "enabled": true}},
              {"name": "btc", "coin": "btc", "rpc": {"endpoint": "http://127.0.0.1:1/", "jsonPattern": "$.result.total_amount", "enabled": false}}
            ]}
            """
        let s = String(snapshot)
        let list = porList(summary: [], rows: [
            ("ETH", s, Self.a1, "1.5"), ("USDT-ERC20", s, Self.a1, "1234.567891"), ("USDT-ERC20", s, Self.a3, "42"),
            ("USDT-TRC20", s, "TJCnKsPa7y5okkXvQAidZBzqx3QyQ6sxMW", "5"), ("BTC", s, "1BoatSLRHtKNngkdXEeobR76b53LETtpyT", "1"),
        ])
        let store = try Store(directory: folder.appendingPathComponent("data"))
        let (_, r) = try checkBalances(folder: folder, list: list, nodes: rpc, store: store)
        XCTAssertEqual(r["ETH \(Self.a1) \(s)"]?.verdict, .matched, r["ETH \(Self.a1) \(s)"]?.reason ?? "")
        XCTAssertEqual(r["USDT-ERC20 \(Self.a1) \(s)"]?.verdict, .matched, r["USDT-ERC20 \(Self.a1) \(s)"]?.reason ?? "")
        XCTAssertEqual(r["USDT-ERC20 \(Self.a3) \(s)"]?.verdict, .notChecked, "white-listed (Compound): OKX copies the amount, porcheck does not confirm it")
        XCTAssertTrue(r["USDT-ERC20 \(Self.a3) \(s)"]?.reason.contains("compound") ?? false)
        XCTAssertTrue(r["TJCnKsPa7y5okkXvQAidZBzqx3QyQ6sxMW"]?.reason.contains("TRON is not an Ethereum JSON-RPC") ?? false,
                      r["TJCnKsPa7y5okkXvQAidZBzqx3QyQ6sxMW"]?.reason ?? "")
        XCTAssertTrue(r["1BoatSLRHtKNngkdXEeobR76b53LETtpyT"]?.reason.contains("no node configured for BTC") ?? false, "a disabled entry is no node")
    }

    /// A node that is down, one that stalls, garbage, an error object, a huge answer, an
    /// out-of-range number, a flaky node: each address gets its own clear result and the run goes on.
    func testFaultsGiveClearPerAddressResultsAndTheRunGoesOn() throws {
        let stall = "0x5000000000000000000000000000000000000001", garbage = "0x5000000000000000000000000000000000000002"
        let error = "0x5000000000000000000000000000000000000003", huge = "0x5000000000000000000000000000000000000004"
        let bad = "0x5000000000000000000000000000000000000005"
        let node = try start(faults: [stall: "stall", garbage: "garbage", error: "error", huge: "huge", bad: "badnumber", Self.a1: "flaky:2"])
        let down = TestTools.freePort()
        let s = String(try XCTUnwrap(node.marks["snapshot"]))
        let list = porList(summary: [], rows: [
            ("ETH", s, Self.a1, "1.5"), ("ETH", s, stall, "1"), ("ETH", s, garbage, "1"), ("ETH", s, error, "1"),
            ("ETH", s, huge, "1"), ("ETH", s, bad, "1"), ("ETH", s, Self.a2, "0.000000000000000001"),
            ("ETH-ARBITRUM", s, Self.a1, "3"), ("ETH-ARBITRUM", s, Self.a2, "4"),
        ])
        let nodes = """
            {"nodes": [
              {"coin": "ETH", "kind": "evm", "url": "http://127.0.0.1:\(node.port)", "concurrency": 8, "timeout": 3, "retries": 2},
              {"coin": "ETH-ARBITRUM", "kind": "evm", "url": "http://127.0.0.1:\(down)", "timeout": 1, "retries": 1}
            ]}
            """
        let store = try Store(directory: folder.appendingPathComponent("data"))
        let started = Date()
        let (summary, r) = try checkBalances(folder: folder, list: list, nodes: nodes, store: store)
        XCTAssertLessThan(Date().timeIntervalSince(started), 30, "a stalled node costs its timeouts, not forever")
        XCTAssertEqual(summary.addresses, 9, "every address has a result")
        XCTAssertEqual(r["ETH \(Self.a1) \(s)"]?.verdict, .matched, "HTTP 503 twice, then the answer: retried")
        XCTAssertEqual(r["ETH \(Self.a1) \(s)"]?.attempts, 3)
        XCTAssertEqual(r["ETH \(Self.a2) \(s)"]?.verdict, .matched)
        func expect(_ address: String, _ kind: String, _ text: String, file: StaticString = #filePath, line: UInt = #line) {
            assertError(r["ETH \(address) \(s)"], kind, text, file: file, line: line)
        }
        expect(stall, "stalled", "no answer within 3 s (the node stalls) (after 3 attempts)")
        expect(garbage, "garbage", "not JSON")
        expect(error, "node-error", "missing trie node")
        expect(huge, "garbage", "more than the 16 MiB porcheck accepts")
        expect(bad, "garbage", "not a hex quantity of at most 256 bits")
        XCTAssertTrue(r["ETH \(error) \(s)"]?.reason.contains("is it an archive node?") ?? false)
        XCTAssertEqual(r["ETH \(error) \(s)"]?.attempts, 1, "an error object is the node's answer: not retried")
        for address in [Self.a1, Self.a2] {
            let result = try XCTUnwrap(r["ETH-ARBITRUM \(address) \(s)"])
            XCTAssertEqual(result.verdict, .error)
            XCTAssertEqual(result.errorKind, "unreachable", result.reason)
            XCTAssertTrue(result.reason.contains("eth_blockNumber failed"), result.reason)
        }
        XCTAssertEqual(summary.count(.error), 7)
        XCTAssertEqual(summary.exitCode, 0, "errors are reported, not mismatches")
        XCTAssertEqual(summary.overall, .notVerified)
        // Nothing lost: every answer is in the store, with its reason.
        let saved = try store.balanceResults(runID: summary.runID)
        XCTAssertEqual(saved.count, 9)
        XCTAssertEqual(Set(saved.map(\.verdict)), ["matched", "error"])
    }

    /// Reserves beside liabilities: signatures verified, balances confirmed at the snapshot block,
    /// the exchange totals of a real sum check porcheck passed (the bundled sample audit), and
    /// user-supplied per-unit liabilities for the ratio. Unverified amounts are never counted.
    func testReservesSummaryLabelsEveryNumberAndCountsOnlyWhatIsVerified() throws {
        // eth-tester's accounts with private keys 4 and 5 hold 1,000,000 ETH and never transact.
        let plan = Self.plan.dropLast() + #", {"op": "sign", "key": 4, "message": "I am an OKX address"}, {"op": "sign", "key": 5, "message": "I am an OKX address"}]"#
        let node = try startEVM(plan: String(plan))
        let s = String(try XCTUnwrap(node.marks["snapshot"]))
        let signers = node.signed.keys.sorted()
        XCTAssertEqual(signers.count, 2)
        let (k1, k2) = (signers[0], signers[1])
        let listText = porList(summary: [("ETH", "2000000.5")], rows: [
            ("ETH", s, k1, "1000000"),  // signed, matched on chain: verified
            ("ETH", s, k2, "999999"),  // signed, but the chain says 1000000: a mismatch, not counted
            ("ETH", s, Self.a1, "1.5"),  // on chain, but unsigned: not counted
        ], signatures: node.signed)
        let store = try Store(directory: folder.appendingPathComponent("data"))
        let nodes = #"{"nodes": [{"coin": "ETH", "kind": "evm", "url": "http://127.0.0.1:\#(node.port)"}]}"#
        let listURL = folder.appendingPathComponent("reserves.csv")
        try Data(listText.utf8).write(to: listURL)
        let nodesURL = folder.appendingPathComponent("nodes.json")
        try Data(nodes.utf8).write(to: nodesURL)
        // Before any balance run: nothing is verified, there is no ratio.
        let liabilities = folder.appendingPathComponent("liabilities.json")
        try Data(#"{"source": "OKX report (test)", "liabilities": {"ETH": "800000", "BTC": 10}}"#.utf8).write(to: liabilities)
        let before = try ReservesSummary.build(list: listURL.path, liabilities: liabilities.path, store: store)
        XCTAssertNil(before.balanceRun)
        XCTAssertNil(before.units.first { $0.unit == "ETH" }?.ratio)
        XCTAssertTrue(before.text(style: Style(color: false)).contains("no reserve is verified"))

        let run = try BalancesCheck(store: store).run(list: listURL.path, nodes: nodesURL.path) { _ in }
        XCTAssertEqual(run.count(.matched), 2)
        XCTAssertEqual(run.count(.mismatch), 1)
        let resources = ResourceLocator(root: TestTools.repositoryRoot.appendingPathComponent("Resources").path)
        let demo = try XCTUnwrap(resources.demoFolder)
        let audit = try CheckRunner(store: store, resources: resources).verify(paths: [demo], origin: "test")
        XCTAssertEqual(audit.overall, .passed)
        let totals = try XCTUnwrap(audit.totals)

        let summary = try ReservesSummary.build(list: listURL.path, liabilities: liabilities.path, store: store)
        let eth = try XCTUnwrap(summary.units.first { $0.unit == "ETH" })
        XCTAssertEqual(eth.published?.description, "2000000.5")
        XCTAssertEqual(eth.listed.description, "2000000.5")
        XCTAssertEqual(eth.signed.description, "1999999", "two rows have verified signatures")
        XCTAssertEqual(eth.answered, 3)
        XCTAssertEqual(eth.mismatches, 1)
        XCTAssertEqual(eth.onChain.description, "2000001.5")
        XCTAssertEqual(eth.verified.description, "1000000", "signed and matched only")
        XCTAssertEqual(eth.liabilities?.description, "800000")
        XCTAssertEqual(eth.ratio, "125.00 %")
        let btc = try XCTUnwrap(summary.units.first { $0.unit == "BTC" })
        XCTAssertEqual(btc.verified.description, "0")
        XCTAssertEqual(btc.ratio, "0.00 %", "liabilities without verified reserves")
        XCTAssertEqual(summary.proven?.totals.equity, totals.equity)
        XCTAssertEqual(summary.balanceRun?.id, run.runID)
        let text = summary.text(style: Style(color: false))
        XCTAssertTrue(text.contains("supplied by you, not verified by porcheck"), text)
        XCTAssertTrue(text.contains("not per coin"), text)
        XCTAssertTrue(text.contains("1 MISMATCH"), text)
        let json = summary.json
        XCTAssertEqual(json["units"].flatMap { if case .array(let u) = $0 { return u.first } else { return nil } }?["verified"], .string("1000000"))
        XCTAssertNotNil(json["basis"]?["liabilities"])
        let recorded = try XCTUnwrap(try store.detail(id: try XCTUnwrap(summary.historyID)))
        XCTAssertEqual(recorded.check.kind, "reserves")
        XCTAssertEqual(recorded.check.verdict, "failed", "a mismatch on chain")
    }
}
