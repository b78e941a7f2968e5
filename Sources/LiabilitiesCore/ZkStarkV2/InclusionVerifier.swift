import Field
import Hashing

/// Checks a zk-STARK v2 inclusion proof against the root of the global Merkle sum tree (public
/// inputs 2…5 of the global proof), the way OKX's `verify-user` does, plus the position checks
/// OKX leaves out: the path's shape must match the tree's batch size and branch-out, and each
/// recursion level's position must be the one the leaf index implies.
public struct ZkStarkV2InclusionVerifier: Sendable {
    /// The root the global proof commits to.
    public var root: HashOut
    /// Users per batch (`general.batch_size`), when known: fixes the batch tree's depth.
    public var batchSize: UInt64?
    /// Children per recursion node (`general.recursion_branchout_num`; OKX only ever uses 64).
    public var branchOut: Int

    public init(root: HashOut, batchSize: UInt64? = nil, branchOut: Int = 64) {
        self.root = root
        self.batchSize = batchSize
        self.branchOut = branchOut
    }

    /// What went wrong, as one line for the user.
    public enum Failure: Error, Equatable, CustomStringConvertible {
        case pathShape(String)
        case pathPosition(String)
        case rootMismatch(computed: HashOut, expected: HashOut)

        public var description: String {
            switch self {
            case .pathShape(let s): return "path shape: \(s)"
            case .pathPosition(let s): return "path position: \(s)"
            case .rootMismatch(let c, let e):
                return "root mismatch: the path from your account's leaf leads to \(c.hex.prefix(16))…, but the global proof's public inputs give the root \(e.hex.prefix(16))…"
            }
        }
    }

    /// Recomputes the root from the leaf and compares it with `root`, or says which check failed.
    public func computeRoot(_ proof: ZkStarkV2InclusionProof) throws(Failure) -> HashOut {
        let hash = try walk(proof)
        guard hash == root else { throw .rootMismatch(computed: hash, expected: root) }
        return hash
    }

    /// The root a proof's path leads to, whatever global proof it belongs to: how porcheck finds
    /// the round of a pasted proof among the global proofs it has kept. `nil` for a malformed path.
    public static func impliedRoot(of proof: ZkStarkV2InclusionProof, branchOut: Int = 64) -> HashOut? {
        try? ZkStarkV2InclusionVerifier(root: .zero, batchSize: nil, branchOut: branchOut).walk(proof)
    }

    /// Checks the path's shape and positions and hashes from the leaf to the top.
    func walk(_ proof: ZkStarkV2InclusionProof) throws(Failure) -> HashOut {
        let depth = proof.sumTreeSiblings.count
        guard depth < 64 else { throw .pathShape("\(depth) batch-tree siblings is not a plausible tree") }
        if let batchSize {
            guard batchSize > 0, batchSize & (batchSize - 1) == 0 else {
                throw .pathShape("the global proof's batch_size \(batchSize) is not a power of two")
            }
            let expectedDepth = batchSize.trailingZeroBitCount
            guard depth == expectedDepth else {
                throw .pathShape("\(depth) batch-tree siblings, but batch_size \(batchSize) needs \(expectedDepth)")
            }
        }
        var hash = proof.leafHash
        var position = proof.index
        for sibling in proof.sumTreeSiblings {
            // The low bit says whether the running hash is the right (1) or left (0) child.
            if position & 1 == 1 {
                hash = PoseidonHash.hashNoPad(sibling.elements + hash.elements)
            } else {
                hash = PoseidonHash.hashNoPad(hash.elements + sibling.elements)
            }
            position >>= 1
        }
        // `position` is now the batch number; each recursion level consumes one base-`branchOut` digit.
        for (level, siblings) in proof.recursiveTreeSiblings.enumerated() {
            let width = siblings.left.count + 1 + siblings.right.count
            guard width == branchOut else {
                throw .pathShape("recursion level \(level + 1) has \(width) children, the tree's branch-out is \(branchOut)")
            }
            let digit = position % UInt64(branchOut)
            guard siblings.left.count == Int(digit) else {
                throw .pathPosition("at recursion level \(level + 1) the proof puts your node at slot \(siblings.left.count), but index \(proof.index) means slot \(digit)")
            }
            var inputs = [Goldilocks]()
            inputs.reserveCapacity(4 * width)
            for h in siblings.left { inputs += h.elements }
            inputs += hash.elements
            for h in siblings.right { inputs += h.elements }
            hash = PoseidonHash.hashNoPad(inputs)
            position /= UInt64(branchOut)
        }
        guard position == 0 else {
            throw .pathPosition("index \(proof.index) lies beyond the tree the path describes")
        }
        return hash
    }

    /// The verdict in the project's terms, with the steps porcheck took.
    public func verify(_ proof: ZkStarkV2InclusionProof, file: String) -> Verdict {
        var steps = [
            "leaf hash recomputed from the account id and the sums of its \(proof.equity.count) equity and debt values",
            "\(proof.sumTreeSiblings.count) batch-tree levels and \(proof.recursiveTreeSiblings.count) recursion levels hashed with Poseidon",
        ]
        do {
            _ = try computeRoot(proof)
            steps.append("path positions agree with index \(proof.index)")
            steps.append("computed root equals the global proof's root (public inputs 2-5)")
            // OKX's leaf hashes only the sums, so moving value between tokens keeps the proof valid.
            return Verdict(file: file, format: .zkStarkV2, constraint: .inclusion, verdict: .passed,
                           reason: "your account's leaf is in the tree whose root the global proof commits to",
                           steps: steps,
                           warnings: ["the leaf binds only your total equity and total debt: the per-token amounts are the exchange's statement, not proven one by one"])
        } catch {
            return Verdict(file: file, format: .zkStarkV2, constraint: .inclusion, verdict: .failed,
                           reason: error.description, steps: steps)
        }
    }
}
