import ArgumentParser
import Checks
import Foundation
import Reserves

struct WalletsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wallets",
        abstract: "Verify the ownership signature of every address in OKX's published wallet list.",
        discussion: """
            SOURCE is a CSV file, a zip holding it, or an https:// URL (http:// only for loopback or \
            with --allow-http). Each row gets one verdict: verified, failed, unproven or skipped. \
            --json prints JSON Lines: one object per row {line, coin, network, address, verdict, \
            reason} in file order, then {"summary": …}.
            """)

    @OptionGroup var common: CommonOptions
    @Flag(help: "Print JSON Lines instead of the summary table.") var json = false
    @Option(name: .customLong("failed-csv"), help: ArgumentHelp("Write the failed rows to this CSV file.", valueName: "FILE")) var failedCSV: String?
    @Flag(name: .customLong("allow-http"), help: "Allow plain http:// downloads from other hosts than loopback.") var allowHTTP = false
    @Option(help: "Download timeout in seconds.") var timeout: Double = 60
    @Flag(name: .customLong("no-record"), help: "Do not record this check in the history.") var noRecord = false
    @Argument(help: "A CSV file, a zip, or an https:// URL.") var source: String

    mutating func run() throws {
        let context = try common.context()
        var options = WalletCheck.Options()
        options.allowInsecureHTTP = allowHTTP
        options.timeout = timeout
        options.record = !noRecord
        let failedWriter = try failedCSV.map { try FailedRowsCSVWriter(url: URL(fileURLWithPath: $0)) }
        let progress = ProgressLine(enabled: !json && isatty(STDERR_FILENO) == 1)
        var out = BufferedOutput()
        var rows = 0
        let asJSON = json
        let result = try WalletCheck(store: context.store).run(source: source, options: options,
                                                               progress: { done, total in progress.bytes(done, total) }) { row in
            rows += 1
            if asJSON { out.line(WalletJSONLines.row(row)) }
            try failedWriter?.add(row)
            if rows % 2000 == 0 { progress.rows(rows) }
        }
        progress.finish()
        if json {
            out.line(try WalletJSONLines.summary(result.summary))
            out.flush()
        } else {
            print(WalletCheck.text(result.summary, historyID: result.historyID, style: Style.forStandardOutput()))
            if let failedCSV, result.summary.failed > 0 { print("Failed rows written to \(failedCSV).") }
        }
        throw ExitCode(result.exitCode)
    }
}

/// Collects output lines and writes them in large blocks (JSON Lines for 50,000 rows).
struct BufferedOutput {
    var buffer = [UInt8]()

    mutating func line(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        buffer.append(0x0A)
        if buffer.count > 1 << 16 { flush() }
    }

    mutating func flush() {
        FileHandle.standardOutput.write(Data(buffer))
        buffer.removeAll(keepingCapacity: true)
    }
}

/// A one-line progress indicator on standard error (only on a terminal).
final class ProgressLine: @unchecked Sendable {
    let enabled: Bool
    init(enabled: Bool) { self.enabled = enabled }

    func bytes(_ done: Int64, _ total: Int64) {
        guard enabled else { return }
        let text = total > 0 ? String(format: "downloading %.1f of %.1f MB", Double(done) / 1e6, Double(total) / 1e6)
            : String(format: "downloading %.1f MB", Double(done) / 1e6)
        FileHandle.standardError.write(Data("\r\(text)   ".utf8))
    }

    func rows(_ n: Int) {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\rverified \(n) rows   ".utf8))
    }

    func finish() {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}
