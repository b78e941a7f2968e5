// swift-tools-version:6.0
// porcheck: check OKX's Proof of Reserves on your own machine.
//
// Layers, lowest first (a target only knows the ones above it in this list):
//   C shims (CReadline, CSecp256k1, CSodium, COpenSSL), CAccel (porcheck's SHA-NI/AVX2 kernels)
//   Field (Goldilocks, its quadratic extension, Stark252)   Hashing (Poseidon, Keccak, SHA-256, …)
//   Plonky2 (proof model, decoding, challenger, gates, FRI)
//   Liabilities (one file per OKX proof format, one Verdict type)   Reserves (wallet lists, chains)
//   Balances (node configuration, JSON-RPC over HTTP/1.1 sockets, EVM and Bitcoin Core readers)
//   porcheck-fetch (the helper child: wallet-list downloads, the TLS relay for https:// nodes)
//   History (the SQLite store)
//   Checks (finds the files, runs the verifiers, records the result, renders it)
//   Wizard (the readline REPL)
//   porcheck (the thin command-line executable)
import PackageDescription

let optimised: [SwiftSetting] = [.unsafeFlags(["-O"])]

let package = Package(
    name: "porcheck",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "porcheck", targets: ["porcheck"]),
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
        .target(name: "Liabilities", dependencies: ["Field", "Hashing", "JSONReader", "Plonky2"]),
        .target(name: "Reserves", dependencies: ["Hashing", "JSONReader", "CSecp256k1", "CSodium", "ZIPFoundation"], swiftSettings: optimised),
        // Balances at the snapshot height from the user's own nodes: configuration, exact amounts,
        // JSON-RPC over plain HTTP/1.1 sockets (no libcurl), EVM and Bitcoin Core readers.
        .target(name: "Balances", dependencies: ["Reserves", "JSONReader"]),
        // The only networking code: kept apart so that porcheck does not load libcurl at start.
        .target(name: "WalletDownload", dependencies: ["Reserves", "Hashing"]),
        // Downloads (URLSession) and the TLS relay for https:// nodes (OpenSSL), in a child process.
        .executableTarget(name: "porcheck-fetch", dependencies: ["WalletDownload", "Reserves", "Balances", "COpenSSL"]),
        .target(name: "History", dependencies: ["Hashing", .product(name: "GRDB", package: "GRDB.swift")]),
        .target(name: "Checks", dependencies: ["JSONReader", "Plonky2", "Liabilities", "Reserves", "Balances", "History", "ZIPFoundation"]),
        .target(name: "Wizard", dependencies: ["Checks", "Balances", "CReadline"]),
        .executableTarget(name: "porcheck", dependencies: [
            "Hashing", "JSONReader", "Balances",
            "Wizard", "Checks",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ],
        // Linked by lld with packed relative relocations (DT_RELR, read by Debian 12's glibc 2.36):
        // the 85,000 pointers the loader adjusts for ASLR are a 16 KB bitmap instead of a 2 MB
        // table (gold, the default, cannot write it); still a position-independent executable.
        // No dynamic symbol table of porcheck's own functions: the static runtime's link options
        // export every symbol of the objects (nothing looks them up; backtraces read .symtab), and
        // the loader's look-ups read through those 900 KB at every start. Static constructors and
        // clang's split-off cold code are kept in their own groups (.text.startup, .text.unlikely)
        // instead of among the code that runs. See Docs/performance.md ("Memory").
        linkerSettings: [.unsafeFlags(["-use-ld=lld", "-Xlinker", "-z", "-Xlinker", "pack-relative-relocs",
                                       "-Xlinker", "--no-export-dynamic",
                                       "-Xlinker", "-z", "-Xlinker", "keep-text-section-prefix"])]),

        .testTarget(name: "FieldTests", dependencies: ["Field"]),
        .testTarget(name: "HashingTests", dependencies: ["Hashing"]),
        .testTarget(name: "JSONReaderTests", dependencies: ["JSONReader"]),
        .testTarget(name: "Plonky2Tests", dependencies: ["Plonky2", "Hashing", "Field", "JSONReader"]),
        .testTarget(name: "LiabilitiesTests", dependencies: ["Liabilities"]),
        .testTarget(name: "LegacyTests", dependencies: ["Liabilities", "Field", "Hashing"]),
        .testTarget(name: "HistoryTests", dependencies: ["History", "Hashing"]),
        .testTarget(name: "BalancesTests", dependencies: ["Balances", "Reserves", "JSONReader", "Checks", "History"],
                    exclude: ["Nodes"]),
        .testTarget(name: "CLITests", dependencies: ["Checks", "Hashing", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "ReservesTests", dependencies: ["Reserves", "WalletDownload", "Hashing", "CSodium"]),
    ]
)
