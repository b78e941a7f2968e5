import Dispatch
import Field
import Hashing

/// Why a FRI proof was rejected.
public enum FriFailure: Error, Equatable, Sendable, CustomStringConvertible {
    case proofOfWork
    case initialMerkleProof(query: Int, tree: Int)
    case foldingConsistency(query: Int, step: Int)
    case commitPhaseMerkleProof(query: Int, step: Int)
    case finalPolynomial(query: Int)

    public var description: String {
        switch self {
        case .proofOfWork: return "FRI proof of work: the witness does not give enough leading zero bits"
        case .initialMerkleProof(let q, let t): return "FRI query \(q): the opened leaf of initial tree \(t) is not in its Merkle cap"
        case .foldingConsistency(let q, let s): return "FRI query \(q), step \(s): the folded value does not match the committed evaluation"
        case .commitPhaseMerkleProof(let q, let s): return "FRI query \(q), step \(s): the committed evaluations are not in their Merkle cap"
        case .finalPolynomial(let q): return "FRI query \(q): the final polynomial does not give the folded value"
        }
    }
}

/// FRI verification for a plonky2 proof as OKX's fork does it (plonky2's `verify_fri_proof`),
/// including the fork's difference: the combined initial polynomial is multiplied by X.
public struct FriVerifier: Sendable {
    public let common: CommonCircuitData

    public init(common: CommonCircuitData) { self.common = common }

    /// `caps`: constants/sigmas (from the verifier data), wires, Z+partial products, quotient.
    public func verify(proof: ProofWithPublicInputs, challenges c: ProofChallenges, caps: [HashOut]...) throws(FriFailure) {
        try verify(proof: proof, challenges: c, initialCaps: caps)
    }

