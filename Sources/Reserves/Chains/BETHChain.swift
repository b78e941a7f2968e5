/// BETH (SPEC 4.7): IETF BLS minimal-pubkey-size, proof-of-possession ciphersuite, over the
/// 32-byte EVM digest of the message. The address column is the validator's G1 public key.
enum BETHChain {
    static let dst = Array("BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_".utf8)

    static func verify(publicKey: String, signature: String, message: [UInt8]) throws -> RowOutcome {
        guard let keyBytes = SignatureDecoding.hexBytes(publicKey) else { throw RowFailure("BLS public key is not hex") }
        guard let sigBytes = SignatureDecoding.hexBytes(signature) else { throw RowFailure("BLS signature is not hex") }
        let key = try BLS12381.decodeG1(keyBytes)
        let sig = try BLS12381.decodeG2(sigBytes)
        let hashed = BLS12381HashToG2.hash(MessageFraming.evmDigest(message), dst: dst)
        guard let h = BLS12381.affine(hashed), let s = BLS12381.affine(sig), let pk = BLS12381.affine(key),
              let g = BLS12381.affine(BLS12381.g1) else { throw RowFailure("BLS point at infinity") }
        // e(pk, H(m)) · e(−g1, sig) == 1
        let f1 = BLS12381Pairing.millerLoop(q: h, p: (pk.x.c0, pk.y.c0))
        let f2 = BLS12381Pairing.millerLoop(q: s, p: (g.x.c0, BLS12381.fp.neg(g.y.c0)))
        guard BLS12381Pairing.finalExponentiationIsOne(BLS12381Pairing.mul(f1, f2)) else { throw RowFailure("BLS signature does not verify (pairing check failed)") }
        return .verified
    }
}
