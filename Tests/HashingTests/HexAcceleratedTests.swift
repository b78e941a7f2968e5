import XCTest
@testable import Hashing

/// CAccel's AVX2 hex decoder (Hex.decodeAccelerated) against the portable per-digit decoding:
/// exactly 0-9, a-f and A-F accepted, at every position of a 32-byte step and of the tail.
final class HexAcceleratedTests: XCTestCase {
    /// The reference: Hex.nibble on each digit.
    func reference(_ text: [UInt8]) -> [UInt8]? {
        guard text.count % 2 == 0 else { return nil }
        var out = [UInt8]()
        for j in 0..<(text.count / 2) {
            guard let hi = Hex.nibble(text[2 * j]), let lo = Hex.nibble(text[2 * j + 1]) else { return nil }
            out.append(hi << 4 | lo)
        }
        return out
    }

    func decoded(_ text: [UInt8]) -> [UInt8]? {
        let count = text.count / 2
        var out = [UInt8](repeating: 0, count: count)
        let ok = text.withUnsafeBufferPointer { t in
            out.withUnsafeMutableBufferPointer { o in
                guard let tb = t.baseAddress, let ob = o.baseAddress else { return count == 0 }
                return Hex.decodeAccelerated(tb, count: count, into: ob)
            }
        }
        return ok ? out : nil
    }

    func testAgreesWithThePortableDecoder() {
        print("AVX2 hex decoder: \(Hex.hasAcceleratedDecoder)")
        let digits = Array("0123456789abcdefABCDEF".utf8)
        var state: UInt64 = 99
        func next() -> Int { state = state &* 6364136223846793005 &+ 1442695040888963407; return Int(state >> 33) }
        for count in Array(0...140) + [255, 256, 257, 5000] {
            let valid = (0..<(2 * count)).map { _ in digits[next() % digits.count] }
            XCTAssertEqual(decoded(valid), reference(valid), "valid, \(count) bytes")
            XCTAssertNotNil(decoded(valid))
        }
        // Every byte value at every position of two 64-digit steps and a tail.
        let base = (0..<(2 * 70)).map { _ in digits[next() % digits.count] }
        for position in 0..<base.count {
            for value in 0...255 {
                var text = base
                text[position] = UInt8(value)
                let isDigit = digits.contains(UInt8(value))
                XCTAssertEqual(decoded(text), reference(text), "byte \(value) at \(position)")
                XCTAssertEqual(decoded(text) != nil, isDigit, "byte \(value) at \(position)")
            }
        }
    }

    func testCaseAndValues() {
        let lower = Array(String(repeating: "0123456789abcdef", count: 8).utf8)
        let upper = Array(String(repeating: "0123456789ABCDEF", count: 8).utf8)
        let expected = (0..<64).map { UInt8(truncatingIfNeeded: ($0 % 8) * 0x22 + 0x01) }
        XCTAssertEqual(decoded(lower), expected)
        XCTAssertEqual(decoded(upper), expected)
        XCTAssertEqual(decoded(Array(String(repeating: "ff", count: 40).utf8)), [UInt8](repeating: 0xFF, count: 40))
        XCTAssertEqual(decoded(Array(String(repeating: "00", count: 40).utf8)), [UInt8](repeating: 0, count: 40))
    }
}
