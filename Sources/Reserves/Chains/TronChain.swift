import Hashing

/// TRON (SPEC 4.3): TRON v1 (over keccak of the text) or v2 (TIP-191 over the text) digest.
enum TronChain {
    static func verify(address: String, signature: String, message: [UInt8]) throws -> RowOutcome {
        let (rs, recoveryID) = try SignatureDecoding.hexRSV(signature)
        // Compare hashes, not strings: a valid TRON address is exactly base58check(0x41 ‖ hash),
        // and base58check has one canonical text per payload, so the address must also re-encode
        // to itself (rejects case changes and non-canonical spellings).
        guard let payload = Base58.bitcoin.decodeCheck(address), payload.count == 21, payload[0] == 0x41,
              Base58.bitcoin.encodeCheck(payload) == address else {
            throw RowFailure("address is not a valid TRON base58check address")
        }
        let target = Array(payload.dropFirst())
        var recovered = false
        for digest in [MessageFraming.tronV1Digest(message), MessageFraming.tronV2Digest(message)] {
            guard let key = Secp256k1.recover(digest: digest, rs: rs, recoveryID: recoveryID) else { continue }
            recovered = true
            if SignatureDecoding.ethAddress(key) == target { return .verified }
        }
        throw RowFailure(recovered ? "recovered address differs from \(address.prefix(64)) (checked TRON v1 and v2 framing)"
                                   : "signature does not recover a public key")
    }
}