    public func verify(proof: ProofWithPublicInputs, challenges c: ProofChallenges, initialCaps: [[HashOut]]) throws(FriFailure) {
        let pow = common.config.friConfig.proofOfWorkBits
        guard c.friPowResponse.value.leadingZeroBitCount >= pow else { throw .proofOfWork }

        let o = proof.proof.openings
        // The two opening batches: everything at ζ, the Z polynomials at g·ζ.
        let zetaValues = o.constants + o.plonkSigmas + o.wires + o.plonkZs + o.partialProducts + o.quotientPolys
        let reducedAtZeta = reduce(zetaValues, c.friAlpha)
        let reducedAtNext = reduce(o.plonkZsNext, c.friAlpha)
        let g = GoldilocksExt2(Goldilocks.primitiveRootOfUnity(bits: common.degreeBits))
        let zetaNext = g * c.zeta

        let ldeBits = common.ldeBits
        let ldeGenerator = Goldilocks.primitiveRootOfUnity(bits: ldeBits)
        let f = proof.proof.openingProof
        let arities = common.friParams.reductionArityBits
        let salted = common.friParams.hiding
        let widths = common.initialTreeLeafWidths
        let k = common.config.numChallenges

        let queries = f.queryRoundProofs.count
        let trees = initialCaps.count, steps = arities.count
        // The checks of each query, in the order a query is checked: its leaf in each initial tree,
        // then for each folding step the folded value and that step's Merkle path, then the final
        // polynomial. Every check is made (they are independent of each other); the verdict is the
        // first failing check of the lowest failing query, as if the queries were checked one by
        // one, each stopping at its first failure.
        let initialOK = CheckSlots(count: queries * trees)
        let stepOK = CheckSlots(count: queries * steps)
        let foldOK = CheckSlots(count: queries * steps)
        let finalOK = CheckSlots(count: queries)

        /// Query q's folding: its folded value at each step and the final polynomial's value.
        @Sendable func fold(_ q: Int) {
            let round = f.queryRoundProofs[q]
            var index = c.friQueryIndices[q]
            let initial = round.initialTreesProof
            // x = g_coset · ω^reverse_bits(index): the point of the LDE domain this query opens.
            var x = Goldilocks.multiplicativeGenerator * ldeGenerator.power(UInt64(reverseBits(index, ldeBits)))

            // Combine the initial openings: Σ_batches α^… (reduced(evals) − reduced(openings)) / (x − point), times x.
            let leaves = initial.leaves
            // The leaves without their salt (the first tree has none), reduced with α as one
            // concatenated list, Horner from its last element.
            func unsalted(_ t: Int) -> ArraySlice<Goldilocks> {
                t == 0 ? leaves[0][...] : leaves[t].prefix(max(0, widths[t] - (salted ? saltSize : 0)))
            }
            var reducedEvals = GoldilocksExt2.zero
            for t in stride(from: 3, through: 0, by: -1) {
                for v in unsalted(t).reversed() { reducedEvals = reducedEvals * c.friAlpha + GoldilocksExt2(v) }
            }
            let zsEvals = unsalted(2).prefix(k)
            var reducedZs = GoldilocksExt2.zero
            for v in zsEvals.reversed() { reducedZs = reducedZs * c.friAlpha + GoldilocksExt2(v) }
            let xe = GoldilocksExt2(x)
            var sum = (reducedEvals - reducedAtZeta) * (xe - c.zeta).inverse()
            sum = sum * c.friAlpha.power(UInt64(zsEvals.count))
            sum += (reducedZs - reducedAtNext) * (xe - zetaNext).inverse()
            var oldEval = sum * xe

            for (s, arityBits) in arities.enumerated() {
                let step = round.steps[s]
                let within = index & ((1 << arityBits) - 1)
                foldOK[q * steps + s] = step.evals[within] == oldEval
                oldEval = FriVerifier.foldedEvaluation(x: x, indexWithinCoset: within, arityBits: arityBits,
                                                       evals: step.evals, beta: c.friBetas[s])
                x = x.exp2(arityBits)
                index >>= arityBits
            }
            finalOK[q] = evaluate(f.finalPoly, at: GoldilocksExt2(x)) == oldEval
        }

        // The Merkle paths are checked in batches (`MerkleBatch`: each level's hashes of all a
        // batch's paths together, 8 permutations at a time with AVX-512). A group is one initial
        // tree or one folding step over all queries (its paths have one shape, and its paths'
        // shared top levels are computed once within a batch); the groups are dealt into four
        // batches of about equal work, largest first into the lightest, which run on all cores
        // with the folding of each half of the queries after them.
        let groups = trees + steps
        /// Leaf `g` of query `q`: the initial tree's opened row, or the step's evaluations as
        /// base-field pairs.
        @Sendable func path(_ g: Int, _ q: Int) -> MerklePathCheck {
            let round = f.queryRoundProofs[q]
            if g < trees {
                let initial = round.initialTreesProof
                return MerklePathCheck(leaf: initial.leaves[g], index: c.friQueryIndices[q], proof: initial.proofs[g], cap: initialCaps[g])
            }
            let s = g - trees
            let step = round.steps[s]
            var flat = [Goldilocks]()
            flat.reserveCapacity(2 * step.evals.count)
            for e in step.evals { flat.append(e.c0); flat.append(e.c1) }
            let index = c.friQueryIndices[q] >> arities[0...s].reduce(0, +)
            return MerklePathCheck(leaf: flat, index: index, proof: step.merkleProof, cap: f.commitPhaseMerkleCaps[s])
        }
        /// Permutations per path of group g (its leaf's sponge and its depth), from the first query.
        func cost(_ g: Int) -> Int {
            guard queries > 0 else { return 0 }
            let p = path(g, 0)
            return (p.leaf.count > 4 ? (p.leaf.count + Poseidon.rate - 1) / Poseidon.rate : 0) + p.proof.siblings.count
        }
        var batches = [[Int]](repeating: [], count: 4)
        var loads = [Int](repeating: 0, count: 4)
        for g in (0..<groups).sorted(by: { cost($0) > cost($1) }) {
            var lightest = 0
            for b in loads.indices where loads[b] < loads[lightest] { lightest = b }
            batches[lightest].append(g)
            loads[lightest] += cost(g)
        }
        let tasks = batches.indices.filter { !batches[$0].isEmpty }.sorted { loads[$0] > loads[$1] }.map { batches[$0] }
        let halves = [0..<(queries / 2), (queries / 2)..<queries]
        DispatchQueue.concurrentPerform(iterations: tasks.count + halves.count) { task in
            guard task < tasks.count else {
                for q in halves[task - tasks.count] { fold(q) }
                return
            }
            let members = tasks[task]
            var paths = [MerklePathCheck]()
            paths.reserveCapacity(members.count * queries)
            for g in members {
                for q in 0..<queries { paths.append(path(g, q)) }
            }
            for (k, ok) in MerkleBatch.verify(paths).enumerated() {
                let g = members[k / max(queries, 1)], q = k % max(queries, 1)
                if g < trees { initialOK[q * trees + g] = ok } else { stepOK[q * steps + g - trees] = ok }
            }
        }

        for q in 0..<queries {
            for t in 0..<trees where !initialOK[q * trees + t] { throw .initialMerkleProof(query: q, tree: t) }
            for s in 0..<steps {
                guard foldOK[q * steps + s] else { throw .foldingConsistency(query: q, step: s) }
                guard stepOK[q * steps + s] else { throw .commitPhaseMerkleProof(query: q, step: s) }
            }
            guard finalOK[q] else { throw .finalPolynomial(query: q) }
        }
    }

