import Hashing

/// The bytes OKX signs or hashes for each scheme (SPEC section 2).
public enum MessageFraming {
    static let okxHeader = Array("OKX Signed Message:\n".utf8)

    /// Bitcoin CompactSize length followed by the bytes.
    public static func varstr(_ bytes: [UInt8]) -> [UInt8] {
        let n = bytes.count
        var out = [UInt8]()
        out.reserveCapacity(n + 9)
        if n < 0xFD {
            out.append(UInt8(n))
        } else if n <= 0xFFFF {
            out += [0xFD, UInt8(n & 0xFF), UInt8(n >> 8)]
        } else {
            out.append(0xFE)
            for i in 0..<4 { out.append(UInt8(truncatingIfNeeded: n >> (8 * i))) }
        }
        return out + bytes
    }

    /// SHA-256d(varstr(magic) ‖ varstr(msg)).
    public static func utxoDigest(magic: [UInt8], message: [UInt8]) -> [UInt8] {
        SHA256.hash(SHA256.hash(varstr(magic) + varstr(message)))
    }

    /// keccak256(prefix ‖ keccak256(msg)): EIP-191 over the 32-byte hash, as OKX frames it
    /// (prefix "\u{19}Ethereum Signed Message:\n32" or the TRON v1 one).
    public static func prefixedHashDigest(prefix: [UInt8], message: [UInt8]) -> [UInt8] {
        Keccak256.hash(prefix + Keccak256.hash(message))
    }

    static let ethereumPrefix = Array("\u{19}Ethereum Signed Message:\n32".utf8)
    static let tronPrefix = Array("\u{19}TRON Signed Message:\n32".utf8)

    public static func evmDigest(_ message: [UInt8]) -> [UInt8] {
        prefixedHashDigest(prefix: ethereumPrefix, message: message)
    }

    public static func tronV1Digest(_ message: [UInt8]) -> [UInt8] {
        prefixedHashDigest(prefix: tronPrefix, message: message)
    }

    /// TIP-191 over the text: keccak256("\u{19}TRON Signed Message:\n" ‖ len ‖ msg).
    public static func tronV2Digest(_ message: [UInt8]) -> [UInt8] {
        Keccak256.hash(Array("\u{19}TRON Signed Message:\n\(message.count)".utf8) + message)
    }

    /// varstr("OKX Signed Message:\n") ‖ varstr(msg): what ed25519 coins sign directly.
    public static func okxPayload(_ message: [UInt8]) -> [UInt8] {
        varstr(okxHeader) + varstr(message)
    }

    public static func okxECDSADigest(_ message: [UInt8]) -> [UInt8] { Keccak256.hash(okxPayload(message)) }

    public static func eosDigest(_ message: [UInt8]) -> [UInt8] { SHA256.hash(okxPayload(message)) }
}
