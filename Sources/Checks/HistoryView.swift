import Foundation
import History

/// How the history looks in a terminal and in JSON.
public enum HistoryView {
    /// A new formatter each time: Foundation's formatters are not Sendable, and this is not hot.
    static var iso: ISO8601DateFormatter {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        return f
    }

    public static func isoString(_ date: Date) -> String { iso.string(from: date) }

    static func localString(_ date: Date) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.dateFormat = "yyyy-MM-dd HH:mm"
        return f.string(from: date)
    }

    /// Parses `YYYY-MM-DD` (local midnight) or a full ISO 8601 time.
    public static func parseDay(_ text: String) -> Date? {
        if let d = iso.date(from: text) { return d }
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.dateFormat = "yyyy-MM-dd"
        return f.date(from: text)
    }

    public static func table(_ checks: [CheckRecord], style: Style) -> String {
        guard !checks.isEmpty else { return "No checks yet. Try `porcheck demo` or `porcheck verify FOLDER`." }
        var rows = [["ID", "DATE", "KIND", "ROUND", "VERDICT", "SUMMARY"]]
        for c in checks {
            rows.append([String(c.id ?? 0), localString(c.startedAt), c.kind, c.round ?? "-",
                         c.verdict + (c.rerunOf.map { " (re-run of #\($0))" } ?? ""), c.summary])
        }
        let widths = (0..<rows[0].count).map { col in rows.map { $0[col].count }.max() ?? 0 }
        return rows.enumerated().map { i, row in
            let line = row.enumerated().map { col, cell in
                col == row.count - 1 ? cell : cell.padding(toLength: widths[col], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
            if i == 0 { return style.bold(line) }
            switch row[4].split(separator: " ").first {
            case "failed": return style.red(line)
            case "not-verified": return style.yellow(line)
            default: return line
            }
        }.joined(separator: "\n")
    }

    public static func json(_ checks: [CheckRecord]) -> String {
        Report.jsonString(checks.map(object))
    }

    static func object(_ c: CheckRecord) -> [String: Any] {
        var o: [String: Any] = [
            "id": c.id ?? 0, "kind": c.kind, "started_at": isoString(c.startedAt), "verdict": c.verdict,
            "rerun_of": c.rerunOf.map { $0 as Any } ?? NSNull(), "origin": c.origin, "summary": c.summary,
            "round": c.round.map { $0 as Any } ?? NSNull(), "format": c.format.map { $0 as Any } ?? NSNull(),
        ]
        if let f = c.finishedAt { o["finished_at"] = isoString(f) }
        return o
    }

    public static func json(_ d: Store.CheckDetail) -> String {
        var o = object(d.check)
        o["checks"] = d.results.map { r -> [String: Any] in
            ["file": r.file, "format": r.format, "constraint": r.constraint, "verdict": r.verdict,
             "reason": r.reason, "steps": r.stepList, "warnings": r.warningList]
        }
        o["files"] = d.files.map { ["role": $0.role, "path": $0.originalPath, "sha256": $0.sha256, "size": $0.size] as [String: Any] }
        o["accounts"] = d.accounts.map {
            ["account_prefix": $0.accountPrefix, "equity_total": $0.equityTotal, "debt_total": $0.debtTotal,
             "per_token": $0.perTokenMap] as [String: Any]
        }
        return Report.jsonString(o)
    }

    public static func text(_ d: Store.CheckDetail, store: Store, style: Style) -> String {
        let c = d.check
        var lines = [style.bold("Check #\(c.id ?? 0): \(c.kind), \(c.verdict)")]
        lines.append("  started   \(isoString(c.startedAt)) (\(c.origin))")
        if let r = c.round { lines.append("  round     \(r)") }
        if let f = c.format { lines.append("  format    \(f)") }
        if let r = c.rerunOf { lines.append("  re-run of #\(r)") }
        for r in d.results {
            lines.append("")
            lines.append("\(r.constraint) \(r.verdict): \(r.file)")
            lines.append("  \(r.reason)")
            for s in r.stepList { lines.append(style.dim("  checked: \(s)")) }
            for w in r.warningList { lines.append(style.yellow("  warning: \(w)")) }
        }
        if !d.files.isEmpty {
            lines.append("")
            lines.append("Files (kept in \(store.filesDirectory.path)):")
            for f in d.files {
                let present = FileManager.default.fileExists(atPath: store.keptFileURL(sha256: f.sha256).path)
                lines.append("  \(f.role.padding(toLength: 16, withPad: " ", startingAt: 0)) \(f.sha256.prefix(16))…  \(f.size) bytes  \(f.originalPath)\(present ? "" : "  (kept copy missing)")")
            }
        }
        for a in d.accounts {
            lines.append("")
            lines.append("Account \(a.accountPrefix)…: equity \(a.equityTotal), debt \(a.debtTotal)")
            for (token, values) in a.perTokenMap.sorted(by: { $0.key.localizedStandardCompare($1.key) == .orderedAscending }) {
                let debt = values.count > 1 && values[1] != "0" ? "  debt \(values[1])" : ""
                lines.append("    \(token.padding(toLength: 8, withPad: " ", startingAt: 0)) equity \(values.first ?? "0")\(debt)")
            }
        }
        return lines.joined(separator: "\n")
    }
}
