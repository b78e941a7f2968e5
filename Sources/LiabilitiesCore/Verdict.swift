/// The proof generations OKX has published, as named in `porcheck verify --json` (`format`).
public enum ProofFormat: String, Sendable, Codable, CaseIterable {
    /// Merkle tree v1 (Nov 2022 – Mar 2023): `merkle_proof_file.json`.
    case merkleV1 = "merkle-v1"
    /// Merkle tree v2 (from Mar 2023): `user_info_file.json` + the full liabilities tree.
    case merkleV2 = "merkle-v2"
    /// zk-STARK v1 (Apr 2023 – Aug 2024): `sum_proof_data/` folder + `*_inclusion_proof.json`.
    case zkStarkV1 = "zk-stark-v1"
    /// zk-STARK v2 (since Sep 2024): plonky2 `sum_proof_data.json` + `*_inclusion_proof.json`.
    case zkStarkV2 = "zk-stark-v2"
}

/// Which of OKX's constraints a check is about (`constraint` in `verify --json`).
public enum ConstraintKind: String, Sendable, Codable {
    /// "Inclusion constraint": the user's balance is a leaf of the published liabilities tree.
    case inclusion
    /// "Total sum and non-negative constraint": the published totals add up, no account negative.
    case sum
}

/// The outcome of one check (`verdict` in `verify --json`).
public enum VerdictValue: String, Sendable, Codable {
    case passed
    case failed
    /// porcheck did not verify this constraint; it never prints "passed" for it.
    case notVerified = "not-verified"
}

/// One constraint checked for one file: what porcheck concluded, why, and what it checked.
public struct Verdict: Sendable, Codable, Equatable {
    public var file: String
    public var format: ProofFormat
    public var constraint: ConstraintKind
    public var verdict: VerdictValue
    /// One line: why it passed, failed or was not verified (on failure: which check failed).
    public var reason: String
    /// The individual checks made, in order, each a short sentence ("leaf hash recomputed from …").
    public var steps: [String]
    /// Things the user should know that do not change the verdict (e.g. an unknown circuit digest,
    /// or a check OKX's own tool skips and porcheck made).
    public var warnings: [String]
    /// What OKX's own validator would print, when it differs from porcheck's verdict.
    public var okxVerdict: VerdictValue?

    public init(file: String, format: ProofFormat, constraint: ConstraintKind, verdict: VerdictValue,
                reason: String, steps: [String] = [], warnings: [String] = [], okxVerdict: VerdictValue? = nil) {
        self.file = file
        self.format = format
        self.constraint = constraint
        self.verdict = verdict
        self.reason = reason
        self.steps = steps
        self.warnings = warnings
        self.okxVerdict = okxVerdict
    }

    /// OKX's own sentence for this verdict, as its validators print it. A constraint porcheck did
    /// not verify gets no OKX sentence: porcheck says so in its own words instead.
    public var okxSentence: String {
        let subject: String
        switch constraint {
        case .inclusion: subject = "Inclusion constraint validation"
        case .sum: subject = "Total sum and non-negative constraint validation"
        }
        switch verdict {
        case .passed: return "\(subject) passed"
        case .failed: return "\(subject) failed"
        case .notVerified: return "\(subject) NOT VERIFIED by porcheck"
        }
    }
}

/// A problem with the input itself (unreadable, malformed, wrong format): exit code 2, one line.
public struct InputError: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String?
    public var message: String

    public init(file: String? = nil, _ message: String) {
        self.file = file
        self.message = message
    }

    public var description: String {
        if let file { return "\(file): \(message)" }
        return message
    }
}
