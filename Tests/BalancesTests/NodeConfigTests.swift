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
               "concurrency": 16, "timeout": 2.5},
              {"coin": "LTC", "url": "http://127.0.0.1:9332", "user": "u", "password": "p", "scan_timeout": 600}
            ]}
            """
        let config = try NodeConfig.parse(Array(text.utf8))
        XCTAssertEqual(config.endpoints.count, 2)
        let eth = try XCTUnwrap(config.asset(coin: "eth", network: "ETH"))
        XCTAssertEqual(eth.source, .evmNative(decimals: 18))
        XCTAssertNil(config.asset(coin: "ETH", network: "BSC"), "a node that names its network serves only that network's rows")
        XCTAssertEqual(config.endpoints[eth.endpoint].concurrency, 16)
        XCTAssertEqual(config.endpoints[eth.endpoint].timeout, 2.5)
        XCTAssertEqual(config.asset(coin: "USDT-ERC20", network: "ETH")?.source,
                       .evmToken(contract: "0xdAC17F958D2ee523a2206206994597C13D831ec7", decimals: 6))
        let ltc = try XCTUnwrap(config.asset(coin: "LTC"))
        XCTAssertEqual(ltc.source, .bitcoinNative, "kind told from the coin (UTXO)")
        XCTAssertEqual(config.endpoints[ltc.endpoint].user, "u")
        XCTAssertEqual(config.endpoints[ltc.endpoint].concurrency, 8)
        XCTAssertEqual(config.endpoints[ltc.endpoint].scanTimeout, 600)
        XCTAssertNil(config.asset(coin: "BTC"))
    }

    /// The shape of OKX's example/rpc.json (okx/proof-of-reserves): a "coins" list.
    func testOKXsRpcJSONLayout() throws {
        let text = """
            {"coins": [
              {"name": "btc", "coin": "btc",
               "api": {"endpoint": "https://www.oklink.com/api/v5/explorer/block/address-balance-history", "jsonPattern": "$.data[0].balance", "enabled": true},
               "rpc": {"endpoint": "http://127.0.0.1:8332/", "jsonPattern": "$.result.total_amount", "defaultUnit": "BTC", "customHeaders": {},
                       "authUser": "OKX", "authPassword": "OKXWallet", "enabled": true}},
              {"name": "usdt-omni", "coin": "btc", "rpc": {"endpoint": "http://127.0.0.1:8332/", "authUser": "OKX", "authPassword": "OKXWallet", "enabled": true}},
              {"name": "eth", "coin": "eth", "rpc": {"endpoint": "http://127.0.0.1:8545/", "jsonPattern": "$.result", "customHeaders": {"apikey": "k"}, "enabled": true}},
              {"name": "usdt-erc20", "coin": "eth", "rpc": {"endpoint": "http://127.0.0.1:8545/", "jsonPattern": "$.result", "customHeaders": {"apikey": "k"},
                       "tokenAddress": "0xdac17f958d2ee523a2206206994597c13d831ec7", "enabled": true},
               "whiteList": [{"project": "comp", "projectFullName": "compound", "address": "0xB99CC7e10Fe0Acc68C50C7829F473d81e23249cc"}]},
              {"name": "usdt-trc20", "coin": "tron", "rpc": {"endpoint": "http://127.0.0.1:8090/", "tokenAddress": "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t", "enabled": true}},
              {"name": "okb", "coin": "eth", "rpc": {"endpoint": "", "enabled": false}},
              {"name": "usdc", "coin": "eth", "rpc": {"endpoint": "https://fullnode.example/rpc", "tokenAddress": "0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48", "enabled": true}}
            ]}
            """
        let config = try NodeConfig.parse(Array(text.utf8))
        XCTAssertEqual(config.assets.map(\.coin), ["BTC", "USDT-OMNI", "ETH", "USDT-ERC20", "USDT-TRC20", "USDC"], "disabled entries are left out")
        let usdc = try XCTUnwrap(config.asset(coin: "USDC"))
        XCTAssertEqual(usdc.source, .evmToken(contract: "0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48", decimals: nil), "an https entry is a node like any other")
        XCTAssertEqual(config.endpoints[usdc.endpoint].url.scheme, "https")
        let btc = try XCTUnwrap(config.asset(coin: "BTC"))
        XCTAssertEqual(btc.source, .bitcoinNative)
        XCTAssertEqual(config.endpoints[btc.endpoint].user, "OKX")
        guard case .unsupported(let omni)? = config.asset(coin: "USDT-OMNI")?.source else { return XCTFail("Omni is not readable") }
        XCTAssertTrue(omni.contains("Omni"))
        let usdt = try XCTUnwrap(config.asset(coin: "usdt-erc20"))
        XCTAssertEqual(usdt.source, .evmToken(contract: "0xdac17f958d2ee523a2206206994597c13d831ec7", decimals: nil))
        XCTAssertEqual(usdt.endpoint, config.asset(coin: "ETH")?.endpoint, "entries naming the same node share it and its limit")
        XCTAssertEqual(config.endpoints[usdt.endpoint].headers, ["apikey": "k"])
        XCTAssertEqual(config.endpoints[usdt.endpoint].resultPath?.description, "$.result")
        XCTAssertEqual(config.whitelisted["USDT-ERC20:0xb99cc7e10fe0acc68c50c7829f473d81e23249cc"], "compound")
        guard case .unsupported? = config.asset(coin: "USDT-TRC20")?.source else { return XCTFail("TRON is not readable") }
        // The keyed form OKX's documentation shows is read too.
        let keyed = try NodeConfig.parse(Array(#"{"LTC": {"rpc": {"endpoint": "http://127.0.0.1:9332", "jsonPattern": "$.result.total_amount", "enabled": true}}}"#.utf8))
        XCTAssertEqual(keyed.asset(coin: "LTC")?.source, .bitcoinNative)
    }

    func testTheBundledExampleIsValid() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Resources/nodes.example.json")
        let config = try NodeConfig.load(path: url.path)
        XCTAssertEqual(config.asset(coin: "USDC", network: "ETH")?.source, .evmToken(contract: "0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48", decimals: nil))
        XCTAssertEqual(config.asset(coin: "BTC", network: "BTC")?.source, .bitcoinNative)
        XCTAssertEqual(config.asset(coin: "LTC", network: "LTC")?.source, .bitcoinNative)
    }

    /// https endpoints: port 443 unless given, and credentials in the URL (as some RPC providers
    /// give them) become basic authentication, sent inside the TLS stream only.
    func testHTTPSEndpointsAndCredentialsInTheURL() throws {
        let config = try NodeConfig.parse(Array(#"{"nodes": [{"coin": "ETH", "kind": "evm", "url": "https://alice:k%40y@rpc.example/v3/KEY?x=1"}]}"#.utf8))
        let client = RPCClient(endpoint: config.endpoints[0])
        XCTAssertEqual(client.connection.port, 443)
        XCTAssertNotNil(client.connection.relay, "an https endpoint never goes out over a plain socket")
        XCTAssertEqual(client.path, "/v3/KEY?x=1")
        XCTAssertTrue(client.fixedHeaders.hasPrefix("Host: rpc.example\r\n"), client.fixedHeaders)
        XCTAssertTrue(client.fixedHeaders.contains("Authorization: Basic \(Data("alice:k@y".utf8).base64EncodedString())\r\n"), client.fixedHeaders)
        // Credentials in the configuration win over the URL's; a plain http endpoint keeps port 80.
        let both = try NodeConfig.parse(Array(#"{"nodes": [{"coin": "ETH", "kind": "evm", "url": "http://u:p@node", "user": "bob", "password": "pw"}]}"#.utf8))
        let plain = RPCClient(endpoint: both.endpoints[0])
        XCTAssertEqual(plain.connection.port, 80)
        XCTAssertNil(plain.connection.relay)
        XCTAssertTrue(plain.fixedHeaders.contains("Authorization: Basic \(Data("bob:pw".utf8).base64EncodedString())\r\n"), plain.fixedHeaders)
    }

    func testBadConfigurationsAreNamed() {
        let cases: [(String, String)] = [
            ("[]", "expected a JSON object"),
            ("{\"nodes\": [{\"coin\": \"ETH\", \"url\": \"ftp://x\"}]}", "nodes[0].url must be an http:// or https:// URL"),
            ("{\"nodes\": [{\"coin\": \"ETH\", \"url\": \"http://x\", \"kind\": \"solana\"}]}", "nodes[0].kind is \"solana\""),
            ("{\"nodes\": [{\"coin\": \"ETH\", \"url\": \"http://x\", \"concurrency\": 0}]}", "concurrency must be 1…64"),
            ("{\"nodes\": [{\"coin\": \"ETH\", \"url\": \"http://x\", \"timeout\": -1}]}", "timeout must be a number of seconds"),
            ("{\"nodes\": [{\"coin\": \"ETH\", \"url\": \"http://x\", \"headers\": {\"A\": \"b\\r\\nEvil: 1\"}}]}", "contains a line break"),
            ("{\"nodes\": [{\"coin\": \"ETH\", \"url\": \"http://x\", \"tokens\": [{\"coin\": \"T\", \"contract\": \"0x12\"}]}]}", "tokens[0].contract is not a 20-byte hex address"),
            ("{\"nodes\": [{\"coin\": \"BTC\", \"url\": \"http://x\", \"tokens\": [{\"coin\": \"T\", \"contract\": \"0x1111111111111111111111111111111111111111\"}]}]}", "tokens need an evm node"),
            ("{\"nodes\": [{\"coin\": \"ETH\", \"url\": \"http://x:99999\"}]}", "has port 99999, not 1…65535"),
            ("{\"nodes\": []}", "\"nodes\" is empty"),
            ("{\"coins\": [{\"name\": \"btc\", \"coin\": \"btc\", \"rpc\": {\"endpoint\": \"http://x\", \"jsonPattern\": \"$.result.balance\", \"enabled\": true}}]}", "porcheck reads scantxoutset's answer itself"),
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
