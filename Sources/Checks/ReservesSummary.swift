import Balances
import Foundation
import History
import JSONReader
import Liabilities
import Reserves

/// `porcheck reserves`: per unit, what OKX published, what porcheck verified (ownership
/// signatures, balances at the snapshot height) and, beside it, the liabilities, each number
/// labelled with how it was established. Nothing unverified is shown as verified.
public struct ReservesSummary: Sendable {
    public struct Unit: Sendable {
        public var unit: String
        public var coins: [String] = []
        /// The list's summary block (as OKX wrote it).
        public var published: ExactDecimal?
        /// Sum of the list's rows (as OKX wrote them).
        public var listed = ExactDecimal.zero
        /// Rows whose ownership signature porcheck verified.
        public var signed = ExactDecimal.zero
        public var addresses = 0
        /// Addresses a node answered for (matched or mismatch) in the balance run.
        public var answered = 0
        public var mismatches = 0
        /// What the nodes answered for those addresses.
        public var onChain = ExactDecimal.zero
        /// Listed amounts of addresses whose signature is verified and whose balance matched on chain exactly.
        public var verified = ExactDecimal.zero
        /// From the user's liabilities file.
        public var liabilities: ExactDecimal?
        /// Whether a balance run exists (without one nothing is verified and there is no ratio).
        public var hasBalances = false

        /// verified ÷ liabilities, as a percentage rounded to 0.01 (display only).
        public var ratio: String? {
            guard hasBalances, let l = liabilities, let lv = Double(l.description), lv > 0, let v = Double(verified.description) else { return nil }
            return String(format: "%.2f %%", v / lv * 100)
        }
    }

    public var file: String
    public var listSHA256: String
    public var units: [Unit] = []
    public var walletRows = 0
    public var walletVerified = 0
    /// The balance run the on-chain numbers come from, if any.
    public var balanceRun: BalanceRunRecord?
    public var liabilitiesFile: String?
    public var liabilitiesSource: String?
    /// The exchange-wide totals of the latest zk-STARK v2 sum check porcheck passed.
    public var proven: (check: CheckRecord, totals: TotalsRecord)?
    public var historyID: Int64?

    public static func build(list argument: String, liabilities: String?, store: Store, record: Bool = true) throws -> ReservesSummary {
        let started = Date()
        let csv = try WalletCheck(store: store).resolveList(argument)
        let kept = record ? try store.keep(fileAt: csv.path) : try Store.digest(ofFileAt: csv.path)
        var summary = ReservesSummary(file: argument, listSHA256: kept.sha256)
        // Ownership: the signatures, verified now (offline, seconds for a whole list).
        var owned = Set<String>()
        let walletSummary: WalletSummary
        do {
            walletSummary = try WalletListVerifier.verify(file: csv) { row in
                if row.outcome.verdict == .verified { owned.insert(ReservesSummary.addressKey(row.coin, row.address)) }
            }
        } catch let error as WalletInputError {
            throw InputError(file: argument, "\(error)")
        }
        summary.walletRows = walletSummary.rows
        summary.walletVerified = walletSummary.verified
        var units = [String: Unit]()
        var order = [String]()
        func unit(_ name: String) -> Unit {
            if units[name] == nil { order.append(name); units[name] = Unit(unit: name) }
            return units[name] ?? Unit(unit: name)
        }
        for u in walletSummary.units {
            var x = unit(u.unit)
            x.published = u.claimed
            x.listed = u.amountAllRows
            x.signed = u.amountVerified
            units[u.unit] = x
        }
        // Balances: the latest run over this very list (finished preferred).
        summary.balanceRun = try store.latestBalanceRun(listSHA256: kept.sha256, finishedOnly: true)
            ?? store.latestBalanceRun(listSHA256: kept.sha256)
        let listing: WalletListEntries.Listing
        do { listing = try WalletListEntries.read(file: csv) } catch let error as WalletInputError {
            throw InputError(file: argument, "\(error)")
        }
        var answers = [String: BalanceResultRecord]()
        if let id = summary.balanceRun?.id {
            for r in try store.balanceResults(runID: id) { answers[r.key] = r }
        }
        for check in BalancePlan.checks(listing, scope: .everything) {
            guard let name = check.unit else { continue }
            var x = unit(name)
            if !x.coins.contains(check.coin) { x.coins.append(check.coin) }
            x.addresses += 1
            if let a = answers[check.key], let onChain = a.onChain.flatMap({ ExactDecimal($0) }),
               a.verdict == BalanceVerdict.matched.rawValue || a.verdict == BalanceVerdict.mismatch.rawValue {
                x.answered += 1
                x.onChain += onChain
                if a.verdict == BalanceVerdict.mismatch.rawValue {
                    x.mismatches += 1
                } else if owned.contains(ReservesSummary.addressKey(check.coin, check.address)), let listed = check.published, check.problem == nil {
                    x.verified += listed
                }
            }
            units[name] = x
        }
        if let liabilities {
            let (source, amounts) = try ReservesSummary.readLiabilities(liabilities)
            summary.liabilitiesFile = liabilities
            summary.liabilitiesSource = source
            for (name, amount) in amounts {
                var x = unit(name)
                x.liabilities = amount
                units[name] = x
            }
        }
        summary.units = order.compactMap { units[$0] }
        for i in summary.units.indices { summary.units[i].hasBalances = summary.balanceRun != nil }
        summary.proven = try store.latestVerifiedTotals()
        if record { summary.historyID = try summary.record(store: store, csvName: csv.lastPathComponent, kept: kept, started: started) }
        return summary
    }

