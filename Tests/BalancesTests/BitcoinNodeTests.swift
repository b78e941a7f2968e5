import Checks
import Foundation
import History
import JSONReader
import XCTest
@testable import Balances

/// Balances from a real Bitcoin Core-compatible node: litecoind in regtest, started here.
final class BitcoinNodeTests: NodeTestCase {
    // Public keys of the private keys 2, 3, 5, 7 (secp256k1 multiples of G): addresses nobody else pays.
    static let key2 = "02c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee5"
    static let key3 = "02f9308a019258c31049344f85f89d5229b531c845836f99b08601f113bce036f9"
    static let key5 = "022f8bde4d1a07209355b4a7250a5c5128e88b84bddc619ab7cba8d569b240efe4"
    static let key7 = "025cbdf0646e5db4eaa398f365f2ea7a0e3d419b7e0330e39ce92bddedcac4f9bc"

    func results(list: String, nodes: String, store: Store, scope: BalanceScope = .everything) throws -> (BalancesCheck.Summary, [String: AddressResult]) {
        try checkBalances(folder: folder, list: list, nodes: nodes, store: store, scope: scope)
    }

    func testLitecoinRegtestBalancesAtTheSnapshotHeightAndRefusalAtAnotherHeight() throws {
        let ltc = try startLitecoin()
        // Coinbase outputs: 3 blocks of exactly 50 LTC to a P2PKH address.
        let miner = try ltc.address("pkh(\(Self.key7))")
        try ltc.mine(3, to: miner)
        // A wallet with mature coins pays exact amounts to addresses of three kinds.
        try ltc.call("createwallet", [.string("porcheck")])
        let wallet = try ltc.string("getnewaddress")
        try ltc.mine(101, to: wallet)
        let segwit = try ltc.address("wpkh(\(Self.key2))")
        let nested = try ltc.address("sh(wpkh(\(Self.key3)))")
        let empty = try ltc.address("wpkh(\(Self.key5))")
        try ltc.call("sendtoaddress", [.string(segwit), .number("1.23456789")])
        try ltc.call("sendtoaddress", [.string(segwit), .number("0.00010001")])
        try ltc.call("sendtoaddress", [.string(nested), .number("7.5")])
        try ltc.mine(1, to: wallet)
        let snapshot = try ltc.height()
        XCTAssertEqual(snapshot, 105)
        // After the snapshot the balances move on: a node at its tip would give other amounts.
        try ltc.call("sendtoaddress", [.string(segwit), .number("2")])
        try ltc.mine(1, to: miner)
        try ltc.mine(1, to: wallet)
        XCTAssertEqual(try ltc.height(), 107)

        let h = String(snapshot)
        let list = porList(summary: [("LTC", "157.7346679")], rows: [
            ("LTC", h, miner, "150"),
            ("LTC", h, segwit, "1.23456789"), ("LTC", h, segwit, "0.00010001"),  // one address on two rows
            ("LTC", h, nested, "7.5"),
            ("LTC", h, empty, "0.5"),  // listed, but nothing there
            ("LTC", h, "LYAoFC58bmQvzD7ijrFc6yycfbdyw2L4uB", "1"),  // a mainnet address: not of this chain
        ])
        let nodes = #"{"nodes": [{"coin": "LTC", "kind": "bitcoin", "url": "http://127.0.0.1:\#(ltc.rpcPort)", "user": "\#(ltc.user)", "password": "\#(ltc.password)", "concurrency": 4}]}"#
        let store = try Store(directory: folder.appendingPathComponent("data"))

        // At height 107 porcheck refuses to compare, and says how to roll the node back.
        let (wrong, atTip) = try results(list: list, nodes: nodes, store: store)
        XCTAssertEqual(wrong.count(.notChecked), 5)
        XCTAssertEqual(wrong.count(.matched) + wrong.count(.mismatch), 0, "nothing is compared at the wrong height")
        let refusal = try XCTUnwrap(atTip[segwit]).reason
        XCTAssertTrue(refusal.contains("the node is at height 107, the snapshot at 105"), refusal)
        XCTAssertTrue(refusal.contains("litecoin-cli invalidateblock $(litecoin-cli getblockhash 106)"), refusal)
        XCTAssertEqual(wrong.exitCode, 0)

        // Rolled back as the message says: the node is at the snapshot height.
        let next = try ltc.string("getblockhash", [.unsigned(snapshot + 1)])
        try ltc.call("invalidateblock", [.string(next)])
        XCTAssertEqual(try ltc.height(), snapshot)

        let (summary, r) = try results(list: list, nodes: nodes, store: store)
        XCTAssertEqual(r[miner]?.verdict, .matched, r[miner]?.reason ?? "")
        XCTAssertEqual(r[miner]?.onChain?.description, "150")
        XCTAssertEqual(r[segwit]?.verdict, .matched, r[segwit]?.reason ?? "")
        XCTAssertEqual(r[segwit]?.onChain?.description, "1.2346679", "the snapshot's amount, not the tip's 3.2346679")
        XCTAssertEqual(r[segwit]?.check.lines.count, 2)
        XCTAssertEqual(r[nested]?.verdict, .matched)
        XCTAssertEqual(r[nested]?.onChain?.description, "7.5")
        XCTAssertEqual(r[empty]?.verdict, .mismatch)
        XCTAssertEqual(r[empty]?.onChain?.description, "0")
        XCTAssertEqual(r["LYAoFC58bmQvzD7ijrFc6yycfbdyw2L4uB"]?.verdict, .notChecked)
        XCTAssertTrue(r["LYAoFC58bmQvzD7ijrFc6yycfbdyw2L4uB"]?.reason.contains("not an address of its chain") ?? false)
        XCTAssertTrue(r[segwit]?.source.contains("scantxoutset at height 105") ?? false)
        XCTAssertEqual(summary.exitCode, 1, "a mismatch fails the check")
        let coin = try XCTUnwrap(summary.coins.first)
        XCTAssertEqual(coin.onChain.description, "158.7346679")
        XCTAssertEqual(coin.claimVerdict, .notChecked, "one address has no on-chain answer, so the total is not confirmed")

        // Answers too large for the limit: the chunk is scanned again in halves, with the same results.
        let (_, split) = try checkBalances(folder: folder, list: list, nodes: nodes, store: store) { $0.scanAnswerLimit = 1000 }
        for address in [miner, segwit, nested, empty] {
            XCTAssertEqual(split[address]?.verdict, r[address]?.verdict, address)
            XCTAssertEqual(split[address]?.onChain, r[address]?.onChain, address)
        }
        // One address whose unspent outputs alone are too large is an error that says so.
        let (_, tiny) = try checkBalances(folder: folder, list: list, nodes: nodes, store: store) { $0.scanAnswerLimit = 300 }
        XCTAssertEqual(tiny[miner]?.verdict, .error)
        XCTAssertTrue(tiny[miner]?.reason.contains("porcheck accepts") ?? false, tiny[miner]?.reason ?? "")

        // One coin only, on its own: every listed amount matches and so does the total.
        let good = porList(summary: [("LTC", "158.7346679")], rows: [
            ("LTC", h, miner, "150"), ("LTC", h, segwit, "1.2346679"), ("LTC", h, nested, "7.5"),
        ])
        let (all, _) = try results(list: good, nodes: nodes, store: store, scope: .coin("ltc"))
        XCTAssertEqual(all.count(.matched), 3)
        XCTAssertEqual(all.coins.first?.claimVerdict, .matched, all.coins.first?.claimReason ?? "")
        XCTAssertEqual(all.overall, .passed)
        let recorded = try XCTUnwrap(try store.detail(id: try XCTUnwrap(all.historyID)))
        XCTAssertEqual(recorded.check.kind, "balances")
        XCTAssertEqual(recorded.check.round, "105")
        XCTAssertEqual(recorded.results.first?.verdict, "passed")
    }
}
