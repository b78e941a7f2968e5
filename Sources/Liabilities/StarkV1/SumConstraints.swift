import Field
import Hashing

/// OKX's `verify_por_proof` (SPEC §3.6) for one batch or the trunk, made strict: every count,
/// branch depth and field encoding is checked, uts is validated, and FRI includes the
/// column-consistency check. Throws `StarkV1Failure` naming the first check that failed.
enum StarkV1SumConstraints {
    static let extensionFactor = 16
    static let spotChecks = 16
    static let powBits = 20

    struct Checked: Sendable {
        var steps: [String]
        var userSlots: Int
        var friLayers: Int
    }

    /// `what` is only formatted when the check fails.
    @inline(__always)
    static func element(_ bytes: ArraySlice<UInt8>, _ what: @autoclosure () -> String) throws -> Stark252 {
        guard let v = Stark252(bigEndianSlice: bytes) else { throw StarkV1Failure("\(what()) is not a field element (≥ p)") }
        return v
    }

    @inline(__always)
    static func element(_ bytes: Bytes32, _ what: @autoclosure () -> String) throws -> Stark252 {
        guard let v = Stark252(bigEndian: bytes) else { throw StarkV1Failure("\(what()) is not a field element (≥ p)") }
        return v
    }

    /// Whether 32 big-endian bytes hold an integer below p = 0x0800000000000011·2^192 + 1,
    /// the range test of `element` without the conversion.
    @inline(__always)
    static func isFieldElement(_ bytes: ArraySlice<UInt8>) -> Bool {
        guard bytes.count == 32 else { return false }
        return bytes.withUnsafeBytes { raw in
            let top = UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self))
            if top != 0x0800_0000_0000_0011 { return top < 0x0800_0000_0000_0011 }
            // Equal top limbs: below p only when the rest is 0.
            return raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self) | raw.loadUnaligned(fromByteOffset: 16, as: UInt64.self)
                | raw.loadUnaligned(fromByteOffset: 24, as: UInt64.self) == 0
        }
    }

    /// `sums` = [s_0..s_{C-1}, total] in config order.
    /// `checkColumns: false` skips FRI's column check as OKX's fri.py does (to tell what OKX would say).
    /// `parallel: true` runs the independent parts of the check (see `Parts`) on all cores, for
    /// one batch checked on its own; the verdict and the first failure are the same either way.
    static func verify(sums: [ExactInteger], proof: StarkV1SumProof, mainCoins m: Int, checkColumns: Bool = true,
                       parallel: Bool = false) throws -> Checked {
        let c = sums.count - 1
        guard c >= 1, m <= c else { throw StarkV1Failure("main_coins_num \(m) for \(c) coins") }
        var steps = [String]()
        // 1. check_sum_values.
        var sum = ExactInteger.zero
        for j in 0..<c {
            guard sums[j].isFieldElement else { throw StarkV1Failure("coin sum #\(j) \(sums[j]) is not in [0, p)") }
            sum = sum + sums[j]
        }
        guard sum == sums[c] else { throw StarkV1Failure("the coin sums add up to \(sum), not to total_value \(sums[c])") }
        steps.append("coin sums are field elements and add up to total_value exactly")
        // 2. Sizes (OKX checks steps only; uts unchecked there).
        let n = proof.steps, uts = proof.uts
        guard n >= 16, n <= 1 << 20, PermutedMerkle.log2Exact(n) != nil else {
            throw StarkV1Failure("steps \(n) is not a power of two in [16, 2^20]")
        }
        guard uts >= 4, uts <= 64, PermutedMerkle.log2Exact(uts) != nil, n % uts == 0, n / uts >= 2 else {
            throw StarkV1Failure("uts \(uts) is not a power of two in [4, 64] dividing steps \(n) (OKX never checks uts)")
        }
        let precision = n * extensionFactor
        guard let depth = PermutedMerkle.log2Exact(precision) else { throw StarkV1Failure("precision") }
        // 3. Proof of work.
        // The first 20 bits of the digest are byte 0, byte 1 and the high half of byte 2, which
        // sit in the low 24 bits of word 0 (little-endian).
        let pow = Keccak256.hashPair(proof.mtreeRoot, proof.powNonce)
        guard pow.w0 & 0x00F0_FFFF == 0 else { throw StarkV1Failure("invalid proof of work (Keccak(root ‖ nonce) lacks 20 leading zero bits)") }
        steps.append("proof of work: 20 leading zero bits")
        // 4. Domain.
        guard let w = Stark252.rootOfUnity(order: UInt64(precision)) else { throw StarkV1Failure("no root of unity of order \(precision)") }
        // 5.–9. FRI, the openings, the entry hashes and the constraints.
        let fri = try StarkV1FRI.Plan(root: proof.lRoot, w: w, domainSize: precision, degreeBound: 4 * n,
                                      layers: proof.friLayers, lastValues: proof.friLastValues, exclude: extensionFactor,
                                      checkColumns: checkColumns)
        let parts = Parts(sums: sums, proof: proof, mainCoins: m, depth: depth, w: w, fri: fri)
        try parts.run(parallel: parallel)
        steps.append("FRI low-degree proof: \(proof.friLayers.count) layers with column consistency, final layer of \(proof.friLastValues.count) values")
        steps.append("main tree: \(4 * spotChecks) openings reach mtree_root and match the entry data")
        steps.append("\(spotChecks) spot checks: user blocks start at 0, base-4 non-negativity, running totals, boundaries (total and \(m) main coin(s)), linear combination")
        return Checked(steps: steps, userSlots: n / uts - 1, friLayers: proof.friLayers.count)
    }

    /// Steps 5–9 of the check as parts that depend only on the proof, not on each other's
    /// outcome: FRI layer by layer, the spot positions, the main-tree opening, the entry hashes
    /// (four spot checks a part), the linear-combination opening, the constraints. A part reads
    /// a value that an earlier part checks (a leaf, an entry's size) straight from the proof and
    /// guards it, so running it after that check failed is harmless: its result is never used.
    /// `run` reports the first failing part in check order, which is the failure the sequential
    /// check meets first.
    struct Parts: Sendable {
        let sums: [ExactInteger]
        let proof: StarkV1SumProof
        let m: Int
        let depth: Int
        let w: Stark252
        let fri: StarkV1FRI.Plan
        /// The spot positions (step 6); a failure is reported at that step's turn.
        let positions: Result<[Int], any Error>

        /// With a many-lane Keccak kernel, eight spots make 24 balance lists to hash (three full
        /// passes of the 8-lane kernel) and two parts for the two cores; one hash at a time,
        /// four parts of four balance the cores better.
        static let spotsPerEntryPart = Keccak256.manyKernel == .scalar ? 4 : 8

        init(sums: [ExactInteger], proof: StarkV1SumProof, mainCoins m: Int, depth: Int, w: Stark252, fri: StarkV1FRI.Plan) {
            self.sums = sums
            self.proof = proof
            self.m = m
            self.depth = depth
            self.w = w
            self.fri = fri
            let precision = 1 << depth
            positions = Result {
                try PermutedMerkle.pseudorandomIndices(seed: proof.lRoot, modulus: precision, count: spotChecks, exclude: extensionFactor)
            }
        }

        enum Part: Sendable {
            case friLayer(Int), friFinal, positions, mainTree, entries(Range<Int>), lTree, constraints
        }

        /// The parts in check order.
        var order: [Part] {
            var parts = (0..<fri.layers.count).map { Part.friLayer($0) } + [.friFinal, .positions, .mainTree]
            for start in stride(from: 0, to: spotChecks, by: Parts.spotsPerEntryPart) {
                parts.append(.entries(start..<min(spotChecks, start + Parts.spotsPerEntryPart)))
            }
            return parts + [.lTree, .constraints]
        }

        /// A rough cost in Keccak permutations (a field multiplication is about a hundredth of
        /// one), so the parts can be started largest first and the two cores finish together.
        /// Only the schedule depends on it, never a result. The entry hashes run many at once,
        /// about `keccakSpeedup` times faster per hash than one after the other.
        func cost(_ part: Part) -> Int {
            let keccakSpeedup = [Keccak256.Kernel.scalar: 1, .avx2: 3, .avx512: 8][Keccak256.manyKernel] ?? 1
            let c = sums.count - 1, values = c + 5 + 2 * m
            switch part {
            case .friLayer(let j):
                // Column and value openings: 16 paths each, the four values of a row sharing theirs above level 2.
                let d = max(fri.domains[j].trailingZeroBitCount, 6)
                return 16 * (d - 6) + 16 + 16 * (d - 4) + 64 + 15
            case .friFinal: return fri.lastValues.count + 20
            case .positions: return 0
            case .mainTree: return 64 * max(depth - 5, 1)
            case .entries(let spots): return spots.count * (4 + 3 * (32 * c + 136) / 136 + (32 * (4 + 2 * m) + 136) / 136) / keccakSpeedup
            case .lTree: return 16 * max(depth - 3, 1)
            case .constraints: return 2 * values + spotChecks * (50 + 3 * values) / 100 + 10
            }
        }

        func run(_ part: Part) throws {
            switch part {
            case .friLayer(let j): try fri.checkLayer(j)
            case .friFinal: try fri.checkFinal()
            case .positions:
                _ = try positions.get()
                guard proof.entries.count == spotChecks else {
                    throw StarkV1Failure("\(proof.entries.count) spot-check entries, expected \(spotChecks)")
                }
            case .mainTree:
                _ = try PermutedMerkle.verifyMultiBranch(root: proof.mtreeRoot, indices: try augmentedPositions(), branches: proof.mtreeBranches,
                                                         depth: depth, what: "main tree")
            case .entries(let spots): try checkEntries(spots)
            case .lTree:
                _ = try PermutedMerkle.verifyMultiBranch(root: proof.lRoot, indices: try positions.get(), branches: proof.lBranches,
                                                         depth: depth, what: "linear-combination tree")
            case .constraints: try checkConstraints()
            }
        }

        /// Every part in check order, stopping at the first failure; or all parts at once on
        /// all cores, largest first, then the first failure in check order.
        func run(parallel: Bool) throws {
            let parts = order
            _ = try StarkV1Parallel.inOrder(parts.count, parallel: parallel, cost: { cost(parts[$0]) }) { try run(parts[$0]) }
        }

        /// Step 6: each position x and the rows the constraints read with it.
        func augmentedPositions() throws -> [Int] {
            let precision = 1 << depth, uts = proof.uts
            var aug = [Int]()
            aug.reserveCapacity(4 * spotChecks)
            for x in try positions.get() {
                aug += [x, (x + extensionFactor) % precision, (x + extensionFactor * (uts - 1)) % precision, (x + extensionFactor * uts) % precision]
            }
            return aug
        }

        /// Step 7's entry hashes for some spot checks, against the main tree's opened leaves
        /// (which the main-tree part checks reach mtree_root). The spots are checked in order
        /// and the first failure is thrown, as checking one spot after the other; the hashes of
        /// every spot up to the first one with wrong sizes are made together (equal lengths,
        /// many at once: `Keccak256.digestMany`): first the three 32·C-byte balance lists and
        /// E0's coin quotients, then the four 128-byte leaves of each spot.
        func checkEntries(_ spots: Range<Int>) throws {
            let c = sums.count - 1
            guard proof.entries.count == spotChecks, proof.mtreeBranches.count == 4 * spotChecks,
                  spots.lowerBound >= 0, spots.upperBound <= spotChecks else {
                throw StarkV1Failure("internal: entries checked without their openings")
            }
            let e0Length = 32 * (6 + c + 2 * m)
            // The spots whose sizes are right, up to the first one that is not (its failure is
            // thrown after the earlier spots' hashes are compared).
            var sized = [StarkV1SumProof.SpotEntries]()
            sized.reserveCapacity(spots.count)
            var sizeFailure: StarkV1Failure?
            spotLoop: for i in spots {
                let e = proof.entries[i]
                guard e.e0.count == e0Length else {
                    sizeFailure = StarkV1Failure("spot check \(i): first entry is \(e.e0.count) bytes, expected \(e0Length)")
                    break
                }
                for (name, list) in [("second", e.e1), ("third", e.e2), ("fourth", e.e3)] {
                    let expected = name == "second" ? 32 : 32 * c
                    guard list.count == 4, list[0].count == 32, list[1].count == expected, list[2].count == 32, list[3].count == 32 else {
                        sizeFailure = StarkV1Failure("spot check \(i): \(name) entry has wrong field sizes")
                        break spotLoop
                    }
                }
                sized.append(e)
            }
            let leaves = try Self.entryLeaves(sized, coins: c)
            let opened = proof.mtreeBranches
            for (k, i) in spots.prefix(sized.count).enumerated() {
                guard opened[4 * i].leaf == leaves[4 * k], opened[4 * i + 1].leaf == leaves[4 * k + 1],
                      opened[4 * i + 2].leaf == leaves[4 * k + 2], opened[4 * i + 3].leaf == leaves[4 * k + 3] else {
                    throw StarkV1Failure("spot check \(i): opened entry data does not hash to the main-tree leaf (check_entry_hash)")
                }
            }
            if let sizeFailure { throw sizeFailure }
        }

        /// The four main-tree leaves of each spot (entries of checked sizes, C coins), in order:
        /// Keccak(t ‖ Keccak(balances) ‖ id ‖ Keccak(quotients)) for E0, Keccak(E1's four
        /// values), Keccak(t ‖ Keccak(balances) ‖ …) for E2 and E3.
        static func entryLeaves(_ entries: [StarkV1SumProof.SpotEntries], coins c: Int) throws -> [Bytes32] {
            let k = entries.count
            guard k > 0 else { return [] }
            // Every array a pointer is taken into, borrowed for the whole computation.
            var arrays = [[UInt8]]()
            arrays.reserveCapacity(3 * k)
            for e in entries { arrays += [e.e0, e.e2[1], e.e3[1]] }
            // The sizes checkEntries has checked, again here, so that no part is ever read short.
            for e in entries {
                let lists = [e.e1, e.e2, e.e3]
                guard e.e0.count >= 64 + 32 * c, lists.allSatisfy({ $0.count == 4 && $0[0].count == 32 && $0[2].count == 32 && $0[3].count == 32 }),
                      e.e1[1].count == 32, e.e2[1].count == 32 * c, e.e3[1].count == 32 * c else {
                    throw StarkV1Failure("internal: entries hashed with the wrong sizes")
                }
            }
            let quotientLength = entries[0].e0.count - 64 - 32 * c
            guard entries.allSatisfy({ $0.e0.count == entries[0].e0.count }) else {
                throw StarkV1Failure("internal: entries hashed with the wrong sizes")
            }
            let hashed = withBaseAddresses(arrays) { bases -> [Bytes32]? in
                // Messages: E0's balances, E2's, E3's (3k of 32·C bytes), then E0's quotients (k).
                var long = [UnsafePointer<UInt8>?]()
                long.reserveCapacity(3 * k)
                var quotients = [UnsafePointer<UInt8>?]()
                quotients.reserveCapacity(k)
                for j in 0..<k {
                    long.append(bases[3 * j].map { $0 + 32 })
                    long.append(bases[3 * j + 1])
                    long.append(bases[3 * j + 2])
                    quotients.append(bases[3 * j].map { $0 + 64 + 32 * c })
                }
                // Every digest must be written: a pass that could not run makes the whole part fail.
                var longDigests = [Bytes32](repeating: .zero, count: 3 * k)
                var quotientDigests = [Bytes32](repeating: .zero, count: k)
                var complete = long.withUnsafeBufferPointer { p in
                    longDigests.withUnsafeMutableBufferPointer { o in
                        guard let pb = p.baseAddress, let ob = o.baseAddress else { return false }
                        return Keccak256.digestMany(pb, length: 32 * c, count: 3 * k, into: ob)
                    }
                }
                complete = complete && quotients.withUnsafeBufferPointer { p in
                    quotientDigests.withUnsafeMutableBufferPointer { o in
                        guard let pb = p.baseAddress, let ob = o.baseAddress else { return false }
                        return Keccak256.digestMany(pb, length: quotientLength, count: k, into: ob)
                    }
                }
                // The 4k leaf preimages, 128 bytes each (four 32-byte parts).
                var preimages = [Bytes32](repeating: .zero, count: 16 * k)
                func part(_ bytes: [UInt8], _ offset: Int) -> Bytes32 {
                    bytes.withUnsafeBytes { raw in
                        guard let base = raw.baseAddress, raw.count >= offset + 32 else { return .zero }
                        return Bytes32(loading: base + offset)
                    }
                }
                for (j, e) in entries.enumerated() {
                    let q = 16 * j
                    preimages[q] = part(e.e0, 0); preimages[q + 1] = longDigests[3 * j]
                    preimages[q + 2] = part(e.e0, 32 + 32 * c); preimages[q + 3] = quotientDigests[j]
                    for t in 0..<4 { preimages[q + 4 + t] = part(e.e1[t], 0) }
                    preimages[q + 8] = part(e.e2[0], 0); preimages[q + 9] = longDigests[3 * j + 1]
                    preimages[q + 10] = part(e.e2[2], 0); preimages[q + 11] = part(e.e2[3], 0)
                    preimages[q + 12] = part(e.e3[0], 0); preimages[q + 13] = longDigests[3 * j + 2]
                    preimages[q + 14] = part(e.e3[2], 0); preimages[q + 15] = part(e.e3[3], 0)
                }
                var leaves = [Bytes32](repeating: .zero, count: 4 * k)
                complete = complete && preimages.withUnsafeBytes { raw in
                    guard let base = raw.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return false }
                    let pointers = (0..<(4 * k)).map { Optional(base + 128 * $0) }
                    return pointers.withUnsafeBufferPointer { p in
                        leaves.withUnsafeMutableBufferPointer { o in
                            guard let pb = p.baseAddress, let ob = o.baseAddress else { return false }
                            return Keccak256.digestMany(pb, length: 128, count: 4 * k, into: ob)
                        }
                    }
                }
                return complete ? leaves : nil
            }
            guard let hashed else { throw StarkV1Failure("internal: entry data could not be hashed") }
            return hashed
        }

        /// body(the base addresses of the arrays' storage), every array borrowed while it runs.
        static func withBaseAddresses<R>(_ arrays: [[UInt8]], _ body: ([UnsafePointer<UInt8>?]) -> R) -> R {
            var bases = [UnsafePointer<UInt8>?]()
            bases.reserveCapacity(arrays.count)
            func borrow(_ i: Int) -> R {
                guard i < arrays.count else { return body(bases) }
                return arrays[i].withUnsafeBufferPointer { b in
                    bases.append(b.baseAddress)
                    return borrow(i + 1)
                }
            }
            return borrow(0)
        }

        /// Steps 6 and 9: the challenges, then the constraints at every spot.
        func checkConstraints() throws {
            let c = sums.count - 1, n = proof.steps, uts = proof.uts
            let users = n / uts
            let positions = try positions.get()
            let lValues = proof.lBranches.map(\.leaf)
            guard proof.entries.count == spotChecks, lValues.count == positions.count, positions.count == spotChecks else {
                throw StarkV1Failure("internal: constraints checked without their openings")
            }
            let e0Length = 32 * (6 + c + 2 * m)
            for e in proof.entries where e.e0.count != e0Length || [e.e2[1], e.e3[1]].contains(where: { $0.count != 32 * c })
                || [e.e1[0], e.e2[0], e.e3[0]].contains(where: { $0.count != 32 }) {
                throw StarkV1Failure("internal: constraints checked on entries of the wrong size")
            }
            // The linear combination's values are T, B…, ID, TC_0, TC_2, TC_3 and the 2M coin
            // quotients E0 holds: 2(C + 5 + 2M) coefficients. OKX draws 6C + 10; the ones past
            // these weigh coin quotients that E0 does not hold, which are zero (SPEC 3.6 step 9),
            // so they add nothing and are not drawn.
            let kCount = 2 * (c + 5 + 2 * m)
            // k_i = Keccak(pow_nonce ‖ i as 32 big-endian bytes), all hashed together.
            var pairs = [Bytes32]()
            pairs.reserveCapacity(2 * kCount)
            for i in 0..<kCount {
                // i's 4 low bytes are bytes 28–31, the high half of word 3.
                pairs.append(proof.powNonce)
                pairs.append(Bytes32(words: 0, 0, 0, UInt64(UInt32(truncatingIfNeeded: i).byteSwapped) << 32))
            }
            var digests = [Bytes32](repeating: .zero, count: kCount)
            let hashed = pairs.withUnsafeBufferPointer { p in
                digests.withUnsafeMutableBufferPointer { o -> Bool in
                    guard let pb = p.baseAddress, let ob = o.baseAddress else { return false }
                    Keccak256.hashPairsMany(pb, count: kCount, into: ob)
                    return true
                }
            }
            guard hashed || kCount == 0 else { throw StarkV1Failure("internal: challenges could not be hashed") }
            let k = digests.map(\.reducedBigEndian)
            let g = w.power(UInt64(extensionFactor))
            let last = g.power(UInt64(n - 1))
            let x0 = g.power(UInt64(uts - 1))
            let total = sums[c].reduced
            let coinSums = sums[0..<c].map { $0.reduced }
            let wUtsMinus2N = g.power(UInt64((uts - 2) * users))
            let wUtsMinus1N = g.power(UInt64((uts - 1) * users))
            let inverseLastMinusX0 = (last - x0).inverse
            var xs = [Stark252]()
            var xNs = [Stark252]()
            var denominators = [Stark252]()
            for pos in positions {
                let x = w.power(UInt64(pos))
                xs.append(x)
                let xN = x.power(UInt64(users))
                xNs.append(xN)
                denominators.append((xN - wUtsMinus2N) * (xN - wUtsMinus1N))
                denominators.append(x - last)
            }
            let inverses = Stark252.batchInverse(denominators)
            let four = Stark252(4), oneF = Stark252.one, two = Stark252(2), three = Stark252(3)
            // E0's values as read: t, b_0…b_{c−1}, id, TC_0…TC_3, the 2M coin quotients. They are
            // read without conversion into Montgomery form (`init(montgomeryLimbs:)`, each the
            // element v·2⁻²⁵⁶), which the linear combination does not need: both of its sides
            // are then 2⁻²⁵⁶ times the true ones. Only the 5 + 3M values the other constraints
            // use are converted (a multiplication each; 71 instead of 206 a spot with 156 coins
            // and 22 main ones). `values` holds them in the linear combination's order (all but
            // TC_1), and the coefficients are split into the two sums' lists, so that each sum
            // is one `Stark252.dot`; the buffers serve every spot.
            let e0Count = 6 + c + 2 * m
            var kEven = [Stark252](), kOdd = [Stark252]()
            kEven.reserveCapacity(e0Count - 1)
            kOdd.reserveCapacity(e0Count - 1)
            for j in 0..<(e0Count - 1) {
                kEven.append(k[2 * j])
                kOdd.append(k[2 * j + 1])
            }
            var values = [Stark252](repeating: .zero, count: e0Count - 1)
            var b = [Stark252](repeating: .zero, count: m), cc = [Stark252](repeating: .zero, count: 2 * m)
            var b2 = b, b3 = b
            for (i, x) in xs.enumerated() {
                let e = proof.entries[i]
                // Same reads, order and messages as converting each value on its own.
                var tc1AsRead = Stark252.zero
                try e.e0.withUnsafeBytes { raw in
                    guard raw.count == 32 * e0Count else { throw StarkV1Failure("internal: constraints checked on entries of the wrong size") }
                    for q in 0..<e0Count {
                        func word(_ k: Int) -> UInt64 { UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 32 * q + 8 * k, as: UInt64.self)) }
                        guard let v = Stark252(montgomeryLimbs: word(3), word(2), word(1), word(0)) else {
                            let what = q == 0 ? "t" : q <= c ? "balance" : q == c + 1 ? "id" : q <= c + 5 ? "trace quotient" : "coin quotient"
                            throw StarkV1Failure("spot check \(i): \(what) is not a field element (≥ p)")
                        }
                        if q < c + 3 { values[q] = v } else if q == c + 3 { tc1AsRead = v } else { values[q - 1] = v }
                    }
                }
                let t = values[0].scaledUpByR
                for j in 0..<m { b[j] = values[1 + j].scaledUpByR }
                let tc = [values[c + 2].scaledUpByR, tc1AsRead.scaledUpByR, values[c + 3].scaledUpByR, values[c + 4].scaledUpByR]
                for j in 0..<(2 * m) { cc[j] = values[c + 5 + j].scaledUpByR }
                let t1 = try element(e.e1[0][...], "spot check \(i): t(x·g)")
                let t2 = try element(e.e2[0][...], "spot check \(i): t(x·g^(uts−1))")
                let t3 = try element(e.e3[0][...], "spot check \(i): t(x·g^uts)")
                // Rows x·g^(uts−1) and x·g^uts enter only the main coins' running sums; the other
                // coins' balances there are only required to be field elements, which needs no
                // conversion into Montgomery form (a multiplication each, 268 a spot with 156 coins).
                func balances(_ bytes: [UInt8], into out: inout [Stark252]) throws {
                    try bytes.withUnsafeBytes { raw in
                        guard raw.count == 32 * c else { throw StarkV1Failure("internal: constraints checked on entries of the wrong size") }
                        for j in 0..<c {
                            func word(_ k: Int) -> UInt64 { UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 32 * j + 8 * k, as: UInt64.self)) }
                            guard let v = Stark252(montgomeryLimbs: word(3), word(2), word(1), word(0)) else {
                                throw StarkV1Failure("spot check \(i): balance is not a field element (≥ p)")
                            }
                            if j < m { out[j] = v.scaledUpByR }
                        }
                    }
                }
                try balances(e.e2[1], into: &b2)
                try balances(e.e3[1], into: &b3)
                guard let l = Stark252(montgomeryBigEndian: lValues[i]) else {
                    throw StarkV1Failure("spot check \(i): linear combination is not a field element (≥ p)")
                }
                let xN = xNs[i]
                // x^n = (x^(n/uts))^uts.
                let xSteps = xN.power(UInt64(uts))
                // C1: each user's block starts at 0.
                guard t == tc[0] * (xN - oneF) else { throw StarkV1Failure("spot check \(i): constraint 1 (user block starts at 0) fails") }
                // C2: base-4 digits, so every user's net value is in [0, 4^(uts−2)).
                let d = t1 - four * t
                let z2 = (xSteps - oneF) * inverses[2 * i]
                guard d * (d - oneF) * (d - two) * (d - three) == tc[1] * z2 else {
                    throw StarkV1Failure("spot check \(i): constraint 2 (base-4 digits, non-negative net value) fails")
                }
                // C3: running total of net values.
                let z3 = (xN - wUtsMinus1N) * inverses[2 * i + 1]
                guard t3 - t2 - t == tc[2] * z3 else { throw StarkV1Failure("spot check \(i): constraint 3 (running total) fails") }
                // C4: running total starts at 0 and ends at total_value.
                let z4 = (x - x0) * (x - last)
                let lineFactor = (x - x0) * inverseLastMinusX0
                guard t - total * lineFactor == tc[3] * z4 else {
                    throw StarkV1Failure("spot check \(i): constraint 4 (boundary: running total ends at total_value) fails")
                }
                for j in 0..<m {
                    guard b3[j] - b2[j] - b[j] == cc[2 * j] * z3 else {
                        throw StarkV1Failure("spot check \(i): running sum of main coin #\(j) fails")
                    }
                    guard b[j] - coinSums[j] * lineFactor == cc[2 * j + 1] * z4 else {
                        throw StarkV1Failure("spot check \(i): boundary of main coin #\(j) (running sum ends at its published sum) fails")
                    }
                }
                // Linear combination: L = Σ k_{2m}·V_m + k_{2m+1}·V_m·y + TC_1 over the values
                // V = t, b…, id, TC_0, TC_2, TC_3, coin quotients…, then 2(c − m) zeros (which add nothing).
                // Summed as Σ k_{2m}·V_m + y·Σ k_{2m+1}·V_m: the same field element, with two
                // products per value instead of three, each sum reduced once (`ProductSum`).
                // V and TC_1 and L are as read (2⁻²⁵⁶ times their value), so the equation is
                // checked times 2⁻²⁵⁶, which holds exactly when it does.
                let y = xSteps.power(3)
                let even = Stark252.dot(kEven, values), odd = Stark252.dot(kOdd, values)
                guard tc1AsRead + even + odd * y == l else { throw StarkV1Failure("spot check \(i): the linear combination does not match l_mtree's value") }
            }
        }
    }
}
