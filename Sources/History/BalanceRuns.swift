import Foundation
import GRDB

/// One run of `porcheck balances`: a wallet list (by content), a node configuration (by content)
/// and a scope; unfinished while it runs, so that an interrupted run can be resumed.
public struct BalanceRunRecord: Codable, Sendable, Equatable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "balance_runs"

    public var id: Int64?
    public var listSHA256: String
    public var listName: String
    public var configSHA256: String
    /// `all`, `coin:BTC`, `address:…`.
    public var scope: String
    public var startedAt: Date
    public var finishedAt: Date?
    /// The history entry the finished run was recorded as.
    public var checkID: Int64?

    public init(id: Int64? = nil, listSHA256: String, listName: String, configSHA256: String, scope: String, startedAt: Date,
                finishedAt: Date? = nil, checkID: Int64? = nil) {
        self.id = id
        self.listSHA256 = listSHA256
        self.listName = listName
        self.configSHA256 = configSHA256
        self.scope = scope
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.checkID = checkID
    }

    enum CodingKeys: String, CodingKey {
        case id, scope
        case listSHA256 = "list_sha256", listName = "list_name", configSHA256 = "config_sha256"
        case startedAt = "started_at", finishedAt = "finished_at", checkID = "check_id"
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// What a node said about one address in a run (decimal amounts as exact strings).
public struct BalanceResultRecord: Codable, Sendable, Equatable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "balance_results"

    public var id: Int64?
    public var runID: Int64
    /// coin|address|height (or line:N for an unusable row): the same address in a resumed run.
    public var key: String
    public var coin: String
    public var network: String
    public var address: String
    public var height: String
    /// JSON array of the list's line numbers.
    public var lines: String
    public var listed: String?
    public var onChain: String?
    /// matched, mismatch, not-checked, error.
    public var verdict: String
    public var reason: String
    public var source: String
    public var errorKind: String?
    public var attempts: Int
    public var answeredAt: Date

    public init(id: Int64? = nil, runID: Int64, key: String, coin: String, network: String, address: String, height: String, lines: [Int],
                listed: String?, onChain: String?, verdict: String, reason: String, source: String, errorKind: String?, attempts: Int,
                answeredAt: Date = Date()) {
        self.id = id
        self.runID = runID
        self.key = key
        self.coin = coin
        self.network = network
        self.address = address
        self.height = height
        self.lines = String(decoding: (try? JSONEncoder().encode(lines)) ?? Data("[]".utf8), as: UTF8.self)
        self.listed = listed
        self.onChain = onChain
        self.verdict = verdict
        self.reason = reason
        self.source = source
        self.errorKind = errorKind
        self.attempts = attempts
        self.answeredAt = answeredAt
    }

    enum CodingKeys: String, CodingKey {
        case id, key, coin, network, address, height, lines, listed, verdict, reason, source, attempts
        case runID = "run_id", onChain = "on_chain", errorKind = "error_kind", answeredAt = "answered_at"
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }

    public var lineList: [Int] { (try? JSONDecoder().decode([Int].self, from: Data(lines.utf8))) ?? [] }
}

extension Store {
    /// Starts a run and returns it with its id.
    public func startBalanceRun(_ run: BalanceRunRecord) throws -> BalanceRunRecord {
        try write { db in
            var r = run
            try r.insert(db)
            return r
        }
    }

    /// The latest unfinished run of the same list, configuration and scope (to resume).
    public func unfinishedBalanceRun(listSHA256: String, configSHA256: String, scope: String) throws -> BalanceRunRecord? {
        try read { db in
            try BalanceRunRecord.filter(Column("list_sha256") == listSHA256 && Column("config_sha256") == configSHA256
                                            && Column("scope") == scope && Column("finished_at") == nil)
                .order(Column("started_at").desc, Column("id").desc).fetchOne(db)
        }
    }

    /// The latest run over a list (finished or not), optionally only finished ones.
    public func latestBalanceRun(listSHA256: String, finishedOnly: Bool = false) throws -> BalanceRunRecord? {
        try read { db in
            var request = BalanceRunRecord.filter(Column("list_sha256") == listSHA256)
            if finishedOnly { request = request.filter(Column("finished_at") != nil) }
            return try request.order(Column("started_at").desc, Column("id").desc).fetchOne(db)
        }
    }

    public func balanceRun(id: Int64) throws -> BalanceRunRecord? {
        try read { db in try BalanceRunRecord.fetchOne(db, key: id) }
    }

    /// Every result of a run, in the order they were first answered.
    public func balanceResults(runID: Int64) throws -> [BalanceResultRecord] {
        try read { db in try BalanceResultRecord.filter(Column("run_id") == runID).order(Column("id")).fetchAll(db) }
    }

    /// Saves results in one transaction; a result for a key already answered replaces it.
    public func saveBalanceResults(_ results: [BalanceResultRecord]) throws {
        guard !results.isEmpty else { return }
        try write { db in
            for var r in results {
                r.id = nil
                try r.insert(db)
            }
        }
    }

    /// Marks a run finished and recorded as check `checkID`.
    public func finishBalanceRun(id: Int64, checkID: Int64?) throws {
        try write { db in
            try db.execute(sql: "UPDATE balance_runs SET finished_at = ?, check_id = ? WHERE id = ?", arguments: [Date(), checkID, id])
        }
    }

    /// The latest passed global check whose exchange totals porcheck verified (the liabilities it proved).
    public func latestVerifiedTotals() throws -> (check: CheckRecord, totals: TotalsRecord)? {
        try read { db in
            let sql = """
                SELECT t.* FROM check_totals t JOIN checks c ON c.id = t.check_id
                WHERE t.verified = 1 AND c.verdict = 'passed' ORDER BY c.started_at DESC, c.id DESC LIMIT 1
                """
            guard let totals = try TotalsRecord.fetchOne(db, sql: sql), let check = try CheckRecord.fetchOne(db, key: totals.checkID) else { return nil }
            return (check, totals)
        }
    }
}
