import Foundation
import Field
import Hashing

/// A zk-STARK v1 `*_inclusion_proof.json` (SPEC §3.8): the user's leaf in its batch tree and
/// the batch's leaf in the trunk tree.
public struct StarkV1InclusionProof: Sendable {
    public struct Part: Sendable, Hashable {
        public var root: String
        public var id: String
        public var total: String
        /// Raw value strings in config order.
        public var coinValues: [String]
        public var random: String
        public var path: [String]
    }

    public var config: StarkV1Config
    public var batch: Part
    public var trunk: Part
    public var userIndex: Int
    public var batchIndex: Int
    public var uts: Int

    public static func read(path: String) throws -> StarkV1InclusionProof {
        try parse(document: try ProofJSON.parse(bytes: try JSONInput.readBytes(path, maximumSize: 16 << 20), file: path))
    }

    public static func parse(_ data: Data, file: String?) throws -> StarkV1InclusionProof {
        try parse(document: try ProofJSON.parse(data, file: file))
    }

    static func parse(document: ProofJSON.Document) throws -> StarkV1InclusionProof {
        let file = document.file
        let top = try ProofJSONObject(document)
        let configObject = try top.object("config")
        let m = try configObject.count("main_coins_num")
        let coins = try configObject.strings("coins")
        guard !coins.isEmpty, coins.count <= 4096 else { throw InputError(file: file, "config lists \(coins.count) coins") }
        guard Set(coins).count == coins.count else { throw InputError(file: file, "config lists a coin twice") }
        let config = StarkV1Config(mainCoinsNum: m, coins: coins)
        let b = try top.object("batch_inclusion_proof"), t = try top.object("trunk_inclusion_proof")
        func part(_ o: ProofJSONObject, rootKey: String, idKey: String) throws -> Part {
            Part(root: try o.string(rootKey), id: try o.string(idKey), total: try o.string("total_value"),
                 coinValues: try config.coins.map { try o.string($0) }, random: try o.string("random_number"),
                 path: try o.strings("merkle_path"))
        }
        return StarkV1InclusionProof(config: config,
                                     batch: try part(b, rootKey: "batch_mtree_root", idKey: "user_id"),
                                     trunk: try part(t, rootKey: "trunk_mtree_root", idKey: "batch_id"),
                                     userIndex: try b.count("user_index"), batchIndex: try b.count("batch_index"), uts: try b.count("uts"))
    }

    /// The user's balances as printed (for display and history), with total_value.
    public var userBalances: [String: String] {
        var out = [String: String]()
        for (coin, v) in zip(config.coins, batch.coinValues) { out[coin] = v }
        out["total_value"] = batch.total
        return out
    }

    /// Result of checking one part: the OKX-visible failure (exceptions and assertion failures
    /// alike) or the strict problems that OKX lets through.
    struct PartCheck: Sendable {
        var failure: String?
        var strictProblems: [String] = []
        /// Each coin's value mod p, then total_value, as 32 big-endian bytes (what the leaf holds).
        var values: [Bytes32] = []
    }

