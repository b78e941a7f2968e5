import Hashing

/// EVM coins (SPEC 4.2): EIP-191 over keccak256(message) as OKX frames it; ETH, Filecoin f410 and
/// PlatON (lat1) address flavours.
enum EVMChains {
    static func verifyIdentity(entry: CoinEntry, identity: String, signature: String, message: [UInt8]) throws {
        let (rs, recoveryID) = try SignatureDecoding.hexRSV(signature)
        guard let key = Secp256k1.recover(digest: MessageFraming.evmDigest(message), rs: rs, recoveryID: recoveryID) else {
            throw RowFailure("signature does not recover a public key (r or s out of range)")
        }
        let eth = SignatureDecoding.ethAddress(key)
        let ethText = "0x" + Hex.encode(eth)
        switch entry.addressType {
        case "FIL":
            if identity.hasPrefix("0x") || identity.hasPrefix("0X") {
                guard identity.lowercased() == ethText else { throw RowFailure("recovered address \(ethText) differs") }
            } else {
                let expected = filecoinDelegated(eth)
                guard identity.lowercased() == expected else { throw RowFailure("recovered address \(expected) differs") }
            }
        case "LAT":
            let expected = Bech32.encodeBytes(hrp: "lat", eth)
            guard identity.lowercased() == expected else { throw RowFailure("recovered address \(expected) differs") }
        default:
            // OKX enforces low-S only for ETH-flavour EVM coins [Q11].
            guard Secp256k1.isLowS(rs.suffix(32)) else { throw RowFailure("high-S signature (s > n/2) rejected") }
            // The checksum case is not enforced, as in OKX's tool.
            guard identity.lowercased() == ethText else { throw RowFailure("recovered address \(ethText) differs") }
        }
    }

    /// f410f ‖ base32(eth20 ‖ blake2b-32(0x04 ‖ 0x0a ‖ eth20)), Filecoin's delegated (EAM) address.
    static func filecoinDelegated(_ eth: [UInt8]) -> String {
        let checksum = BLAKE2b.hash([0x04, 0x0A] + eth, length: 4)
        return "f410f" + Base32.encodeRFC4648(eth + checksum)
    }
}

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
