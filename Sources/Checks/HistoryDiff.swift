import Foundation
import History
import Reserves

/// What changed between two checks of the same kind: verdicts, the exchange's totals, the user's
/// own balances per token; and a compact trend of the user's net balance across all checks.
public enum HistoryDiff {
    /// The latest check and the one before it of the same kind.
    public static func defaultPair(in store: Store) throws -> (older: Int64, newer: Int64)? {
        guard let newest = try store.checks(Store.Filter(limit: 1)).first, let newID = newest.id else { return nil }
        let sameKind = try store.checks(Store.Filter(kind: newest.kind, limit: 2))
        guard sameKind.count == 2, let oldID = sameKind[1].id else { return nil }
        return (oldID, newID)
    }

    public static func text(older a: Store.CheckDetail, newer b: Store.CheckDetail, trend: [TrendPoint], style: Style,
                            store: Store? = nil) -> String {
        var lines = [style.bold("Changes from #\(a.check.id ?? 0) (\(HistoryView.isoString(a.check.startedAt)), round \(a.check.round ?? "-")) to #\(b.check.id ?? 0) (\(HistoryView.isoString(b.check.startedAt)), round \(b.check.round ?? "-"))")]
        lines.append(a.check.verdict == b.check.verdict ? "  verdict: \(b.check.verdict) (unchanged)" : "  verdict: \(a.check.verdict) → \(b.check.verdict)")
        if let ta = a.totals.first, let tb = b.totals.first {
            lines.append("Exchange totals\(tb.verified ? "" : " (claimed by the file, not verified)"):")
            lines.append("  equity \(change(ta.equity, tb.equity))")
            lines.append("  debt   \(change(ta.debt, tb.debt))")
            lines.append("  net    \(change(ta.net, tb.net))")
        }
        let accountsA = Dictionary(a.accounts.map { ($0.accountPrefix, $0) }, uniquingKeysWith: { x, _ in x })
        for account in b.accounts {
            guard let before = accountsA[account.accountPrefix] else {
                lines.append("Account \(account.accountPrefix)…: new in #\(b.check.id ?? 0) (equity \(account.equityTotal), debt \(account.debtTotal))")
                continue
            }
            lines.append("Account \(account.accountPrefix)…: equity \(change(before.equityTotal, account.equityTotal)), debt \(change(before.debtTotal, account.debtTotal))")
            let old = before.perTokenMap, new = account.perTokenMap
            for token in Set(old.keys).union(new.keys).sorted() {
                let o = old[token] ?? ["0", "0"], n = new[token] ?? ["0", "0"]
                if o == n { continue }
                let eq = o.first != n.first ? " equity \(change(o.first ?? "0", n.first ?? "0"))" : ""
                let de = o.last != n.last ? " debt \(change(o.last ?? "0", n.last ?? "0"))" : ""
                lines.append("    \(token.padding(toLength: 8, withPad: " ", startingAt: 0))\(eq)\(de)")
            }
        }
        if a.check.kind == "wallets", b.check.kind == "wallets", let store {
            lines += walletChanges(store: store, older: a, newer: b)
        }
        let accountsB = Set(b.accounts.map(\.accountPrefix))
        for account in a.accounts where !accountsB.contains(account.accountPrefix) {
            lines.append("Account \(account.accountPrefix)…: not in #\(b.check.id ?? 0)")
        }
        if trend.count >= 2 {
            lines.append("Your net balance over \(trend.count) checks: \(sparkline(trend.compactMap { Double($0.net) }))  (\(trend.first?.net ?? "") → \(trend.last?.net ?? ""))")
        }
        return lines.joined(separator: "\n")
    }

    /// Wallet lists: addresses added and removed, and each coin's total, from the two kept lists.
    static func walletChanges(store: Store, older a: Store.CheckDetail, newer b: Store.CheckDetail) -> [String] {
        func read(_ d: Store.CheckDetail) -> (addresses: Set<String>, totals: [String: ExactDecimal])? {
            guard let file = d.files.first(where: { $0.role == "wallet-list" }),
                  let url = try? store.checkedKeptFile(sha256: file.sha256) else { return nil }
            var addresses = Set<String>()
            var totals = [String: ExactDecimal]()
            _ = try? WalletListVerifier.verify(file: url) { row in
                let key = "\(row.coin) \(row.network)".trimmingCharacters(in: .whitespaces)
                addresses.insert("\(key) \(row.address)")
                if let amount = row.amount { totals[key, default: .zero] += amount }
            }
            return (addresses, totals)
        }
        guard let old = read(a), let new = read(b) else { return ["Wallet lists: a kept list is missing, so addresses cannot be compared."] }
        let added = new.addresses.subtracting(old.addresses).sorted(), removed = old.addresses.subtracting(new.addresses).sorted()
        var lines = ["Wallet lists: \(added.count) addresses added, \(removed.count) removed"]
        for x in added.prefix(10) { lines.append("  + \(x)") }
        if added.count > 10 { lines.append("  + … \(added.count - 10) more") }
        for x in removed.prefix(10) { lines.append("  - \(x)") }
        if removed.count > 10 { lines.append("  - … \(removed.count - 10) more") }
        for coin in Set(old.totals.keys).union(new.totals.keys).sorted() {
            let o = old.totals[coin]?.description ?? "0", n = new.totals[coin]?.description ?? "0"
            if o != n { lines.append("  \(coin.padding(toLength: 16, withPad: " ", startingAt: 0)) total \(o) → \(n)") }
        }
        return lines
    }

    /// `old → new (+delta)`, exact for integers that fit in 128 bits.
    static func change(_ old: String, _ new: String) -> String {
        guard old != new else { return "\(new) (unchanged)" }
        if let o = Int128(old), let n = Int128(new) {
            let (d, overflow) = n.subtractingReportingOverflow(o)
            if !overflow { return "\(old) → \(new) (\(d >= 0 ? "+" : "")\(d))" }
        }
        return "\(old) → \(new)"
    }

    public struct TrendPoint: Sendable {
        public var checkID: Int64
        public var date: Date
        public var account: String
        /// equity − debt, exact.
        public var net: String
    }

    /// The user's net balance (equity − debt) in every check that showed an account, oldest first.
    public static func trend(in store: Store, account: String? = nil) throws -> [TrendPoint] {
        try store.accountHistory(prefix: account).compactMap { entry in
            guard let e = Int128(entry.account.equityTotal), let d = Int128(entry.account.debtTotal) else { return nil }
            return TrendPoint(checkID: entry.checkID, date: entry.startedAt, account: entry.account.accountPrefix, net: String(e - d))
        }
    }

    /// A one-line chart: ▁▂▃▄▅▆▇█ scaled between the smallest and largest value.
    public static func sparkline(_ values: [Double]) -> String {
        let bars = Array("▁▂▃▄▅▆▇█")
        guard let lo = values.min(), let hi = values.max() else { return "" }
        return String(values.map { v in
            hi == lo ? bars[3] : bars[min(bars.count - 1, Int((v - lo) / (hi - lo) * Double(bars.count - 1) + 0.5))]
        })
    }
}
