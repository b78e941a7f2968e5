#!/usr/bin/env bash
# Makes Linking/PRODUCT.order, the function order install.sh hands the linker
# (--symbol-ordering-file) for each executable: `porcheck` (the lean front) and `porcheck-full`.
#
# Why: the kernel maps the 64 KB around every page of code a process touches, so code that runs
# spread over a 20 MB binary costs far more memory than its size: the code `porcheck verify`
# reached was scattered over ~160 of the ~330 windows (10 MiB resident). Laying the code that
# runs side by side, in the order below, packs it into fewer windows.
#
# How: run the release binary under valgrind's callgrind on the sample audit and the test
# fixtures, with the address of every instruction run. The link map install.sh writes says which
# input section (one function of porcheck's own code, or a whole object file of a prebuilt
# library such as the Swift standard library or glibc) holds each address. The sections each
# run reached, first run first (the benchmark's path: `verify --no-record` on the bundled v2
# sample), are listed by one symbol each, a name no other section has: the linker moves every
# section holding a listed name, so a name many objects share (a value witness such as `$sSqwxx`
# is a local symbol in hundreds of them) would drag whole libraries' code in among the hot code.
# What valgrind's CPU hides is added by hand: every CPU variant of a glibc string function one run
# reached goes with it, and porcheck's SIMD kernels (never run under valgrind) follow the first run.
# Only names are kept: a name the next build no longer has is ignored by the linker, a new
# function simply goes after the listed ones, so a stale list costs memory, never correctness.
#
# Needs valgrind, and a binary built the way install.sh --demo builds it (with function sections,
# each Swift and C function in its own section so that the linker can move it), and its link map
# (install.sh writes .build-static/PRODUCT.map). Usage:
#   bash Linking/make-order-file.sh porcheck|porcheck-full [PATH/TO/binary [PATH/TO/map]]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
product="${1:-}"
case "$product" in porcheck|porcheck-full) ;; *) echo "usage: make-order-file.sh porcheck|porcheck-full [BIN [MAP]]" >&2; exit 2 ;; esac
bin="${2:-$here/.build-static/release/$product}"
map="${3:-$here/.build-static/$product.map}"
[ -f "$map" ] || { echo "make-order-file.sh: no link map at $map (install.sh --demo writes it)" >&2; exit 2; }
fixtures="$here/Tests/Fixtures"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

n=0
profile() {  # profile ARGS... : one callgrind run, output $work/N.out (a failing check is fine)
  n=$((n + 1))
  valgrind --tool=callgrind --dump-instr=yes --demangle=no --compress-strings=no --compress-pos=no \
    --callgrind-out-file="$work/$n.out" "$bin" --data-dir "$work/data" "$@" \
    </dev/null >/dev/null 2>&1 || true
}

# The benchmark's path first (by absolute and by relative path: the path's form changes which
# string functions run), then what else a user runs most. The front runs only `verify
# --no-record` on v2 files itself (started for anything else, it execs porcheck-full, which
# callgrind does not follow); porcheck-full gets every command, the front's too (its fallbacks).
cd "$here"
one="$fixtures/por-v2/one-level"
two="$fixtures/por-v2/two-level"
profile verify --no-record "$here/Resources/demo"
# The same with what `porcheck bench` adds to the child: its own peak memory written at exit.
PORCHECK_PEAK_RSS_FILE="$work/peak" profile verify --no-record Resources/demo
profile verify --json --no-record "$here/Resources/demo"
profile verify --no-record "$one/sum_proof_data.json" "$one/idx050_batch3_middle_inclusion_proof.json"
profile verify --no-record "$two/sum_proof_data.json" "$two/idx150_batch37_middle_inclusion_proof.json"
# OKX's folders as its prover writes them (the other files beside the proofs are read and skipped).
profile verify --no-record "$one"
profile verify --no-record --json "$two"
# Failing checks: a tampered global proof, a tampered inclusion proof.
profile verify --no-record --json "$one/tampered/sum_proof_data.fri_final_poly.json" "$one/tampered/idx050_debt_plus1_inclusion_proof.json"
if [ "$product" = porcheck-full ]; then
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
fi

