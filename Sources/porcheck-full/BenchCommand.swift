import ArgumentParser
import Checks
import Foundation
import Hashing
import History
import Liabilities
import Reserves

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure verification speed and memory (prints figures; build as install.sh --demo does for real numbers).",
        discussion: """
            Kinds: v2 [FOLDER] (a zk-STARK v2 folder, default the sample audit: whole process and \
            per-part times, and microseconds per Poseidon permutation for the Swift permutation and \
            each SIMD kernel the CPU runs); stark-v1 FOLDER… (zk-STARK v1 data sets: whole process, in process, per \
            batch); wallets FILE (a wallet list: rows/s and peak memory); history (a generated store \
            of --count checks: `porcheck history` and the wizard's history page); balances LIST \
            --nodes CONFIG (addresses/s at the configured concurrency and one request at a time).
            """)

    @OptionGroup var common: CommonOptions

    @Argument(help: "What to measure: v2, stark-v1, wallets, history or balances.") var kind: String
    @Argument(help: "A folder or files (default: the bundled sample audit).") var paths: [String] = []
    @Option(help: "Runs per measurement.") var runs = 30
    @Option(help: "Checks in the generated store (history).") var count = 10_000
    @Option(help: ArgumentHelp("Node configuration (balances).", valueName: "CONFIG")) var nodes: String?

    mutating func run() throws {
        let context = try common.context()
        switch kind {
        case "v2":
            let targets = paths.isEmpty ? [context.resources.demoFolder].compactMap { $0 } : paths
            guard !targets.isEmpty else { throw ValidationError("give a folder to measure") }
            try benchV2(targets, context: context)
        case "history":
            try benchHistory()
        case "stark-v1":
            guard !paths.isEmpty else { throw ValidationError("give a zk-STARK v1 data set folder") }
            try benchStarkV1(paths)
        case "wallets":
            guard let file = paths.first else { throw ValidationError("give a wallet-list CSV") }
            try benchWallets(file)
        case "balances":
            guard let file = paths.first, let nodes else { throw ValidationError("give a wallet-list CSV and --nodes CONFIG") }
            try benchBalances(file, nodes: nodes)
        default:
            throw ValidationError("unknown benchmark \(kind); try: v2, stark-v1, wallets, history, balances")
        }
    }

    func benchStarkV1(_ folders: [String]) throws {
        // The primitive under every Merkle check, timed on its own (chained, so nothing is hoisted).
        var node = Bytes32(words: 1, 2, 3, 4)
        print(Benchmark.inProcess("10,000 Keccak-256 pair hashes", runs: max(3, runs / 5)) {
            for _ in 0..<10_000 { node = Keccak256.hashPair(node, node) }
        }.line + " (\(node.w0 & 1))")
        for folder in folders {
            print("zk-STARK v1: \(folder)")
            if let exe = BenchCommand.userFacingExecutable() {
                print(try Benchmark.wholeProcess("whole process: porcheck verify --no-record", runs: runs, executable: exe,
                                                 arguments: ["verify", "--no-record", folder]).line)
            }
            let partRuns = max(5, runs)
            let r = try StarkV1Benchmark.run(folder: folder, runs: partRuns)
            func ms(_ s: Double) -> String { String(format: "%.2f ms", s * 1000) }
            func t(_ x: StarkV1Benchmark.Timing) -> String { String(format: "%.3f (%.3f)", x.median * 1000, x.minimum * 1000) }
            print("  in process, all cores (best of \(partRuns)): total \(ms(r.totalSeconds)); parts: load \(ms(r.loadSeconds)) (first run), sum proof \(ms(r.sumProofSeconds)), \(r.inclusionFiles) inclusion files \(ms(r.inclusionSeconds)); all passed: \(r.allPassed)")
            print("  each batch alone, ms, median (min) of \(partRuns) runs; \"files\" = read + parse + check, what OKX's 0.02–0.05 s per batch (verify_batch_proof) covers:")
            for p in r.batches.map({ ("batch " + $0.name, $0) }) + [("trunk", r.trunk)] {
                print("    \(p.0): files \(t(p.1.filesAllCores)) both cores, \(t(p.1.filesOneCore)) one core; of which parse (one core) \(t(p.1.parse)); check alone \(t(p.1.checkAllCores)) both cores, \(t(p.1.checkOneCore)) one core")
            }
        }
    }

    func benchWallets(_ file: String) throws {
        let r = try WalletBenchmark.run(path: file)
        let peak = r.peakResidentBytes.map { String(format: "%.1f MiB", Double($0) / 1_048_576) } ?? "unknown"
        print(String(format: "wallets: %d rows in %.3f s = %.0f rows/s (in process, all cores), peak RSS %@", r.rows, r.seconds, r.rowsPerSecond, peak))
        if let exe = BenchCommand.userFacingExecutable() {
            print(try Benchmark.wholeProcess("whole process: porcheck wallets --no-record", runs: max(1, min(runs, 5)), executable: exe,
                                             arguments: ["wallets", "--no-record", file]).line)
        }
    }

    /// The whole balance check (config, list, store, every address asked) in a scratch store, at
    /// the configured concurrency and then one request at a time; OKX's CheckBalance sleeps 0.5 s
    /// after every address, so it needs at least 0.5 s × addresses.
    func benchBalances(_ file: String, nodes: String) throws {
        for concurrency in [nil, 1] as [Int?] {
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("porcheck-bench-balances-\(getpid())")
            defer { try? FileManager.default.removeItem(at: dir) }
            var options = BalancesCheck.Options()
            options.record = false
            options.resume = .restart
            options.checker.concurrency = concurrency
            let started = Date()
            let s = try BalancesCheck(store: try Store(directory: dir)).run(list: file, nodes: nodes, options: options) { _ in }
            let seconds = Date().timeIntervalSince(started)
            let label = concurrency.map { "concurrency \($0)" } ?? "configured concurrency"
            print(String(format: "balances, %@: %d addresses in %.2f s = %.0f addresses/s (%@)", label, s.addresses, seconds,
                         Double(s.addresses) / seconds, BalancesCheck.countsText(s.counts)))
            if concurrency == 1 {
                print(String(format: "OKX's CheckBalance (serial, 0.5 s sleep per address): at least %.0f s = at most 2 addresses/s", Double(s.addresses) * 0.5))
            }
        }
    }

    func benchHistory() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("porcheck-bench-history-\(getpid())")
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try Store(directory: dir)
        let start = Date().addingTimeInterval(-Double(count) * 3600)
        let kinds = ["inclusion", "global", "wallets", "merkle-v2"]
        let checks = (0..<count).map { i -> Store.NewCheck in
            let date = start.addingTimeInterval(Double(i) * 3600)
            return Store.NewCheck(
                check: CheckRecord(kind: kinds[i % kinds.count], format: "zk-stark-v2", round: String(1000 + i / 30), startedAt: date,
                                   finishedAt: date, verdict: i % 17 == 0 ? "failed" : "passed", origin: "bench", summary: "2 passed"),
                results: (0..<2).map { k in
                    ResultRecord(checkID: 0, position: k, file: "f\(k).json", format: "zk-stark-v2", constraint: k == 0 ? "sum" : "inclusion",
                                 verdict: "passed", reason: "generated", steps: ["step"], warnings: [])
                },
                accounts: [AccountRecord(checkID: 0, accountPrefix: "b2337017", equityTotal: String(1000 + i), debtTotal: "10", perToken: ["BTC": [String(1000 + i), "10"]])])
        }
        try store.record(checks)
        print("history: a generated store of \(count) checks in \(dir.path)")
        if let exe = BenchCommand.userFacingExecutable() {
            print(try Benchmark.wholeProcess("whole process: porcheck history (50 newest)", runs: runs, executable: exe,
                                             arguments: ["history", "--data-dir", dir.path]).line)
            print(try Benchmark.wholeProcess("whole process: porcheck history --failed", runs: runs, executable: exe,
                                             arguments: ["history", "--failed", "--data-dir", dir.path]).line)
            print(try Benchmark.wholeProcess("whole process: porcheck history --json --all", runs: max(3, runs / 5), executable: exe,
                                             arguments: ["history", "--json", "--all", "--data-dir", dir.path]).line)
        }
        print(Benchmark.inProcess("wizard history page (20 rows + count)", runs: runs) {
            _ = try? store.checks(Store.Filter(limit: 20, offset: 0))
            _ = try? store.count()
        }.line)
    }

    func benchV2(_ targets: [String], context: CommonOptions.Context) throws {
        let files = try ProofFiles.discover(targets)
        guard let sumPath = files.v2SumProofs.first else { throw ValidationError("no sum_proof_data.json among \(targets)") }
        let sumData = try JSONInput.readFile(sumPath)
        let proofs = try files.v2InclusionProofs.map { ($0, try JSONInput.readFile($0, maximumSize: 16 << 20)) }
        print("zk-STARK v2: \(sumPath) and \(proofs.count) inclusion proof(s)")
        if let exe = BenchCommand.userFacingExecutable() {
            let whole = try Benchmark.wholeProcess("whole process: porcheck verify --no-record", runs: runs,
                                                   executable: exe, arguments: ["verify", "--no-record"] + targets)
            print(whole.line)
        }
        print(Benchmark.inProcess("parse sum_proof_data.json (JSON + proof model)", runs: runs) {
            _ = try? ZkStarkV2GlobalProof.parse(sumData, file: sumPath)
        }.line)
        let global = try ZkStarkV2GlobalProof.parse(sumData, file: sumPath)
        let verifier = ZkStarkV2GlobalVerifier.loadingKnownCircuits(from: context.resources.path("circuits"))
        print(Benchmark.inProcess("verify the plonky2 global proof (decode circuit + verify)", runs: runs) {
            _ = verifier.verify(global, file: sumPath)
        }.line)
        print(Benchmark.inProcess("parse + verify the global proof", runs: runs) {
            if let g = try? ZkStarkV2GlobalProof.parse(sumData, file: sumPath) { _ = verifier.verify(g, file: sumPath) }
        }.line)
        var state = [UInt64](repeating: 1, count: 12)
        let single = Benchmark.inProcess("10,000 Poseidon permutations", runs: max(3, runs / 5)) {
            state.withUnsafeMutableBufferPointer { s in for _ in 0..<10_000 { Poseidon.permute(raw: s) } }
        }
        print(single.line + String(format: "   %.3f us per permutation (one after another, Swift)", single.median / 10_000 * 1e6))
        // The same 10,000 as permuteMany takes them from the FRI's Merkle paths: independent states
        // side by side, with each kernel this CPU runs (the FRI uses the last one listed unless
        // PORCHECK_POSEIDON names another).
        var states = [UInt64](repeating: 0, count: 10_000 * Poseidon.width)
        for i in states.indices { states[i] = UInt64(i) &* 0x9E37_79B9_7F4A_7C15 }
        for kernel in Poseidon.availableKernels {
            let many = Benchmark.inProcess("10,000 Poseidon permutations, \(kernel.rawValue) x\(kernel.lanes)", runs: max(3, runs / 5)) {
                states.withUnsafeMutableBufferPointer { s in
                    if let base = s.baseAddress { Poseidon.permuteMany(base, count: 10_000, kernel: kernel) }
                }
            }
            print(many.line + String(format: "   %.3f us per permutation%@", many.median / 10_000 * 1e6,
                                     kernel == Poseidon.manyKernel ? " (the FRI's)" : ""))
        }
        let header = global.header
        let inclusion = ZkStarkV2InclusionVerifier(root: header.root, batchSize: header.batchSize, branchOut: Int(header.branchOut))
        print(Benchmark.inProcess("parse + verify \(proofs.count) inclusion proof(s)", runs: runs) {
            for (path, data) in proofs {
                if let proof = try? ZkStarkV2InclusionProof.parse(data, file: path) { _ = inclusion.verify(proof, file: path) }
            }
        }.line)
    }
}

extension BenchCommand {
    /// What the whole-process figures time: the `porcheck` users run (the lean front beside this
    /// full porcheck, which starts this one for what it does not do itself), else this binary.
    static func userFacingExecutable() -> String? {
        guard let me = ResourceLocator.currentExecutablePath() else { return nil }
        let front = ResourceLocator.folder(of: me) + "/porcheck"
        return access(front, X_OK) == 0 ? front : me
    }
}
