import Foundation
import History
import Liabilities
import Reserves

/// `porcheck wallets`: fetch a published wallet list (file, zip or URL), verify every row's
/// ownership signature, summarise per coin, keep the list in the store and record the check.
public struct WalletCheck: Sendable {
    public let store: Store

    public init(store: Store) { self.store = store }

    public struct Options: Sendable {
        public var allowInsecureHTTP = false
        public var maximumBytes: Int64 = 2 << 30
        public var timeout: TimeInterval = 60
        public var record = true
        public init() {}
    }

    public struct Result: Sendable {
        public var summary: WalletSummary
        public var historyID: Int64?
        /// The list as read (downloaded or local), kept by this SHA-256.
        public var sha256: String
        public var exitCode: Int32 { summary.failed > 0 ? 1 : 0 }
        public var overall: VerdictValue {
            if summary.failed > 0 { return .failed }
            if summary.unproven > 0 || summary.skipped > 0 { return .notVerified }
            return .passed
        }
    }

    /// Verifies `source`, calling `onRow` for every row in file order and `progress` with bytes
    /// downloaded while fetching a URL.
    public func run(source argument: String, options: Options = Options(),
                    progress: @escaping @Sendable (Int64, Int64) -> Void = { _, _ in },
                    onRow: (VerifiedRow) throws -> Void) throws -> Result {
        let started = Date()
        let csv = try resolveList(argument, options: options, progress: progress)
        let summary: WalletSummary
        do {
            summary = try WalletListVerifier.verify(file: csv, onRow: onRow)
        } catch let error as WalletInputError {
            throw InputError(file: argument, "\(error)")
        }
        // Kept in the store only when the check is recorded (`--no-record` writes nothing there).
        let kept = options.record ? try store.keep(fileAt: csv.path) : try Store.digest(ofFileAt: csv.path)
        var result = Result(summary: summary, historyID: nil, sha256: kept.sha256)
        if options.record {
            result.historyID = try record(summary, source: argument, csvName: csv.lastPathComponent, kept: kept,
                                          verdict: result.overall, started: started)
        }
        return result
    }

    /// The list's CSV on disk: a local file, the CSV inside a zip, or a download (through `porcheck-fetch`).
    public func resolveList(_ argument: String, options: Options = Options(),
                            progress: @escaping @Sendable (Int64, Int64) -> Void = { _, _ in }) throws -> URL {
        let work = store.directory.appendingPathComponent("downloads")
        try Store.makePrivateDirectory(work)
        do {
            return try WalletListSource(argument: argument).resolve(workFolder: work) { url, folder in
                try WalletCheck.fetch(url, into: folder, options: options, progress: progress)
            }
        } catch let error as WalletInputError {
            throw InputError(file: argument, "\(error)")
        }
    }

    /// Downloads through `porcheck-fetch` (installed next to porcheck), reading its progress lines.
    static func fetch(_ url: URL, into folder: URL, options: Options,
                      progress: @escaping @Sendable (Int64, Int64) -> Void) throws -> URL {
        guard let exe = ResourceLocator.currentExecutable()?.deletingLastPathComponent().appendingPathComponent("porcheck-fetch"),
              FileManager.default.isExecutableFile(atPath: exe.path) else {
            throw WalletInputError("porcheck-fetch, the download helper, is not installed next to porcheck")
        }
        let process = Process()
        process.executableURL = exe
        process.arguments = [url.absoluteString, folder.path, String(options.maximumBytes), String(options.timeout),
                             options.allowInsecureHTTP ? "1" : "0"]
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        var lastError = ""
        var pending = Data()
        while true {
            let chunk = err.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            pending.append(chunk)
            while let newline = pending.firstIndex(of: 0x0A) {
                let line = String(decoding: pending[pending.startIndex..<newline], as: UTF8.self)
                pending.removeSubrange(pending.startIndex...newline)
                let parts = line.split(separator: " ")
                if parts.count == 3, parts[0] == "progress", let done = Int64(parts[1]), let total = Int64(parts[2]) {
                    progress(done, total)
                } else if line.hasPrefix("error: ") {
                    lastError = String(line.dropFirst(7))
                }
            }
        }
        let path = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        process.waitUntilExit()
        guard process.terminationStatus == 0, !path.isEmpty else {
            throw WalletInputError(lastError.isEmpty ? "the download of \(url.absoluteString) failed" : lastError)
        }
        return URL(fileURLWithPath: path)
    }

