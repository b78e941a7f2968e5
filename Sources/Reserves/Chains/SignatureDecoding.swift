import Foundation
import Hashing

/// Signature encodings shared by the secp256k1 chains (SPEC section 3).
enum SignatureDecoding {
    /// Hex text with an optional 0x/0X prefix.
    static func hexBytes(_ text: String) -> [UInt8]? {
        var body = Substring(text)
        if body.hasPrefix("0x") || body.hasPrefix("0X") { body = body.dropFirst(2) }
        return Hex.decode(body)
    }

    /// Splits hex r ‖ s ‖ v (65 bytes, v in 27…34) into r ‖ s and the recovery id.
    static func hexRSV(_ text: String) throws -> (rs: ArraySlice<UInt8>, recoveryID: Int) {
        guard let bytes = hexBytes(text) else { throw RowFailure("signature is not hex") }
        guard bytes.count == 65 else { throw RowFailure("signature is \(bytes.count) bytes, expected 65 (r‖s‖v)") }
        let v = Int(bytes[64])
        guard (27...34).contains(v) else { throw RowFailure("signature v = \(v), expected 27…34") }
        return (bytes[0..<64], (v - 27) % 4)
    }

    /// Recovers the signer of `digest` from a hex r‖s‖v signature.
    static func recoverHex(_ text: String, digest: [UInt8]) throws -> Secp256k1.PublicKey {
        let (rs, recoveryID) = try hexRSV(text)
        guard let key = Secp256k1.recover(digest: digest, rs: rs, recoveryID: recoveryID) else {
            throw RowFailure("signature does not recover a public key (r or s out of range)")
        }
        return key
    }

    /// Recovers the signer from a base64 Bitcoin-style compact signature (header 27…34).
    static func recoverCompactBase64(_ text: String, digest: [UInt8]) throws -> Secp256k1.PublicKey {
        guard let data = Data(base64Encoded: text) else { throw RowFailure("signature is not base64") }
        let bytes = [UInt8](data)
        guard bytes.count == 65 else { throw RowFailure("signature is \(bytes.count) bytes, expected 65") }
        let header = Int(bytes[0])
        guard (27...34).contains(header) else {
            throw RowFailure("signature header \(header) not in 27…34 (BIP-137 segwit headers are not accepted)")
        }
        guard let key = Secp256k1.recover(digest: digest, rs: bytes[1..<65], recoveryID: (header - 27) % 4) else {
            throw RowFailure("signature does not recover a public key")
        }
        return key
    }

    /// 20-byte Ethereum address of a key: last 20 bytes of keccak256(X ‖ Y).
    static func ethAddress(_ key: Secp256k1.PublicKey) -> [UInt8] {
        Array(Keccak256.hash(key.uncompressed.dropFirst()).suffix(20))
    }

    static func hash160(_ bytes: [UInt8]) -> [UInt8] { RIPEMD160.hash(SHA256.hash(bytes)) }
}

/// "Absent" values of optional columns in OKX's files.
func isAbsent(_ text: String) -> Bool { text.isEmpty || text == "null" || text == "\\N" }
