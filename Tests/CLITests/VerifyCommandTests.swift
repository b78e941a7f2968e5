import Foundation
import XCTest

/// `porcheck verify`, `history` and `demo` as scripts use them: JSON contract and exit codes.
final class VerifyCommandTests: XCTestCase {
    var porcheck: PorcheckProcess!
    var scratch: URL!

    override func setUpWithError() throws {
        porcheck = PorcheckProcess()
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("porcheck-scratch-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        porcheck.cleanUp()
        try? FileManager.default.removeItem(at: scratch)
    }

    let v2 = PorcheckProcess.fixtures.appendingPathComponent("por-v2")

    func checks(_ result: PorcheckProcess.Result) throws -> [[String: Any]] {
        let top = try PorcheckProcess.json(result.stdout)
        return try XCTUnwrap(top["checks"] as? [[String: Any]])
    }

    func testVerifyAFolderLikeOKXsValidator() throws {
        let result = try porcheck.run(["verify", "--json", v2.appendingPathComponent("one-level").path])
        XCTAssertEqual(result.status, 0, result.stderr)
        let list = try checks(result)
        XCTAssertEqual(list.count, 7, "the global proof and the six *_inclusion_proof.json files")
        for check in list {
            XCTAssertEqual(Set(check.keys).isSuperset(of: ["file", "format", "constraint", "verdict", "reason"]), true)
            XCTAssertEqual(check["format"] as? String, "zk-stark-v2")
        }
        let sum = try XCTUnwrap(list.first { $0["constraint"] as? String == "sum" })
        XCTAssertEqual(sum["verdict"] as? String, "passed", "the plonky2 global proof verifies natively")
        // The fixture's circuit is not one of OKX's published rounds: porcheck says so.
        XCTAssertTrue((sum["warnings"] as? [String] ?? []).contains { $0.contains("not one porcheck knows as OKX's") })
        let inclusions = list.filter { $0["constraint"] as? String == "inclusion" }
        XCTAssertEqual(inclusions.count, 6)
        XCTAssertTrue(inclusions.allSatisfy { $0["verdict"] as? String == "passed" })
    }

    func testTextOutputUsesOKXsSentences() throws {
        let result = try porcheck.run(["verify", v2.appendingPathComponent("two-level/idx150_batch37_middle_inclusion_proof.json").path,
                                       v2.appendingPathComponent("two-level/sum_proof_data.json").path])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("Inclusion constraint validation passed"), result.stdout)
        XCTAssertTrue(result.stdout.contains("Total sum and non-negative constraint validation passed"), result.stdout)
        XCTAssertTrue(result.stdout.contains("Exchange totals (proven by the global proof): equity 638910868378, debt 173011323308, net 465899545070"), result.stdout)
        XCTAssertFalse(result.stdout.contains("\u{1B}["), "no escape codes when not on a terminal")
    }

