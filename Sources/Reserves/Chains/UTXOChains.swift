import Hashing

/// Bitcoin-family message signatures (SPEC 4.1): P2PKH, P2SH and P2WSH multisig, cashaddr.
/// Unlike OKX's tool, an address that does not decode for the coin's own network, a taproot
/// address or an address of a kind we cannot classify fails instead of passing [Q1-Q4, Q14],
/// and a multisig needs two distinct signers [Q5].
enum UTXOChains {
    struct Network {
        let p2pkh: [UInt8]
        let p2sh: [UInt8]
        let hrp: String?
        let cashaddr: Bool
    }

    static let networks: [String: Network] = [
        "BTC": Network(p2pkh: [0x00], p2sh: [0x05], hrp: "bc", cashaddr: false),
        "BCHA": Network(p2pkh: [0x00], p2sh: [0x05], hrp: "bc", cashaddr: false),
        "BCH": Network(p2pkh: [0x00], p2sh: [0x05], hrp: nil, cashaddr: true),
        "LTC": Network(p2pkh: [0x30], p2sh: [0x32], hrp: "ltc", cashaddr: false),
        "DOGE": Network(p2pkh: [0x1E], p2sh: [0x16], hrp: nil, cashaddr: false),
        "DASH": Network(p2pkh: [0x4C], p2sh: [0x10], hrp: nil, cashaddr: false),
        "BTG": Network(p2pkh: [0x26], p2sh: [0x17], hrp: "btg", cashaddr: false),
        "DGB": Network(p2pkh: [0x1E], p2sh: [0x3F], hrp: "dgb", cashaddr: false),
        "QTUM": Network(p2pkh: [0x3A], p2sh: [0x32], hrp: "qc", cashaddr: false),
        "RVN": Network(p2pkh: [0x3C], p2sh: [0x7A], hrp: nil, cashaddr: false),
        "ZEC": Network(p2pkh: [0x1C, 0xB8], p2sh: [0x1C, 0xBD], hrp: nil, cashaddr: false),
    ]

    enum AddressKind {
        case p2pkh([UInt8])  // 20-byte key hash
        case p2sh([UInt8])   // 20-byte script hash
        case p2wsh([UInt8])  // 32-byte script hash
    }

    /// Decodes the address for the coin's network only.
    static func classify(_ address: String, network: Network) throws -> AddressKind {
        if network.cashaddr, !address.hasPrefix("1"), !address.hasPrefix("3"),
           let (version, hash) = Base32.decodeCash(address, defaultPrefix: "bitcoincash") {
            guard hash.count == 20 else { throw RowFailure("cashaddr hash is \(hash.count) bytes") }
            switch version {
            case 0x00: return .p2pkh(hash)
            case 0x08: return .p2sh(hash)
            default: throw RowFailure("cashaddr version \(version) is not P2PKH or P2SH")
            }
        }
        if let hrp = network.hrp, address.lowercased().hasPrefix(hrp + "1") {
            guard let (version, program) = Bech32.decodeSegwit(hrp: hrp, address) else {
                throw RowFailure("address is not a valid \(hrp) segwit address (bad checksum or encoding)")
            }
            if version == 1 { throw RowFailure("taproot address: a key-path message signature cannot be checked against it") }
            guard version == 0 else { throw RowFailure("witness version \(version) is not supported") }
            if program.count == 20 {
                throw RowFailure("single-key segwit (P2WPKH) is not part of OKX's scheme (multisig P2WSH only)")
            }
            return .p2wsh(program)
        }
        guard let payload = Base58.bitcoin.decodeCheck(address) else {
            throw RowFailure("address does not decode (base58check) for this coin's network")
        }
        let versionLength = network.p2pkh.count
        guard payload.count == versionLength + 20 else { throw RowFailure("address payload has the wrong length") }
        let version = Array(payload.prefix(versionLength))
        let hash = Array(payload.suffix(20))
        if version == network.p2pkh { return .p2pkh(hash) }
        if version == network.p2sh { return .p2sh(hash) }
        throw RowFailure("address version \(Hex.encode(version)) belongs to another network")
    }

