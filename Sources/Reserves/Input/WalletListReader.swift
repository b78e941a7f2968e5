import Foundation

/// One line of the summary block at the top of a POR report (e.g. `BTC,763861,449.5140`).
public struct ClaimedTotal: Sendable, Codable, Equatable {
    public let line: Int
    public let coin: String
    public let snapshot: String
    /// nil when the amount cell is not a decimal number.
    public let amount: ExactDecimal?
}

/// A detail row as read: its physical line and fields, or the reason it is malformed.
struct DetailRecord: Sendable {
    let line: Int
    let fields: [String]
    let error: String?
}

/// Detects the layout, reads the summary block and then hands out detail rows one at a time.
final class WalletListReader {
    let reader: CSVRecordReader
    let fileName: String
    private(set) var layout: WalletLayout = .report11
    private(set) var claimed: [ClaimedTotal] = []

    init(url: URL, maxRecordBytes: Int = 1 << 20) throws {
        reader = try CSVRecordReader(url: url, maxRecordBytes: maxRecordBytes)
        fileName = url.lastPathComponent
        try readPreamble()
    }

    func readPreamble() throws {
        guard let first = try reader.next() else { throw WalletInputError("\(fileName) is empty") }
        if let error = first.error {
            throw WalletInputError("\(fileName): header unreadable: \(error)")
        }
        let header = first.fields
        let joined = header.joined(separator: ",").trimmingWhitespace()
        let lowered = joined.lowercased()
        if lowered.hasPrefix("<") || lowered.contains("<html") || lowered.contains("<!doctype") {
            throw WalletInputError("\(fileName) is an HTML page, not a CSV wallet list (did the download return an error page?)")
        }
        if header.count < 2 {
            if joined.contains(";") { throw WalletInputError("\(fileName) uses ';' as delimiter; OKX wallet lists are comma-separated") }
            if joined.contains("\t") { throw WalletInputError("\(fileName) is tab-separated; OKX wallet lists are comma-separated") }
            throw WalletInputError("\(fileName): header '\(joined.prefix(60))' has no comma; not a wallet CSV")
        }
        let firstCell = header[0].trimmingWhitespace().lowercased()
        if firstCell == "digitalasset" {
            layout = .perAddress
            return
        }
        guard firstCell == "coin" else {
            throw WalletInputError("\(fileName): unrecognised header '\(joined.prefix(60))' (expected 'coin,…' or 'digitalAsset,…')")
        }
        // Summary block up to the first blank line, then the detail header.
        while true {
            guard let record = try reader.next() else {
                throw WalletInputError("\(fileName): no blank line after the summary block, so no detail rows (OKX reports 'file is empty')")
            }
            if record.isBlank { break }
            if record.error != nil || record.fields.count < 3 {
                claimed.append(ClaimedTotal(line: record.line, coin: record.fields.first ?? "", snapshot: "", amount: nil))
                continue
            }
            let f = record.fields
            claimed.append(ClaimedTotal(line: record.line, coin: f[0].trimmingWhitespace(), snapshot: f[1].trimmingWhitespace(),
                                        amount: ExactDecimal(f[2].trimmingWhitespace())))
        }
        while true {
            guard let record = try reader.next() else { throw WalletInputError("\(fileName): no detail header after the summary block") }
            if record.isBlank { continue }
            if let error = record.error { throw WalletInputError("\(fileName): detail header unreadable: \(error)") }
            let isStaking = record.fields.contains { $0.trimmingWhitespace().lowercased() == "type" }
            layout = isStaking ? .report12 : .report11
            return
        }
    }

    /// The next detail row, nil at the end.
    func nextDetail() throws -> DetailRecord? {
        while let record = try reader.next() {
            if record.isBlank { continue }
            if layout != .perAddress, record.error == nil {
                // OKX trims the whole row before splitting (fields are not trimmed individually).
                var fields = record.fields
                if let first = fields.first { fields[0] = String(first.drop { $0 == " " || $0 == "\t" }) }
                if let last = fields.last {
                    var l = Substring(last)
                    while let c = l.last, c == " " || c == "\t" || c == "\r" { l.removeLast() }
                    fields[fields.count - 1] = String(l)
                }
                return DetailRecord(line: record.line, fields: fields, error: nil)
            }
            return DetailRecord(line: record.line, fields: record.fields, error: record.error)
        }
        return nil
    }
}
