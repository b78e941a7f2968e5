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

    typealias Node = ProofJSON.Node

    static func hex(_ value: Node, file: String?, what: String) throws -> [UInt8] {
        guard case .string(let text) = value else { throw InputError(file: file, "\(what) is not a hex string") }
        guard let b = ProofJSON.hex(text) else { throw InputError(file: file, "\(what) is not valid hex") }
        return b
    }

    static func hex32(_ value: Node, file: String?, what: String) throws -> [UInt8] {
        let b = try hex(value, file: file, what: what)
        guard b.count == 32 else { throw InputError(file: file, "\(what) is \(b.count) bytes, expected 32") }
        return b
    }

    static func list(_ value: Node, file: String?, what: String) throws -> [Node] {
        guard case .array(let items) = value else { throw InputError(file: file, "\(what) is not a list") }
        return items
    }

    static func branch(_ value: Node, file: String?, what: String) throws -> Branch {
        let items = try list(value, file: file, what: what)
        guard !items.isEmpty else { throw InputError(file: file, "\(what) is an empty list") }
        guard items.count <= 40 else { throw InputError(file: file, "\(what) has \(items.count) entries; no tree here is that deep") }
        var out = Branch()
        out.reserveCapacity(items.count)
        for (j, item) in items.enumerated() {
            let b = try hex(item, file: file, what: "\(what)[\(j)]")
            guard b.count == 32 || (j > 0 && b.isEmpty) else {
                throw InputError(file: file, "\(what)[\(j)] is \(b.count) bytes, expected 32")
            }
            out.append(b)
        }
        return out
    }

    static func branches(_ value: Node, file: String?, what: String) throws -> [Branch] {
        try list(value, file: file, what: what).enumerated().map { try branch($1, file: file, what: "\(what)[\($0)]") }
    }

    static func hexList(_ value: Node, file: String?, what: String) throws -> [[UInt8]] {
        try list(value, file: file, what: what).enumerated().map { try hex($1, file: file, what: "\(what)[\($0)]") }
    }

    static func count(_ value: Node, file: String?, what: String) throws -> Int {
        guard case .number(let text) = value, let v = Int(String(decoding: text, as: UTF8.self)), v >= 0, v <= 1 << 40 else {
            throw InputError(file: file, "\(what) is not a whole number from 0 to 2^40")
        }
        return v
    }

    public static func parse(_ data: Data, file: String?) throws -> StarkV1SumProof {
        guard case .object(let fields) = try ProofJSON.parse(data, file: file) else {
            throw InputError(file: file, "top level is not a JSON object")
        }
        func field(_ key: String) throws -> Node {
            guard let v = fields.first(where: { $0.key == key })?.value else { throw InputError(file: file, "missing field \(key)") }
            return v
        }
        let steps = try count(try field("steps"), file: file, what: "steps")
        let uts = try count(try field("uts"), file: file, what: "uts")
        let entryItems = try list(try field("mtree_entries_data"), file: file, what: "mtree_entries_data")
        guard entryItems.count % 4 == 0 else { throw InputError(file: file, "mtree_entries_data has \(entryItems.count) items, not a multiple of 4") }
        var entries = [SpotEntries]()
        for g in 0..<(entryItems.count / 4) {
            let e0 = try hex(entryItems[4 * g], file: file, what: "mtree_entries_data[\(4 * g)]")
            var rest = [[[UInt8]]]()
            for k in 1...3 {
                let items = try hexList(entryItems[4 * g + k], file: file, what: "mtree_entries_data[\(4 * g + k)]")
                guard items.count == 4 else { throw InputError(file: file, "mtree_entries_data[\(4 * g + k)] has \(items.count) items, expected 4") }
                rest.append(items)
            }
            entries.append(SpotEntries(e0: e0, e1: rest[0], e2: rest[1], e3: rest[2]))
        }
        let ldp = try list(try field("low_degree_proof"), file: file, what: "low_degree_proof")
        guard let last = ldp.last else { throw InputError(file: file, "low_degree_proof is empty") }
        var layers = [FRILayer]()
        for (j, item) in ldp.dropLast().enumerated() {
            let parts = try list(item, file: file, what: "low_degree_proof[\(j)]")
            guard parts.count == 3 else {
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
            steps: steps, uts: uts,
            mtreeRoot: try hex32(try field("mtree_root"), file: file, what: "mtree_root"),
            lRoot: try hex32(try field("l_mtree_root"), file: file, what: "l_mtree_root"),
            powNonce: try hex32(try field("pow_nonce"), file: file, what: "pow_nonce"),
            mtreeBranches: try branches(try field("mtree_branches"), file: file, what: "mtree_branches"),
            entries: entries,
            lBranches: try branches(try field("l_mtree_branches"), file: file, what: "l_mtree_branches"),
            friLayers: layers, friLastValues: lastValues)
    }
}
