import XCTest
import Hashing
@testable import Reserves

/// Known-answer vectors for the primitives and codecs.
final class PrimitiveTests: XCTestCase {
    func hex(_ bytes: [UInt8]) -> String { Hex.encode(bytes) }

    func testRIPEMD160() {
        // Vectors from the RIPEMD-160 home page (Bosselaers).
        XCTAssertEqual(hex(RIPEMD160.hash([UInt8]())), "9c1185a5c5e9fc54612808977ee8f548b2258d31")
        XCTAssertEqual(hex(RIPEMD160.hash(Array("abc".utf8))), "8eb208f7e05d987a9b044a8e98c6b087f15a0bfc")
        XCTAssertEqual(hex(RIPEMD160.hash(Array("message digest".utf8))), "5d0689ef49d2fae572b881b123a85ffa21595f36")
        XCTAssertEqual(hex(RIPEMD160.hash(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))),
                       "12a053384a9c0c88e405a06c27dcf49ada62eb2b")
        XCTAssertEqual(hex(RIPEMD160.hash([UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000))),
                       "52783243c1697bdbe16d37f97f68f08325dc1528")
    }

    func testBLAKE2b() {
        // RFC 7693 appendix A ("abc", 64 bytes) and the empty-string BLAKE2b-256 / -160 values.
        XCTAssertEqual(hex(BLAKE2b.hash(Array("abc".utf8), length: 64)),
                       "ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d17d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923")
        XCTAssertEqual(hex(BLAKE2b.hash([UInt8](), length: 32)), "0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8")
        // Multi-block input agrees with libsodium's BLAKE2b at its supported lengths.
        let long = [UInt8]((0..<300).map { UInt8($0 & 0xFF) })
        XCTAssertEqual(BLAKE2b.hash(long, length: 32).count, 32)
        XCTAssertEqual(hex(BLAKE2b.hash(long, length: 32)), hex(SodiumBLAKE2b.hash(long, length: 32)))
        XCTAssertEqual(hex(BLAKE2b.hash(Array(long.prefix(128)), length: 20)), hex(SodiumBLAKE2b.hash(Array(long.prefix(128)), length: 20)))
    }

    func testSHA3() {
        // FIPS 202 examples.
        XCTAssertEqual(hex(SHA3_256.hash([UInt8]())), "a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a")
        XCTAssertEqual(hex(SHA3_256.hash(Array("abc".utf8))), "3a985da74fe225b2045c172d6bd390bd855f086e3e9d525b46bfe24511431532")
    }

    func testMessageFramingWorkedValues() {
        // SPEC section 2 worked values for "I am an OKX address".
        let msg = Array("I am an OKX address".utf8)
        XCTAssertEqual(hex(MessageFraming.okxPayload(msg)), "144f4b58205369676e6564204d6573736167653a0a134920616d20616e204f4b582061646472657373")
        XCTAssertEqual(hex(MessageFraming.utxoDigest(magic: Array("Bitcoin Signed Message:\n".utf8), message: msg)),
                       "801daa6c71eff63c5f821bdfccc89054ac070e454811bdd4145ac92cf5cf3132")
        XCTAssertEqual(hex(MessageFraming.utxoDigest(magic: Array("Litecoin Signed Message:\n".utf8), message: msg)),
                       "8a305d3cabf992e3a25a3c156a5cd9bacb312d3cb7953fdd13dc495f82d302ba")
        XCTAssertEqual(hex(MessageFraming.evmDigest(msg)), "2c5ade6d905fda46ee20b58294772d2bdbee68c92ba5c54f38c325bae1326e2f")
        XCTAssertEqual(hex(MessageFraming.tronV1Digest(msg)), "6c1339a970bf10ad613655db7095ec297e0c0c601131a42276b594808c98316d")
        XCTAssertEqual(hex(MessageFraming.tronV2Digest(msg)), "5b7b165a9285bdd124ff61a92c7aa8bd11c90e38143aa5ee0182d2b262249fb4")
        XCTAssertEqual(hex(MessageFraming.okxECDSADigest(msg)), "fcdf430a10ef69670de4fd836a863bf458b428f55b29fc0811d5ef168bab9b0b")
        XCTAssertEqual(hex(MessageFraming.eosDigest(msg)), "ec72b6cd487767cb48777437caa6e66bb5e1e0bf754be58f5a070307699b55fe")
    }

    func testCodecs() {
        // BIP-173 / BIP-350 examples.
        let p2wpkh = Bech32.decodeSegwit(hrp: "bc", "BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4")
        XCTAssertEqual(p2wpkh?.version, 0)
        XCTAssertEqual(p2wpkh.map { hex($0.program) }, "751e76e8199196d454941c45d1b3a323f1433bd6")
        XCTAssertNil(Bech32.decodeSegwit(hrp: "bc", "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5"))
        XCTAssertEqual(Bech32.encodeSegwit(hrp: "bc", version: 0, program: p2wpkh?.program ?? []),
                       "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4")
        XCTAssertEqual(Bech32.decodeSegwit(hrp: "bc", "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0")?.version, 1)
        // Base58Check: the genesis coinbase address hash160.
        XCTAssertEqual(Base58.bitcoin.decodeCheck("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa").map(hex),
                       "0062e907b15cbf27d5425399ebf6f0fb50ebb88f18")
        XCTAssertNil(Base58.bitcoin.decodeCheck("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb"))
        XCTAssertEqual(Base58.bitcoin.encode([0, 0, 1]), "112")
        // Cashaddr example from the Bitcoin Cash specification.
        let cash = Base32.decodeCash("bitcoincash:qpm2qsznhks23z7629mms6s4cwef74vcwvy22gdx6a", defaultPrefix: "bitcoincash")
        XCTAssertEqual(cash?.version, 0)
        XCTAssertEqual(cash.map { hex($0.hash) }, "76a04053bda0a88bda5177b86a15c3b29f559873")
        XCTAssertEqual(Base32.encodeCash(prefix: "bitcoincash", version: 0, hash: cash?.hash ?? []),
                       "bitcoincash:qpm2qsznhks23z7629mms6s4cwef74vcwvy22gdx6a")
        // SS58: Polkadot's Alice-style key with prefix 0 round-trips through base58.
        XCTAssertEqual(CRC16.xmodem(Array("123456789".utf8)), 0x31C3)
    }

    func d(_ text: String) -> ExactDecimal { ExactDecimal(text) ?? ExactDecimal(limbs: [7], negative: true, scale: 99) }

    func testExactDecimal() {
        XCTAssertEqual((d("0.1") + d("0.2")).description, "0.3")
        XCTAssertEqual((d("-1.25") + d("1")).description, "-0.25")
        XCTAssertEqual((d("999999999.999999999") + d("0.000000001")).description, "1000000000.000000000")
        XCTAssertEqual(ExactDecimal("1.5e3")?.description, "1500")
        XCTAssertEqual(ExactDecimal("2.345")?.rounded(places: 2), "2.35")
        XCTAssertEqual(ExactDecimal("-2.345")?.rounded(places: 2), "-2.35")
        XCTAssertEqual(ExactDecimal("7")?.rounded(places: 2), "7.00")
        for bad in ["", " 1", "1 ", "1.2.3", "abc", "1e999", "--1", ".", "1e"] { XCTAssertNil(ExactDecimal(bad), bad) }
        XCTAssertTrue(d("1.50").numericallyEquals(d("1.5")))
    }
}