    func record(_ s: WalletSummary, source: String, csvName: String, kept: (sha256: String, size: Int64),
                verdict: VerdictValue, started: Date) throws -> Int64 {
        // One result per coin and network (not per row: a list has tens of thousands of rows;
        // the kept file has them all, and a re-run or diff reads it again).
        let results = s.groups.enumerated().map { i, g -> ResultRecord in
            let v = g.failed > 0 ? "failed" : (g.unproven + g.skipped > 0 ? "not-verified" : "passed")
            return ResultRecord(checkID: 0, position: i, file: "\(g.coin) \(g.network)".trimmingCharacters(in: .whitespaces),
                                format: "wallet-list", constraint: "ownership", verdict: v,
                                reason: "\(g.rows) rows: \(g.verified) verified, \(g.failed) failed, \(g.unproven) unproven, \(g.skipped) skipped; verified amount \(g.amountVerified) of \(g.amountAllRows)",
                                steps: [], warnings: [])
        }
        let check = CheckRecord(kind: "wallets", format: "wallet-list", round: nil, startedAt: started, finishedAt: Date(),
                                verdict: verdict.rawValue, origin: "wallets",
                                summary: "\(s.rows) rows: \(s.verified) verified, \(s.failed) failed, \(s.unproven) unproven, \(s.skipped) skipped")
        let file = FileRecord(checkID: 0, role: "wallet-list", originalPath: source, name: csvName, sha256: kept.sha256, size: kept.size)
        return try store.record(Store.NewCheck(check: check, results: results, files: [file]))
    }

    /// The summary for people: counts per coin and network, verified amounts beside the totals.
    public static func text(_ s: WalletSummary, historyID: Int64?, style: Style) -> String {
        var lines = [style.bold("\(s.file): \(s.rows) rows — \(s.verified) verified, \(s.failed) failed, \(s.unproven) unproven, \(s.skipped) skipped")]
        var table = [["COIN", "NETWORK", "ROWS", "VERIFIED", "FAILED", "UNPROVEN", "SKIPPED", "VERIFIED AMOUNT", "ALL ROWS"]]
        for g in s.groups {
            table.append([g.coin, g.network, String(g.rows), String(g.verified), String(g.failed), String(g.unproven),
                          String(g.skipped), g.amountVerified.description, g.amountAllRows.description])
        }
        let widths = (0..<table[0].count).map { c in table.map { $0[c].count }.max() ?? 0 }
        for (i, row) in table.enumerated() {
            let line = row.enumerated().map { c, cell in cell.padding(toLength: widths[c], withPad: " ", startingAt: 0) }.joined(separator: "  ")
            lines.append(i == 0 ? style.bold(line) : (row[4] != "0" ? style.red(line) : line))
        }
        if !s.units.isEmpty {
            lines.append(style.bold("Per unit: verified amount beside the file's summary block"))
            for u in s.units {
                let claimed = u.claimed.map { "\($0)" } ?? "not in the summary block"
                let match = u.claimedMatchesRows.map { $0 ? "rows add up to it" : "rows do NOT add up to it" } ?? ""
                lines.append("  \(u.unit.padding(toLength: 10, withPad: " ", startingAt: 0)) verified \(u.amountVerified)  of rows \(u.amountAllRows)  claimed \(claimed)  \(match)")
            }
        }
        if let historyID { lines.append(style.dim("Recorded in history as #\(historyID).")) }
        return lines.joined(separator: "\n")
    }
}
