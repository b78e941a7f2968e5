import Foundation
import JSONReader
import Reserves

/// Balances from a Bitcoin Core-compatible node (bitcoind, litecoind, …).
///
/// Bitcoin Core cannot answer "balance at height N": `scantxoutset` reads the UTXO set at the
/// node's tip. So porcheck first compares `getblockcount` with the snapshot height and refuses to
/// compare at another height (saying how to roll the node back); then it asks `validateaddress`
/// for each address's output script, and scans the UTXO set for a chunk of addresses at once
/// (one scan at a time: the node allows no more), checking the scan's own height again.
struct BitcoinReader {
    let run: EndpointRun
    let pool: WorkerPool
    let client: RPCClient

    var endpoint: NodeConfig.Endpoint { run.endpoint }

    func read(_ items: [(AddressCheck, NodeConfig.Asset)]) {
        let label = endpoint.label
        guard let tip = run.height(of: items, "getblockcount", client: client, parse: { result throws(NodeError) in
            guard case .unsigned(let n) = result else { throw .garbage("getblockcount answered \(HTTPConnection.printable(result.text.prefix(60))), not a height") }
            return n
        }) else { return }
        var atTip = [AddressCheck]()
        var otherHeights = [UInt64: [AddressCheck]]()
        for (check, _) in items {
            guard let h = check.height else {
                run.notChecked([check], "no snapshot height", source: label)
                continue
            }
            if h == tip { atTip.append(check) } else { otherHeights[h, default: []].append(check) }
        }
        for (height, checks) in otherHeights.sorted(by: { $0.key < $1.key }) {
            run.notChecked(checks, BitcoinReader.wrongHeight(tip: tip, snapshot: height, coin: checks.first?.coin ?? ""), source: label)
        }
        guard !atTip.isEmpty else { return }
        // Output scripts, from the node itself (it knows its chain's address formats).
        let scripts = ScriptTable(count: atTip.count)
        var jobs = [WorkerPool.Job]()
        for (i, check) in atTip.enumerated() {
            jobs.append { [run] (client: RPCClient) in
                guard !run.cancelled.isSet else { return }
                do throws(NodeFailure) {
                    let (value, _) = try run.policy.run { () throws(NodeError) -> String? in
                        let r = try client.result("validateaddress", [.string(check.address)], timeout: run.endpoint.timeout)
                        guard case .bool(let valid)? = r["isvalid"] else {
                            throw .garbage("validateaddress answered \(HTTPConnection.printable(r.text.prefix(80))) without isvalid")
                        }
                        guard valid else { return nil }
                        guard case .string(let script)? = r["scriptPubKey"], !script.isEmpty, script.count <= 20_000,
                              script.allSatisfy(\.isHexDigit) else {
                            throw .garbage("validateaddress gave no scriptPubKey for a valid address")
                        }
                        return script.lowercased()
                    }
                    if let script = value {
                        scripts.set(i, script)
                    } else {
                        run.notChecked([check], "the node says '\(HTTPConnection.printable(check.address.prefix(80)))' is not an address of its chain (another coin or network?)", source: "validateaddress (\(run.endpoint.label))")
                    }
                } catch {
                    run.fail([check], "validateaddress failed", error, source: "validateaddress (\(run.endpoint.label))")
                }
            }
        }
        pool.perform(jobs)
        let valid = atTip.indices.compactMap { i in scripts.get(i).map { (atTip[i], $0) } }
        let chunk = max(1, run.options.scanChunk)
        var start = 0
        while start < valid.count {
            if run.cancelled.isSet { return }
            let part = Array(valid[start..<min(valid.count, start + chunk)])
            start += chunk
            scan(part, height: tip)
        }
    }

