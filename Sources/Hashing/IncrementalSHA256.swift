@preconcurrency import CSodium

/// SHA-256 fed in pieces (libsodium's streaming API), for hashing downloads as they arrive.
public struct IncrementalSHA256 {
    var state = crypto_hash_sha256_state()

    public init() { _ = crypto_hash_sha256_init(&state) }

    public mutating func update(_ bytes: [UInt8]) {
        guard !bytes.isEmpty else { return }
        _ = crypto_hash_sha256_update(&state, bytes, UInt64(bytes.count))
    }

    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
        _ = crypto_hash_sha256_update(&state, base.assumingMemoryBound(to: UInt8.self), UInt64(bytes.count))
    }

    public mutating func finish() -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 32)
        _ = crypto_hash_sha256_final(&state, &out)
        return out
    }
}
