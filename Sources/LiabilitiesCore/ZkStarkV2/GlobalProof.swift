import Field
import Hashing
import Plonky2

/// A zk-STARK v2 global proof file (`sum_proof_data.json`, OKX's `zk_por_core::Proof`): the
/// round's shape, the claimed root-circuit digest, the circuit itself (usually), and the plonky2
/// proof whose public inputs are total equity, total debt and the liabilities tree's root.
public struct ZkStarkV2GlobalProof: Sendable {
    public var header: ZkStarkV2SumProofHeader
    /// `root_vd_digest`: the digest the file says the root circuit has.
    public var rootVDDigest: HashOut
    /// `circuits_info.root_verifier_data_hex`, when present.
    public var circuitBytes: [UInt8]?
    public var proof: ProofWithPublicInputs

    /// Reads the file with one JSON parse. Malformed content is an `InputError` naming the file.
    public static func parse(_ bytes: [UInt8], file: String) throws -> ZkStarkV2GlobalProof {
        let document = try JSONInput.parseDocument(bytes, file: file)
        return try parse(json: document.json, file: file, queryRounds: document.queryRounds)
    }

    /// Decodes an already parsed file; `queryRounds` as `JSONInput.parseDocument` gives them.
    public static func parse(json: JSONValue, file: String, queryRounds: [FriQueryRound]? = nil) throws -> ZkStarkV2GlobalProof {
        let top = try JSONObject(json, file: file)
        let header = try ZkStarkV2SumProofHeader.parse(top)
        let digestObject = try top.object("root_vd_digest")
        let limbs = try digestObject.array("elements").enumerated().map { i, v -> Goldilocks in
            let raw = try JSONObject.uint64(v, file: file, what: "root_vd_digest.elements[\(i)]")
            guard let g = Goldilocks(canonical: raw) else { throw InputError(file: file, "root_vd_digest.elements[\(i)] is not a field element") }
            return g
        }
        guard let digest = HashOut(elements: limbs) else { throw InputError(file: file, "root_vd_digest.elements must have 4 limbs") }
        var bytes: [UInt8]?
        if top.has("circuits_info") {
            let info = try top.object("circuits_info")
            if info.has("root_verifier_data_hex") {
                guard let b = Hex.decode(try info.string("root_verifier_data_hex")) else {
                    throw InputError(file: file, "circuits_info.root_verifier_data_hex is not hexadecimal")
                }
                bytes = b
            }
        }
        let proof: ProofWithPublicInputs
        do { proof = try ProofDecoder.decode(try top.value("proof"), queryRounds: queryRounds) } catch let e as DecodingError {
            throw InputError(file: file, e.message)
        }
        return ZkStarkV2GlobalProof(header: header, rootVDDigest: digest, circuitBytes: bytes, proof: proof)
    }
}

/// A root circuit porcheck knows to be OKX's, pinned by the SHA-256 of its serialized bytes
/// (the digest alone does not bind the gate list; see `VerifierCircuitData.computedDigest`).
public struct KnownRootCircuit: Sendable, Codable {
    public var round: String
    public var circuitSHA256: String
    public var file: String?
    public var source: String

    enum CodingKeys: String, CodingKey {
        case round, file, source
        case circuitSHA256 = "circuit_sha256"
    }

    public init(round: String, circuitSHA256: String, file: String?, source: String) {
        self.round = round
        self.circuitSHA256 = circuitSHA256
        self.file = file
        self.source = source
    }

    /// Reads `known-root-circuits.json` with porcheck's own JSON parser (Foundation's decoder costs
    /// more to start than the whole file is worth), by the `Codable` rules: `nil` unless every
    /// entry has the string fields `round`, `circuit_sha256` and `source` (`file` may be absent or
    /// null); other fields are ignored.
    public static func list(fromJSON bytes: [UInt8]) -> [KnownRootCircuit]? {
        guard case .array(let entries)? = try? JSONParser.parse(bytes) else { return nil }
        var out = [KnownRootCircuit]()
        for entry in entries {
            guard case .object = entry,
                  case .string(let round)? = entry["round"], case .string(let sha)? = entry["circuit_sha256"],
                  case .string(let source)? = entry["source"] else { return nil }
            let file: String?
            switch entry["file"] {
            case nil, .null?: file = nil
            case .string(let f)?: file = f
            default: return nil
            }
            out.append(KnownRootCircuit(round: round, circuitSHA256: sha, file: file, source: source))
        }
        return out
    }
}

