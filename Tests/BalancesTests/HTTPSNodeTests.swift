import Checks
import Foundation
import History
import JSONReader
import XCTest
@testable import Balances

/// https:// nodes through the TLS relay (`porcheck-fetch relay`): the real EVM test node behind
/// TLS (Python's ssl module) with certificates from a test CA that only these tests trust.
final class HTTPSNodeTests: NodeTestCase {
    typealias Plan = EVMNodeTests

    func nodes(_ port: UInt16, extra: String = "") -> String {
        #"{"nodes": [{"coin": "ETH", "kind": "evm", "url": "https://127.0.0.1:\#(port)/rpc", "concurrency": 4\#(extra)}]}"#
    }

    func trusting(_ ca: String?) -> (inout BalanceChecker.Options) -> Void { { $0.caFile = ca } }

    override func tearDown() {
        super.tearDown()
        XCTAssertEqual(TestTools.childHelpers(), [], "no relay is left running (or unreaped) after a run")
    }

    /// Balances at the snapshot block (not the latest) through https, native coin and token, with
    /// basic authentication and a header inside the TLS stream.
    func testBalancesThroughHTTPSAtTheSnapshotBlock() throws {
        let certificates = try TestCertificates.shared()
        let node = try startEVM(plan: Plan.plan, tls: certificates.server)
        let snapshot = String(try XCTUnwrap(node.marks["snapshot"]))
        let token = try XCTUnwrap(node.tokens["TUSD"])
        let list = porList(summary: [], rows: [
            ("ETH", snapshot, Plan.a1, "1.5"), ("ETH", snapshot, Plan.a2, "0.000000000000000001"),
            ("USDT-ERC20", snapshot, Plan.a1, "1234.567891"), ("USDT-ERC20", snapshot, Plan.a3, "42"), ("ETH", snapshot, Plan.a4, "1"),
        ])
        let config = nodes(node.port, extra: #", "user": "alice", "password": "pw-7f3a", "headers": {"X-Api-Key": "key-91c2"}, "tokens": [{"coin": "USDT-ERC20", "contract": "\#(token)"}]"#)
        let store = try Store(directory: folder.appendingPathComponent("data"))
        let (summary, r) = try checkBalances(folder: folder, list: list, nodes: config, store: store, configure: trusting(certificates.ca))
        XCTAssertEqual(r["ETH \(Plan.a1) \(snapshot)"]?.verdict, .matched, r["ETH \(Plan.a1) \(snapshot)"]?.reason ?? "")
        XCTAssertEqual(r["ETH \(Plan.a1) \(snapshot)"]?.onChain?.description, "1.5", "the snapshot block's 1.5, not the latest 2.5")
        XCTAssertEqual(r["ETH \(Plan.a2) \(snapshot)"]?.verdict, .matched)
        XCTAssertEqual(r["USDT-ERC20 \(Plan.a1) \(snapshot)"]?.verdict, .matched, r["USDT-ERC20 \(Plan.a1) \(snapshot)"]?.reason ?? "")
        XCTAssertEqual(r["USDT-ERC20 \(Plan.a3) \(snapshot)"]?.onChain?.description, "42")
        XCTAssertEqual(r["ETH \(Plan.a4) \(snapshot)"]?.verdict, .mismatch, "the node answered 0")
        XCTAssertEqual(summary.count(.matched), 4)
        XCTAssertEqual(summary.count(.error), 0)
        XCTAssertEqual(try node.requests()["eth_getBalance \(Plan.a1)"], 1, "asked once, over the kept-alive TLS connections")
        // The same node by name: localhost is in its certificate too.
        let byName = config.replacingOccurrences(of: "https://127.0.0.1", with: "https://localhost")
        let (_, n) = try checkBalances(folder: folder, list: list, nodes: byName, store: store, configure: trusting(certificates.ca))
        XCTAssertEqual(n["ETH \(Plan.a1) \(snapshot)"]?.verdict, .matched, n["ETH \(Plan.a1) \(snapshot)"]?.reason ?? "")
    }

    /// A certificate porcheck does not accept is an error for each address, not a pass and not a
    /// crash, and it is not retried: an unknown CA, a self-signed one, a name that does not match.
    func testUntrustedCertificatesAreClearPerAddressErrors() throws {
        let certificates = try TestCertificates.shared()
        let plan = #"[{"op": "fund", "to": "\#(Plan.a1)", "wei": "1500000000000000000"}, {"op": "mark", "name": "snapshot"}]"#
        let good = try startEVM(plan: plan, tls: certificates.server)
        let selfSigned = try startEVM(plan: plan, tls: certificates.selfSigned)
        let wrongName = try startEVM(plan: plan, tls: certificates.wrongName)
        let snapshot = String(try XCTUnwrap(good.marks["snapshot"]))
        let list = porList(summary: [], rows: [("ETH", snapshot, Plan.a1, "1.5"), ("ETH", snapshot, Plan.a2, "0")])
        let store = try Store(directory: folder.appendingPathComponent("data"))
        let cases: [(EVMNode, String?, String)] = [
            (good, nil, "unable to get local issuer certificate"),  // the test CA is not the system's
            (selfSigned, certificates.ca, "self-signed certificate"),
            (wrongName, certificates.ca, "IP address mismatch"),
        ]
        for (node, ca, why) in cases {
            let config = nodes(node.port, extra: #", "user": "alice", "password": "pw-7f3a", "retries": 3"#)
            let (summary, r) = try checkBalances(folder: folder, list: list, nodes: config, store: store, configure: trusting(ca))
            XCTAssertEqual(summary.addresses, 2)
            XCTAssertEqual(summary.count(.error), 2, why)
            for address in [Plan.a1, Plan.a2] {
                let result = try XCTUnwrap(r["ETH \(address) \(snapshot)"])
                // attempts 1 of 4 allowed: a refused certificate is not retried.
                assertError(result, "tls", "the certificate of 127.0.0.1:\(node.port) is not accepted: \(why)", attempts: 1)
                XCTAssertFalse(result.reason.contains("pw-7f3a") || result.reason.contains("alice"), "no credentials in messages")
            }
            // (The counts are asked through the test CA, which only the first node's certificate chains to.)
            if node === good { XCTAssertEqual(try node.requests()["eth_blockNumber"], nil, "nothing was sent to a node whose certificate was refused") }
        }
    }

    /// An https node that stalls (before the TLS handshake, or after it, on one address) costs its
    /// timeout; an answer over the size cap is refused; a flaky one is retried; the run goes on.
    func testStallsTimeOutAndOverSizeAnswersAreRefused() throws {
        let certificates = try TestCertificates.shared()
        let stall = "0x5000000000000000000000000000000000000001", huge = "0x5000000000000000000000000000000000000004"
        let stream = "0x5000000000000000000000000000000000000006"
        let node = try startEVM(plan: Plan.plan, faults: [stall: "stall", huge: "huge", stream: "hugestream", Plan.a1: "flaky:1"],
                                tls: certificates.server)
        // Accepts connections (the kernel does, into the backlog) and never says a word: the handshake stalls.
        let silent = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(silent) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(silent, $0, length) } }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(silent, $0, &length) } }
        XCTAssertEqual(listen(silent, 16), 0)
        let silentPort = UInt16(bigEndian: address.sin_port)
        let s = String(try XCTUnwrap(node.marks["snapshot"]))
        let list = porList(summary: [], rows: [
            ("ETH", s, Plan.a1, "1.5"), ("ETH", s, stall, "1"), ("ETH", s, huge, "1"), ("ETH", s, stream, "1"),
            ("ETH", s, Plan.a2, "0.000000000000000001"),
            ("ETH-ARBITRUM", s, Plan.a1, "1"),
        ])
        let config = """
            {"nodes": [
              {"coin": "ETH", "kind": "evm", "url": "https://127.0.0.1:\(node.port)", "concurrency": 4, "timeout": 3, "retries": 1},
              {"coin": "ETH-ARBITRUM", "kind": "evm", "url": "https://127.0.0.1:\(silentPort)", "timeout": 2, "retries": 0}
            ]}
            """
        let store = try Store(directory: folder.appendingPathComponent("data"))
        let started = Date()
        let (summary, r) = try checkBalances(folder: folder, list: list, nodes: config, store: store, configure: trusting(certificates.ca))
        XCTAssertLessThan(Date().timeIntervalSince(started), 30, "stalls cost their timeouts, not forever")
        XCTAssertEqual(summary.addresses, 6, "every address has a result")
        XCTAssertEqual(r["ETH \(Plan.a1) \(s)"]?.verdict, .matched, "HTTP 503 once through TLS, then the answer")
        XCTAssertEqual(r["ETH \(Plan.a1) \(s)"]?.attempts, 2)
        XCTAssertEqual(r["ETH \(Plan.a2) \(s)"]?.verdict, .matched)
        assertError(r["ETH \(stall) \(s)"], "stalled", "no answer within 3 s (the node stalls) (after 2 attempts)", attempts: 2)
        assertError(r["ETH \(huge) \(s)"], "garbage", "answer of 20971558 bytes, more than the 16 MiB porcheck accepts", attempts: 1)
        // No length said: porcheck counts while it reads and stops at the cap (the relay holds 16 KiB at most).
        assertError(r["ETH \(stream) \(s)"], "garbage", "answer larger than that, more than the 16 MiB porcheck accepts", attempts: 1)
        assertError(r["ETH-ARBITRUM \(Plan.a1) \(s)"], "stalled", "eth_blockNumber failed: no answer within 2 s", attempts: 1)
    }

    /// The relay's framing: binary-safe fields, and every malformed frame a description, not a trap.
    func testRelayFramesRoundTripAndMalformedOnesAreNamed() throws {
        let frame = RelayFrame(kind: .open, fields: [[0, 255, 10, 13], [], Array("node.example".utf8)])
        XCTAssertEqual(try RelayFrame.decode(frame.encoded), frame)
        let bad: [([UInt8], String)] = [
            ([0, 0, 0], "3 bytes, shorter than a frame"),
            ([0, 0, 0, 9, 0x53], "its length says 9 bytes, it has 1"),
            ([0, 0, 0, 1, 0x00], "unknown kind 0"),
            ([0, 0, 0, 3, 0x53, 0, 0], "a field length cut short"),
            ([0, 0, 0, 6, 0x53, 0, 0, 0, 9, 1], "a field of 9 bytes runs past the frame"),
        ]
        for (bytes, message) in bad {
            XCTAssertThrowsError(try RelayFrame.decode(bytes)) { XCTAssertEqual("\($0)", message) }
        }
    }

    /// A relay that answers garbage, or dies at once, gives each https request a clear error.
    func testABrokenRelayIsAClearErrorNotACrash() throws {
        let url = try XCTUnwrap(URL(string: "https://127.0.0.1:9/"))
        let endpoint = NodeConfig.Endpoint(kind: .evm, url: url, user: nil, password: nil, headers: [:], concurrency: 1,
                                           timeout: 5, scanTimeout: 5, retries: 0, resultPath: nil, label: "test")
        let cases = [("printf 'garbage from a broken helper'; sleep 5", "sent a malformed frame"),
                     ("exit 3", "closed the connection without a status"),
                     ("", "needs porcheck-fetch (the TLS relay) installed")]
        for (script, message) in cases {
            let path = folder.appendingPathComponent("relay-\(UUID().uuidString.prefix(6))").path
            if !script.isEmpty {
                try Data("#!/bin/sh\n\(script)\n".utf8).write(to: URL(fileURLWithPath: path))
                chmod(path, 0o755)
            }
            let relay = TLSRelay(executable: path, caFile: nil)
            defer { relay.stop() }
            XCTAssertThrowsError(try RPCClient(endpoint: endpoint, relay: relay).result("eth_blockNumber", [], timeout: 5)) { error in
                guard case .transport(.tls(let why))? = error as? NodeError else { return XCTFail("\(error)") }
                XCTAssertTrue(why.contains(message), why)
            }
        }
        // Without a relay an https endpoint is refused, never sent in plain text.
        XCTAssertThrowsError(try RPCClient(endpoint: endpoint).result("eth_blockNumber", [], timeout: 5)) { error in
            XCTAssertEqual((error as? NodeError).map { NodeFailure(error: $0, attempts: 1).kind }, "tls")
        }
    }
}
