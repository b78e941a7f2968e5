import Foundation
import Hashing

/// One `sum_proof.json` of a batch or of the trunk (SPEC §3.4), hex strings decoded to bytes.
/// Every 32-byte value (roots, Merkle nodes, field elements) is an inline `Bytes32`.
public struct StarkV1SumProof: Sendable {
    /// A Merkle branch: the leaf, then siblings bottom-up. A sibling the prover omitted (because
    /// another branch's path recomputes it) is stored as zero with its bit clear in `present`.
    public struct Branch: Sendable, Equatable {
        public var nodes: [Bytes32]
        /// Bit j is set when nodes[j] was given (branches are at most 40 long; bit 0, the leaf, always is).
        public var present: UInt64

        public init(nodes: [Bytes32], present: UInt64) {
            self.nodes = nodes
            self.present = present
        }

        /// From byte strings as in the file: 32 bytes each, or empty for an omitted sibling.
        public init?(_ items: [[UInt8]]) {
            guard !items.isEmpty, items.count <= 40 else { return nil }
            var nodes = [Bytes32]()
            var present: UInt64 = 0
            for (j, item) in items.enumerated() {
                if item.isEmpty, j > 0 { nodes.append(.zero); continue }
                guard let b = Bytes32(item) else { return nil }
                nodes.append(b)
                present |= 1 << UInt64(j)
            }
            self.init(nodes: nodes, present: present)
        }

        public var count: Int { nodes.count }
        public var leaf: Bytes32 { nodes[0] }
        @inline(__always) public func has(_ j: Int) -> Bool { present >> UInt64(j) & 1 == 1 }
    }

    public struct FRILayer: Sendable {
        public var columnRoot: Bytes32
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
    public var mtreeRoot: Bytes32
    public var lRoot: Bytes32
    public var powNonce: Bytes32
    public var mtreeBranches: [Branch]
    public var entries: [SpotEntries]
    public var lBranches: [Branch]
    public var friLayers: [FRILayer]
    public var friLastValues: [Bytes32]

    public static func read(path: String) throws -> StarkV1SumProof {
        try parse(document: try ProofJSON.parse(bytes: try JSONInput.readBytes(path), file: path))
    }

    public static func parse(_ data: Data, file: String?) throws -> StarkV1SumProof {
        try parse(document: try ProofJSON.parse(data, file: file))
    }

    /// Field names in messages are built only when something is wrong (`what` closures), so a
    /// well-formed file costs no string formatting.
    struct Reader {
        let doc: ProofJSON.Document
        var file: String? { doc.file }

        func fail(_ message: String) -> InputError { InputError(file: file, message) }

        func hex(_ t: Int, _ what: () -> String) throws -> [UInt8] {
            guard doc.kind(t) == .string else { throw fail("\(what()) is not a hex string") }
            guard let b = doc.hexBytes(t) else { throw fail("\(what()) is not valid hex") }
            return b
        }

        func hex32(_ t: Int, _ what: () -> String) throws -> Bytes32 {
            if let b = doc.hex32(t) { return b }
            let b = try hex(t, what)
            throw fail("\(what()) is \(b.count) bytes, expected 32")
        }

        func list(_ t: Int, _ what: () -> String) throws -> ProofJSON.Elements {
            guard doc.kind(t) == .array else { throw fail("\(what()) is not a list") }
            return doc.elements(t)
        }

        func branch(_ t: Int, _ what: () -> String) throws -> Branch {
            let items = try list(t, what)
            let n = doc.count(t)
            guard n > 0 else { throw fail("\(what()) is an empty list") }
            guard n <= 40 else { throw fail("\(what()) has \(n) entries; no tree here is that deep") }
            var nodes = [Bytes32]()
            nodes.reserveCapacity(n)
            var present: UInt64 = 0
            for (j, item) in items.enumerated() {
                if let b = doc.hex32(item) {
                    nodes.append(b)
                    present |= 1 << UInt64(j)
                    continue
                }
                let b = try hex(item) { "\(what())[\(j)]" }
                guard j > 0, b.isEmpty else { throw fail("\(what())[\(j)] is \(b.count) bytes, expected 32") }
                nodes.append(.zero)
            }
            return Branch(nodes: nodes, present: present)
        }

