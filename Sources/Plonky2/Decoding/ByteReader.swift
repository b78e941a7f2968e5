import Field
import Hashing

/// Why bytes could not be decoded: what was being read and where.
public struct DecodingError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// A cursor over little-endian binary data (plonky2's `Buffer` serialization), with every read
/// bounds-checked and every length sanity-capped, so that truncated or hostile input is an error.
struct ByteReader {
    let bytes: [UInt8]
    private(set) var position = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var remaining: Int { bytes.count - position }

    mutating func take(_ n: Int, _ what: String) throws(DecodingError) -> ArraySlice<UInt8> {
        guard n >= 0, n <= remaining else {
            throw DecodingError("truncated: \(what) needs \(n) bytes at offset \(position), only \(remaining) left")
        }
        defer { position += n }
        return bytes[position..<(position + n)]
    }

    mutating func u8(_ what: String) throws(DecodingError) -> UInt8 {
        try take(1, what).first ?? 0
    }

    mutating func u32(_ what: String) throws(DecodingError) -> UInt32 {
        var v: UInt32 = 0
        for (i, b) in try take(4, what).enumerated() { v |= UInt32(b) << (8 * UInt32(i)) }
        return v
    }

    mutating func u64(_ what: String) throws(DecodingError) -> UInt64 {
        var v: UInt64 = 0
        for (i, b) in try take(8, what).enumerated() { v |= UInt64(b) << (8 * UInt64(i)) }
        return v
    }

    /// A `usize` (written as u64), refused above `limit` so that a corrupt length cannot make the
    /// decoder allocate or loop without bound.
    mutating func size(_ what: String, limit: Int = 1 << 20) throws(DecodingError) -> Int {
        let v = try u64(what)
        guard v <= UInt64(limit) else { throw DecodingError("\(what) is \(v), more than \(limit) (corrupt data?)") }
        return Int(v)
    }

    mutating func bool(_ what: String) throws(DecodingError) -> Bool {
        switch try u8(what) {
        case 0: return false
        case 1: return true
        case let b: throw DecodingError("\(what) is \(b), not a boolean (0 or 1)")
        }
    }

    mutating func field(_ what: String) throws(DecodingError) -> Goldilocks {
        let v = try u64(what)
        guard let g = Goldilocks(canonical: v) else { throw DecodingError("\(what) = \(v) is not below the Goldilocks modulus") }
        return g
    }

    mutating func hash(_ what: String) throws(DecodingError) -> HashOut {
        var limbs = [Goldilocks]()
        for i in 0..<4 { limbs.append(try field("\(what) limb \(i)")) }
        return HashOut(limbs[0], limbs[1], limbs[2], limbs[3])
    }

    mutating func sizes(_ what: String) throws(DecodingError) -> [Int] {
        let n = try size("length of \(what)", limit: 4096)
        var out = [Int]()
        for i in 0..<n { out.append(try size("\(what)[\(i)]")) }
        return out
    }
}
