import Field
import Hashing

/// An OKX zk-STARK v2 inclusion proof (`*_inclusion_proof.json`, OKX's `MerkleProof`): the
/// user's account and the sibling hashes from its leaf to the root of the global Merkle sum tree.
public struct ZkStarkV2InclusionProof: Sendable, Equatable {
    /// The 64-hex-character account id (OKX hashes a salted user id; porcheck shows only a prefix).
    public var accountID: String
    /// Equity and debt per token position, as the integers the proof carries.
    public var equity: [UInt64]
    public var debt: [UInt64]
    /// The leaf's global position: low bits select the side in the batch tree, the rest the batch.
    public var index: UInt64
    /// Sibling hashes in the binary batch tree, leaf level first.
    public var sumTreeSiblings: [HashOut]
    /// One entry per recursion level: the hashes left and right of this node among its siblings.
    public var recursiveTreeSiblings: [(left: [HashOut], right: [HashOut])]

    public static func == (a: Self, b: Self) -> Bool {
        a.accountID == b.accountID && a.equity == b.equity && a.debt == b.debt && a.index == b.index
            && a.sumTreeSiblings == b.sumTreeSiblings
            && a.recursiveTreeSiblings.elementsEqual(b.recursiveTreeSiblings) { $0.left == $1.left && $0.right == $1.right }
    }
}

extension ZkStarkV2InclusionProof {
    /// Reads and validates an inclusion proof file.
    public static func load(path: String) throws -> ZkStarkV2InclusionProof {
        try parse(try JSONInput.readBytes(path, maximumSize: 16 << 20), file: path)
    }

    /// Decodes an inclusion proof from JSON bytes. Every field is checked: the id is 64 hex
    /// characters, amounts are decimal integers below the Goldilocks modulus, hashes are 64 hex
    /// characters of four canonical limbs.
    public static func parse(_ bytes: [UInt8], file: String?) throws -> ZkStarkV2InclusionProof {
        try parse(json: try JSONInput.parse(bytes, file: file), file: file)
    }

    /// Decodes an already parsed file.
    public static func parse(json: JSONValue, file: String?) throws -> ZkStarkV2InclusionProof {
        try parse(try JSONObject(json, file: file))
    }

    static func parse(_ root: JSONObject) throws -> ZkStarkV2InclusionProof {
        let file = root.file
        let account = try root.object("account")
        let id = try account.string("id")
        guard id.utf8.count == 64, Hex.decode(id) != nil else {
            throw InputError(file: file, "account.id must be 64 hex characters (got \(id.utf8.count) characters\(Hex.decode(id) == nil ? ", not all hex" : ""))")
        }
        let equity = try amounts(account, "equity")
        let debt = try amounts(account, "debt")
        guard equity.count == debt.count else {
            throw InputError(file: file, "account.equity has \(equity.count) entries but account.debt has \(debt.count)")
        }
        let index = try root.uint64("index")
        let sumSiblings = try hashes(try root.strings("sum_tree_siblings"), file: file, what: "sum_tree_siblings")
        var levels = [(left: [HashOut], right: [HashOut])]()
        for (i, level) in try root.array("recursive_tree_siblings").enumerated() {
            let obj = try JSONObject(level, file: file, path: "recursive_tree_siblings[\(i)]")
            let left = try hashes(try obj.strings("left_hashes"), file: file, what: "\(obj.path).left_hashes")
            let right = try hashes(try obj.strings("right_hashes"), file: file, what: "\(obj.path).right_hashes")
            levels.append((left, right))
        }
        return ZkStarkV2InclusionProof(accountID: id.lowercased(), equity: equity, debt: debt, index: index,
                                       sumTreeSiblings: sumSiblings, recursiveTreeSiblings: levels)
    }

    static func amounts(_ account: JSONObject, _ key: String) throws -> [UInt64] {
        let values = try account.array(key)
        var out = [UInt64]()
        out.reserveCapacity(values.count)
        for (i, v) in values.enumerated() {
            // The usual entry, a plain JSON number below p, is taken as it is; anything else is
            // checked as text, with an error naming the entry (built only then).
            if case .unsigned(let value) = v, value < Goldilocks.order {
                out.append(value)
                continue
            }
            var what: String { "account.\(key)[\(i)]" }
            let text: String
            switch v {
            case .string(let s): text = s
            case .unsigned, .number: text = v.numberText ?? ""
            default: throw InputError(file: account.file, "\(what) is not a number")
            }
            guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else {
                throw InputError(file: account.file, "\(what) is \(text.prefix(30).debugDescription), not a non-negative whole number")
            }
            guard let value = UInt64(text), value < Goldilocks.order else {
                throw InputError(file: account.file, "\(what) is \(text.prefix(30)), too large (must be below 2^64 - 2^32 + 1)")
            }
            out.append(value)
        }
        return out
    }

    static func hashes(_ texts: [String], file: String?, what: String) throws -> [HashOut] {
        var out = [HashOut]()
        out.reserveCapacity(texts.count)
        for (i, text) in texts.enumerated() {
            guard text.utf8.count == 64 else {
                throw InputError(file: file, "\(what)[\(i)] must be 64 hex characters, got \(text.utf8.count)")
            }
            guard let bytes = Hex.decode(text) else {
                throw InputError(file: file, "\(what)[\(i)] is not hexadecimal")
            }
            guard let hash = HashOut(bytes: bytes) else {
                throw InputError(file: file, "\(what)[\(i)] has a limb that is not a Goldilocks field element")
            }
            out.append(hash)
        }
        return out
    }
}

extension ZkStarkV2InclusionProof {
    /// The account id as five field elements: 14, 14, 14, 14 and 8 hex characters, each read as a
    /// big-endian number (OKX's `Account::get_user_id_in_field`). 14 hex characters are 56 bits,
    /// so every limb is canonical.
    public var accountIDLimbs: [Goldilocks] {
        let chars = Array(accountID.utf8)
        var limbs = [Goldilocks]()
        var start = 0
        for width in [14, 14, 14, 14, 8] {
            var v: UInt64 = 0
            for c in chars[start..<(start + width)] { v = v << 4 | UInt64(Hex.nibble(c) ?? 0) }
            limbs.append(Goldilocks(reducing: v))
            start += width
        }
        return limbs
    }

    /// Σ equity and Σ debt as the circuit sums them: in the field.
    public var fieldSums: (equity: Goldilocks, debt: Goldilocks) {
        var e = Goldilocks.zero, d = Goldilocks.zero
        for v in equity { e += Goldilocks(reducing: v) }
        for v in debt { d += Goldilocks(reducing: v) }
        return (e, d)
    }

    /// Exact integer totals for display (each amount is below 2^64, so 128 bits cannot overflow
    /// for fewer than 2^64 tokens).
    public var totals: (equity: UInt128, debt: UInt128) {
        (equity.reduce(UInt128(0)) { $0 + UInt128($1) }, debt.reduce(UInt128(0)) { $0 + UInt128($1) })
    }

    /// The account's leaf: hash_no_pad(id limbs ‖ Σequity ‖ Σdebt).
    public var leafHash: HashOut {
        let sums = fieldSums
        return PoseidonHash.hashNoPad(accountIDLimbs + [sums.equity, sums.debt])
    }
}
