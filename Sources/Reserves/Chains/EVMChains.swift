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
