import Foundation
import Hashing

extension LegacyFormat {
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
        MerkleTreeFileHead.matches(head) ? .merkleV2Tree : nil
    }

    public static func detect(jsonData: Data, file: String? = nil) throws -> Kind? {
        detect(json: try JSONInput.parse(jsonData, file: file))
    }
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
