/// Recognises OKX's three earlier proof generations from a file's or folder's content, so the
/// wizard and `porcheck verify` need not be told which one they were given. The recognition of a
/// parsed document is here, without Foundation (the lean front declines these formats by it);
/// files and folders are recognised in Liabilities.
public enum LegacyFormat {
    public enum Kind: String, Sendable, Equatable, CaseIterable {
        /// `merkle_proof_file.json` (Merkle v1).
        case merkleV1Proof
        /// `user_info_file.json` (Merkle v2; needs the tree file as well).
        case merkleV2UserInfo
        /// The full liabilities tree text file (Merkle v2).
        case merkleV2Tree
        /// A `sum_proof_data/` folder, or a folder holding one (zk-STARK v1).
        case starkV1SumProofFolder
        /// A `*_inclusion_proof.json` of zk-STARK v1.
        case starkV1InclusionProof
        /// One part of a STARK v1 sum proof (`sum_proof.json`, `sum_values.json` or `config.json`).
        case starkV1SumProofPart

        public var format: ProofFormat {
            switch self {
            case .merkleV1Proof: return .merkleV1
            case .merkleV2UserInfo, .merkleV2Tree: return .merkleV2
            case .starkV1SumProofFolder, .starkV1InclusionProof, .starkV1SumProofPart: return .zkStarkV1
            }
        }
    }

    /// Recognises a parsed document by its fields.
    public static func detect(json o: JSONValue) -> Kind? {
        func isObject(_ v: JSONValue?) -> Bool { if case .object = v { return true } else { return false } }
        func isArray(_ v: JSONValue?) -> Bool { if case .array = v { return true } else { return false } }
        guard isObject(o) else { return nil }
        if isObject(o["self"]), isArray(o["path"]) { return .merkleV1Proof }
        if isArray(o["nodes"]), isObject(o["totalBalances"]), o["nonce"] != nil, o["hash"] != nil {
            return .merkleV2UserInfo
        }
        if isObject(o["batch_inclusion_proof"]), isObject(o["trunk_inclusion_proof"]) {
            return .starkV1InclusionProof
        }
        if o["low_degree_proof"] != nil, o["mtree_root"] != nil, o["l_mtree_root"] != nil { return .starkV1SumProofPart }
        if o["total_value"] != nil, o["general"] == nil { return .starkV1SumProofPart }
        if o["main_coins_num"] != nil, isArray(o["coins"]) { return .starkV1SumProofPart }
        return nil
    }
}
