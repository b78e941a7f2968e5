import Foundation

/// Times the zk-STARK v1 verifier on one data set, part by part, for `porcheck bench stark-v1`.
/// OKX's Python validator takes 0.26–0.31 s per fixture set and 0.02–0.05 s per batch; its
/// per-batch figure is one `verify_batch_proof` call, which reads and parses the batch's
/// sum_proof.json and sum_values.json and checks the proof (one core, as Python runs it).
public enum StarkV1Benchmark {
    /// Median and minimum of repeated runs, in seconds.
    public struct Timing: Sendable {
        public var median: Double
        public var minimum: Double
    }

    /// One batch (or the trunk) timed on its own, nothing else running in the process.
    public struct PartTimes: Sendable {
        public var name: String
        /// Reading and parsing its sum_proof.json and sum_values.json (one core: splitting the
        /// decoding over two cores was tried and gained nothing, the two threads slowing each
        /// other down in the allocator and on shared reference counts).
        public var parse: Timing
        /// The check of the already parsed proof: on one core, and with its independent parts
        /// spread over all cores (`StarkV1SumConstraints.verify(parallel: true)`).
        public var checkOneCore: Timing
        public var checkAllCores: Timing
        /// What OKX's per-batch figure covers: from the two files to the verdict (read, parse,
        /// check), with the check on one core and on all cores (the parse on one core).
        public var filesOneCore: Timing
        public var filesAllCores: Timing
    }

    public struct Result: Sendable {
        /// Reading and parsing config, every sum_proof.json and sum_values.json (on all cores).
        public var loadSeconds: Double
        /// Each batch on its own, in prover order.
        public var batches: [PartTimes]
        public var trunk: PartTimes
        /// The whole sum-proof verdict (all batches, trunk, tie-ins), without loading.
        public var sumProofSeconds: Double
        public var inclusionFiles: Int
        /// Reading and verifying every inclusion file found in the folder (on all cores).
        public var inclusionSeconds: Double
        /// Everything OKX's validator does for this folder: load, sum proof, all inclusion files
        /// (`StarkV1.verifyAll`, as `porcheck verify` runs it, on all cores); the best run.
        public var totalSeconds: Double
        /// Whether every verdict passed (a benchmark of a failing set is still reported).
        public var allPassed: Bool
    }

    static func seconds(_ body: () throws -> Void) rethrows -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        try body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }

    /// One warm-up run (page faults, first-use costs), then `runs` timed runs.
    static func timing(runs: Int, _ body: () throws -> Void) rethrows -> Timing {
        try body()
        var times = [Double]()
        for _ in 0..<max(1, runs) { times.append(try seconds(body)) }
        times.sort()
        let mid = times.count / 2
        return Timing(median: times.count % 2 == 1 ? times[mid] : (times[mid - 1] + times[mid]) / 2, minimum: times[0])
    }

    /// Times every part of the set `runs` times each (one warm-up first).
    public static func run(folder: String, runs: Int = 1) throws -> Result {
        var set: StarkV1DataSet?
        let load = try seconds { set = try StarkV1DataSet.load(folder: folder) }
        guard let set else { throw InputError(file: folder, "could not be loaded") }
        var allPassed = true
        func partTimes(_ part: StarkV1DataSet.Part) throws -> PartTimes {
            let coins = set.config.coins, m = set.config.mainCoinsNum
            let sums = try part.values.ordered(coins: coins, file: part.folder)
            func check(_ proof: StarkV1SumProof, _ sums: [ExactInteger], parallel: Bool) {
                do { _ = try StarkV1SumConstraints.verify(sums: sums, proof: proof, mainCoins: m, parallel: parallel) } catch { allPassed = false }
            }
            func fromFiles(parallel: Bool) throws {
                let loaded = try StarkV1DataSet.loadPart(folder: part.folder, config: set.config)
                check(loaded.proof, try loaded.values.ordered(coins: coins, file: part.folder), parallel: parallel)
            }
            return PartTimes(
                name: part.name,
                parse: try timing(runs: runs) { _ = try StarkV1DataSet.loadPart(folder: part.folder, config: set.config) },
                checkOneCore: timing(runs: runs) { check(part.proof, sums, parallel: false) },
                checkAllCores: timing(runs: runs) { check(part.proof, sums, parallel: true) },
                filesOneCore: try timing(runs: runs) { try fromFiles(parallel: false) },
                filesAllCores: try timing(runs: runs) { try fromFiles(parallel: true) })
        }
        let batches = try set.batches.map(partTimes)
        let trunk = try partTimes(set.trunk)
        var sumVerdict: Verdict?
        let sumProof = seconds { sumVerdict = StarkV1.verifySumProof(set) }
        if sumVerdict?.verdict != .passed { allPassed = false }
        let files = StarkV1Layout.inclusionProofFiles(in: (set.folder as NSString).deletingLastPathComponent)
        var inclusionPassed = true
        let inclusion = seconds {
            let verdicts = StarkV1Parallel.map(files.count) { i in (try? StarkV1.verifyInclusion(file: files[i], dataSet: set))?.verdict }
            inclusionPassed = verdicts.allSatisfy { $0 == .passed }
        }
        if !inclusionPassed { allPassed = false }
        // The whole run as `porcheck verify` does it: load, sum proof and every inclusion file,
        // files read and proofs checked on all cores (the per-part timings above are extra work).
        var verdicts = [Verdict]()
        var total = Double.infinity
        for _ in 0..<max(1, runs) {
            total = min(total, try seconds { verdicts = try StarkV1.verifyAll(folder: folder, inclusionFiles: files) })
        }
        if !verdicts.allSatisfy({ $0.verdict == .passed }) { allPassed = false }
        return Result(loadSeconds: load, batches: batches, trunk: trunk, sumProofSeconds: sumProof,
                      inclusionFiles: files.count, inclusionSeconds: inclusion,
                      totalSeconds: total, allPassed: allPassed)
    }
}
