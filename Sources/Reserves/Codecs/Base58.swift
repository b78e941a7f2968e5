import Hashing

/// Base58 with a chosen alphabet (Bitcoin's by default; Ripple's differs) and Base58Check
/// (payload ‖ first 4 bytes of SHA-256d(payload)).
public struct Base58: Sendable {
    public static let bitcoin = Base58(alphabet: "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz")
    public static let ripple = Base58(alphabet: "rpshnaf39wBUDNEGHJKLM4PQRST7VWXYZ2bcdeCg65jkm8oFqi1tuvAxyz")

    let symbols: [UInt8]
    let values: [Int16]

    public init(alphabet: String) {
        symbols = Array(alphabet.utf8)
        var table = [Int16](repeating: -1, count: 256)
        for (i, c) in symbols.enumerated() { table[Int(c)] = Int16(i) }
        values = table
    }

    public func encode(_ bytes: [UInt8]) -> String {
        var zeros = 0
        while zeros < bytes.count && bytes[zeros] == 0 { zeros += 1 }
        var digits = [UInt8]()  // base-58 digits, least significant first
        digits.reserveCapacity(bytes.count * 138 / 100 + 1)
        for byte in bytes[zeros...] {
            var carry = Int(byte)
            for i in 0..<digits.count {
                carry += Int(digits[i]) << 8
                digits[i] = UInt8(carry % 58)
                carry /= 58
            }
            while carry > 0 { digits.append(UInt8(carry % 58)); carry /= 58 }
        }
        var out = [UInt8](repeating: symbols[0], count: zeros)
        for d in digits.reversed() { out.append(symbols[Int(d)]) }
        return String(decoding: out, as: UTF8.self)
    }

    /// Longest text decoded; base58 decoding is quadratic and no address or key comes near this.
    public static let maximumLength = 256

    public func decode(_ text: some StringProtocol) -> [UInt8]? {
        let chars = Array(text.utf8)
        guard chars.count <= Base58.maximumLength else { return nil }
        var zeros = 0
        while zeros < chars.count && chars[zeros] == symbols[0] { zeros += 1 }
        var bytes = [UInt8]()  // least significant first
        for c in chars[zeros...] {
            let v = values[Int(c)]
            if v < 0 { return nil }
            var carry = Int(v)
            for i in 0..<bytes.count {
                carry += Int(bytes[i]) * 58
                bytes[i] = UInt8(carry & 0xFF)
                carry >>= 8
            }
            while carry > 0 { bytes.append(UInt8(carry & 0xFF)); carry >>= 8 }
        }
        return [UInt8](repeating: 0, count: zeros) + bytes.reversed()
    }

    public func encodeCheck(_ payload: [UInt8]) -> String {
        encode(payload + Array(SHA256.hash(SHA256.hash(payload)).prefix(4)))
    }

    /// The payload of a Base58Check string, nil when it does not decode or the checksum differs.
    public func decodeCheck(_ text: some StringProtocol) -> [UInt8]? {
        guard let raw = decode(text), raw.count >= 4 else { return nil }
        let payload = Array(raw.dropLast(4))
        guard Array(SHA256.hash(SHA256.hash(payload)).prefix(4)) == Array(raw.suffix(4)) else { return nil }
        return payload
    }
}
