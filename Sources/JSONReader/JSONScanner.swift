/// Reading position in a JSON document, for a reader that decodes one known shape straight from
/// the bytes (see `JSONParser.Interception`). Every `take…` either consumes what it names
/// (after any white space) and says yes, or says no; a reader that meets anything other than
/// the shape it expects simply gives up and leaves the value to the parser. What these accept
/// is exactly what the parser reads the same way: `takeUnsigned` accepts a number only where
/// the parser would make it `.unsigned`.
public struct JSONScanner {
    public let bytes: UnsafeBufferPointer<UInt8>
    public var index: Int

    public init(bytes: UnsafeBufferPointer<UInt8>, index: Int) {
        self.bytes = bytes
        self.index = index
    }

    @inline(__always)
    public mutating func skipSpace() {
        while index < bytes.count {
            let c = bytes[index]
            if c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 { index += 1 } else { return }
        }
    }

    /// Consumes `byte` (after white space) if it comes next.
    @inline(__always)
    public mutating func take(_ byte: UInt8) -> Bool {
        skipSpace()
        guard index < bytes.count, bytes[index] == byte else { return false }
        index += 1
        return true
    }

    /// Consumes `"name"` and the `:` after it (with white space around), written without escapes.
    @inline(__always)
    public mutating func takeKey(_ name: StaticString) -> Bool {
        skipSpace()
        let n = name.utf8CodeUnitCount
        guard index + n + 2 <= bytes.count, bytes[index] == UInt8(ascii: "\""), bytes[index + n + 1] == UInt8(ascii: "\"") else { return false }
        let start = name.utf8Start
        for k in 0..<n where bytes[index + 1 + k] != start[k] { return false }
        index += n + 2
        return take(UInt8(ascii: ":"))
    }

    /// A whole number from 0 to 2^64 - 1 written plainly (digits only, no leading zero, not
    /// followed by a fraction or exponent): what the parser reads as `.unsigned`. Anything else
    /// (a sign, a fraction, an exponent, more than 64 bits, a leading zero) is a no.
    @inline(__always)
    public mutating func takeUnsigned() -> UInt64? {
        skipSpace()
        guard index < bytes.count, let base = bytes.baseAddress else { return nil }
        let first = bytes[index]
        guard first >= 0x30 && first <= 0x39 else { return nil }
        var j = index
        var value: UInt64 = 0
        if first == 0x30 {
            j += 1
        } else {
            // Eight digits at a time while they last (field elements have 19-20 digits).
            var digits = 0
            while digits < 16, j + 8 <= bytes.count {
                let chunk = UInt64(littleEndian: UnsafeRawPointer(base + j).loadUnaligned(as: UInt64.self))
                guard JSONParser.Cursor.areEightDigits(chunk) else { break }
                value = value &* 100_000_000 &+ JSONParser.Cursor.valueOfEightDigits(chunk)
                digits += 8
                j += 8
            }
            while j < bytes.count, bytes[j] >= 0x30 && bytes[j] <= 0x39 {
                let d = UInt64(bytes[j] &- 0x30)
                if digits < 19 {
                    value = value &* 10 &+ d
                } else {
                    let (m, o1) = value.multipliedReportingOverflow(by: 10)
                    let (a, o2) = m.addingReportingOverflow(d)
                    if o1 || o2 { return nil }
                    value = a
                }
                digits += 1
                j += 1
            }
        }
        if j < bytes.count {
            let next = bytes[j]
            if (next >= 0x30 && next <= 0x39) || next == UInt8(ascii: ".") || next | 0x20 == UInt8(ascii: "e") { return nil }
        }
        index = j
        return value
    }
}
