import Balances
import Foundation
import Hashing
import History
import JSONReader
import Liabilities
import Reserves

/// `porcheck balances`: the listed amounts against the user's own nodes at the snapshot height,
/// every answer kept in the store as it arrives so that an interrupted run can be resumed.
public struct BalancesCheck: Sendable {
    public let store: Store

    public init(store: Store) { self.store = store }

    public enum Resume: Sendable, Equatable {
        /// Continue the latest unfinished run of the same list, configuration and scope if there is one.
        case automatic
        /// Continue it; an error when there is none.
        case required
        /// Start again from nothing.
        case restart
    }

    public struct Options: Sendable {
        public var scope = BalanceScope.everything
        public var resume = Resume.automatic
        public var record = true
        public var checker = BalanceChecker.Options()
        public var wallet = WalletCheck.Options()
        public init() {}
    }

    /// Per coin: the addresses' verdicts and amounts, and the summary block beside them.
    public struct CoinTotal: Sendable {
        public var coin: String
        public var unit: String?
        public var addresses = 0
        public var counts: [BalanceVerdict: Int] = [:]
        /// Sum of the listed amounts of every address of the coin (in this run's scope).
        public var listed = ExactDecimal.zero
        /// Sum of what the nodes answered (matched and mismatch addresses).
        public var onChain = ExactDecimal.zero
        /// Sum of the listed amounts of the answered addresses (to compare with `onChain`).
        public var listedAnswered = ExactDecimal.zero
        /// The file's summary-block amount for this coin, if it has one.
        public var claimed: ExactDecimal?
        /// matched / mismatch when every address was answered; not-checked otherwise.
        public var claimVerdict = BalanceVerdict.notChecked
        public var claimReason = ""

        public var answered: Int { (counts[.matched] ?? 0) + (counts[.mismatch] ?? 0) }
    }

    public struct Summary: Sendable {
        public var file: String
        public var listSHA256: String
        public var runID: Int64
        /// Answers taken from the interrupted run this one continued.
        public var resumedAnswers = 0
        public var addresses = 0
        public var counts: [BalanceVerdict: Int] = [:]
        public var coins: [CoinTotal] = []
        /// True when the run was stopped before every address had an answer (it can be resumed).
        public var interrupted = false
        public var historyID: Int64?
        public var seconds: Double = 0

        public func count(_ v: BalanceVerdict) -> Int { counts[v] ?? 0 }
        public var failed: Bool { count(.mismatch) > 0 || coins.contains { $0.claimVerdict == .mismatch } }
        public var exitCode: Int32 { failed ? 1 : 0 }
        public var overall: VerdictValue {
            if failed { return .failed }
            if interrupted || count(.notChecked) + count(.error) > 0 || count(.matched) == 0 { return .notVerified }
            return .passed
        }
    }

    /// Runs the check. `onResult` gets every address in list order (answers of a resumed run
    /// first); `progress` (done, total) after each answer; `tick` about ten times a second, and the
    /// run stops (resumable) when it returns false.
    /// `--ca-file` is checked before any node is asked (the TLS relay would only find out at the
    /// first https connection, once per address).
    static func checkCAFile(_ path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else { throw InputError(file: path, "cannot be read (--ca-file)") }
        guard data.count <= 8 << 20, String(decoding: data, as: UTF8.self).contains("-----BEGIN CERTIFICATE-----") else {
            throw InputError(file: path, "not a PEM certificate file (--ca-file takes the CA's certificate, -----BEGIN CERTIFICATE-----)")
        }
    }

