/// Bech32 (BIP-173) and Bech32m (BIP-350) strings, and segwit addresses.
public enum Bech32 {
    public enum Variant: Sendable { case bech32, bech32m }
    static let charset = Array("qpzry9x8gf2tvdw0s3jn54khce6mua7l".utf8)
    static let reverse: [Int8] = {
        var table = [Int8](repeating: -1, count: 128)
        for (i, c) in charset.enumerated() { table[Int(c)] = Int8(i) }
        return table
    }()

    static func polymod(_ values: [UInt8]) -> UInt32 {
        let gen: [UInt32] = [0x3B6A_57B2, 0x2650_8E6D, 0x1EA1_19FA, 0x3D42_33DD, 0x2A14_62B3]
        var chk: UInt32 = 1
        for v in values {
            let top = chk >> 25
            chk = (chk & 0x1FF_FFFF) << 5 ^ UInt32(v)
            for i in 0..<5 where (top >> UInt32(i)) & 1 == 1 { chk ^= gen[i] }
        }
        return chk
    }

    static func expand(_ hrp: [UInt8]) -> [UInt8] {
        hrp.map { $0 >> 5 } + [0] + hrp.map { $0 & 31 }
    }

    static func constant(_ variant: Variant) -> UInt32 { variant == .bech32 ? 1 : 0x2BC8_30A3 }

    /// Encodes 5-bit groups under `hrp`.
    public static func encode(hrp: String, data: [UInt8], variant: Variant = .bech32) -> String {
        let h = Array(hrp.utf8)
        let pm = polymod(expand(h) + data + [0, 0, 0, 0, 0, 0]) ^ constant(variant)
        var out = h + [UInt8(ascii: "1")]
        for d in data { out.append(charset[Int(d)]) }
        for i in 0..<6 { out.append(charset[Int((pm >> UInt32(5 * (5 - i))) & 31)]) }
        return String(decoding: out, as: UTF8.self)
    }

    /// hrp (lower case) and 5-bit data without checksum; nil on any error (mixed case, bad checksum).
    public static func decode(_ text: String) -> (hrp: String, data: [UInt8], variant: Variant)? {
        let raw = Array(text.utf8)
        guard raw.count >= 8, raw.count <= 120 else { return nil }
        let hasLower = raw.contains { $0 >= 97 && $0 <= 122 }
        let hasUpper = raw.contains { $0 >= 65 && $0 <= 90 }
        if hasLower && hasUpper { return nil }
        let lower = raw.map { ($0 >= 65 && $0 <= 90) ? $0 + 32 : $0 }
        guard let sep = lower.lastIndex(of: UInt8(ascii: "1")), sep >= 1, lower.count - sep >= 7 else { return nil }
        let hrp = Array(lower[..<sep])
        var data = [UInt8]()
        for c in lower[(sep + 1)...] {
            guard c < 128, reverse[Int(c)] >= 0 else { return nil }
            data.append(UInt8(reverse[Int(c)]))
        }
        let pm = polymod(expand(hrp) + data)
        let variant: Variant
        if pm == 1 { variant = .bech32 } else if pm == 0x2BC8_30A3 { variant = .bech32m } else { return nil }
        return (String(decoding: hrp, as: UTF8.self), Array(data.dropLast(6)), variant)
    }

    /// Regroups bits (8→5 with padding, 5→8 without).
    public static func convertBits(_ data: [UInt8], from: Int, to: Int, pad: Bool) -> [UInt8]? {
        var acc = 0, bits = 0
        var out = [UInt8]()
        let maxv = (1 << to) - 1
        for value in data {
            if Int(value) >> from != 0 { return nil }
            acc = (acc << from) | Int(value)
            bits += from
            while bits >= to { bits -= to; out.append(UInt8((acc >> bits) & maxv)) }
        }
        if pad {
            if bits > 0 { out.append(UInt8((acc << (to - bits)) & maxv)) }
        } else if bits >= from || ((acc << (to - bits)) & maxv) != 0 {
            return nil
        }
        return out
    }

    /// Plain bech32 of 8-bit bytes (cosmos, LUNC, INJ, ONE, OKT ex, LAT, ADA).
    public static func encodeBytes(hrp: String, _ bytes: [UInt8]) -> String {
        encode(hrp: hrp, data: convertBits(bytes, from: 8, to: 5, pad: true) ?? [])
    }

    /// The witness version and program of a segwit address for `hrp`; nil when it does not decode.
    public static func decodeSegwit(hrp: String, _ address: String) -> (version: Int, program: [UInt8])? {
        guard let (h, data, variant) = decode(address), h == hrp, let version = data.first, version <= 16,
              let program = convertBits(Array(data.dropFirst()), from: 5, to: 8, pad: false),
              program.count >= 2, program.count <= 40 else { return nil }
        if version == 0 && (variant != .bech32 || (program.count != 20 && program.count != 32)) { return nil }
        if version != 0 && variant != .bech32m { return nil }
        return (Int(version), program)
    }

    public static func encodeSegwit(hrp: String, version: Int, program: [UInt8]) -> String {
        let data = [UInt8(version)] + (convertBits(program, from: 8, to: 5, pad: true) ?? [])
        return encode(hrp: hrp, data: data, variant: version == 0 ? .bech32 : .bech32m)
    }
}
