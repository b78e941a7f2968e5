import Foundation
import Reserves

/// Timing for `porcheck bench`: medians over repeated runs, in process and as whole processes,
/// with peak memory. Benchmarks print figures; they never decide a test's outcome.
public enum Benchmark {
    public struct Figures: Sendable {
        public var name: String
        public var runs: Int
        public var median: Double
        public var minimum: Double
        /// Peak resident memory in KiB (of the child for whole-process runs, else of this process).
        public var peakRSSKiB: Int

        public var line: String {
            name.padding(toLength: max(46, name.count), withPad: " ", startingAt: 0)
                + String(format: " median %9.3f ms   min %9.3f ms   peak RSS %7.1f MiB   (%d runs)",
                         median * 1000, minimum * 1000, Double(peakRSSKiB) / 1024, runs)
        }
    }

    /// Runs `body` `runs` times after one warm-up run.
    public static func inProcess(_ name: String, runs: Int, _ body: () throws -> Void) rethrows -> Figures {
        try body()
        var times = [Double]()
        for _ in 0..<max(1, runs) {
            let start = DispatchTime.now().uptimeNanoseconds
            try body()
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        return summarise(name, times, peakRSSKiB: selfPeakRSSKiB())
    }

    /// The environment variable through which a porcheck that `wholeProcess` starts reports its
    /// own peak memory at exit (`PeakMemory.reportIfAsked`).
    ///
    /// Why not `wait4`'s `ru_maxrss`: a child started with `posix_spawn` (or `fork`) runs in the
    /// parent's memory until it execs, and the kernel keeps the larger of that memory's high-water
    /// mark and the new program's. So `ru_maxrss` reports at least the benchmark's own size: 15.6 MiB
    /// for a porcheck that peaks at 10 MiB. `/usr/bin/time` gets away with it because it is tiny.
    /// The child's own `VmHWM` counts only the memory of the program it execs.
    /// (`PeakMemory.reportIfAsked` writes it.)
    public static let peakRSSFileVariable = PeakMemory.fileVariable

    /// Starts `executable arguments…` `runs` times (after one warm-up), with output discarded,
    /// timing each from spawn to exit. The peak RSS is the one the child reports for itself, or
    /// `wait4`'s (an upper bound, see `peakRSSFileVariable`) if the child does not report.
    public static func wholeProcess(_ name: String, runs: Int, executable: String, arguments: [String]) throws -> Figures {
        var times = [Double]()
        var peak = 0
        let report = NSTemporaryDirectory() + "porcheck-bench-peak-\(getpid())"
        defer { unlink(report) }
        var environment = ProcessInfo.processInfo.environment
        environment[peakRSSFileVariable] = report
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { envp.forEach { free($0) } }
        for i in 0...max(1, runs) {
            var actions = posix_spawn_file_actions_t()
            posix_spawn_file_actions_init(&actions)
            defer { posix_spawn_file_actions_destroy(&actions) }
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
            posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
            posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
            let argv = ([executable] + arguments).map { strdup($0) } + [nil]
            defer { argv.forEach { free($0) } }
            var pid: pid_t = 0
            let start = DispatchTime.now().uptimeNanoseconds
            unlink(report)
            guard posix_spawn(&pid, executable, &actions, nil, argv, envp) == 0 else {
                throw BenchmarkError(message: "cannot start \(executable)")
            }
            var status: Int32 = 0
            var usage = rusage()
            while wait4(pid, &status, 0, &usage) < 0 && errno == EINTR {}
            let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            if i > 0 { times.append(elapsed) }
            let reported = (try? String(contentsOfFile: report, encoding: .utf8)).flatMap { Int($0) }
            peak = max(peak, reported ?? Int(usage.ru_maxrss))
        }
        return summarise(name, times, peakRSSKiB: peak)
    }

    static func summarise(_ name: String, _ times: [Double], peakRSSKiB: Int) -> Figures {
        let sorted = times.sorted()
        let median = sorted.isEmpty ? 0 : (sorted.count % 2 == 1 ? sorted[sorted.count / 2]
            : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2)
        return Figures(name: name, runs: times.count, median: median, minimum: sorted.first ?? 0, peakRSSKiB: peakRSSKiB)
    }

    /// This process's peak resident memory (VmHWM), in KiB.
    public static func selfPeakRSSKiB() -> Int { PeakMemory.selfPeakKiB() }
}

public struct BenchmarkError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
