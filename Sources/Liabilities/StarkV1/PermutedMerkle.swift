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
    typealias Branch = StarkV1SumProof.Branch

    static func slot(_ x: Int, leafCount n: Int) -> Int {
        let q = n / 4
        return x / q + 4 * (x % q)
    }

    /// The logical index whose leaf sits at `slot` (the inverse of `slot(_:leafCount:)`).
    static func index(ofSlot s: Int, leafCount n: Int) -> Int { (s % 4) * (n / 4) + s / 4 }

    @inline(__always)
    static func hashPair(_ a: Bytes32, _ b: Bytes32) -> Bytes32 { Keccak256.hashPair(a, b) }

    static func log2Exact(_ n: Int) -> Int? {
        guard n > 0, n & (n - 1) == 0 else { return nil }
        return n.trailingZeroBitCount
    }

    /// The root of the permuted tree over 32-byte leaves (n a power of two, n ≥ 4).
    static func root(leaves: [Bytes32]) throws -> Bytes32 {
        let n = leaves.count
        guard n >= 4, log2Exact(n) != nil else { throw StarkV1Failure("a Merkle tree of \(n) leaves (needs a power of two ≥ 4)") }
        var nodes = [Bytes32](repeating: .zero, count: 2 * n)
        for x in 0..<n { nodes[n + slot(x, leafCount: n)] = leaves[x] }
        // Level by level (nodes width..<2·width are the children of width/2..<width), each
        // level's parents hashed together.
        let hashed = nodes.withUnsafeMutableBufferPointer { b -> Bool in
            guard let base = b.baseAddress else { return false }
            var width = n
            while width > 1 {
                Keccak256.hashPairsMany(UnsafePointer(base + width), count: width / 2, into: base + width / 2)
                width /= 2
            }
            return true
        }
        guard hashed else { throw StarkV1Failure("a Merkle tree of \(n) leaves could not be hashed") }
        return nodes[1]
    }

    /// Checks a complete branch for logical index x in a tree of 2^depth leaves; returns the leaf.
    static func verifyBranch(root: Bytes32, index x: Int, branch: Branch, depth: Int, what: String) throws -> Bytes32 {
        guard branch.count == depth + 1 else {
            throw StarkV1Failure("\(what): a branch of length \(branch.count) where the tree needs \(depth + 1) (OKX takes the depth from the branch)")
        }
        guard depth >= 2 else { throw StarkV1Failure("\(what): a tree of \(1 << depth) leaves (needs at least 4)") }
        let n = 1 << depth
        guard x >= 0, x < n else { throw StarkV1Failure("\(what): index \(x) outside a tree of \(n) leaves") }
        var s = slot(x, leafCount: n)
        var v = branch.leaf
        for j in 1..<branch.count {
            guard branch.has(j) else { throw StarkV1Failure("\(what): a missing sibling that nothing recomputes") }
            let sibling = branch.nodes[j]
            v = (s & 1 == 1) ? hashPair(sibling, v) : hashPair(v, sibling)
            s >>= 1
        }
        guard v == root else { throw StarkV1Failure("\(what): Merkle branch for index \(x) does not reach the root") }
        return branch.leaf
    }

    struct Node {
        var pos: Int
        var value: Bytes32
    }

    /// OKX's compressed multi-branch (omitted siblings are the ones another branch supplies).
    /// OKX rebuilds each branch and checks it on its own; porcheck hashes the union of the paths
    /// level by level, once per node, and demands one value per tree position (an explicit
    /// sibling that contradicts another branch's path, or another explicit sibling, is rejected:
    /// honest proofs never do that). Every returned leaf then has a hash chain to the root.
    /// Nodes are kept in arrays sorted by heap position (positions are unique across levels), so
    /// a level's parents come out sorted for the next level. Returns the leaves in order.
    static func verifyMultiBranch(root: Bytes32, indices: [Int], branches: [Branch], depth: Int, what: String) throws -> [Bytes32] {
        guard branches.count == indices.count else {
            throw StarkV1Failure("\(what): \(branches.count) branches for \(indices.count) positions")
        }
        guard depth >= 2 else { throw StarkV1Failure("\(what): a tree of \(1 << depth) leaves (needs at least 4)") }
        let n = 1 << depth
        var level = [Node]()
        level.reserveCapacity(branches.count)
        var supplied = [Node]()
        supplied.reserveCapacity(branches.count * depth / 2)
        for (x, branch) in zip(indices, branches) {
            guard branch.count == depth + 1 else {
                throw StarkV1Failure("\(what): a branch of length \(branch.count) where the tree needs \(depth + 1) (OKX takes the depth from the branch)")
            }
            guard x >= 0, x < n else { throw StarkV1Failure("\(what): index \(x) outside a tree of \(n) leaves") }
            var pos = n + slot(x, leafCount: n)
            level.append(Node(pos: pos, value: branch.leaf))
            for j in 1...depth {
                if branch.has(j) { supplied.append(Node(pos: pos ^ 1, value: branch.nodes[j])) }
                pos >>= 1
            }
        }
        level = try unique(level) { pos in
            StarkV1Failure("\(what): two branches open index \(index(ofSlot: pos - n, leafCount: n)) with different leaves")
        }
        supplied = try unique(supplied) { _ in StarkV1Failure("\(what): branches disagree on a sibling") }

        func givenSibling(_ pos: Int) -> Bytes32? {
            var lo = 0, hi = supplied.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if supplied[mid].pos < pos { lo = mid + 1 } else { hi = mid }
            }
            return lo < supplied.count && supplied[lo].pos == pos ? supplied[lo].value : nil
        }
        // Level by level: first every parent's two children (and the checks, in node order),
        // then all the level's parents hashed together (Keccak256.hashPairsMany, many at once).
        var next = [Node]()
        next.reserveCapacity(level.count)
        var pairs = [Bytes32]()
        pairs.reserveCapacity(2 * level.count)
        for _ in 0..<depth {
            next.removeAll(keepingCapacity: true)
            pairs.removeAll(keepingCapacity: true)
            var i = 0
            while i < level.count {
                let node = level[i]
                if node.pos & 1 == 0, i + 1 < level.count, level[i + 1].pos == node.pos + 1 {
                    // Both children are on opened paths; any explicit copy of either must agree.
                    let right = level[i + 1]
                    if let e = givenSibling(right.pos), e != right.value { throw contradiction(what) }
                    if let e = givenSibling(node.pos), e != node.value { throw contradiction(what) }
                    pairs.append(node.value)
                    pairs.append(right.value)
                    i += 2
                } else {
                    guard let sibling = givenSibling(node.pos ^ 1) else {
                        throw StarkV1Failure("\(what): an omitted sibling that no other branch supplies")
                    }
                    pairs.append(node.pos & 1 == 1 ? sibling : node.value)
                    pairs.append(node.pos & 1 == 1 ? node.value : sibling)
                    i += 1
                }
                next.append(Node(pos: node.pos >> 1, value: .zero))
            }
            try hashPairs(pairs, into: &next, what: what)
            swap(&level, &next)
        }
        guard level.count == 1, level[0].pos == 1, level[0].value == root else {
            throw StarkV1Failure("\(what): Merkle branches do not reach the root")
        }
        return branches.map(\.leaf)
    }

    /// nodes[k].value = Keccak(pairs[2k] ‖ pairs[2k + 1]) for every node (pairs holds two per node).
    /// Throws (the branches are then rejected) if the hashes could not be made.
    static func hashPairs(_ pairs: [Bytes32], into nodes: inout [Node], what: String) throws {
        let count = nodes.count
        guard count > 0 else { return }
        guard pairs.count == 2 * count else { throw StarkV1Failure("\(what): internal: \(pairs.count) children for \(count) parents") }
        let done = withUnsafeTemporaryAllocation(of: Bytes32.self, capacity: count) { out -> Bool in
            guard let o = out.baseAddress else { return false }
            let hashed = pairs.withUnsafeBufferPointer { p -> Bool in
                guard let base = p.baseAddress else { return false }
                Keccak256.hashPairsMany(base, count: count, into: o)
                return true
            }
            guard hashed else { return false }
            for k in 0..<count { nodes[k].value = o[k] }
            return true
        }
        guard done else { throw StarkV1Failure("\(what): internal: Merkle nodes could not be hashed") }
    }

    static func contradiction(_ what: String) -> StarkV1Failure {
        StarkV1Failure("\(what): a branch's sibling contradicts another branch's path (Merkle branch does not reach the root)")
    }

    /// Sorted by position, one node per position; two different values at one position throw.
    static func unique(_ nodes: [Node], conflict: (Int) -> StarkV1Failure) throws -> [Node] {
        let sorted = nodes.sorted { $0.pos < $1.pos }
        var out = [Node]()
        out.reserveCapacity(sorted.count)
        for node in sorted {
            if let last = out.last, last.pos == node.pos {
                guard last.value == node.value else { throw conflict(node.pos) }
                continue
            }
            out.append(node)
        }
        return out
    }

    /// OKX's `get_pseudorandom_indices`: 4-byte big-endian words from seed ‖ H(seed) ‖ H(H(seed))…,
    /// reduced mod m, or onto the non-multiples of `exclude` when it is set.
    static func pseudorandomIndices(seed: Bytes32, modulus m: Int, count: Int, exclude: Int = 0) throws -> [Int] {
        guard m > 0, m < 1 << 24 else { throw StarkV1Failure("index range \(m) is outside OKX's limit (2^24)") }
        var data = seed.bytes
        var last = seed
        while data.count < 4 * count {
            last = Keccak256.digest(last.bytes)
            data += last.bytes
        }
        var out = [Int]()
        out.reserveCapacity(count)
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
