import Foundation

/// `sum_values.json`: `{"<coin>": int, ..., "total_value": int}` with JSON integers of any size.
/// Read by a small parser over the bytes (Foundation would round integers above 2^64).
public struct StarkV1SumValues: Sendable, Equatable {
    /// Values by key, in file order.
    public var entries: [(key: String, value: ExactInteger)]

    public static func == (a: StarkV1SumValues, b: StarkV1SumValues) -> Bool {
        a.entries.map(\.key) == b.entries.map(\.key) && a.entries.map(\.value) == b.entries.map(\.value)
    }

    public func value(_ key: String) -> ExactInteger? { entries.first(where: { $0.key == key })?.value }

    public static func read(path: String) throws -> StarkV1SumValues {
        try parse(bytes: try JSONInput.readBytes(path, maximumSize: 4 << 20), file: path)
    }

    /// Parses a JSON object whose values are all integers.
    public static func parse(_ data: Data, file: String?) throws -> StarkV1SumValues {
        try parse(bytes: [UInt8](data), file: file)
    }

    static func parse(bytes: [UInt8], file: String?) throws -> StarkV1SumValues {
        var i = 0
        func fail(_ what: String) -> InputError {
            InputError(file: file, "is not a sum_values.json object of integers (\(what) at byte \(i))")
        }
        func skipSpace() {
            while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x0A || bytes[i] == 0x0D || bytes[i] == 0x09 { i += 1 }
        }
        func expect(_ c: UInt8) throws {
            skipSpace()
            guard i < bytes.count, bytes[i] == c else { throw fail(i < bytes.count ? "unexpected character" : "unexpected end") }
            i += 1
        }
        func readString() throws -> String {
            try expect(UInt8(ascii: "\""))
            var out = [UInt8]()
            while i < bytes.count, bytes[i] != UInt8(ascii: "\"") {
                if bytes[i] == UInt8(ascii: "\\") {
                    // Coin names never need escapes; accept the simple ones.
                    i += 1
                    guard i < bytes.count else { break }
                    switch bytes[i] {
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(bytes[i])
                    default: throw fail("unsupported escape in a key")
                    }
                } else {
                    out.append(bytes[i])
                }
                i += 1
            }
            guard i < bytes.count else { throw fail("unterminated string") }
            i += 1
            return String(decoding: out, as: UTF8.self)
        }
        var entries = [(key: String, value: ExactInteger)]()
        var seen = Set<String>()
        try expect(UInt8(ascii: "{"))
        skipSpace()
        if i < bytes.count, bytes[i] == UInt8(ascii: "}") {
            i += 1
        } else {
            while true {
                let key = try readString()
                try expect(UInt8(ascii: ":"))
                skipSpace()
                let start = i
                while i < bytes.count, bytes[i] == UInt8(ascii: "-") || (bytes[i] >= 48 && bytes[i] <= 57) { i += 1 }
                if i < bytes.count, [UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E")].contains(bytes[i]) {
                    throw InputError(file: file, "value of \(key) is not a whole number")
                }
                guard i > start else {
                    throw InputError(file: file, "value of \(key) is not a number")
                }
                guard let v = ExactInteger(decimal: bytes[start..<i]) else {
                    throw InputError(file: file, "value of \(key) is not an integer of at most 512 bits")
                }
                // A set, not a scan of the entries so far: OKX's own config has 156 coins.
                guard seen.insert(key).inserted else { throw InputError(file: file, "key \(key) appears twice") }
                entries.append((key, v))
                skipSpace()
                guard i < bytes.count else { throw fail("unexpected end (truncated?)") }
                if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                if bytes[i] == UInt8(ascii: "}") { i += 1; break }
                throw fail("unexpected character")
            }
        }
        skipSpace()
        guard i == bytes.count else { throw fail("trailing data") }
        return StarkV1SumValues(entries: entries)
    }

    /// `[s_0..s_{C-1}, total]` in config order; missing coins are an input error.
    func ordered(coins: [String], file: String) throws -> [ExactInteger] {
        // OKX writes the coins in config order, then total_value: taken by position when every
        // key is where the config puts it (keys are unique, checked when read).
        if entries.count == coins.count + 1, entries[coins.count].key == "total_value",
           zip(entries, coins).allSatisfy({ $0.key == $1 }) {
            return entries.map(\.value)
        }
        var out = [ExactInteger]()
        var byKey = [String: ExactInteger]()
        for e in entries { byKey[e.key] = e.value }
        for coin in coins + ["total_value"] {
            guard let v = byKey[coin] else { throw InputError(file: file, "has no value for \(coin)") }
            out.append(v)
        }
        return out
    }
}
