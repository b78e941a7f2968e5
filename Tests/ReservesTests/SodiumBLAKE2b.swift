@preconcurrency import CSodium

/// libsodium's BLAKE2b (16…64-byte outputs) as an independent reference for our BLAKE2b.
enum SodiumBLAKE2b {
    static func hash(_ input: [UInt8], length: Int) -> [UInt8] {
        _ = sodium_init()
        var out = [UInt8](repeating: 0, count: length)
        _ = crypto_generichash(&out, length, input, UInt64(input.count), nil, 0)
        return out
    }
}
