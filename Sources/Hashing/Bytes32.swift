/// 32 bytes (a Keccak-256 digest, a Merkle node, a big-endian field element) held inline as four
/// 64-bit words, so that comparing, copying and hashing one needs no heap buffer. Word k is the
/// little-endian reading of bytes 8k..<8k+8: exactly the layout of a Keccak lane, so a digest
/// goes into and comes out of the sponge with no byte shuffling.
public struct Bytes32: Hashable, Sendable, CustomStringConvertible {
    public var w0: UInt64
    public var w1: UInt64
    public var w2: UInt64
    public var w3: UInt64

    @inlinable
    public init(words w0: UInt64, _ w1: UInt64, _ w2: UInt64, _ w3: UInt64) {
        self.w0 = w0; self.w1 = w1; self.w2 = w2; self.w3 = w3
    }

    public static let zero = Bytes32(words: 0, 0, 0, 0)

    /// The first 32 bytes at `raw` (no alignment needed; the caller guarantees 32 readable bytes).
    @inlinable
    public init(loading raw: UnsafeRawPointer) {
        w0 = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self))
        w1 = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
        w2 = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 16, as: UInt64.self))
        w3 = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 24, as: UInt64.self))
    }

    /// Exactly 32 bytes; nil for any other length.
    public init?<Bytes: Collection>(_ bytes: Bytes) where Bytes.Element == UInt8 {
        guard bytes.count == 32 else { return nil }
        if let v = bytes.withContiguousStorageIfAvailable({ buffer -> Bytes32? in
            guard let base = buffer.baseAddress else { return nil }
            return Bytes32(loading: UnsafeRawPointer(base))
        }), let v {
            self = v
            return
        }
        var words: [UInt64] = [0, 0, 0, 0]
        for (i, b) in bytes.enumerated() { words[i / 8] |= UInt64(b) << UInt64(8 * (i % 8)) }
        self.init(words: words[0], words[1], words[2], words[3])
    }

    /// Writes the 32 bytes at `raw` (the caller guarantees 32 writable bytes).
    @inlinable
    public func store(to raw: UnsafeMutableRawPointer) {
        raw.storeBytes(of: w0.littleEndian, toByteOffset: 0, as: UInt64.self)
        raw.storeBytes(of: w1.littleEndian, toByteOffset: 8, as: UInt64.self)
        raw.storeBytes(of: w2.littleEndian, toByteOffset: 16, as: UInt64.self)
        raw.storeBytes(of: w3.littleEndian, toByteOffset: 24, as: UInt64.self)
    }

    public var bytes: [UInt8] {
        [UInt8](unsafeUninitializedCapacity: 32) { buffer, count in
            if let base = buffer.baseAddress { store(to: UnsafeMutableRawPointer(base)) }
            count = 32
        }
    }

    /// Byte i (0 = first).
    @inlinable
    public subscript(i: Int) -> UInt8 {
        let w = i < 16 ? (i < 8 ? w0 : w1) : (i < 24 ? w2 : w3)
        return UInt8(truncatingIfNeeded: w >> UInt64(8 * (i & 7)))
    }

    /// Lower-case hex of the 32 bytes.
    public var hex: String { Hex.encode(bytes) }

    public var description: String { hex }

    /// Whether all 32 bytes are zero.
    public var isZero: Bool { w0 | w1 | w2 | w3 == 0 }
}
