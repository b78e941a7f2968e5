import Field
import Hashing
import JSONReader

/// Reads a proof's FRI query rounds (`opening_proof.query_round_proofs`: 480 of the 580 KB of
/// OKX's global proof, ~28,000 numbers) straight from the file's bytes into the proof model,
/// without the JSON tree and the pass over it: parsing and decoding the whole file took 21.8M
/// instructions (1.3 ms in process) with the tree, 7.9M (0.4 ms) this way.
///
/// It accepts only the shape plonky2's serde writes, key by key in its order (white space
/// allowed where JSON allows it), with every number a canonical field element; the model it
/// builds is then the one `ProofDecoder` builds from the tree (tested on every fixture and on
/// mutated copies). Anything else (another key order, an extra, missing or escaped key, a
/// number that is not canonical, a syntax error) makes it give up, and the parser and the
/// decoder read the value as before, with their own messages.
public enum QueryRoundReader {
    /// Where the rounds are in `sum_proof_data.json`, and the key that comes first there.
    public static let path = ["proof", "proof", "opening_proof", "query_round_proofs"]
    public static let after = "general"

    /// An interception for `JSONParser` that leaves the rounds it reads in `box`.
    public static func interception(into box: Box) -> JSONParser.Interception {
        JSONParser.Interception(path: path, after: after) { scanner in
            var s = scanner
            guard let rounds = read(&s) else { return false }
            scanner = s
            box.rounds = rounds
            return true
        }
    }

    /// Holds what the interception read (one parse, one thread).
    public final class Box {
        public var rounds: [FriQueryRound]?
        public init() {}
    }

    /// `[round, …]`, or `nil` where the shape is not the expected one.
    static func read(_ s: inout JSONScanner) -> [FriQueryRound]? {
        guard s.take(UInt8(ascii: "[")) else { return nil }
        var rounds = [FriQueryRound]()
        rounds.reserveCapacity(32)
        if s.take(UInt8(ascii: "]")) { return rounds }
        repeat {
            guard let round = queryRound(&s) else { return nil }
            rounds.append(round)
        } while s.take(UInt8(ascii: ","))
        guard s.take(UInt8(ascii: "]")) else { return nil }
        return rounds
    }

    /// `{"initial_trees_proof":{"evals_proofs":[[leaf, merkle], …]},"steps":[step, …]}`
    static func queryRound(_ s: inout JSONScanner) -> FriQueryRound? {
        guard s.take(UInt8(ascii: "{")), s.takeKey("initial_trees_proof"), s.take(UInt8(ascii: "{")),
              s.takeKey("evals_proofs"), s.take(UInt8(ascii: "[")) else { return nil }
        var leaves = [[Goldilocks]](), proofs = [MerkleProof]()
        leaves.reserveCapacity(4)
        proofs.reserveCapacity(4)
        if !s.take(UInt8(ascii: "]")) {
            repeat {
                guard s.take(UInt8(ascii: "[")), let leaf = elements(&s), s.take(UInt8(ascii: ",")),
                      let proof = merkleProof(&s), s.take(UInt8(ascii: "]")) else { return nil }
                leaves.append(leaf)
                proofs.append(proof)
            } while s.take(UInt8(ascii: ","))
            guard s.take(UInt8(ascii: "]")) else { return nil }
        }
        guard s.take(UInt8(ascii: "}")), s.take(UInt8(ascii: ",")), s.takeKey("steps"), s.take(UInt8(ascii: "[")) else { return nil }
        var steps = [FriQueryStep]()
        if !s.take(UInt8(ascii: "]")) {
            repeat {
                guard s.take(UInt8(ascii: "{")), s.takeKey("evals"), let evals = extensionElements(&s),
                      s.take(UInt8(ascii: ",")), s.takeKey("merkle_proof"), let proof = merkleProof(&s),
                      s.take(UInt8(ascii: "}")) else { return nil }
                steps.append(FriQueryStep(evals: evals, merkleProof: proof))
            } while s.take(UInt8(ascii: ","))
            guard s.take(UInt8(ascii: "]")) else { return nil }
        }
        guard s.take(UInt8(ascii: "}")) else { return nil }
        return FriQueryRound(initialTreesProof: FriInitialTreeProof(leaves: leaves, proofs: proofs), steps: steps)
    }

    @inline(__always)
    static func element(_ s: inout JSONScanner) -> Goldilocks? {
        guard let raw = s.takeUnsigned() else { return nil }
        return Goldilocks(canonical: raw)
    }

    /// `[n, …]`
    static func elements(_ s: inout JSONScanner) -> [Goldilocks]? {
        guard s.take(UInt8(ascii: "[")) else { return nil }
        var out = [Goldilocks]()
        out.reserveCapacity(136)
        if s.take(UInt8(ascii: "]")) { return out }
        repeat {
            guard let g = element(&s) else { return nil }
            out.append(g)
        } while s.take(UInt8(ascii: ","))
        guard s.take(UInt8(ascii: "]")) else { return nil }
        return out
    }

    /// `[[c0, c1], …]`
    static func extensionElements(_ s: inout JSONScanner) -> [GoldilocksExt2]? {
        guard s.take(UInt8(ascii: "[")) else { return nil }
        var out = [GoldilocksExt2]()
        out.reserveCapacity(32)
        if s.take(UInt8(ascii: "]")) { return out }
        repeat {
            guard s.take(UInt8(ascii: "[")), let c0 = element(&s), s.take(UInt8(ascii: ",")),
                  let c1 = element(&s), s.take(UInt8(ascii: "]")) else { return nil }
            out.append(GoldilocksExt2(c0, c1))
        } while s.take(UInt8(ascii: ","))
        guard s.take(UInt8(ascii: "]")) else { return nil }
        return out
    }

    /// `{"siblings":[{"elements":[a, b, c, d]}, …]}`
    static func merkleProof(_ s: inout JSONScanner) -> MerkleProof? {
        guard s.take(UInt8(ascii: "{")), s.takeKey("siblings"), s.take(UInt8(ascii: "[")) else { return nil }
        var siblings = [HashOut]()
        siblings.reserveCapacity(24)
        if !s.take(UInt8(ascii: "]")) {
            repeat {
                guard s.take(UInt8(ascii: "{")), s.takeKey("elements"), s.take(UInt8(ascii: "[")),
                      let e0 = element(&s), s.take(UInt8(ascii: ",")), let e1 = element(&s), s.take(UInt8(ascii: ",")),
                      let e2 = element(&s), s.take(UInt8(ascii: ",")), let e3 = element(&s),
                      s.take(UInt8(ascii: "]")), s.take(UInt8(ascii: "}")) else { return nil }
                siblings.append(HashOut(e0, e1, e2, e3))
            } while s.take(UInt8(ascii: ","))
            guard s.take(UInt8(ascii: "]")) else { return nil }
        }
        guard s.take(UInt8(ascii: "}")) else { return nil }
        return MerkleProof(siblings: siblings)
    }
}
