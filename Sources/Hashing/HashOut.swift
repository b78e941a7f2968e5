import Field

/// A plonky2 hash output: four Goldilocks elements (plonky2's `HashOut<F>`).
///
/// Stored as four fields, not an array: hashes are made by the thousand while a proof is
/// verified, and a value type without a heap buffer costs no allocation or reference counting.
///
/// Its byte form (`HashOut::to_bytes`, and the hex strings in OKX's inclusion proofs) is the four
/// limbs as little-endian u64s, 32 bytes in all.
@frozen
public struct HashOut: Hashable, Sendable, CustomStringConvertible {
    public var e0: Goldilocks, e1: Goldilocks, e2: Goldilocks, e3: Goldilocks

    public init(_ e0: Goldilocks, _ e1: Goldilocks, _ e2: Goldilocks, _ e3: Goldilocks) {
        self.e0 = e0
        self.e1 = e1
        self.e2 = e2
        self.e3 = e3
    }

    /// `nil` unless `elements` has exactly four entries.
    public init?(elements: [Goldilocks]) {
        guard elements.count == 4 else { return nil }
        self.init(elements[0], elements[1], elements[2], elements[3])
    }

    /// The first four lanes of a permuted Poseidon state (canonical by construction).
    init(canonicalLanes s: UnsafePointer<UInt64>) {
        self.init(Goldilocks(reducing: s[0]), Goldilocks(reducing: s[1]),
                  Goldilocks(reducing: s[2]), Goldilocks(reducing: s[3]))
    }

    /// The four limbs in order.
    public var elements: [Goldilocks] { [e0, e1, e2, e3] }

    public static let zero = HashOut(.zero, .zero, .zero, .zero)

    /// Decodes 32 bytes (four little-endian u64 limbs); `nil` for another length or a limb ≥ p.
    public init?(bytes: [UInt8]) {
        guard bytes.count == 32 else { return nil }
        var limbs = [Goldilocks]()
        for i in 0..<4 {
            var v: UInt64 = 0
            for b in 0..<8 { v |= UInt64(bytes[i * 8 + b]) << (8 * UInt64(b)) }
            guard let g = Goldilocks(canonical: v) else { return nil }
            limbs.append(g)
        }
        self.init(limbs[0], limbs[1], limbs[2], limbs[3])
    }

    /// Decodes 64 hex characters; `nil` for anything else (see `init?(bytes:)`).
    public init?(hex: some StringProtocol) {
        guard hex.utf8.count == 64, let bytes = Hex.decode(hex) else { return nil }
        self.init(bytes: bytes)
    }

    public var bytes: [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(32)
        for e in elements {
            var v = e.value
            for _ in 0..<8 { out.append(UInt8(truncatingIfNeeded: v)); v >>= 8 }
        }
        return out
    }

    public var hex: String { Hex.encode(bytes) }
    public var description: String { hex }
}
