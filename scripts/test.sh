#!/usr/bin/env bash
# Runs every test tier of the project.
#
# On a fresh Debian machine, run as root, it first installs what the tests
# need (scripts/install-deps.sh: qemu, the guest kernel, busybox, the
# reference qemu-ga). A tier that cannot run says why and is skipped; with
# QGA_VM_REQUIRED=1 (as CI sets it) a missing VM prerequisite is a failure.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }

step "system packages"
if [ "$(id -u)" = 0 ]; then
    scripts/install-deps.sh
else
    echo "not root: not installing packages (VM tests skip unless they are present)"
    scripts/install-deps.sh || true
fi

step "formatting"
cargo fmt --all -- --check

step "lints"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "docs"
RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps --locked

step "static release build of the agent (the VM tier boots it)"
QGA_DAEMON_BIN=$(packaging/build-static.sh | tail -n 1)
export QGA_DAEMON_BIN
echo "agent: $QGA_DAEMON_BIN"

step "tests"
if [ ! -d ../shared ]; then
    echo "note: ../shared is absent: the QEMU corpus and conformance tests skip"
fi
cargo test --workspace --locked
