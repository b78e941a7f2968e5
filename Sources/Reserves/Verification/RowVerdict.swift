/// The four verdicts a wallet row can get; they are never merged.
public enum RowVerdict: String, Sendable, Codable, CaseIterable {
    /// The signature is valid and the key provably belongs to the listed address.
    case verified
    /// The row does not prove anything: bad signature, wrong address, malformed row (see reason).
    case failed
    /// The signature is valid but cannot be bound to the address offline (reason says why).
    case unproven
    /// The row is not checked: excluded or unsupported coin, status column, scheme not implemented.
    case skipped
}

/// The verdict of one row with its reason (empty for a plain `verified`).
public struct RowOutcome: Sendable, Equatable {
    public let verdict: RowVerdict
    public let reason: String

    public static let verified = RowOutcome(verdict: .verified, reason: "")
    public static func failed(_ reason: String) -> RowOutcome { RowOutcome(verdict: .failed, reason: reason) }
    public static func unproven(_ reason: String) -> RowOutcome { RowOutcome(verdict: .unproven, reason: reason) }
    public static func skipped(_ reason: String) -> RowOutcome { RowOutcome(verdict: .skipped, reason: reason) }
}

/// Thrown inside chain verifiers when a row fails; caught by the row verifier.
struct RowFailure: Error {
    let reason: String
    init(_ reason: String) { self.reason = reason }
}

/// A scheme we recognise but have not implemented: the row is skipped with this reason.
struct UnsupportedScheme: Error {
    let reason: String
    init(_ reason: String) { self.reason = reason }
}
