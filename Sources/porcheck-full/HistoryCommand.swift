import ArgumentParser
import Checks
import Foundation
import History

struct HistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "List past checks, newest first.",
        subcommands: [List.self, Show.self],
        defaultSubcommand: List.self)

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List past checks, newest first.")

        @OptionGroup var common: CommonOptions
        @Flag(help: "Print a JSON array of {id, kind, started_at, verdict, rerun_of, …}.") var json = false
        @Option(help: ArgumentHelp("Only checks started on or after this date (YYYY-MM-DD).", valueName: "DATE")) var since: String?
        @Option(help: "Only checks of this kind (inclusion, global, wallets, balances, reserves, merkle-v1, merkle-v2, zk-stark-v1).") var kind: String?
        @Option(help: "Only checks of this audit round.") var round: String?
        @Flag(help: "Only failed checks.") var failed = false
        @Option(help: "At most this many checks (default 50 in the table, all with --json).") var limit: Int?
        @Flag(help: "List every check.") var all = false

        mutating func run() throws {
            var sinceDate: Date?
            if let since {
                guard let d = HistoryView.parseDay(since) else { throw ValidationError("--since wants a date like 2024-09-30, got \(since)") }
                sinceDate = d
            }
            let store = try common.context().store
            let shown = all ? nil : (limit ?? (json ? nil : 50))
            let filter = Store.Filter(since: sinceDate, kind: kind, round: round, failedOnly: failed, limit: shown)
            let checks = try store.checks(filter)
            if json {
                print(HistoryView.json(checks))
                return
            }
            print(HistoryView.table(checks, style: Style.forStandardOutput()))
            if let shown, checks.count == shown {
                let total = try store.count(filter)
                if total > shown { print("(\(total - shown) older checks not shown: --limit N or --all)") }
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Show every detail of one check.")

        @OptionGroup var common: CommonOptions
        @Flag(help: "Print JSON.") var json = false
        @Argument(help: "The check's id (first column of `porcheck history`).") var id: Int64

        mutating func run() throws {
            let store = try common.context().store
            guard let detail = try store.detail(id: id) else {
                throw ValidationError("no check #\(id) in the history (porcheck history lists them)")
            }
            print(json ? HistoryView.json(detail) : HistoryView.text(detail, store: store, style: Style.forStandardOutput()))
        }
    }
}
