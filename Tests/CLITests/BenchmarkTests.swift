import Checks
import XCTest

/// `porcheck bench`'s whole-process figures, for the memory part: the peak is the child's own.
final class BenchmarkTests: XCTestCase {
    func testAWholeProcessPeakIsTheChildsOwnNotTheBenchmarks() throws {
        // This process grows to 256 MiB first. A child started with posix_spawn runs in this
        // memory until it execs, and wait4's ru_maxrss counts it: before, the figure was at least
        // this process's size.
        let size = 256 << 20
        let ballast = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 4096)
        defer { ballast.deallocate() }
        for offset in stride(from: 0, to: size, by: 4096) { ballast.storeBytes(of: 1, toByteOffset: offset, as: UInt8.self) }
        XCTAssertGreaterThan(Benchmark.selfPeakRSSKiB(), 256 * 1024)

        let porcheck = PorcheckProcess()
        defer { porcheck.cleanUp() }
        let demo = PorcheckProcess.repositoryRoot.appendingPathComponent("Resources/demo").path
        let figures = try Benchmark.wholeProcess("verify", runs: 2, executable: PorcheckProcess.binary.path,
                                                 arguments: ["--data-dir", porcheck.dataDir.path, "verify", "--no-record", demo])
        XCTAssertEqual(figures.runs, 2)
        // A debug build of porcheck verifying the sample peaks at a few tens of MiB.
        XCTAssertGreaterThan(figures.peakRSSKiB, 2 * 1024)
        XCTAssertLessThan(figures.peakRSSKiB, 128 * 1024, "the figure counts the benchmark's own memory")
    }
}
