import CAccel
import Field

/// Many independent Poseidon permutations at once: with AVX-512 (8 per instruction) or AVX2 (4)
/// when the CPU has them, porcheck's C kernels in CAccel, each lane of a vector register a
/// separate permutation; otherwise one after the other with the Swift permutation. Every kernel
/// gives the same result (tested against each other and plonky2's vectors).
///
/// Callers that have many hashes to make at the same time (the FRI queries' Merkle paths, level
/// by level) hand them over together; a single hash stays on `Poseidon.permute`.
extension Poseidon {
    public typealias Kernel = SIMDKernel

    /// What this CPU runs of the kernels (cpuid and XCR0, asked once), and `PORCHECK_POSEIDON`, which can
    /// name the kernel `permuteMany` uses (see `SIMDKernel.Support.chosen`).
    static let support = SIMDKernel.Support(avx2: porcheck_cpu_has_avx2_fma() != 0, avx512: porcheck_cpu_has_avx512_ifma() != 0, variable: "PORCHECK_POSEIDON")
    static var cpuHasAVX2: Bool { support.avx2 }
    static var cpuHasAVX512: Bool { support.avx512 }

    /// The kernels this CPU runs, narrowest first.
    public static var availableKernels: [Kernel] { support.available }

    /// The kernel `permuteMany` uses, decided once: the widest this CPU runs, or the one `PORCHECK_POSEIDON` names.
    public static let manyKernel: Kernel = support.chosen

    /// Permutes `count` states of 12 lanes each, laid one after the other at `states`, in place.
    /// Lanes may be any u64 (a value ≥ p stands for its residue); the results are canonical, as
    /// `permute(lanes:)` gives them.
    public static func permuteMany(_ states: UnsafeMutablePointer<UInt64>, count: Int) {
        permuteMany(states, count: count, kernel: manyKernel)
    }

    /// As `permuteMany(_:count:)` with the given kernel; one the CPU cannot run (or a count ≤ 0)
    /// falls back to the Swift permutation.
    public static func permuteMany(_ states: UnsafeMutablePointer<UInt64>, count: Int, kernel: Kernel) {
        guard count > 0 else { return }
        let tables = PoseidonTables.shared.kernelTables
        switch kernel {
        case .avx512 where cpuHasAVX512:
            porcheck_poseidon_permute_avx512(states, count, tables)
        case .avx2 where cpuHasAVX2:
            porcheck_poseidon_permute_avx2(states, count, tables)
        default:
            for k in 0..<count { permute(lanes: states + k * width) }
        }
    }
}

extension PoseidonHash {
    /// `two_to_one` of `count` pairs: `inputs[2k]` ‖ `inputs[2k + 1]` compressed into `outputs[k]`.
    /// `scratch` must hold 12·count u64.
    public static func twoToOneMany(_ inputs: UnsafePointer<HashOut>, count: Int, into outputs: UnsafeMutablePointer<HashOut>,
                                    scratch: UnsafeMutablePointer<UInt64>) {
        guard count > 0 else { return }
        for k in 0..<count {
            let s = scratch + k * Poseidon.width
            let left = inputs[2 * k], right = inputs[2 * k + 1]
            s[0] = left.e0.value; s[1] = left.e1.value; s[2] = left.e2.value; s[3] = left.e3.value
            s[4] = right.e0.value; s[5] = right.e1.value; s[6] = right.e2.value; s[7] = right.e3.value
            s[8] = 0; s[9] = 0; s[10] = 0; s[11] = 0
        }
        Poseidon.permuteMany(scratch, count: count)
        for k in 0..<count { outputs[k] = HashOut(canonicalLanes: scratch + k * Poseidon.width) }
    }

    /// `hash_or_noop` of every leaf, in order (the sponges of leaves longer than 4 elements run
    /// side by side, one chunk of 8 elements of each per batch of permutations).
    public static func hashOrNoopMany(_ leaves: [[Goldilocks]]) -> [HashOut] {
        var digests = [HashOut](repeating: .zero, count: leaves.count)
        // The leaves that need the sponge, longest first: after c chunks, the ones still absorbing
        // are a prefix, whose states are permuted together.
        var sponged = [Int]()
        for (k, leaf) in leaves.enumerated() {
            if leaf.count <= 4 {
                func at(_ i: Int) -> Goldilocks { i < leaf.count ? leaf[i] : .zero }
                digests[k] = HashOut(at(0), at(1), at(2), at(3))
            } else {
                sponged.append(k)
            }
        }
        guard !sponged.isEmpty else { return digests }
        sponged.sort { leaves[$0].count > leaves[$1].count }
        let states = UnsafeMutablePointer<UInt64>.allocate(capacity: sponged.count * Poseidon.width)
        defer { states.deallocate() }
        states.initialize(repeating: 0, count: sponged.count * Poseidon.width)
        var active = sponged.count
        var start = 0
        while active > 0 {
            // Absorb elements start..<start+8 of every leaf still absorbing (overwriting the rate).
            while active > 0 && leaves[sponged[active - 1]].count <= start { active -= 1 }
            guard active > 0 else { break }
            for slot in 0..<active {
                let leaf = leaves[sponged[slot]]
                let s = states + slot * Poseidon.width
                let end = min(start + Poseidon.rate, leaf.count)
                for j in start..<end { s[j - start] = leaf[j].value }
            }
            Poseidon.permuteMany(states, count: active)
            start += Poseidon.rate
        }
        for (slot, k) in sponged.enumerated() { digests[k] = HashOut(canonicalLanes: states + slot * Poseidon.width) }
        return digests
    }
}
