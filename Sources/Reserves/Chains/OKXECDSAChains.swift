import Hashing

/// Coins signing OKX's own header with secp256k1 (SPEC 4.4, 4.5): Filecoin f1, Conflux, aelf,
/// cosmos-style bech32 chains, OKC/OKT (0x and ex1), ICON, Harmony, Injective, Flow.
enum OKXECDSAChains {
    static let cosmosPrefixes: [String: String] = [
        "ATOM": "cosmos", "TIA": "celestia", "CRO": "cro", "DORA": "dora", "DYDX": "dydx",
        "TERRA": "terra", "LUNC": "terra",
    ]

    /// The address the recovered key has for this flavour; nil when we cannot derive one.
    static func derive(flavour: String, key: Secp256k1.PublicKey, identity: String) throws -> String {
        let eth = SignatureDecoding.ethAddress(key)
        switch flavour {
        case "FIL":
            let payload = BLAKE2b.hash(key.uncompressed, length: 20)
            let checksum = BLAKE2b.hash([0x01] + payload, length: 4)
            return "f1" + Base32.encodeRFC4648(payload + checksum)
        case "CFX":
            var body = eth
            body[0] = (body[0] & 0x0F) | 0x10
            return conflux(body)
        case "ELF":
            let h = SHA256.hash(SHA256.hash(key.uncompressed))
            return Base58.bitcoin.encode(h + Array(SHA256.hash(SHA256.hash(h)).prefix(4)))
        case "ETH":
            if identity.lowercased().hasPrefix("ex") { return Bech32.encodeBytes(hrp: "ex", eth) }
            return "0x" + Hex.encode(eth)
        case "FLOW":
            return "0x" + Hex.encode(eth)
        case "ICX":
            return "hx" + Hex.encode(SHA3_256.hash(key.uncompressed.dropFirst()).suffix(20))
        case "INJ":
            return Bech32.encodeBytes(hrp: "inj", eth)
        case "ONE":
            return Bech32.encodeBytes(hrp: "one", eth)
        default:
            if let hrp = cosmosPrefixes[flavour] {
                return Bech32.encodeBytes(hrp: hrp, SignatureDecoding.hash160(key.compressed))
            }
            if flavour == "STX" { throw UnsupportedScheme("Stacks c32 addresses are not implemented") }
            throw RowFailure("coin has no address flavour in OKX's tables (invalid coin type)")
        }
    }

    /// CIP-37 `cfx:` address (network 1029, version byte 0).
    static func conflux(_ body: [UInt8]) -> String {
        Base32.encodeCash(prefix: "cfx", version: 0, hash: body, alphabet: Base32.conflux)
    }

    static func verifyIdentity(entry: CoinEntry?, identity: String, signature: String, message: [UInt8]) throws {
        let key = try SignatureDecoding.recoverHex(signature, digest: MessageFraming.okxECDSADigest(message))
        let expected = try derive(flavour: entry?.addressType ?? "", key: key, identity: identity)
        guard identity.lowercased() == expected.lowercased() else {
            throw RowFailure("recovered address \(expected) differs")
        }
    }

    /// Public-key mode: the recovered key must equal the given key; the address is not involved.
    static func verifyPublicKey(_ keyText: String, signature: String, message: [UInt8]) throws -> RowOutcome {
        let key = try SignatureDecoding.recoverHex(signature, digest: MessageFraming.okxECDSADigest(message))
        guard let given = SignatureDecoding.hexBytes(keyText) else { throw RowFailure("public key is not hex") }
        let compressed: [UInt8]
        switch given.count {
        case 33: compressed = given
        case 64: compressed = [given[63] & 1 == 0 ? 0x02 : 0x03] + given.prefix(32)
        default: throw RowFailure("public key is \(given.count) bytes; expected 33 (compressed) or 64 (raw X‖Y)")
        }
        guard key.compressed == compressed else { throw RowFailure("recovered key differs from the given public key") }
        return .unproven("signature matches the given public key, but nothing ties that key to the address offline")
    }
}
