import ArgumentParser
import Checks
import Foundation
import Hashing

struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Verify proof files, or folders holding sum_proof_data.json and *_inclusion_proof.json.")

    @OptionGroup var common: CommonOptions

    @Flag(help: "Print one JSON object {\"checks\": [...]} instead of text.")
    var json = false

    @Flag(name: .customLong("no-record"), help: "Do not record this check in the history (benchmarks, scripts).")
    var noRecord = false

    @Option(name: .customLong("trust-circuit"), help: ArgumentHelp("Trust a zk-STARK v2 root circuit with this SHA-256 (as the warning shows it); repeatable. Lines of trusted-circuits.txt in the data directory count too.", valueName: "SHA256"))
    var trustCircuit: [String] = []

    @Argument(help: ArgumentHelp("Files or folders to check.", valueName: "PATH"))
    var paths: [String] = []

    mutating func run() throws {
        guard !paths.isEmpty else { throw ValidationError("give at least one file or folder to verify") }
        for sha in trustCircuit where sha.count != 64 || Hex.decode(sha) == nil {
            throw ValidationError("--trust-circuit takes a SHA-256 in hex (64 characters), got \(sha)")
        }
        // Without recording the history is only consulted for an inclusion proof whose global
        // proof is not given (a kept one may match): open it only then.
        let context = try common.context(trusting: trustCircuit, openStore: !noRecord)
        let outcome = try context.runner.verify(paths: paths, origin: "verify", record: !noRecord)
        print(json ? Report.json(outcome) : Report.text(outcome, style: Style.forStandardOutput()))
        throw ExitCode(outcome.exitCode)
    }
}

struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Check the sample audit bundled with porcheck (a zk-STARK v2 data set).")

    @OptionGroup var common: CommonOptions

    @Flag(help: "Print JSON instead of text.")
    var json = false

    mutating func run() throws {
        let context = try common.context()
        guard let folder = context.resources.demoFolder, FileManager.default.fileExists(atPath: folder.path) else {
            throw ValidationError("the bundled sample audit was not found (set PORCHECK_RESOURCES to porcheck's Resources folder)")
        }
        if !json { print("Checking the sample audit in \(folder.path)\n") }
        let outcome = try context.runner.verify(paths: [folder.path], origin: "demo")
        print(json ? Report.json(outcome) : Report.text(outcome, style: Style.forStandardOutput()))
        throw ExitCode(outcome.exitCode)
    }
}
