import Field
import Hashing

/// One Merkle path to check: plonky2's `verify_merkle_proof_to_cap(leaf, index, cap, proof)`.
public struct MerklePathCheck: Sendable {
    public var leaf: [Goldilocks]
    public var index: Int
    public var proof: MerkleProof
    public var cap: [HashOut]

    public init(leaf: [Goldilocks], index: Int, proof: MerkleProof, cap: [HashOut]) {
        self.leaf = leaf
        self.index = index
        self.proof = proof
        self.cap = cap
    }
}

/// Many Merkle paths checked together: every leaf hashed (`hash_or_noop`), every path climbed
/// to its cap with the index's low bit choosing the side and compared with the cap entry the
/// remaining index names — each path exactly as `MerkleProof.verify` checks it — but the hashes
/// of all paths made level by level, so that the compressions of one level (independent of each
/// other) go to `Poseidon.permuteMany` together: 8 at a time with AVX-512.
///
/// On the top `CompressionMemo.levels` levels of each path, where random paths of one tree meet,
/// a compression whose two inputs equal those of another path on the same level is made once and
/// its result given to both (the compression is a pure function of its inputs; the path is still
/// checked hash by hash up to the cap).
public enum MerkleBatch {
    /// Whether each path reaches its cap, in the order given.
    public static func verify(_ paths: [MerklePathCheck]) -> [Bool] {
        let n = paths.count
        guard n > 0 else { return [] }
        var digests = PoseidonHash.hashOrNoopMany(paths.map(\.leaf))
        var indices = paths.map(\.index)
        // Deepest first: the paths still climbing at a level are then a prefix of `order`.
        let order = (0..<n).sorted { paths[$0].proof.siblings.count > paths[$1].proof.siblings.count }
        let maxDepth = paths[order[0]].proof.siblings.count

        let inputs = UnsafeMutablePointer<HashOut>.allocate(capacity: 2 * n)
        let outputs = UnsafeMutablePointer<HashOut>.allocate(capacity: n)
        let scratch = UnsafeMutablePointer<UInt64>.allocate(capacity: Poseidon.width * n)
        let slots = UnsafeMutablePointer<Int>.allocate(capacity: n)
        let table = InputTable(capacity: n)
        defer {
            inputs.deallocate(); outputs.deallocate(); scratch.deallocate(); slots.deallocate()
            table.deallocate()
        }
        var active = n
        for level in 0..<maxDepth {
            while active > 0 && paths[order[active - 1]].proof.siblings.count <= level { active -= 1 }
            table.clear()
            var unique = 0
            for a in 0..<active {
                let p = order[a]
                let siblings = paths[p].proof.siblings
                let sibling = siblings[level]
                let (left, right) = indices[p] & 1 == 1 ? (sibling, digests[p]) : (digests[p], sibling)
                if level >= siblings.count - CompressionMemo.levels, let known = table.find(left, right, inputs) {
                    slots[a] = known
                    continue
                }
                inputs[2 * unique] = left
                inputs[2 * unique + 1] = right
                if level >= siblings.count - CompressionMemo.levels { table.insert(left, right, slot: unique) }
                slots[a] = unique
                unique += 1
            }
            PoseidonHash.twoToOneMany(inputs, count: unique, into: outputs, scratch: scratch)
            for a in 0..<active {
                let p = order[a]
                digests[p] = outputs[slots[a]]
                indices[p] >>= 1
            }
        }
        return (0..<n).map { p in
            let i = indices[p], cap = paths[p].cap
            return i >= 0 && i < cap.count && cap[i] == digests[p]
        }
    }
}

/// The compression inputs already queued on one level, by value: an open-addressing table of
/// slots into the queued inputs (`inputs[2·slot]`, `inputs[2·slot + 1]`).
struct InputTable {
    private let entries: UnsafeMutablePointer<Int>  // slot + 1, 0 for empty
    private let mask: Int

    init(capacity n: Int) {
        var size = 16
        while size < 2 * n { size <<= 1 }
        entries = .allocate(capacity: size)
        entries.initialize(repeating: 0, count: size)
        mask = size - 1
    }

    func deallocate() { entries.deallocate() }

    func clear() { entries.update(repeating: 0, count: mask + 1) }

    // Hash outputs are uniformly distributed: one limb of each side is plenty to spread them.
    private func bucket(_ left: HashOut, _ right: HashOut) -> Int {
        let h = (left.e0.value &* 0x9E37_79B9_7F4A_7C15) ^ right.e0.value
        return Int(truncatingIfNeeded: ((h ^ (h >> 29)) &* 0xBF58_476D_1CE4_E5B9) >> 40) & mask
    }

    func find(_ left: HashOut, _ right: HashOut, _ inputs: UnsafePointer<HashOut>) -> Int? {
        var b = bucket(left, right)
        while entries[b] != 0 {
            let slot = entries[b] - 1
            if inputs[2 * slot] == left && inputs[2 * slot + 1] == right { return slot }
            b = (b + 1) & mask
        }
        return nil
    }

    /// The table holds at most n entries in at least 2n buckets, so a free bucket exists.
    func insert(_ left: HashOut, _ right: HashOut, slot: Int) {
        var b = bucket(left, right)
        while entries[b] != 0 { b = (b + 1) & mask }
        entries[b] = slot + 1
    }
}
