import Foundation
import Hashing

/// TON wallet addresses of an ed25519 key (SPEC 4.6): wallet v3R2 (subwallet 698983191) and
/// highload wallet v3 (subwallet 4269, timeout 43200 s), workchain 0, bounceable and not.
/// An address is the representation hash of the StateInit cell {code, data}.
enum TONWallets {
    // Representation hashes and depths of the two wallet code cells: public constants, computed
    // from the code BOCs published in the TON wallet sources (as shipped by pytoniq 0.1.43).
    static let v3R2CodeHash = Hex.decode("84dafa449f98a6987789ba232358072bc0f76dc4524002a5d0918b9a75d2d599") ?? []
    static let v3R2CodeDepth = 0
    static let highloadV3CodeHash = Hex.decode("11acad7955844090f283bf238bc1449871f783e7cc0979408d3f4859483e8525") ?? []
    static let highloadV3CodeDepth = 6

    /// Hash of an ordinary cell with `bits` data bits (in `data`, high bit first) and child cells.
    static func cellHash(data: [UInt8], bits: Int, children: [(hash: [UInt8], depth: Int)]) -> [UInt8] {
        let d1 = UInt8(children.count)
        let d2 = UInt8(bits / 8 + (bits + 7) / 8)
        var body = data
        if bits % 8 != 0 {
            // Completion tag: a single 1 bit after the data, then zeros.
            let last = bits / 8
            while body.count <= last { body.append(0) }
            body[last] |= UInt8(0x80) >> UInt8(bits % 8)
            body = Array(body.prefix(last + 1))
        }
        var repr: [UInt8] = [d1, d2] + body
        for child in children { repr += [UInt8((child.depth >> 8) & 0xFF), UInt8(child.depth & 0xFF)] }
        for child in children { repr += child.hash }
        return SHA256.hash(repr)
    }

    static func stateInitHash(codeHash: [UInt8], codeDepth: Int, dataHash: [UInt8]) -> [UInt8] {
        // StateInit bits: split_depth absent, special absent, code present, data present, library absent.
        return cellHash(data: [0b0011_0000], bits: 5,
                        children: [(codeHash, codeDepth), (dataHash, 0)])
    }

    static func bigEndian(_ value: UInt64, bytes: Int) -> [UInt8] {
        (0..<bytes).map { UInt8(truncatingIfNeeded: value >> UInt64(8 * (bytes - 1 - $0))) }
    }

    static func v3R2DataHash(_ key: [UInt8]) -> [UInt8] {
        cellHash(data: bigEndian(0, bytes: 4) + bigEndian(698_983_191, bytes: 4) + key, bits: 320, children: [])
    }

    static func highloadV3DataHash(_ key: [UInt8]) -> [UInt8] {
        // public_key:256 subwallet:32 old_queries:1(empty) queries:1(empty) last_clean:64 timeout:22 = 376 bits.
        var bits = [Bool]()
        func put(_ value: UInt64, _ width: Int) { for i in stride(from: width - 1, through: 0, by: -1) { bits.append((value >> UInt64(i)) & 1 == 1) } }
        for byte in key { put(UInt64(byte), 8) }
        put(4269, 32); put(0, 1); put(0, 1); put(0, 64); put(43_200, 22)
        var data = [UInt8](repeating: 0, count: (bits.count + 7) / 8)
        for (i, bit) in bits.enumerated() where bit { data[i / 8] |= UInt8(0x80) >> UInt8(i % 8) }
        return cellHash(data: data, bits: bits.count, children: [])
    }

    /// User-friendly url-safe base64: tag ‖ workchain ‖ hash ‖ CRC16-XMODEM (big-endian).
    static func friendly(_ hash: [UInt8], bounceable: Bool) -> String {
        let body: [UInt8] = [bounceable ? 0x11 : 0x51, 0x00] + hash
        let crc = CRC16.xmodem(body)
        return Data(body + [UInt8(crc >> 8), UInt8(crc & 0xFF)]).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
    }

    static func addresses(publicKey key: [UInt8]) -> [String] {
        let v3 = stateInitHash(codeHash: v3R2CodeHash, codeDepth: v3R2CodeDepth, dataHash: v3R2DataHash(key))
        let hl = stateInitHash(codeHash: highloadV3CodeHash, codeDepth: highloadV3CodeDepth, dataHash: highloadV3DataHash(key))
        return [friendly(v3, bounceable: true), friendly(v3, bounceable: false),
                friendly(hl, bounceable: true), friendly(hl, bounceable: false)]
    }
}
