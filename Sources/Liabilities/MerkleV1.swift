import Foundation
import Hashing

/// OKX's first proof generation (Nov 2022 – Mar 2023): `merkle_proof_file.json`, one user's leaf
/// and the sibling path up to the root of a SHA-256 sum tree (SPEC §1).
public enum MerkleV1 {
    struct Node {
        var balances: LegacyBalances?
        var type: Int64
        var hash: String
        var height: Int64
        var nonce: String?
    }

    /// The user's own balances in a v1 file (for display and history).
    public static func userBalances(path: String) throws -> [String: String] {
        let data = try JSONInput.readFile(path)
        return try userBalances(jsonData: data, file: path)
    }

    public static func userBalances(jsonData: Data, file: String?) throws -> [String: String] {
        let top = try JSONObject(try JSONInput.parse(jsonData, file: file), file: file)
        let b = try LegacyBalances.read(try top.object("self").object("balances"))
        return ["BTC": b.btc, "ETH": b.eth, "USDT": b.usdt]
    }

    public static func verify(path: String) throws -> Verdict {
        let data = try JSONInput.readFile(path)
        return try verify(jsonData: data, file: path)
    }

    static func readNode(_ value: JSONValue, file: String?, path: String, needsNonce: Bool) throws -> Node {
        let o = try JSONObject(value, file: file, path: path)
        let balances: LegacyBalances? = o.has("balances") ? try LegacyBalances.read(try o.object("balances")) : nil
        let type = try integer(o, "type")
        let height = o.has("height") ? try integer(o, "height") : 0
        return Node(balances: balances, type: type, hash: try o.string("hash"), height: height,
                    nonce: needsNonce ? try o.string("nonce") : nil)
    }

    static func integer(_ o: JSONObject, _ key: String) throws -> Int64 {
        guard let text = try o.value(key).numberText, let v = Int64(text) else {
            throw InputError(file: o.file, "field \(o.path.isEmpty ? key : o.path + "." + key) is not a whole number")
        }
        return v
    }

    /// SPEC §1.3: SHA-256 of nonce and the balances JSON built from the raw strings.
    static func leafHash(nonce: String, balances b: LegacyBalances) -> String {
        let text = nonce + "{\"BTC\":\"\(b.btc)\",\"ETH\":\"\(b.eth)\",\"USDT\":\"\(b.usdt)\"}"
        return Hex.encode(SHA256.hash(Array(text.utf8)))
    }

    /// SPEC §1.4 (also v2's parent rule): SHA-256 of L, R, the canonical summed balances, height.
    static func parentHash(left: String, right: String, sum: LegacyBalances, height: Int64) -> String {
        let text = left + right + sum.btc + sum.eth + sum.usdt + String(height)
        return Hex.encode(SHA256.hash(Array(text.utf8)))
    }

    static func validNode(_ n: Node) -> Bool {
        guard let b = n.balances, b.parses else { return false }
        return !n.hash.isEmpty && (1...4).contains(n.type) && n.height >= 1
    }

