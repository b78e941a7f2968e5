/// An exact decimal number as OKX's Merkle tools handle balances (Go's shopspring/decimal):
/// parsed from text such as `-12.345` or `1e-3`, added exactly, truncated toward zero to 8
/// fractional digits, and printed canonically. Never a Double: balances must add up to the cent.
public struct LegacyDecimal: Sendable, Equatable {
    /// Decimal digits of the magnitude, most significant first, without leading zeros ([] = 0).
    var digits: [UInt8]
    /// The value is `digits × 10^-scale`; scale may be negative after parsing an exponent.
    var scale: Int
    var negative: Bool

    /// Exponents and lengths beyond these are refused as input, not computed with.
    static let maximumDigits = 4096
    static let maximumExponent = 4096

    /// Parses shopspring's accepted syntax: optional sign, digits with an optional `.`, an
    /// optional `e`/`E` exponent. Returns nil for anything else (empty, letters, spaces).
    public init?(_ text: String) {
        var bytes = Array(text.utf8)
        guard !bytes.isEmpty, bytes.count <= LegacyDecimal.maximumDigits else { return nil }
        var neg = false
        if bytes[0] == UInt8(ascii: "-") || bytes[0] == UInt8(ascii: "+") {
            neg = bytes[0] == UInt8(ascii: "-")
            bytes.removeFirst()
        }
        var exponent = 0
        if let e = bytes.firstIndex(where: { $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }) {
            let expText = String(decoding: bytes[(e + 1)...], as: UTF8.self)
            guard let v = Int(expText), abs(v) <= LegacyDecimal.maximumExponent else { return nil }
            exponent = v
            bytes = Array(bytes[..<e])
        }
        var mantissa = [UInt8]()
        var fraction = 0
        var seenPoint = false
        for b in bytes {
            if b == UInt8(ascii: ".") {
                if seenPoint { return nil }
                seenPoint = true
            } else if b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") {
                mantissa.append(b - UInt8(ascii: "0"))
                if seenPoint { fraction += 1 }
            } else {
                return nil
            }
        }
        guard !mantissa.isEmpty else { return nil }
        self.digits = LegacyDecimal.trimmed(mantissa)
        self.scale = fraction - exponent
        self.negative = neg && !digits.isEmpty
    }

    init(digits: [UInt8], scale: Int, negative: Bool) {
        self.digits = LegacyDecimal.trimmed(digits)
        self.scale = scale
        self.negative = negative && !self.digits.isEmpty
    }

    static func trimmed(_ d: [UInt8]) -> [UInt8] {
        guard let first = d.firstIndex(where: { $0 != 0 }) else { return [] }
        return Array(d[first...])
    }

    /// The magnitude's digits padded to the given scale (scale ≥ self.scale).
    func digits(atScale target: Int) -> [UInt8] {
        digits + [UInt8](repeating: 0, count: target - scale)
    }

    static func compareMagnitude(_ a: [UInt8], _ b: [UInt8]) -> Int {
        let a = trimmed(a), b = trimmed(b)
        if a.count != b.count { return a.count < b.count ? -1 : 1 }
        for (x, y) in zip(a, b) where x != y { return x < y ? -1 : 1 }
        return 0
    }

    static func addMagnitudes(_ a: [UInt8], _ b: [UInt8]) -> [UInt8] {
        var out = [UInt8]()
        var carry: UInt8 = 0
        var i = a.count - 1, j = b.count - 1
        while i >= 0 || j >= 0 || carry > 0 {
            let s = (i >= 0 ? a[i] : 0) + (j >= 0 ? b[j] : 0) + carry
            out.append(s % 10)
            carry = s / 10
            i -= 1; j -= 1
        }
        return out.reversed()
    }

    /// a - b for |a| ≥ |b|.
    static func subtractMagnitudes(_ a: [UInt8], _ b: [UInt8]) -> [UInt8] {
        var out = [UInt8]()
        var borrow: Int = 0
        var j = b.count - 1
        for i in stride(from: a.count - 1, through: 0, by: -1) {
            var d = Int(a[i]) - borrow - (j >= 0 ? Int(b[j]) : 0)
            borrow = 0
            if d < 0 { d += 10; borrow = 1 }
            out.append(UInt8(d))
            j -= 1
        }
        return out.reversed()
    }

    /// Exact sum (no rounding).
    public static func + (lhs: LegacyDecimal, rhs: LegacyDecimal) -> LegacyDecimal {
        let s = max(lhs.scale, rhs.scale)
        let a = lhs.digits(atScale: s), b = rhs.digits(atScale: s)
        if lhs.negative == rhs.negative {
            return LegacyDecimal(digits: addMagnitudes(a, b), scale: s, negative: lhs.negative)
        }
        let c = compareMagnitude(a, b)
        if c == 0 { return LegacyDecimal(digits: [], scale: s, negative: false) }
        if c > 0 { return LegacyDecimal(digits: subtractMagnitudes(trimmedOrZero(a), b), scale: s, negative: lhs.negative) }
        return LegacyDecimal(digits: subtractMagnitudes(trimmedOrZero(b), a), scale: s, negative: rhs.negative)
    }

    private static func trimmedOrZero(_ d: [UInt8]) -> [UInt8] { d.isEmpty ? [0] : d }

    /// Truncation toward zero to `places` fractional digits (shopspring's RoundDown).
    public func truncated(toPlaces places: Int) -> LegacyDecimal {
        guard scale > places else { return self }
        let drop = scale - places
        let kept = drop >= digits.count ? [] : Array(digits[..<(digits.count - drop)])
        return LegacyDecimal(digits: kept, scale: places, negative: negative)
    }

    /// OKX's `Balances.Add` on one coin: exact sum, then RoundDown(8).
    public func okxAdding(_ other: LegacyDecimal) -> LegacyDecimal {
        (self + other).truncated(toPlaces: 8)
    }

    /// Canonical text: plain notation, no exponent, no trailing fractional zeros, "0" for zero.
    public var canonical: String {
        if digits.isEmpty { return "0" }
        var d = digits
        var s = scale
        while s > 0, let last = d.last, last == 0 { d.removeLast(); s -= 1 }
        if s < 0 { d += [UInt8](repeating: 0, count: -s); s = 0 }
        var text: String
        if s == 0 {
            text = String(d.map { Character(Unicode.Scalar($0 + 48)) })
        } else {
            if d.count <= s { d = [UInt8](repeating: 0, count: s - d.count + 1) + d }
            let intPart = d[..<(d.count - s)].map { Character(Unicode.Scalar($0 + 48)) }
            let fracPart = d[(d.count - s)...].map { Character(Unicode.Scalar($0 + 48)) }
            text = String(intPart) + "." + String(fracPart)
        }
        return negative ? "-" + text : text
    }
}

