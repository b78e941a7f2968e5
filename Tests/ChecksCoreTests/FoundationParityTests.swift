import Foundation
import XCTest
@testable import ChecksCore
import JSONReader
import LiabilitiesCore

/// ChecksCore and LiabilitiesCore do without Foundation what the full porcheck did with it, and
/// the lean front's output must be the full porcheck's byte for byte: each stand-in is checked
/// here against the Foundation call it replaces, on inputs chosen to reach its corners.
final class FoundationParityTests: XCTestCase {
    func testSerializationTextIsJSONSerializationsOutput() throws {
        var tricky = ""
        for c in 0..<0x20 { tricky.unicodeScalars.append(Unicode.Scalar(UInt8(c))) }
        tricky += "\u{7F}/a\\b\"c é \u{2028}\u{2029} 😀 \u{FEFF} ~"
        let strings = ["", "plain", tricky, "/work/main/Tests/Fixtures/por-v2/one-level/sum_proof_data.json", "a\u{0}b"]
        for s in strings {
            let value = JSONValue.object([
                ("warnings", .array([.string(s), .string("x")])), ("file", .string(s)), ("verified", .bool(true)),
                ("history_id", .unsigned(42)), ("account_prefix", .string(s)), ("accounts", .array([])),
                ("debt_total", .string("0")), ("debt", .string("1")), ("okx_verdict", .bool(false)),
                ("totals", .object([("net", .string("-5")), ("equity", .string(s))])), ("empty", .object([])),
            ])
            let reference: [String: Any] = [
                "warnings": [s, "x"], "file": s, "verified": true, "history_id": Int64(42), "account_prefix": s,
                "accounts": [Any](), "debt_total": "0", "debt": "1", "okx_verdict": false,
                "totals": ["net": "-5", "equity": s], "empty": [String: Any](),
            ]
            let data = try JSONSerialization.data(withJSONObject: reference, options: [.sortedKeys, .withoutEscapingSlashes])
            XCTAssertEqual(value.serializationText, String(decoding: data, as: UTF8.self), "for \(s.debugDescription)")
        }
    }

    func testLastComponentIsURLs() {
        for path in ["a.json", "dir/a.json", "/abs/dir/a.json", "./a.json", "dir//a.json", "dir/sub/", "/", "a b/ç.json", "../x/y_inclusion_proof.json"] {
            XCTAssertEqual(PathText.lastComponent(path), URL(fileURLWithPath: path).lastPathComponent, path)
        }
    }

    func testPaddedIsNSStringPadding() {
        for text in ["", "BTC", "USDT", "12345678", "LONGTOKEN9", "é", "#141", "😀x"] {
            XCTAssertEqual(PathText.padded(text, toLength: 8), text.padding(toLength: 8, withPad: " ", startingAt: 0), text)
        }
    }

    func testTrimmingIsCharacterSets() {
        var odd = [Unicode.Scalar]()
        for v: UInt32 in [0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2000, 0x200A, 0x200B, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000, 0xFEFF] {
            odd.append(Unicode.Scalar(v)!)
        }
        for scalar in odd {
            let s = "\(scalar)ab c\(scalar)"
            XCTAssertEqual(TextTrimming.trimmingWhitespaceAndNewlines(s), s.trimmingCharacters(in: .whitespacesAndNewlines), "U+\(String(scalar.value, radix: 16))")
            XCTAssertEqual(TextTrimming.trimmingWhitespace(s), s.trimmingCharacters(in: .whitespaces), "U+\(String(scalar.value, radix: 16))")
        }
        XCTAssertEqual(TextTrimming.trimmingWhitespaceAndNewlines(" \n\t "), "")
    }

    /// A folder's entries are shown as the full porcheck names them,
    /// `URL(fileURLWithPath: folder).appendingPathComponent(name).path`; forms Foundation
    /// rewrites in other ways are declined.
    func testEntryBaseIsURLsOrDeclined() {
        let cwd = FileManager.default.currentDirectoryPath
        for folder in ["/abs/dir", "/abs/dir/", "/abs//dir", "/abs/./dir", "/", "Resources/demo", "Resources/demo/", "a b/c", "x"] {
            let expected = URL(fileURLWithPath: folder).appendingPathComponent("n.json").path
            XCTAssertEqual(LeanVerify.entryBase(folder).map { $0 + "n.json" }, expected, folder)
        }
        for folder in ["./Resources", "a/../b", "a//b", "~/x", ".", ".."] {
            XCTAssertNil(LeanVerify.entryBase(folder), folder)
        }
        XCTAssertTrue(LeanVerify.entryBase("x")?.hasPrefix(cwd) ?? false)
    }

    /// Two names the full porcheck takes as one file (and checks once) are one here too.
    func testStandardizedIsAtLeastAsCoarseAsURLs() {
        let pairs = [("a.json", "./a.json"), ("d/a.json", "d/../d/a.json"), ("/x/y.json", "/x//y.json"), ("/x/y.json", "/x/./y.json")]
        for (a, b) in pairs {
            let foundationSame = URL(fileURLWithPath: a).standardizedFileURL.path == URL(fileURLWithPath: b).standardizedFileURL.path
            if foundationSame { XCTAssertEqual(LeanVerify.standardized(a), LeanVerify.standardized(b), "\(a) \(b)") }
        }
        XCTAssertNotEqual(LeanVerify.standardized("/x/a.json"), LeanVerify.standardized("/x/b.json"))
    }

    func testTheVerifyLineReaderTakesPlainFormsOnly() {
        XCTAssertEqual(VerifyInvocation(arguments: ["verify", "--no-record", "a", "--data-dir", "d"]),
                       VerifyInvocation(dataDir: "d", noRecord: true, paths: ["a"]))
        XCTAssertEqual(VerifyInvocation(arguments: ["--data-dir", "d", "verify", "--json", "a", "b"]),
                       VerifyInvocation(dataDir: "d", json: true, paths: ["a", "b"]))
        for line in [["verify"], ["verify", "--no-record"], ["verify", "--json", "--json", "a"], ["verify", "--help"],
                     ["verify", "--data-dir=d", "a"], ["verify", "-x"], ["wallets", "a"], ["verify", "history"],
                     ["verify", "--data-dir", "a", "--data-dir", "b", "c"], ["verify", "--trust-circuit"]] {
            XCTAssertNil(VerifyInvocation(arguments: line), "\(line)")
        }
    }
}

final class PeakMemoryTests: XCTestCase {
    /// The peak only grows: a reading between two of Foundation's lies between them.
    func testPeakMemoryIsVmHWM() throws {
        func foundationReading() throws -> Int {
            let status = try String(contentsOfFile: "/proc/self/status", encoding: .utf8)
            let line = try XCTUnwrap(status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") })
            return try XCTUnwrap(Int(line.split(separator: " ", omittingEmptySubsequences: true)[1]))
        }
        let before = try foundationReading()
        let ours = PeakMemory.selfPeakKiB()
        let after = try foundationReading()
        XCTAssertGreaterThan(ours, 1000)
        XCTAssertLessThanOrEqual(before, ours)
        XCTAssertLessThanOrEqual(ours, after)
    }
}