    func testATamperedProofFailsWithExitCode1AndTheReason() throws {
        let folder = scratch.appendingPathComponent("audit")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: v2.appendingPathComponent("one-level/sum_proof_data.json"), to: folder.appendingPathComponent("sum_proof_data.json"))
        try FileManager.default.copyItem(at: v2.appendingPathComponent("one-level/tampered/idx050_equity_plus1_inclusion_proof.json"),
                                         to: folder.appendingPathComponent("idx050_equity_plus1_inclusion_proof.json"))
        let result = try porcheck.run(["verify", "--json", folder.path])
        XCTAssertEqual(result.status, 1)
        let inclusion = try XCTUnwrap(try checks(result).first { $0["constraint"] as? String == "inclusion" })
        XCTAssertEqual(inclusion["verdict"] as? String, "failed")
        XCTAssertTrue((inclusion["reason"] as? String ?? "").hasPrefix("root mismatch"))
        let text = try porcheck.run(["verify", folder.path])
        XCTAssertTrue(text.stdout.contains("Inclusion constraint validation failed"), text.stdout)
    }

    /// Every tampered global proof of the fixtures fails (exit 1) at the step that catches it;
    /// where OKX's verifier panics, porcheck gives a verdict or a one-line error instead.
    func testTamperedGlobalProofsFailAtTheRightStep() throws {
        let cases: [(String, String)] = [
            ("branchout_32", "recursion_branchout_num is 32"),
            ("fri_final_poly", "FRI proof of work"),
            ("fri_initial_leaf_value", "FRI query 0: the opened leaf of initial tree 1"),
            ("fri_merkle_sibling", "FRI query 0: the opened leaf of initial tree 0"),
            ("fri_pow_witness", "FRI proof of work"),
            ("fri_step_eval", "FRI query 3, step 0"),
            ("no_circuits_info", "no built-in circuit for round 1001"),
            ("opening_wires", "the constraints do not hold at ζ"),
            ("pi_debt_minus1", "the constraints do not hold at ζ"),
            ("pi_equity_plus1", "the constraints do not hold at ζ"),
            ("pi_root_hash", "the constraints do not hold at ζ"),
            ("root_vd_digest", "root_vd_digest does not match the root circuit's digest"),
            ("verifier_data_hex_cap", "not the hash of its own constants/sigmas cap"),
            ("wires_cap", "the constraints do not hold at ζ"),
        ]
        for (variant, reason) in cases {
            let path = v2.appendingPathComponent("one-level/tampered/sum_proof_data.\(variant).json").path
            let result = try porcheck.run(["verify", "--json", "--no-record", path])
            XCTAssertEqual(result.status, 1, "\(variant): \(result.stderr)")
            let sum = try XCTUnwrap(try checks(result).first)
            XCTAssertEqual(sum["verdict"] as? String, "failed", variant)
            XCTAssertTrue((sum["reason"] as? String ?? "").contains(reason), "\(variant): \(sum["reason"] ?? "")")
        }
        let truncated = try porcheck.run(["verify", v2.appendingPathComponent("one-level/tampered/sum_proof_data.truncated.json").path])
        XCTAssertEqual(truncated.status, 2)
        XCTAssertTrue(truncated.stderr.contains("is not valid JSON (truncated?"), truncated.stderr)
    }

    /// The FRI's Poseidon kernels (the Swift permutation, AVX2, AVX-512, forced with
    /// PORCHECK_POSEIDON; a kernel the CPU lacks falls back to the best it has) give the same
    /// output byte for byte, on valid and FRI-tampered global proofs with an inclusion proof.
    func testEveryPoseidonKernelGivesTheSameVerdicts() throws {
        let files: [[String]] = [
            ["one-level/sum_proof_data.json", "one-level/idx050_batch3_middle_inclusion_proof.json"],
            ["two-level/sum_proof_data.json", "two-level/idx150_batch37_middle_inclusion_proof.json"],
            ["one-level/tampered/sum_proof_data.fri_initial_leaf_value.json", "one-level/idx050_batch3_middle_inclusion_proof.json"],
            ["one-level/tampered/sum_proof_data.fri_merkle_sibling.json"],
            ["one-level/tampered/sum_proof_data.fri_step_eval.json"],
        ]
        for list in files {
            let arguments = ["verify", "--json", "--no-record"] + list.map { v2.appendingPathComponent($0).path }
            let outputs = try ["scalar", "avx2", "avx512"].map { kernel in
                try porcheck.run(arguments, environment: ["PORCHECK_POSEIDON": kernel])
            }
            for r in outputs.dropFirst() {
                XCTAssertEqual(r.status, outputs[0].status, "\(list)")
                XCTAssertEqual(r.stdout, outputs[0].stdout, "\(list)")
                XCTAssertEqual(r.stderr, outputs[0].stderr, "\(list)")
            }
            XCTAssertEqual(outputs[0].status, list[0].contains("tampered") ? 1 : 0, "\(list): \(outputs[0].stderr)")
        }
    }

    /// zk-STARK v1's many-at-once Keccak kernels (the Swift permutation, AVX2, AVX-512, forced
    /// with PORCHECK_KECCAK; a kernel the CPU lacks falls back to the best it has) give the same
    /// output byte for byte, on valid and tampered data sets.
    func testEveryKeccakKernelGivesTheSameVerdicts() throws {
        let stark = PorcheckProcess.fixtures.appendingPathComponent("legacy/stark-v1")
        let folders = ["valid/stark_small3", "valid/stark_fullcfg", "tampered/stark_small3_entries_data_byteflip",
                       "tampered/stark_small3_mtree_branch_byteflip", "tampered/stark_small3_fri_column_branch_byteflip",
                       "tampered/stark_small3_l_mtree_branch_byteflip", "tampered/stark_small3_fri_last_layer_value_changed"]
        for folder in folders {
            let arguments = ["verify", "--json", "--no-record", stark.appendingPathComponent(folder).path]
            let outputs = try ["scalar", "avx2", "avx512"].map { kernel in
                try porcheck.run(arguments, environment: ["PORCHECK_KECCAK": kernel])
            }
            for r in outputs.dropFirst() {
                XCTAssertEqual(r.status, outputs[0].status, folder)
                XCTAssertEqual(r.stdout, outputs[0].stdout, folder)
                XCTAssertEqual(r.stderr, outputs[0].stderr, folder)
            }
            XCTAssertEqual(outputs[0].status, folder.hasPrefix("tampered") ? 1 : 0, "\(folder): \(outputs[0].stderr)")
        }
    }

    func testATrustedCircuitHasNoWarning() throws {
        let path = v2.appendingPathComponent("one-level/sum_proof_data.json").path
        let first = try checks(try porcheck.run(["verify", "--json", "--no-record", path]))
        let warning = try XCTUnwrap((first[0]["warnings"] as? [String])?.first)
        let sha = try XCTUnwrap(warning.components(separatedBy: "--trust-circuit ").last?.prefix(64))
        let trusted = try checks(try porcheck.run(["verify", "--json", "--no-record", "--trust-circuit", String(sha), path]))
        XCTAssertEqual(trusted[0]["warnings"] as? [String], [])
        XCTAssertTrue((trusted[0]["steps"] as? [String] ?? []).contains { $0.contains("one you chose to trust") })
        XCTAssertEqual(try porcheck.run(["verify", "--trust-circuit", "abc", path]).status, 2)
    }

    func testBadInputIsOneLineAndExitCode2() throws {
        let cases: [([String], String)] = [
            (["verify", scratch.appendingPathComponent("missing.json").path], "no such file or folder"),
            (["verify", scratch.path], "no proof files in this folder"),
            (["verify", v2.appendingPathComponent("one-level/tampered/idx050_truncated_inclusion_proof.json").path], "is not valid JSON"),
            (["verify", v2.appendingPathComponent("one-level/tampered/idx050_sibling_bad_hex_inclusion_proof.json").path], "not hexadecimal"),
            (["verify", v2.appendingPathComponent("README.md").path], "is not JSON"),
            (["verify"], "give at least one file or folder"),
            (["history", "show", "12345"], "no check #12345"),
            (["frobnicate"], "frobnicate"),
        ]
        for (args, message) in cases {
            let result = try porcheck.run(args)
            XCTAssertEqual(result.status, 2, "\(args): \(result.stdout) \(result.stderr)")
            XCTAssertTrue(result.stderr.contains(message), "\(args): \(result.stderr)")
            XCTAssertFalse(result.stderr.contains("Fatal error"), "\(args)")
        }
        let wrongType = scratch.appendingPathComponent("x_inclusion_proof.json")
        try Data("{\"account\":{\"id\":5,\"equity\":[],\"debt\":[]},\"index\":0,\"sum_tree_siblings\":[],\"recursive_tree_siblings\":[]}".utf8).write(to: wrongType)
        let result = try porcheck.run(["verify", wrongType.path])
        XCTAssertEqual(result.status, 2)
        XCTAssertEqual(result.stderr, "porcheck: \(wrongType.path): field account.id is not a string\n")
    }

    /// Without recording, a complete set (global proof + inclusion proof) needs no history: the
    /// store is not opened (not created, not migrated), so even an unusable one does not matter.
    func testVerifyWithoutRecordingLeavesTheStoreClosed() throws {
        let folder = v2.appendingPathComponent("one-level")
        let files = [folder.appendingPathComponent("sum_proof_data.json").path,
                     folder.appendingPathComponent("idx050_batch3_middle_inclusion_proof.json").path]
        XCTAssertEqual(try porcheck.run(["verify", "--no-record"] + files).status, 0)
        XCTAssertFalse(FileManager.default.fileExists(atPath: porcheck.dataDir.appendingPathComponent("porcheck.sqlite").path))
        try FileManager.default.createDirectory(at: porcheck.dataDir, withIntermediateDirectories: true)
        try Data(repeating: 0x42, count: 2048).write(to: porcheck.dataDir.appendingPathComponent("porcheck.sqlite"))
        XCTAssertEqual(try porcheck.run(["verify", "--no-record"] + files).status, 0)
        // Recording still needs it, and says so.
        let recorded = try porcheck.run(["verify"] + files)
        XCTAssertEqual(recorded.status, 2)
        XCTAssertTrue(recorded.stderr.contains("the history store cannot be used"), recorded.stderr)
        XCTAssertEqual(recorded.stdout, "", "no verdict is printed for a check that cannot be recorded")
    }

    /// The store is opened and the files' copies are written while the check runs; a run that
    /// ends in an input error after that records nothing and keeps no file, not even a
    /// temporary one. A recorded run leaves every file of the store private, the write-ahead
    /// log included.
    func testARunEndingInAnErrorKeepsNoFilesAndTheStoreStaysPrivate() throws {
        let folder = v2.appendingPathComponent("one-level")
        let failing = try porcheck.run(["verify", folder.appendingPathComponent("sum_proof_data.json").path,
                                        folder.appendingPathComponent("tampered/idx050_equity_not_a_number_inclusion_proof.json").path])
        XCTAssertEqual(failing.status, 2, failing.stderr)
        let left = FileManager.default.enumerator(at: porcheck.dataDir, includingPropertiesForKeys: nil)?
            .compactMap { $0 as? URL }.filter { $0.path.contains("/files/") && !$0.hasDirectoryPath } ?? []
        XCTAssertEqual(left.filter { (try? $0.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true }, [])
        XCTAssertEqual(try porcheck.run(["history", "--json"]).stdout.contains("\"id\""), false)

        XCTAssertEqual(try porcheck.run(["verify", folder.path]).status, 0)
        let all = FileManager.default.enumerator(at: porcheck.dataDir, includingPropertiesForKeys: nil)?.compactMap { $0 as? URL } ?? []
        XCTAssertTrue(all.contains { $0.lastPathComponent == "porcheck.sqlite-wal" }, "\(all)")
        for url in all {
            let mode = try XCTUnwrap(FileManager.default.attributesOfItem(atPath: url.path)[.posixPermissions] as? NSNumber).intValue & 0o777
            let isFolder = (try? url.resourceValues(forKeys: [.isDirectoryKey]).isDirectory) == true
            XCTAssertEqual(mode, isFolder ? 0o700 : 0o600, url.path)
        }
    }

    /// porcheck reads the plain forms of `verify` without ArgumentParser. Spelled so that only
    /// ArgumentParser reads them (`--option=value`, `--` before the paths), the same command lines
    /// must give the same output and exit code.
    func testPlainVerifyLinesMeanWhatArgumentParserReads() throws {
        let folder = v2.appendingPathComponent("one-level")
        let sum = folder.appendingPathComponent("sum_proof_data.json").path
        let inclusion = folder.appendingPathComponent("idx050_batch3_middle_inclusion_proof.json").path
        let tampered = folder.appendingPathComponent("tampered/idx050_debt_plus1_inclusion_proof.json").path
        let sha = "01ec63c4f73c1912ea124106b7636ee3d3bd9e9b26096ce6e264e3508267fbe2"
        let dir = porcheck.dataDir.path
        let pairs: [([String], [String])] = [
            (["--data-dir", dir, "verify", "--no-record", "--json", sum, inclusion],
             ["--data-dir=\(dir)", "verify", "--no-record", "--json", "--", sum, inclusion]),
            (["verify", sum, "--json", "--no-record", "--data-dir", dir],
             ["verify", "--json", "--no-record", "--data-dir=\(dir)", "--", sum]),
            (["verify", "--no-record", "--trust-circuit", sha, "--trust-circuit", sha, sum, "--data-dir", dir],
             ["verify", "--no-record", "--trust-circuit=\(sha)", "--trust-circuit=\(sha)", "--data-dir=\(dir)", sum]),
            (["verify", "--no-record", "--trust-circuit", "abc", sum, "--data-dir", dir],
             ["verify", "--no-record", "--trust-circuit=abc", "--data-dir=\(dir)", sum]),
            (["verify", "--no-record", "--json", sum, tampered, "--data-dir", dir],
             ["verify", "--no-record", "--json", "--data-dir=\(dir)", "--", sum, tampered]),
            (["verify", "--no-record", "/no/such/file", "--data-dir", dir],
             ["verify", "--no-record", "--data-dir=\(dir)", "--", "/no/such/file"]),
        ]
        for (plain, parsed) in pairs {
            let a = try porcheck.run(plain, withDataDir: false), b = try porcheck.run(parsed, withDataDir: false)
            XCTAssertEqual(a.status, b.status, "\(plain)")
            XCTAssertEqual(a.stdout, b.stdout, "\(plain)")
            XCTAssertEqual(a.stderr, b.stderr, "\(plain)")
        }
        // Recorded (the store is opened first), both ways.
        let a = try porcheck.run(["verify", "--json", sum, "--data-dir", dir], withDataDir: false)
        let b = try porcheck.run(["verify", "--json", "--data-dir=\(dir)", "--", sum], withDataDir: false)
        XCTAssertEqual(a.status, 0)
        XCTAssertEqual(b.status, 0)
    }

    func testACorruptStoreIsReportedNotCrashedOn() throws {
        try FileManager.default.createDirectory(at: porcheck.dataDir, withIntermediateDirectories: true)
        try Data(repeating: 0x42, count: 2048).write(to: porcheck.dataDir.appendingPathComponent("porcheck.sqlite"))
        let result = try porcheck.run(["history"])
        XCTAssertEqual(result.status, 2)
        XCTAssertTrue(result.stderr.contains("the history store cannot be used"), result.stderr)
        XCTAssertEqual(result.stderr.split(separator: "\n").count, 1)
    }

    func testHistoryRecordsEveryCheck() throws {
        try porcheck.run(["verify", v2.appendingPathComponent("one-level").path])
        try porcheck.run(["demo"])
        let list = try porcheck.run(["history", "--json"])
        XCTAssertEqual(list.status, 0, list.stderr)
        let entries = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]])
        XCTAssertEqual(entries.count, 2)
        XCTAssertEqual(entries.map { $0["origin"] as? String }, ["demo", "verify"], "newest first")
        for e in entries {
            XCTAssertNotNil(e["id"] as? Int)
            XCTAssertEqual(e["kind"] as? String, "inclusion")
            XCTAssertTrue(e["rerun_of"] is NSNull)
            XCTAssertNotNil(ISO8601DateFormatter().date(from: e["started_at"] as? String ?? ""), "ISO 8601")
            XCTAssertEqual(e["round"] as? String, "1001")
        }
        let id = try XCTUnwrap(entries.last?["id"] as? Int)
        let show = try porcheck.run(["history", "show", String(id)])
        XCTAssertEqual(show.status, 0, show.stderr)
        XCTAssertTrue(show.stdout.contains("sum-proof"), show.stdout)
        XCTAssertTrue(show.stdout.contains("inclusion passed"), show.stdout)
        XCTAssertTrue(show.stdout.contains("Account b2337017…"), show.stdout)
        let table = try porcheck.run(["history"])
        XCTAssertTrue(table.stdout.contains("ID  DATE"), table.stdout)
        XCTAssertEqual(table.stdout.split(separator: "\n").count, 3)
    }

    func testDemoChecksTheBundledSampleAudit() throws {
        let result = try porcheck.run(["demo"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("Inclusion constraint validation passed"), result.stdout)
        XCTAssertTrue(result.stdout.contains("Audit round 1001"), result.stdout)
    }
}