    static func recover(_ signature: String, magic: [UInt8], message: [UInt8]) throws -> Secp256k1.PublicKey {
        if signature.hasPrefix("0x") || signature.hasPrefix("0X") {
            // OKX's hex variant signs the OKX-ECDSA digest, not the coin's magic.
            return try SignatureDecoding.recoverHex(signature, digest: MessageFraming.okxECDSADigest(message))
        }
        return try SignatureDecoding.recoverCompactBase64(
            signature, digest: MessageFraming.utxoDigest(magic: magic, message: message))
    }

    /// Keys of a bare `OP_m <keys> OP_n OP_CHECKMULTISIG` script.
    static func multisigKeys(_ script: [UInt8]) throws -> [[UInt8]] {
        guard script.count >= 3, (0x51...0x60).contains(script[0]), script.last == 0xAE else {
            throw RowFailure("redeem script is not a standard multisig script")
        }
        let m = Int(script[0]) - 0x50
        var keys = [[UInt8]]()
        var i = 1
        while i < script.count - 2 {
            let length = Int(script[i])
            guard length == 33 || length == 65, i + 1 + length <= script.count - 2 else {
                throw RowFailure("redeem script is not a standard multisig script")
            }
            keys.append(Array(script[(i + 1)..<(i + 1 + length)]))
            i += 1 + length
        }
        let nByte = script[script.count - 2]
        guard i == script.count - 2, (0x51...0x60).contains(nByte), Int(nByte) - 0x50 == keys.count, m <= keys.count
        else { throw RowFailure("redeem script is not a standard multisig script") }
        return keys
    }

    static func verify(entry: CoinEntry, address: String, signature1: String, signature2: String,
                       script scriptText: String, message: [UInt8]) throws -> RowOutcome {
        guard let network = networks[entry.addressType] ?? (entry.addressType.isEmpty ? nil : networks["BTC"]) else {
            throw RowFailure("coin \(entry.key) has no UTXO network parameters")
        }
        if entry.key == "DCR" || entry.key == "ZEN" {
            throw RowFailure("\(entry.key) addresses use a different checksum/format; OKX's check is meaningless for them")
        }
        let magic = entry.messageHeader
        let key1 = try recover(signature1, magic: magic, message: message)
        let kind = try classify(address, network: network)
        switch kind {
        case .p2pkh(let hash):
            // OKX always serialises the recovered key compressed [Q6, Q7].
            guard SignatureDecoding.hash160(key1.compressed) == hash else {
                throw RowFailure("recovered key does not hash to the address")
            }
            return .verified
        case .p2sh(let hash), .p2wsh(let hash):
            guard !isAbsent(scriptText) else { throw RowFailure("multisig address without a redeem script") }
            guard let script = SignatureDecoding.hexBytes(scriptText) else { throw RowFailure("redeem script is not hex") }
            let scriptHash: [UInt8]
            if case .p2sh = kind { scriptHash = SignatureDecoding.hash160(script) } else { scriptHash = SHA256.hash(script) }
            guard scriptHash == hash else { throw RowFailure("redeem script does not hash to the address") }
            guard !isAbsent(signature2) else { throw RowFailure("multisig address needs two signatures, signature2 is empty") }
            let key2 = try recover(signature2, magic: magic, message: message)
            let keys = try multisigKeys(script)
            let k1 = key1.compressed, k2 = key2.compressed
            guard keys.contains(k1) else { throw RowFailure("signer 1 is not a key of the multisig script") }
            guard keys.contains(k2) else { throw RowFailure("signer 2 is not a key of the multisig script") }
            guard k1 != k2 else { throw RowFailure("both signatures come from the same key") }
            return .verified
        }
    }
}