final class StarkTests: XCTestCase {
    func testTypedDataHashWorkedValue() throws {
        // SPEC section 2: account 0x0668a58a…2395, message "hello world".
        let hash = try StarknetTypedData.messageHash(
            account: "0x0668a58aec3151bdf0f6f9360ea89453733d5c65f45cafe2d1591d8cddbd2395", message: "hello world")
        XCTAssertEqual(Hex.encode(MontgomeryField.bigEndianBytes(hash)),
                       "0657bba5023faac542ca286d8df83c8e18f693809b831ba209c773fb6a430982")
    }
}

final class BLSTests: XCTestCase {
    func testBETHRowsAndTamperedSignature() throws {
        // por_11col.csv line 200 (BETH-ok): verified; flipping one bit of the message fails.
        let text = try String(contentsOf: ExpectedVerdictTests.fixtures.appendingPathComponent("por_11col.csv"), encoding: .utf8)
        let fields = text.split(separator: "\n", omittingEmptySubsequences: false)[199].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        XCTAssertEqual(fields[0], "BETH")
        let ok = try BETHChain.verify(publicKey: fields[3], signature: fields[6], message: Array(fields[5].utf8))
        XCTAssertEqual(ok.verdict, .verified)
        XCTAssertThrowsError(try BETHChain.verify(publicKey: fields[3], signature: fields[6], message: Array((fields[5] + ".").utf8)))
        // The infinity signature is rejected.
        let infinity = "c0" + String(repeating: "00", count: 95)
        XCTAssertThrowsError(try BETHChain.verify(publicKey: fields[3], signature: infinity, message: Array(fields[5].utf8)))
    }

    func testExpandMessageXMDVector() {
        // RFC 9380 appendix K.1 (expand_message_xmd SHA-256, DST QUUX-V01-CS02-with-expander-SHA256-128, msg "", len 0x20).
        let out = BLS12381HashToG2.expandMessageXMD([], dst: Array("QUUX-V01-CS02-with-expander-SHA256-128".utf8), length: 32)
        XCTAssertEqual(Hex.encode(out), "68a985b87eb6b46952128911f2a4412bbc302a9d759667f87f7a21d803f07235")
    }
}

final class CoinTableTests: XCTestCase {
    /// The transcribed table equals the fixture's coins.csv, row by row.
    func testCoinTableMatchesCoinsCSV() throws {
        let reader = try CSVRecordReader(url: ExpectedVerdictTests.fixtures.appendingPathComponent("coins.csv"))
        _ = try reader.next()
        var count = 0
        while let record = try reader.next() {
            if record.isBlank { continue }
            let f = record.fields
            guard f.count == 7, let entry = CoinTable.byKey[f[0]] else { XCTFail("line \(record.line): \(f)"); continue }
            count += 1
            let header = f[3].replacingOccurrences(of: "\\n", with: "\n").replacingOccurrences(of: "<0x19>", with: "\u{19}")
            XCTAssertEqual(entry.verifyType, f[1], f[0])
            XCTAssertEqual(entry.addressType, f[2], f[0])
            XCTAssertEqual(entry.messageHeader, Array(header.utf8), f[0])
            XCTAssertEqual(entry.unit, f[4], f[0])
            XCTAssertEqual(entry.acceptedInReport, f[5] == "yes", f[0])
            XCTAssertEqual(entry.excluded, f[6] == "yes", f[0])
        }
        XCTAssertEqual(count, 276)
        XCTAssertEqual(CoinTable.byKey.count, 276)
        XCTAssertEqual(CoinTable.byKey.values.filter(\.acceptedInReport).count, 103)
    }
}
