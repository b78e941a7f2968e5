#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Which of a hash's implementations computes many hashes at once: porcheck's C kernels in
/// CAccel with AVX-512 (8 lanes) or AVX2 (4), each 64-bit lane of a vector register a separate
/// state, or the Swift code, one after the other. Poseidon (`permuteMany`) and Keccak-256
/// (`digestMany`) each say which the CPU runs (their kernels need different instructions).
public enum SIMDKernel: String, CaseIterable, Sendable {
    case scalar, avx2, avx512

    /// How many hashes one pass of the kernel computes together.
    public var lanes: Int {
        switch self {
        case .scalar: return 1
        case .avx2: return 4
        case .avx512: return 8
        }
    }

    /// What a hash's C kernels need of the CPU, asked once (cpuid and the operating system's
    /// XCR0, in CAccel), and the environment variable that can name a kernel.
    struct Support: Sendable {
        let avx2: Bool
        let avx512: Bool
        let variable: String

        func runs(_ kernel: SIMDKernel) -> Bool {
            switch kernel {
            case .scalar: return true
            case .avx2: return avx2
            case .avx512: return avx512
            }
        }

        /// The kernels this CPU runs, narrowest first.
        var available: [SIMDKernel] { SIMDKernel.allCases.filter(runs) }

        /// The kernel to use, decided once by the caller: the one the environment variable names
        /// (`scalar`, `avx2`, `avx512`) if the CPU runs it, else the widest it runs. The variable
        /// exists to compare the paths on one machine (tests, benchmarks); an unknown or
        /// unavailable name is ignored.
        var chosen: SIMDKernel {
            if let raw = getenv(variable), let named = SIMDKernel(rawValue: String(cString: raw)), runs(named) { return named }
            return available.last ?? .scalar
        }
    }
}
