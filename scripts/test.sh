#!/usr/bin/env bash
# Runs every test tier of the project. On a fresh Debian machine, run as
# root, it first installs what the tests need; tiers that cannot run say so.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }

step "formatting"
cargo fmt --all -- --check

step "lints"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "docs"
RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps --locked

step "tests"
if [ ! -d ../shared ]; then
    echo "note: ../shared is absent: corpus and conformance tests will skip"
fi
cargo test --workspace --locked
