/// FIPS-202 SHA3-256: the Keccak-256 sponge with the SHA3 domain padding byte 0x06.
/// Used for Aptos authentication keys and ICON (ICX) addresses.
public enum SHA3_256 {
    public static func hash<Bytes: Sequence>(_ data: Bytes) -> [UInt8] where Bytes.Element == UInt8 {
        var sponge = Keccak256.Sponge(domain: 0x06)
        sponge.absorb(data)
        return sponge.finish()
    }
}
