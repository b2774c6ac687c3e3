#!/usr/bin/env bash
# Packs qga-daemon, and its host-side client qga-client, into Debian
# packages with dpkg-deb.
#
#   packaging/build-deb.sh [BINARY [CLIENT-BINARY]]
#
# The binaries default to the static build (build-static.sh is run when
# one is missing). The agent's package installs
#   /usr/sbin/qga-daemon
#   /lib/systemd/system/qga-daemon.service
#   /lib/udev/rules.d/99-qga-daemon.rules
#   /usr/share/doc/qga-daemon/qemu-ga.conf.example
# and conflicts with (and replaces) qemu-guest-agent: both drive the same
# port, own the same udev trigger and answer the same protocol, so only
# one of them may be installed. It also Provides qemu-guest-agent, so
# packages depending on the agent are satisfied.
#
# The client's package installs /usr/bin/qga-client alone: it runs on the
# host, next to QEMU, so it has a package of its own that conflicts with
# nothing.
#
# Output: target/deb/qga-client_VERSION_amd64.deb and
# target/deb/qga-daemon_VERSION_amd64.deb, whose paths are printed in that
# order (the agent's last).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
say() { printf 'build-deb: %s\n' "$*" >&2; }

BIN=${1:-target/static/qga-daemon}
[ -x "$BIN" ] || BIN=$(packaging/build-static.sh)
CLIENT_BIN=${2:-target/static/qga-client}
[ -x "$CLIENT_BIN" ] || packaging/build-static.sh >/dev/null

VERSION=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n1)
ARCH=amd64
STAGE=target/deb/stage
DEB=target/deb/qga-daemon_${VERSION}_${ARCH}.deb
rm -rf "$STAGE"
install -D -m 0755 "$BIN" "$STAGE/usr/sbin/qga-daemon"
install -D -m 0644 packaging/qga-daemon.service "$STAGE/lib/systemd/system/qga-daemon.service"
install -D -m 0644 packaging/99-qga-daemon.rules "$STAGE/lib/udev/rules.d/99-qga-daemon.rules"
install -D -m 0644 packaging/qemu-ga.conf.example \
    "$STAGE/usr/share/doc/qga-daemon/qemu-ga.conf.example"

SIZE_KB=$(du -sk --exclude=DEBIAN "$STAGE" | cut -f1)
mkdir -p "$STAGE/DEBIAN"
cat >"$STAGE/DEBIAN/control" <<CONTROL
Package: qga-daemon
Version: $VERSION
Architecture: $ARCH
Maintainer: qga-daemon developers <qga-daemon@localhost>
Installed-Size: $SIZE_KB
Section: admin
Priority: optional
Conflicts: qemu-guest-agent
Replaces: qemu-guest-agent
Provides: qemu-guest-agent
Description: QEMU guest agent, a drop-in replacement for qemu-ga
 qga-daemon runs inside a virtual machine and answers the host's QEMU
 guest agent protocol on the virtio-serial port org.qemu.guest_agent.0:
 filesystem freeze, guest-exec, file access, time, users, network and
 more. It reads qemu-ga's command line and /etc/qemu/qemu-ga.conf.
 The binary is statically linked.
CONTROL

# Let udev and systemd see the new files; nothing to do outside a
# running systemd (containers, image builds).
cat >"$STAGE/DEBIAN/postinst" <<'POSTINST'
#!/bin/sh
set -e
if [ "$1" = configure ] && [ -d /run/systemd/system ]; then
    systemctl daemon-reload || true
    udevadm control --reload-rules || true
    if [ -e /dev/virtio-ports/org.qemu.guest_agent.0 ]; then
        systemctl restart qga-daemon.service || true
    fi
fi
POSTINST
cat >"$STAGE/DEBIAN/prerm" <<'PRERM'
#!/bin/sh
set -e
if [ -d /run/systemd/system ]; then
    systemctl stop qga-daemon.service || true
fi
PRERM
cat >"$STAGE/DEBIAN/postrm" <<'POSTRM'
#!/bin/sh
set -e
if [ -d /run/systemd/system ]; then
    systemctl daemon-reload || true
fi
POSTRM
chmod 0755 "$STAGE/DEBIAN/postinst" "$STAGE/DEBIAN/prerm" "$STAGE/DEBIAN/postrm"

dpkg-deb --root-owner-group --build "$STAGE" "$DEB" >&2
say "contents:"
dpkg-deb --contents "$DEB" >&2
say "size: $(stat -c %s "$DEB") bytes"

CLIENT_STAGE=target/deb/stage-client
CLIENT_DEB=target/deb/qga-client_${VERSION}_${ARCH}.deb
rm -rf "$CLIENT_STAGE"
install -D -m 0755 "$CLIENT_BIN" "$CLIENT_STAGE/usr/bin/qga-client"
SIZE_KB=$(du -sk "$CLIENT_STAGE" | cut -f1)
mkdir -p "$CLIENT_STAGE/DEBIAN"
cat >"$CLIENT_STAGE/DEBIAN/control" <<CONTROL
Package: qga-client
Version: $VERSION
Architecture: $ARCH
Maintainer: qga-daemon developers <qga-daemon@localhost>
Installed-Size: $SIZE_KB
Section: utils
Priority: optional
Description: command-line client for the QEMU guest agent
 qga-client sends one command to a QEMU guest agent (qemu-ga or
 qga-daemon) through the host end of its virtio-serial channel, a unix
 socket or vsock, and prints the reply as JSON. It runs the
 guest-sync-delimited handshake, checks arguments against the guest agent
 schema before sending, and can decode file and process output.
 The binary is statically linked.
CONTROL
dpkg-deb --root-owner-group --build "$CLIENT_STAGE" "$CLIENT_DEB" >&2
say "contents:"
dpkg-deb --contents "$CLIENT_DEB" >&2
say "size: $(stat -c %s "$CLIENT_DEB") bytes"

echo "$ROOT/$CLIENT_DEB"
echo "$ROOT/$DEB"
