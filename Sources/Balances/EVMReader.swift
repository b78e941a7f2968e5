import Foundation
import JSONReader

/// Balances from an Ethereum JSON-RPC archive node at the snapshot block: `eth_getBalance` for the
/// chain's coin, `balanceOf` through `eth_call` for tokens (decimals configured or read with `decimals()`).
struct EVMReader {
    let run: EndpointRun
    let pool: WorkerPool
    let client: RPCClient

    var endpoint: NodeConfig.Endpoint { run.endpoint }

    func read(_ items: [(AddressCheck, NodeConfig.Asset)]) {
        let label = endpoint.label
        // The node must have reached every snapshot block it is asked about.
        guard let latest = run.height(of: items, "eth_blockNumber", client: client, parse: { result throws(NodeError) in
            try EndpointRun.unsignedHeight(try EndpointRun.quantity(result, what: "eth_blockNumber"), what: "eth_blockNumber")
        }) else { return }
        var ready = [(AddressCheck, NodeConfig.Asset)]()
        for (check, asset) in items {
            guard let height = check.height, height <= latest else {
                run.notChecked([check], "the node's latest block is \(latest), below the snapshot block \(check.heightText): it has not synced that far (or is another chain)", source: label)
                continue
            }
            guard ChainAmounts.balanceOfCallData(address: check.address) != nil else {
                run.notChecked([check], "'\(HTTPConnection.printable(check.address.prefix(64)))' is not an EVM address (0x and 40 hex digits)", source: label)
                continue
            }
            ready.append((check, asset))
        }
        // Token decimals not given in the configuration: decimals() at the first snapshot block that needs it.
        var decimals = [String: Int]()
        var wanted = [String: UInt64]()
        for (check, asset) in ready {
            if case .evmToken(let contract, nil) = asset.source, wanted[contract.lowercased()] == nil, let h = check.height {
                wanted[contract.lowercased()] = h
            }
        }
        var decimalsFailure = [String: NodeFailure]()
        for (contract, height) in wanted.sorted(by: { $0.key < $1.key }) {
            if run.cancelled.isSet { return }
            do {
                let (value, _) = try run.policy.run { () throws(NodeError) -> Int in
                    let call = JSONValue.object([("to", .string(contract)), ("data", .string("0x313ce567"))])
                    let result = try client.result("eth_call", [call, .string(ChainAmounts.quantity(height))], timeout: endpoint.timeout)
                    let n = try EVMReader.word(result, what: "decimals() of \(contract)")
                    guard let d = Int(n), d <= 77 else { throw .garbage("decimals() of \(contract) answered \(n), not 0…77") }
                    return d
                }
                decimals[contract] = value
            } catch {
                decimalsFailure[contract] = error
            }
        }
        var jobs = [WorkerPool.Job]()
        for (check, asset) in ready {
            guard let height = check.height else { continue }
            let block = ChainAmounts.quantity(height)
            switch asset.source {
            case .evmNative(let d):
                let source = "eth_getBalance at block \(height) (\(label))"
                jobs.append { [run] (client: RPCClient) in
                    guard !run.cancelled.isSet else { return }
                    do throws(NodeFailure) {
                        let (wei, attempts) = try run.policy.run { () throws(NodeError) -> String in
                            try EndpointRun.quantity(try client.result("eth_getBalance", [.string(check.address), .string(block)], timeout: run.endpoint.timeout),
                                                     what: "eth_getBalance")
                        }
                        run.sink.push(EVMReader.result(check, integer: wei, decimals: d, source: source, attempts: attempts))
                    } catch {
                        run.fail([check], "eth_getBalance failed" + EVMReader.archiveHint(error), error, source: source)
                    }
                }
            case .evmToken(let contract, let configured):
                if let failure = decimalsFailure[contract.lowercased()] {
                    run.fail([check], "decimals() of \(contract) failed (set \"decimals\" for the token in the configuration)", failure, source: label)
                    continue
                }
                guard let d = configured ?? decimals[contract.lowercased()],
                      let data = ChainAmounts.balanceOfCallData(address: check.address) else {
                    run.notChecked([check], "the decimals of \(contract) are unknown", source: label)
                    continue
                }
                let source = "balanceOf through eth_call to \(contract) at block \(height), \(d) decimals (\(label))"
                jobs.append { [run] (client: RPCClient) in
                    guard !run.cancelled.isSet else { return }
                    do throws(NodeFailure) {
                        let (units, attempts) = try run.policy.run { () throws(NodeError) -> String in
                            let call = JSONValue.object([("to", .string(contract)), ("data", .string(data))])
                            return try EVMReader.word(try client.result("eth_call", [call, .string(block)], timeout: run.endpoint.timeout),
                                                      what: "balanceOf at \(contract)")
                        }
                        run.sink.push(EVMReader.result(check, integer: units, decimals: d, source: source, attempts: attempts))
                    } catch {
                        run.fail([check], "eth_call balanceOf failed" + EVMReader.archiveHint(error), error, source: source)
                    }
                }
            case .bitcoinNative, .unsupported:
                run.notChecked([check], "not supported on an evm node", source: label)
            }
        }
        pool.perform(jobs)
    }

    static func result(_ check: AddressCheck, integer: String, decimals: Int, source: String, attempts: Int) -> AddressResult {
        guard let amount = ChainAmounts.scaled(integer, decimals: decimals) else {
            return AddressResult(check: check, verdict: .error, reason: "cannot scale \(integer) by 10^-\(decimals)", source: source, errorKind: "garbage", attempts: attempts)
        }
        return AddressResult.compared(check, onChain: amount, source: source, attempts: attempts)
    }

    /// An ABI-encoded uint256 return value (exactly 32 bytes) as a decimal integer.
    static func word(_ v: JSONValue, what: String) throws(NodeError) -> String {
        guard case .string(let text) = v, text.hasPrefix("0x") else {
            throw .garbage("\(what) answered \(HTTPConnection.printable(v.text.prefix(80))), not hex data")
        }
        if text == "0x" { throw .garbage("\(what) answered 0x: no contract code there at that block") }
        guard text.count == 66, let n = ChainAmounts.decimalString(hexQuantity: text) else {
            throw .garbage("\(what) answered \(HTTPConnection.printable(text.prefix(80))) (\(text.count - 2) hex digits), not one 32-byte word")
        }
        return n
    }

    /// Nodes that keep only recent state answer old-block queries with an error.
    static func archiveHint(_ failure: NodeFailure) -> String {
        guard case .rpc(_, let message) = failure.error else { return "" }
        let m = message.lowercased()
        return m.contains("missing trie node") || m.contains("state") || m.contains("pruned") || m.contains("header not found")
            ? " (is it an archive node? balances at an old block need one)" : ""
    }
}
