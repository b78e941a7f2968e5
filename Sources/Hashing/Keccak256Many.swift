import CAccel
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Many independent Keccak-256 hashes of one length at once: with AVX-512 (8 per instruction) or
/// AVX2 (4) when the CPU has them, porcheck's C kernels in CAccel, each 64-bit lane of a vector
/// register a separate sponge; otherwise one after the other with the Swift permutation. Every
/// kernel gives the same digests (tested against each other and known answers).
///
/// Callers with many hashes of equal length to make at the same time (the STARK v1 spot checks'
/// entry data, a Merkle multi-branch level by level) hand them over together; a single hash
/// stays on `Keccak256.digest` / `hashPair`.
extension Keccak256 {
    public enum Kernel: String, CaseIterable, Sendable {
        case scalar, avx2, avx512

        /// Whether this CPU (and operating system) can run the kernel.
        public var isAvailable: Bool {
            switch self {
            case .scalar: return true
            case .avx2: return Keccak256.cpuHasAVX2
            case .avx512: return Keccak256.cpuHasAVX512
            }
        }

        /// How many hashes one pass of the kernel computes together.
        public var lanes: Int {
            switch self {
            case .scalar: return 1
            case .avx2: return 4
            case .avx512: return 8
            }
        }
    }

    /// Asked of the CPU once each (cpuid and the operating system's XCR0, in CAccel).
    static let cpuHasAVX2 = porcheck_cpu_has_avx2() != 0
    static let cpuHasAVX512 = porcheck_cpu_has_avx512f() != 0

    /// The kernel `digestMany` uses, decided once: the widest this CPU runs, or the one named by
    /// the environment variable `PORCHECK_KECCAK` (`scalar`, `avx2`, `avx512`) if the CPU runs
    /// it. The variable exists to compare the paths on one machine (tests, benchmarks); an
    /// unknown or unavailable name is ignored.
    public static let manyKernel: Kernel = {
        if let raw = getenv("PORCHECK_KECCAK"), let named = Kernel(rawValue: String(cString: raw)), named.isAvailable {
            return named
        }
        if Kernel.avx512.isAvailable { return .avx512 }
        if Kernel.avx2.isAvailable { return .avx2 }
        return .scalar
    }()

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
        guard count >= 2, kernel != .scalar, kernel.isAvailable, Bytes32.storesDigestBytes else {
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
