import Foundation
import JSONReader
import Reserves
import XCTest
@testable import Balances

final class NodeConfigTests: XCTestCase {
    func testPorchecksOwnLayout() throws {
        let text = """
            {"nodes": [
              {"coin": "ETH", "network": "ETH", "kind": "evm", "url": "http://127.0.0.1:8545",
               "tokens": [{"coin": "USDT-ERC20", "contract": "0xdAC17F958D2ee523a2206206994597C13D831ec7", "decimals": 6}],
               "concurrency": 16},
              {"coin": "LTC", "kind": "bitcoin", "url": "http://127.0.0.1:9332", "user": "u", "password": "p"}
            ]}
            """
        let config = try NodeConfig.parse(Array(text.utf8))
        XCTAssertEqual(config.nodes.count, 2)
        let eth = try XCTUnwrap(config.node(coin: "eth"))
        XCTAssertEqual(eth.kind, .evm)
        XCTAssertEqual(eth.concurrency, 16)
        XCTAssertEqual(eth.tokens.first?.decimals, 6)
        XCTAssertEqual(config.node(coin: "LTC")?.user, "u")
        XCTAssertEqual(config.node(coin: "LTC")?.concurrency, 8)
        XCTAssertNil(config.node(coin: "BTC"))
    }

    func testOKXsRpcJSONLayout() throws {
        let text = """
            {"BTC": {"rpc": {"endpoint": "http://127.0.0.1:8332/", "jsonPattern": "$.result.total_amount", "defaultUnit": "BTC",
                             "customHeaders": {}, "authUser": "OKX", "authPassword": "OKXWallet", "tokenAddress": "", "enabled": true},
                     "api": {"endpoint": "https://www.oklink.com/api/v5/explorer/block/address-balance-history", "enabled": false}},
             "USDT-ERC20": {"rpc": {"endpoint": "http://127.0.0.1:8545/", "jsonPattern": "$.result", "tokenAddress": "0xdac17f958d2ee523a2206206994597c13d831ec7",
                                    "customHeaders": {"X-Api": "k"}, "enabled": true}},
             "ETH": {"rpc": {"endpoint": "http://127.0.0.1:8545/", "enabled": false}}}
            """
        let config = try NodeConfig.parse(Array(text.utf8))
        XCTAssertEqual(config.nodes.map(\.coin), ["BTC", "USDT-ERC20"], "disabled entries are left out")
        let btc = try XCTUnwrap(config.node(coin: "BTC"))
        XCTAssertEqual(btc.user, "OKX")
        XCTAssertEqual(btc.resultPath?.description, "$.result.total_amount")
        XCTAssertEqual(config.node(coin: "USDT-ERC20")?.headers, ["X-Api": "k"])
        XCTAssertEqual(config.node(coin: "USDT-ERC20")?.tokens.first?.contract, "0xdac17f958d2ee523a2206206994597c13d831ec7")
    }

    func testBadConfigurationsAreNamed() {
        let cases: [(String, String)] = [
            ("[]", "expected a JSON object"),
            ("{\"nodes\": [{\"coin\": \"ETH\", \"url\": \"ftp://x\"}]}", "nodes[0].url must be an http(s) URL"),
            ("{\"nodes\": [{\"coin\": \"ETH\", \"url\": \"http://x\", \"kind\": \"solana\"}]}", "nodes[0].kind is \"solana\""),
            ("{\"nodes\": [{\"coin\": \"ETH\", \"url\": \"http://x\", \"concurrency\": 0}]}", "concurrency must be 1…64"),
            ("{\"nodes\": [{\"coin\": \"ETH\", \"url\": \"http://x\", \"headers\": {\"A\": \"b\\r\\nEvil: 1\"}}]}", "contains a line break"),
            ("{\"BTC\": {\"rpc\": {\"enabled\": false}}}", "no \"nodes\" list and no enabled OKX rpc entries"),
            ("{", "not valid JSON"),
        ]
        for (text, message) in cases {
            XCTAssertThrowsError(try NodeConfig.parse(Array(text.utf8)), text) { error in
                XCTAssertTrue("\(error)".contains(message), "\(text): \(error)")
            }
        }
    }

    func testJSONPathSubset() throws {
        let answer = try JSONParser.parse(Array(#"{"result": {"total_amount": 12.5}, "data": [{"balance": "7"}]}"#.utf8))
        XCTAssertEqual(try JSONPath("$.result.total_amount").evaluate(answer)?.numberText, "12.5")
        XCTAssertEqual(try JSONPath("$.data[0].balance").evaluate(answer), .string("7"))
        XCTAssertNil(try JSONPath("$.data[1].balance").evaluate(answer))
        XCTAssertThrowsError(try JSONPath("result"))
        XCTAssertThrowsError(try JSONPath("$.data[*]"))
    }

    func testAmountsAreExact() throws {
        // 2^256 − 1 wei, and 1.5 ETH.
        XCTAssertEqual(ChainAmounts.decimalString(hexQuantity: "0x" + String(repeating: "f", count: 64)),
                       "115792089237316195423570985008687907853269984665640564039457584007913129639935")
        XCTAssertEqual(ChainAmounts.decimalString(hexQuantity: "0x14d1120d7b160000"), "1500000000000000000")
        XCTAssertNil(ChainAmounts.decimalString(hexQuantity: "1234"))
        XCTAssertNil(ChainAmounts.decimalString(hexQuantity: "0xzz"))
        let eth = try XCTUnwrap(ChainAmounts.scaled("1500000000000000000", decimals: 18))
        XCTAssertTrue(ChainAmounts.sameValue(eth, try XCTUnwrap(ExactDecimal("1.5"))))
        XCTAssertFalse(ChainAmounts.sameValue(eth, try XCTUnwrap(ExactDecimal("1.500000000000000001"))))
        XCTAssertTrue(ChainAmounts.sameValue(try XCTUnwrap(ChainAmounts.scaled("5", decimals: 6)), try XCTUnwrap(ExactDecimal("0.000005"))))
        XCTAssertEqual(ChainAmounts.balanceOfCallData(address: "0x07E47Ed3c5A8ff59fb5d1df4051c34da67fc5547"),
                       "0x70a08231000000000000000000000000" + "07e47ed3c5a8ff59fb5d1df4051c34da67fc5547")
        XCTAssertNil(ChainAmounts.balanceOfCallData(address: "0x1234"))
        XCTAssertEqual(ChainAmounts.quantity(255), "0xff")
    }
}