    public func run(list argument: String, nodes configPath: String, options: Options = Options(),
                    onStart: (_ total: Int, _ resumed: Int, _ runID: Int64) -> Void = { _, _, _ in },
                    onResult: (AddressResult) throws -> Void,
                    progress: (_ done: Int, _ total: Int) -> Void = { _, _ in },
                    tick: () -> Bool = { true }) throws -> Summary {
        let started = Date()
        let config: NodeConfig
        do { config = try NodeConfig.load(path: configPath) } catch let e as NodeConfig.ConfigError {
            throw InputError("\(e)")
        }
        if let caFile = options.checker.caFile { try Self.checkCAFile(caFile) }
        let configSHA = Hex.encode(SHA256.hash(Array((FileManager.default.contents(atPath: configPath)) ?? Data())))
        let csv = try WalletCheck(store: store).resolveList(argument, options: options.wallet)
        let listing: WalletListEntries.Listing
        do { listing = try WalletListEntries.read(file: csv) } catch let error as WalletInputError {
            throw InputError(file: argument, "\(error)")
        }
        let checks = BalancePlan.checks(listing, scope: options.scope)
        switch options.scope {
        case .everything: guard !checks.isEmpty else { throw InputError(file: argument, "the list has no detail rows") }
        case .coin(let c): guard !checks.isEmpty else { throw InputError(file: argument, "no row of coin \(c.uppercased()) in the list") }
        case .address(let a, _): guard !checks.isEmpty else { throw InputError(file: argument, "address \(a) is not in the list") }
        }
        let kept = try store.keep(fileAt: csv.path)
        // The run: a new one, or the interrupted one of the same question.
        var run: BalanceRunRecord
        var previous = [String: BalanceResultRecord]()
        let unfinished = options.resume == .restart ? nil
            : try store.unfinishedBalanceRun(listSHA256: kept.sha256, configSHA256: configSHA, scope: options.scope.description)
        if let unfinished, let id = unfinished.id {
            run = unfinished
            // Answers from the chain stand (a balance at a past height does not change); the rest is asked again.
            for r in try store.balanceResults(runID: id) where r.verdict == BalanceVerdict.matched.rawValue || r.verdict == BalanceVerdict.mismatch.rawValue {
                previous[r.key] = r
            }
        } else {
            if options.resume == .required {
                throw InputError(file: argument, "no unfinished balance run of this list with this node configuration and scope to resume")
            }
            run = try store.startBalanceRun(BalanceRunRecord(listSHA256: kept.sha256, listName: argument, configSHA256: configSHA,
                                                             scope: options.scope.description, startedAt: started))
        }
        guard let runID = run.id else { throw InputError("the history store gave the run no id") }

        var results = [AddressResult?](repeating: nil, count: checks.count)
        var todo = [AddressCheck]()
        var index = [String: Int]()
        for (i, check) in checks.enumerated() {
            index[check.key] = i
            if let old = previous[check.key], let verdict = BalanceVerdict(rawValue: old.verdict) {
                results[i] = AddressResult(check: check, verdict: verdict, onChain: old.onChain.flatMap { ExactDecimal($0) },
                                           reason: old.reason + " (answered \(HistoryView.isoString(old.answeredAt)), resumed)",
                                           source: old.source, errorKind: old.errorKind, attempts: old.attempts)
            } else {
                todo.append(check)
            }
        }
        let resumed = checks.count - todo.count
        onStart(checks.count, resumed, runID)
        // Emit in list order: everything up to the first address still waiting for its answer.
        var emitted = 0
        func emit() throws {
            while emitted < results.count, let r = results[emitted] {
                try onResult(r)
                emitted += 1
            }
        }
        try emit()
        var unsaved = [BalanceResultRecord]()
        var lastSave = Date()
        var done = resumed
        var failure: Error?
        let checker = BalanceChecker(config: config, options: options.checker)
        let finished = checker.run(todo, onResult: { result in
            guard failure == nil, let i = index[result.check.key] else { return }
            results[i] = result
            unsaved.append(BalancesCheck.record(result, runID: runID))
            done += 1
            progress(done, checks.count)
            do {
                if unsaved.count >= 500 || Date().timeIntervalSince(lastSave) > 0.5 {
                    try store.saveBalanceResults(unsaved)
                    unsaved.removeAll()
                    lastSave = Date()
                }
                try emit()
            } catch {
                failure = error
                checker.cancel()
            }
        }, tick: { failure == nil && tick() })
        try store.saveBalanceResults(unsaved)
        if let failure { throw failure }
        var summary = BalancesCheck.summarise(results.compactMap { $0 }, listing: listing, scope: options.scope)
        summary.file = argument
        summary.listSHA256 = kept.sha256
        summary.runID = runID
        summary.resumedAnswers = resumed
        summary.interrupted = !finished
        summary.seconds = Date().timeIntervalSince(started)
        if finished {
            if options.record {
                summary.historyID = try record(summary, source: argument, csvName: csv.lastPathComponent, kept: kept, started: run.startedAt)
            }
            try store.finishBalanceRun(id: runID, checkID: summary.historyID)
        }
        return summary
    }

