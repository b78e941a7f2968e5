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

    /// Whole numbers of every length around the 8-digit chunks and the 64-bit limit, ending at a
    /// separator, a bracket, a fraction, or the very end of the document.
    func testWholeNumbersOfEveryLength() throws {
        var digits = ""
        for n in 1...25 {
            digits += String((n * 7) % 10)  // starts with 7: no leading zero
            let expected: JSONValue = UInt64(digits).map { .unsigned($0) } ?? .number(digits)
            XCTAssertEqual(try parse(digits), expected, digits)
            XCTAssertEqual(try parse("[\(digits),\(digits)]"), .array([expected, expected]), digits)
            XCTAssertEqual(try parse("[\(digits)]"), .array([expected]), digits)
            XCTAssertEqual(try parse("\(digits).5"), .number(digits + ".5"))
            XCTAssertNotNil(failure("[\(digits)x]"))
        }
        XCTAssertEqual(try parse("18446744073709551615"), .unsigned(UInt64.max))
        XCTAssertEqual(try parse("18446744073709551616"), .number("18446744073709551616"))
        XCTAssertEqual(try parse("99999999999999999999"), .number("99999999999999999999"))
        XCTAssertNotNil(failure("[12345678:]"))
    }

    /// Lists and objects are assembled from a shared scratch stack: nesting, siblings and
    /// order must come out exactly as written.
    func testNestedListsAndObjectsKeepTheirShape() throws {
        let v = try parse(#"{"a": [[1, [2, 3]], [], {"k": [4, {"m": 5}], "n": []}, 6], "b": {"c": {"d": [7]}}, "e": [8]}"#)
        XCTAssertEqual(v, .object([
            ("a", .array([.array([.unsigned(1), .array([.unsigned(2), .unsigned(3)])]), .array([]),
                          .object([("k", .array([.unsigned(4), .object([("m", .unsigned(5))])])), ("n", .array([]))]),
                          .unsigned(6)])),
            ("b", .object([("c", .object([("d", .array([.unsigned(7)]))]))])),
            ("e", .array([.unsigned(8)])),
        ]))
        let long = (0..<1000).map(String.init).joined(separator: ",")
        XCTAssertEqual(try parse("[[\(long)],[\(long)]]"), .array([.array((0..<1000).map { .unsigned(UInt64($0)) }),
                                                                 .array((0..<1000).map { .unsigned(UInt64($0)) })]))
        // An error deep inside half-built lists is reported (and what was built is freed).
        XCTAssertEqual(failure("[[1, {\"a\": [2, 3, x]}]]")?.truncated, false)
    }
}
