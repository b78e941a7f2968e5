@preconcurrency import CSecp256k1

/// secp256k1 public-key recovery and key parsing through the system libsecp256k1.
/// The context is created once and only used for verification-side operations, which the
/// library documents as safe to call from several threads at once.
public enum Secp256k1 {
    nonisolated(unsafe) static let context: OpaquePointer? =
        secp256k1_context_create(UInt32(SECP256K1_CONTEXT_VERIFY))

    /// n/2 for the low-S rule (group order from SEC 2, halved).
    static let halfOrder: [UInt8] = [
        0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
        0x5D, 0x57, 0x6E, 0x73, 0x57, 0xA4, 0x50, 0x1D, 0xDF, 0xE9, 0x2F, 0x46, 0x68, 0x1B, 0x20, 0xA0]

    /// A recovered or parsed public key (64-byte internal form of libsecp256k1).
    public struct PublicKey: Sendable, Equatable {
        let raw: [UInt8]

        public var compressed: [UInt8] { serialize(compressed: true) }
        /// 65 bytes, 0x04 ‖ X ‖ Y.
        public var uncompressed: [UInt8] { serialize(compressed: false) }

        func serialize(compressed: Bool) -> [UInt8] {
            guard let ctx = Secp256k1.context else { return [] }
            var key = secp256k1_pubkey()
            withUnsafeMutableBytes(of: &key.data) { dst in
                for i in 0..<64 { dst[i] = raw[i] }
            }
            var out = [UInt8](repeating: 0, count: 65)
            var length = 65
            let flags = UInt32(compressed ? SECP256K1_EC_COMPRESSED : SECP256K1_EC_UNCOMPRESSED)
            _ = secp256k1_ec_pubkey_serialize(ctx, &out, &length, &key, flags)
            return Array(out.prefix(length))
        }

        init(_ key: secp256k1_pubkey) {
            var copy = key
            raw = withUnsafeBytes(of: &copy.data) { Array($0) }
        }
    }

    /// Recovers the key that signed `digest` (32 bytes) with r ‖ s (64 bytes) and recovery id 0…3.
    /// nil when r or s is out of range or no point exists.
    public static func recover(digest: [UInt8], rs: ArraySlice<UInt8>, recoveryID: Int) -> PublicKey? {
        guard let context, digest.count == 32, rs.count == 64, (0...3).contains(recoveryID) else { return nil }
        let compact = Array(rs)
        var signature = secp256k1_ecdsa_recoverable_signature()
        guard secp256k1_ecdsa_recoverable_signature_parse_compact(context, &signature, compact, Int32(recoveryID)) == 1
        else { return nil }
        var key = secp256k1_pubkey()
        guard secp256k1_ecdsa_recover(context, &key, &signature, digest) == 1 else { return nil }
        return PublicKey(key)
    }

    /// Parses a 33- or 65-byte SEC1 public key.
    public static func parse(_ bytes: [UInt8]) -> PublicKey? {
        guard let context, bytes.count == 33 || bytes.count == 65 else { return nil }
        var key = secp256k1_pubkey()
        guard secp256k1_ec_pubkey_parse(context, &key, bytes, bytes.count) == 1 else { return nil }
        return PublicKey(key)
    }

    /// True when s (32 bytes big-endian) is at most n/2.
    public static func isLowS(_ s: ArraySlice<UInt8>) -> Bool {
        for (a, b) in zip(s, halfOrder) where a != b { return a < b }
        return true
    }
}
