#!/usr/bin/env bash
# Builds statically linked x86_64 qga-daemon and qga-client binaries and
# checks that they are.
#
#   packaging/build-static.sh        # prints the agent binary's path last
#
# Preferred: the x86_64-unknown-linux-musl target (rustup target add, and
# musl-tools on Debian for musl-gcc). When that target cannot be installed,
# falls back to glibc with `-C target-feature=+crt-static` for
# x86_64-unknown-linux-gnu (getpwnam and friends then warn at link time;
# the agent does not use NSS lookups).
#
# Output: target/static/qga-daemon and target/static/qga-client (stripped
# copies of the release build).
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

mkdir -p "$OUT"

# Copies the release binary NAME to $OUT, strips it and checks that it is
# statically linked.
install_static() {
    local bin=$OUT/$1 description ldd_out
    cp "target/$TARGET/release/$1" "$bin"
    strip "$bin" 2>/dev/null || true
    description=$(file -b "$bin")
    say "$1: file: $description"
    case $description in
    *"statically linked"* | *"static-pie linked"*) ;;
    *) say "$1: not statically linked"; exit 1 ;;
    esac
    if ldd_out=$(ldd "$bin" 2>&1); then
        case $ldd_out in
        *"statically linked"*) ;;
        *) say "$1: ldd lists libraries: $ldd_out"; exit 1 ;;
        esac
    else
        case $ldd_out in
        *"not a dynamic executable"*) ;;
        *) say "$1: ldd: $ldd_out"; exit 1 ;;
        esac
    fi
    say "$1: ldd: ${ldd_out//$'\n'/ }"
    say "$1: size: $(stat -c %s "$bin") bytes"
}

install_static qga-client
install_static qga-daemon
echo "$ROOT/$OUT/qga-daemon"
