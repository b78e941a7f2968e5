/// Token names for the positions of `equity[]` / `debt[]` in a zk-STARK v2 inclusion proof.
///
/// The proof itself carries no names. OKX's prover takes them, in order, from its token
/// configuration; porcheck ships OKX's default list (`Resources/tokens/okx-default.json`) and uses
/// it only when the proof has exactly that many tokens. Otherwise positions are shown as `#k`:
/// a guess would be worse than a number.
public enum TokenNames {
    /// `list`: OKX's default list as `ResourceLocator.okxDefaultTokens` reads it, if it could.
    public static func names(count: Int, list: [String]?) -> [String] {
        if let list, list.count == count { return list }
        return (0..<count).map { "#\($0)" }
    }
}