    public static func verify(jsonData: Data, file: String?) throws -> Verdict {
        let name = file ?? "merkle_proof_file.json"
        let top = try JSONObject(try JSONInput.parse(jsonData, file: file), file: file)
        let me = try readNode(try top.value("self"), file: file, path: "self", needsNonce: true)
        let pathValues = try top.array("path")
        var path = [Node]()
        for (i, v) in pathValues.enumerated() {
            path.append(try readNode(v, file: file, path: "path[\(i)]", needsNonce: false))
        }
        var steps = [String]()
        func fail(_ reason: String) -> Verdict {
            Verdict(file: name, format: .merkleV1, constraint: .inclusion, verdict: .failed, reason: reason, steps: steps)
        }
        func negative(_ what: String) -> Verdict {
            Verdict(file: name, format: .merkleV1, constraint: .inclusion, verdict: .failed,
                    reason: "\(what) has a negative balance: a sum tree with negative entries can hide liabilities (OKX's tool does not check signs)",
                    steps: steps, okxVerdict: .passed)
        }
        guard path.count >= 2 else { return fail("the path has \(path.count) entries; it needs at least a sibling and the root") }
        guard let myBalances = me.balances, myBalances.parses else {
            return fail("the user's own balances are missing or not decimal numbers")
        }
        let leaf = leafHash(nonce: me.nonce ?? "", balances: myBalances)
        guard leaf == me.hash else {
            return fail("leaf hash mismatch: SHA-256(nonce + balances) is \(leaf), the file says \(me.hash)")
        }
        steps.append("leaf hash recomputed from nonce and balances (BTC \(myBalances.btc), ETH \(myBalances.eth), USDT \(myBalances.usdt))")
        let sibling = path[0]
        guard validNode(sibling), let siblingBalances = sibling.balances else {
            return fail("path[0] is not a valid node (balances, hash, type 1-4, height ≥ 1)")
        }
        guard sibling.type != me.type else { return fail("path[0] has the same side (type \(me.type)) as the user's leaf") }
        var (left, right) = me.type == 1 ? (me.hash, sibling.hash) : (sibling.hash, me.hash)
        guard let first = myBalances.okxAdding(siblingBalances) else { return fail("path[0] balances do not add") }
        var nodeBalances = first
        var nodeHeight: Int64 = 2
        var nodeHash = parentHash(left: left, right: right, sum: nodeBalances, height: nodeHeight)
        for i in 1..<(path.count - 1) {
            let s = path[i]
            guard validNode(s), let sb = s.balances else {
                return fail("path[\(i)] is not a valid node (balances, hash, type 1-4, height ≥ 1)")
            }
            (left, right) = s.type == 1 ? (s.hash, nodeHash) : (nodeHash, s.hash)
            guard let sum = nodeBalances.okxAdding(sb) else { return fail("path[\(i)] balances do not add") }
            guard s.height < Int64.max else { return fail("path[\(i)] height is out of range") }
            nodeBalances = sum
            nodeHeight = s.height + 1
            nodeHash = parentHash(left: left, right: right, sum: nodeBalances, height: nodeHeight)
        }
        steps.append("\(path.count - 1) parent hashes recomputed with summed balances (8-digit truncation) and heights")
        let root = path[path.count - 1]
        guard nodeHash == root.hash else {
            return fail("root hash mismatch: computed \(nodeHash), the file's root is \(root.hash)")
        }
        guard let rb = root.balances, rb == nodeBalances else {
            let written = root.balances.map { "\($0.btc)/\($0.eth)/\($0.usdt)" } ?? "missing"
            return fail("root balances mismatch: computed BTC/ETH/USDT \(nodeBalances.btc)/\(nodeBalances.eth)/\(nodeBalances.usdt), the file's root says \(written)")
        }
        guard nodeHeight == root.height else {
            return fail("root height mismatch: computed \(nodeHeight), the file's root says \(root.height)")
        }
        steps.append("root hash \(nodeHash) matches, balances BTC \(rb.btc) ETH \(rb.eth) USDT \(rb.usdt) match, height \(nodeHeight) matches")
        // OKX never looks at signs; a negative sibling subtree would offset other users' balances.
        if myBalances.hasNegative { return negative("the user's own balances") }
        for i in 0..<(path.count - 1) where path[i].balances?.hasNegative == true { return negative("path[\(i)]") }
        steps.append("no node on the path has a negative balance")
        return Verdict(file: name, format: .merkleV1, constraint: .inclusion, verdict: .passed,
                       reason: "the user's leaf hashes up to the published root (BTC \(rb.btc), ETH \(rb.eth), USDT \(rb.usdt), height \(nodeHeight))",
                       steps: steps,
                       warnings: ["Merkle v1 proves inclusion only; the tree's sums are not proven non-negative."])
    }
}
