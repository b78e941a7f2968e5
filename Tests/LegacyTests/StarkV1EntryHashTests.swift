import XCTest
import Field
import Hashing
@testable import Liabilities

/// The spot checks' entry hashes made many at once (StarkV1SumConstraints.entryLeaves, with the
/// many-lane Keccak kernels) against the plain formula, one hash at a time; the first failing
/// spot is still the one reported.
final class StarkV1EntryHashTests: XCTestCase {
    /// SPEC §3.6 step 7, written out: Keccak(t ‖ Keccak(balances) ‖ id ‖ Keccak(quotients)) and so on.
    func plainLeaves(_ e: StarkV1SumProof.SpotEntries, coins c: Int) -> [Bytes32] {
        let e0 = e.e0
        let leaf0 = Keccak256.digest(Array(e0[0..<32]) + Keccak256.hash(e0[32..<(32 + 32 * c)])
            + Array(e0[(32 + 32 * c)..<(64 + 32 * c)]) + Keccak256.hash(e0[(64 + 32 * c)...]))
        let leaf1 = Keccak256.digest(e.e1[0] + e.e1[1] + e.e1[2] + e.e1[3])
        let leaf2 = Keccak256.digest(e.e2[0] + Keccak256.hash(e.e2[1]) + e.e2[2] + e.e2[3])
        let leaf3 = Keccak256.digest(e.e3[0] + Keccak256.hash(e.e3[1]) + e.e3[2] + e.e3[3])
        return [leaf0, leaf1, leaf2, leaf3]
    }

    func testManyAtOnceEqualsThePlainFormula() throws {
        for name in ["stark_small3", "stark_mixed5", "stark_fullcfg"] {
            let set = try StarkV1DataSet.load(folder: starkFixtures + "/valid/" + name)
            let c = set.config.coins.count
            for part in set.batches + [set.trunk] {
                let entries = part.proof.entries
                let plain = entries.flatMap { plainLeaves($0, coins: c) }
                // Every number of spots at once, from each start.
                for start in [0, 3, 9] {
                    for count in 1...(entries.count - start) {
                        let some = Array(entries[start..<(start + count)])
                        XCTAssertEqual(try StarkV1SumConstraints.Parts.entryLeaves(some, coins: c), Array(plain[(4 * start)..<(4 * (start + count))]),
                                       "\(name) \(part.name) spots \(start)..<\(start + count)")
                    }
                }
                // And they are the leaves the main tree opens.
                XCTAssertEqual(plain, part.proof.mtreeBranches.map(\.leaf), "\(name) \(part.name)")
            }
        }
    }

    func failure(_ sums: [ExactInteger], _ proof: StarkV1SumProof, _ m: Int, parallel: Bool) -> String {
        do {
            _ = try StarkV1SumConstraints.verify(sums: sums, proof: proof, mainCoins: m, parallel: parallel)
            return "passed"
        } catch { return "\(error)" }
    }

    /// A wrong hash before a wrong size in one part is reported first, and the other way round.
    func testFirstFailingSpotIsReported() throws {
        let set = try StarkV1DataSet.load(folder: starkFixtures + "/valid/stark_fullcfg")
        let part = set.batches[0]
        let m = set.config.mainCoinsNum
        let sums = try part.values.ordered(coins: set.config.coins, file: part.folder)
        let cases: [(String, (inout StarkV1SumProof) -> Void)] = [
            ("spot check 1: opened entry data does not hash", { p in p.entries[1].e2[1][5] ^= 1; p.entries[3].e3[1].removeLast(32) }),
            ("spot check 1: fourth entry has wrong field sizes", { p in p.entries[1].e3[1].removeLast(32); p.entries[3].e2[1][5] ^= 1 }),
            ("spot check 9: opened entry data does not hash", { p in p.entries[9].e0[40] ^= 1; p.entries[13].e0.append(0) }),
            ("spot check 12: first entry is", { p in p.entries[12].e0.append(0); p.entries[13].e0[3] ^= 1 }),
            ("spot check 15: opened entry data does not hash", { p in p.entries[15].e1[3][31] ^= 0x80 }),
            ("spot check 0: opened entry data does not hash", { p in p.entries[0].e0[p.entries[0].e0.count - 1] ^= 2; p.entries[7].e1[0].removeLast() }),
            ("spot check 7: second entry has wrong field sizes", { p in p.entries[7].e1[0].removeLast() }),
            ("spot check 4: opened entry data does not hash", { p in p.entries[4].e0[0] ^= 2 }),
        ]
        for (expected, mutate) in cases {
            var proof = part.proof
            mutate(&proof)
            let sequential = failure(sums, proof, m, parallel: false)
            XCTAssertTrue(sequential.contains(expected), "\(expected): \(sequential)")
            XCTAssertEqual(failure(sums, proof, m, parallel: true), sequential)
        }
    }
}
