import Foundation
import JSONReader
import Reserves

/// The verdict on one address's balance at the snapshot height; the four are never merged.
public enum BalanceVerdict: String, Sendable, Codable, CaseIterable {
    /// The node's amount at the snapshot height equals the listed amount (exactly).
    case matched
    /// The node's amount at the snapshot height differs from the listed amount.
    case mismatch
    /// porcheck did not ask (no node configured, chain not supported, node at another height, row unusable).
    case notChecked = "not-checked"
    /// porcheck asked and got no usable answer after its retries (node down, stalled, garbage, error object).
    case error
}

/// One address to check: every row of the list with this coin, address and snapshot height
/// (a list may name an address on several rows; the chain has one balance for it).
public struct AddressCheck: Sendable, Equatable {
    public let coin: String
    public let network: String
    /// The address as first written in the list.
    public let address: String
    /// The snapshot height column as written; `height` is its value when it is a block number.
    public let heightText: String
    public let height: UInt64?
    public let lines: [Int]
    /// Sum of the listed amounts of these rows; nil when a row's amount is unusable.
    public let published: ExactDecimal?
    public let unit: String?
    /// Why the rows cannot be checked at all (malformed row, no address…).
    public let problem: String?

    /// Identifies the check inside a run (and across a resumed run).
    public var key: String { problem == nil ? AddressCheck.key(coin: coin, address: address, height: heightText) : "line:\(lines.first ?? 0)" }

    public static func key(coin: String, address: String, height: String) -> String {
        // EVM addresses are case-insensitive (EIP-55 only adds a checksum in the case).
        let a = CoinTable.byKey[coin]?.verifyType == "EVM" || address.hasPrefix("0x") ? address.lowercased() : address
        return "\(coin)|\(a)|\(height)"
    }
}

public enum BalanceScope: Sendable, Equatable, CustomStringConvertible {
    case everything
    case coin(String)
    case address(String, coin: String?)

    /// Stored with a run so that a resumed run is the same question.
    public var description: String {
        switch self {
        case .everything: return "all"
        case .coin(let c): return "coin:\(c.uppercased())"
        case .address(let a, let c): return "address:\(c.map { $0.uppercased() + ":" } ?? "")\(a)"
        }
    }

    func includes(_ e: ListedEntry) -> Bool {
        switch self {
        case .everything: return true
        case .coin(let c): return e.coin == c.uppercased()
        case .address(let a, let c):
            let sameAddress = e.address == a || (a.hasPrefix("0x") && e.address.lowercased() == a.lowercased())
            return sameAddress && (c.map { e.coin == $0.uppercased() } ?? true)
        }
    }
}

public enum BalancePlan {
    /// The addresses to check, in the order the list first names them.
    public static func checks(_ listing: WalletListEntries.Listing, scope: BalanceScope) -> [AddressCheck] {
        var order = [String]()
        var groups = [String: [ListedEntry]]()
        for e in listing.entries where scope.includes(e) {
            let key = e.problem == nil ? AddressCheck.key(coin: e.coin, address: e.address, height: e.snapshotHeight) : "line:\(e.line)"
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(e)
        }
        return order.compactMap { key in
            guard let rows = groups[key], let first = rows.first else { return nil }
            var sum: ExactDecimal? = .zero
            for r in rows { if let a = r.amount, let s = sum { sum = s + a } else { sum = nil } }
            return AddressCheck(coin: first.coin, network: first.network, address: first.address, heightText: first.snapshotHeight,
                                height: UInt64(first.snapshotHeight), lines: rows.map(\.line), published: first.problem == nil ? sum : nil,
                                unit: first.unit, problem: first.problem)
        }
    }
}

/// What porcheck found for one address.
public struct AddressResult: Sendable, Equatable {
    public let check: AddressCheck
    public var verdict: BalanceVerdict
    /// The node's amount at the snapshot height, in coin units (matched and mismatch only).
    public var onChain: ExactDecimal?
    /// Why (the node's answer, the error, what is not supported).
    public var reason: String
    /// How the amount was read: `eth_getBalance at block 0x… (nodes[0])` …
    public var source: String
    /// For errors: unreachable, stalled, garbage, http, node-error.
    public var errorKind: String?
    public var attempts: Int

    public init(check: AddressCheck, verdict: BalanceVerdict, onChain: ExactDecimal? = nil, reason: String, source: String = "",
                errorKind: String? = nil, attempts: Int = 0) {
        self.check = check
        self.verdict = verdict
        self.onChain = onChain
        self.reason = reason
        self.source = source
        self.errorKind = errorKind
        self.attempts = attempts
    }

    /// Compares the node's amount with the listed one, exactly.
    static func compared(_ check: AddressCheck, onChain exact: ExactDecimal, source: String, attempts: Int) -> AddressResult {
        let onChain = ChainAmounts.trimmed(exact)
        guard let published = check.published else {
            return AddressResult(check: check, verdict: .notChecked, onChain: onChain, reason: "the listed amount is not usable", source: source, attempts: attempts)
        }
        if onChain.numericallyEquals(published) {
            return AddressResult(check: check, verdict: .matched, onChain: onChain, reason: "on chain \(onChain) = listed \(published)",
                                 source: source, attempts: attempts)
        }
        let difference = ExactDecimal("-" + published.description).map { onChain + $0 }
        return AddressResult(check: check, verdict: .mismatch, onChain: onChain,
                             reason: "on chain \(onChain), listed \(published)\(difference.map { " (on chain − listed = \($0))" } ?? "")",
                             source: source, attempts: attempts)
    }

    /// The JSON Lines object of `porcheck balances --json`.
    public var json: JSONValue {
        var fields: [(key: String, value: JSONValue)] = [
            ("line", .unsigned(UInt64(check.lines.first ?? 0))),
            ("lines", .array(check.lines.map { .unsigned(UInt64($0)) })),
            ("coin", .string(check.coin)), ("network", .string(check.network)), ("address", .string(check.address)),
            ("height", .string(check.heightText)),
            ("listed", check.published.map { .string($0.description) } ?? .null),
            ("on_chain", onChain.map { .string($0.description) } ?? .null),
            ("verdict", .string(verdict.rawValue)), ("reason", .string(reason)), ("source", .string(source)),
        ]
        if let errorKind { fields.append(("error_kind", .string(errorKind))) }
        if attempts > 0 { fields.append(("attempts", .unsigned(UInt64(attempts)))) }
        return .object(fields)
    }
}
