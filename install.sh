#!/usr/bin/env bash
# Installs the Debian packages porcheck builds against (and the tools its tests drive).
# Safe to run again: only what is missing is installed. Uses sudo when not root.
set -euo pipefail

# libssl-dev: porcheck-fetch's TLS relay for https:// nodes (porcheck itself does not link it);
# ca-certificates: the CAs those nodes' certificates are checked against.
packages=(libsqlite3-dev libreadline-dev libsecp256k1-dev libsodium-dev libssl-dev ca-certificates pkg-config tmux unzip zip)
# The balance tests drive real nodes: litecoind (a Bitcoin Core 0.21 fork) in regtest, and an EVM
# (eth-tester + py-evm, in a Python virtualenv made below); openssl makes their test certificates.
# Only for --test.
if [ "${1:-}" = "--test" ]; then packages+=(litecoind python3-venv python3-pip openssl); fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ "${#missing[@]}" -gt 0 ]; then
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  echo "install.sh: installing ${missing[*]}" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# Modes: the README's two set-up commands.
#   bash install.sh --demo   build a release binary, install `porcheck` on the PATH, run `porcheck demo`
#   bash install.sh --test   build and run the whole test suite
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
case "${1:-}" in
  --demo)
    cd "$here"
    # porcheck is one static position-independent executable: the Swift runtime, Foundation, the
    # C library and the C libraries it uses (SQLite, libsodium, libsecp256k1, readline with the
    # terminfo library it needs, zlib, libstdc++) are all linked in from their archives (glibc's
    # libc6-dev, the Swift toolchain, and the -dev packages above ship them). Nothing is loaded or
    # bound at start, and the C library's code that runs is laid out with porcheck's own (below):
    # shared, libc, libm, libgcc_s and the loader had cost 2.1 MiB in every process. Still PIE
    # (the loader's address randomisation applies; glibc relocates the binary itself at start,
    # from the 16 KB bitmap of DT_RELR), which glibc refuses to do for a binary with a run path:
    # hence --disable-local-rpath. Its own build folder, because the flags change every module's
    # build. porcheck-fetch keeps the shared runtime (its networking needs libcurl).
    # glibc warns at link time that getpwuid_r, getaddrinfo and the like need "the shared
    # libraries from the glibc version used for linking": the passwd/group "files" and hosts
    # "files dns" sources are built into the static library; any other source named in
    # /etc/nsswitch.conf is loaded from this machine's glibc, the one porcheck was built with.
    # Without glibc's static pieces (libc.a, rcrt1.o), the C libraries stay shared: the Swift
    # runtime is still linked in, and each C library whose archive is there.
    static_c=()
    archive() { local a; a="$(clang -print-file-name="$1" 2>/dev/null || true)"; [ "${a#/}" != "$a" ] && [ -f "$a" ] && echo "$a"; }
    if archive libc.a >/dev/null && archive rcrt1.o >/dev/null; then
      static_c+=(--disable-local-rpath -Xswiftc -static-executable -Xswiftc -Xclang-linker -Xswiftc -static-pie)
      if tinfo="$(archive libtinfo.a)"; then static_c+=(-Xlinker "$tinfo"); fi
    else
      static_c+=(--static-swift-stdlib)
      if libstdcxx="$(archive libstdc++.a)"; then
        static_c+=(-Xlinker "--remap-inputs=*libstdc++.so=$libstdcxx")
      fi
      for lib in sqlite3 sodium secp256k1 z; do
        if a="$(archive "lib$lib.a")"; then static_c+=(-Xlinker "--remap-inputs=*lib$lib.so=$a"); fi
      done
      if readline="$(archive libreadline.a)" && tinfo="$(archive libtinfo.a)"; then
        static_c+=(-Xlinker "--remap-inputs=*libreadline.so=$readline" -Xlinker "$tinfo")
      fi
    fi
    # Every Swift and C function in its own section, laid out in the order Linking/PRODUCT.order
    # gives (the code `porcheck verify` runs first, then the other commands'): the kernel maps
    # the 64 KB around each page of code touched, and the code that runs, spread over the 20 MB
    # binary, had cost 10 MiB of memory; packed, 4.1 MiB. The link map (PRODUCT.map, names not
    # demangled) is what Linking/make-order-file.sh remakes each list from; Docs/performance.md,
    # "Memory", has the figures.
    # Two executables: `porcheck`, the lean front (no Foundation) that runs `verify --no-record`
    # on zk-STARK v2 files itself and execs `porcheck-full`, installed beside it, for everything
    # else ("Lean front" in Docs/performance.md). Each has its own order and map, so each is
    # linked by its own `swift build --product`, which shares the compiled modules.
    layout=(-Xswiftc -Xfrontend -Xswiftc -function-sections -Xcc -ffunction-sections
            -Xlinker --no-warn-symbol-ordering -Xlinker --no-demangle)
    # SwiftPM does not recompile what it built before when only these flags change: a build folder
    # made with other flags is started afresh.
    flags="${static_c[*]} ${layout[*]}"
    if [ -d .build-static ] && [ "$(cat .build-static/.porcheck-flags 2>/dev/null)" != "$flags" ]; then
      echo "install.sh: build flags changed, rebuilding .build-static from scratch" >&2
      rm -rf .build-static
    fi
    mkdir -p .build-static
    for product in porcheck-full porcheck; do
      # Nor does it link again when only the order changes.
      order="$(sha256sum "Linking/$product.order")"
      if [ "$(cat ".build-static/.$product-order" 2>/dev/null)" != "$order" ]; then rm -f ".build-static/release/$product"; fi
      swift build -c release --build-path .build-static --product "$product" "${static_c[@]}" "${layout[@]}" \
        -Xlinker "--symbol-ordering-file=$here/Linking/$product.order" -Xlinker "-Map=$here/.build-static/$product.map"
      printf '%s' "$order" > ".build-static/.$product-order"
    done
    printf '%s' "$flags" > .build-static/.porcheck-flags
    swift build -c release --product porcheck-fetch
    staticdir="$(swift build -c release --build-path .build-static --show-bin-path)"
    bindir="$(swift build -c release --show-bin-path)"
    if [ "$(id -u)" -eq 0 ]; then prefix=/usr/local; else prefix="$HOME/.local"; fi
    sudo=""
    if [ ! -w "$prefix" ] && [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
    $sudo mkdir -p "$prefix/bin" "$prefix/share/porcheck"
    $sudo install -m 0755 "$staticdir/porcheck-full" "$prefix/bin/porcheck-full"
    $sudo install -m 0755 "$staticdir/porcheck" "$prefix/bin/porcheck"
    $sudo install -m 0755 "$bindir/porcheck-fetch" "$prefix/bin/porcheck-fetch"
    $sudo rm -rf "$prefix/share/porcheck/Resources"
    $sudo cp -R "$here/Resources" "$prefix/share/porcheck/Resources"
    echo "install.sh: installed $prefix/bin/porcheck" >&2
    case ":$PATH:" in *":$prefix/bin:"*) ;; *) echo "install.sh: add $prefix/bin to your PATH" >&2 ;; esac
    "$prefix/bin/porcheck" demo
    ;;
  --test)
    cd "$here"
    # The EVM test node's Python packages, every version pinned (Tests/BalancesTests/Nodes/requirements.txt),
    # in a virtualenv the tests find at this path; remade when the pins change.
    venv="${XDG_CACHE_HOME:-$HOME/.cache}/porcheck/test-venv"
    requirements="$here/Tests/BalancesTests/Nodes/requirements.txt"
    stamp="$(sha256sum "$requirements" | cut -d' ' -f1)"
    if [ "$(cat "$venv/.porcheck-requirements" 2>/dev/null)" != "$stamp" ]; then
      echo "install.sh: making the EVM test node's virtualenv in $venv" >&2
      rm -rf "$venv"
      python3 -m venv "$venv"
      "$venv/bin/pip" install -q --disable-pip-version-check --require-virtualenv -r "$requirements"
      "$venv/bin/python" -c "import eth_tester, eth, vyper" 
      echo "$stamp" > "$venv/.porcheck-requirements"
    fi
    swift build --build-tests
    swift test
    ;;
  "") ;;
  *) echo "usage: install.sh [--demo|--test]" >&2; exit 2 ;;
esac
