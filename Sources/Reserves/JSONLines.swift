import Foundation
import JSONReader

/// The CLI's JSON Lines contract: one object per detail row in file order,
/// `{"line","coin","network","address","verdict","reason"}`, then one `{"summary": …}` object.
public enum WalletJSONLines {
    public static func row(_ row: VerifiedRow) -> String {
        "{\"line\":\(row.line),\"coin\":\(quote(row.coin)),\"network\":\(quote(row.network)),\"address\":\(quote(row.address)),\"verdict\":\"\(row.outcome.verdict.rawValue)\",\"reason\":\(quote(row.outcome.reason))}"
    }

    public static func summary(_ summary: WalletSummary) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let body = try encoder.encode(summary)
        return "{\"summary\":" + String(decoding: body, as: UTF8.self) + "}"
    }

    /// A JSON string literal (the project's one JSON writer).
    static func quote(_ text: String) -> String { JSONValue.string(text).text }
}

/// Writes failed rows to a CSV (line, coin, network, address, reason), quoting as RFC 4180.
public final class FailedRowsCSVWriter {
    let handle: FileHandle

    public init(url: URL) throws {
        guard FileManager.default.createFile(atPath: url.path, contents: nil),
              let handle = try? FileHandle(forWritingTo: url) else { throw WalletInputError("cannot write \(url.path)") }
        self.handle = handle
        try write("line,coin,network,address,reason\n")
    }

    deinit { try? handle.close() }

    func write(_ text: String) throws { try handle.write(contentsOf: Data(text.utf8)) }

    static func cell(_ text: String) -> String {
        text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
            ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
    }

    /// Appends the row when its verdict is `failed`.
    public func add(_ row: VerifiedRow) throws {
        guard row.outcome.verdict == .failed else { return }
        try write([String(row.line), row.coin, row.network, row.address, row.outcome.reason].map(Self.cell).joined(separator: ",") + "\n")
    }
}

extension WalletJSONLines {
    /// Verifies `file` and writes the JSON Lines stream (rows in file order, then the summary)
    /// to `output`; failed rows also go to `failedRowsCSV` when given. Returns the summary.
    @discardableResult
    public static func verify(file: URL, to output: FileHandle, failedRowsCSV: URL? = nil,
                              options: WalletListVerifier.Options = .init()) throws -> WalletSummary {
        let failedWriter = try failedRowsCSV.map { try FailedRowsCSVWriter(url: $0) }
        var pending = [UInt8]()
        pending.reserveCapacity(1 << 16)
        let summary = try WalletListVerifier.verify(file: file, options: options) { row in
            pending += Array(WalletJSONLines.row(row).utf8)
            pending.append(0x0A)
            if pending.count >= 1 << 16 {
                try output.write(contentsOf: Data(pending))
                pending.removeAll(keepingCapacity: true)
            }
            try failedWriter?.add(row)
        }
        pending += Array(try WalletJSONLines.summary(summary).utf8)
        pending.append(0x0A)
        try output.write(contentsOf: Data(pending))
        return summary
    }
}
