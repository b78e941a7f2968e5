import Checks
import Foundation
import History
import XCTest

/// `porcheck` is a lean front without Foundation: it runs `verify --no-record` on zk-STARK v2 files
/// itself and execs `porcheck-full` for everything else. Its own output must be the full
/// porcheck's byte for byte, and whatever it declines must reach the full porcheck unchanged.
final class LeanFrontTests: XCTestCase {
    var porcheck: PorcheckProcess!
    var fakeFull: URL!
    let v2 = PorcheckProcess.fixtures.appendingPathComponent("por-v2")

    override func setUpWithError() throws {
        porcheck = PorcheckProcess()
        // Stands in for porcheck-full where a test must see which path ran: it prints its arguments.
        fakeFull = FileManager.default.temporaryDirectory.appendingPathComponent("porcheck-fake-full-\(UUID().uuidString)")
        try "#!/bin/sh\necho \"full porcheck: $*\"\n".write(to: fakeFull, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: fakeFull.path)
    }

    override func tearDown() {
        porcheck.cleanUp()
        try? FileManager.default.removeItem(at: fakeFull)
    }

    static var fullBinary: URL {
        PorcheckProcess.binary.deletingLastPathComponent().appendingPathComponent("porcheck-full")
    }

    /// Runs a binary with the test environment, in `directory`.
    func run(_ binary: URL, _ arguments: [String], in directory: URL? = nil, environment extra: [String: String] = [:]) throws -> PorcheckProcess.Result {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.environment = PorcheckProcess.environment(extra)
        if let directory { process.currentDirectoryURL = directory }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        nonisolated(unsafe) var errData = Data()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async { errData = err.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        group.wait()
        return .init(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                     stderr: String(decoding: errData, as: UTF8.self))
    }

    func testTheFrontChecksV2FilesItselfWithTheFullPorchecksOutput() throws {
        let one = v2.appendingPathComponent("one-level").path, two = v2.appendingPathComponent("two-level").path
        let demo = PorcheckProcess.repositoryRoot.appendingPathComponent("Resources/demo").path
        let data = porcheck.dataDir.path
        var lines: [[String]] = [
            ["verify", "--no-record", demo],
            ["verify", "--no-record", "--json", demo + "/"],
            ["--data-dir", data, "verify", "--no-record", "Resources/demo"],
            // OKX's folders as its prover writes them: other files beside the proofs are skipped.
            ["verify", "--no-record", one], ["verify", "--no-record", "--json", two + "/"],
            ["verify", "--no-record", "\(one)/sum_proof_data.json", "\(one)/idx050_batch3_middle_inclusion_proof.json",
             "\(one)/idx000_batch0_first_inclusion_proof.json"],
            ["verify", "--no-record", "--json", "\(two)/sum_proof_data.json", "\(two)/idx150_batch37_middle_inclusion_proof.json",
             "\(two)/idx256_batch64_first_2nd_group_inclusion_proof.json"],
            // Two rounds at once: each inclusion proof goes with the global proof whose root it reaches.
            ["verify", "--no-record", "\(one)/sum_proof_data.json", "\(two)/sum_proof_data.json",
             "\(two)/idx000_batch0_first_inclusion_proof.json", "\(one)/idx050_batch3_middle_inclusion_proof.json"],
            ["verify", "--no-record", "--trust-circuit", String(repeating: "ab", count: 32), "\(one)/sum_proof_data.json"],
            // The real round's circuit-less file uses the built-in circuit.
            ["verify", "--no-record", "\(one)/tampered/sum_proof_data.no_circuits_info.json"],
        ]
        // Failing checks: each tampered global proof, and tampered inclusion proofs that still parse.
        for name in ["fri_final_poly", "fri_pow_witness", "pi_equity_plus1", "root_vd_digest", "wires_cap", "branchout_32"] {
            lines.append(["verify", "--no-record", "--json", "\(one)/tampered/sum_proof_data.\(name).json", "\(one)/idx050_batch3_middle_inclusion_proof.json"])
        }
        for name in ["debt_plus1", "equity_moved_between_tokens_sum_kept", "sum_sibling_flipped", "index_changed"] {
            lines.append(["verify", "--no-record", "\(one)/sum_proof_data.json", "\(one)/tampered/idx050_\(name)_inclusion_proof.json"])
        }
        for line in lines {
            let args = line.first == "--data-dir" ? line : line + ["--data-dir", data]
            let front = try run(PorcheckProcess.binary, args, in: PorcheckProcess.repositoryRoot)
            let full = try run(Self.fullBinary, args, in: PorcheckProcess.repositoryRoot)
            XCTAssertEqual(front.stdout, full.stdout, "\(line)")
            XCTAssertEqual(front.stderr, full.stderr, "\(line)")
            XCTAssertEqual(front.status, full.status, "\(line)")
            XCTAssertTrue(front.stdout.contains("constraint validation") || front.stdout.contains("\"checks\""), "\(line): \(front.stdout.prefix(200))")
            // The front did it alone: with the full porcheck swapped out, the output is the same.
            let alone = try run(PorcheckProcess.binary, args, in: PorcheckProcess.repositoryRoot,
                                environment: ["PORCHECK_FULL_BINARY": fakeFull.path])
            XCTAssertEqual(alone.stdout, full.stdout, "\(line) did not run in the front")
            XCTAssertEqual(alone.status, full.status, "\(line)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: porcheck.dataDir.appendingPathComponent("history.sqlite").path))
    }

    func testWhatTheFrontDeclinesReachesTheFullPorcheckUnchanged() throws {
        let one = v2.appendingPathComponent("one-level").path
        let data = porcheck.dataDir.path
        let zip = FileManager.default.temporaryDirectory.appendingPathComponent("porcheck-lean-\(UUID().uuidString).zip")
        defer { try? FileManager.default.removeItem(at: zip) }
        let zipper = Process()
        zipper.executableURL = URL(fileURLWithPath: "/usr/bin/zip")
        zipper.arguments = ["-q", "-j", zip.path, "\(one)/sum_proof_data.json"]
        try zipper.run()
        zipper.waitUntilExit()
        // A folder holding a v2 global proof and an earlier format's files.
        let mixed = FileManager.default.temporaryDirectory.appendingPathComponent("porcheck-lean-mixed-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: mixed) }
        try FileManager.default.createDirectory(at: mixed, withIntermediateDirectories: true)
        let legacy = PorcheckProcess.fixtures.appendingPathComponent("legacy")
        for (source, name) in [("\(one)/sum_proof_data.json", "sum_proof_data.json"),
                               (legacy.appendingPathComponent("merkle-v1/merkle_proof_file.json").path, "merkle_proof_file.json")] {
            try FileManager.default.copyItem(atPath: source, toPath: mixed.appendingPathComponent(name).path)
        }
        let withTree = mixed.appendingPathComponent("tree")
        try FileManager.default.createDirectory(at: withTree, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: "\(one)/sum_proof_data.json", toPath: withTree.appendingPathComponent("sum_proof_data.json").path)
        try FileManager.default.copyItem(atPath: legacy.appendingPathComponent("merkle-v2/full-liabilities-merkle-tree.txt").path,
                                         toPath: withTree.appendingPathComponent("full-liabilities-merkle-tree.txt").path)
        let lines: [[String]] = [
            ["verify", "\(one)/sum_proof_data.json"],                                   // recorded
            ["verify", "--no-record", mixed.path],                                     // an earlier format's file beside
            ["verify", "--no-record", withTree.path],                                  // a Merkle v2 tree file beside
            ["verify", "--no-record", legacy.appendingPathComponent("stark-v1/valid/stark_fullcfg").path],
            ["verify", "--no-record", zip.path],                                       // a zip
            ["verify", "--no-record", "\(one)/idx050_batch3_middle_inclusion_proof.json"],  // no global proof: the store may keep one
            ["verify", "--no-record", PorcheckProcess.fixtures.appendingPathComponent("legacy/merkle-v1/merkle_proof_file.json").path],
            ["verify", "--no-record", "\(one)/tampered/sum_proof_data.truncated.json"],    // an error: the full porcheck words it
            ["verify", "--no-record", "\(one)/tampered/idx050_truncated_inclusion_proof.json", "\(one)/sum_proof_data.json"],
            ["verify", "--no-record", "/nonexistent/sum_proof_data.json"],
            ["verify", "--no-record", "--trust-circuit", "not-hex", "\(one)/sum_proof_data.json"],
            ["verify", "--no-record", "\(one)/sum_proof_data.json", "\(one)/./sum_proof_data.json"],  // the same file twice
            ["verify", "--no-record", "--json", "--json", "\(one)/sum_proof_data.json"],
            ["history"], ["--help"], ["demo", "--json"], [],
        ]
        for line in lines {
            let args = line + ["--data-dir", data]
            let declined = try run(PorcheckProcess.binary, args, environment: ["PORCHECK_FULL_BINARY": fakeFull.path])
            XCTAssertEqual(declined.stdout, "full porcheck: \(args.joined(separator: " "))\n", "\(line)")
            XCTAssertEqual(declined.status, 0, "\(line)")
        }
        // A pinned circuit in the data directory is read by the full porcheck.
        try FileManager.default.createDirectory(at: porcheck.dataDir, withIntermediateDirectories: true)
        try "# mine\n".write(to: porcheck.dataDir.appendingPathComponent("trusted-circuits.txt"), atomically: true, encoding: .utf8)
        let pinned = try run(PorcheckProcess.binary, ["verify", "--no-record", "\(one)/sum_proof_data.json", "--data-dir", data],
                             environment: ["PORCHECK_FULL_BINARY": fakeFull.path])
        XCTAssertTrue(pinned.stdout.hasPrefix("full porcheck: "), pinned.stdout)
        // And through the real full porcheck, the declined lines work as before.
        let error = try run(PorcheckProcess.binary, ["verify", "--no-record", "/nonexistent/sum_proof_data.json", "--data-dir", data])
        XCTAssertEqual(error.status, 2)
        XCTAssertEqual(error.stderr, "porcheck: /nonexistent/sum_proof_data.json: no such file or folder\n")
    }

    func testAMissingFullPorcheckIsOneLineAndExitCode2() throws {
        let result = try run(PorcheckProcess.binary, ["history", "--data-dir", porcheck.dataDir.path],
                             environment: ["PORCHECK_FULL_BINARY": "/nonexistent/porcheck-full"])
        XCTAssertEqual(result.status, 2)
        XCTAssertEqual(result.stderr, "porcheck: cannot start /nonexistent/porcheck-full (No such file or directory); it is installed beside porcheck\n")
    }

    /// The point of the front: Foundation is not in it (its code, not only its calls, costs
    /// memory at start). Foundation's mangled names all carry its module name.
    func testTheFrontHasNoFoundation() throws {
        let bytes = try Data(contentsOf: PorcheckProcess.binary)
        XCTAssertGreaterThan(bytes.count, 100_000)
        for marker in ["10Foundation", "FoundationEssentials", "CoreFoundation", "_CFInitialize"] {
            XCTAssertNil(bytes.range(of: Data(marker.utf8)), "the front links \(marker)")
        }
        let full = try Data(contentsOf: Self.fullBinary)
        XCTAssertNotNil(full.range(of: Data("10Foundation".utf8)), "the marker would not show Foundation")
    }

    /// The front looks for `trusted-circuits.txt` where the store lives: the same rule as
    /// `Store.defaultDirectory`, written twice (History has Foundation, the front has not).
    func testTheFrontsDataDirectoryIsTheStoresDefault() throws {
        let saved = ProcessInfo.processInfo.environment["XDG_DATA_HOME"]
        defer { if let saved { setenv("XDG_DATA_HOME", saved, 1) } else { unsetenv("XDG_DATA_HOME") } }
        for xdg in [nil, "", "relative/dir", "/abs/data"] {
            if let xdg { setenv("XDG_DATA_HOME", xdg, 1) } else { unsetenv("XDG_DATA_HOME") }
            XCTAssertEqual(LeanVerify.defaultDataDirectory(), Store.defaultDirectory().path, "XDG_DATA_HOME=\(xdg ?? "unset")")
        }
    }
}
