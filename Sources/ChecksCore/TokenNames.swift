import LiabilitiesCore

/// Token names for the positions of `equity[]` / `debt[]` in a zk-STARK v2 inclusion proof.
///
/// The proof itself carries no names. OKX's prover takes them, in order, from its token
/// configuration; porcheck ships OKX's default list (`Resources/tokens/okx-default.json`) and uses
/// it only when the proof has exactly that many tokens. Otherwise positions are shown as `#k`:
/// a guess would be worse than a number.
public enum TokenNames {
    public static func names(count: Int, resources: ResourceLocator) -> [String] {
        if let list = resources.okxDefaultTokens(), list.count == count { return list }
        return (0..<count).map { "#\($0)" }
    }
}