/// BTC/ETH/USDT balances of a Merkle v1/v2 node, as written in the file.
public struct LegacyBalances: Sendable, Equatable {
    public var btc: String
    public var eth: String
    public var usdt: String

    public init(btc: String, eth: String, usdt: String) {
        self.btc = btc
        self.eth = eth
        self.usdt = usdt
    }

    public static let coinNames = ["BTC", "ETH", "USDT"]
    public var values: [String] { [btc, eth, usdt] }

    /// OKX's `Balances.Add`: nil when a value does not parse (Go would return nil or panic).
    public func okxAdding(_ other: LegacyBalances) -> LegacyBalances? {
        var out = [String]()
        for (a, b) in zip(values, other.values) {
            guard let x = LegacyDecimal(a), let y = LegacyDecimal(b) else { return nil }
            out.append(x.okxAdding(y).canonical)
        }
        return LegacyBalances(btc: out[0], eth: out[1], usdt: out[2])
    }

    public var parses: Bool { values.allSatisfy { LegacyDecimal($0) != nil } }

    /// Whether a coin is below zero (a sum tree with negative entries can hide liabilities).
    public var hasNegative: Bool { values.contains { $0.hasPrefix("-") && LegacyDecimal($0)?.negative == true } }

    /// Reads `{"BTC": str, "ETH": str, "USDT": str}` from a JSON object.
    static func read(_ object: JSONObject) throws -> LegacyBalances {
        LegacyBalances(btc: try object.string("BTC"), eth: try object.string("ETH"), usdt: try object.string("USDT"))
    }
}