    func scan(_ part: [(AddressCheck, String)], height: UInt64) {
        let source = "scantxoutset at height \(height) (\(endpoint.label))"
        let descriptors = part.map { JSONValue.string("addr(\($0.0.address))") }
        do {
            let (answer, attempts) = try run.policy.run { () throws(NodeError) -> (UInt64?, [String: ExactDecimal], ExactDecimal) in
                let r = try client.result("scantxoutset", [.string("start"), .array(descriptors)], timeout: endpoint.scanTimeout,
                                          maximumBytes: run.options.scanAnswerLimit)
                if case .bool(false)? = r["success"] { throw .garbage("scantxoutset did not complete (success: false)") }
                var scanHeight: UInt64?
                if case .unsigned(let h)? = r["height"] { scanHeight = h }
                guard let total = BitcoinReader.amount(r["total_amount"]) else {
                    throw .garbage("scantxoutset's total_amount is \(HTTPConnection.printable((r["total_amount"]?.text ?? "missing").prefix(60))), not a non-negative amount")
                }
                guard case .array(let unspents)? = r["unspents"] else { throw .garbage("scantxoutset gave no unspents list") }
                var sums = [String: ExactDecimal]()
                var sum = ExactDecimal.zero
                for u in unspents {
                    guard case .string(let script)? = u["scriptPubKey"], let amount = BitcoinReader.amount(u["amount"]) else {
                        throw .garbage("an unspent output without scriptPubKey or a non-negative amount: \(HTTPConnection.printable(u.text.prefix(80)))")
                    }
                    sums[script.lowercased(), default: .zero] += amount
                    sum += amount
                }
                guard sum.numericallyEquals(total) else {
                    throw .garbage("scantxoutset's total_amount \(total) is not the sum of its unspents \(sum)")
                }
                return (scanHeight, sums, total)
            }
            if let h = answer.0, h != height {
                run.notChecked(part.map(\.0), "the node's tip moved from \(height) to \(h) during the scan: keep it from syncing (e.g. -connect=0) and run porcheck again", source: source)
                return
            }
            run.sink.push(part.map { check, script in
                AddressResult.compared(check, onChain: answer.1[script] ?? .zero, source: source, attempts: attempts)
            })
        } catch {
            if case .transport(.tooLarge) = error.error, part.count > 1 {
                // Too many unspent outputs for one answer: half the addresses at a time.
                let half = part.count / 2
                scan(Array(part[..<half]), height: height)
                scan(Array(part[half...]), height: height)
                return
            }
            var what = "scantxoutset failed"
            if case .rpc(let code, let message) = error.error {
                if code == -32601 { what = "scantxoutset is not available on this node (it needs Bitcoin Core 0.17 or later RPC)" }
                if message.lowercased().contains("scan already in progress") {
                    what = "another scantxoutset is running on the node (an interrupted run? `bitcoin-cli scantxoutset abort` stops it)"
                }
            }
            run.fail(part.map(\.0), what, error, source: source)
        }
    }

    /// A JSON amount (`50.00000000`), read exactly from its text (never through a Double).
    static func amount(_ v: JSONValue?) -> ExactDecimal? {
        guard let text = v?.numberText, !text.hasPrefix("-"), let d = ExactDecimal(text) else { return nil }
        return d
    }

    static func wrongHeight(tip: UInt64, snapshot: UInt64, coin: String) -> String {
        let cli = coin == "LTC" ? "litecoin-cli" : coin == "DOGE" ? "dogecoin-cli" : "bitcoin-cli"
        if tip > snapshot {
            return "the node is at height \(tip), the snapshot at \(snapshot): Bitcoin Core reads balances only at its tip, so porcheck does not compare. Roll it back: `\(cli) invalidateblock $(\(cli) getblockhash \(snapshot + 1))`, wait until `\(cli) getblockcount` prints \(snapshot), run porcheck again (afterwards `\(cli) reconsiderblock <that hash>` brings the node back)"
        }
        return "the node is at height \(tip), below the snapshot height \(snapshot): let it sync past \(snapshot), then roll it back to \(snapshot) (Docs/balances.md says how)"
    }
}

/// Output scripts found by the workers, by position.
final class ScriptTable: @unchecked Sendable {
    private let lock = NSLock()
    private var scripts: [String?]
    init(count: Int) { scripts = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ s: String) { lock.lock(); scripts[i] = s; lock.unlock() }
    func get(_ i: Int) -> String? { lock.lock(); defer { lock.unlock() }; return scripts[i] }
}
