import Field
import Hashing
import XCTest
@testable import Plonky2

/// The batched Merkle check must give, path by path, what `MerkleProof.verify` gives.
final class MerkleBatchTests: XCTestCase {
    /// Every FRI path of a fixture proof (4 initial trees and 4 folding steps for each of the 28
    /// queries): 224 paths of depths 20, 16, 12, 8 and 4.
    func fixturePaths(_ set: String) throws -> [MerklePathCheck] {
        let (proof, circuit) = try loadProofAndCircuit("\(set)/sum_proof_data.json")
        let c = ProofChallenges(proof: proof, circuitDigest: circuit.verifierOnly.circuitDigest, common: circuit.common)
        let caps = [circuit.verifierOnly.constantsSigmasCap, proof.proof.wiresCap,
                    proof.proof.plonkZsPartialProductsCap, proof.proof.quotientPolysCap]
        let f = proof.proof.openingProof
        var paths = [MerklePathCheck]()
        for (q, round) in f.queryRoundProofs.enumerated() {
            var index = c.friQueryIndices[q]
            for t in 0..<4 {
                paths.append(MerklePathCheck(leaf: round.initialTreesProof.leaves[t], index: index,
                                             proof: round.initialTreesProof.proofs[t], cap: caps[t]))
            }
            for (s, bits) in circuit.common.friParams.reductionArityBits.enumerated() {
                index >>= bits
                let step = round.steps[s]
                paths.append(MerklePathCheck(leaf: step.evals.flatMap { [$0.c0, $0.c1] }, index: index,
                                             proof: step.merkleProof, cap: f.commitPhaseMerkleCaps[s]))
            }
        }
        return paths
    }

    func single(_ paths: [MerklePathCheck]) -> [Bool] {
        paths.map { $0.proof.verify(leaf: $0.leaf, index: $0.index, cap: $0.cap) }
    }

    func testFixturePathsAllPassInABatch() throws {
        for set in ["one-level", "two-level"] {
            let paths = try fixturePaths(set)
            XCTAssertEqual(paths.count, 224)
            XCTAssertEqual(MerkleBatch.verify(paths), [Bool](repeating: true, count: paths.count), set)
            // In other orders and groupings too.
            XCTAssertEqual(MerkleBatch.verify(paths.reversed()), [Bool](repeating: true, count: paths.count))
            XCTAssertEqual(MerkleBatch.verify(Array(paths.prefix(5))), [true, true, true, true, true])
        }
        XCTAssertEqual(MerkleBatch.verify([]), [])
    }

    /// Damage in one path is found in that path only, even where paths share their top levels
    /// (the shared compressions are taken only for equal inputs).
    func testDamageIsFoundInItsOwnPathOnly() throws {
        var paths = try fixturePaths("one-level")
        let n = paths.count
        var x: UInt64 = 7
        func next(_ bound: Int) -> Int {
            x = x &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((x >> 33) % UInt64(bound))
        }
        // The same path twice (shares every compression with itself), then damaged copies of it.
        let first = paths[1]
        paths.append(first)
        var damaged = [Int]()
        for depthFromTop in [0, 1, 3, 6, 7, 12, 19] {
            var copy = first
            let level = copy.proof.siblings.count - 1 - depthFromTop
            copy.proof.siblings[level].e2 = copy.proof.siblings[level].e2 + .one
            damaged.append(paths.count)
            paths.append(copy)
        }
        var wrongIndex = first
        wrongIndex.index ^= 1 << 5
        damaged.append(paths.count)
        paths.append(wrongIndex)
        var wrongLeaf = first
        wrongLeaf.leaf[next(wrongLeaf.leaf.count)] = wrongLeaf.leaf[0] + .one
        damaged.append(paths.count)
        paths.append(wrongLeaf)
        var outOfCap = first
        outOfCap.index += 1 << 30
        damaged.append(paths.count)
        paths.append(outOfCap)
        var shortLeaf = first
        shortLeaf.leaf = Array(shortLeaf.leaf.prefix(3))
        damaged.append(paths.count)
        paths.append(shortLeaf)
        // A few random single-limb changes in random original paths.
        for _ in 0..<20 {
            let p = next(n)
            var copy = paths[p]
            let level = next(copy.proof.siblings.count)
            copy.proof.siblings[level].e0 = copy.proof.siblings[level].e0 + .one
            damaged.append(paths.count)
            paths.append(copy)
        }
        let batch = MerkleBatch.verify(paths)
        XCTAssertEqual(batch, single(paths))
        for k in 0..<paths.count { XCTAssertEqual(batch[k], !damaged.contains(k), "path \(k)") }
    }

    /// Paths of mixed depths and leaf lengths in one batch, as the single check sees them.
    func testMixedShapes() throws {
        let paths = try fixturePaths("two-level")
        var mixed = [MerklePathCheck]()
        for (k, var p) in paths.enumerated() where k % 3 == 0 {
            let keep = k % 20
            p.proof.siblings = Array(p.proof.siblings.prefix(keep))
            p.leaf = Array(p.leaf.prefix(k % 50))
            mixed.append(p)
        }
        mixed += paths.prefix(10)
        XCTAssertEqual(MerkleBatch.verify(mixed), single(mixed))
    }
}
