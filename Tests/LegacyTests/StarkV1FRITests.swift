import XCTest
import Field
import Hashing
@testable import Liabilities

/// A forged FRI proof built the way SPEC §3.6.1 describes: the prover commits to a column that is
/// low-degree but unrelated to the committed values. Every Merkle opening and the final layer are
/// consistent, so OKX's fri.py (whose column check never runs) accepts it; porcheck must not.
final class StarkV1FRITests: XCTestCase {
    struct Tree {
        var nodes: [Bytes32]
        var n: Int
        init(_ leaves: [Bytes32]) {
            n = leaves.count
            nodes = [Bytes32](repeating: .zero, count: 2 * n)
            for x in 0..<n { nodes[n + PermutedMerkle.slot(x, leafCount: n)] = leaves[x] }
            for i in stride(from: n - 1, through: 1, by: -1) { nodes[i] = PermutedMerkle.hashPair(nodes[2 * i], nodes[2 * i + 1]) }
        }
        var root: Bytes32 { nodes[1] }
        func branch(_ x: Int) -> StarkV1SumProof.Branch {
            var pos = n + PermutedMerkle.slot(x, leafCount: n)
            var out = [nodes[pos]]
            while pos > 1 { out.append(nodes[pos ^ 1]); pos >>= 1 }
            return StarkV1SumProof.Branch(nodes: out, present: (1 << UInt64(out.count)) - 1)
        }
    }

    /// Builds a one-layer FRI proof over 256 points for degree < 64; `columnShift` is added to
    /// every column value (0 = honest).
    func makeProof(columnShift: UInt64) throws -> (root: Bytes32, w: Stark252, layer: StarkV1SumProof.FRILayer, last: [Bytes32]) {
        let size = 256, quarter = 64
        let w = try XCTUnwrap(Stark252.rootOfUnity(order: UInt64(size)))
        let coefficients = (0..<64).map { Stark252(UInt64($0) &* 0x9E37_79B9 &+ 12345) }
        var x = Stark252.one
        var values = [Stark252]()
        for _ in 0..<size { values.append(StarkV1FRI.evaluate(coefficients, at: x)); x = x * w }
        let tree = Tree(values.map { $0.bigEndian32 })
        let sx = try XCTUnwrap(Stark252(reducingBigEndian: tree.root.bytes))
        let rho = w.power(UInt64(quarter))
        var column = [Stark252]()
        for y in 0..<quarter {
            let base = w.power(UInt64(y))
            let xs = (0..<4).map { rho.power(UInt64($0)) * base }
            let ys = (0..<4).map { values[y + quarter * $0] }
            column.append(StarkV1FRI.evaluate(StarkV1FRI.interpolate(xs: xs, ys: ys), at: sx) + Stark252(columnShift))
        }
        let columnTree = Tree(column.map { $0.bigEndian32 })
        let ys = try PermutedMerkle.pseudorandomIndices(seed: columnTree.root, modulus: quarter, count: 16, exclude: 16)
        var polyBranches = [StarkV1SumProof.Branch]()
        for y in ys { for k in 0..<4 { polyBranches.append(tree.branch(y + quarter * k)) } }
        let layer = StarkV1SumProof.FRILayer(columnRoot: columnTree.root, columnBranches: ys.map { columnTree.branch($0) },
                                             polyBranches: polyBranches)
        return (tree.root, w, layer, column.map { $0.bigEndian32 })
    }

    func testHonestProofPasses() throws {
        let p = try makeProof(columnShift: 0)
        XCTAssertEqual(try StarkV1FRI.verify(root: p.root, w: p.w, domainSize: 256, degreeBound: 64, layers: [p.layer],
                                             lastValues: p.last, exclude: 16), 1)
    }

    func testForgedColumnPassesOKXButFailsPorcheck() throws {
        let p = try makeProof(columnShift: 1_000_000)
        // OKX's behaviour (no column check): accepted.
        XCTAssertNoThrow(try StarkV1FRI.verify(root: p.root, w: p.w, domainSize: 256, degreeBound: 64, layers: [p.layer],
                                               lastValues: p.last, exclude: 16, checkColumns: false))
        XCTAssertThrowsError(try StarkV1FRI.verify(root: p.root, w: p.w, domainSize: 256, degreeBound: 64, layers: [p.layer],
                                                   lastValues: p.last, exclude: 16)) { e in
            XCTAssertTrue("\(e)".contains("not consistent with the committed column"), "\(e)")
        }
    }

    func testHighDegreeFinalLayerFails() throws {
        let p = try makeProof(columnShift: 0)
        let w4 = p.w.power(4)
        // The honest final layer on its own (degree < 16 over 64 points) passes...
        XCTAssertEqual(try StarkV1FRI.verify(root: Tree(p.last).root, w: w4, domainSize: 64, degreeBound: 16, layers: [],
                                             lastValues: p.last, exclude: 16), 0)
        // ...and one changed value, recommitted, is caught by the degree check.
        var last = p.last
        last[5] = Stark252(42).bigEndian32
        XCTAssertThrowsError(try StarkV1FRI.verify(root: Tree(last).root, w: w4, domainSize: 64, degreeBound: 16, layers: [],
                                                   lastValues: last, exclude: 16)) { e in
            XCTAssertTrue("\(e)".contains("not of degree"), "\(e)")
        }
    }
}
