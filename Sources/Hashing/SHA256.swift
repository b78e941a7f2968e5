@preconcurrency import CSodium

/// SHA-256 through the system libsodium (Debian's libsodium-dev).
public enum SHA256 {
    public static let digestSize = 32

    public static func hash<Bytes: Sequence>(_ data: Bytes) -> [UInt8] where Bytes.Element == UInt8 {
        let input = Array(data)
        let length = UInt64(input.count)
        // libsodium wants a valid pointer even for empty input; a one-byte buffer with length 0 is one.
        let padded = input.isEmpty ? [0] : input
        var out = [UInt8](repeating: 0, count: digestSize)
        padded.withUnsafeBufferPointer { inp in
            out.withUnsafeMutableBufferPointer { o in
                guard let ip = inp.baseAddress, let op = o.baseAddress else { return }
                _ = crypto_hash_sha256(op, ip, length)
            }
        }
        return out
    }
}
