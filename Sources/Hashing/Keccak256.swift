/// Keccak-256 as Ethereum and OKX's zk-STARK v1 use it: the original Keccak padding (0x01),
/// not FIPS-202 SHA3-256 (0x06). Rate 136 bytes, capacity 512 bits.
public enum Keccak256 {
    public static let digestSize = 32
    static let rate = 136

    public static func hash<Bytes: Sequence>(_ data: Bytes) -> [UInt8] where Bytes.Element == UInt8 {
        var sponge = Sponge()
        sponge.absorb(data)
        return sponge.finish()
    }

    /// An incremental Keccak-256: absorb pieces, then `finish()` once.
    public struct Sponge: Sendable {
        var state = [UInt64](repeating: 0, count: 25)
        var buffer = [UInt8]()
        /// Padding domain byte: 0x01 for Keccak, 0x06 for FIPS-202 SHA3 (see SHA3_256).
        var domain: UInt8 = 0x01

        public init() { buffer.reserveCapacity(Keccak256.rate) }

        init(domain: UInt8) { self.init(); self.domain = domain }

        public mutating func absorb<Bytes: Sequence>(_ data: Bytes) where Bytes.Element == UInt8 {
            // Contiguous input (the common case) is absorbed in bulk rather than byte by byte.
            let handled: Bool? = data.withContiguousStorageIfAvailable { bytes in
                var offset = 0
                while offset < bytes.count {
                    let take = min(Keccak256.rate - buffer.count, bytes.count - offset)
                    buffer.append(contentsOf: bytes[offset..<(offset + take)])
                    offset += take
                    if buffer.count == Keccak256.rate { absorbBlock() }
                }
                return true
            }
            if handled == true { return }
            for byte in data {
                buffer.append(byte)
                if buffer.count == Keccak256.rate { absorbBlock() }
            }
        }

        public mutating func finish() -> [UInt8] {
            // Keccak's multi-rate padding with domain byte 0x01; both pad bits may share one byte.
            buffer.append(domain)
            while buffer.count < Keccak256.rate { buffer.append(0) }
            buffer[Keccak256.rate - 1] |= 0x80
            absorbBlock()
            var out = [UInt8]()
            out.reserveCapacity(32)
            for lane in 0..<4 {
                var v = state[lane]
                for _ in 0..<8 { out.append(UInt8(truncatingIfNeeded: v)); v >>= 8 }
            }
            return out
        }

        mutating func absorbBlock() {
            for lane in 0..<(Keccak256.rate / 8) {
                var v: UInt64 = 0
                for b in 0..<8 { v |= UInt64(buffer[lane * 8 + b]) << (8 * UInt64(b)) }
                state[lane] ^= v
            }
            buffer.removeAll(keepingCapacity: true)
            KeccakF1600.permute(&state)
        }
    }
}

/// The Keccak-f[1600] permutation (24 rounds) on 25 little-endian 64-bit lanes, indexed x + 5y.
enum KeccakF1600 {
    static let roundConstants: [UInt64] = [
        0x0000_0000_0000_0001, 0x0000_0000_0000_8082, 0x8000_0000_0000_808A, 0x8000_0000_8000_8000,
        0x0000_0000_0000_808B, 0x0000_0000_8000_0001, 0x8000_0000_8000_8081, 0x8000_0000_0000_8009,
        0x0000_0000_0000_008A, 0x0000_0000_0000_0088, 0x0000_0000_8000_8009, 0x0000_0000_8000_000A,
        0x0000_0000_8000_808B, 0x8000_0000_0000_008B, 0x8000_0000_0000_8089, 0x8000_0000_0000_8003,
        0x8000_0000_0000_8002, 0x8000_0000_0000_0080, 0x0000_0000_0000_800A, 0x8000_0000_8000_000A,
        0x8000_0000_8000_8081, 0x8000_0000_0000_8080, 0x0000_0000_8000_0001, 0x8000_0000_8000_8008,
    ]
    /// Rotation offsets r[x + 5y] of the ρ step.
    static let rotations: [UInt64] = [
        0, 1, 62, 28, 27,
        36, 44, 6, 55, 20,
        3, 10, 43, 25, 39,
        41, 45, 15, 21, 8,
        18, 2, 61, 56, 14,
    ]

    @inline(__always)
    static func rotl(_ v: UInt64, _ n: UInt64) -> UInt64 { n == 0 ? v : (v << n) | (v >> (64 - n)) }

    /// Destination lane of the π step for each source lane x + 5y: y + 5·((2x + 3y) mod 5).
    static let piDestination: [Int] = (0..<25).map { i in
        let x = i % 5, y = i / 5
        return y + 5 * ((2 * x + 3 * y) % 5)
    }

    static func permute(_ state: inout [UInt64]) {
        state.withUnsafeMutableBufferPointer { a in
            withUnsafeTemporaryAllocation(of: UInt64.self, capacity: 30) { scratch in
                guard let b = scratch.baseAddress else { return }
                let c = b + 25
                roundConstants.withUnsafeBufferPointer { rc in
                    rotations.withUnsafeBufferPointer { rot in
                        piDestination.withUnsafeBufferPointer { pi in
                            for round in 0..<24 {
                                // θ
                                for x in 0..<5 { c[x] = a[x] ^ a[x + 5] ^ a[x + 10] ^ a[x + 15] ^ a[x + 20] }
                                for x in 0..<5 {
                                    let d = c[x == 0 ? 4 : x - 1] ^ rotl(c[x == 4 ? 0 : x + 1], 1)
                                    a[x] ^= d; a[x + 5] ^= d; a[x + 10] ^= d; a[x + 15] ^= d; a[x + 20] ^= d
                                }
                                // ρ and π
                                for i in 0..<25 { b[pi[i]] = rotl(a[i], rot[i]) }
                                // χ
                                for y in stride(from: 0, to: 25, by: 5) {
                                    let b0 = b[y], b1 = b[y + 1], b2 = b[y + 2], b3 = b[y + 3], b4 = b[y + 4]
                                    a[y] = b0 ^ (~b1 & b2)
                                    a[y + 1] = b1 ^ (~b2 & b3)
                                    a[y + 2] = b2 ^ (~b3 & b4)
                                    a[y + 3] = b3 ^ (~b4 & b0)
                                    a[y + 4] = b4 ^ (~b0 & b1)
                                }
                                // ι
                                a[0] ^= rc[round]
                            }
                        }
                    }
                }
            }
        }
    }
}