    /// Horner with a reducing factor: Σ values[i]·α^i.
    func reduce(_ values: [GoldilocksExt2], _ alpha: GoldilocksExt2) -> GoldilocksExt2 {
        var acc = GoldilocksExt2.zero
        for v in values.reversed() { acc = acc * alpha + v }
        return acc
    }

    func evaluate(_ coeffs: [GoldilocksExt2], at x: GoldilocksExt2) -> GoldilocksExt2 {
        var acc = GoldilocksExt2.zero
        for c in coeffs.reversed() { acc = acc * x + c }
        return acc
    }

    /// P'(x^arity) from P on the coset {x·g^i}: interpolate the coset's values and evaluate at β
    /// (plonky2's `compute_evaluation`). `evals` are in bit-reversed order of the coset.
    public static func foldedEvaluation(x: Goldilocks, indexWithinCoset: Int, arityBits: Int,
                                        evals: [GoldilocksExt2], beta: GoldilocksExt2) -> GoldilocksExt2 {
        let arity = 1 << arityBits
        // The proof's shape is validated first (a step opens exactly `arity` values); anything
        // else folds to zero, which no honest evaluation matches.
        guard evals.count == arity else { return .zero }
        let g = Goldilocks.primitiveRootOfUnity(bits: arityBits)
        let rev = reverseBits(indexWithinCoset, arityBits)
        let cosetStart = x * g.power(UInt64(arity - rev))
        return withUnsafeTemporaryAllocation(of: GoldilocksExt2.self, capacity: 2 * arity) { buffer in
            guard let ordered = buffer.baseAddress else { return .zero }
            for i in 0..<arity { (ordered + reverseBits(i, arityBits)).initialize(to: evals[i]) }
            let value = interpolateOnCoset(start: cosetStart, generator: g, bits: arityBits,
                                           values: UnsafePointer(ordered), scratch: ordered + arity, at: beta)
            ordered.deinitialize(count: arity)
            return value
        }
    }

