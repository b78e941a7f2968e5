import Field
import Hashing

/// STARK v1 writes field elements as 32 big-endian bytes. `Bytes32` word 0 holds bytes 0–7 read
/// little-endian, so the most significant limb is word 0 byte-swapped, and so on.
extension Stark252 {
    /// nil when the integer is ≥ p (not a field element).
    @inline(__always)
    init?(bigEndian b: Bytes32) {
        self.init(canonicalLimbs: b.w3.byteSwapped, b.w2.byteSwapped, b.w1.byteSwapped, b.w0.byteSwapped)
    }

    /// The element v·2⁻²⁵⁶ for the integer v in the bytes, without conversion (see
    /// `init(montgomeryBigEndianSlice:)`); nil when v ≥ p.
    @inline(__always)
    init?(montgomeryBigEndian b: Bytes32) {
        self.init(montgomeryLimbs: b.w3.byteSwapped, b.w2.byteSwapped, b.w1.byteSwapped, b.w0.byteSwapped)
    }

    /// The 32 big-endian bytes of the canonical integer.
    var bigEndian32: Bytes32 {
        let c = canonical
        return Bytes32(words: c.3.byteSwapped, c.2.byteSwapped, c.1.byteSwapped, c.0.byteSwapped)
    }
}

extension Bytes32 {
    /// The 32 bytes as a big-endian integer reduced mod p (OKX's `int.from_bytes(…) % p`).
    var reducedBigEndian: Stark252 {
        Stark252(reducingLimbs: w3.byteSwapped, w2.byteSwapped, w1.byteSwapped, w0.byteSwapped)
    }
}
