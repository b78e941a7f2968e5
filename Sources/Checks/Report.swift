import Foundation
import Liabilities

/// Renders an `Outcome` for people (text) and for scripts (`--json`).
public enum Report {
    /// Text for a terminal: OKX's verdict sentences first, then what porcheck checked and why.
    public static func text(_ outcome: Outcome, style: Style, maxTokens: Int = 12) -> String {
        var lines = [String]()
        if let round = outcome.round { lines.append(style.bold("Audit round \(round)")) }
        for verdict in outcome.verdicts {
            let sentence = verdict.okxSentence
            switch verdict.verdict {
            case .passed: lines.append(style.green(sentence))
            case .failed: lines.append(style.red(sentence))
            case .notVerified: lines.append(style.yellow(sentence))
            }
            lines.append("  file: \(verdict.file)")
            lines.append("  \(verdict.verdict == .failed ? "failed check" : "why"): \(verdict.reason)")
            for step in verdict.steps { lines.append(style.dim("  checked: \(step)")) }
            for warning in verdict.warnings { lines.append(style.yellow("  warning: \(warning)")) }
            if let okx = verdict.okxVerdict, okx != verdict.verdict {
                lines.append(style.yellow("  note: OKX's own validator would say \"\(okx.rawValue)\" here"))
            }
        }
        if let totals = outcome.totals {
            let tag = totals.verified ? "proven by the global proof" : "claimed by the file, NOT verified"
            lines.append("Exchange totals (\(tag)): equity \(totals.equity), debt \(totals.debt), net \(totals.net)")
        }
        for account in outcome.accounts {
            if account.equityTotal == "-" {
                lines.append("Your balances in \(URL(fileURLWithPath: account.file).lastPathComponent):")
            } else {
                lines.append("Your account \(account.accountPrefix)… (\(URL(fileURLWithPath: account.file).lastPathComponent)): equity \(account.equityTotal), debt \(account.debtTotal)")
            }
            for token in account.tokens.prefix(maxTokens) {
                lines.append("    \(token.token.padding(toLength: 8, withPad: " ", startingAt: 0)) equity \(token.equity)\(token.debt == "0" ? "" : "  debt \(token.debt)")")
            }
            if account.tokens.count > maxTokens {
                lines.append(style.dim("    … \(account.tokens.count - maxTokens) more non-zero tokens\(outcome.historyID.map { " (porcheck history show \($0))" } ?? "")"))
            }
        }
        for note in outcome.notes { lines.append(style.yellow("note: \(note)")) }
        if let id = outcome.historyID { lines.append(style.dim("Recorded in history as #\(id).")) }
        return lines.joined(separator: "\n")
    }

    /// `porcheck verify --json`: `{"checks": [{file, format, constraint, verdict, reason, …}], …}`.
    /// `checks[]` and its five first fields are a stable contract; the rest may grow.
    public static func json(_ outcome: Outcome) -> String {
        var checks = [[String: Any]]()
        for v in outcome.verdicts {
            var c: [String: Any] = [
                "file": v.file, "format": v.format.rawValue, "constraint": v.constraint.rawValue,
                "verdict": v.verdict.rawValue, "reason": v.reason, "steps": v.steps, "warnings": v.warnings,
            ]
            if let okx = v.okxVerdict { c["okx_verdict"] = okx.rawValue }
            checks.append(c)
        }
        var top: [String: Any] = ["checks": checks, "overall": outcome.overall.rawValue]
        if let round = outcome.round { top["round"] = round }
        if let id = outcome.historyID { top["history_id"] = id }
        if let t = outcome.totals {
            top["totals"] = ["equity": t.equity, "debt": t.debt, "net": t.net, "verified": t.verified]
        }
        top["accounts"] = outcome.accounts.map { a -> [String: Any] in
            ["file": a.file, "account_prefix": a.accountPrefix, "equity_total": a.equityTotal, "debt_total": a.debtTotal,
             "tokens": a.tokens.map { ["token": $0.token, "equity": $0.equity, "debt": $0.debt] }]
        }
        if !outcome.notes.isEmpty { top["notes"] = outcome.notes }
        return jsonString(top)
    }

    public static func jsonString(_ value: Any) -> String {
        guard let data = try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .withoutEscapingSlashes]) else {
            return "{}"
        }
        return String(decoding: data, as: UTF8.self)
    }
}
