import JSONReader
import LiabilitiesCore

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
                lines.append("Your balances in \(PathText.lastComponent(account.file)):")
            } else {
                lines.append("Your account \(account.accountPrefix)… (\(PathText.lastComponent(account.file))): equity \(account.equityTotal), debt \(account.debtTotal)")
            }
            for token in account.tokens.prefix(maxTokens) {
                lines.append("    \(PathText.padded(token.token, toLength: 8)) equity \(token.equity)\(token.debt == "0" ? "" : "  debt \(token.debt)")")
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
    /// `checks[]` and its five first fields are a stable contract; the rest may grow. Written as
    /// Foundation's `JSONSerialization` wrote it (sorted keys, slashes as they are), without
    /// Foundation: the lean `porcheck` front prints it too.
    public static func json(_ outcome: Outcome) -> String {
        func strings(_ list: [String]) -> JSONValue { .array(list.map { .string($0) }) }
        var checks = [JSONValue]()
        for v in outcome.verdicts {
            var c: [(key: String, value: JSONValue)] = [
                ("file", .string(v.file)), ("format", .string(v.format.rawValue)), ("constraint", .string(v.constraint.rawValue)),
                ("verdict", .string(v.verdict.rawValue)), ("reason", .string(v.reason)), ("steps", strings(v.steps)),
                ("warnings", strings(v.warnings)),
            ]
            if let okx = v.okxVerdict { c.append(("okx_verdict", .string(okx.rawValue))) }
            checks.append(.object(c))
        }
        var top: [(key: String, value: JSONValue)] = [("checks", .array(checks)), ("overall", .string(outcome.overall.rawValue))]
        if let round = outcome.round { top.append(("round", .string(round))) }
        if let id = outcome.historyID {
            top.append(("history_id", id >= 0 ? .unsigned(UInt64(id)) : .number(String(id))))
        }
        if let t = outcome.totals {
            top.append(("totals", .object([("equity", .string(t.equity)), ("debt", .string(t.debt)), ("net", .string(t.net)),
                                           ("verified", .bool(t.verified))])))
        }
        top.append(("accounts", .array(outcome.accounts.map { a in
            .object([("file", .string(a.file)), ("account_prefix", .string(a.accountPrefix)),
                     ("equity_total", .string(a.equityTotal)), ("debt_total", .string(a.debtTotal)),
                     ("tokens", .array(a.tokens.map { .object([("token", .string($0.token)), ("equity", .string($0.equity)),
                                                               ("debt", .string($0.debt))]) }))])
        })))
        if !outcome.notes.isEmpty { top.append(("notes", strings(outcome.notes))) }
        return JSONValue.object(top).serializationText
    }
}
