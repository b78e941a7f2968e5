// swift-tools-version:6.0
// porcheck: check OKX's Proof of Reserves on your own machine.
//
// Layers, lowest first (a target only knows the ones above it in this list):
//   C shims (CReadline, CSecp256k1, CSodium, COpenSSL), CAccel (porcheck's SHA-NI/AVX2 kernels)
//   Field (Goldilocks, its quadratic extension, Stark252)   Hashing (Poseidon, Keccak, SHA-256, …)
//   Plonky2 (proof model, decoding, challenger, gates, FRI)
//   LiabilitiesCore (the Verdict type, JSON input, zk-STARK v2; no Foundation)
//   Liabilities (one file per earlier OKX proof format)   Reserves (wallet lists, chains)
//   Balances (node configuration, JSON-RPC over HTTP/1.1 sockets, EVM and Bitcoin Core readers)
//   porcheck-fetch (the helper child: wallet-list downloads, the TLS relay for https:// nodes)
//   ChecksCore (outcomes, reports, the zk-STARK v2 check, the lean verify path; no Foundation)
//   History (the SQLite store)
//   Checks (finds the files, runs the verifiers, records the result)
//   Wizard (the readline REPL)
//   porcheck-full (the command-line executable: every command)
//   porcheck (the front users run: `verify --no-record` on v2 files itself, else exec porcheck-full)
import PackageDescription

let optimised: [SwiftSetting] = [.unsafeFlags(["-O"])]

// Linked by lld with packed relative relocations (DT_RELR, read by Debian 12's glibc 2.36):
// the 85,000 pointers the loader adjusts for ASLR are a 16 KB bitmap instead of a 2 MB
// table (gold, the default, cannot write it); still a position-independent executable.
// No dynamic symbol table of the executables' own functions: the static runtime's link options
// export every symbol of the objects (nothing looks them up; backtraces read .symtab), and
// the loader's look-ups read through those 900 KB at every start. Static constructors and
// clang's split-off cold code are kept in their own groups (.text.startup, .text.unlikely)
// instead of among the code that runs. See Docs/performance.md ("Memory").
let executableLinking: [LinkerSetting] = [.unsafeFlags([
    "-use-ld=lld", "-Xlinker", "-z", "-Xlinker", "pack-relative-relocs",
    "-Xlinker", "--no-export-dynamic",
    "-Xlinker", "-z", "-Xlinker", "keep-text-section-prefix"])]

