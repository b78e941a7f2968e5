import Field
import Hashing

/// A Merkle authentication path (plonky2's `MerkleProof`): sibling hashes from the leaf up to
/// the cap.
public struct MerkleProof: Sendable, Equatable {
    public var siblings: [HashOut]
}

/// Leaves opened in each of the four initial trees (constants+sigmas, wires, Z+partial products,
/// quotient), with their paths (plonky2's `FriInitialTreeProof`).
public struct FriInitialTreeProof: Sendable, Equatable {
    public var leaves: [[Goldilocks]]
    public var proofs: [MerkleProof]
}

/// One folding step of one FRI query: the coset's evaluations and their path.
public struct FriQueryStep: Sendable, Equatable {
    public var evals: [GoldilocksExt2]
    public var merkleProof: MerkleProof
}

public struct FriQueryRound: Sendable, Equatable {
    public var initialTreesProof: FriInitialTreeProof
    public var steps: [FriQueryStep]
}

/// plonky2's `FriProof` (uncompressed).
public struct FriProof: Sendable, Equatable {
    public var commitPhaseMerkleCaps: [[HashOut]]
    public var queryRoundProofs: [FriQueryRound]
    public var finalPoly: [GoldilocksExt2]
    public var powWitness: Goldilocks
}

/// The polynomial openings at ζ (and g·ζ for the Z polynomials), plonky2's `OpeningSet`
/// without the lookup fields OKX's fork removed.
public struct OpeningSet: Sendable, Equatable {
    public var constants: [GoldilocksExt2]
    public var plonkSigmas: [GoldilocksExt2]
    public var wires: [GoldilocksExt2]
    public var plonkZs: [GoldilocksExt2]
    public var plonkZsNext: [GoldilocksExt2]
    public var partialProducts: [GoldilocksExt2]
    public var quotientPolys: [GoldilocksExt2]
}

public struct Proof: Sendable, Equatable {
    public var wiresCap: [HashOut]
    public var plonkZsPartialProductsCap: [HashOut]
    public var quotientPolysCap: [HashOut]
    public var openings: OpeningSet
    public var openingProof: FriProof
}

/// plonky2's `ProofWithPublicInputs`.
public struct ProofWithPublicInputs: Sendable, Equatable {
    public var proof: Proof
    public var publicInputs: [Goldilocks]
}

/// plonky2's salt width: hiding (zero-knowledge) trees append 4 random elements to each leaf.
public let saltSize = 4
