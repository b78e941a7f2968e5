import Foundation
import Hashing

/// Ed25519 coins (SPEC 4.6): the OKX payload is signed directly; the address is derived from the
/// key per family. Base58/base32/base64 addresses are compared exactly (OKX compares them
/// case-insensitively, which lets a case-changed address of another key pass [Q9]); hex and
/// bech32 addresses are case-insensitive by nature.
enum Ed25519Chains {
    static let ss58Prefixes: [String: Int] = [
        "DOT": 0, "ASSET-HUB": 0, "KSM": 2, "ENJIN": 2135, "PHA": 30, "CLV": 42, "AVAIL": 42,
        "SDN": 5, "CFG": 36, "EFI": 1110, "KARU": 8,
    ]

    /// Families whose addresses are account names or registry IDs, not functions of the key.
    static let signatureOnly: Set<String> = [
        "NEAR", "HBAR", "SC", "IOTA", "ICP", "ACA", "CSPR", "TEZOS", "KDA", "EGLD", "ENJ", "ALGO", "ASTR",
        "IOST", "ERD", "XTZ", "KLY", "POKT", "VENOM", "LSK", "IOTA_STARDUST", "IOTA_NEW", "CC_CANTON",
    ]

    static func verify(entry: CoinEntry, identity: String, signature: String, publicKey: String,
                       message: [UInt8]) throws -> RowOutcome {
        guard !isAbsent(publicKey) else { throw RowFailure("ed25519 row without a public key") }
        guard let sig = SignatureDecoding.hexBytes(signature) else { throw RowFailure("signature is not hex") }
        guard sig.count == 64 else { throw RowFailure("signature is \(sig.count) bytes, expected 64") }
        guard let key = SignatureDecoding.hexBytes(publicKey) else { throw RowFailure("public key is not hex") }
        guard key.count == 32 else { throw RowFailure("public key is \(key.count) bytes, expected 32") }
        guard Ed25519.verify(signature: sig, message: MessageFraming.okxPayload(message), publicKey: key) else {
            throw RowFailure("ed25519 signature does not verify for this key and message")
        }
        let flavour = entry.addressType
        if let candidates = try candidates(flavour: flavour, key: key) {
            let exact = !["APTOS", "SUI", "ADA"].contains(flavour)
            let match = candidates.contains { exact ? $0 == identity : $0.lowercased() == identity.lowercased() }
            guard match else { throw RowFailure("address is not derived from the public key (\(flavour))") }
            return .verified
        }
        if signatureOnly.contains(flavour) || flavour.isEmpty {
            return .unproven("ed25519 signature valid, but \(entry.key) addresses are account names/IDs that cannot be derived from the key offline")
        }
        return .unproven("ed25519 signature valid; no address derivation known for flavour \(flavour)")
    }

    /// Addresses the key has in this family; nil for signature-only families.
    static func candidates(flavour: String, key: [UInt8]) throws -> [String]? {
        switch flavour {
        case "SOL":
            return [Base58.bitcoin.encode(key)]
        case "APTOS":
            let full = Hex.encode(SHA3_256.hash(key + [0x00]))
            let trimmed = String(full.drop { $0 == "0" })
            return ["0x" + full, "0x" + (trimmed.isEmpty ? "0" : trimmed)]
        case "SUI":
            return ["0x" + Hex.encode(BLAKE2b.hash([0x00] + key, length: 32))]
        case "XLM", "PI", "STELLAR":
            let body: [UInt8] = [0x30] + key
            let crc = CRC16.xmodem(body)
            return [Base32.encodeRFC4648(body + [UInt8(crc & 0xFF), UInt8(crc >> 8)], upperCase: true)]
        case "ADA":
            return [Bech32.encodeBytes(hrp: "addr", [0x61] + BLAKE2b.hash(key, length: 28))]
        case "TON":
            return TONWallets.addresses(publicKey: key)
        default:
            if let prefix = ss58Prefixes[flavour] { return [ss58(prefix: prefix, key: key)] }
            return nil
        }
    }

    /// SS58: base58(prefix ‖ key ‖ first 2 bytes of BLAKE2b-512("SS58PRE" ‖ prefix ‖ key)).
    static func ss58(prefix: Int, key: [UInt8]) -> String {
        let prefixBytes: [UInt8]
        if prefix < 64 {
            prefixBytes = [UInt8(prefix)]
        } else {
            // Two-byte form of the SS58 specification for identifiers 64…16383.
            let first = UInt8(((prefix & 0xFC) >> 2) | 0x40)
            let second = UInt8((prefix >> 8) | ((prefix & 0x03) << 6))
            prefixBytes = [first, second]
        }
        let body = prefixBytes + key
        let checksum = BLAKE2b.hash(Array("SS58PRE".utf8) + body, length: 64).prefix(2)
        return Base58.bitcoin.encode(body + checksum)
    }
}
