import Reserves

/// Exact conversions of what nodes return into the decimal amounts OKX publishes.
public enum ChainAmounts {
    /// A `0x…` quantity (EVM JSON-RPC) as a decimal integer string; nil for anything else.
    public static func decimalString(hexQuantity text: String) -> String? {
        var digits = Substring(text)
        guard digits.hasPrefix("0x") || digits.hasPrefix("0X") else { return nil }
        digits = digits.dropFirst(2)
        guard !digits.isEmpty, digits.count <= 64 else { return nil }
        // Base 10^9 limbs, little-endian: value = value·16 + digit.
        var limbs: [UInt64] = [0]
        for c in digits {
            guard let d = c.hexDigitValue else { return nil }
            var carry = UInt64(d)
            for i in limbs.indices {
                let v = limbs[i] * 16 + carry
                limbs[i] = v % 1_000_000_000
                carry = v / 1_000_000_000
            }
            while carry > 0 { limbs.append(carry % 1_000_000_000); carry /= 1_000_000_000 }
        }
        var text = String(limbs.last ?? 0)
        for limb in limbs.dropLast().reversed() {
            let part = String(limb)
            text += String(repeating: "0", count: 9 - part.count) + part
        }
        return text
    }

    /// An integer amount in the smallest unit, scaled by 10^-decimals (wei → ETH with 18).
    public static func scaled(_ integer: String, decimals: Int) -> ExactDecimal? {
        guard decimals >= 0, integer.allSatisfy(\.isNumber) else { return nil }
        guard decimals > 0 else { return ExactDecimal(integer) }
        let padded = String(repeating: "0", count: max(0, decimals + 1 - integer.count)) + integer
        let split = padded.index(padded.endIndex, offsetBy: -decimals)
        return ExactDecimal(padded[..<split] + "." + padded[split...])
    }

    /// Whether two decimals have the same value whatever their trailing zeros ("1.50" = "1.5").
    public static func sameValue(_ a: ExactDecimal, _ b: ExactDecimal) -> Bool {
        normalised(a.description) == normalised(b.description)
    }

    /// The same value without trailing fractional zeros (`1.500000000000000000` → `1.5`).
    public static func trimmed(_ d: ExactDecimal) -> ExactDecimal { ExactDecimal(normalised(d.description)) ?? d }

    static func normalised(_ text: String) -> String {
        guard text.contains(".") else { return text == "-0" ? "0" : text }
        var t = Substring(text)
        while t.hasSuffix("0") { t = t.dropLast() }
        if t.hasSuffix(".") { t = t.dropLast() }
        return t == "-0" || t.isEmpty ? "0" : String(t)
    }

    /// `balanceOf(address)` call data for `eth_call`: selector 0x70a08231 and the 20-byte address
    /// left-padded to 32 bytes; nil for an address that is not 20 hex bytes.
    public static func balanceOfCallData(address: String) -> String? {
        var hex = Substring(address)
        if hex.hasPrefix("0x") || hex.hasPrefix("0X") { hex = hex.dropFirst(2) }
        guard hex.count == 40, hex.allSatisfy(\.isHexDigit) else { return nil }
        return "0x70a08231" + String(repeating: "0", count: 24) + hex.lowercased()
    }

    /// A block number as the JSON-RPC quantity `0x…`.
    public static func quantity(_ block: UInt64) -> String { "0x" + String(block, radix: 16) }
}
