import CAccel

/// Many independent Keccak-256 hashes of one length at once: with AVX-512 (8 per instruction) or
/// AVX2 (4) when the CPU has them, porcheck's C kernels in CAccel, each 64-bit lane of a vector
/// register a separate sponge; otherwise one after the other with the Swift permutation. Every
/// kernel gives the same digests (tested against each other and known answers).
///
/// Callers with many hashes of equal length to make at the same time (the STARK v1 spot checks'
/// entry data, a Merkle multi-branch level by level) hand them over together; a single hash
/// stays on `Keccak256.digest` / `hashPair`.
extension Keccak256 {
    public typealias Kernel = SIMDKernel

    /// What this CPU runs of the kernels (cpuid and XCR0, asked once), and `PORCHECK_KECCAK`, which can
    /// name the kernel `digestMany` uses (see `SIMDKernel.Support.chosen`).
    static let support = SIMDKernel.Support(avx2: porcheck_cpu_has_avx2() != 0, avx512: porcheck_cpu_has_avx512f() != 0, variable: "PORCHECK_KECCAK")
    static var cpuHasAVX2: Bool { support.avx2 }
    static var cpuHasAVX512: Bool { support.avx512 }

    /// The kernels this CPU runs, narrowest first.
    public static var availableKernels: [Kernel] { support.available }

    /// The kernel `digestMany` uses, decided once: the widest this CPU runs, or the one `PORCHECK_KECCAK` names.
    public static let manyKernel: Kernel = support.chosen

    /// Keccak-256 of `count` messages of `length` bytes each, message k at `inputs[k]`, into
    /// `digests[k]`. One hash alone goes to the Swift path (a kernel's pass costs about one
    /// scalar hash whatever the number of lanes filled).
    /// Returns false, with no digest written, when a message pointer is nil while `length` > 0
    /// or `length` is negative (callers then reject what they were checking).
    @discardableResult
    public static func digestMany(_ inputs: UnsafePointer<UnsafePointer<UInt8>?>, length: Int, count: Int,
                                  into digests: UnsafeMutablePointer<Bytes32>) -> Bool {
        digestMany(inputs, length: length, count: count, into: digests, kernel: count >= 2 ? manyKernel : .scalar)
    }

    /// As `digestMany(_:length:count:into:)` with the given kernel; one the CPU cannot run falls
    /// back to the Swift permutation. A count ≤ 0 computes nothing (and returns true).
    @discardableResult
    public static func digestMany(_ inputs: UnsafePointer<UnsafePointer<UInt8>?>, length: Int, count: Int,
                                  into digests: UnsafeMutablePointer<Bytes32>, kernel: Kernel) -> Bool {
        guard count > 0 else { return true }
        guard length >= 0 else { return false }
        // A nil pointer (an empty array's storage) is only valid for empty messages.
        for k in 0..<count where inputs[k] == nil {
            guard length == 0 else { return false }
            digestManyScalar(inputs, length: 0, count: count, into: digests)
            return true
        }
        let out = UnsafeMutableRawPointer(digests).assumingMemoryBound(to: UInt8.self)
        // Bytes32 is four UInt64 words, stored as the digest's bytes on a little-endian machine.
        switch kernel {
        case .avx512 where cpuHasAVX512 && Bytes32.storesDigestBytes:
            porcheck_keccak256_many_avx512(inputs, length, count, out)
        case .avx2 where cpuHasAVX2 && Bytes32.storesDigestBytes:
            porcheck_keccak256_many_avx2(inputs, length, count, out)
        default:
            digestManyScalar(inputs, length: length, count: count, into: digests)
        }
        return true
    }

    static func digestManyScalar(_ inputs: UnsafePointer<UnsafePointer<UInt8>?>, length: Int, count: Int,
                                 into digests: UnsafeMutablePointer<Bytes32>) {
        for k in 0..<count {
            digests[k] = digest(buffer: UnsafeRawBufferPointer(start: inputs[k], count: inputs[k] == nil ? 0 : length))
        }
    }

    /// Keccak-256 of `a ‖ b` for `count` pairs laid out as `pairs[2k]`, `pairs[2k + 1]` (Merkle
    /// parents), into `parents[k]`. `parents` may be `pairs` itself (parent k overwrites node k,
    /// which is read before: node 2k and 2k + 1 ≥ k); any other overlap is not allowed.
    public static func hashPairsMany(_ pairs: UnsafePointer<Bytes32>, count: Int, into parents: UnsafeMutablePointer<Bytes32>,
                                     kernel: Kernel = manyKernel) {
        guard count > 0 else { return }
        guard count >= 2, kernel != .scalar, support.runs(kernel), Bytes32.storesDigestBytes else {
            for k in 0..<count { parents[k] = hashPair(pairs[2 * k], pairs[2 * k + 1]) }
            return
        }
        // Groups of up to 64 pairs: their digests go to a buffer, then to `parents`, so that an
        // in-place call never overwrites a pair that a later group reads.
        withUnsafeTemporaryAllocation(of: UnsafePointer<UInt8>?.self, capacity: 64) { pointers in
            withUnsafeTemporaryAllocation(of: Bytes32.self, capacity: 64) { out in
                guard let p = pointers.baseAddress, let o = out.baseAddress else {
                    for k in 0..<count { parents[k] = hashPair(pairs[2 * k], pairs[2 * k + 1]) }
                    return
                }
                let raw = UnsafeRawPointer(pairs).assumingMemoryBound(to: UInt8.self)
                var start = 0
                while start < count {
                    let n = min(64, count - start)
                    for k in 0..<n { p[k] = raw + 64 * (start + k) }
                    digestMany(UnsafePointer(p), length: 64, count: n, into: o, kernel: n >= 2 ? kernel : .scalar)
                    for k in 0..<n { parents[start + k] = o[k] }
                    start += n
                }
            }
        }
    }
}

extension Bytes32 {
    /// Whether a Bytes32's memory is its 32 bytes in order (four little-endian words, no padding),
    /// which the C kernels write digests into directly.
    static let storesDigestBytes: Bool = {
        MemoryLayout<Bytes32>.size == 32 && MemoryLayout<Bytes32>.stride == 32 && UInt64(littleEndian: 1) == 1
    }()
}