# The SIMD kernels (CAccel): valgrind hides AVX-512 and SHA-NI from the program.
objects="$(dirname "$(readlink -f "$bin")")"
nm --defined-only "$objects"/CAccel.build/*.o | awk '$2 == "T" || $2 == "t" { print $3 }' | sort -u > "$work/kernels"

python3 - "$map" "$work" "$n" > "$work/order" <<'PY'
import bisect, collections, re, sys
map_file, work, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
kernels = [k for k in open(f"{work}/kernels").read().split("\n") if k]
# The link map (lld -Map, --no-demangle): output sections start at column 0 of the fourth field,
# input sections are indented 8 spaces, the symbols they define 16.
line = re.compile(r"^\s*([0-9a-f]+)\s+[0-9a-f]+\s+([0-9a-f]+)\s+\d+ (.*)$")
sections, output, current = [], "", None
for text in open(map_file, errors="replace"):
    m = line.match(text.rstrip("\n"))
    if not m:
        continue
    rest = m.group(3)
    if not rest.startswith(" "):
        output = rest.strip()
    elif rest.startswith(" " * 16):
        if current is not None:
            current[3].append(rest.strip())
    elif output.startswith(".text"):
        current = [int(m.group(1), 16), int(m.group(2), 16), rest.strip(), []]
        sections.append(current)
    else:
        current = None
sections.sort()
starts = [s[0] for s in sections]
owners = collections.defaultdict(list)  # name -> the text sections defining it
for k, section in enumerate(sections):
    for name in section[3]:
        owners[name].append(k)
# glibc's string functions come in one variant per instruction set (memmove-avx-unaligned-erms.o,
# memmove-evex-unaligned-erms.o, ...), picked at start for the CPU it runs on. valgrind's CPU is
# not the user's, so a reached variant stands for its whole family.
variant = re.compile(r"libc\.a\(([a-z0-9_]+)-(?:sse|ssse|avx|evex)[a-z0-9_-]*\.o\)")
families = collections.defaultdict(list)
for k, section in enumerate(sections):
    m = variant.search(section[2])
    if m:
        families[m.group(1)].append(k)

def with_variants(reached):
    out = set(reached)
    for k in reached:
        m = variant.search(sections[k][2])
        if m:
            out.update(families[m.group(1)])
    return out

def label(k, hot):
    """A name that moves section k and no section that is not hot (reached by this run or an
    earlier one): one only it defines, else one shared only with small sections (a helper such
    as a block copy helper, emitted into each object of porcheck's own code) or hot ones."""
    for name in sections[k][3]:
        if len(owners[name]) == 1:
            return name
    for name in sections[k][3]:
        if all(o in hot or sections[o][1] <= 4096 for o in owners[name]):
            return name
    return None

seen, order, unnamed = set(), [], 0
for i in range(1, runs + 1):
    reached = set()
    for text in open(f"{work}/{i}.out", errors="replace"):
        if text.startswith("0x"):
            address = int(text.split(None, 1)[0], 16)
            k = bisect.bisect_right(starts, address) - 1
            if k >= 0 and address < sections[k][0] + sections[k][1]:
                reached.add(k)
    reached = with_variants(reached)
    if i == 1 and len(reached) < 100:
        # valgrind gives up on a binary whose debug information it cannot read (DWARF 5: the C
        # targets are built with -gdwarf-4 for it); an order made from nothing would be useless.
        sys.exit(f"make-order-file.sh: the first run reached only {len(reached)} sections: did valgrind run the binary?")
    names = set()
    for k in reached - seen:
        name = label(k, seen | reached)
        if name is None:
            unnamed += 1
        else:
            names.add(name)
    seen |= reached
    # Each run's new sections in name order: callgrind lists them in no stable order, and the
    # order within one run's set matters little (they end up side by side either way), so a
    # remade list differs from the old one only where the code did.
    order += sorted(names)
    if i == 1:
        # The kernels the benchmark's path runs natively (Poseidon, hex decoding), beside it.
        order += kernels
print("\n".join(dict.fromkeys(order)))  # each name once, where it first comes
print(f"make-order-file.sh: {len(seen)} sections reached, {unnamed} without a name of their own (left where they are)", file=sys.stderr)
PY
mv "$work/order" "$here/Linking/$product.order"
echo "make-order-file.sh: $(wc -l < "$here/Linking/$product.order") functions in Linking/$product.order" >&2
