#!/usr/bin/env bash
# The main job: builds the guest agent and its client, starts the agent on
# a unix socket in a temporary directory (as `qemu-ga -m unix-listen`
# would run), asks it a few things with qga-client, and stops it.
#
#   scripts/demo.sh
#
# Everything it creates is removed on exit, failure included; the agent is
# stopped by its pid.
set -euo pipefail
cd "$(dirname "$0")/.."

fail() { printf 'demo: %s\n' "$*" >&2; exit 1; }
command -v cargo >/dev/null || fail "cargo is needed (https://rustup.rs)"

printf '==> cargo build --release -p qga-daemon --bins\n'
cargo build --release -p qga-daemon --bins
BIN=target/release

WORK=$(mktemp -d "${TMPDIR:-/tmp}/qga-demo.XXXXXX")
SOCK=$WORK/qga.sock
AGENT=
cleanup() {
    if [ -n "$AGENT" ]; then
        kill "$AGENT" 2>/dev/null || true
        wait "$AGENT" 2>/dev/null || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT

mkdir "$WORK/state"
printf '==> SOCK=%s\n' "$SOCK"
printf '==> qga-daemon -m unix-listen -p $SOCK -t %s &\n' "$WORK/state"
"$BIN/qga-daemon" -m unix-listen -p "$SOCK" -t "$WORK/state" 2>"$WORK/agent.log" &
AGENT=$!
for _ in $(seq 100); do
    [ -S "$SOCK" ] && break
    kill -0 "$AGENT" 2>/dev/null || { cat "$WORK/agent.log" >&2; fail "the agent exited at start"; }
    sleep 0.1
done
[ -S "$SOCK" ] || { cat "$WORK/agent.log" >&2; fail "the agent did not listen on $SOCK within 10 s"; }

# Runs qga-client after showing the command, quoted for pasting.
client() {
    local shown=qga-client arg
    for arg in "$@"; do
        if [ "$arg" = "$SOCK" ]; then
            arg='$SOCK'
        elif [[ $arg == *[!A-Za-z0-9_./:=+-]* ]]; then
            arg="'$arg'"
        fi
        shown+=" $arg"
    done
    printf '\n$ %s\n' "$shown"
    "$BIN/qga-client" "$@"
}

client "$SOCK" guest-info | head -n 12
echo '  ...'
client "$SOCK" guest-get-osinfo
client "$SOCK" guest-get-host-name --compact

# A process in the "guest": start it, then collect its output (exit
# status 3 means it is still running).
started=$(client "$SOCK" guest-exec '{"path": "uname", "arg": ["-sr"], "capture-output": true}' --compact)
printf '%s\n' "$started"
PID=$(printf '%s\n' "$started" | sed -n 's/^{"pid":\([0-9]*\)}$/\1/p')
[ -n "$PID" ] || fail "guest-exec gave no pid"
sleep 0.2
for _ in $(seq 100); do
    status=0
    client "$SOCK" guest-exec-status "{\"pid\": $PID}" --decode 2>&1 || status=$?
    [ "$status" = 3 ] || break
    sleep 0.1
done
[ "$status" = 0 ] || fail "guest-exec-status ended with status $status"

# An error reply: `CLASS: desc` on stderr, exit status 1.
status=0
client "$SOCK" guest-file-open '{"path": "/nonexistent"}' || status=$?
printf '(exit status %s)\n' "$status"
[ "$status" = 1 ] || fail "expected exit status 1 for an error reply"

printf '\n==> stopping the agent (pid %s)\n' "$AGENT"
