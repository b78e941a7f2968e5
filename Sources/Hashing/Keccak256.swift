/// Keccak-256 as Ethereum and OKX's zk-STARK v1 use it: the original Keccak padding (0x01),
/// not FIPS-202 SHA3-256 (0x06). Rate 136 bytes, capacity 512 bits.
public enum Keccak256 {
    public static let digestSize = 32
    static let rate = 136

    /// Keccak-256 of a contiguous buffer: whole 136-byte blocks are XORed in lane by lane.
    public static func hash(buffer: UnsafeRawBufferPointer) -> [UInt8] {
        withUnsafeTemporaryAllocation(of: UInt64.self, capacity: 25 + 17) { storage -> [UInt8] in
            guard let s = storage.baseAddress else { return [] }
            s.initialize(repeating: 0, count: 25 + 17)
            let block = s + 25
            var offset = 0
            let count = buffer.count
            while count - offset >= rate {
                for i in 0..<17 { s[i] ^= UInt64(littleEndian: buffer.loadUnaligned(fromByteOffset: offset + 8 * i, as: UInt64.self)) }
                KeccakF1600.permute(s)
                offset += rate
            }
            // Last partial block with Keccak padding (0x01 … 0x80).
            let tail = UnsafeMutableRawPointer(block)
            tail.initializeMemory(as: UInt8.self, repeating: 0, count: rate)
            if count > offset, let base = buffer.baseAddress {
                tail.copyMemory(from: base + offset, byteCount: count - offset)
            }
            tail.storeBytes(of: tail.load(fromByteOffset: count - offset, as: UInt8.self) ^ 0x01, toByteOffset: count - offset, as: UInt8.self)
            tail.storeBytes(of: tail.load(fromByteOffset: rate - 1, as: UInt8.self) ^ 0x80, toByteOffset: rate - 1, as: UInt8.self)
            for i in 0..<17 { s[i] ^= UInt64(littleEndian: block[i]) }
            KeccakF1600.permute(s)
            return [UInt8](unsafeUninitializedCapacity: 32) { out, n in
                for i in 0..<4 {
                    let v = s[i].littleEndian
                    for k in 0..<8 { out[8 * i + k] = UInt8(truncatingIfNeeded: v >> UInt64(8 * k)) }
                }
                n = 32
            }
        }
    }

    /// Keccak-256 of a ‖ b for two 32-byte strings (a Merkle parent), with no intermediate buffer.
    public static func hashPair(_ a: [UInt8], _ b: [UInt8]) -> [UInt8] {
        guard a.count == 32, b.count == 32 else { return hash(a + b) }
        return withUnsafeTemporaryAllocation(of: UInt64.self, capacity: 25) { state -> [UInt8] in
            guard let s = state.baseAddress else { return hash(a + b) }
            s.initialize(repeating: 0, count: 25)
            a.withUnsafeBytes { raw in for i in 0..<4 { s[i] = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self)) } }
            b.withUnsafeBytes { raw in for i in 0..<4 { s[4 + i] = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self)) } }
            s[8] = 0x01
            s[16] = 0x80 << 56
            KeccakF1600.permute(s)
            return [UInt8](unsafeUninitializedCapacity: 32) { out, count in
                for i in 0..<4 {
                    let v = s[i].littleEndian
                    for k in 0..<8 { out[8 * i + k] = UInt8(truncatingIfNeeded: v >> UInt64(8 * k)) }
                }
                count = 32
            }
        }
    }

    public static func hash<Bytes: Sequence>(_ data: Bytes) -> [UInt8] where Bytes.Element == UInt8 {
        // Contiguous input (arrays, slices) takes the block-wise path; other sequences the sponge.
        if let digest = data.withContiguousStorageIfAvailable({ hash(buffer: UnsafeRawBufferPointer($0)) }) {
            return digest
        }
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

    static func permute(_ a: inout [UInt64]) {
        guard a.count == 25 else { return permuteReference(&a) }
        a.withUnsafeMutableBufferPointer { buffer in
            if let base = buffer.baseAddress { permute(base) }
        }
    }

    /// The plain, loop-based permutation (kept as the readable reference; tests compare both).
    static func permuteReference(_ a: inout [UInt64]) {
        var c = [UInt64](repeating: 0, count: 5)
        var b = [UInt64](repeating: 0, count: 25)
        for round in 0..<24 {
            // θ
            for x in 0..<5 { c[x] = a[x] ^ a[x + 5] ^ a[x + 10] ^ a[x + 15] ^ a[x + 20] }
            for x in 0..<5 {
                let d = c[(x + 4) % 5] ^ rotl(c[(x + 1) % 5], 1)
                for y in stride(from: 0, to: 25, by: 5) { a[x + y] ^= d }
            }
            // ρ and π: B[y, 2x + 3y] = rot(A[x, y], r[x, y])
            for x in 0..<5 {
                for y in 0..<5 {
                    b[y + 5 * ((2 * x + 3 * y) % 5)] = rotl(a[x + 5 * y], rotations[x + 5 * y])
                }
            }
            // χ
            for y in stride(from: 0, to: 25, by: 5) {
                for x in 0..<5 { a[x + y] = b[x + y] ^ (~b[(x + 1) % 5 + y] & b[(x + 2) % 5 + y]) }
            }
            // ι
            a[0] ^= roundConstants[round]
        }
    }
}

