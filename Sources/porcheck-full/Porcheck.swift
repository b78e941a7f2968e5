import ArgumentParser
import Checks
import Foundation
import History
import Wizard

/// `porcheck`: with no subcommand, the guided wizard; otherwise one of the commands.
struct Porcheck: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "porcheck",
        abstract: "Check OKX's Proof of Reserves on your own machine.",
        discussion: """
            With no command, porcheck starts a guided wizard: paste the proof data you copied from \
            OKX's audit page and porcheck checks it. Exit codes: 0 nothing failed, 1 a check failed, \
            2 usage or input error.
            """,
        subcommands: [VerifyCommand.self, WalletsCommand.self, BalancesCommand.self, ReservesCommand.self, HistoryCommand.self, RerunCommand.self, DiffCommand.self, ReportCommand.self,
                      ForgetCommand.self, DemoCommand.self, BenchCommand.self])

    @OptionGroup var common: CommonOptions

    mutating func run() throws {
        let context = try common.context()
        let wizard = WizardSession(runner: context.runner, style: Style.forStandardOutput())
        wizard.run()
    }
}

/// Options every command takes.
struct CommonOptions: ParsableArguments {
    @Option(name: .customLong("data-dir"), help: ArgumentHelp("Where porcheck keeps its history and files (default $XDG_DATA_HOME/porcheck or ~/.local/share/porcheck).", valueName: "DIR"))
    var dataDir: String?

    struct Context {
        let store: Store
        let resources: ResourceLocator
        var trustedCircuits: Set<String> = []
        var runner: CheckRunner { CheckRunner(store: store, resources: resources, trustedCircuits: trustedCircuits) }
    }

    /// Opens the store (or, with `openStore` false, leaves it to be opened when first used);
    /// trusted root circuits are read from `trusted-circuits.txt` in the data directory (one
    /// SHA-256 per line) plus any given on the command line.
    func context(trusting extra: [String] = [], openStore: Bool = true) throws -> Context {
        try CommonOptions.context(dataDir: dataDir, trusting: extra, openStore: openStore)
    }

    static func context(dataDir: String?, trusting extra: [String] = [], openStore: Bool = true) throws -> Context {
        let dir = dataDir.map { URL(fileURLWithPath: $0) } ?? Store.defaultDirectory()
        let store = openStore ? try Store(directory: dir) : Store(openingWhenUsed: dir)
        var trusted = Set(extra.map { $0.lowercased() })
        // Usually absent: checked first, since a failed read costs an error object and its message.
        let trustedFile = dir.appendingPathComponent("trusted-circuits.txt")
        if FileManager.default.fileExists(atPath: trustedFile.path),
           let text = try? String(contentsOf: trustedFile, encoding: .utf8) {
            for line in text.split(separator: "\n") {
                let word = line.split(separator: "#").first?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
                if word.count == 64 { trusted.insert(word) }
            }
        }
        return Context(store: store, resources: ResourceLocator(), trustedCircuits: trusted)
    }
}

/// Writes a line to standard error.
func warn(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}