    /// Leaf = Keccak(BE32(total) ‖ Keccak(BE32(coin mod p)…) ‖ id ‖ random); checked at `position`.
    static func checkPart(_ p: Part, coins: [String], position: Int, what: String) -> PartCheck {
        var check = PartCheck()
        guard let (totalBytes, totalInField) = DecimalAmount.unsigned256(p.total.utf8) else {
            check.failure = "\(what): total_value \(p.total.prefix(40)) is not a whole number in [0, 2^256)"
            return check
        }
        if !totalInField { check.strictProblems.append("\(what): total_value is ≥ p") }
        var concat = [UInt8]()
        concat.reserveCapacity(32 * coins.count)
        check.values.reserveCapacity(coins.count + 1)
        for (coin, text) in zip(coins, p.coinValues) {
            guard let (v, inRange) = DecimalAmount.residue(text.utf8) else {
                check.failure = "\(what): \(coin) value \(text.prefix(40)) is not a whole number"
                return check
            }
            if !inRange {
                check.strictProblems.append("\(what): \(coin) value \(text.prefix(80)) is outside (−p, p), not a valid amount (OKX reduces it mod p)")
            }
            check.values.append(v)
            concat += v.bytes
        }
        check.values.append(totalBytes)
        guard let id = Hex.decode(p.id), let random = Hex.decode(p.random), let rootBytes = Hex.decode(p.root), let root = Bytes32(rootBytes) else {
            check.failure = "\(what): an id, random number or root is not valid hex"
            return check
        }
        var nodes = [Bytes32]()
        nodes.reserveCapacity(p.path.count)
        for s in p.path {
            guard let bytes = Hex.decode(s), let node = Bytes32(bytes) else { check.failure = "\(what): merkle_path has an entry that is not 32 bytes of hex"; return check }
            nodes.append(node)
        }
        let depth = nodes.count - 1
        guard depth >= 2, depth <= 40, position < 1 << depth else {
            check.failure = "\(what): merkle_path of \(nodes.count) entries cannot reach position \(position)"
            return check
        }
        let path = StarkV1SumProof.Branch(nodes: nodes, present: (1 << UInt64(depth + 1)) - 1)
        let expected = Keccak256.digest(totalBytes.bytes + Keccak256.hash(concat) + id + random)
        do {
            let leaf = try PermutedMerkle.verifyBranch(root: root, index: position, branch: path, depth: depth, what: what)
            guard leaf == expected else {
                check.failure = "\(what): the leaf in the Merkle path is not the hash of the listed values (leaf mismatch)"
                return check
            }
        } catch {
            check.failure = "\(error)"
        }
        return check
    }

    /// OKX's checks plus the strict ones, without a sum-proof folder. `trunkValues` are the
    /// trunk leaf's values mod p (coins, then total_value) when both parts were checked.
    func verifyStandalone(file: String, trunkChecks: TrunkCheckCache? = nil) -> (failure: String?, strict: [String], steps: [String], trunkValues: [Bytes32]) {
        var steps = [String]()
        guard uts >= 4, uts <= 64, uts & (uts - 1) == 0 else {
            return ("uts \(uts) is not a power of two in [4, 64]", [], steps, [])
        }
        let userPosition = 16 * (uts * (userIndex + 1) + uts - 2)
        let b = Self.checkPart(batch, coins: config.coins, position: userPosition, what: "batch")
        if let f = b.failure { return (f, b.strictProblems, steps, []) }
        steps.append("user leaf recomputed (total \(batch.total)) and its path reaches batch root \(batch.root.prefix(16))…")
        let batchPosition = 16 * (32 * (batchIndex + 1) + 30)
        let t = trunkChecks?.check(trunk, coins: config.coins, position: batchPosition)
            ?? Self.checkPart(trunk, coins: config.coins, position: batchPosition, what: "trunk")
        if let f = t.failure { return (f, b.strictProblems + t.strictProblems, steps, []) }
        steps.append("batch leaf recomputed and its path reaches trunk root \(trunk.root.prefix(16))…")
        guard trunk.id == batch.root else {
            return ("trunk batch_id \(trunk.id.prefix(16))… is not the batch root \(batch.root.prefix(16))…", b.strictProblems + t.strictProblems, steps, [])
        }
        steps.append("trunk's batch_id equals the batch root")
        return (nil, b.strictProblems + t.strictProblems, steps, t.values)
    }
}

/// The trunk half of an inclusion proof is the same for every user of a batch (the batch's
/// leaf and path in the trunk tree), so a folder's files share a few distinct trunk parts. Each
/// distinct one (same values, path, coins and position) is checked once; the check is a pure
/// function of exactly those inputs, so a repeat gets the very same result.
final class TrunkCheckCache: @unchecked Sendable {
    struct Key: Hashable {
        var part: StarkV1InclusionProof.Part
        var coins: [String]
        var position: Int
    }

    private var checks = [Key: StarkV1InclusionProof.PartCheck]()
    private let lock = NSLock()

    func check(_ part: StarkV1InclusionProof.Part, coins: [String], position: Int) -> StarkV1InclusionProof.PartCheck {
        let key = Key(part: part, coins: coins, position: position)
        lock.lock()
        let known = checks[key]
        lock.unlock()
        if let known { return known }
        // Two workers may check the same part at once; both get the same answer.
        let result = StarkV1InclusionProof.checkPart(part, coins: coins, position: position, what: "trunk")
        lock.lock()
        checks[key] = result
        lock.unlock()
        return result
    }
}
