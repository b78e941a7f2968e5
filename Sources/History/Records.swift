import Foundation
import GRDB

/// One check as the store keeps it: a `porcheck verify` run, a wizard check, a wallet-list check…
public struct CheckRecord: Codable, Sendable, Equatable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "checks"

    public var id: Int64?
    /// What was checked: `inclusion`, `global`, `wallets`, `balances`, or a legacy format name
    /// (`merkle-v1`, `merkle-v2`, `zk-stark-v1`).
    public var kind: String
    /// The proof format (`zk-stark-v2`, …), when the check is about liabilities.
    public var format: String?
    /// The audit round or snapshot the files belong to.
    public var round: String?
    public var startedAt: Date
    public var finishedAt: Date?
    /// `passed`, `failed` or `not-verified` (the worst of the check's results).
    public var verdict: String
    /// The check this one re-ran, if it is a re-run.
    public var rerunOf: Int64?
    /// Where it came from: `verify`, `wizard`, `demo`, `rerun`, …
    public var origin: String
    /// A one-line summary for listings.
    public var summary: String

    public init(id: Int64? = nil, kind: String, format: String?, round: String?, startedAt: Date,
                finishedAt: Date?, verdict: String, rerunOf: Int64? = nil, origin: String, summary: String) {
        self.id = id
        self.kind = kind
        self.format = format
        self.round = round
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.verdict = verdict
        self.rerunOf = rerunOf
        self.origin = origin
        self.summary = summary
    }

    enum CodingKeys: String, CodingKey {
        case id, kind, format, round, verdict, origin, summary
        case startedAt = "started_at", finishedAt = "finished_at", rerunOf = "rerun_of"
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// One constraint's verdict inside a check.
public struct ResultRecord: Codable, Sendable, Equatable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "check_results"

    public var id: Int64?
    public var checkID: Int64
    public var position: Int
    public var file: String
    public var format: String
    public var constraint: String
    public var verdict: String
    public var reason: String
    /// JSON array of strings: the steps porcheck took.
    public var steps: String
    /// JSON array of strings: warnings shown with the verdict.
    public var warnings: String

    public init(id: Int64? = nil, checkID: Int64, position: Int, file: String, format: String, constraint: String,
                verdict: String, reason: String, steps: [String], warnings: [String]) {
        self.id = id
        self.checkID = checkID
        self.position = position
        self.file = file
        self.format = format
        self.constraint = constraint
        self.verdict = verdict
        self.reason = reason
        self.steps = ResultRecord.encode(steps)
        self.warnings = ResultRecord.encode(warnings)
    }

    enum CodingKeys: String, CodingKey {
        case id, position, file, format, constraint, verdict, reason, steps, warnings
        case checkID = "check_id"
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }

    public var stepList: [String] { ResultRecord.decode(steps) }
    public var warningList: [String] { ResultRecord.decode(warnings) }

    static func encode(_ list: [String]) -> String { RecordJSON.array(list) }

    static func decode(_ text: String) -> [String] {
        (try? JSONDecoder().decode([String].self, from: Data(text.utf8))) ?? []
    }
}

/// A file a check used, kept by content hash in the store's file folder so the check can be re-run.
public struct FileRecord: Codable, Sendable, Equatable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "check_files"

    public var id: Int64?
    public var checkID: Int64
    /// What the file was to the check: `sum-proof`, `inclusion-proof`, `wallet-list`, …
    public var role: String
    /// The path the user gave (for display; the kept copy is found by `sha256`).
    public var originalPath: String
    /// The name of the file inside an audit folder, used to lay the files out again for a re-run.
    public var name: String
    public var sha256: String
    public var size: Int64

    public init(id: Int64? = nil, checkID: Int64, role: String, originalPath: String, name: String, sha256: String, size: Int64) {
        self.id = id
        self.checkID = checkID
        self.role = role
        self.originalPath = originalPath
        self.name = name
        self.sha256 = sha256
        self.size = size
    }

    enum CodingKeys: String, CodingKey {
        case id, role, name, sha256, size
        case checkID = "check_id", originalPath = "original_path"
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// The user's own balances as a proof shows them (the account in an inclusion proof).
public struct AccountRecord: Codable, Sendable, Equatable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "check_accounts"

    public var id: Int64?
    public var checkID: Int64
    /// A short prefix of the (already hashed) account id; never the whole id in listings.
    public var accountPrefix: String
    /// Decimal strings: exact, whatever their size.
    public var equityTotal: String
    public var debtTotal: String
    /// JSON object: token (or `#k` position) → [equity, debt] decimal strings, non-zero entries only.
    public var perToken: String

    public init(id: Int64? = nil, checkID: Int64, accountPrefix: String, equityTotal: String, debtTotal: String, perToken: [String: [String]]) {
        self.id = id
        self.checkID = checkID
        self.accountPrefix = accountPrefix
        self.equityTotal = equityTotal
        self.debtTotal = debtTotal
        self.perToken = RecordJSON.object(perToken)
    }

    enum CodingKeys: String, CodingKey {
        case id
        case checkID = "check_id", accountPrefix = "account_prefix", equityTotal = "equity_total"
        case debtTotal = "debt_total", perToken = "per_token"
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }

    public var perTokenMap: [String: [String]] {
        (try? JSONDecoder().decode([String: [String]].self, from: Data(perToken.utf8))) ?? [:]
    }
}

/// The exchange-wide totals a global proof states for a round, and whether porcheck verified them.
public struct TotalsRecord: Codable, Sendable, Equatable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "check_totals"

    public var id: Int64?
    public var checkID: Int64
    public var round: String?
    /// Decimal strings (exact).
    public var equity: String
    public var debt: String
    public var net: String
    public var verified: Bool

    public init(id: Int64? = nil, checkID: Int64, round: String?, equity: String, debt: String, net: String, verified: Bool) {
        self.id = id
        self.checkID = checkID
        self.round = round
        self.equity = equity
        self.debt = debt
        self.net = net
        self.verified = verified
    }

    enum CodingKeys: String, CodingKey {
        case id, round, equity, debt, net, verified
        case checkID = "check_id"
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
