#!/usr/bin/env bash
# Builds a statically linked x86_64 qga-daemon and checks that it is one.
#
#   packaging/build-static.sh        # prints the binary's path last
#
# Preferred: the x86_64-unknown-linux-musl target (rustup target add, and
# musl-tools on Debian for musl-gcc). When that target cannot be installed,
# falls back to glibc with `-C target-feature=+crt-static` for
# x86_64-unknown-linux-gnu (getpwnam and friends then warn at link time;
# the agent does not use NSS lookups).
#
# Output: target/static/qga-daemon (a copy of the release build).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
OUT=target/static
say() { printf 'build-static: %s\n' "$*" >&2; }

musl_ready() {
    rustup target list --installed 2>/dev/null | grep -qx x86_64-unknown-linux-musl ||
        rustup target add x86_64-unknown-linux-musl >&2 || return 1
    # The crates with C parts want a musl C compiler; plain Rust does not.
    command -v musl-gcc >/dev/null ||
        { [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null &&
              apt-get install -y musl-tools >&2; } || true
    return 0
}

if musl_ready; then
    TARGET=x86_64-unknown-linux-musl
    say "target $TARGET"
    cargo build --release -p qga-daemon --target "$TARGET" >&2
else
    TARGET=x86_64-unknown-linux-gnu
    say "musl target unavailable: glibc with crt-static, target $TARGET"
    RUSTFLAGS="${RUSTFLAGS:-} -C target-feature=+crt-static" \
        cargo build --release -p qga-daemon --target "$TARGET" >&2
fi

BIN=target/$TARGET/release/qga-daemon
mkdir -p "$OUT"
cp "$BIN" "$OUT/qga-daemon"
strip "$OUT/qga-daemon" 2>/dev/null || true
BIN=$OUT/qga-daemon

description=$(file -b "$BIN")
say "file: $description"
case $description in
*"statically linked"* | *"static-pie linked"*) ;;
*) say "not statically linked"; exit 1 ;;
esac
if ldd_out=$(ldd "$BIN" 2>&1); then
    case $ldd_out in
    *"statically linked"*) ;;
    *) say "ldd lists libraries: $ldd_out"; exit 1 ;;
    esac
else
    case $ldd_out in
    *"not a dynamic executable"*) ;;
    *) say "ldd: $ldd_out"; exit 1 ;;
    esac
fi
say "ldd: ${ldd_out//$'\n'/ }"
say "size: $(stat -c %s "$BIN") bytes"
echo "$ROOT/$BIN"
