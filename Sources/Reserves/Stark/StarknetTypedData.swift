import Hashing

/// OKX's StarkNet proof (SPEC 4.8): SNIP-12 revision 0 typed data
/// `StarkNetDomain{name,version,chainId}` / `Message{contents}` hashed with Pedersen, signed with
/// Stark ECDSA. The key is not tied to the account contract offline [QT4], so a valid row is `unproven`.
enum StarknetTypedData {
    typealias Limbs = [UInt64]

    /// keccak256 masked to 250 bits.
    static func starknetKeccak(_ text: String) -> Limbs {
        var digest = Keccak256.hash(Array(text.utf8))
        digest[0] &= 0x03
        return StarkCurve.field.limbs(bigEndian: digest) ?? [0, 0, 0, 0]
    }

    /// A felt from text: `0x…` hex, all-decimal digits, otherwise a Cairo short string (≤ 31 ASCII bytes).
    static func felt(_ text: String) throws -> Limbs {
        if text.hasPrefix("0x") || text.hasPrefix("0X") {
            var body = String(text.dropFirst(2))
            if body.count % 2 == 1 { body = "0" + body }
            guard body.count <= 64, let bytes = Hex.decode(body), let limbs = StarkCurve.field.limbs(bigEndian: bytes) else {
                throw RowFailure("'\(text.prefix(70))' is not a felt")
            }
            guard StarkCurve.isBelow(limbs, StarkCurve.field.modulus) else { throw RowFailure("'\(text.prefix(70))' exceeds the Stark field") }
            return limbs
        }
        if !text.isEmpty, text.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) {
            var value: Limbs = [0, 0, 0, 0]
            for c in text.utf8 {
                // value = value·10 + digit, limited to 76 digits (below 2^252 checked after).
                var carry = UInt64(c - 48)
                for i in 0..<4 {
                    let (hi, lo) = value[i].multipliedFullWidth(by: 10)
                    let (s, o) = lo.addingReportingOverflow(carry)
                    value[i] = s
                    carry = hi &+ (o ? 1 : 0)
                }
                guard carry == 0 else { throw RowFailure("number \(text.prefix(40)) exceeds the Stark field") }
            }
            guard StarkCurve.isBelow(value, StarkCurve.field.modulus) else { throw RowFailure("number exceeds the Stark field") }
            return value
        }
        let bytes = Array(text.utf8)
        guard bytes.count <= 31, bytes.allSatisfy({ $0 < 128 }) else {
            throw RowFailure("message is not a Cairo short string (at most 31 ASCII characters)")
        }
        return StarkCurve.field.limbs(bigEndian: bytes) ?? [0, 0, 0, 0]
    }

    static func messageHash(account: String, message: String) throws -> Limbs {
        let domainType = starknetKeccak("StarkNetDomain(name:felt,version:felt,chainId:felt)")
        let messageType = starknetKeccak("Message(contents:felt)")
        let domain = StarkCurve.pedersenArray([domainType, try felt("OKX POR MESSAGE"), try felt("1"), try felt("0x534e5f4d41494e")])
        let body = StarkCurve.pedersenArray([messageType, try felt(message)])
        return StarkCurve.pedersenArray([try felt("StarkNet Message"), domain, try felt(account), body])
    }

    static func verify(account: String, signature: String, publicKey: String, message: String) throws -> RowOutcome {
        guard !isAbsent(publicKey) else { throw RowFailure("StarkNet row without a public key") }
        guard signature.count == 128, let sig = Hex.decode(signature),
              let r = StarkCurve.field.limbs(bigEndian: Array(sig.prefix(32))),
              let s = StarkCurve.field.limbs(bigEndian: Array(sig.suffix(32))) else {
            throw RowFailure("StarkNet signature must be 128 hex digits (r ‖ s) without 0x")
        }
        let keyX = try felt(publicKey.hasPrefix("0x") || publicKey.hasPrefix("0X") ? publicKey : "0x" + publicKey)
        let hash = try messageHash(account: account, message: message)
        guard StarkCurve.verify(hash: hash, r: r, s: s, keyX: keyX) else {
            throw RowFailure("Stark ECDSA signature does not verify for this key, account and message")
        }
        return .unproven("Stark signature valid, but the key is not tied to the account contract offline")
    }
}
