import ArgumentParser
import Checks
import Foundation

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
        try VerifyCommand.run(Invocation(dataDir: common.dataDir, json: json, noRecord: noRecord,
                                         trustCircuit: trustCircuit, paths: paths))
    }

    /// What a `verify` command line asks for (read without ArgumentParser where it can be).
    typealias Invocation = VerifyInvocation

    static func run(_ v: Invocation) throws {
        guard !v.paths.isEmpty else { throw ValidationError("give at least one file or folder to verify") }
        if let sha = v.malformedTrustedCircuit {
            throw ValidationError("--trust-circuit takes a SHA-256 in hex (64 characters), got \(sha)")
        }
        // The store is opened when first used: when recording, on another core while the files
        // are read (an unusable store is still reported, when the check is recorded, with
        // nothing printed before it); without recording, only for an inclusion proof whose
        // global proof is not given (a kept one may match).
        let context = try CommonOptions.context(dataDir: v.dataDir, trusting: v.trustCircuit, openStore: false)
        var runner = context.runner
        runner.leavesParsedFilesToExit = true  // this process ends after the check
        let outcome = try runner.verify(paths: v.paths, origin: "verify", record: !v.noRecord)
        print(v.json ? Report.json(outcome) : Report.text(outcome, style: Style.forStandardOutput()))
        throw ExitCode(outcome.exitCode)
    }
}

extension VerifyInvocation {
    /// Debug builds (the tests) check that `commandNames` covers every command.
    static let coversCommands: Bool = {
        Set(Porcheck.configuration.subcommands.map { $0._commandName }).isSubset(of: commandNames)
    }()
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
        guard let folder = context.resources.demoFolder, FileManager.default.fileExists(atPath: folder) else {
            throw ValidationError("the bundled sample audit was not found (set PORCHECK_RESOURCES to porcheck's Resources folder)")
        }
        if !json { print("Checking the sample audit in \(folder)\n") }
        let outcome = try context.runner.verify(paths: [folder], origin: "demo")
        print(json ? Report.json(outcome) : Report.text(outcome, style: Style.forStandardOutput()))
        throw ExitCode(outcome.exitCode)
    }
}
