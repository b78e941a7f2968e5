import Foundation

/// Times the zk-STARK v1 verifier on one data set, part by part, for `porcheck bench stark-v1`.
/// OKX's Python validator takes 0.26–0.31 s per fixture set and 0.02–0.05 s per batch.
public enum StarkV1Benchmark {
    public struct Result: Sendable {
        /// Reading and parsing config, every sum_proof.json and sum_values.json (on all cores).
        public var loadSeconds: Double
        /// Each batch's sum-proof verification on one core (name, seconds), in prover order.
        public var batchSeconds: [(name: String, seconds: Double)]
        public var trunkSeconds: Double
        /// The whole sum-proof verdict (all batches, trunk, tie-ins), without loading.
        public var sumProofSeconds: Double
        public var inclusionFiles: Int
        /// Reading and verifying every inclusion file found in the folder (on all cores).
        public var inclusionSeconds: Double
        /// Everything OKX's validator does for this folder: load, sum proof, all inclusion files
        /// (`StarkV1.verifyAll`, as `porcheck verify` runs it, on all cores).
        public var totalSeconds: Double
        /// Whether every verdict passed (a benchmark of a failing set is still reported).
        public var allPassed: Bool
    }

    static func seconds(_ body: () throws -> Void) rethrows -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        try body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }

    public static func run(folder: String) throws -> Result {
        var set: StarkV1DataSet?
        let load = try seconds { set = try StarkV1DataSet.load(folder: folder) }
        guard let set else { throw InputError(file: folder, "could not be loaded") }
        var perBatch = [(name: String, seconds: Double)]()
        var allPassed = true
        for batch in set.batches {
            let t = try seconds {
                let sums = try batch.values.ordered(coins: set.config.coins, file: batch.folder)
                do { _ = try StarkV1SumConstraints.verify(sums: sums, proof: batch.proof, mainCoins: set.config.mainCoinsNum) } catch { allPassed = false }
            }
            perBatch.append((batch.name, t))
        }
        let trunk = try seconds {
            let sums = try set.trunk.values.ordered(coins: set.config.coins, file: set.trunk.folder)
            do { _ = try StarkV1SumConstraints.verify(sums: sums, proof: set.trunk.proof, mainCoins: set.config.mainCoinsNum) } catch { allPassed = false }
        }
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
        let total = try seconds { verdicts = try StarkV1.verifyAll(folder: folder, inclusionFiles: files) }
        if !verdicts.allSatisfy({ $0.verdict == .passed }) { allPassed = false }
        return Result(loadSeconds: load, batchSeconds: perBatch, trunkSeconds: trunk, sumProofSeconds: sumProof,
                      inclusionFiles: files.count, inclusionSeconds: inclusion,
                      totalSeconds: total, allPassed: allPassed)
    }
}
