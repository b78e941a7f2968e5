#if canImport(Glibc)
import Glibc
#endif
import CFront
import ChecksCore

// porcheck's front: a small program without Foundation. It runs the usual check itself,
// `porcheck verify --no-record` on zk-STARK v2 files (LeanVerify, whose output is the full
// porcheck's byte for byte), and hands every other command line, unchanged, to the full porcheck
// (`porcheck-full` beside it) by exec: the same process, arguments and environment. Why: linking
// Foundation costs ~4 MiB of memory at every start, as much as OKX's whole verifier uses
// (Docs/performance.md, "Lean front").

// `porcheck bench` asks each porcheck it times for its own peak memory (the full porcheck, once
// exec'd, registers its own report).
if getenv(PeakMemory.fileVariable) != nil {
    atexit { PeakMemory.reportIfAsked() }
}

if let invocation = VerifyInvocation(arguments: Array(CommandLine.arguments.dropFirst())),
   let result = LeanVerify.run(invocation) {
    print(result.output)
    exit(result.exitCode)
}

// Everything else: the full porcheck (`PORCHECK_FULL_BINARY` names another one: the tests use it
// to see which path ran). Lines without `--no-record` never get here: CFront hands them over
// before the Swift runtime starts.
porcheck_exec_full(CommandLine.unsafeArgv)
