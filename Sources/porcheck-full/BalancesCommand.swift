import ArgumentParser
import Balances
import Checks
import Foundation
import JSONReader

/// Set by SIGINT/SIGTERM during `porcheck balances`: the run stops, keeps its answers, and can be resumed.
nonisolated(unsafe) var balancesInterrupted: sig_atomic_t = 0

struct BalancesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "balances",
        abstract: "Check the wallet list's amounts against your own nodes at the snapshot height.",
        discussion: """
            --nodes CONFIG is porcheck's node configuration or OKX's rpc.json (Docs/balances.md). EVM chains \
            are read with eth_getBalance / balanceOf at the snapshot block (an archive node); \
            Bitcoin-family chains with scantxoutset, only when the node is at the snapshot height. \
            https:// nodes (your own behind TLS, or an RPC provider) are reached through the \
            porcheck-fetch helper; their certificates are always verified (--ca-file adds a CA). \
            Each address gets one verdict: matched, mismatch, not-checked or error. --json prints \
            JSON Lines: one object per address {line, lines, coin, network, address, height, listed, \
            on_chain, verdict, reason, source, …} in list order, then {"summary": …}. An interrupted \
            run (Ctrl-C, a crash) is continued by the same command; --restart starts again. \
            Exit codes: 0 no mismatch, 1 a mismatch, 2 usage or input error, 130 interrupted.
            """)

    @OptionGroup var common: CommonOptions
    @Option(help: ArgumentHelp("Node configuration: porcheck's nodes.json or OKX's rpc.json.", valueName: "CONFIG")) var nodes: String
    @Option(help: ArgumentHelp("Check only this address.", valueName: "ADDRESS")) var address: String?
    @Option(help: ArgumentHelp("Check only this coin (as the list names it: BTC, ETH, USDT-ERC20 …).", valueName: "COIN")) var coin: String?
    @Flag(help: "Print JSON Lines instead of the table.") var json = false
    @Flag(help: "Continue the latest unfinished run of this list and configuration (an error if there is none).") var resume = false
    @Flag(help: "Start a new run even if an unfinished one exists.") var restart = false
    @Option(help: ArgumentHelp("Override every node's concurrency limit.", valueName: "N")) var concurrency: Int?
    @Option(name: .customLong("ca-file"),
            help: ArgumentHelp("Trust these PEM CA certificates for https:// nodes, besides the system's (a private CA).", valueName: "FILE"))
    var caFile: String?
    @Flag(name: .customLong("no-record"), help: "Do not record the finished run as a check in the history.") var noRecord = false
    @Argument(help: "The wallet list: a CSV file, a zip, or an https:// URL.") var list: String

    mutating func validate() throws {
        if resume && restart { throw ValidationError("give --resume or --restart, not both") }
        if let c = concurrency, !(1...256).contains(c) { throw ValidationError("--concurrency is 1…256") }
    }

    mutating func run() throws {
        let context = try common.context()
        var options = BalancesCheck.Options()
        if let address { options.scope = .address(address, coin: coin) } else if let coin { options.scope = .coin(coin) }
        options.resume = resume ? .required : restart ? .restart : .automatic
        options.record = !noRecord
        options.checker.concurrency = concurrency
        options.checker.caFile = caFile.map { URL(fileURLWithPath: $0).path }
        signal(SIGINT) { _ in balancesInterrupted = 1 }
        signal(SIGTERM) { _ in balancesInterrupted = 1 }
        let style = Style.forStandardOutput()
        let bar = ProgressBar(enabled: isatty(STDERR_FILENO) == 1)
        var out = BufferedOutput()
        let asJSON = json
        // Text: every mismatch on its own line as it comes; not-checked and error results after,
        // once per coin and reason (a node that is down, or a chain porcheck does not read, would fill pages).
        var groups = [String: (first: AddressResult, count: Int)]()
        var order = [String]()
        let summary = try BalancesCheck(store: context.store).run(list: list, nodes: nodes, options: options, onStart: { total, resumed, run in
            if resumed > 0 { warn("porcheck: continuing run #\(run): \(resumed) of \(total) addresses already answered (--restart starts again)") }
            bar.start(total: total)
        }, onResult: { r in
            if asJSON {
                out.line(r.json.text)
            } else if r.verdict == .mismatch {
                bar.clear()
                out.line(BalancesCheck.line(r, style: style))
                out.flush()
            } else if r.verdict != .matched {
                let group = "\(r.verdict.rawValue)|\(r.check.coin)|\(r.reason)"
                if let seen = groups[group] {
                    groups[group] = (seen.first, seen.count + 1)
                } else {
                    groups[group] = (r, 1)
                    order.append(group)
                }
            }
        }, progress: { done, total in bar.update(done, total) }, tick: { balancesInterrupted == 0 })
        bar.clear()
        if asJSON {
            out.line(BalancesCheck.json(summary).text)
        } else {
            for group in order {
                guard let g = groups[group] else { continue }
                out.line(BalancesCheck.line(g.first, style: style) + (g.count > 1 ? style.dim(" (and \(g.count - 1) more: --json lists each)") : ""))
            }
            out.line(BalancesCheck.text(summary, style: style))
        }
        out.flush()
        if summary.interrupted { throw ExitCode(130) }
        throw ExitCode(summary.exitCode)
    }
}

struct ReservesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reserves",
        abstract: "Reserves beside liabilities: per unit, what is published, signed, confirmed on chain, and the liabilities.",
        discussion: """
            Verifies the list's ownership signatures (offline), takes the balances of the latest \
            `porcheck balances` run over the same list from the history, and the exchange-wide totals \
            of the latest zk-STARK v2 sum check porcheck passed. Per-unit liabilities come only from \
            --liabilities FILE (JSON {"source": "…", "liabilities": {"BTC": "12.5", …}} or CSV \
            unit,amount lines), and a reserve ratio is shown only where they are given. Every number \
            says how it was established.
            """)

    @OptionGroup var common: CommonOptions
    @Option(help: ArgumentHelp("Per-unit liabilities (JSON or CSV, Docs/balances.md).", valueName: "FILE")) var liabilities: String?
    @Flag(help: "Print one JSON object.") var json = false
    @Flag(name: .customLong("no-record"), help: "Do not record the summary in the history.") var noRecord = false
    @Argument(help: "The wallet list: a CSV file, a zip, or an https:// URL.") var list: String

    mutating func run() throws {
        let context = try common.context()
        let summary = try ReservesSummary.build(list: list, liabilities: liabilities, store: context.store, record: !noRecord)
        print(json ? summary.json.text : summary.text(style: Style.forStandardOutput()))
    }
}

/// `[#####-----] 1234/5000 addresses, 812/s` on standard error (only on a terminal).
final class ProgressBar: @unchecked Sendable {
    let enabled: Bool
    var started = Date()
    var last = Date.distantPast
    init(enabled: Bool) { self.enabled = enabled }

    func start(total: Int) { started = Date() }

    func update(_ done: Int, _ total: Int) {
        guard enabled, total > 0, Date().timeIntervalSince(last) > 0.1 || done == total else { return }
        last = Date()
        let width = 30
        let filled = width * done / total
        let rate = Double(done) / max(0.001, Date().timeIntervalSince(started))
        let text = "[" + String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled) + "] \(done)/\(total) addresses, \(Int(rate))/s"
        FileHandle.standardError.write(Data("\r\(text)   ".utf8))
    }

    func clear() {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}
