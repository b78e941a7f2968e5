/// The two wallet-list layouts OKX publishes (SPEC section 1).
public enum WalletLayout: String, Sendable, Codable {
    /// POR report, 11 columns (coin, Network, Snapshot Height, address, amount, message, sig1, sig2, script/key, eoa1, eoa2).
    case report11 = "por-11"
    /// POR report with the staking `Type` column after coin.
    case report12 = "por-12"
    /// digitalAsset, network, address, signedMessage, signedMessage2, message, publicKey, owner1, owner2[, status].
    case perAddress = "digitalAsset"
}

/// One detail row after verification: identity columns, amount and verdict.
public struct VerifiedRow: Sendable {
    public let line: Int
    public let coin: String
    public let network: String
    public let address: String
    /// The amount (POR layouts) when it parsed.
    public let amount: ExactDecimal?
    /// OKX's unit the amount is totalled under (POR layouts, accepted coins only).
    public let unit: String?
    public let outcome: RowOutcome
}

/// Applies OKX's per-row procedure (SPEC 1.3 and 1.5) with our stricter checks.
public enum RowVerifier {
    public static func verify(fields: [String], line: Int, layout: WalletLayout) -> VerifiedRow {
        switch layout {
        case .report11, .report12: return verifyReport(fields, line: line, offset: layout == .report12 ? 1 : 0)
        case .perAddress: return verifyPerAddress(fields.map { $0.trimmingWhitespace() }, line: line)
        }
    }

    static func field(_ fields: [String], _ i: Int) -> String { i < fields.count ? fields[i] : "" }

    static func verifyReport(_ fields: [String], line: Int, offset: Int) -> VerifiedRow {
        let rawCoin = field(fields, 0)
        let coin = rawCoin.uppercased()
        let network = field(fields, 1 + offset)
        let address = field(fields, 3 + offset)
        func row(_ outcome: RowOutcome, amount: ExactDecimal? = nil, unit: String? = nil) -> VerifiedRow {
            VerifiedRow(line: line, coin: coin, network: network, address: address, amount: amount, unit: unit, outcome: outcome)
        }
        guard fields.count >= 9 + offset else {
            return row(.failed("row has \(fields.count) columns, needs at least \(9 + offset)"))
        }
        var eoa1 = fields.count > 10 + offset ? field(fields, 9 + offset) : ""
        var eoa2 = fields.count > 10 + offset ? field(fields, 10 + offset) : ""
        if offset == 1, field(fields, 1).trimmingWhitespace().lowercased() == "eigenlayer staking" {
            eoa2 = ""  // the EigenPod is a contract and cannot sign
        }
        if eoa1.trimmingWhitespace().isEmpty { eoa1 = "" }
        if eoa2.trimmingWhitespace().isEmpty { eoa2 = "" }
        let amountText = field(fields, 4 + offset)
        guard let amount = ExactDecimal(amountText) else {
            return row(.failed("amount '\(amountText.prefix(40))' is not a decimal number"))
        }
        guard let entry = CoinTable.byKey[coin], entry.acceptedInReport else {
            return row(.failed("coin '\(rawCoin.prefix(40))' is not in OKX's POR coin list"), amount: amount)
        }
        let unit = entry.unit
        if entry.excluded {
            return row(.skipped("\(coin) is excluded from verification by OKX (not checked; amount still totalled)"),
                       amount: amount, unit: unit)
        }
        let message = field(fields, 5 + offset), signature1 = field(fields, 6 + offset)
        let signature2 = field(fields, 7 + offset), script = field(fields, 8 + offset)
        guard !address.isEmpty else { return row(.failed("address is empty"), amount: amount, unit: unit) }
        guard !message.isEmpty else { return row(.failed("message is empty"), amount: amount, unit: unit) }
        guard !signature1.isEmpty else { return row(.failed("signature1 is empty"), amount: amount, unit: unit) }
        let outcome = run {
            let msg = Array(message.utf8)
            switch entry.verifyType {
            case "EVM", "ECDSA":
                let ecdsa = entry.verifyType == "ECDSA"
                func check(_ identity: String, _ signature: String) throws {
                    guard !signature.isEmpty else { throw RowFailure("owner \(identity.prefix(64)) has no signature") }
                    if ecdsa {
                        try OKXECDSAChains.verifyIdentity(entry: entry, identity: identity, signature: signature, message: msg)
                    } else {
                        try EVMChains.verifyIdentity(entry: entry, identity: identity, signature: signature, message: msg)
                    }
                }
                if !eoa1.isEmpty {
                    try check(eoa1, signature1)
                    if !eoa2.isEmpty { try check(eoa2, signature2) }
                } else if !eoa2.isEmpty {
                    // OKX ignores a lone EOA2 and checks the address; so do we.
                    try check(address, signature1)
                } else {
                    try check(address, signature1)
                }
                return .verified
            case "ED25519":
                return try Ed25519Chains.verify(entry: entry, identity: eoa1.isEmpty ? address : eoa1,
                                                signature: signature1, publicKey: script, message: msg)
            case "TRX":
                return try TronChain.verify(address: address, signature: signature1, message: msg)
            case "UTXO":
                return try UTXOChains.verify(entry: entry, address: address, signature1: signature1,
                                             signature2: signature2, script: script, message: msg)
            case "BETH":
                return try BETHChain.verify(publicKey: address, signature: signature1, message: msg)
            case "STARK":
                return try StarknetTypedData.verify(account: address, signature: signature1, publicKey: script, message: message)
            default:
                throw RowFailure("coin type '\(entry.verifyType)' has no verifier")
            }
        }
        return row(outcome, amount: amount, unit: unit)
    }