    static func record(_ r: AddressResult, runID: Int64) -> BalanceResultRecord {
        BalanceResultRecord(runID: runID, key: r.check.key, coin: r.check.coin, network: r.check.network, address: r.check.address,
                            height: r.check.heightText, lines: r.check.lines, listed: r.check.published?.description,
                            onChain: r.onChain?.description, verdict: r.verdict.rawValue, reason: r.reason, source: r.source,
                            errorKind: r.errorKind, attempts: r.attempts)
    }

    /// Counts per verdict, and per coin the sums beside the file's summary block.
    public static func summarise(_ results: [AddressResult], listing: WalletListEntries.Listing, scope: BalanceScope) -> Summary {
        var summary = Summary(file: listing.file, listSHA256: "", runID: 0)
        var coins = [String: CoinTotal]()
        var order = [String]()
        for r in results {
            summary.addresses += 1
            summary.counts[r.verdict, default: 0] += 1
            let coin = r.check.coin
            if coins[coin] == nil { order.append(coin); coins[coin] = CoinTotal(coin: coin, unit: r.check.unit) }
            guard var c = coins[coin] else { continue }
            c.addresses += 1
            c.counts[r.verdict, default: 0] += 1
            if let p = r.check.published { c.listed += p }
            if r.verdict == .matched || r.verdict == .mismatch, let amount = r.onChain {
                c.onChain += amount
                if let p = r.check.published { c.listedAnswered += p }
            }
            coins[coin] = c
        }
        let wholeCoins: Bool
        if case .address = scope { wholeCoins = false } else { wholeCoins = true }
        for coin in order {
            guard var c = coins[coin] else { continue }
            c.claimed = listing.claimed.first { $0.coin.uppercased() == coin && $0.amount != nil }?.amount
            if !wholeCoins {
                c.claimReason = "one address only: the coin's total is not compared"
            } else if c.answered < c.addresses {
                c.claimReason = "\(c.addresses - c.answered) of \(c.addresses) addresses have no on-chain answer: the coin's total is not confirmed"
            } else if let claimed = c.claimed {
                c.claimVerdict = c.onChain.numericallyEquals(claimed) ? .matched : .mismatch
                c.claimReason = "on chain \(c.onChain) \(c.claimVerdict == .matched ? "=" : "≠") the summary block's \(claimed)"
            } else {
                c.claimVerdict = c.onChain.numericallyEquals(c.listed) ? .matched : .mismatch
                c.claimReason = "the summary block has no line for \(coin); on chain \(c.onChain) \(c.claimVerdict == .matched ? "=" : "≠") the rows' sum \(c.listed)"
            }
            summary.coins.append(c)
        }
        return summary
    }

    func record(_ s: Summary, source: String, csvName: String, kept: (sha256: String, size: Int64), started: Date) throws -> Int64 {
        let results = s.coins.enumerated().map { i, c -> ResultRecord in
            let v: VerdictValue = (c.counts[.mismatch] ?? 0) > 0 || c.claimVerdict == .mismatch ? .failed
                : (c.counts[.matched] ?? 0) == c.addresses ? .passed : .notVerified
            return ResultRecord(checkID: 0, position: i, file: c.coin, format: "balances", constraint: "balance at snapshot height", verdict: v.rawValue,
                                reason: "\(c.addresses) addresses: \(BalancesCheck.countsText(c.counts)); on chain \(c.onChain) of listed \(c.listed); total: \(c.claimReason)",
                                steps: [], warnings: [])
        }
        let heights = Set(try store.balanceResults(runID: s.runID).map(\.height))
        let check = CheckRecord(kind: "balances", format: "wallet-list", round: heights.count == 1 ? heights.first : nil, startedAt: started,
                                finishedAt: Date(), verdict: s.overall.rawValue, origin: "balances",
                                summary: "\(s.addresses) addresses: \(BalancesCheck.countsText(s.counts))")
        let file = FileRecord(checkID: 0, role: "wallet-list", originalPath: source, name: csvName, sha256: kept.sha256, size: kept.size)
        return try store.record(Store.NewCheck(check: check, results: results, files: [file]))
    }

    public static func countsText(_ counts: [BalanceVerdict: Int]) -> String {
        BalanceVerdict.allCases.map { "\(counts[$0] ?? 0) \($0.rawValue)" }.joined(separator: ", ")
    }

    // MARK: output

