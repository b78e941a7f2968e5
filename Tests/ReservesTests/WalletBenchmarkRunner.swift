import Foundation
import XCTest
import Reserves

/// Not a timed test: runs WalletBenchmark on the file named by RESERVES_BENCH_FILE and prints
/// rows/s and peak RSS; does nothing when the variable is unset.
final class WalletBenchmarkRunner: XCTestCase {
    func testBenchmarkWhenRequested() throws {
        guard let path = ProcessInfo.processInfo.environment["RESERVES_BENCH_FILE"] else { return }
        let result = try WalletBenchmark.run(path: path)
        let rss = result.peakResidentBytes.map { String($0 >> 20) } ?? "?"
        print("BENCH rows=\(result.rows) seconds=\(String(format: "%.2f", result.seconds)) rows/s=\(Int(result.rowsPerSecond)) peakRSS=\(rss)MiB verified=\(result.summary.verified) failed=\(result.summary.failed)")
    }
}
