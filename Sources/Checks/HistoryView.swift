import Foundation
import History
import JSONReader

/// How the history looks in a terminal and in JSON.
public enum HistoryView {
    /// ISO 8601 in UTC (`2024-09-30T12:00:00Z`), formatted with the C library: Foundation's
    /// formatters are costly to create and not Sendable, and `history --json` formats thousands.
    public static func isoString(_ date: Date) -> String {
        var t = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&t, &parts)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02dZ", parts.tm_year + 1900, parts.tm_mon + 1, parts.tm_mday,
                      parts.tm_hour, parts.tm_min, parts.tm_sec)
    }

    /// `YYYY-MM-DD HH:MM` in the local time zone, for tables.
    static func localString(_ date: Date) -> String {
        var t = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        localtime_r(&t, &parts)
        return String(format: "%04d-%02d-%02d %02d:%02d", parts.tm_year + 1900, parts.tm_mon + 1, parts.tm_mday,
                      parts.tm_hour, parts.tm_min)
    }

    /// Parses `YYYY-MM-DD` (local midnight) or a full ISO 8601 time.
    public static func parseDay(_ text: String) -> Date? {
        let iso = ISO8601DateFormatter()
        iso.formatOptions = [.withInternetDateTime]
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

    /// The `history --json` array, written directly (thousands of rows stay fast).
    public static func json(_ checks: [CheckRecord]) -> String {
        var out = [UInt8]()
        out.reserveCapacity(checks.count * 256)
        out.append(UInt8(ascii: "["))
        for (i, c) in checks.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            value(c).write(into: &out)
        }
        out.append(UInt8(ascii: "]"))
        return String(decoding: out, as: UTF8.self)
    }

    /// One history entry: `id, kind, started_at, verdict, rerun_of` (the stable contract), then more.
    static func value(_ c: CheckRecord) -> JSONValue {
        func optional(_ s: String?) -> JSONValue { s.map { .string($0) } ?? .null }
        var fields: [(key: String, value: JSONValue)] = [
            ("id", .unsigned(UInt64(max(0, c.id ?? 0)))), ("kind", .string(c.kind)),
            ("started_at", .string(isoString(c.startedAt))), ("verdict", .string(c.verdict)),
            ("rerun_of", c.rerunOf.map { .unsigned(UInt64(max(0, $0))) } ?? .null),
            ("round", optional(c.round)), ("format", optional(c.format)), ("origin", .string(c.origin)),
            ("summary", .string(c.summary)),
        ]
        if let f = c.finishedAt { fields.append(("finished_at", .string(isoString(f)))) }
        return .object(fields)
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
