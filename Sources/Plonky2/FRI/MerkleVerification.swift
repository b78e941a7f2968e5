import Field
import Hashing

extension MerkleProof {
    /// plonky2's `verify_merkle_proof_to_cap`: hash the leaf (`hash_or_noop`), climb with the
    /// index's low bit choosing the side, and compare with the cap entry the remaining index names.
    public func verify(leaf: [Goldilocks], index: Int, cap: [HashOut]) -> Bool {
        var i = index
        var digest = PoseidonHash.hashOrNoop(leaf)
        for sibling in siblings {
            digest = i & 1 == 1 ? PoseidonHash.twoToOne(sibling, digest) : PoseidonHash.twoToOne(digest, sibling)
            i >>= 1
        }
        return i >= 0 && i < cap.count && cap[i] == digest
    }
}
