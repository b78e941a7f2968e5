import CAccel

/// Lower-case hexadecimal encoding and strict decoding of byte strings.
public enum Hex {
    private static let digits = Array("0123456789abcdef".utf8)

    public static func encode<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        var chars = [UInt8]()
        for b in bytes {
            chars.append(digits[Int(b >> 4)])
            chars.append(digits[Int(b & 0x0F)])
        }
        return String(decoding: chars, as: UTF8.self)
    }

    /// Decodes hex (either case, optional `0x`); `nil` for odd length or any non-hex character.
    public static func decode(_ text: some StringProtocol) -> [UInt8]? {
        var utf8 = Array(text.utf8)
        if utf8.count >= 2, utf8[0] == UInt8(ascii: "0"), utf8[1] | 0x20 == UInt8(ascii: "x") {
            utf8.removeFirst(2)
        }
        guard utf8.count % 2 == 0 else { return nil }
        var out = [UInt8]()
        out.reserveCapacity(utf8.count / 2)
        var i = 0
        while i < utf8.count {
            guard let hi = nibble(utf8[i]), let lo = nibble(utf8[i + 1]) else { return nil }
            out.append(hi << 4 | lo)
            i += 2
        }
        return out
    }

    @inline(__always)
    public static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}

extension Hex {
    /// Whether `decodeAccelerated` can run here: CAccel's AVX2 decoder, asked of the CPU once.
    public static let hasAcceleratedDecoder = porcheck_cpu_has_avx2() != 0

    /// Decodes the 2·count hex digits (0-9, a-f, A-F) at `src` into `count` bytes at `dst` with
    /// CAccel's AVX2 kernel; false when one of them is not a hex digit (then `dst` holds
    /// unspecified bytes). Falls back to the portable loop when the CPU lacks AVX2.
    public static func decodeAccelerated(_ src: UnsafePointer<UInt8>, count: Int, into dst: UnsafeMutablePointer<UInt8>) -> Bool {
        guard count > 0 else { return true }
        if hasAcceleratedDecoder { return porcheck_hex_decode_avx2(src, count, dst) != 0 }
        var bad = false
        for j in 0..<count {
            guard let hi = nibble(src[2 * j]), let lo = nibble(src[2 * j + 1]) else { bad = true; dst[j] = 0; continue }
            dst[j] = hi << 4 | lo
        }
        return !bad
    }
}

extension Hex {
    /// The 64 hex digits at `src` as 32 bytes with CAccel's AVX2 decoder (one step); nil when one
    /// of them is not a hex digit, or when the CPU lacks AVX2 (the caller then decodes them itself).
    @inline(__always)
    public static func decode32Accelerated(_ src: UnsafePointer<UInt8>) -> Bytes32? {
        guard hasAcceleratedDecoder else { return nil }
        var v = Bytes32.zero
        // Bytes32's words are the little-endian readings of its bytes: decode the bytes, then read them.
        let ok = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 32) { buffer -> Bool in
            guard let dst = buffer.baseAddress, porcheck_hex_decode_avx2(src, 32, dst) != 0 else { return false }
            v = Bytes32(loading: UnsafeRawPointer(dst))
            return true
        }
        return ok ? v : nil
    }
}
