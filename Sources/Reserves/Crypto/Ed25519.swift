@preconcurrency import CSodium

/// Ed25519 signature verification through the system libsodium.
public enum Ed25519 {
    static let ready: Bool = sodium_init() >= 0

    public static func verify(signature: [UInt8], message: [UInt8], publicKey: [UInt8]) -> Bool {
        guard ready, signature.count == 64, publicKey.count == 32 else { return false }
        let padded = message.isEmpty ? [0] : message
        return crypto_sign_verify_detached(signature, padded, UInt64(message.count), publicKey) == 0
    }
}
