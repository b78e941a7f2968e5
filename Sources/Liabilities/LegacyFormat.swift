import Foundation
import Hashing

/// Recognises OKX's three earlier proof generations from a file's or folder's content, so the
/// wizard and `porcheck verify` need not be told which one they were given.
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

    /// nil when the path exists but is none of the legacy formats (it may be a v2 proof).
    public static func detect(path: String) throws -> Kind? {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw InputError(file: path, "no such file or folder")
        }
        if isDirectory.boolValue {
            return StarkV1Layout.sumProofFolder(in: path) == nil ? nil : .starkV1SumProofFolder
        }
        // Look at the start only: a tree file may be hundreds of MB.
        guard let handle = FileHandle(forReadingAtPath: path) else { throw InputError(file: path, "cannot be opened") }
        defer { try? handle.close() }
        let head = (try? handle.read(upToCount: 4096)) ?? Data()
        if let kind = detectTreeFile(head: head) { return kind }
        let first = head.first(where: { !($0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09) })
        guard first == UInt8(ascii: "{") else { return nil }
        return try detect(jsonData: try JSONInput.readFile(path), file: path)
    }

    /// `<64 hex>,<digits>,{` at the start of the file.
    public static func detectTreeFile(head: Data) -> Kind? {
        let bytes = [UInt8](head.prefix(256))
        guard bytes.count > 68, bytes[64] == UInt8(ascii: ",") else { return nil }
        guard bytes[0..<64].allSatisfy({ Hex.isHexDigit($0) }) else { return nil }
        var i = 65
        while i < bytes.count, bytes[i] >= 48, bytes[i] <= 57 { i += 1 }
        guard i > 65, i + 1 < bytes.count, bytes[i] == UInt8(ascii: ","), bytes[i + 1] == UInt8(ascii: "{") else { return nil }
        return .merkleV2Tree
    }

    public static func detect(jsonData: Data, file: String? = nil) throws -> Kind? {
        detect(json: try JSONInput.parse(jsonData, file: file))
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

private extension Hex {
    static func isHexDigit(_ c: UInt8) -> Bool { nibble(c) != nil }
}

extension LegacyFormat {
    /// The user's own balances from a legacy proof file (for display and history): Merkle v1's
    /// leaf balances, Merkle v2's total balances, or a STARK v1 inclusion proof's values
    /// (as printed, with total_value). nil for files that hold no user (trees, sum proofs).
    public static func userBalances(path: String) throws -> [String: String]? {
        switch try detect(path: path) {
        case .merkleV1Proof: return try MerkleV1.userBalances(path: path)
        case .merkleV2UserInfo: return try MerkleV2.userBalances(path: path)
        case .starkV1InclusionProof: return try StarkV1.userBalances(inclusionFile: path)
        default: return nil
        }
    }
}
