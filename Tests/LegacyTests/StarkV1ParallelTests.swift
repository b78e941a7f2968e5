import XCTest
import Field
import Hashing
@testable import Liabilities

/// One batch's check split over both cores gives the same result, and the same first failure,
/// as the sequential check; the fast paths under it match the simple forms they stand in for.
final class StarkV1ParallelTests: XCTestCase {
    func check(_ sums: [ExactInteger], _ proof: StarkV1SumProof, _ m: Int, parallel: Bool) -> String {
        outcome { try StarkV1SumConstraints.verify(sums: sums, proof: proof, mainCoins: m, parallel: parallel).steps }
    }

    /// A random change to one part of a proof: a node of any tree, an entry's bytes or size, a
    /// final value, a root, a missing branch.
    func mutate(_ p: inout StarkV1SumProof, _ g: inout Generator) {
        func flip(_ b: inout StarkV1SumProof.Branch) {
            // A given node (an omitted one is ignored by design).
            let given = (0..<b.count).filter { b.has($0) }
            b.nodes[given[g.below(given.count)]].w1 ^= 1 << UInt64(g.below(64))
        }
        switch g.below(10) {
        case 0: flip(&p.mtreeBranches[g.below(p.mtreeBranches.count)])
        case 1: flip(&p.lBranches[g.below(p.lBranches.count)])
        case 2:
            let j = g.below(p.friLayers.count)
            if g.next() & 1 == 0 {
                flip(&p.friLayers[j].columnBranches[g.below(p.friLayers[j].columnBranches.count)])
            } else {
                flip(&p.friLayers[j].polyBranches[g.below(p.friLayers[j].polyBranches.count)])
            }
        case 3:
            let i = g.below(p.entries.count)
            p.entries[i].e0[g.below(p.entries[i].e0.count)] ^= 0x40
        case 4:
            let i = g.below(p.entries.count)
            p.entries[i].e2[1][g.below(p.entries[i].e2[1].count)] ^= 0x01
        case 5: p.friLastValues[g.below(p.friLastValues.count)].w3 ^= 1
        case 6: p.entries[g.below(p.entries.count)].e3[1].removeLast(32)
        case 7: p.lBranches.removeLast()
        case 8: p.friLayers[g.below(p.friLayers.count)].columnRoot.w0 ^= 1
        default: p.entries[g.below(p.entries.count)].e0.append(0)
        }
    }

    func testSplitCheckMatchesSequentialCheck() throws {
        var g = Generator(state: 11)
        for name in ["stark_small3", "stark_mixed5", "stark_fullcfg"] {
            let set = try StarkV1DataSet.load(folder: starkFixtures + "/valid/" + name)
            let m = set.config.mainCoinsNum
            for part in set.batches + [set.trunk] {
                let sums = try part.values.ordered(coins: set.config.coins, file: part.folder)
                XCTAssertEqual(check(sums, part.proof, m, parallel: true), check(sums, part.proof, m, parallel: false))
                XCTAssertTrue(check(sums, part.proof, m, parallel: true).hasPrefix("passed"), "\(name) \(part.name)")
                // One to four changes at once: the first failure in check order is reported.
                for _ in 0..<(name == "stark_fullcfg" ? 6 : 25) {
                    var proof = part.proof
                    for _ in 0...g.below(4) { mutate(&proof, &g) }
                    let sequential = check(sums, proof, m, parallel: false)
                    XCTAssertEqual(check(sums, proof, m, parallel: true), sequential, "\(name) \(part.name)")
                    XCTAssertTrue(sequential.hasPrefix("failed"), sequential)
                }
                // Sums that the constraints (not the hashes) refuse.
                var shifted = sums
                let one = try XCTUnwrap(ExactInteger(decimal: "1"))
                shifted[0] = shifted[0] + one
                shifted[shifted.count - 1] = shifted[shifted.count - 1] + one
                let refused = check(shifted, part.proof, m, parallel: false)
                XCTAssertTrue(refused.contains("spot check 0: constraint 4") || refused.contains("boundary"), refused)
                XCTAssertEqual(check(shifted, part.proof, m, parallel: true), refused)
            }
        }
    }

    /// Without the column check (OKX's behaviour) the split check agrees too.
    func testSplitCheckWithoutColumnsMatches() throws {
        let set = try StarkV1DataSet.load(folder: starkFixtures + "/valid/stark_small3")
        let part = set.batches[0]
        let sums = try part.values.ordered(coins: set.config.coins, file: part.folder)
        for parallel in [false, true] {
            XCTAssertNoThrow(try StarkV1SumConstraints.verify(sums: sums, proof: part.proof, mainCoins: set.config.mainCoinsNum,
                                                              checkColumns: false, parallel: parallel))
        }
    }

    func digest(_ p: StarkV1SumProof) -> String {
        var parts = ["\(p.steps) \(p.uts) \(p.mtreeRoot) \(p.lRoot) \(p.powNonce)"]
        parts.append(p.mtreeBranches.map { "\($0.nodes)\($0.present)" }.joined())
        parts.append(p.lBranches.map { "\($0.nodes)\($0.present)" }.joined())
        parts.append(p.entries.map { "\($0.e0)\($0.e1)\($0.e2)\($0.e3)" }.joined())
        parts.append(p.friLayers.map { l in "\(l.columnRoot)" + (l.columnBranches + l.polyBranches).map { "\($0.nodes)\($0.present)" }.joined() }.joined())
        parts.append("\(p.friLastValues)")
        return parts.joined(separator: "|")
    }
}
