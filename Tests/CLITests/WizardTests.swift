import Foundation
import XCTest

/// The wizard driven through a pipe: what a user who pastes and answers prompts sees and gets.
final class WizardPipeTests: XCTestCase {
    var porcheck: PorcheckProcess!
    let v2 = PorcheckProcess.fixtures.appendingPathComponent("por-v2")

    override func setUpWithError() throws { porcheck = PorcheckProcess() }
    override func tearDownWithError() throws { porcheck.cleanUp() }

    func wizard(_ lines: [String]) throws -> PorcheckProcess.Result {
        try porcheck.run([], stdin: Data((lines.joined(separator: "\n") + "\n").utf8))
    }

    func savedProofs() -> [URL] {
        let audits = porcheck.dataDir.appendingPathComponent("audits")
        guard let e = FileManager.default.enumerator(at: audits, includingPropertiesForKeys: nil) else { return [] }
        return e.compactMap { $0 as? URL }.filter { $0.lastPathComponent.hasSuffix("_inclusion_proof.json") }
    }

    func testPasteSaveAskAndVerify() throws {
        let proof = try String(contentsOf: v2.appendingPathComponent("one-level/idx050_batch3_middle_inclusion_proof.json"), encoding: .utf8)
        let sum = v2.appendingPathComponent("one-level/sum_proof_data.json").path
        let first = try wizard([proof, sum, "q"])
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertTrue(first.stdout.contains("Recognised: a zk-STARK v2 inclusion proof for account b2337017"), first.stdout)
        XCTAssertTrue(first.stdout.contains("Saved your proof as "), first.stdout)
        XCTAssertTrue(first.stdout.contains("Path to sum_proof_data.json"), first.stdout)
        XCTAssertTrue(first.stdout.contains("Inclusion constraint validation passed"), first.stdout)
        XCTAssertFalse(first.stdout.contains("\u{1B}["), "no escape codes on a pipe")
        let saved = savedProofs()
        XCTAssertEqual(saved.count, 1)
        let url = try XCTUnwrap(saved.first)
        XCTAssertEqual(try Data(contentsOf: url), Data(proof.utf8))
        let mode = try XCTUnwrap(FileManager.default.attributesOfItem(atPath: url.path)[.posixPermissions] as? NSNumber)
        XCTAssertEqual(mode.intValue & 0o777, 0o600)

        // The next time, the round's global proof is already in the store: no question asked, and
        // the proof is filed under its round.
        let other = try String(contentsOf: v2.appendingPathComponent("one-level/idx000_batch0_first_inclusion_proof.json"), encoding: .utf8)
        let second = try wizard([other, "q"])
        XCTAssertFalse(second.stdout.contains("Path to sum_proof_data.json"), second.stdout)
        XCTAssertTrue(second.stdout.contains("already in porcheck's store"), second.stdout)
        XCTAssertTrue(second.stdout.contains("round-1001/"), second.stdout)
        XCTAssertTrue(second.stdout.contains("Inclusion constraint validation passed"), second.stdout)
    }

    func testMultiLinePasteAndAZippedGlobalProof() throws {
        let proofURL = v2.appendingPathComponent("two-level/idx150_batch37_middle_inclusion_proof.json")
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: proofURL))
        let pretty = String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted]), as: UTF8.self)
        XCTAssertGreaterThan(pretty.split(separator: "\n").count, 100)
        let zipDir = porcheck.dataDir.deletingLastPathComponent().appendingPathComponent("zip-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: zipDir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: zipDir) }
        let zip = zipDir.appendingPathComponent("liability report.zip")
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/zip")
        p.currentDirectoryURL = v2.appendingPathComponent("two-level")
        p.arguments = ["-q", zip.path, "sum_proof_data.json"]
        try p.run()
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0)
        // The path is given the way a terminal pastes a dragged file: quoted.
        let result = try wizard(["1", pretty, "'\(zip.path)'", "q"])
        XCTAssertTrue(result.stdout.contains("Inclusion constraint validation passed"), result.stdout)
        XCTAssertTrue(result.stdout.contains("Audit round 1003"), result.stdout)
    }

    func testBadPastesSaveNothing() throws {
        let proof = try String(contentsOf: v2.appendingPathComponent("one-level/idx050_batch3_middle_inclusion_proof.json"), encoding: .utf8)
        let truncated = String(proof.prefix(proof.count / 2))
        let badHex = try String(contentsOf: v2.appendingPathComponent("one-level/tampered/idx050_sibling_bad_hex_inclusion_proof.json"), encoding: .utf8)
        let cases: [([String], String)] = [
            (["not json at all"], "is neither a menu choice nor JSON"),
            (["{\"hello\": [1, 2, 3]}"], "not a proof format porcheck knows"),
            ([truncated, "", ""], "The paste is incomplete"),
            ([badHex], "sum_tree_siblings[0] is not hexadecimal"),
            (["{\"a\": 1}}"], "unexpected text after the end"),
            ([proof.replacingOccurrences(of: "\"index\":50", with: "\"index\":-1")], "index is -1, not a whole number"),
        ]
        for (lines, message) in cases {
            let result = try wizard(lines + ["q"])
            XCTAssertEqual(result.status, 0)
            XCTAssertTrue(result.stdout.contains(message), "\(message): \(result.stdout.suffix(300))")
        }
        XCTAssertEqual(savedProofs().count, 0)
    }

    func testAHugePasteIsRefusedWithoutSavingAnything() throws {
        let huge = "{\"account\":{\"id\":\"" + String(repeating: "a", count: 50 << 20) + "\"}}"
        let result = try wizard([huge, "q"])
        XCTAssertEqual(result.status, 0)
        XCTAssertTrue(result.stdout.contains("larger than 16 MB"), String(result.stdout.suffix(300)))
        XCTAssertEqual(savedProofs().count, 0)
    }

    func testTheWalletListStep() throws {
        let list = PorcheckProcess.fixtures.appendingPathComponent("wallets/okx_real/test.csv").path
        let result = try wizard(["8", list, "q"])
        XCTAssertTrue(result.stdout.contains("Wallet list (CSV path, zip, or https:// URL"), result.stdout)
        XCTAssertTrue(result.stdout.contains("test.csv: 9 rows"), result.stdout)
        XCTAssertTrue(result.stdout.contains("Recorded in history as #1."), result.stdout)
    }

    func testEndOfInputLeavesCleanly() throws {
        let result = try porcheck.run([], stdin: Data())
        XCTAssertEqual(result.status, 0)
        XCTAssertTrue(result.stdout.hasSuffix("Bye.\n"), result.stdout)
    }
}
