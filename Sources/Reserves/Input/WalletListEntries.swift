import Foundation

/// The detail rows of a POR report as listed, without verifying any signature: what the balance
/// check needs (coin, network, snapshot height, address, amount).
public struct ListedEntry: Sendable, Equatable {
    /// 1-based physical line where the row starts.
    public let line: Int
    /// Upper-cased, as OKX keys its tables.
    public let coin: String
    public let network: String
    /// The snapshot height column as written (`-` or empty when absent).
    public let snapshotHeight: String
    public let address: String
    /// nil when the amount cell is not a decimal number.
    public let amount: ExactDecimal?
    /// OKX's unit the amount is totalled under (`USDT` for `USDT-ERC20`); nil for coins outside OKX's list.
    public let unit: String?
    /// Why the row cannot be used (malformed record, too few columns); nil when it can.
    public let problem: String?
}

public enum WalletListEntries {
    public struct Listing: Sendable {
        public var file: String
        public var layout: WalletLayout
        /// The summary block (`BTC,-,449.514` …).
        public var claimed: [ClaimedTotal]
        public var entries: [ListedEntry]
    }

    /// Reads every detail row of `file`. Throws WalletInputError when the file is not a wallet
    /// list, or is the per-address layout (it has neither amounts nor snapshot heights).
    public static func read(file: URL, maxRecordBytes: Int = 1 << 20) throws -> Listing {
        let reader = try WalletListReader(url: file, maxRecordBytes: maxRecordBytes)
        guard reader.layout != .perAddress else {
            throw WalletInputError("\(file.lastPathComponent) is the per-address (digitalAsset) layout: it has no amounts or snapshot heights to compare with a node")
        }
        let offset = reader.layout == .report12 ? 1 : 0
        var entries = [ListedEntry]()
        while let record = try reader.nextDetail() {
            let f = record.fields
            func field(_ i: Int) -> String { i < f.count ? f[i].trimmingWhitespace() : "" }
            let coin = field(0).uppercased()
            var problem = record.error.map { "malformed row: \($0)" }
            if problem == nil, f.count < 5 + offset { problem = "row has \(f.count) columns, needs at least \(5 + offset)" }
            let amountText = field(4 + offset)
            let amount = ExactDecimal(amountText)
            if problem == nil, amount == nil { problem = "amount '\(amountText.prefix(40))' is not a decimal number" }
            let address = field(3 + offset)
            if problem == nil, address.isEmpty { problem = "address is empty" }
            let entry = CoinTable.byKey[coin]
            entries.append(ListedEntry(line: record.line, coin: coin, network: field(1 + offset), snapshotHeight: field(2 + offset),
                                       address: address, amount: amount,
                                       unit: entry.flatMap { $0.acceptedInReport && !$0.unit.isEmpty ? $0.unit : nil },
                                       problem: problem))
        }
        return Listing(file: file.lastPathComponent, layout: reader.layout, claimed: reader.claimed, entries: entries)
    }
}
