import Foundation
import Hashing

/// EOS / Vaulta / WAX (SPEC 4.9, test layout only): SIG_K1_ signatures over SHA-256 of the OKX
/// payload, checked against `EOS…` public keys. The account name is never bound to the keys
/// offline (it needs the chain's permission table), so a valid row is `unproven` [QT2].
enum EOSChain {
    static func decodeSignature(_ text: String) throws -> (rs: ArraySlice<UInt8>, recoveryID: Int) {
        guard text.hasPrefix("SIG_K1_"), let raw = Base58.bitcoin.decode(text.dropFirst(7)), raw.count == 69 else {
            throw RowFailure("signature is not a SIG_K1_ signature")
        }
        let body = Array(raw.prefix(65))
        guard Array(RIPEMD160.hash(body + Array("K1".utf8)).prefix(4)) == Array(raw.suffix(4)) else {
            throw RowFailure("SIG_K1_ checksum mismatch")
        }
        let i = Int(body[0])
        guard (27...34).contains(i) else { throw RowFailure("SIG_K1_ recovery byte \(i) not in 27…34") }
        return (body[1..<65], (i - 27) % 4)
    }

    static func decodePublicKey(_ text: String) throws -> [UInt8] {
        var body = Substring(text)
        if body.hasPrefix("EOS") { body = body.dropFirst(3) } else if body.hasPrefix("PUB_K1_") {
            throw RowFailure("PUB_K1_ keys are not supported by OKX's scheme")
        } else { throw RowFailure("public key is not an EOS… key") }
        guard let raw = Base58.bitcoin.decode(body), raw.count == 37 else { throw RowFailure("EOS public key does not decode") }
        let key = Array(raw.prefix(33))
        guard Array(RIPEMD160.hash(key).prefix(4)) == Array(raw.suffix(4)) else {
            throw RowFailure("EOS public key checksum mismatch")
        }
        return key
    }

    static func check(signature: String, publicKey: String, message: [UInt8]) throws {
        let (rs, recoveryID) = try decodeSignature(signature)
        let key = try decodePublicKey(publicKey)
        guard let recovered = Secp256k1.recover(digest: MessageFraming.eosDigest(message), rs: rs, recoveryID: recoveryID) else {
            throw RowFailure("signature does not recover a public key")
        }
        guard recovered.compressed == key else { throw RowFailure("recovered key differs from the given EOS public key") }
    }

    static func verify(signature1: String, signature2: String, publicKey: String, message: [UInt8]) throws -> RowOutcome {
        guard !isAbsent(publicKey) else { throw RowFailure("EOS row without a public key") }
        if publicKey.hasPrefix("{") {
            guard let object = try? JSONSerialization.jsonObject(with: Data(publicKey.utf8)) as? [String: Any],
                  let key1 = object["publicKey1"] as? String, let key2 = object["publicKey2"] as? String else {
                throw RowFailure("public key JSON must hold publicKey1 and publicKey2")
            }
            guard !isAbsent(signature2) else { throw RowFailure("dual-key EOS row without signature2") }
            try check(signature: signature1, publicKey: key1, message: message)
            try check(signature: signature2, publicKey: key2, message: message)
        } else {
            try check(signature: signature1, publicKey: publicKey, message: message)
        }
        return .unproven("EOS signature matches the key, but the account name is bound to keys only on chain")
    }
}
