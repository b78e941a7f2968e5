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
        try VerifyCommand.run(Invocation(dataDir: common.dataDir, json: json, noRecord: noRecord,
                                         trustCircuit: trustCircuit, paths: paths))
    }

    /// What a `verify` command line asks for.
    struct Invocation: Equatable {
        var dataDir: String?
        var json = false
        var noRecord = false
        var trustCircuit: [String] = []
        var paths: [String] = []
    }

    static func run(_ v: Invocation) throws {
        guard !v.paths.isEmpty else { throw ValidationError("give at least one file or folder to verify") }
        for sha in v.trustCircuit where sha.count != 64 || Hex.decode(sha) == nil {
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

extension VerifyCommand.Invocation {
    /// Reads the plain forms of a `verify` command line without ArgumentParser, whose reflection
    /// costs about 1 ms at every start (a tenth of a verification):
    /// `[--data-dir DIR] verify (--json | --no-record | --trust-circuit SHA | --data-dir DIR | PATH)…`
    /// with at least one path. Anything else (help, `--option=value`, a value or path that starts
    /// with `-` or is a command's name, a repeated flag or directory, no path) gives `nil`, and
    /// ArgumentParser reads the line as before; these forms mean the same to both.
    init?(arguments: [String]) {
        func plain(_ s: String) -> Bool {
            !s.isEmpty && !s.hasPrefix("-") && !VerifyCommand.Invocation.commandNames.contains(s)
        }
        var i = 0
        if arguments.count >= 2, arguments[0] == "--data-dir" {
            guard plain(arguments[1]) else { return nil }
            dataDir = arguments[1]
            i = 2
        }
        guard i < arguments.count, arguments[i] == "verify" else { return nil }
        i += 1
        while i < arguments.count {
            let a = arguments[i]
            switch a {
            case "--json":
                guard !json else { return nil }
                json = true
            case "--no-record":
                guard !noRecord else { return nil }
                noRecord = true
            case "--trust-circuit", "--data-dir":
                guard i + 1 < arguments.count, plain(arguments[i + 1]) else { return nil }
                i += 1
                if a == "--trust-circuit" {
                    trustCircuit.append(arguments[i])
                } else {
                    guard dataDir == nil else { return nil }
                    dataDir = arguments[i]
                }
            default:
                guard plain(a) else { return nil }
                paths.append(a)
            }
            i += 1
        }
        guard !paths.isEmpty else { return nil }
    }

    /// Words ArgumentParser may read as a command rather than a value. Spelled out, because
    /// asking ArgumentParser builds every command's configuration; debug builds (the tests)
    /// check that the list covers them all.
    static let commandNames: Set<String> = {
        let names: Set<String> = ["verify", "wallets", "balances", "reserves", "history", "rerun", "diff", "report", "forget", "demo", "bench", "help"]
        assert(Set(Porcheck.configuration.subcommands.map { $0._commandName }).isSubset(of: names), "a command is missing from commandNames")
        return names
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
        guard let folder = context.resources.demoFolder, FileManager.default.fileExists(atPath: folder.path) else {
            throw ValidationError("the bundled sample audit was not found (set PORCHECK_RESOURCES to porcheck's Resources folder)")
        }
        if !json { print("Checking the sample audit in \(folder.path)\n") }
        let outcome = try context.runner.verify(paths: [folder.path], origin: "demo")
        print(json ? Report.json(outcome) : Report.text(outcome, style: Style.forStandardOutput()))
        throw ExitCode(outcome.exitCode)
    }
}