    static func addressKey(_ coin: String, _ address: String) -> String {
        AddressCheck.key(coin: coin, address: address, height: "")
    }

    /// Per-unit liabilities the user supplies: JSON `{"source": "…", "liabilities": {"BTC": "12.5", …}}`
    /// or CSV lines `unit,amount` (an optional header line `unit,amount` or `coin,amount`).
    public static func readLiabilities(_ path: String) throws -> (source: String?, amounts: [(String, ExactDecimal)]) {
        guard let data = FileManager.default.contents(atPath: path) else { throw InputError(file: path, "cannot be read") }
        guard data.count <= 1 << 20 else { throw InputError(file: path, "larger than 1 MiB, not a liabilities file") }
        let bytes = Array(data)
        if bytes.first(where: { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }) == UInt8(ascii: "{") {
            let json: JSONValue
            do { json = try JSONParser.parse(bytes) } catch { throw InputError(file: path, "not valid JSON (\(error))") }
            guard case .object(let fields)? = json["liabilities"] else {
                throw InputError(file: path, "expected {\"liabilities\": {\"BTC\": \"12.5\", …}}")
            }
            var out = [(String, ExactDecimal)]()
            for (unit, value) in fields {
                let text: String?
                if case .string(let s) = value { text = s } else { text = value.numberText }
                guard let t = text, let amount = ExactDecimal(t), !t.hasPrefix("-") else {
                    throw InputError(file: path, "liabilities.\(unit) is not a non-negative decimal amount")
                }
                out.append((unit.uppercased(), amount))
            }
            var source: String?
            if case .string(let s)? = json["source"] { source = s }
            return (source, out)
        }
        guard let text = String(data: data, encoding: .utf8) else { throw InputError(file: path, "is neither JSON nor UTF-8 CSV") }
        var out = [(String, ExactDecimal)]()
        for (i, raw) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let cells = line.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            if i == 0, ["unit", "coin"].contains(cells[0].lowercased()) { continue }
            guard cells.count == 2, !cells[0].isEmpty, let amount = ExactDecimal(cells[1]), !cells[1].hasPrefix("-") else {
                throw InputError(file: path, "line \(i + 1) is not 'unit,amount' with a non-negative decimal amount")
            }
            out.append((cells[0].uppercased(), amount))
        }
        guard !out.isEmpty else { throw InputError(file: path, "no liabilities in the file") }
        return (nil, out)
    }

    var overall: VerdictValue {
        if units.contains(where: { $0.mismatches > 0 }) { return .failed }
        let complete = units.allSatisfy { $0.addresses == 0 || $0.verified.numericallyEquals($0.listed) }
        return complete && !units.isEmpty ? .passed : .notVerified
    }

    func record(store: Store, csvName: String, kept: (sha256: String, size: Int64), started: Date) throws -> Int64 {
        let results = units.enumerated().map { i, u -> ResultRecord in
            let v: VerdictValue = u.mismatches > 0 ? .failed : (u.addresses > 0 && u.verified.numericallyEquals(u.listed) ? .passed : .notVerified)
            return ResultRecord(checkID: 0, position: i, file: u.unit, format: "reserves", constraint: "reserves", verdict: v.rawValue,
                                reason: "published \(u.published?.description ?? "-"), listed \(u.listed), signed \(u.signed), on chain \(u.onChain) (\(u.answered) of \(u.addresses) addresses), verified \(u.verified)"
                                    + (u.liabilities.map { ", liabilities \($0) (user-supplied)" } ?? ""),
                                steps: [], warnings: [])
        }
        let check = CheckRecord(kind: "reserves", format: "wallet-list", round: nil, startedAt: started, finishedAt: Date(), verdict: overall.rawValue,
                                origin: "reserves", summary: "\(units.count) units; balance run \(balanceRun?.id.map { "#\($0)" } ?? "none")")
        let file = FileRecord(checkID: 0, role: "wallet-list", originalPath: self.file, name: csvName, sha256: kept.sha256, size: kept.size)
        return try store.record(Store.NewCheck(check: check, results: results, files: [file]))
    }

    // MARK: output

    var basis: [(String, String)] {
        var b = [("published", "the list's summary block, as OKX wrote it (not verified)"),
                 ("listed", "the sum of the list's rows (not verified)"),
                 ("signed", "rows whose ownership signature porcheck verified now, offline (\(walletVerified) of \(walletRows) rows)")]
        if let run = balanceRun, let id = run.id {
            b.append(("on_chain", "what your nodes answered at the snapshot height in balance run #\(id)\(run.finishedAt == nil ? " (unfinished: resume it with porcheck balances)" : "")"))
            b.append(("verified", "listed amounts of addresses that are signed AND matched on chain exactly: porcheck's verified reserves"))
        } else {
            b.append(("on_chain", "no balance run of this list in the history: run porcheck balances LIST --nodes CONFIG"))
            b.append(("verified", "nothing: without balances at the snapshot height no reserve is verified"))
        }
        if let f = liabilitiesFile {
            b.append(("liabilities", "from \(f)\(liabilitiesSource.map { " (\($0))" } ?? ""): supplied by you, not verified by porcheck"))
            b.append(("ratio", "verified ÷ liabilities, rounded to 0.01 %"))
        }
        return b
    }

    public var json: JSONValue {
        func d(_ x: ExactDecimal?) -> JSONValue { x.map { .string($0.description) } ?? .null }
        let rows = units.map { u -> JSONValue in
            .object([("unit", .string(u.unit)), ("coins", .array(u.coins.map { .string($0) })), ("published", d(u.published)),
                     ("listed", .string(u.listed.description)), ("signed", .string(u.signed.description)),
                     ("addresses", .unsigned(UInt64(u.addresses))), ("addresses_answered", .unsigned(UInt64(u.answered))),
                     ("mismatches", .unsigned(UInt64(u.mismatches))),
                     ("on_chain", balanceRun == nil ? .null : .string(u.onChain.description)),
                     ("verified", balanceRun == nil ? .null : .string(u.verified.description)),
                     ("liabilities", d(u.liabilities)), ("reserve_ratio", u.ratio.map { .string($0) } ?? .null)])
        }
        var proven = JSONValue.null
        if let p = self.proven {
            proven = .object([("check", .unsigned(UInt64(max(0, p.check.id ?? 0)))), ("round", p.totals.round.map { .string($0) } ?? .null),
                              ("equity", .string(p.totals.equity)), ("debt", .string(p.totals.debt)), ("net", .string(p.totals.net)),
                              ("basis", .string("zk-STARK v2 sum check porcheck passed: exchange-wide totals in one unit over all coins, not per coin"))])
        }
        var fields: [(key: String, value: JSONValue)] = [
            ("list", .string(file)), ("balance_run", balanceRun?.id.map { .unsigned(UInt64(max(0, $0))) } ?? .null),
            ("units", .array(rows)), ("liabilities_proven", proven),
            ("basis", .object(basis.map { ($0.0, .string($0.1)) })),
        ]
        if let id = historyID { fields.append(("history_id", .unsigned(UInt64(max(0, id))))) }
        return .object(fields)
    }

    public func text(style: Style) -> String {
        var lines = [style.bold("Reserves of \(file)")]
        lines.append("How each number was established:")
        for (k, v) in basis { lines.append("  \(k.padding(toLength: 11, withPad: " ", startingAt: 0)) \(v)") }
        var table = [["UNIT", "PUBLISHED", "LISTED", "SIGNED", "ON CHAIN", "ADDRESSES ANSWERED", "VERIFIED", "LIABILITIES", "RATIO"]]
        for u in units {
            table.append([u.unit, u.published?.description ?? "-", u.listed.description, u.signed.description,
                          balanceRun == nil ? "-" : u.onChain.description, "\(u.answered)/\(u.addresses)\(u.mismatches > 0 ? " (\(u.mismatches) MISMATCH)" : "")",
                          balanceRun == nil ? "-" : u.verified.description, u.liabilities?.description ?? "-", u.ratio ?? "-"])
        }
        let widths = (0..<table[0].count).map { c in table.map { $0[c].count }.max() ?? 0 }
        for (i, row) in table.enumerated() {
            let text = row.enumerated().map { c, cell in cell.padding(toLength: widths[c], withPad: " ", startingAt: 0) }.joined(separator: "  ")
            lines.append(i == 0 ? style.bold(text) : (row[5].contains("MISMATCH") ? style.red(text) : text))
        }
        if let p = proven {
            lines.append("Liabilities proven by porcheck: check #\(p.check.id ?? 0)\(p.totals.round.map { " (round \($0))" } ?? ""), zk-STARK v2 sum proof: total equity \(p.totals.equity), total debt \(p.totals.debt), net \(p.totals.net).")
            lines.append(style.dim("  These are exchange-wide totals in one unit over all coins, not per coin: no per-coin ratio comes from them. porcheck cannot tell whether that round and this list are the same audit; compare their dates."))
        } else {
            lines.append("Liabilities proven by porcheck: none in the history yet (porcheck verify the round's sum_proof_data.json).")
        }
        if let id = historyID { lines.append(style.dim("Recorded in history as #\(id).")) }
        return lines.joined(separator: "\n")
    }
}
