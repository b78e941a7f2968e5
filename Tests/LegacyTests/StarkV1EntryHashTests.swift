import XCTest
import Field
import Hashing
@testable import Liabilities

/// The spot checks' entry hashes made many at once (StarkV1SumConstraints.entryLeaves, with the
/// many-lane Keccak kernels) against the plain formula, one hash at a time; the first failing
/// spot is still the one reported; the proof reader's hex decoding with and without AVX2.
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

    /// ProofJSON's hex decoding: the AVX2 path and the table agree on valid and invalid strings.
    func testProofHexDecodingPaths() {
        let digits = Array("0123456789abcdefABCDEF".utf8)
        var state: UInt64 = 5
        func next() -> Int { state = state &* 6364136223846793005 &+ 1442695040888963407; return Int(state >> 33) }
        func decode(_ text: [UInt8], accelerated: Bool) -> [UInt8]? {
            let n = text.count / 2
            var out = [UInt8](repeating: 0, count: n)
            let ok = text.withUnsafeBufferPointer { t in
                out.withUnsafeMutableBufferPointer { o in
                    guard let tb = t.baseAddress, let ob = o.baseAddress else { return n == 0 }
                    return ProofJSON.decodeHex(tb, count: n, into: ob, accelerated: accelerated)
                }
            }
            return ok ? out : nil
        }
        for count in [0, 1, 31, 32, 33, 63, 64, 65, 100, 3296] {
            let valid = (0..<(2 * count)).map { _ in digits[next() % digits.count] }
            XCTAssertNotNil(decode(valid, accelerated: true))
            XCTAssertEqual(decode(valid, accelerated: true), decode(valid, accelerated: false), "\(count)")
            XCTAssertEqual(ProofJSON.hex(valid), decode(valid, accelerated: false))
            for position in Set([0, 1, 2 * count / 2, 2 * count - 1].filter { $0 >= 0 && $0 < 2 * count }) {
                for bad: UInt8 in [0, 0x2F, 0x3A, 0x40, 0x47, 0x60, 0x67, 0x80, 0xB0, 0xFF, UInt8(ascii: "x"), UInt8(ascii: " ")] {
                    var text = valid
                    text[position] = bad
                    XCTAssertNil(decode(text, accelerated: true), "\(bad) at \(position) of \(count)")
                    XCTAssertNil(decode(text, accelerated: false), "\(bad) at \(position) of \(count)")
                    XCTAssertNil(ProofJSON.hex(text))
                }
            }
        }
        XCTAssertNil(ProofJSON.hex(Array("abc".utf8)))
        // 64-digit nodes: every byte value at every position, both paths.
        let node = (0..<64).map { _ in digits[next() % digits.count] }
        func node32(_ text: [UInt8], accelerated: Bool) -> Bytes32? {
            text.withUnsafeBufferPointer { t in t.baseAddress.flatMap { ProofJSON.hex32($0, accelerated: accelerated) } }
        }
        XCTAssertEqual(node32(node, accelerated: true), Bytes32(ProofJSON.hex(node) ?? []))
        XCTAssertEqual(node32(node, accelerated: false), Bytes32(ProofJSON.hex(node) ?? []))
        for position in 0..<64 {
            for value in 0...255 {
                var text = node
                text[position] = UInt8(value)
                let expected = ProofJSON.hex(text).flatMap { Bytes32($0) }
                XCTAssertEqual(node32(text, accelerated: true), expected, "\(value) at \(position)")
                XCTAssertEqual(node32(text, accelerated: false), expected, "\(value) at \(position)")
            }
        }
    }
}
