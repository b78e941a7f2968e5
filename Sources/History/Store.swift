#if canImport(Glibc)
import Glibc
#endif
import Foundation
import GRDB
import Hashing

/// porcheck's local history: an SQLite database of every check, plus a content-addressed folder
/// of the files each check used, both private to the user.
///
/// Layout of the data directory:
///   porcheck.sqlite        the database (0600)
///   files/ab/abcdef…       kept files, named by their SHA-256 (0600, folders 0700)
///   audits/<round>/…       proofs the user pasted in the wizard, laid out like OKX's validator wants
public final class Store: Sendable {
    public let directory: URL
    private let database: LazyDatabase

    public var databasePath: String { directory.appendingPathComponent("porcheck.sqlite").path }
    public var filesDirectory: URL { directory.appendingPathComponent("files") }
    public var auditsDirectory: URL { directory.appendingPathComponent("audits") }

    /// The default data directory: `$XDG_DATA_HOME/porcheck`, else `~/.local/share/porcheck`.
    public static func defaultDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        if let xdg = environment["XDG_DATA_HOME"], !xdg.isEmpty, xdg.hasPrefix("/") {
            return URL(fileURLWithPath: xdg).appendingPathComponent("porcheck")
        }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return URL(fileURLWithPath: home).appendingPathComponent(".local/share/porcheck")
    }

    /// Opens (creating if needed) the store in `directory` and brings its schema up to date.
    public init(directory: URL) throws {
        self.directory = directory
        database = LazyDatabase()
        _ = try database.queue { try Store.openDatabase(directory) }
    }

    /// A store that is opened (created, migrated) only when first read or written: for commands
    /// that may not touch the history at all (`verify --no-record`), which then start faster and
    /// do not create a data directory. An unusable store is reported at that first use.
    public init(openingWhenUsed directory: URL) {
        self.directory = directory
        database = LazyDatabase()
    }

    /// Pages the write-ahead log may hold before a commit copies them into the database (SQLite's
    /// default is 1,000), and the size it is cut back to when it starts afresh.
    static let walCheckpointPages = 128
    static let walSizeLimit = 1 << 20

    private static func openDatabase(_ directory: URL) throws -> DatabaseQueue {
        try Store.makePrivateDirectory(directory)
        var config = Configuration()
        // Two porcheck processes may write at once: wait for the other's transaction instead of failing.
        config.busyMode = .timeout(10)
        config.foreignKeysEnabled = true
        // Write-ahead log with full sync: a commit appends to porcheck.sqlite-wal and syncs that
        // one file (the rollback journal synced the journal twice, the folder and the database:
        // four syncs, ~1.2 ms). A committed check survives a crash or power loss, a killed writer
        // leaves no trace (readers and the next writer ignore an unfinished commit), and readers
        // do not wait for a writer. The mode is stored in the database; switching needs the
        // database to itself, so a busy store stays in its old mode until a later open.
        config.prepareDatabase { db in
            if try String.fetchOne(db, sql: "PRAGMA journal_mode") != "wal" {
                _ = try? String.fetchOne(db, sql: "PRAGMA journal_mode = WAL")
            }
            try db.execute(sql: "PRAGMA synchronous = FULL")
            try db.execute(sql: "PRAGMA wal_autocheckpoint = \(Store.walCheckpointPages)")
            try db.execute(sql: "PRAGMA journal_size_limit = \(Store.walSizeLimit)")
        }
        let path = directory.appendingPathComponent("porcheck.sqlite").path
        // Created 0600 before SQLite sees it: SQLite gives the log and its index (-wal, -shm) the
        // database file's mode, and would create the database 0644.
        let created = open(path, O_CREAT | O_RDWR | O_CLOEXEC | O_NOFOLLOW, 0o600)
        if created >= 0 { close(created) }
        // Two processes opening a new store at once would both decide to run the migrations;
        // an exclusive lock on a side file makes the second wait and then find them applied.
        let lockPath = directory.appendingPathComponent("porcheck.lock").path
        let lock = open(lockPath, O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
        if lock >= 0 { _ = flock(lock, LOCK_EX) }
        defer {
            if lock >= 0 {
                _ = flock(lock, LOCK_UN)
                close(lock)
            }
        }
        let queue: DatabaseQueue
        do {
            queue = try DatabaseQueue(path: path, configuration: config)
            try Store.migrator.migrate(queue)
        } catch let error as DatabaseError {
            throw StoreError.unusable(path: path, reason: Store.describe(error))
        }
        // Stores made by earlier versions (database 0644 until the first migration ended).
        for file in [path, path + "-wal", path + "-shm"] { chmod(file, 0o600) }
        return queue
    }

    /// Opens the database now, if it is not yet open (a store made with `openingWhenUsed`), so
    /// that a later write does not wait for it: called on another core while a check runs. A
    /// failure is left for that write to report.
    ///
    /// `porcheck verify` exits without closing the database (closing would copy the log into
    /// the database and sync it, on the way out). The next process to open the store reads that
    /// log back, and here copies it into the database (a passive checkpoint: it waits for no one),
    /// so that its own commit starts the log afresh. Without this every process would read, and
    /// copy again, the log of all the processes before it: SQLite's record of what was copied
    /// lives in shared memory, which the first process to open a store rebuilds from the log.
    public func openInAdvance() {
        guard let queue = try? database.queue(opening: { try Store.openDatabase(directory) }) else { return }
        _ = try? queue.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_checkpoint(PASSIVE)") }
    }

    /// Sweeps abandoned temporary files from the kept-files and audits folders (call before
    /// writing files; not on every open, so read-only commands stay fast on a large store).
    public func sweepAbandonedTemporaryFiles() {
        Store.sweepTemporaryFiles(in: [filesDirectory, auditsDirectory])
    }

    /// Removes temporary files left by a porcheck process that was killed between writing a file
    /// and renaming it into place (`.<name>.<pid>.<random>.tmp`, see `writeAtomically`), when that
    /// process is gone. Live writers' files are left alone.
    static func sweepTemporaryFiles(in roots: [URL]) {
        let fm = FileManager.default
        for root in roots {
            guard let walker = fm.enumerator(at: root, includingPropertiesForKeys: nil) else { continue }
            for case let url as URL in walker {
                let name = url.lastPathComponent
                guard name.hasPrefix("."), name.hasSuffix(".tmp") else { continue }
                let parts = name.split(separator: ".")
                guard parts.count >= 4, let pid = Int32(parts[parts.count - 3]) else { continue }
                if pid != getpid() && kill(pid, 0) != 0 && errno == ESRCH {
                    try? fm.removeItem(at: url)
                }
            }
        }
    }

    static func describe(_ error: DatabaseError) -> String {
        switch error.resultCode {
        case .SQLITE_NOTADB: return "the file is not an SQLite database (corrupt or not porcheck's)"
        case .SQLITE_CORRUPT: return "the database is corrupt"
        case .SQLITE_CANTOPEN: return "the database cannot be opened (permissions?)"
        case .SQLITE_READONLY: return "the database is read-only"
        default: return error.message ?? "\(error.resultCode)"
        }
    }

    /// Versioned migrations. Never edit a shipped migration: add a new one.
    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1: checks, results, files, accounts") { db in
            try db.create(table: "checks") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("kind", .text).notNull().indexed()
                t.column("format", .text)
                t.column("round", .text).indexed()
                t.column("started_at", .datetime).notNull().indexed()
                t.column("finished_at", .datetime)
                t.column("verdict", .text).notNull()
                t.column("rerun_of", .integer).references("checks", onDelete: .setNull)
                t.column("origin", .text).notNull()
                t.column("summary", .text).notNull().defaults(to: "")
            }
            try db.create(table: "check_results") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("check_id", .integer).notNull().indexed().references("checks", onDelete: .cascade)
                t.column("position", .integer).notNull()
                t.column("file", .text).notNull()
                t.column("format", .text).notNull()
                t.column("constraint", .text).notNull()
                t.column("verdict", .text).notNull()
                t.column("reason", .text).notNull()
                t.column("steps", .text).notNull()
                t.column("warnings", .text).notNull()
            }
            try db.create(table: "check_files") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("check_id", .integer).notNull().indexed().references("checks", onDelete: .cascade)
                t.column("role", .text).notNull()
                t.column("original_path", .text).notNull()
                t.column("name", .text).notNull()
                t.column("sha256", .text).notNull().indexed()
                t.column("size", .integer).notNull()
            }
            try db.create(table: "check_accounts") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("check_id", .integer).notNull().indexed().references("checks", onDelete: .cascade)
                t.column("account_prefix", .text).notNull()
                t.column("equity_total", .text).notNull()
                t.column("debt_total", .text).notNull()
                t.column("per_token", .text).notNull()
            }
            // Which audit a tree root belongs to: lets the wizard find the round of a pasted
            // inclusion proof (which does not name its round) and the kept global proof for it.
            try db.create(table: "known_roots") { t in
                t.column("root", .text).notNull().primaryKey(onConflict: .replace)
                t.column("format", .text).notNull()
                t.column("round", .text).notNull()
                t.column("sum_proof_sha256", .text).notNull()
            }
        }
        m.registerMigration("v2: exchange totals per check") { db in
            try db.create(table: "check_totals") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("check_id", .integer).notNull().indexed().references("checks", onDelete: .cascade)
                t.column("round", .text)
                t.column("equity", .text).notNull()
                t.column("debt", .text).notNull()
                t.column("net", .text).notNull()
                t.column("verified", .boolean).notNull()
            }
        }
        m.registerMigration("v3: balance runs and their per-address results") { db in
            // One run of `porcheck balances` over a wallet list with a node configuration; kept
            // while it runs so an interrupted run can be resumed, linked to its check when done.
            try db.create(table: "balance_runs") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("list_sha256", .text).notNull().indexed()
                t.column("list_name", .text).notNull()
                t.column("config_sha256", .text).notNull()
                t.column("scope", .text).notNull()
                t.column("started_at", .datetime).notNull()
                t.column("finished_at", .datetime)
                t.column("check_id", .integer).references("checks", onDelete: .setNull)
            }
            try db.create(table: "balance_results") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("run_id", .integer).notNull().indexed().references("balance_runs", onDelete: .cascade)
                t.column("key", .text).notNull()
                t.column("coin", .text).notNull()
                t.column("network", .text).notNull()
                t.column("address", .text).notNull()
                t.column("height", .text).notNull()
                t.column("lines", .text).notNull()
                t.column("listed", .text)
                t.column("on_chain", .text)
                t.column("verdict", .text).notNull()
                t.column("reason", .text).notNull()
                t.column("source", .text).notNull()
                t.column("error_kind", .text)
                t.column("attempts", .integer).notNull()
                t.column("answered_at", .datetime).notNull()
                t.uniqueKey(["run_id", "key"], onConflict: .replace)
            }
        }
        return m
    }

    // MARK: writing

    /// A check to record, with everything that belongs to it; written in one transaction so a
    /// process killed half-way leaves either all of it or nothing.
    public struct NewCheck: Sendable {
        public var check: CheckRecord
        public var results: [ResultRecord]
        public var files: [FileRecord]
        public var accounts: [AccountRecord]
        public var totals: [TotalsRecord]
        /// Roots to remember with the check (see `rememberRoot`).
        public var knownRoots: [KnownRoot]

        public init(check: CheckRecord, results: [ResultRecord] = [], files: [FileRecord] = [], accounts: [AccountRecord] = [],
                    totals: [TotalsRecord] = [], knownRoots: [KnownRoot] = []) {
            self.check = check
            self.results = results
            self.files = files
            self.accounts = accounts
            self.totals = totals
            self.knownRoots = knownRoots
        }
    }

    /// A tree root a global proof commits to, with its round and the kept proof's SHA-256.
    public struct KnownRoot: Sendable {
        public var root: String
        public var format: String
        public var round: String
        public var sumProofSHA256: String

        public init(root: String, format: String, round: String, sumProofSHA256: String) {
            self.root = root
            self.format = format
            self.round = round
            self.sumProofSHA256 = sumProofSHA256
        }
    }

    @discardableResult
    public func record(_ new: NewCheck) throws -> Int64 {
        try write { db in try insert(new, db) }
    }

    /// Records many checks in one transaction (imports, generated stores for benchmarks).
    @discardableResult
    public func record(_ many: [NewCheck]) throws -> [Int64] {
        try write { db in try many.map { try insert($0, db) } }
    }

    /// Writes the rows with prepared SQL statements: the same columns and values the records'
    /// `insert` (Codable) writes, without its per-record schema look-up and encoding (about 8
    /// million instructions for one verify's check). A record's `id`, when set, is used as the
    /// Codable insert used it; `nil` lets SQLite number the row.
    func insert(_ new: NewCheck, _ db: Database) throws -> Int64 {
        let c = new.check
        try db.cachedStatement(sql: """
            INSERT INTO checks (id, kind, format, round, started_at, finished_at, verdict, rerun_of, origin, summary)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [c.id, c.kind, c.format, c.round, StoredDate.text(c.startedAt), c.finishedAt.map(StoredDate.text), c.verdict, c.rerunOf, c.origin, c.summary])
        let id = db.lastInsertedRowID
        if !new.results.isEmpty {
            let statement = try db.cachedStatement(sql: """
                INSERT INTO check_results (id, check_id, position, file, format, "constraint", verdict, reason, steps, warnings)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            for r in new.results {
                try statement.execute(arguments: [r.id, id, r.position, r.file, r.format, r.constraint, r.verdict, r.reason, r.steps, r.warnings])
            }
        }
        if !new.files.isEmpty {
            let statement = try db.cachedStatement(sql: """
                INSERT INTO check_files (id, check_id, role, original_path, name, sha256, size) VALUES (?, ?, ?, ?, ?, ?, ?)
                """)
            for f in new.files {
                try statement.execute(arguments: [f.id, id, f.role, f.originalPath, f.name, f.sha256, f.size])
            }
        }
        if !new.accounts.isEmpty {
            let statement = try db.cachedStatement(sql: """
                INSERT INTO check_accounts (id, check_id, account_prefix, equity_total, debt_total, per_token) VALUES (?, ?, ?, ?, ?, ?)
                """)
            for a in new.accounts {
                try statement.execute(arguments: [a.id, id, a.accountPrefix, a.equityTotal, a.debtTotal, a.perToken])
            }
        }
        if !new.totals.isEmpty {
            let statement = try db.cachedStatement(sql: """
                INSERT INTO check_totals (id, check_id, round, equity, debt, net, verified) VALUES (?, ?, ?, ?, ?, ?, ?)
                """)
            for t in new.totals {
                try statement.execute(arguments: [t.id, id, t.round, t.equity, t.debt, t.net, t.verified])
            }
        }
        for r in new.knownRoots { try Store.remember(r, db) }
        return id
    }

    // MARK: reading

    public struct Filter: Sendable {
        public var since: Date?
        /// Only checks started at or before this time.
        public var until: Date?
        public var kind: String?
        public var round: String?
        public var failedOnly = false
        public var limit: Int?
        /// Skip this many of the newest (paging).
        public var offset = 0
        public init(since: Date? = nil, until: Date? = nil, kind: String? = nil, round: String? = nil,
                    failedOnly: Bool = false, limit: Int? = nil, offset: Int = 0) {
            self.offset = offset
            self.since = since
            self.until = until
            self.kind = kind
            self.round = round
            self.failedOnly = failedOnly
            self.limit = limit
        }
    }

    /// The checks a filter selects (without its limit).
    func request(_ filter: Filter) -> QueryInterfaceRequest<CheckRecord> {
        var request = CheckRecord.all()
        if let since = filter.since { request = request.filter(Column("started_at") >= since) }
        if let until = filter.until { request = request.filter(Column("started_at") <= until) }
        if let kind = filter.kind { request = request.filter(Column("kind") == kind) }
        if let round = filter.round { request = request.filter(Column("round") == round) }
        if filter.failedOnly { request = request.filter(Column("verdict") == "failed") }
        return request
    }

    /// How many checks match, ignoring the limit (for "N more" hints).
    public func count(_ filter: Filter = Filter()) throws -> Int {
        try read { db in try request(filter).fetchCount(db) }
    }

    /// Checks, newest first.
    public func checks(_ filter: Filter = Filter()) throws -> [CheckRecord] {
        try read { db in
            var ordered = request(filter).order(Column("started_at").desc, Column("id").desc)
            if let limit = filter.limit { ordered = ordered.limit(limit, offset: filter.offset) }
            return try ordered.fetchAll(db)
        }
    }

    public struct CheckDetail: Sendable {
        public var check: CheckRecord
        public var results: [ResultRecord]
        public var files: [FileRecord]
        public var accounts: [AccountRecord]
        public var totals: [TotalsRecord]
    }

    public func detail(id: Int64) throws -> CheckDetail? {
        try read { db in
            guard let check = try CheckRecord.fetchOne(db, key: id) else { return nil }
            let results = try ResultRecord.filter(Column("check_id") == id).order(Column("position")).fetchAll(db)
            let files = try FileRecord.filter(Column("check_id") == id).order(Column("id")).fetchAll(db)
            let accounts = try AccountRecord.filter(Column("check_id") == id).order(Column("id")).fetchAll(db)
            let totals = try TotalsRecord.filter(Column("check_id") == id).order(Column("id")).fetchAll(db)
            return CheckDetail(check: check, results: results, files: files, accounts: accounts, totals: totals)
        }
    }

    /// Every account balance recorded, oldest check first (one query, for trends).
    public func accountHistory(prefix: String? = nil) throws -> [(checkID: Int64, startedAt: Date, account: AccountRecord)] {
        try read { db in
            var sql = "SELECT a.*, c.started_at AS c_started FROM check_accounts a JOIN checks c ON c.id = a.check_id"
            var arguments: StatementArguments = []
            if let prefix {
                sql += " WHERE a.account_prefix = ?"
                arguments = [prefix]
            }
            sql += " ORDER BY c.started_at, c.id, a.id"
            return try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
                (row["check_id"], row["c_started"], try AccountRecord(row: row))
            }
        }
    }

    /// Whether a kept sum-proof file exists for a round (the wizard then need not ask for it).
    public func keptFile(role: String, round: String) throws -> FileRecord? {
        try read { db in
            let sql = """
                SELECT f.* FROM check_files f JOIN checks c ON c.id = f.check_id
                WHERE f.role = ? AND c.round = ? ORDER BY c.started_at DESC, f.id DESC
                """
            for record in try FileRecord.fetchAll(db, sql: sql, arguments: [role, round])
            where FileManager.default.fileExists(atPath: keptFileURL(sha256: record.sha256).path) {
                return record
            }
            return nil
        }
    }

    /// Remembers that a global proof (kept under `sumProofSHA256`) commits to `root` for `round`.
    public func rememberRoot(_ root: String, format: String, round: String, sumProofSHA256: String) throws {
        try write { db in
            try Store.remember(KnownRoot(root: root, format: format, round: round, sumProofSHA256: sumProofSHA256), db)
        }
    }

    static func remember(_ r: KnownRoot, _ db: Database) throws {
        try db.execute(sql: "INSERT OR REPLACE INTO known_roots (root, format, round, sum_proof_sha256) VALUES (?, ?, ?, ?)",
                       arguments: [r.root, r.format, r.round, r.sumProofSHA256])
    }

    /// The round and kept global proof for a root, if porcheck has seen it.
    public func knownRoot(_ root: String) throws -> (round: String, format: String, sumProofSHA256: String)? {
        try read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT round, format, sum_proof_sha256 FROM known_roots WHERE root = ?", arguments: [root]) else {
                return nil
            }
            let round: String = row["round"], format: String = row["format"], sha: String = row["sum_proof_sha256"]
            guard FileManager.default.fileExists(atPath: keptFileURL(sha256: sha).path) else { return nil }
            return (round, format, sha)
        }
    }

    // MARK: kept files

    public func keptFileURL(sha256: String) -> URL {
        filesDirectory.appendingPathComponent(String(sha256.prefix(2))).appendingPathComponent(sha256)
    }

    /// Copies a file into the content-addressed folder (if not already there) and returns its
    /// hash and size, in pieces: memory stays the same whatever the file's size (wallet lists and
    /// Merkle tree files run to hundreds of MB). The file is read once for its hash and, when the
    /// folder does not have it yet, again for the copy, whose own hash must be the same (a file
    /// that changed in between is refused, not kept under the wrong name). The copy is written to
    /// a temporary name, synced and renamed, so it is whole or absent.
    public func keep(fileAt path: String) throws -> (sha256: String, size: Int64) {
        // Files up to a few MB (proofs, most wallet lists) are read whole: one read, and SHA-256
        // with the CPU's SHA instructions where it has them (the pieces go through libsodium's
        // streaming hash, about 4x slower there).
        if let data = Store.wholeIfSmall(path) { return try keep(data: data) }
        let hash: String, size: Int64
        do { (hash, size) = try Store.stream(path, to: nil) } catch {
            throw StoreError.io(path: path, reason: "cannot be read to keep a copy (\(error))")
        }
        let target = keptFileURL(sha256: hash)
        var prepared = PreparedKeep(sha256: hash, size: size, temporary: nil)
        if !Store.exists(target.path) {
            try Store.makePrivateDirectory(target.deletingLastPathComponent())
            prepared.temporary = try Store.copySynced(path, besides: target, expecting: hash,
                                                      mismatch: "changed while a copy was being kept (its SHA-256 is no longer the one just read)")
        }
        return try place(prepared)
    }

    /// A file's SHA-256 (lowercase hex) and size, read in pieces, without keeping it.
    public static func digest(ofFileAt path: String) throws -> (sha256: String, size: Int64) {
        if let data = wholeIfSmall(path) { return (Hex.encode(SHA256.hash(data)), Int64(data.count)) }
        do { return try stream(path, to: nil) } catch {
            throw StoreError.io(path: path, reason: "cannot be read (\(error))")
        }
    }

    /// Writes a kept file to `url` (mode 0600, atomically: temporary name and rename), in pieces,
    /// checking while it copies that the kept file still has the hash it was stored under.
    public func copyKept(sha256: String, to url: URL) throws {
        let kept = keptFileURL(sha256: sha256)
        guard Store.exists(kept.path) else { throw StoreError.io(path: kept.path, reason: Store.keptFileMissing) }
        try Store.moveIntoPlace(try Store.copySynced(kept.path, besides: url, expecting: sha256, mismatch: Store.keptFileChanged), to: url)
    }

    /// A kept file's location, once it has been read through and still has the hash it was
    /// stored under (for reading it where it is, in pieces).
    public func checkedKeptFile(sha256: String) throws -> URL {
        let kept = keptFileURL(sha256: sha256)
        guard Store.exists(kept.path) else { throw StoreError.io(path: kept.path, reason: Store.keptFileMissing) }
        guard try Store.stream(kept.path, to: nil).0 == sha256 else {
            throw StoreError.io(path: kept.path, reason: Store.keptFileChanged)
        }
        return kept
    }

    /// The largest file `keep(fileAt:)` and `digest(ofFileAt:)` read whole; larger ones go in pieces.
    static let wholeReadLimit: Int = 8 << 20

    /// The bytes of a regular file of at most `wholeReadLimit` bytes; nil for a larger one or
    /// one that cannot be read so (its reading in pieces then says why).
    static func wholeIfSmall(_ path: String) -> Data? {
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, info.st_size <= wholeReadLimit else { return nil }
        return try? Data(contentsOf: URL(fileURLWithPath: path))
    }

    static let keptFileMissing = "the kept file is missing"
    static let keptFileChanged = "the kept file no longer matches its SHA-256 (changed or damaged)"

    /// Reads `path` in 1 MiB pieces, handing each to `sink` (when given); returns the SHA-256
    /// (lowercase hex) and size of what was read.
    static func stream(_ path: String, to sink: ((UnsafeRawBufferPointer) throws -> Void)?) throws -> (String, Int64) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw StoreError.io(path: path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        var sha = IncrementalSHA256()
        var size: Int64 = 0
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
        defer { buffer.deallocate() }
        guard let base = buffer.baseAddress else { throw StoreError.io(path: path, reason: "no memory for reading") }
        while true {
            let n = Glibc.read(fd, base, buffer.count)
            if n < 0 {
                if errno == EINTR { continue }
                throw StoreError.io(path: path, reason: String(cString: strerror(errno)))
            }
            if n == 0 { break }
            let piece = UnsafeRawBufferPointer(start: base, count: n)
            sha.update(piece)
            try sink?(piece)
            size += Int64(n)
        }
        return (Hex.encode(sha.finish()), size)
    }

    /// Copies `path` to a new temporary file (mode 0600) in `target`'s folder, named as
    /// `sweepTemporaryFiles` expects, and syncs it; the copy's SHA-256 must be `expecting`, or
    /// the copy is removed and the call fails with `mismatch` about `path`.
    static func copySynced(_ path: String, besides target: URL, expecting: String, mismatch: String) throws -> URL {
        let temp = temporaryURL(besides: target)
        let fd = open(temp.path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw StoreError.io(path: target.path, reason: "cannot write the file (\(String(cString: strerror(errno))))")
        }
        do {
            let (hash, _) = try stream(path) { piece in
                var offset = 0
                while offset < piece.count, let base = piece.baseAddress {
                    let n = Glibc.write(fd, base + offset, piece.count - offset)
                    if n < 0 {
                        if errno == EINTR { continue }
                        throw StoreError.io(path: target.path, reason: "cannot write the file (\(String(cString: strerror(errno))))")
                    }
                    offset += n
                }
            }
            guard hash == expecting else {
                throw StoreError.io(path: path, reason: mismatch)
            }
            guard fdatasync(fd) == 0 else {
                throw StoreError.io(path: target.path, reason: "cannot write the file (\(String(cString: strerror(errno))))")
            }
        } catch {
            close(fd)
            unlink(temp.path)
            throw error
        }
        close(fd)
        return temp
    }

    /// `sha256`, when given, is the bytes' hash already computed (lowercase hex).
    public func keep<Bytes: ContiguousBytes & Collection>(data: Bytes, sha256: String? = nil) throws -> (sha256: String, size: Int64)
    where Bytes.Element == UInt8 {
        try place(try prepareKeep(data: data, sha256: sha256))
    }

    /// A file on its way into the kept-files folder: its hash and size, and, when the folder
    /// does not have it yet, a complete copy synced to disk under a temporary name.
    public struct PreparedKeep: Sendable {
        public var sha256: String
        public var size: Int64
        var temporary: URL?
    }

    /// The slow half of keeping a file (hashing, writing, syncing), which can run on another core
    /// while the check runs; `place` then moves the copy into place when the check is recorded,
    /// and `discard` removes it when it is not (a crashed process's copy is swept later).
    /// `data`: `Data` or a byte array (the checks hold the files they read as byte arrays).
    public func prepareKeep<Bytes: ContiguousBytes & Collection>(data: Bytes, sha256: String? = nil) throws -> PreparedKeep
    where Bytes.Element == UInt8 {
        let hash = sha256 ?? Hex.encode(SHA256.hash(data))
        let target = keptFileURL(sha256: hash)
        var prepared = PreparedKeep(sha256: hash, size: Int64(data.count), temporary: nil)
        if !Store.exists(target.path) {
            try Store.makePrivateDirectory(target.deletingLastPathComponent())
            prepared.temporary = try Store.writeSynced(data, besides: target)
        }
        return prepared
    }

    /// Moves a prepared copy into place (unless the file got there meanwhile) and syncs the
    /// folder, so that a recorded check does not outlive its file in a power loss.
    public func place(_ prepared: PreparedKeep) throws -> (sha256: String, size: Int64) {
        if let temporary = prepared.temporary {
            let target = keptFileURL(sha256: prepared.sha256)
            if Store.exists(target.path) {
                unlink(temporary.path)
            } else {
                try Store.moveIntoPlace(temporary, to: target)
                Store.syncFolder(target.deletingLastPathComponent().path)
            }
        }
        return (prepared.sha256, prepared.size)
    }

    public func discard(_ prepared: PreparedKeep) {
        if let temporary = prepared.temporary { unlink(temporary.path) }
    }

    static func exists(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0
    }

    /// Writes `data` to a new temporary file (mode 0600) in `target`'s folder, named as
    /// `sweepTemporaryFiles` expects, and syncs it. Returns its URL.
    static func writeSynced(_ data: some ContiguousBytes, besides target: URL) throws -> URL {
        let temp = temporaryURL(besides: target)
        let fd = open(temp.path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw StoreError.io(path: target.path, reason: "cannot write the file (\(String(cString: strerror(errno))))")
        }
        var failure: String?
        data.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) in
            var offset = 0
            while offset < bytes.count, let base = bytes.baseAddress {
                let n = Glibc.write(fd, base + offset, bytes.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = String(cString: strerror(errno))
                    return
                }
                offset += n
            }
        }
        if failure == nil, fdatasync(fd) != 0 { failure = String(cString: strerror(errno)) }
        close(fd)
        if let failure {
            unlink(temp.path)
            throw StoreError.io(path: target.path, reason: "cannot write the file (\(failure))")
        }
        return temp
    }

    static func syncFolder(_ path: String) {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        _ = fsync(fd)
        close(fd)
    }

    /// Reads a kept file back, checking it still has the hash it was stored under.
    public func keptData(sha256: String) throws -> Data {
        let url = keptFileURL(sha256: sha256)
        guard let data = try? Data(contentsOf: url) else {
            throw StoreError.io(path: url.path, reason: Store.keptFileMissing)
        }
        guard Hex.encode(SHA256.hash(data)) == sha256 else {
            throw StoreError.io(path: url.path, reason: Store.keptFileChanged)
        }
        return data
    }

    // MARK: forgetting

    /// Deletes one check and the kept files no other check uses. Returns whether it existed.
    @discardableResult
    public func delete(id: Int64) throws -> Bool {
        let orphaned: [String] = try write { db in
            let hashes = try String.fetchAll(db, sql: "SELECT DISTINCT sha256 FROM check_files WHERE check_id = ?", arguments: [id])
            try db.execute(sql: "DELETE FROM balance_runs WHERE check_id = ?", arguments: [id])
            guard try CheckRecord.deleteOne(db, key: id) else { return [] }
            return try hashes.filter { hash in
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM check_files WHERE sha256 = ?", arguments: [hash]) == 0
            }
        }
        for hash in orphaned { try? FileManager.default.removeItem(at: keptFileURL(sha256: hash)) }
        return try read { db in try CheckRecord.fetchOne(db, key: id) } == nil
    }

    /// Deletes every check, every kept file and every saved audit folder.
    public func deleteEverything() throws {
        try write { db in
            _ = try CheckRecord.deleteAll(db)
            try db.execute(sql: "DELETE FROM known_roots")
            try db.execute(sql: "DELETE FROM balance_runs")
        }
        try? FileManager.default.removeItem(at: filesDirectory)
        try? FileManager.default.removeItem(at: auditsDirectory)
    }

    // MARK: plumbing

    func read<T>(_ body: (Database) throws -> T) throws -> T {
        let queue = try database.queue { try Store.openDatabase(directory) }
        do { return try queue.read(body) } catch let e as DatabaseError {
            throw StoreError.unusable(path: databasePath, reason: Store.describe(e))
        }
    }

    func write<T>(_ body: (Database) throws -> T) throws -> T {
        let queue = try database.queue { try Store.openDatabase(directory) }
        do { return try queue.write(body) } catch let e as DatabaseError {
            throw StoreError.unusable(path: databasePath, reason: Store.describe(e))
        }
    }

    /// Creates a folder (and parents) readable by the user only.
    public static func makePrivateDirectory(_ url: URL) throws {
        do {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        } catch {
            throw StoreError.io(path: url.path, reason: "cannot create the folder (\(error.localizedDescription))")
        }
    }

    /// Writes a file atomically with mode 0600: a temporary file in the same folder, then rename.
    public static func writeAtomically(_ data: Data, to url: URL) throws {
        let temp = temporaryURL(besides: url)
        guard FileManager.default.createFile(atPath: temp.path, contents: data, attributes: [.posixPermissions: 0o600]) else {
            throw StoreError.io(path: url.path, reason: "cannot write the file")
        }
        try moveIntoPlace(temp, to: url)
    }

    /// A temporary name in `target`'s folder, as `sweepTemporaryFiles` expects:
    /// `.<name>.<pid>.<random>.tmp`.
    static func temporaryURL(besides target: URL) -> URL {
        target.deletingLastPathComponent()
            .appendingPathComponent(".\(target.lastPathComponent).\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp")
    }

    /// Renames a finished temporary file to `url`; on failure removes it and says why.
    static func moveIntoPlace(_ temporary: URL, to url: URL) throws {
        guard rename(temporary.path, url.path) != 0 else { return }
        let reason = String(cString: strerror(errno))
        unlink(temporary.path)
        throw StoreError.io(path: url.path, reason: "cannot move the file into place (\(reason))")
    }
}

public enum StoreError: Error, CustomStringConvertible, Sendable {
    case unusable(path: String, reason: String)
    case io(path: String, reason: String)

    public var description: String {
        switch self {
        case .unusable(let path, let reason): return "\(path): the history store cannot be used: \(reason)"
        case .io(let path, let reason): return "\(path): \(reason)"
        }
    }
}

/// The store's database connection, opened once on first need (by whichever thread asks first).
/// A failed open is not remembered: the next use tries again and reports its own error.
final class LazyDatabase: @unchecked Sendable {
    private let lock = NSLock()
    private var opened: DatabaseQueue?

    func queue(opening open: () throws -> DatabaseQueue) throws -> DatabaseQueue {
        lock.lock()
        defer { lock.unlock() }
        if let opened { return opened }
        let queue = try open()
        opened = queue
        return queue
    }
}
