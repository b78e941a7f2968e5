import Foundation
import Hashing

/// One `sum_proof.json` of a batch or of the trunk (SPEC §3.4), hex strings decoded to bytes.
public struct StarkV1SumProof: Sendable {
    /// A Merkle branch: the leaf, then siblings bottom-up; an omitted (recomputable) sibling is empty.
    public typealias Branch = [[UInt8]]

    public struct FRILayer: Sendable {
        public var columnRoot: [UInt8]
        public var columnBranches: [Branch]
        public var polyBranches: [Branch]
    }

    /// The four opened entries of one spot check: E0 raw bytes, E1..E3 lists of byte strings.
    public struct SpotEntries: Sendable {
        public var e0: [UInt8]
        public var e1: [[UInt8]]
        public var e2: [[UInt8]]
        public var e3: [[UInt8]]
    }

    public var steps: Int
    public var uts: Int
    public var mtreeRoot: [UInt8]
    public var lRoot: [UInt8]
    public var powNonce: [UInt8]
    public var mtreeBranches: [Branch]
    public var entries: [SpotEntries]
    public var lBranches: [Branch]
    public var friLayers: [FRILayer]
    public var friLastValues: [[UInt8]]

    public static func read(path: String) throws -> StarkV1SumProof {
        try parse(try JSONInput.readFile(path), file: path)
    }

    static func hex(_ value: Any, file: String?, what: String) throws -> [UInt8] {
        guard let s = value as? String else { throw InputError(file: file, "\(what) is not a hex string") }
        guard let b = Hex.decode(s) else { throw InputError(file: file, "\(what) is not valid hex") }
        return b
    }

    static func hex32(_ value: Any, file: String?, what: String) throws -> [UInt8] {
        let b = try hex(value, file: file, what: what)
        guard b.count == 32 else { throw InputError(file: file, "\(what) is \(b.count) bytes, expected 32") }
        return b
    }

    static func branch(_ value: Any, file: String?, what: String) throws -> Branch {
        guard let items = value as? [Any], !items.isEmpty else { throw InputError(file: file, "\(what) is not a non-empty list") }
        guard items.count <= 40 else { throw InputError(file: file, "\(what) has \(items.count) entries; no tree here is that deep") }
        var out = Branch()
        for (j, item) in items.enumerated() {
            let b = try hex(item, file: file, what: "\(what)[\(j)]")
            guard b.count == 32 || (j > 0 && b.isEmpty) else {
                throw InputError(file: file, "\(what)[\(j)] is \(b.count) bytes, expected 32")
            }
            out.append(b)
        }
        return out
    }

    static func branches(_ value: Any, file: String?, what: String) throws -> [Branch] {
        guard let items = value as? [Any] else { throw InputError(file: file, "\(what) is not a list") }
        return try items.enumerated().map { try branch($1, file: file, what: "\(what)[\($0)]") }
    }

    static func hexList(_ value: Any, file: String?, what: String) throws -> [[UInt8]] {
        guard let items = value as? [Any] else { throw InputError(file: file, "\(what) is not a list") }
        return try items.enumerated().map { try hex($1, file: file, what: "\(what)[\($0)]") }
    }

    public static func parse(_ data: Data, file: String?) throws -> StarkV1SumProof {
        let top = try JSONObject(try JSONInput.parse(data, file: file), file: file)
        let steps = try top.uint64("steps"), uts = try top.uint64("uts")
        guard steps <= 1 << 40, uts <= 1 << 20 else { throw InputError(file: file, "steps or uts is out of range") }
        let entryItems = try top.array("mtree_entries_data")
        guard entryItems.count % 4 == 0 else { throw InputError(file: file, "mtree_entries_data has \(entryItems.count) items, not a multiple of 4") }
        var entries = [SpotEntries]()
        for g in 0..<(entryItems.count / 4) {
            let e0 = try hex(entryItems[4 * g], file: file, what: "mtree_entries_data[\(4 * g)]")
            var rest = [[[UInt8]]]()
            for k in 1...3 {
                let list = try hexList(entryItems[4 * g + k], file: file, what: "mtree_entries_data[\(4 * g + k)]")
                guard list.count == 4 else { throw InputError(file: file, "mtree_entries_data[\(4 * g + k)] has \(list.count) items, expected 4") }
                rest.append(list)
            }
            entries.append(SpotEntries(e0: e0, e1: rest[0], e2: rest[1], e3: rest[2]))
        }
        let ldp = try top.array("low_degree_proof")
        guard let last = ldp.last else { throw InputError(file: file, "low_degree_proof is empty") }
        var layers = [FRILayer]()
        for (j, item) in ldp.dropLast().enumerated() {
            guard let parts = item as? [Any], parts.count == 3 else {
                throw InputError(file: file, "low_degree_proof[\(j)] is not [root, column branches, poly branches]")
            }
            layers.append(FRILayer(columnRoot: try hex32(parts[0], file: file, what: "low_degree_proof[\(j)][0]"),
                                   columnBranches: try branches(parts[1], file: file, what: "low_degree_proof[\(j)][1]"),
                                   polyBranches: try branches(parts[2], file: file, what: "low_degree_proof[\(j)][2]")))
        }
        let lastValues = try hexList(last, file: file, what: "low_degree_proof[\(ldp.count - 1)]")
        for (j, v) in lastValues.enumerated() where v.count != 32 {
            throw InputError(file: file, "low_degree_proof[\(ldp.count - 1)][\(j)] is \(v.count) bytes, expected 32")
        }
        return StarkV1SumProof(
            steps: Int(steps), uts: Int(uts),
            mtreeRoot: try hex32(try top.value("mtree_root"), file: file, what: "mtree_root"),
            lRoot: try hex32(try top.value("l_mtree_root"), file: file, what: "l_mtree_root"),
            powNonce: try hex32(try top.value("pow_nonce"), file: file, what: "pow_nonce"),
            mtreeBranches: try branches(try top.value("mtree_branches"), file: file, what: "mtree_branches"),
            entries: entries,
            lBranches: try branches(try top.value("l_mtree_branches"), file: file, what: "l_mtree_branches"),
            friLayers: layers, friLastValues: lastValues)
    }
}
