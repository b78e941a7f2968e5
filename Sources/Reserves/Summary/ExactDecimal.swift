/// An exact signed decimal: coefficient (base 10^9 limbs, little-endian) × 10^-scale.
/// Enough for summing OKX's amounts without rounding; no floating point anywhere.
public struct ExactDecimal: Sendable, Equatable, CustomStringConvertible, Codable {
    static let limbBase: UInt64 = 1_000_000_000
    static let maxDigits = 200
    static let maxExponent = 100

    var limbs: [UInt32]  // magnitude, no trailing zero limbs
    var negative: Bool
    public private(set) var scale: Int

    public static let zero = ExactDecimal(limbs: [], negative: false, scale: 0)

    init(limbs: [UInt32], negative: Bool, scale: Int) {
        var l = limbs
        while l.last == 0 { l.removeLast() }
        self.limbs = l
        self.negative = l.isEmpty ? false : negative
        self.scale = scale
    }

    /// Parses `[+-]digits[.digits][e[+-]digits]` with no surrounding spaces (as shopspring's
    /// NewFromString, which OKX uses); nil otherwise, or when absurdly long.
    public init?(_ text: some StringProtocol) {
        var bytes = Array(text.utf8)[...]
        guard !bytes.isEmpty, bytes.count <= ExactDecimal.maxDigits + 10 else { return nil }
        var negative = false
        if let first = bytes.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
            negative = first == UInt8(ascii: "-"); bytes = bytes.dropFirst()
        }
        var digits = [UInt8]()
        var scale = 0
        var seenPoint = false, seenDigit = false
        while let c = bytes.first, c != UInt8(ascii: "e"), c != UInt8(ascii: "E") {
            bytes = bytes.dropFirst()
            if c == UInt8(ascii: ".") {
                if seenPoint { return nil }
                seenPoint = true
            } else if c >= 48 && c <= 57 {
                digits.append(c - 48); seenDigit = true
                if seenPoint { scale += 1 }
            } else {
                return nil
            }
        }
        guard seenDigit else { return nil }
        if !bytes.isEmpty {
            bytes = bytes.dropFirst()
            var expNegative = false
            if let first = bytes.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
                expNegative = first == UInt8(ascii: "-"); bytes = bytes.dropFirst()
            }
            guard !bytes.isEmpty, bytes.count <= 3 else { return nil }
            var exponent = 0
            for c in bytes {
                guard c >= 48 && c <= 57 else { return nil }
                exponent = exponent * 10 + Int(c - 48)
            }
            guard exponent <= ExactDecimal.maxExponent else { return nil }
            scale -= expNegative ? -exponent : exponent
        }
        if scale < 0 { digits += [UInt8](repeating: 0, count: -scale); scale = 0 }
        // Coefficient digits → base-10^9 limbs.
        var limbs = [UInt32]()
        var end = digits.count
        while end > 0 {
            let start = max(0, end - 9)
            var value: UInt32 = 0
            for d in digits[start..<end] { value = value * 10 + UInt32(d) }
            limbs.append(value)
            end = start
        }
        self.init(limbs: limbs, negative: negative, scale: scale)
    }

    func rescaled(to newScale: Int) -> [UInt32] {
        var l = limbs
        for _ in 0..<max(0, newScale - scale) {
            var carry: UInt64 = 0
            for i in 0..<l.count {
                let v = UInt64(l[i]) * 10 + carry
                l[i] = UInt32(v % ExactDecimal.limbBase); carry = v / ExactDecimal.limbBase
            }
            if carry > 0 { l.append(UInt32(carry)) }
        }
        return l
    }

    static func compare(_ a: [UInt32], _ b: [UInt32]) -> Int {
        if a.count != b.count { return a.count < b.count ? -1 : 1 }
        for i in stride(from: a.count - 1, through: 0, by: -1) where a[i] != b[i] { return a[i] < b[i] ? -1 : 1 }
        return 0
    }

    static func add(_ a: [UInt32], _ b: [UInt32]) -> [UInt32] {
        var out = [UInt32](); var carry: UInt64 = 0
        for i in 0..<max(a.count, b.count) {
            let v = UInt64(i < a.count ? a[i] : 0) + UInt64(i < b.count ? b[i] : 0) + carry
            out.append(UInt32(v % limbBase)); carry = v / limbBase
        }
        if carry > 0 { out.append(UInt32(carry)) }
        return out
    }

    static func subtract(_ a: [UInt32], _ b: [UInt32]) -> [UInt32] {  // a >= b
        var out = [UInt32](); var borrow: Int64 = 0
        for i in 0..<a.count {
            var v = Int64(a[i]) - Int64(i < b.count ? b[i] : 0) - borrow
            if v < 0 { v += Int64(limbBase); borrow = 1 } else { borrow = 0 }
            out.append(UInt32(v))
        }
        return out
    }

    public static func + (lhs: ExactDecimal, rhs: ExactDecimal) -> ExactDecimal {
        let scale = max(lhs.scale, rhs.scale)
        let a = lhs.rescaled(to: scale), b = rhs.rescaled(to: scale)
        if lhs.negative == rhs.negative { return ExactDecimal(limbs: add(a, b), negative: lhs.negative, scale: scale) }
        if compare(a, b) >= 0 { return ExactDecimal(limbs: subtract(a, b), negative: lhs.negative, scale: scale) }
        return ExactDecimal(limbs: subtract(b, a), negative: rhs.negative, scale: scale)
    }

    public static func += (lhs: inout ExactDecimal, rhs: ExactDecimal) { lhs = lhs + rhs }

    /// Digits of the coefficient, most significant first.
    var coefficientDigits: String {
        guard let top = limbs.last else { return "0" }
        var s = String(top)
        for limb in limbs.dropLast().reversed() {
            let part = String(limb)
            s += String(repeating: "0", count: 9 - part.count) + part
        }
        return s
    }

    /// Plain decimal text at the value's own scale ("1002898.08266860": sums keep their digits).
    public var description: String { fixedText }

    /// Text with exactly `places` fractional digits, rounded half away from zero.
    public func rounded(places: Int) -> String {
        guard scale > places else {
            let padded = ExactDecimal(limbs: rescaled(to: places), negative: negative, scale: places)
            return padded.fixedText
        }
        var digits = Array(coefficientDigits)
        let drop = scale - places
        if digits.count < drop + 1 { digits = Array(repeating: "0", count: drop + 1 - digits.count) + digits }
        let roundUp = digits[digits.count - drop] >= "5"
        let kept = String(digits.prefix(digits.count - drop))
        var value = ExactDecimal(kept) ?? .zero
        if roundUp { value = value + ExactDecimal(limbs: [1], negative: false, scale: 0) }
        return ExactDecimal(limbs: value.limbs, negative: negative, scale: places).fixedText
    }

    var fixedText: String {
        var digits = coefficientDigits
        if digits.count <= scale { digits = String(repeating: "0", count: scale - digits.count + 1) + digits }
        let intPart = digits.prefix(digits.count - scale)
        let body = scale == 0 ? String(intPart) : intPart + "." + digits.suffix(scale)
        return negative && !limbs.isEmpty ? "-" + body : body
    }

    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let value = ExactDecimal(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a decimal: \(text)"))
        }
        self = value
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    /// Numeric equality regardless of scale (1.50 == 1.5).
    public func numericallyEquals(_ other: ExactDecimal) -> Bool {
        let s = max(scale, other.scale)
        return negative == other.negative && ExactDecimal.compare(rescaled(to: s), other.rescaled(to: s)) == 0
    }
}
