#!/usr/bin/env bash
# Makes Linking/porcheck.order, the function order install.sh hands the linker
# (--symbol-ordering-file).
#
# Why: the kernel maps the 64 KB around every page of code a process touches, so code that runs
# spread over a 20 MB binary costs far more memory than its size: the code `porcheck verify`
# reached was scattered over ~160 of the ~330 windows (10 MiB resident). Laying the functions
# that run side by side, in the order below, packs them into fewer windows.
#
# How: run the release binary under valgrind's callgrind on the sample audit and the test
# fixtures, list the functions of porcheck's own binary each run reached, first run first (the
# benchmark's path: `verify --no-record` on the bundled v2 sample), and add porcheck's SIMD
# kernels, which valgrind's CPU does not offer and so never runs. Only the names are kept: a name
# the next build no longer has is ignored by the linker, a new function simply goes after the
# listed ones, so a stale list costs memory, never correctness.
#
# Needs valgrind, and a binary built the way install.sh --demo builds it (with function sections:
# each Swift and C function in its own section, so that the linker can move it). Usage:
#   bash Linking/make-order-file.sh [PATH/TO/porcheck]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin="${1:-$here/.build-static/release/porcheck}"
fixtures="$here/Tests/Fixtures"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

n=0
profile() {  # profile ARGS... : one callgrind run, output $work/N.out (a failing check is fine)
  n=$((n + 1))
  valgrind --tool=callgrind --demangle=no --compress-strings=no --compress-pos=no \
    --callgrind-out-file="$work/$n.out" "$bin" --data-dir "$work/data" "$@" \
    </dev/null >/dev/null 2>&1 || true
}

# The benchmark's path first, then what else a user runs most.
profile verify --no-record "$here/Resources/demo"
profile verify --json --no-record "$here/Resources/demo"
profile verify "$here/Resources/demo"
profile --help
profile history
profile history show 1
profile verify "$fixtures/por-v2/two-level"
profile verify --no-record "$fixtures/legacy/stark-v1/valid/stark_fullcfg"
profile verify --no-record "$fixtures/legacy/merkle-v1/merkle_proof_file.json"
profile verify --no-record "$fixtures/legacy/merkle-v2/user_info_file.json" \
  "$fixtures/legacy/merkle-v2/full-liabilities-merkle-tree.txt"
profile wallets "$fixtures/wallets/por_11col.csv"
profile wallets --json --no-record "$fixtures/wallets/por_12col_staking.csv"
profile verify "$here/Resources/demo"   # a second recorded check of the same kind, for diff
profile diff
profile demo

python3 - "$(basename "$bin")" "$work" "$n" > "$work/order" <<'PY'
import sys
name, work, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
# Each run's new names sorted: callgrind lists functions in no stable order, and the order
# within one run's set matters little (they end up side by side either way), so a remade list
# differs from the old one only where the code did.
seen, order = set(), []
for i in range(1, runs + 1):
    obj, found = None, set()
    for line in open(f"{work}/{i}.out", errors="replace"):
        if line.startswith("ob="):
            obj = line[3:].strip()
        elif line.startswith("fn=") and obj is not None and obj.endswith("/" + name):
            fn = line[3:].strip()
            if fn not in seen and not fn.startswith("0x"):
                found.add(fn)
    order += sorted(found)
    seen |= found
print("\n".join(order))
PY
# The SIMD kernels (CAccel): valgrind hides AVX-512 and SHA-NI from the program.
objects="$(dirname "$(readlink -f "$bin")")"
nm --defined-only "$objects"/CAccel.build/*.o | awk '$2 == "T" || $2 == "t" { print $3 }' \
  | grep -vxF -f "$work/order" >> "$work/order" || true
mv "$work/order" "$here/Linking/porcheck.order"
echo "make-order-file.sh: $(wc -l < "$here/Linking/porcheck.order") functions in Linking/porcheck.order" >&2
