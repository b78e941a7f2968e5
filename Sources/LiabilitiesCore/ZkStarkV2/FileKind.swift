/// Which zk-STARK v2 file a parsed JSON document is, from its fields (not its name): the one rule
/// both the full porcheck's format sniffer and the lean front's discovery use.
public enum ZkStarkV2FileKind: Sendable, Equatable {
    /// `sum_proof_data.json`: `general` and `proof` at the top level.
    case sumProof
    /// `*_inclusion_proof.json`: an `account` with `equity`, and the tree's siblings.
    case inclusionProof

    /// `nil` for any other document (an earlier format's, or none).
    public init?(json value: JSONValue) {
        guard case .object = value else { return nil }
        if value["general"] != nil, value["proof"] != nil {
            self = .sumProof
        } else if let account = value["account"], account["equity"] != nil,
                  value["sum_tree_siblings"] != nil || value["recursive_tree_siblings"] != nil {
            self = .inclusionProof
        } else {
            return nil
        }
    }
}