    /// The JSON Lines summary object (after one object per address).
    public static func json(_ s: Summary) -> JSONValue {
        let coins = s.coins.map { c -> JSONValue in
            .object([("coin", .string(c.coin)), ("unit", c.unit.map { .string($0) } ?? .null), ("addresses", .unsigned(UInt64(c.addresses))),
                     ("counts", counts(c.counts)), ("listed", .string(c.listed.description)), ("on_chain", .string(c.onChain.description)),
                     ("listed_answered", .string(c.listedAnswered.description)),
                     ("summary_block", c.claimed.map { .string($0.description) } ?? .null),
                     ("total_verdict", .string(c.claimVerdict.rawValue)), ("total_reason", .string(c.claimReason))])
        }
        var fields: [(key: String, value: JSONValue)] = [
            ("file", .string(s.file)), ("run", .unsigned(UInt64(max(0, s.runID)))), ("addresses", .unsigned(UInt64(s.addresses))),
            ("counts", counts(s.counts)), ("resumed_answers", .unsigned(UInt64(s.resumedAnswers))), ("interrupted", .bool(s.interrupted)),
            ("verdict", .string(s.overall.rawValue)), ("coins", .array(coins)),
        ]
        if let id = s.historyID { fields.append(("history_id", .unsigned(UInt64(max(0, id))))) }
        return .object([("summary", .object(fields))])
    }

    static func counts(_ c: [BalanceVerdict: Int]) -> JSONValue {
        .object(BalanceVerdict.allCases.map { ($0.rawValue, .unsigned(UInt64(c[$0] ?? 0))) })
    }

    /// One line for an address that did not match (text mode lists these, not the matched ones).
    public static func line(_ r: AddressResult, style: Style) -> String {
        let head = "line \(r.check.lines.first ?? 0) \(r.check.coin) \(r.check.address)"
        switch r.verdict {
        case .matched: return "\(style.green("matched"))      \(head): \(r.reason)"
        case .mismatch: return "\(style.red("MISMATCH"))     \(head): \(r.reason) [\(r.source)]"
        case .error: return "\(style.red("error"))        \(head): \(r.reason)"
        case .notChecked: return "\(style.yellow("not checked"))  \(head): \(r.reason)"
        }
    }

    /// The per-coin table and the totals, for people.
    public static func text(_ s: Summary, style: Style) -> String {
        var lines = [style.bold("\(s.file): \(s.addresses) addresses — \(countsText(s.counts))")]
        if s.resumedAnswers > 0 { lines.append("Continued run #\(s.runID): \(s.resumedAnswers) answers kept from the interrupted run.") }
        var table = [["COIN", "ADDRESSES", "MATCHED", "MISMATCH", "NOT CHECKED", "ERROR", "LISTED", "ON CHAIN (answered)", "SUMMARY BLOCK", "TOTAL"]]
        for c in s.coins {
            table.append([c.coin, String(c.addresses), String(c.counts[.matched] ?? 0), String(c.counts[.mismatch] ?? 0),
                          String(c.counts[.notChecked] ?? 0), String(c.counts[.error] ?? 0), c.listed.description,
                          c.answered > 0 ? c.onChain.description : "-", c.claimed?.description ?? "-", c.claimVerdict.rawValue])
        }
        let widths = (0..<table[0].count).map { col in table.map { $0[col].count }.max() ?? 0 }
        for (i, row) in table.enumerated() {
            let text = row.enumerated().map { col, cell in cell.padding(toLength: widths[col], withPad: " ", startingAt: 0) }.joined(separator: "  ")
            lines.append(i == 0 ? style.bold(text) : (row[3] != "0" || row[9] == "mismatch" ? style.red(text) : text))
        }
        // Totals: said for the coins with answers; the others are counted.
        for c in s.coins where c.answered > 0 && !c.claimReason.isEmpty { lines.append("  \(c.coin) total: \(c.claimReason)") }
        let silent = s.coins.filter { $0.answered == 0 }.count
        if silent > 0 { lines.append("  \(silent) coin\(silent == 1 ? " has" : "s have") no on-chain answer at all: their totals are not confirmed.") }
        if s.interrupted {
            lines.append(style.yellow("Interrupted: \(s.addresses) of the addresses have an answer. Run the same command again to continue run #\(s.runID)."))
        } else if s.count(.notChecked) + s.count(.error) > 0 {
            lines.append(style.yellow("Not every address was checked: not-checked and error results are not confirmations (porcheck balances --json lists each with its reason)."))
        }
        if let id = s.historyID { lines.append(style.dim("Recorded in history as #\(id).")) }
        return lines.joined(separator: "\n")
    }
}
