import Foundation
import GRDB

/// The JSON text the store keeps in its text columns (a result's steps and warnings, an
/// account's per-token balances), written directly instead of through Foundation's JSONEncoder,
/// which costs several million instructions to set up and run for one account of 200 tokens.
/// The text is byte for byte what `JSONEncoder` (with `.sortedKeys` for objects) writes, so
/// stores written before and after read and compare alike (tested against JSONEncoder).
enum RecordJSON {
    /// `["a","b"]`
    static func array(_ list: [String]) -> String {
        var out = [UInt8]()
        out.reserveCapacity(2 + list.reduce(0) { $0 + $1.utf8.count + 3 })
        out.append(UInt8(ascii: "["))
        for (i, s) in list.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            string(s, into: &out)
        }
        out.append(UInt8(ascii: "]"))
        return String(decoding: out, as: UTF8.self)
    }

    /// `{"key":["a","b"],…}` with the keys in the order of their UTF-8 bytes, as JSONEncoder's
    /// `.sortedKeys` orders them (not Swift's `<`, which compares canonically equivalent forms).
    static func object(_ map: [String: [String]]) -> String {
        let keys = map.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        var out = [UInt8]()
        out.reserveCapacity(2 + map.count * 32)
        out.append(UInt8(ascii: "{"))
        for (i, key) in keys.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            string(key, into: &out)
            out.append(UInt8(ascii: ":"))
            out.append(UInt8(ascii: "["))
            for (j, s) in (map[key] ?? []).enumerated() {
                if j > 0 { out.append(UInt8(ascii: ",")) }
                string(s, into: &out)
            }
            out.append(UInt8(ascii: "]"))
        }
        out.append(UInt8(ascii: "}"))
        return String(decoding: out, as: UTF8.self)
    }

    /// A quoted string with JSONEncoder's escapes: `\"`, `\\`, `\/`, `\b`, `\f`, `\n`, `\r`, `\t`,
    /// other control characters as `\u00xx` (lowercase hex); everything else as it is.
    static func string(_ s: String, into out: inout [UInt8]) {
        let hex: StaticString = "0123456789abcdef"
        out.append(UInt8(ascii: "\""))
        for c in s.utf8 {
            switch c {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"):
                out.append(UInt8(ascii: "\\"))
                out.append(c)
            case 0x08: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "b"))
            case 0x0C: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "f"))
            case 0x0A: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "n"))
            case 0x0D: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "r"))
            case 0x09: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "t"))
            case 0..<0x20:
                out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0")])
                out.append(hex.utf8Start[Int(c >> 4)])
                out.append(hex.utf8Start[Int(c & 0xF)])
            default: out.append(c)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}

/// Dates as the store writes them: GRDB's text form "yyyy-MM-dd HH:mm:ss.SSS" in UTC, made
/// without its DateFormatter (ICU: about a million instructions a date the first time). The
/// time is rounded to the nearest millisecond, as the formatter rounds it; tested equal to GRDB's
/// text over random dates.
enum StoredDate {
    static func text(_ date: Date) -> String {
        // Milliseconds since 1970, rounded half up (as the formatter does, before 1970 too);
        // then whole days and the milliseconds within the day.
        let udate = ((date.timeIntervalSinceReferenceDate + 978_307_200.0) * 1000.0 + 0.5).rounded(.down)
        let dayCount = (udate / 86_400_000.0).rounded(.down)
        guard udate.isFinite, abs(dayCount) < 1e9 else { return date.databaseValue.storage.value as? String ?? "" }
        var msInDay = Int(udate - dayCount * 86_400_000.0)
        msInDay = min(max(msInDay, 0), 86_399_999)
        let (year, month, day) = civil(fromDays: Int(dayCount))
        guard year >= 0, year <= 9999 else { return date.databaseValue.storage.value as? String ?? "" }
        var out = [UInt8]()
        out.reserveCapacity(23)
        func digits(_ value: Int, _ count: Int) {
            var divisor = 1
            for _ in 1..<count { divisor *= 10 }
            while divisor > 0 {
                out.append(UInt8(ascii: "0") + UInt8((value / divisor) % 10))
                divisor /= 10
            }
        }
        digits(year, 4); out.append(UInt8(ascii: "-")); digits(month, 2); out.append(UInt8(ascii: "-")); digits(day, 2)
        out.append(UInt8(ascii: " "))
        digits(msInDay / 3_600_000, 2); out.append(UInt8(ascii: ":"))
        digits(msInDay / 60_000 % 60, 2); out.append(UInt8(ascii: ":"))
        digits(msInDay / 1000 % 60, 2); out.append(UInt8(ascii: "."))
        digits(msInDay % 1000, 3)
        return String(decoding: out, as: UTF8.self)
    }

    /// The proleptic Gregorian date of a day number (days since 1970-01-01), by the usual
    /// era/day-of-era arithmetic (eras of 400 years, March-based years).
    static func civil(fromDays days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
