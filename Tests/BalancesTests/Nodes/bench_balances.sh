#!/usr/bin/env bash
# The balance benchmark (Docs/performance.md): an EVM test node with N funded addresses (default
# 5,000), a wallet list naming them at the snapshot block, then `porcheck bench balances`.
# Usage: bash Tests/BalancesTests/Nodes/bench_balances.sh [N] [CONCURRENCY] [DELAY]   (after
# install.sh --test and `swift build -c release`). DELAY (seconds, default 0) is added to every
# answer, like a node across a network or a busy archive node.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
n="${1:-5000}"
concurrency="${2:-16}"
delay="${3:-0}"
python="${PORCHECK_TEST_PYTHON:-${XDG_CACHE_HOME:-$HOME/.cache}/porcheck/test-venv/bin/python}"
porcheck="${PORCHECK:-$root/.build/release/porcheck}"
work="$(mktemp -d)"
# The node exits when its standard input (this fifo's writer) closes, so it never outlives the script.
mkfifo "$work/stdin"
"$python" "$here/evm_node.py" --accounts "$n" --write-list "$work/list.csv" --write-config "$work/nodes.json" \
  --concurrency "$concurrency" --delay "$delay" < "$work/stdin" > "$work/node.out" 2> "$work/node.err" &
node=$!
exec 3> "$work/stdin"
cleanup() { exec 3>&-; kill "$node" 2>/dev/null || true; wait "$node" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
for _ in $(seq 1 600); do [ -s "$work/node.out" ] && break; sleep 0.1; done
[ -s "$work/node.out" ] || { cat "$work/node.err" >&2; exit 1; }
echo "EVM test node: $(cat "$work/node.out"), $n addresses, concurrency $concurrency, $delay s added to each answer"
"$porcheck" bench balances "$work/list.csv" --nodes "$work/nodes.json"
