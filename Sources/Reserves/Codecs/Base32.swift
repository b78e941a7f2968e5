/// RFC 4648 base32 without padding (Filecoin lower case, Stellar upper case), and the
/// cashaddr / CIP-37 codecs, which share bech32's 32-letter alphabet with a 40-bit BCH checksum.
public enum Base32 {
    static let rfcLower = Array("abcdefghijklmnopqrstuvwxyz234567".utf8)

    public static func encodeRFC4648(_ bytes: [UInt8], upperCase: Bool = false) -> String {
        let groups = Bech32.convertBits(bytes, from: 8, to: 5, pad: true) ?? []
        let out = groups.map { upperCase ? (rfcLower[Int($0)] >= 97 ? rfcLower[Int($0)] - 32 : rfcLower[Int($0)]) : rfcLower[Int($0)] }
        return String(decoding: out, as: UTF8.self)
    }

    public static func decodeRFC4648(_ text: String) -> [UInt8]? {
        var groups = [UInt8]()
        for c in text.utf8 {
            let lc = (c >= 65 && c <= 90) ? c + 32 : c
            guard let i = rfcLower.firstIndex(of: lc) else { return nil }
            groups.append(UInt8(i))
        }
        // Trailing bits are padding; accept them unless they carry a whole byte.
        var acc = 0, bits = 0
        var out = [UInt8]()
        for g in groups {
            acc = (acc << 5) | Int(g); bits += 5
            if bits >= 8 { bits -= 8; out.append(UInt8((acc >> bits) & 0xFF)) }
        }
        return out
    }

    /// The cashaddr polymod (40-bit BCH code), shared by Bitcoin Cash and Conflux CIP-37.
    static func cashPolymod(_ values: [UInt8]) -> UInt64 {
        let gen: [UInt64] = [0x98_F2BC_8E61, 0x79_B76D_99E2, 0xF3_3E5F_B3C4, 0xAE_2EAB_E2A8, 0x1E_4F43_E470]
        var c: UInt64 = 1
        for d in values {
            let c0 = c >> 35
            c = ((c & 0x07_FFFF_FFFF) << 5) ^ UInt64(d)
            for i in 0..<5 where (c0 >> UInt64(i)) & 1 == 1 { c ^= gen[i] }
        }
        return c ^ 1
    }

    /// Encodes a version byte and hash as a cashaddr-style string `prefix:payload`.
    /// Conflux CIP-37 alphabet (no i, l, o, q).
    static let conflux = Array("abcdefghjkmnprstuvwxyz0123456789".utf8)

    static func encodeCash(prefix: String, version: UInt8, hash: [UInt8], alphabet: [UInt8] = Bech32.charset) -> String {
        let data = Bech32.convertBits([version] + hash, from: 8, to: 5, pad: true) ?? []
        let prefixBits = Array(prefix.utf8).map { $0 & 31 } + [0]
        let checksum = cashPolymod(prefixBits + data + [0, 0, 0, 0, 0, 0, 0, 0])
        var out = Array(prefix.utf8) + [UInt8(ascii: ":")]
        for d in data { out.append(alphabet[Int(d)]) }
        for i in 0..<8 { out.append(alphabet[Int((checksum >> UInt64(5 * (7 - i))) & 31)]) }
        return String(decoding: out, as: UTF8.self)
    }

    /// Decodes `prefix:payload` (or a bare payload, taking `defaultPrefix`): version byte and hash.
    public static func decodeCash(_ text: String, defaultPrefix: String) -> (version: UInt8, hash: [UInt8])? {
        guard text.utf8.count <= 256 else { return nil }
        let lower = text.lowercased()
        let prefix: String, payload: Substring
        if let colon = lower.firstIndex(of: ":") {
            prefix = String(lower[..<colon]); payload = lower[lower.index(after: colon)...]
        } else {
            prefix = defaultPrefix; payload = Substring(lower)
        }
        var data = [UInt8]()
        for c in payload.utf8 {
            guard c < 128, Bech32.reverse[Int(c)] >= 0 else { return nil }
            data.append(UInt8(Bech32.reverse[Int(c)]))
        }
        guard data.count > 8 else { return nil }
        let prefixBits = Array(prefix.utf8).map { $0 & 31 } + [0]
        guard cashPolymod(prefixBits + data) == 0 else { return nil }
        guard let bytes = Bech32.convertBits(Array(data.dropLast(8)), from: 5, to: 8, pad: false),
              let version = bytes.first else { return nil }
        return (version, Array(bytes.dropFirst()))
    }
}
