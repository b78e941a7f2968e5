import Field
import Dispatch
import Synchronization
import Hashing

extension MerkleProof {
    /// plonky2's `verify_merkle_proof_to_cap`: hash the leaf (`hash_or_noop`), climb with the
    /// index's low bit choosing the side, and compare with the cap entry the remaining index names.
    ///
    /// With `memo`, the compressions of the top `CompressionMemo.levels` levels go through it:
    /// paths of different queries meet there, and the same two hashes compress to the same hash.
    public func verify(leaf: [Goldilocks], index: Int, cap: [HashOut], memo: CompressionMemo? = nil) -> Bool {
        var i = index
        var digest = PoseidonHash.hashOrNoop(leaf)
        let memoFrom = siblings.count - CompressionMemo.levels
        for (level, sibling) in siblings.enumerated() {
            let (left, right) = i & 1 == 1 ? (sibling, digest) : (digest, sibling)
            if let memo, level >= memoFrom {
                digest = memo.twoToOne(left, right)
            } else {
                digest = PoseidonHash.twoToOne(left, right)
            }
            i >>= 1
        }
        return i >= 0 && i < cap.count && cap[i] == digest
    }
}

/// Two-to-one compressions already computed during one FRI verification, by their inputs.
///
/// The 28 queries open random leaves of the same trees, so their Merkle paths meet near the
/// cap: below a cap of 2 entries, 28 random paths have only about 2, 4, 8, 14, 19, 23 and 25
/// distinct nodes on the first seven levels instead of 28 each, so roughly half of those
/// compressions repeat one already made. The compression is a pure function of its two inputs,
/// so a repeat can take the earlier result: the path is still checked hash by hash up to the cap.
/// Lower levels almost never repeat and are not looked up. Shared by the queries' threads.
public final class CompressionMemo: @unchecked Sendable {
    /// How many levels below the cap go through the memo.
    public static let levels = 7

    struct Inputs: Hashable {
        let left: HashOut
        let right: HashOut

        // Hash outputs are uniformly distributed: one limb of each side is plenty for the table's
        // buckets (equality still compares all eight).
        func hash(into hasher: inout Hasher) {
            hasher.combine(left.e0.value)
            hasher.combine(right.e0.value)
        }
    }

    private let table = Mutex<[Inputs: HashOut]>([:])

    public init() {}

    public func twoToOne(_ left: HashOut, _ right: HashOut) -> HashOut {
        let key = Inputs(left: left, right: right)
        let known = table.withLock { $0[key] }
        if let known { return known }
        let digest = PoseidonHash.twoToOne(left, right)
        table.withLock { $0[key] = digest }
        return digest
    }
}
