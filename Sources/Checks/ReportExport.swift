import Foundation
import History

/// A self-contained report of past checks (what was checked, how, the verdicts) that a user can
/// keep or share; `redact` leaves out account ids and balances.
public enum ReportExport {
    public enum Format: String, CaseIterable, Sendable { case markdown, html, json }

    public static func render(_ details: [Store.CheckDetail], format: Format, redact: Bool, generated: Date = Date()) -> String {
        switch format {
        case .json: return json(details, redact: redact, generated: generated)
        case .markdown: return markdown(details, redact: redact, generated: generated)
        case .html: return html(details, redact: redact, generated: generated)
        }
    }

    static func json(_ details: [Store.CheckDetail], redact: Bool, generated: Date) -> String {
        let checks: [[String: Any]] = details.map { d in
            var o = HistoryView.object(d.check)
            o["checks"] = d.results.map { r -> [String: Any] in
                ["file": name(r.file), "format": r.format, "constraint": r.constraint, "verdict": r.verdict,
                 "reason": r.reason, "steps": r.stepList, "warnings": r.warningList]
            }
            o["files"] = d.files.map { ["role": $0.role, "name": $0.name, "sha256": $0.sha256, "size": $0.size] as [String: Any] }
            o["totals"] = d.totals.map { ["round": $0.round ?? "", "equity": $0.equity, "debt": $0.debt, "net": $0.net, "verified": $0.verified] as [String: Any] }
            if !redact {
                o["accounts"] = d.accounts.map {
                    ["account_prefix": $0.accountPrefix, "equity_total": $0.equityTotal, "debt_total": $0.debtTotal, "per_token": $0.perTokenMap] as [String: Any]
                }
            }
            return o
        }
        return Report.jsonString(["generated_at": HistoryView.isoString(generated), "tool": "porcheck", "redacted": redact, "reports": checks])
    }

    /// Only the file name: full paths can reveal a user name or folder layout.
    static func name(_ path: String) -> String { URL(fileURLWithPath: path).lastPathComponent }

    static func markdown(_ details: [Store.CheckDetail], redact: Bool, generated: Date) -> String {
        var md = ["# porcheck report", "", "Generated \(HistoryView.isoString(generated)) by porcheck, which verifies OKX's Proof of Reserves files locally.\(redact ? " Account ids and balances are left out." : "")", ""]
        for d in details {
            let c = d.check
            md.append("## Check #\(c.id ?? 0): \(c.kind), \(c.verdict)")
            md.append("")
            md.append("- started: \(HistoryView.isoString(c.startedAt))")
            if let r = c.round { md.append("- round: \(r)") }
            if let f = c.format { md.append("- format: \(f)") }
            if let r = c.rerunOf { md.append("- re-run of check #\(r)") }
            md.append("")
            md.append("| file | constraint | verdict | reason |")
            md.append("|---|---|---|---|")
            for r in d.results {
                md.append("| \(cell(name(r.file))) | \(r.constraint) | **\(r.verdict)** | \(cell(r.reason)) |")
            }
            md.append("")
            for r in d.results where !r.stepList.isEmpty || !r.warningList.isEmpty {
                md.append("How `\(name(r.file))` (\(r.constraint)) was checked:")
                for s in r.stepList { md.append("- \(s)") }
                for w in r.warningList { md.append("- ⚠ \(w)") }
                md.append("")
            }
            for t in d.totals {
                md.append("Exchange totals\(t.verified ? " (proven by the global proof)" : " (claimed by the file, not verified)"): equity \(t.equity), debt \(t.debt), net \(t.net).")
                md.append("")
            }
            if !redact {
                for a in d.accounts {
                    md.append("Account `\(a.accountPrefix)…`: equity \(a.equityTotal), debt \(a.debtTotal).")
                    md.append("")
                }
            }
            md.append("Files (SHA-256):")
            for f in d.files { md.append("- `\(f.sha256)` \(cell(f.name)) (\(f.role), \(f.size) bytes)") }
            md.append("")
        }
        return md.joined(separator: "\n")
    }

    static func cell(_ text: String) -> String { text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ") }

    static func html(_ details: [Store.CheckDetail], redact: Bool, generated: Date) -> String {
        func esc(_ s: String) -> String {
            s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
                .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
        }
        var h = ["<!DOCTYPE html>", "<html lang=\"en\"><head><meta charset=\"utf-8\"><title>porcheck report</title>",
                 "<style>body{font-family:sans-serif;max-width:60em;margin:2em auto}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3em .6em;text-align:left}.passed{color:#080}.failed{color:#b00}.not-verified{color:#a60}</style>",
                 "</head><body>", "<h1>porcheck report</h1>",
                 "<p>Generated \(esc(HistoryView.isoString(generated))) by porcheck, which verifies OKX's Proof of Reserves files locally.\(redact ? " Account ids and balances are left out." : "")</p>"]
        for d in details {
            let c = d.check
            h.append("<h2>Check #\(c.id ?? 0): \(esc(c.kind)), <span class=\"\(esc(c.verdict))\">\(esc(c.verdict))</span></h2>")
            h.append("<p>Started \(esc(HistoryView.isoString(c.startedAt)))\(c.round.map { ", round \(esc($0))" } ?? "")\(c.rerunOf.map { ", re-run of #\($0)" } ?? "").</p>")
            h.append("<table><tr><th>file</th><th>constraint</th><th>verdict</th><th>reason</th></tr>")
            for r in d.results {
                h.append("<tr><td>\(esc(name(r.file)))</td><td>\(esc(r.constraint))</td><td class=\"\(esc(r.verdict))\">\(esc(r.verdict))</td><td>\(esc(r.reason))</td></tr>")
            }
            h.append("</table>")
            for r in d.results where !r.stepList.isEmpty || !r.warningList.isEmpty {
                h.append("<p>How <code>\(esc(name(r.file)))</code> was checked:</p><ul>")
                for s in r.stepList { h.append("<li>\(esc(s))</li>") }
                for w in r.warningList { h.append("<li>⚠ \(esc(w))</li>") }
                h.append("</ul>")
            }
            for t in d.totals {
                h.append("<p>Exchange totals \(t.verified ? "(proven)" : "(claimed by the file, not verified)"): equity \(esc(t.equity)), debt \(esc(t.debt)), net \(esc(t.net)).</p>")
            }
            if !redact {
                for a in d.accounts { h.append("<p>Account <code>\(esc(a.accountPrefix))…</code>: equity \(esc(a.equityTotal)), debt \(esc(a.debtTotal)).</p>") }
            }
            h.append("<p>Files (SHA-256):</p><ul>")
            for f in d.files { h.append("<li><code>\(esc(f.sha256))</code> \(esc(f.name)) (\(esc(f.role)), \(f.size) bytes)</li>") }
            h.append("</ul>")
        }
        h.append("</body></html>")
        return h.joined(separator: "\n")
    }
}
