import Foundation

/// Whole-process throughput of wallet-list verification, for `porcheck bench wallets FILE`.
public enum WalletBenchmark {
    public struct Result: Sendable {
        public let rows: Int
        public let seconds: Double
        public let rowsPerSecond: Double
        /// Peak resident set size of this process (VmHWM), in bytes; nil where /proc is absent.
        public let peakResidentBytes: Int?
        public let summary: WalletSummary
    }

    /// Verifies `path` (CSV or zip) once, discarding per-row output; zips are extracted to a temp folder first (not timed).
    public static func run(path: String, options: WalletListVerifier.Options = .init()) throws -> Result {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("porcheck-bench-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: work) }
        let csv = try WalletListSource.file(URL(fileURLWithPath: path)).resolve(workFolder: work)
        let start = DispatchTime.now().uptimeNanoseconds
        let summary = try WalletListVerifier.verify(file: csv, options: options)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        return Result(rows: summary.rows, seconds: seconds, rowsPerSecond: Double(summary.rows) / max(seconds, 1e-9),
                      peakResidentBytes: peakResidentBytes(), summary: summary)
    }

    /// VmHWM from /proc/self/status.
    public static func peakResidentBytes() -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            let parts = line.split(separator: " ", omittingEmptySubsequences: true)
            if parts.count >= 2, let kb = Int(parts[1]) { return kb * 1024 }
        }
        return nil
    }
}
