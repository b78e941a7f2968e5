import Foundation
import Field
import Hashing

/// The link OKX never checks between the trunk and the batches: each trunk "user" must be one
/// batch, with the batch's Merkle root as its id and the batch's published sums as its balances.
/// The prover writes the trunk's whole tree (`trunk/mtree.json`) and its users' entries
/// (`trunk/mtree_entries_data.json`); when both are present porcheck rebuilds the tree, checks
/// its root is the proven trunk root, and checks every trunk leaf against its batch.
enum StarkV1TrunkLinks {
    struct Files: Sendable {
        /// Heap-ordered nodes; node 0 is unused (the prover writes an empty string there).
        var tree: [Bytes32]
        var entries: [(index: Int, bytes: [UInt8])]
    }

    /// nil when the folder has neither file; an input error when only one is there or either is malformed.
    static func read(trunkFolder: String) throws -> Files? {
        let treePath = trunkFolder + "/mtree.json", entriesPath = trunkFolder + "/mtree_entries_data.json"
        let hasTree = StarkV1Layout.isFile(treePath), hasEntries = StarkV1Layout.isFile(entriesPath)
        guard hasTree || hasEntries else { return nil }
        guard hasTree && hasEntries else {
            throw InputError(file: hasTree ? entriesPath : treePath, "is missing (the trunk folder has only one of mtree.json and mtree_entries_data.json)")
        }
        let treeDoc = try ProofJSON.parse(bytes: try JSONInput.readBytes(treePath), file: treePath)
        let items = try ProofJSONObject(treeDoc).value("mtree")
        guard treeDoc.kind(items) == .array else { throw InputError(file: treePath, "field mtree is not a list") }
        var tree = [Bytes32]()
        tree.reserveCapacity(treeDoc.count(items))
        for (i, item) in treeDoc.elements(items).enumerated() {
            if let node = treeDoc.hex32(item) {
                tree.append(node)
            } else if i == 0, treeDoc.hexLength(item) == 0 {
                tree.append(.zero)
            } else {
                throw InputError(file: treePath, "mtree[\(i)] is not a 32-byte hex string")
            }
        }
        let entriesDoc = try ProofJSON.parse(bytes: try JSONInput.readBytes(entriesPath), file: entriesPath)
        let entriesTop = try ProofJSONObject(entriesDoc)
        var entries = [(index: Int, bytes: [UInt8])]()
        for (k, value) in entriesDoc.members(entriesTop.token) {
            let key = String(decoding: entriesDoc.text(k), as: UTF8.self)
            guard let index = Int(key), index >= 0, index < 1 << 20 else { throw InputError(file: entriesPath, "key \(key) is not a user index") }
            guard let bytes = entriesDoc.hexBytes(value) else {
                throw InputError(file: entriesPath, "entry \(key) is not a hex string")
            }
            entries.append((index, bytes))
        }
        return Files(tree: tree, entries: entries)
    }

    /// Checks the files against the proven trunk and the batches; nil when every link holds.
    static func check(_ files: Files, set: StarkV1DataSet) -> String? {
        let trunk = set.trunk.proof
        let n = 16 * trunk.steps
        let c = set.config.coins.count
        guard files.tree.count == 2 * n else {
            return "trunk/mtree.json holds \(files.tree.count) nodes, the proven trunk tree has \(2 * n)"
        }
        guard files.tree[1] == trunk.mtreeRoot else { return "trunk/mtree.json's root is not the proven trunk root" }
        for i in stride(from: n - 1, through: 1, by: -1) where Keccak256.hashPair(files.tree[2 * i], files.tree[2 * i + 1]) != files.tree[i] {
            return "trunk/mtree.json node \(i) is not the hash of its children"
        }
        let slots = trunk.steps / max(trunk.uts, 1) - 1
        var seen = Set<Int>()
        for (index, bytes) in files.entries {
            guard index < slots, seen.insert(index).inserted else { return "trunk/mtree_entries_data.json has an entry \(index) outside the trunk's \(slots) slots" }
            guard bytes.count == 32 * (c + 2) + 32 else { return "trunk entry \(index) is \(bytes.count) bytes, expected \(32 * (c + 3))" }
            let t = Array(bytes[0..<32]), balances = Array(bytes[32..<(32 + 32 * c)])
            let id = Array(bytes[(32 + 32 * c)..<(64 + 32 * c)]), random = Array(bytes[(64 + 32 * c)...])
            let position = 16 * (trunk.uts * (index + 1) + trunk.uts - 2)
            guard position < n else { return "trunk entry \(index) lies outside the trunk tree" }
            let leaf = Keccak256.digest(t + Keccak256.hash(balances) + id + random)
            guard files.tree[n + PermutedMerkle.slot(position, leafCount: n)] == leaf else {
                return "trunk entry \(index) is not the leaf the trunk tree holds for batch slot \(index)"
            }
            if index < set.batches.count {
                let batch = set.batches[index]
                guard Bytes32(id) == batch.proof.mtreeRoot else { return "trunk slot \(index)'s id is not batch \(batch.name)'s Merkle root" }
                guard let sums = try? batch.values.ordered(coins: set.config.coins, file: batch.folder) else { return "batch \(batch.name) sums unreadable" }
                for j in 0..<c where Bytes32(balances[(32 * j)..<(32 * j + 32)]) != sums[j].reduced.bigEndian32 {
                    return "trunk slot \(index)'s \(set.config.coins[j]) is not batch \(batch.name)'s published sum"
                }
                guard Bytes32(t) == sums[c].reduced.bigEndian32 else { return "trunk slot \(index)'s net value is not batch \(batch.name)'s total_value" }
            } else {
                guard (t + balances + id).allSatisfy({ $0 == 0 }) else { return "trunk padding slot \(index) is not empty" }
            }
        }
        guard (0..<set.batches.count).allSatisfy({ seen.contains($0) }) else {
            return "trunk/mtree_entries_data.json lacks an entry for some batch"
        }
        return nil
    }
}
