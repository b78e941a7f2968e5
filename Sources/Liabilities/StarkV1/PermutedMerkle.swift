import Hashing

/// A check of a STARK v1 proof that did not hold: the proof is rejected with this reason.
struct StarkV1Failure: Error, CustomStringConvertible {
    var reason: String
    init(_ reason: String) { self.reason = reason }
    var description: String { reason }
}

/// OKX's permuted Keccak-256 Merkle trees (SPEC §3.5): leaf x of n sits at slot
/// (x div n/4) + 4·(x mod n/4), so the four quarter-shifted points of one FRI row share a subtree.
enum PermutedMerkle {
    static func slot(_ x: Int, leafCount n: Int) -> Int {
        let q = n / 4
        return x / q + 4 * (x % q)
    }

    @inline(__always)
    static func hashPair(_ a: [UInt8], _ b: [UInt8]) -> [UInt8] {
        Keccak256.hashPair(a, b)
    }

    static func log2Exact(_ n: Int) -> Int? {
        guard n > 0, n & (n - 1) == 0 else { return nil }
        return n.trailingZeroBitCount
    }

    /// The root of the permuted tree over 32-byte leaves (n a power of two, n ≥ 4).
    static func root(leaves: [[UInt8]]) throws -> [UInt8] {
        let n = leaves.count
        guard n >= 4, log2Exact(n) != nil else { throw StarkV1Failure("a Merkle tree of \(n) leaves (needs a power of two ≥ 4)") }
        var nodes = [[UInt8]](repeating: [], count: 2 * n)
        for x in 0..<n { nodes[n + slot(x, leafCount: n)] = leaves[x] }
        for i in stride(from: n - 1, through: 1, by: -1) { nodes[i] = hashPair(nodes[2 * i], nodes[2 * i + 1]) }
        return nodes[1]
    }

    /// Checks a complete branch for logical index x in a tree of 2^depth leaves; returns the leaf.
    static func verifyBranch(root: [UInt8], index x: Int, branch: [[UInt8]], depth: Int, what: String) throws -> [UInt8] {
        guard branch.count == depth + 1 else {
            throw StarkV1Failure("\(what): a branch of length \(branch.count) where the tree needs \(depth + 1) (OKX takes the depth from the branch)")
        }
        let n = 1 << depth
        guard x >= 0, x < n else { throw StarkV1Failure("\(what): index \(x) outside a tree of \(n) leaves") }
        var s = slot(x, leafCount: n)
        var v = branch[0]
        for sibling in branch.dropFirst() {
            guard sibling.count == 32 else { throw StarkV1Failure("\(what): a missing sibling that nothing recomputes") }
            v = (s & 1 == 1) ? hashPair(sibling, v) : hashPair(v, sibling)
            s >>= 1
        }
        guard v == root else { throw StarkV1Failure("\(what): Merkle branch for index \(x) does not reach the root") }
        return branch[0]
    }

    /// OKX's compressed multi-branch (omitted siblings are the ones another branch supplies).
    /// OKX rebuilds each branch and checks it on its own; porcheck hashes the union of the paths
    /// level by level, once per node, and demands one value per tree position (an explicit
    /// sibling that contradicts another branch's path is rejected: honest proofs never do that).
    /// Every returned leaf then has a hash chain to the root. Returns the leaves in order.
    static func verifyMultiBranch(root: [UInt8], indices: [Int], branches: [[[UInt8]]], depth: Int, what: String) throws -> [[UInt8]] {
        guard branches.count == indices.count else {
            throw StarkV1Failure("\(what): \(branches.count) branches for \(indices.count) positions")
        }
        let n = 1 << depth
        var explicit = [Int: [UInt8]]()
        var current = [Int: [UInt8]]()
        for (x, branch) in zip(indices, branches) {
            guard branch.count == depth + 1 else {
                throw StarkV1Failure("\(what): a branch of length \(branch.count) where the tree needs \(depth + 1) (OKX takes the depth from the branch)")
            }
            guard x >= 0, x < n else { throw StarkV1Failure("\(what): index \(x) outside a tree of \(n) leaves") }
            var pos = n + slot(x, leafCount: n)
            if let existing = current[pos], existing != branch[0] {
                throw StarkV1Failure("\(what): two branches open index \(x) with different leaves")
            }
            current[pos] = branch[0]
            for sibling in branch.dropFirst() {
                if !sibling.isEmpty {
                    if let existing = explicit[pos ^ 1], existing != sibling {
                        throw StarkV1Failure("\(what): branches disagree on a sibling")
                    }
                    explicit[pos ^ 1] = sibling
                }
                pos >>= 1
            }
        }
        for _ in 0..<depth {
            var next = [Int: [UInt8]]()
            next.reserveCapacity(current.count)
            for (pos, value) in current where next[pos >> 1] == nil {
                let siblingPos = pos ^ 1
                let sibling: [UInt8]
                if let s = current[siblingPos] {
                    if let e = explicit[siblingPos], e != s {
                        throw StarkV1Failure("\(what): a branch's sibling contradicts another branch's path (Merkle branch does not reach the root)")
                    }
                    sibling = s
                } else if let e = explicit[siblingPos] {
                    sibling = e
                } else {
                    throw StarkV1Failure("\(what): an omitted sibling that no other branch supplies")
                }
                next[pos >> 1] = (pos & 1 == 1) ? hashPair(sibling, value) : hashPair(value, sibling)
            }
            current = next
        }
        guard current.count == 1, let top = current[1], top == root else {
            throw StarkV1Failure("\(what): Merkle branches do not reach the root")
        }
        return branches.map { $0[0] }
    }

    /// OKX's `get_pseudorandom_indices`: 4-byte big-endian words from seed ‖ H(seed) ‖ H(H(seed))…,
    /// reduced mod m, or onto the non-multiples of `exclude` when it is set.
    static func pseudorandomIndices(seed: [UInt8], modulus m: Int, count: Int, exclude: Int = 0) throws -> [Int] {
        guard m > 0, m < 1 << 24 else { throw StarkV1Failure("index range \(m) is outside OKX's limit (2^24)") }
        var data = seed
        while data.count < 4 * count { data += Keccak256.hash(data.suffix(32)) }
        var out = [Int]()
        for i in 0..<count {
            let v = (Int(data[4 * i]) << 24) | (Int(data[4 * i + 1]) << 16) | (Int(data[4 * i + 2]) << 8) | Int(data[4 * i + 3])
            if exclude > 1 {
                let r = m * (exclude - 1) / exclude
                guard r > 0 else { throw StarkV1Failure("index range \(m) is too small") }
                let o = v % r
                out.append(o + 1 + o / (exclude - 1))
            } else {
                out.append(v % m)
            }
        }
        return out
    }
}
