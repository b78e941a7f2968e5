import XCTest
import JSONReader

final class JSONParserTests: XCTestCase {
    func parse(_ text: String) throws -> JSONValue { try JSONParser.parse(Array(text.utf8)) }

    func failure(_ text: String) -> JSONParseError? {
        do { _ = try parse(text); return nil } catch { return error as? JSONParseError }
    }

    func testValuesAndExactNumbers() throws {
        let v = try parse(#" {"a": [0, 18446744069414584320, 18446744073709551616, -3, 1.5, 2e3], "b": "x\"\u00e9\ud83d\ude00", "c": [true, false, null], "d": {}} "#)
        XCTAssertEqual(v["a"], .array([.unsigned(0), .unsigned(18_446_744_069_414_584_320), .number("18446744073709551616"),
                                       .number("-3"), .number("1.5"), .number("2e3")]))
        XCTAssertEqual(v["b"], .string("x\"é😀"))
        XCTAssertEqual(v["c"], .array([.bool(true), .bool(false), .null]))
        XCTAssertEqual(v["d"], .object([]))
        XCTAssertNil(v["missing"])
        // Numbers beyond 2^251 (zk-STARK v1 sums) keep every digit.
        let big = "3618502788666131213697322783095070105623107215331596699973092056135872020481"
        XCTAssertEqual(try parse("[\(big)]"), .array([.number(big)]))
    }

    func testErrorsSayWhereAndWhetherTruncated() {
        XCTAssertEqual(failure("{\"a\": [1, 2")?.truncated, true)
        XCTAssertEqual(failure("{\"a\": \"abc")?.truncated, true)
        let e = failure("{\n  \"a\": x\n}")
        XCTAssertEqual(e?.line, 2)
        XCTAssertEqual(e?.column, 8)
        XCTAssertEqual(e?.truncated, false)
        XCTAssertNotNil(failure("[01]"))
        XCTAssertNotNil(failure("[1,]"))
        XCTAssertNotNil(failure("{\"a\" 1}"))
        XCTAssertNotNil(failure("[1] 2"))
        XCTAssertNotNil(failure(""))
        XCTAssertNotNil(failure("[\"\u{01}\"]"))
        XCTAssertNotNil(failure("[\"\\ud800\"]"))
    }

    func testDeepNestingIsRefusedNotACrash() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        XCTAssertTrue(failure(deep)?.message.contains("nested more than") ?? false)
        XCTAssertNoThrow(try parse(String(repeating: "[", count: 200) + String(repeating: "]", count: 200)))
    }

    func testInvalidUTF8IsAnError() {
        XCTAssertThrowsError(try JSONParser.parse([0x5B, 0x22, 0xFF, 0xFE, 0x22, 0x5D]))
    }
}