    /// The value at `z` of the polynomial through (s·g^i, values[i]), i < n = 2^bits, g of order n.
    ///
    /// On a coset the barycentric weights have a closed form: Π_{j≠i}(p_i − p_j) = Z'(p_i) for
    /// Z(X) = X^n − s^n, which is n·p_i^(n−1) = n·s^n / p_i. So
    /// P(z) = (z^n − s^n) / (n·s^n) · Σ p_i·y_i / (z − p_i), and the n divisions share one
    /// inversion (prefix products): two inversions in all instead of 2n.
    static func interpolateOnCoset(start s: Goldilocks, generator g: Goldilocks, bits: Int, values: UnsafePointer<GoldilocksExt2>,
                                   scratch prefix: UnsafeMutablePointer<GoldilocksExt2>, at z: GoldilocksExt2) -> GoldilocksExt2 {
        let n = 1 << bits
        // Prefix products of z − p_i; a point equal to z is its own value.
        var p = s
        var running = GoldilocksExt2.one
        for i in 0..<n {
            let difference = z - GoldilocksExt2(p)
            if difference.isZero { return values[i] }
            running = running * difference
            (prefix + i).initialize(to: running)
            p *= g
        }
        // Walk back: 1/(z − p_i) = (1/prefix_i)·prefix_{i−1}; p runs back from s·g^(n−1).
        var inverse = running.inverse()
        let gInverse = g.inverse()
        p = s * g.power(UInt64(n - 1))
        var sum = GoldilocksExt2.zero
        for i in stride(from: n - 1, through: 0, by: -1) {
            let oneOverDifference = i > 0 ? inverse * prefix[i - 1] : inverse
            sum += (values[i] * p) * oneOverDifference
            inverse = inverse * (z - GoldilocksExt2(p))
            p *= gInverse
        }
        prefix.deinitialize(count: n)
        let sToN = s.exp2(bits)
        let scale = (Goldilocks(reducing: UInt64(n)) * sToN).inverse()
        return (z.exp2(bits) - GoldilocksExt2(sToN)) * sum * scale
    }

    /// The value at `z` of the polynomial through (points[i], values[i]) (Lagrange, barycentric form).
    public static func interpolate(points: [Goldilocks], values: [GoldilocksExt2], at z: GoldilocksExt2) -> GoldilocksExt2 {
        let n = points.count
        for i in 0..<n where GoldilocksExt2(points[i]) == z { return values[i] }
        // w_i = 1 / Π_{j≠i} (x_i − x_j); P(z) = L(z) · Σ w_i y_i / (z − x_i), L(z) = Π (z − x_i).
        var result = GoldilocksExt2.zero
        var l = GoldilocksExt2.one
        for i in 0..<n {
            var denominator = Goldilocks.one
            for j in 0..<n where j != i { denominator *= points[i] - points[j] }
            let diff = z - GoldilocksExt2(points[i])
            l *= diff
            result += values[i] * GoldilocksExt2(denominator.inverse()) * diff.inverse()
        }
        return l * result
    }
}

/// One result per check, written from concurrent tasks: each task writes its own slots only, and
/// the results are read after `concurrentPerform` returns (which orders the writes before).
final class CheckSlots: @unchecked Sendable {
    private let slots: UnsafeMutablePointer<Bool>
    private let count: Int

    init(count: Int) {
        self.count = count
        slots = .allocate(capacity: max(count, 1))
        slots.initialize(repeating: false, count: max(count, 1))
    }

    deinit { slots.deallocate() }

    /// A slot out of range reads as a failed check and is not written.
    subscript(i: Int) -> Bool {
        get { i >= 0 && i < count ? slots[i] : false }
        set { if i >= 0 && i < count { slots[i] = newValue } }
    }
}

/// The low `bits` bits of `n` in reverse order.
@inlinable
public func reverseBits(_ n: Int, _ bits: Int) -> Int {
    guard bits > 0 else { return 0 }
    return Int(UInt64(truncatingIfNeeded: n).bitReversed >> UInt64(64 - bits))
}

extension UInt64 {
    @inlinable var bitReversed: UInt64 {
        var v = self
        var r: UInt64 = 0
        for _ in 0..<64 { r = r << 1 | (v & 1); v >>= 1 }
        return r
    }
}