/// OKX ships its proof files zipped: `verify` takes the zip as it is, and refuses hostile ones.
final class VerifyZipTests: XCTestCase {
    var porcheck: PorcheckProcess!
    var scratch: URL!

    override func setUpWithError() throws {
        porcheck = PorcheckProcess()
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("porcheck-zip-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        porcheck.cleanUp()
        try? FileManager.default.removeItem(at: scratch)
    }

    /// Writes a zip with Python's zipfile, which lets a test name entries freely.
    func makeZip(_ name: String, entries: [(String, URL)]) throws -> URL {
        let zip = scratch.appendingPathComponent(name)
        let pairs = entries.map { "(\($0.0.debugDescription), \($0.1.path.debugDescription))" }.joined(separator: ",")
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", "import zipfile\nwith zipfile.ZipFile(\(zip.path.debugDescription), 'w', zipfile.ZIP_DEFLATED) as z:\n    for n, f in [\(pairs)]: z.write(f, n)"]
        try p.run()
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0)
        return zip
    }

    func testAZippedAuditIsVerifiedLikeAFolder() throws {
        let v2 = PorcheckProcess.fixtures.appendingPathComponent("por-v2/one-level")
        let zip = try makeZip("liability report.zip", entries: [
            ("report/sum_proof_data.json", v2.appendingPathComponent("sum_proof_data.json")),
            ("report/idx016_batch1_first_inclusion_proof.json", v2.appendingPathComponent("idx016_batch1_first_inclusion_proof.json")),
        ])
        let result = try porcheck.run(["verify", "--json", zip.path])
        XCTAssertEqual(result.status, 0, result.stderr)
        let checks = try XCTUnwrap(try PorcheckProcess.json(result.stdout)["checks"] as? [[String: Any]])
        XCTAssertEqual(checks.map { $0["file"] as? String }, [zip.path + "/sum_proof_data.json", zip.path + "/idx016_batch1_first_inclusion_proof.json"])
        XCTAssertEqual(checks.last?["verdict"] as? String, "passed")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: porcheck.dataDir.path).filter { $0.hasPrefix("unzipped") }
        XCTAssertEqual(leftovers, [], "the scratch folder is removed")
    }

    func testAnEntryEscapingTheFolderIsRefused() throws {
        let proof = PorcheckProcess.fixtures.appendingPathComponent("por-v2/one-level/idx016_batch1_first_inclusion_proof.json")
        let zip = try makeZip("evil.zip", entries: [("../../escaped_inclusion_proof.json", proof)])
        let result = try porcheck.run(["verify", zip.path])
        XCTAssertEqual(result.status, 2)
        XCTAssertTrue(result.stderr.contains("points outside the folder"), result.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: porcheck.dataDir.deletingLastPathComponent().appendingPathComponent("escaped_inclusion_proof.json").path))
    }
}
