import Field
import Hashing

/// What porcheck reads from a zk-STARK v2 `sum_proof_data.json` without verifying the plonky2
/// proof: the round, the tree's shape, and the public inputs (total equity, total debt, root).
///
/// These numbers are only claims until the global proof is verified; callers must say so.
public struct ZkStarkV2SumProofHeader: Sendable, Equatable {
    public var roundNumber: UInt64
    public var batchSize: UInt64
    public var tokenCount: UInt64
    public var branchOut: UInt64
    /// PI[0]: the sum of every account's equity.
    public var totalEquity: Goldilocks
    /// PI[1]: the sum of every account's debt.
    public var totalDebt: Goldilocks
    /// PI[2…5]: the root of the global Merkle sum tree.
    public var root: HashOut

    public static func load(path: String) throws -> ZkStarkV2SumProofHeader {
        try parse(try JSONInput.readBytes(path), file: path)
    }

    public static func parse(_ bytes: [UInt8], file: String?) throws -> ZkStarkV2SumProofHeader {
        try parse(json: try JSONInput.parse(bytes, file: file), file: file)
    }

    public static func parse(json: JSONValue, file: String?) throws -> ZkStarkV2SumProofHeader {
        try parse(try JSONObject(json, file: file))
    }

    static func parse(_ top: JSONObject) throws -> ZkStarkV2SumProofHeader {
        let file = top.file
        let general = try top.object("general")
        let proof = try top.object("proof")
        let inputs = try proof.array("public_inputs")
        guard inputs.count == 6 else {
            throw InputError(file: file, "proof.public_inputs has \(inputs.count) values; a zk-STARK v2 global proof has 6 (equity, debt, 4 root limbs)")
        }
        var elements = [Goldilocks]()
        for (i, v) in inputs.enumerated() {
            let raw = try JSONObject.uint64(v, file: file, what: "proof.public_inputs[\(i)]")
            guard let g = Goldilocks(canonical: raw) else {
                throw InputError(file: file, "proof.public_inputs[\(i)] = \(raw) is not below the Goldilocks modulus")
            }
            elements.append(g)
        }
        guard let root = HashOut(elements: Array(elements[2..<6])) else {
            throw InputError(file: file, "proof.public_inputs does not hold a 4-limb root")
        }
        return ZkStarkV2SumProofHeader(
            roundNumber: try general.uint64("round_num"),
            batchSize: try general.uint64("batch_size"),
            tokenCount: try general.uint64("token_num"),
            branchOut: try general.uint64("recursion_branchout_num"),
            totalEquity: elements[0], totalDebt: elements[1], root: root)
    }
}
