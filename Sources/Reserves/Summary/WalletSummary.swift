/// Counts and totals of one verification run, per coin and network and per unit.
public struct WalletSummary: Sendable, Codable {
    public struct Group: Sendable, Codable {
        public let coin: String
        public let network: String
        public var rows = 0
        /// Distinct address texts in this group.
        public var addresses = 0
        public var verified = 0
        public var failed = 0
        public var unproven = 0
        public var skipped = 0
        /// Sum of the amounts of all rows (as OKX totals them, failed rows included).
        public var amountAllRows = ExactDecimal.zero
        /// Sum of the amounts of verified rows only.
        public var amountVerified = ExactDecimal.zero
        /// Sum of the amounts of unproven rows (valid signature, address not bound offline).
        public var amountUnproven = ExactDecimal.zero
    }

    public struct Unit: Sendable, Codable {
        public let unit: String
        /// Total in the file's summary block, when the block lists this unit.
        public var claimed: ExactDecimal?
        public var amountAllRows = ExactDecimal.zero
        public var amountVerified = ExactDecimal.zero
        /// True when the summary block's total equals the sum over all rows of this unit.
        public var claimedMatchesRows: Bool?
    }

    /// A summary-block line about one coin key (e.g. `USDT-TRC20,46095694,5436.9044`).
    public struct CoinClaim: Sendable, Codable {
        public let coin: String
        public let claimed: ExactDecimal
        public let amountAllRows: ExactDecimal
        public let amountVerified: ExactDecimal
        public let claimedMatchesRows: Bool
    }

    public var file: String
    public var layout: WalletLayout
    public var rows = 0
    public var verified = 0
    public var failed = 0
    public var unproven = 0
    public var skipped = 0
    public var groups: [Group] = []
    public var units: [Unit] = []
    /// Summary-block lines about single coin keys, beside the rows' totals for that coin.
    public var coinClaims: [CoinClaim] = []
    /// Summary-block lines that match no unit or coin of the detail rows, or that did not parse.
    public var claimed: [ClaimedTotal] = []
}

/// Builds a WalletSummary from rows fed in file order.
struct SummaryAccumulator {
    var summary: WalletSummary
    var groupIndex: [String: Int] = [:]
    var addressSeen: [Int: Set<Int>] = [:]
    var unitIndex: [String: Int] = [:]

    init(file: String, layout: WalletLayout, claimed: [ClaimedTotal]) {
        summary = WalletSummary(file: file, layout: layout, claimed: claimed)
    }

    mutating func add(_ row: VerifiedRow) {
        summary.rows += 1
        let key = row.coin + "\u{0}" + row.network
        let index: Int
        if let i = groupIndex[key] { index = i } else {
            index = summary.groups.count
            groupIndex[key] = index
            summary.groups.append(WalletSummary.Group(coin: row.coin, network: row.network))
        }
        var group = summary.groups[index]
        group.rows += 1
        if addressSeen[index, default: []].insert(row.address.hashValue).inserted { group.addresses += 1 }
        switch row.outcome.verdict {
        case .verified: group.verified += 1; summary.verified += 1
        case .failed: group.failed += 1; summary.failed += 1
        case .unproven: group.unproven += 1; summary.unproven += 1
        case .skipped: group.skipped += 1; summary.skipped += 1
        }
        if let amount = row.amount {
            group.amountAllRows += amount
            if row.outcome.verdict == .verified { group.amountVerified += amount }
            if row.outcome.verdict == .unproven { group.amountUnproven += amount }
            if let unit = row.unit {
                let u: Int
                if let i = unitIndex[unit] { u = i } else {
                    u = summary.units.count
                    unitIndex[unit] = u
                    summary.units.append(WalletSummary.Unit(unit: unit))
                }
                summary.units[u].amountAllRows += amount
                if row.outcome.verdict == .verified { summary.units[u].amountVerified += amount }
            }
        }
        summary.groups[index] = group
    }

    /// Attaches the summary block's claimed totals: `X(ALL)` lines, and `X,-,…` lines naming a unit,
    /// are unit totals; other lines naming a coin of the detail rows are per-coin totals.
    mutating func finish() -> WalletSummary {
        var unmatched = [ClaimedTotal]()
        for claim in summary.claimed {
            guard let amount = claim.amount else { unmatched.append(claim); continue }
            var key = claim.coin.uppercased()
            let isAll = key.hasSuffix("(ALL)")
            if isAll { key = String(key.dropLast(5)) }
            if let i = unitIndex[key], isAll || claim.snapshot == "-" {
                summary.units[i].claimed = amount
                summary.units[i].claimedMatchesRows = amount.numericallyEquals(summary.units[i].amountAllRows)
                continue
            }
            let groups = summary.groups.filter { $0.coin == key }
            if !isAll, !groups.isEmpty {
                let all = groups.reduce(ExactDecimal.zero) { $0 + $1.amountAllRows }
                let verified = groups.reduce(ExactDecimal.zero) { $0 + $1.amountVerified }
                summary.coinClaims.append(WalletSummary.CoinClaim(coin: key, claimed: amount, amountAllRows: all,
                                                                  amountVerified: verified,
                                                                  claimedMatchesRows: amount.numericallyEquals(all)))
                continue
            }
            unmatched.append(claim)
        }
        summary.claimed = unmatched
        return summary
    }
}
