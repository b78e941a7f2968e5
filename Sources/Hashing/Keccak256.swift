/// Keccak-256 as Ethereum and OKX's zk-STARK v1 use it: the original Keccak padding (0x01),
/// not FIPS-202 SHA3-256 (0x06). Rate 136 bytes, capacity 512 bits.
public enum Keccak256 {
    public static let digestSize = 32
    static let rate = 136

    /// Keccak-256 of a contiguous buffer: whole 136-byte blocks are XORed in lane by lane.
    public static func hash(buffer: UnsafeRawBufferPointer) -> [UInt8] { digest(buffer: buffer).bytes }

    /// Keccak-256 of a contiguous buffer as an inline digest (no heap allocation at all).
    public static func digest(buffer: UnsafeRawBufferPointer) -> Bytes32 {
        withUnsafeTemporaryAllocation(of: UInt64.self, capacity: 25 + 17) { storage -> Bytes32 in
            guard let s = storage.baseAddress else { return .zero }
            s.initialize(repeating: 0, count: 25 + 17)
            let block = s + 25
            var offset = 0
            let count = buffer.count
            if let base = buffer.baseAddress {
                while count - offset >= rate {
                    for i in 0..<17 { s[i] ^= UInt64(littleEndian: (base + offset).loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self)) }
                    KeccakF1600.permute(s)
                    offset += rate
                }
            }
            // Last partial block with Keccak padding (0x01 … 0x80).
            let tail = UnsafeMutableRawPointer(block)
            if count > offset, let base = buffer.baseAddress {
                tail.copyMemory(from: base + offset, byteCount: count - offset)
            }
            tail.storeBytes(of: tail.load(fromByteOffset: count - offset, as: UInt8.self) ^ 0x01, toByteOffset: count - offset, as: UInt8.self)
            tail.storeBytes(of: tail.load(fromByteOffset: rate - 1, as: UInt8.self) ^ 0x80, toByteOffset: rate - 1, as: UInt8.self)
            for i in 0..<17 { s[i] ^= UInt64(littleEndian: block[i]) }
            KeccakF1600.permute(s)
            return Bytes32(words: s[0], s[1], s[2], s[3])
        }
    }

    /// Keccak-256 of a ‖ b for two 32-byte strings (a Merkle parent), with no intermediate buffer.
    public static func hashPair(_ a: [UInt8], _ b: [UInt8]) -> [UInt8] {
        guard let x = Bytes32(a), let y = Bytes32(b) else { return hash(a + b) }
        return hashPair(x, y).bytes
    }

    /// Keccak-256 of a ‖ b (a Merkle parent): one permutation of a state built in registers.
    public static func hashPair(_ a: Bytes32, _ b: Bytes32) -> Bytes32 {
        // a ‖ b fills lanes 0–7; the padding puts 0x01 in lane 8 and 0x80 in the last rate byte.
        var s = KeccakF1600.State()
        s.a0 = a.w0; s.a1 = a.w1; s.a2 = a.w2; s.a3 = a.w3
        s.a4 = b.w0; s.a5 = b.w1; s.a6 = b.w2; s.a7 = b.w3
        s.a8 = 0x01
        s.a16 = 0x80 << 56
        s.permute()
        return Bytes32(words: s.a0, s.a1, s.a2, s.a3)
    }

    /// Keccak-256 of any byte sequence, as an inline digest.
    public static func digest<Bytes: Sequence>(_ data: Bytes) -> Bytes32 where Bytes.Element == UInt8 {
        if let d = data.withContiguousStorageIfAvailable({ digest(buffer: UnsafeRawBufferPointer($0)) }) { return d }
        var sponge = Sponge()
        sponge.absorb(data)
        return Bytes32(sponge.finish()) ?? .zero
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
    /// The 25 lanes as named stored properties (index x + 5y), so that the permutation works on
    /// local values the compiler keeps in registers where it can, instead of reloading and
    /// storing every lane through memory at every step.
    struct State {
        var a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17, a18, a19, a20, a21, a22, a23, a24: UInt64

        init() {
            a0 = 0; a1 = 0; a2 = 0; a3 = 0; a4 = 0; a5 = 0; a6 = 0; a7 = 0; a8 = 0; a9 = 0; a10 = 0; a11 = 0; a12 = 0; a13 = 0; a14 = 0; a15 = 0; a16 = 0; a17 = 0; a18 = 0; a19 = 0; a20 = 0; a21 = 0; a22 = 0; a23 = 0; a24 = 0
        }

        /// Keccak-f[1600]: 24 rounds of θ, ρ, π, χ, ι (FIPS 202 §3.2), one round per loop step.
        /// Same permutation as `permuteReference(_:)` (the tests compare them).
        mutating func permute() {
            var a0 = self.a0; var a1 = self.a1; var a2 = self.a2; var a3 = self.a3; var a4 = self.a4; var a5 = self.a5; var a6 = self.a6; var a7 = self.a7; var a8 = self.a8; var a9 = self.a9; var a10 = self.a10; var a11 = self.a11; var a12 = self.a12; var a13 = self.a13; var a14 = self.a14; var a15 = self.a15; var a16 = self.a16; var a17 = self.a17; var a18 = self.a18; var a19 = self.a19; var a20 = self.a20; var a21 = self.a21; var a22 = self.a22; var a23 = self.a23; var a24 = self.a24
            @inline(__always) func rotl(_ v: UInt64, _ n: UInt64) -> UInt64 { (v &<< n) | (v &>> (64 &- n)) }
            for round in 0..<24 {
                let c0 = a0 ^ a5 ^ a10 ^ a15 ^ a20
                let c1 = a1 ^ a6 ^ a11 ^ a16 ^ a21
                let c2 = a2 ^ a7 ^ a12 ^ a17 ^ a22
                let c3 = a3 ^ a8 ^ a13 ^ a18 ^ a23
                let c4 = a4 ^ a9 ^ a14 ^ a19 ^ a24
                let d0 = c4 ^ rotl(c1, 1)
                let d1 = c0 ^ rotl(c2, 1)
                let d2 = c1 ^ rotl(c3, 1)
                let d3 = c2 ^ rotl(c4, 1)
                let d4 = c3 ^ rotl(c0, 1)
                let b0 = a0 ^ d0
                let b1 = rotl(a6 ^ d1, 44)
                let b2 = rotl(a12 ^ d2, 43)
                let b3 = rotl(a18 ^ d3, 21)
                let b4 = rotl(a24 ^ d4, 14)
                let b5 = rotl(a3 ^ d3, 28)
                let b6 = rotl(a9 ^ d4, 20)
                let b7 = rotl(a10 ^ d0, 3)
                let b8 = rotl(a16 ^ d1, 45)
                let b9 = rotl(a22 ^ d2, 61)
                let b10 = rotl(a1 ^ d1, 1)
                let b11 = rotl(a7 ^ d2, 6)
                let b12 = rotl(a13 ^ d3, 25)
                let b13 = rotl(a19 ^ d4, 8)
                let b14 = rotl(a20 ^ d0, 18)
                let b15 = rotl(a4 ^ d4, 27)
                let b16 = rotl(a5 ^ d0, 36)
                let b17 = rotl(a11 ^ d1, 10)
                let b18 = rotl(a17 ^ d2, 15)
                let b19 = rotl(a23 ^ d3, 56)
                let b20 = rotl(a2 ^ d2, 62)
                let b21 = rotl(a8 ^ d3, 55)
                let b22 = rotl(a14 ^ d4, 39)
                let b23 = rotl(a15 ^ d0, 41)
                let b24 = rotl(a21 ^ d1, 2)
                a0 = b0 ^ (~b1 & b2)
                a1 = b1 ^ (~b2 & b3)
                a2 = b2 ^ (~b3 & b4)
                a3 = b3 ^ (~b4 & b0)
                a4 = b4 ^ (~b0 & b1)
                a5 = b5 ^ (~b6 & b7)
                a6 = b6 ^ (~b7 & b8)
                a7 = b7 ^ (~b8 & b9)
                a8 = b8 ^ (~b9 & b5)
                a9 = b9 ^ (~b5 & b6)
                a10 = b10 ^ (~b11 & b12)
                a11 = b11 ^ (~b12 & b13)
                a12 = b12 ^ (~b13 & b14)
                a13 = b13 ^ (~b14 & b10)
                a14 = b14 ^ (~b10 & b11)
                a15 = b15 ^ (~b16 & b17)
                a16 = b16 ^ (~b17 & b18)
                a17 = b17 ^ (~b18 & b19)
                a18 = b18 ^ (~b19 & b15)
                a19 = b19 ^ (~b15 & b16)
                a20 = b20 ^ (~b21 & b22)
                a21 = b21 ^ (~b22 & b23)
                a22 = b22 ^ (~b23 & b24)
                a23 = b23 ^ (~b24 & b20)
                a24 = b24 ^ (~b20 & b21)

                a0 ^= KeccakF1600.roundConstant(round)
            }
            self.a0 = a0; self.a1 = a1; self.a2 = a2; self.a3 = a3; self.a4 = a4; self.a5 = a5; self.a6 = a6; self.a7 = a7; self.a8 = a8; self.a9 = a9; self.a10 = a10; self.a11 = a11; self.a12 = a12; self.a13 = a13; self.a14 = a14; self.a15 = a15; self.a16 = a16; self.a17 = a17; self.a18 = a18; self.a19 = a19; self.a20 = a20; self.a21 = a21; self.a22 = a22; self.a23 = a23; self.a24 = a24
        }
    }

    /// Keccak-f[1600] on 25 lanes in place (no allocation): the block path of `Keccak256`.
    @inline(__always)
    static func permute(_ p: UnsafeMutablePointer<UInt64>) {
        var s = State()
        s.a0 = p[0]
        s.a1 = p[1]
        s.a2 = p[2]
        s.a3 = p[3]
        s.a4 = p[4]
        s.a5 = p[5]
        s.a6 = p[6]
        s.a7 = p[7]
        s.a8 = p[8]
        s.a9 = p[9]
        s.a10 = p[10]
        s.a11 = p[11]
        s.a12 = p[12]
        s.a13 = p[13]
        s.a14 = p[14]
        s.a15 = p[15]
        s.a16 = p[16]
        s.a17 = p[17]
        s.a18 = p[18]
        s.a19 = p[19]
        s.a20 = p[20]
        s.a21 = p[21]
        s.a22 = p[22]
        s.a23 = p[23]
        s.a24 = p[24]
        s.permute()
        p[0] = s.a0
        p[1] = s.a1
        p[2] = s.a2
        p[3] = s.a3
        p[4] = s.a4
        p[5] = s.a5
        p[6] = s.a6
        p[7] = s.a7
        p[8] = s.a8
        p[9] = s.a9
        p[10] = s.a10
        p[11] = s.a11
        p[12] = s.a12
        p[13] = s.a13
        p[14] = s.a14
        p[15] = s.a15
        p[16] = s.a16
        p[17] = s.a17
        p[18] = s.a18
        p[19] = s.a19
        p[20] = s.a20
        p[21] = s.a21
        p[22] = s.a22
        p[23] = s.a23
        p[24] = s.a24
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