extension KeccakF1600 {
    /// Keccak-f[1600] on 25 lanes in place, unrolled (no allocation): the hot path of STARK v1's
    /// Merkle trees. Same permutation as `permute(_:)` (round constants and rotation offsets from
    /// the Keccak reference, FIPS 202 §3.2).
    @inline(__always)
    static func permute(_ s: UnsafeMutablePointer<UInt64>) {
        @inline(__always) func rotl(_ v: UInt64, _ n: UInt64) -> UInt64 { (v << n) | (v >> (64 - n)) }
        for round in 0..<24 {
            let c0 = s[0] ^ s[5] ^ s[10] ^ s[15] ^ s[20]
            let c1 = s[1] ^ s[6] ^ s[11] ^ s[16] ^ s[21]
            let c2 = s[2] ^ s[7] ^ s[12] ^ s[17] ^ s[22]
            let c3 = s[3] ^ s[8] ^ s[13] ^ s[18] ^ s[23]
            let c4 = s[4] ^ s[9] ^ s[14] ^ s[19] ^ s[24]
            let d0 = c4 ^ rotl(c1, 1)
            let d1 = c0 ^ rotl(c2, 1)
            let d2 = c1 ^ rotl(c3, 1)
            let d3 = c2 ^ rotl(c4, 1)
            let d4 = c3 ^ rotl(c0, 1)
            s[0] ^= d0; s[5] ^= d0; s[10] ^= d0; s[15] ^= d0; s[20] ^= d0
            s[1] ^= d1; s[6] ^= d1; s[11] ^= d1; s[16] ^= d1; s[21] ^= d1
            s[2] ^= d2; s[7] ^= d2; s[12] ^= d2; s[17] ^= d2; s[22] ^= d2
            s[3] ^= d3; s[8] ^= d3; s[13] ^= d3; s[18] ^= d3; s[23] ^= d3
            s[4] ^= d4; s[9] ^= d4; s[14] ^= d4; s[19] ^= d4; s[24] ^= d4
            var t = s[1], u: UInt64 = 0
            u = s[10]; s[10] = rotl(t, 1); t = u
            u = s[7]; s[7] = rotl(t, 3); t = u
            u = s[11]; s[11] = rotl(t, 6); t = u
            u = s[17]; s[17] = rotl(t, 10); t = u
            u = s[18]; s[18] = rotl(t, 15); t = u
            u = s[3]; s[3] = rotl(t, 21); t = u
            u = s[5]; s[5] = rotl(t, 28); t = u
            u = s[16]; s[16] = rotl(t, 36); t = u
            u = s[8]; s[8] = rotl(t, 45); t = u
            u = s[21]; s[21] = rotl(t, 55); t = u
            u = s[24]; s[24] = rotl(t, 2); t = u
            u = s[4]; s[4] = rotl(t, 14); t = u
            u = s[15]; s[15] = rotl(t, 27); t = u
            u = s[23]; s[23] = rotl(t, 41); t = u
            u = s[19]; s[19] = rotl(t, 56); t = u
            u = s[13]; s[13] = rotl(t, 8); t = u
            u = s[12]; s[12] = rotl(t, 25); t = u
            u = s[2]; s[2] = rotl(t, 43); t = u
            u = s[20]; s[20] = rotl(t, 62); t = u
            u = s[14]; s[14] = rotl(t, 18); t = u
            u = s[22]; s[22] = rotl(t, 39); t = u
            u = s[9]; s[9] = rotl(t, 61); t = u
            u = s[6]; s[6] = rotl(t, 20); t = u
            u = s[1]; s[1] = rotl(t, 44); t = u
            _ = t
            do {
                let b0 = s[0], b1 = s[1], b2 = s[2], b3 = s[3], b4 = s[4]
                s[0] = b0 ^ (~b1 & b2)
                s[1] = b1 ^ (~b2 & b3)
                s[2] = b2 ^ (~b3 & b4)
                s[3] = b3 ^ (~b4 & b0)
                s[4] = b4 ^ (~b0 & b1)
            }
            do {
                let b0 = s[5], b1 = s[6], b2 = s[7], b3 = s[8], b4 = s[9]
                s[5] = b0 ^ (~b1 & b2)
                s[6] = b1 ^ (~b2 & b3)
                s[7] = b2 ^ (~b3 & b4)
                s[8] = b3 ^ (~b4 & b0)
                s[9] = b4 ^ (~b0 & b1)
            }
            do {
                let b0 = s[10], b1 = s[11], b2 = s[12], b3 = s[13], b4 = s[14]
                s[10] = b0 ^ (~b1 & b2)
                s[11] = b1 ^ (~b2 & b3)
                s[12] = b2 ^ (~b3 & b4)
                s[13] = b3 ^ (~b4 & b0)
                s[14] = b4 ^ (~b0 & b1)
            }
            do {
                let b0 = s[15], b1 = s[16], b2 = s[17], b3 = s[18], b4 = s[19]
                s[15] = b0 ^ (~b1 & b2)
                s[16] = b1 ^ (~b2 & b3)
                s[17] = b2 ^ (~b3 & b4)
                s[18] = b3 ^ (~b4 & b0)
                s[19] = b4 ^ (~b0 & b1)
            }
            do {
                let b0 = s[20], b1 = s[21], b2 = s[22], b3 = s[23], b4 = s[24]
                s[20] = b0 ^ (~b1 & b2)
                s[21] = b1 ^ (~b2 & b3)
                s[22] = b2 ^ (~b3 & b4)
                s[23] = b3 ^ (~b4 & b0)
                s[24] = b4 ^ (~b0 & b1)
            }
            s[0] ^= KeccakF1600.roundConstant(round)
        }
    }

    @inline(__always)
    static func roundConstant(_ i: Int) -> UInt64 {
        switch i {
        case 0: return 0x0000000000000001
        case 1: return 0x0000000000008082
        case 2: return 0x800000000000808A
        case 3: return 0x8000000080008000
        case 4: return 0x000000000000808B
        case 5: return 0x0000000080000001
        case 6: return 0x8000000080008081
        case 7: return 0x8000000000008009
        case 8: return 0x000000000000008A
        case 9: return 0x0000000000000088
        case 10: return 0x0000000080008009
        case 11: return 0x000000008000000A
        case 12: return 0x000000008000808B
        case 13: return 0x800000000000008B
        case 14: return 0x8000000000008089
        case 15: return 0x8000000000008003
        case 16: return 0x8000000000008002
        case 17: return 0x8000000000000080
        case 18: return 0x000000000000800A
        case 19: return 0x800000008000000A
        case 20: return 0x8000000080008081
        case 21: return 0x8000000000008080
        case 22: return 0x0000000080000001
        case 23: return 0x8000000080008008
        default: return 0
        }
    }
}
