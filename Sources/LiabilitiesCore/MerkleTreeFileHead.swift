import Hashing

/// How a Merkle v2 liabilities tree file starts: `<64 hex>,<digits>,{`. The file is text,
/// possibly hundreds of MB, so it is recognised from its first bytes, before any JSON parse.
public enum MerkleTreeFileHead {
    public static func matches<Bytes: Collection<UInt8>>(_ head: Bytes) -> Bool {
        let bytes = [UInt8](head.prefix(256))
        guard bytes.count > 68, bytes[64] == UInt8(ascii: ",") else { return false }
        guard bytes[0..<64].allSatisfy({ Hex.nibble($0) != nil }) else { return false }
        var i = 65
        while i < bytes.count, bytes[i] >= 48, bytes[i] <= 57 { i += 1 }
        return i > 65 && i + 1 < bytes.count && bytes[i] == UInt8(ascii: ",") && bytes[i + 1] == UInt8(ascii: "{")
    }
}