    static func verifyPerAddress(_ fields: [String], line: Int) -> VerifiedRow {
        let asset = field(fields, 0), network = field(fields, 1), address = field(fields, 2)
        func row(_ outcome: RowOutcome) -> VerifiedRow {
            VerifiedRow(line: line, coin: asset, network: network, address: address, amount: nil, unit: nil, outcome: outcome)
        }
        guard fields.count >= 7 else { return row(.failed("row has \(fields.count) columns, needs at least 7")) }
        if fields.count >= 10, fields[9] != "5" {
            return row(.skipped("status column is '\(fields[9].prefix(20))', only status 5 rows are checked"))
        }
        let signature1 = field(fields, 3), signature2 = field(fields, 4), message = field(fields, 5)
        let publicKey = field(fields, 6), owner1 = field(fields, 7), owner2 = field(fields, 8)
        guard !address.isEmpty else { return row(.failed("address is empty")) }
        guard !message.isEmpty else { return row(.failed("message is empty")) }
        guard !signature1.isEmpty else { return row(.failed("signedMessage is empty")) }
        let entry = CoinTable.byKey[network]
        let type = entry?.verifyType ?? "ECDSA"
        let msg = Array(message.utf8)
        let outcome = run {
            switch type {
            case "EVM":
                guard let entry else { throw RowFailure("unknown network") }
                if !isAbsent(owner1) {
                    try EVMChains.verifyIdentity(entry: entry, identity: owner1, signature: signature1, message: msg)
                    if !isAbsent(owner2) {
                        guard !isAbsent(signature2) else {
                            // OKX silently skips owner2 here [QT5]; owner1 is proven, owner2 is not.
                            return .unproven("owner1 verified; owner2 \(owner2.prefix(64)) has no signature and is not proven")
                        }
                        try EVMChains.verifyIdentity(entry: entry, identity: owner2, signature: signature2, message: msg)
                    }
                } else {
                    try EVMChains.verifyIdentity(entry: entry, identity: address, signature: signature1, message: msg)
                }
                return .verified
            case "ECDSA":
                if !isAbsent(publicKey) {
                    return try OKXECDSAChains.verifyPublicKey(publicKey, signature: signature1, message: msg)
                }
                try OKXECDSAChains.verifyIdentity(entry: entry, identity: address, signature: signature1, message: msg)
                return .verified
            case "ED25519":
                guard let entry else { throw RowFailure("unknown network") }
                return try Ed25519Chains.verify(entry: entry, identity: address, signature: signature1,
                                                publicKey: publicKey, message: msg)
            case "TRX":
                return try TronChain.verify(address: address, signature: signature1, message: msg)
            case "UTXO":
                guard let entry else { throw RowFailure("unknown network") }
                return try UTXOChains.verify(entry: entry, address: address, signature1: signature1,
                                             signature2: signature2, script: publicKey, message: msg)
            case "EOS":
                return try EOSChain.verify(signature1: signature1, signature2: signature2, publicKey: publicKey, message: msg)
            case "BETH":
                return try BETHChain.verify(publicKey: address, signature: signature1, message: msg)
            case "STARK":
                return try StarknetTypedData.verify(account: address, signature: signature1, publicKey: publicKey, message: message)
            default:
                throw RowFailure("network '\(network)' has no verifier (type \(type))")
            }
        }
        return row(outcome)
    }

    static func run(_ body: () throws -> RowOutcome) -> RowOutcome {
        do { return try body() } catch let failure as RowFailure {
            return .failed(failure.reason)
        } catch let unsupported as UnsupportedScheme {
            return .skipped(unsupported.reason)
        } catch {
            return .failed("\(error)")
        }
    }
}

extension String {
    func trimmingWhitespace() -> String {
        var s = Substring(self)
        while let c = s.first, c == " " || c == "\t" || c == "\r" || c == "\n" { s.removeFirst() }
        while let c = s.last, c == " " || c == "\t" || c == "\r" || c == "\n" { s.removeLast() }
        return String(s)
    }
}