/// Verifies the total-sum and non-negative constraint of a zk-STARK v2 round: the plonky2 global
/// proof, natively, against the circuit the file carries (or the built-in one for round
/// 508787475), with the circuit's trust status reported beside the verdict.
public struct ZkStarkV2GlobalVerifier: Sendable {
    /// OKX root circuits porcheck ships (`Resources/circuits/known-root-circuits.json`).
    public var known: [KnownRootCircuit]
    /// Where the known circuits' files are (`Resources/circuits`).
    public var circuitsFolder: String?
    /// SHA-256 values of circuits the user chose to trust (`--trust-circuit`, `trusted-circuits.txt`).
    public var trusted: Set<String>

    public init(known: [KnownRootCircuit] = [], circuitsFolder: String? = nil, trusted: Set<String> = []) {
        self.known = known
        self.circuitsFolder = circuitsFolder
        self.trusted = trusted
    }

    /// Loads the known circuits from a `Resources/circuits` folder (none if it is absent).
    public static func loadingKnownCircuits(from folder: String?, trusted: Set<String> = []) -> ZkStarkV2GlobalVerifier {
        var known = [KnownRootCircuit]()
        if let folder, let bytes = try? JSONInput.readBytes(folder + "/known-root-circuits.json") {
            known = KnownRootCircuit.list(fromJSON: bytes) ?? []
        }
        return ZkStarkV2GlobalVerifier(known: known, circuitsFolder: folder, trusted: trusted)
    }

    public func verify(_ g: ZkStarkV2GlobalProof, file: String) -> Verdict {
        var verdict = Verdict(file: file, format: .zkStarkV2, constraint: .sum, verdict: .failed, reason: "")
        func fail(_ reason: String) -> Verdict {
            verdict.reason = reason
            return verdict
        }
        let h = g.header
        verdict.steps.append("read round \(h.roundNumber): \(h.tokenCount) tokens, batch size \(h.batchSize), 6 public inputs")
        guard h.branchOut == 64 else {
            return fail("recursion_branchout_num is \(h.branchOut); OKX's circuits are built for 64 (OKX's own verifier panics here)")
        }
        // The circuit: the file's own, or the one OKX's verifier has built in for its round.
        var bytes = g.circuitBytes
        if bytes == nil {
            guard let builtIn = known.first(where: { $0.round == String(h.roundNumber) && $0.file != nil }),
                  let folder = circuitsFolder, let name = builtIn.file,
                  let file = try? JSONInput.readBytes(folder + "/" + name),
                  let b = Hex.decode(TextTrimming.trimmingWhitespaceAndNewlines(String(decoding: file, as: UTF8.self))) else {
                return fail("the file has no circuits_info (the root circuit) and porcheck has no built-in circuit for round \(h.roundNumber)")
            }
            bytes = b
            verdict.steps.append("used the built-in root circuit of round \(h.roundNumber) (the file carries none, as OKX published it)")
        }
        guard let circuitBytes = bytes else { return fail("no root circuit") }
        let circuit: VerifierCircuitData
        do { circuit = try CircuitDataDecoder.decode(bytes: circuitBytes) } catch {
            return fail("the root circuit data cannot be decoded: \(error.message)")
        }
        verdict.steps.append("decoded the root circuit: \(circuit.common.gates.count) gate types, 2^\(circuit.common.degreeBits) rows, \(circuit.common.config.friConfig.numQueryRounds) FRI queries")
        guard circuit.computedDigest == circuit.verifierOnly.circuitDigest else {
            return fail("the root circuit's digest is not the hash of its own constants/sigmas cap and size")
        }
        guard g.rootVDDigest == circuit.verifierOnly.circuitDigest else {
            return fail("root_vd_digest does not match the root circuit's digest (OKX: CircuitMismatch)")
        }
        verdict.steps.append("root_vd_digest equals the circuit digest, recomputed from the circuit's constants/sigmas cap and size")
        let sha = Hex.encode(SHA256.hash(circuitBytes))
        if let k = known.first(where: { $0.circuitSHA256 == sha }) {
            verdict.steps.append("the root circuit is OKX's known circuit of round \(k.round) (SHA-256 \(sha.prefix(16))…)")
        } else if trusted.contains(sha) {
            verdict.steps.append("the root circuit is one you chose to trust (SHA-256 \(sha.prefix(16))…)")
        } else {
            verdict.warnings.append("the root circuit (SHA-256 \(sha.prefix(16))…) is not one porcheck knows as OKX's: the proof is checked against the circuit the file itself carries. Pin it with --trust-circuit \(sha) once you have confirmed it.")
        }
        do {
            try Plonky2Verifier.verify(g.proof, circuit: circuit)
        } catch {
            return fail("the plonky2 proof does not verify: \(error.description)")
        }
        verdict.steps.append("plonky2 proof verified: shape, Fiat-Shamir challenges, all gate constraints and the permutation argument at zeta, FRI with proof of work")
        verdict.verdict = .passed
        verdict.reason = "the global proof verifies: the published totals are the sums of accounts that are each non-negative, and the tree root is the one the proof commits to"
        return verdict
    }
}
