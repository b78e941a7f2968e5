import Foundation

/// Times the zk-STARK v1 verifier on one data set, part by part, for `porcheck bench stark-v1`.
/// OKX's Python validator takes 0.26–0.31 s per fixture set and 0.02–0.05 s per batch.
public enum StarkV1Benchmark {
    public struct Result: Sendable {
        /// Reading and parsing config, every sum_proof.json and sum_values.json.
        public var loadSeconds: Double
        /// Each batch's sum-proof verification (name, seconds), in prover order.
        public var batchSeconds: [(name: String, seconds: Double)]
        public var trunkSeconds: Double
        /// The whole sum-proof verdict (all batches, trunk, tie-ins), without loading.
        public var sumProofSeconds: Double
        public var inclusionFiles: Int
        /// Reading and verifying every inclusion file found in the folder.
        public var inclusionSeconds: Double
        /// Everything OKX's validator does for this folder: load, sum proof, all inclusion files.
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
        let inclusion = try seconds {
            for f in files where try StarkV1.verifyInclusion(file: f, dataSet: set).verdict != .passed { allPassed = false }
        }
        // The whole run as OKX's validator does it: load + sum proof + inclusion files (the
        // per-part timings above are extra work, excluded here).
        return Result(loadSeconds: load, batchSeconds: perBatch, trunkSeconds: trunk, sumProofSeconds: sumProof,
                      inclusionFiles: files.count, inclusionSeconds: inclusion,
                      totalSeconds: load + sumProof + inclusion, allPassed: allPassed)
    }
}