let package = Package(
    name: "porcheck",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "porcheck", targets: ["porcheck"]),
        .executable(name: "porcheck-full", targets: ["porcheck-full"]),
        .executable(name: "porcheck-fetch", targets: ["porcheck-fetch"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
    ],
    targets: [
        // System libraries from Debian's -dev packages (install.sh installs them).
        .systemLibrary(name: "CReadline", path: "Sources/CReadline"),
        .systemLibrary(name: "CSecp256k1", path: "Sources/CSecp256k1"),
        .systemLibrary(name: "CSodium", path: "Sources/CSodium"),
        // OpenSSL (libssl-dev) for the TLS relay in porcheck-fetch only: porcheck never links it.
        .systemLibrary(name: "COpenSSL", path: "Sources/COpenSSL"),

        // The arithmetic layers are optimised even in debug builds: the test suite verifies real
        // proofs, and unoptimised field arithmetic is 20-50x slower.
        .target(name: "Field", swiftSettings: optimised),
        // porcheck's own C kernels for instructions Swift cannot reach (SHA-NI, AVX2), each used
        // only after a run-time check of the CPU, with the portable path as the fallback.
        // DWARF 4: valgrind 3.19 (Debian 12), used for the instruction counts, cannot read clang's DWARF 5.
        .target(name: "CAccel", cSettings: [.unsafeFlags(["-O2", "-gdwarf-4"])]),
        .target(name: "Hashing", dependencies: ["Field", "CSodium", "CAccel"], swiftSettings: optimised),
        .target(name: "JSONReader", swiftSettings: optimised),
        .target(name: "Plonky2", dependencies: ["Field", "Hashing", "JSONReader"], swiftSettings: optimised),
        // What the lean front needs of the liabilities formats, without Foundation.
        .target(name: "LiabilitiesCore", dependencies: ["Field", "Hashing", "JSONReader", "Plonky2"]),
        .target(name: "Liabilities", dependencies: ["Field", "Hashing", "JSONReader", "Plonky2", "LiabilitiesCore"]),
        .target(name: "Reserves", dependencies: ["Hashing", "JSONReader", "CSecp256k1", "CSodium", "ZIPFoundation"], swiftSettings: optimised),
        // Balances at the snapshot height from the user's own nodes: configuration, exact amounts,
        // JSON-RPC over plain HTTP/1.1 sockets (no libcurl), EVM and Bitcoin Core readers.
        .target(name: "Balances", dependencies: ["Reserves", "JSONReader"]),
        // The only networking code: kept apart so that porcheck does not load libcurl at start.
        .target(name: "WalletDownload", dependencies: ["Reserves", "Hashing"]),
        // Downloads (URLSession) and the TLS relay for https:// nodes (OpenSSL), in a child process.
        .executableTarget(name: "porcheck-fetch", dependencies: ["WalletDownload", "Reserves", "Balances", "COpenSSL"]),
        .target(name: "History", dependencies: ["Hashing", .product(name: "GRDB", package: "GRDB.swift")]),
        // Outcomes, reports and the zk-STARK v2 check, without Foundation: shared by the front and the full porcheck.
        .target(name: "ChecksCore", dependencies: ["Hashing", "JSONReader", "Plonky2", "LiabilitiesCore"]),
        .target(name: "Checks", dependencies: ["ChecksCore", "JSONReader", "Plonky2", "Liabilities", "Reserves", "Balances", "History", "ZIPFoundation"]),
        .target(name: "Wizard", dependencies: ["Checks", "Balances", "CReadline"]),
        // The full porcheck is started by the front (exec, same process) for everything else.
        .executableTarget(name: "porcheck-full", dependencies: [
            "Hashing", "JSONReader", "Balances",
            "Wizard", "Checks",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ],
        linkerSettings: executableLinking),

        // The front: a program without Foundation (see its main.swift), linked the same way.
        // CFront hands every line the front does not run to porcheck-full before Swift starts.
        // DWARF 4 as in CAccel, for valgrind (make-order-file.sh).
        .target(name: "CFront", cSettings: [.unsafeFlags(["-O2", "-gdwarf-4"])]),
        .executableTarget(name: "porcheck", dependencies: ["ChecksCore", "CFront"],
        linkerSettings: executableLinking),

        .testTarget(name: "FieldTests", dependencies: ["Field"]),
        .testTarget(name: "HashingTests", dependencies: ["Hashing"]),
        .testTarget(name: "JSONReaderTests", dependencies: ["JSONReader"]),
        .testTarget(name: "Plonky2Tests", dependencies: ["Plonky2", "Hashing", "Field", "JSONReader"]),
        .testTarget(name: "LiabilitiesTests", dependencies: ["Liabilities"]),
        .testTarget(name: "ChecksCoreTests", dependencies: ["ChecksCore", "LiabilitiesCore", "JSONReader"]),
        .testTarget(name: "LegacyTests", dependencies: ["Liabilities", "Field", "Hashing"]),
        .testTarget(name: "HistoryTests", dependencies: ["History", "Hashing"]),
        .testTarget(name: "BalancesTests", dependencies: ["Balances", "Reserves", "JSONReader", "Checks", "History"],
                    exclude: ["Nodes"]),
        .testTarget(name: "CLITests", dependencies: ["Checks", "History", "Hashing", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "ReservesTests", dependencies: ["Reserves", "WalletDownload", "Hashing", "CSodium"]),
    ]
)
