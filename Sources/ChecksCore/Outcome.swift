import LiabilitiesCore

/// The result of one porcheck run over some proof files: every constraint's verdict, the user's
/// own balances, and what to keep in the history.
public struct Outcome: Sendable {
    public var verdicts: [Verdict] = []
    /// Accounts shown by the inclusion proofs (the user's own balances).
    public var accounts: [AccountBalances] = []
    /// The audit round, when the files name it.
    public var round: String?
    /// The exchange-wide totals the global proof claims (verified or not: see `totalsVerified`).
    public var totals: ExchangeTotals?
    /// Files used: role, path, and the bytes read (kept in the store by content hash).
    public var files: [UsedFile] = []
    /// The history entry this outcome was recorded as.
    public var historyID: Int64?
    /// Warnings that belong to the run rather than to one check.
    public var notes: [String] = []
    /// Roots the global proofs of this run commit to, by the path of the global proof file (the
    /// store remembers them so a later pasted proof finds its round).
    public var committedRoots: [String: (root: String, round: String)] = [:]

    public init() {}

    /// `failed` if any check failed, else `not-verified` if any was not verified, else `passed`.
    public var overall: VerdictValue {
        if verdicts.contains(where: { $0.verdict == .failed }) { return .failed }
        if verdicts.isEmpty || verdicts.contains(where: { $0.verdict == .notVerified }) { return .notVerified }
        return .passed
    }

    /// The process exit code: 1 when a check failed, 0 otherwise (a `not-verified` check is
    /// reported, not counted as a failure; scripts read it from `--json`).
    public var exitCode: Int32 { overall == .failed ? 1 : 0 }
}

public struct UsedFile: Sendable {
    /// What is kept of the file: the bytes the check read, or the file on disk, copied into the
    /// store in pieces when the check is recorded (files that can run to hundreds of MB, such as
    /// a Merkle tree file, are never held in memory whole).
    public enum Content: Sendable {
        case bytes([UInt8])
        case file(atPath: String)
    }

    public var role: String
    /// The path shown and recorded (a re-run puts the original path back here).
    public var path: String
    public var content: Content
    /// Where the file goes when a re-run lays the check's files out again: usually its name,
    /// or a relative path inside a data set folder (zk-STARK v1's `set/sum_proof_data/…`).
    public var layoutName: String

    public init(role: String, path: String, data: [UInt8], layoutName: String? = nil) {
        self.init(role: role, path: path, content: .bytes(data), layoutName: layoutName)
    }

    public init(role: String, path: String, content: Content, layoutName: String? = nil) {
        self.role = role
        self.path = path
        self.content = content
        self.layoutName = layoutName ?? PathText.lastComponent(path)
    }
}

public struct ExchangeTotals: Sendable, Equatable {
    public var equity: String
    public var debt: String
    /// equity − debt, as a signed decimal.
    public var net: String
    public var verified: Bool

    public init(equity: String, debt: String, net: String, verified: Bool) {
        self.equity = equity
        self.debt = debt
        self.net = net
        self.verified = verified
    }
}

/// One account's balances from an inclusion proof.
public struct AccountBalances: Sendable, Equatable {
    public var file: String
    public var accountID: String
    public var tokens: [TokenBalance]
    public var equityTotal: String
    public var debtTotal: String

    public var accountPrefix: String { String(accountID.prefix(8)) }

    public init(file: String, accountID: String, tokens: [TokenBalance], equityTotal: String, debtTotal: String) {
        self.file = file
        self.accountID = accountID
        self.tokens = tokens
        self.equityTotal = equityTotal
        self.debtTotal = debtTotal
    }
}

public struct TokenBalance: Sendable, Equatable {
    /// The token's name when porcheck knows the token list of the proof, else `#k`.
    public var token: String
    public var equity: String
    public var debt: String

    public init(token: String, equity: String, debt: String) {
        self.token = token
        self.equity = equity
        self.debt = debt
    }
}

extension Outcome {
    /// Adds another outcome's verdicts, accounts and files to this one.
    public mutating func absorb(_ other: Outcome) {
        verdicts += other.verdicts
        accounts += other.accounts
        files += other.files
        notes += other.notes
        committedRoots.merge(other.committedRoots) { a, _ in a }
        if let r = other.round {
            if let mine = round, !mine.split(separator: ",").contains(Substring(r)) { round = mine + "," + r } else if round == nil { round = r }
        }
        if totals == nil { totals = other.totals }
    }
}
