/// A small deterministic generator (a 64-bit LCG with its high bits folded in) for the tests'
/// random proofs, values and damage: the same sequence on every run.
struct Generator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return state ^ (state >> 29)
    }
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(max(n, 1))) }
}

/// What a check gave, as text to compare: "passed: …" with its value or "failed: …" with the error.
func outcome(_ body: () throws -> Any) -> String {
    do { return "passed: \(try body())" } catch { return "failed: \(error)" }
}
