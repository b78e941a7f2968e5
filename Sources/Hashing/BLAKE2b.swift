/// BLAKE2b (RFC 7693) with any digest length 1…64 bytes, unkeyed. Written from the RFC rather
/// than taken from libsodium because Filecoin needs 4-byte digests, below libsodium's 16-byte minimum.
public enum BLAKE2b {
    // Initialisation vector and message schedule: public constants from RFC 7693 section 2.6/2.7.
    static let iv: [UInt64] = [
        0x6A09_E667_F3BC_C908, 0xBB67_AE85_84CA_A73B, 0x3C6E_F372_FE94_F82B, 0xA54F_F53A_5F1D_36F1,
        0x510E_527F_ADE6_82D1, 0x9B05_688C_2B3E_6C1F, 0x1F83_D9AB_FB41_BD6B, 0x5BE0_CD19_137E_2179]
    static let sigma: [[Int]] = [
        [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15],
        [14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3],
        [11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4],
        [7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8],
        [9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13],
        [2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9],
        [12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11],
        [13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10],
        [6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5],
        [10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0]]

    /// The BLAKE2b digest of `data` with `length` bytes of output (clamped to 1…64).
    public static func hash<Bytes: Sequence>(_ data: Bytes, length: Int) -> [UInt8] where Bytes.Element == UInt8 {
        let outLength = min(max(length, 1), 64)
        let input = Array(data)
        var h = iv
        h[0] ^= 0x0101_0000 ^ UInt64(outLength)
        var offset = 0
        var counter: UInt64 = 0
        // All blocks but the last are compressed as full; the last (possibly empty) is padded.
        while input.count - offset > 128 {
            counter &+= 128
            compress(&h, Array(input[offset..<offset + 128]), counter, last: false)
            offset += 128
        }
        var lastBlock = Array(input[offset...])
        counter &+= UInt64(lastBlock.count)
        while lastBlock.count < 128 { lastBlock.append(0) }
        compress(&h, lastBlock, counter, last: true)
        var out = [UInt8]()
        out.reserveCapacity(64)
        for word in h { for i in 0..<8 { out.append(UInt8(truncatingIfNeeded: word >> (8 * UInt64(i)))) } }
        return Array(out.prefix(outLength))
    }

    @inline(__always) static func rotr(_ v: UInt64, _ n: UInt64) -> UInt64 { (v >> n) | (v << (64 - n)) }

    static func compress(_ h: inout [UInt64], _ block: [UInt8], _ counter: UInt64, last: Bool) {
        var m = [UInt64](repeating: 0, count: 16)
        for i in 0..<16 {
            var v: UInt64 = 0
            for b in 0..<8 { v |= UInt64(block[8 * i + b]) << (8 * UInt64(b)) }
            m[i] = v
        }
        var v = h + iv
        v[12] ^= counter
        if last { v[14] = ~v[14] }
        func g(_ a: Int, _ b: Int, _ c: Int, _ d: Int, _ x: UInt64, _ y: UInt64) {
            v[a] = v[a] &+ v[b] &+ x; v[d] = rotr(v[d] ^ v[a], 32)
            v[c] = v[c] &+ v[d]; v[b] = rotr(v[b] ^ v[c], 24)
            v[a] = v[a] &+ v[b] &+ y; v[d] = rotr(v[d] ^ v[a], 16)
            v[c] = v[c] &+ v[d]; v[b] = rotr(v[b] ^ v[c], 63)
        }
        for round in 0..<12 {
            let s = sigma[round % 10]
            g(0, 4, 8, 12, m[s[0]], m[s[1]]); g(1, 5, 9, 13, m[s[2]], m[s[3]])
            g(2, 6, 10, 14, m[s[4]], m[s[5]]); g(3, 7, 11, 15, m[s[6]], m[s[7]])
            g(0, 5, 10, 15, m[s[8]], m[s[9]]); g(1, 6, 11, 12, m[s[10]], m[s[11]])
            g(2, 7, 8, 13, m[s[12]], m[s[13]]); g(3, 4, 9, 14, m[s[14]], m[s[15]])
        }
        for i in 0..<8 { h[i] ^= v[i] ^ v[i + 8] }
    }
}