        func branches(_ t: Int, _ what: () -> String) throws -> [Branch] {
            if let all = doc.branches(t) { return all }
            let items = try list(t, what)
            var out = [Branch]()
            out.reserveCapacity(doc.count(t))
            for (i, item) in items.enumerated() { out.append(try branch(item) { "\(what())[\(i)]" }) }
            return out
        }

        func hexList(_ t: Int, _ what: () -> String) throws -> [[UInt8]] {
            let items = try list(t, what)
            var out = [[UInt8]]()
            out.reserveCapacity(doc.count(t))
            for (i, item) in items.enumerated() { out.append(try hex(item) { "\(what())[\(i)]" }) }
            return out
        }

        func count(_ t: Int, _ what: String) throws -> Int {
            guard doc.kind(t) == .number, let v = Int(String(decoding: doc.text(t), as: UTF8.self)), v >= 0, v <= 1 << 40 else {
                throw fail("\(what) is not a whole number from 0 to 2^40")
            }
            return v
        }
    }

    static func parse(document doc: ProofJSON.Document) throws -> StarkV1SumProof {
        let file = doc.file
        guard doc.kind(doc.root) == .object else { throw InputError(file: file, "top level is not a JSON object") }
        let r = Reader(doc: doc)
        func field(_ key: String) throws -> Int {
            guard let v = doc.field(doc.root, key) else { throw InputError(file: file, "missing field \(key)") }
            return v
        }
        let steps = try r.count(try field("steps"), "steps")
        let uts = try r.count(try field("uts"), "uts")
        let entriesToken = try field("mtree_entries_data")
        let entryItems = Array(try r.list(entriesToken) { "mtree_entries_data" })
        guard entryItems.count % 4 == 0 else { throw InputError(file: file, "mtree_entries_data has \(entryItems.count) items, not a multiple of 4") }
        var entries = [SpotEntries]()
        entries.reserveCapacity(entryItems.count / 4)
        for g in 0..<(entryItems.count / 4) {
            let e0 = try r.hex(entryItems[4 * g]) { "mtree_entries_data[\(4 * g)]" }
            var rest = [[[UInt8]]]()
            for k in 1...3 {
                let items = try r.hexList(entryItems[4 * g + k]) { "mtree_entries_data[\(4 * g + k)]" }
                guard items.count == 4 else { throw InputError(file: file, "mtree_entries_data[\(4 * g + k)] has \(items.count) items, expected 4") }
                rest.append(items)
            }
            entries.append(SpotEntries(e0: e0, e1: rest[0], e2: rest[1], e3: rest[2]))
        }
        let ldp = Array(try r.list(try field("low_degree_proof")) { "low_degree_proof" })
        guard let last = ldp.last else { throw InputError(file: file, "low_degree_proof is empty") }
        var layers = [FRILayer]()
        for (j, item) in ldp.dropLast().enumerated() {
            let parts = Array(try r.list(item) { "low_degree_proof[\(j)]" })
            guard parts.count == 3 else {
                throw InputError(file: file, "low_degree_proof[\(j)] is not [root, column branches, poly branches]")
            }
            layers.append(FRILayer(columnRoot: try r.hex32(parts[0]) { "low_degree_proof[\(j)][0]" },
                                   columnBranches: try r.branches(parts[1]) { "low_degree_proof[\(j)][1]" },
                                   polyBranches: try r.branches(parts[2]) { "low_degree_proof[\(j)][2]" }))
        }
        var lastValues = [Bytes32]()
        lastValues.reserveCapacity(doc.count(last))
        for (j, item) in try r.list(last, { "low_degree_proof[\(ldp.count - 1)]" }).enumerated() {
            lastValues.append(try r.hex32(item) { "low_degree_proof[\(ldp.count - 1)][\(j)]" })
        }
        return StarkV1SumProof(
            steps: steps, uts: uts,
            mtreeRoot: try r.hex32(try field("mtree_root")) { "mtree_root" },
            lRoot: try r.hex32(try field("l_mtree_root")) { "l_mtree_root" },
            powNonce: try r.hex32(try field("pow_nonce")) { "pow_nonce" },
            mtreeBranches: try r.branches(try field("mtree_branches")) { "mtree_branches" },
            entries: entries,
            lBranches: try r.branches(try field("l_mtree_branches")) { "l_mtree_branches" },
            friLayers: layers, friLastValues: lastValues)
    }
}
