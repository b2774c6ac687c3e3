#!/usr/bin/env bash
# Installs what the end-to-end VM tests (crate `e2e-tests`) need on a Debian
# bookworm machine, then prints what is present.
#
#   sudo scripts/install-deps.sh
#
# Installed packages:
#   qemu-system-x86   from bookworm-backports (10.0). bookworm's own 7.2
#                     cannot be installed next to the qemu-utils 10.0 that
#                     some images carry, so the backports source is added
#                     when it is missing. Only qemu and the three packages
#                     whose backports versions it requires are taken from
#                     backports, each named in `pkg/suite` form (apt does
#                     not follow them by itself); a suite-wide `-t` would
#                     also upgrade qemu-guest-agent.
#   qemu-guest-agent  bookworm's 7.2: the reference agent run in the VM.
#   busybox-static    the guest's userland.
#   chromium, chromium-driver
#                     headless browser test of the rendered protocol reference.
#   cpio, e2fsprogs   initramfs inspection, the ext4 data disk (mkfs.ext4).
#
# Guest kernel: Debian's cloud kernel package (LZ4-compressed, boots fast
# under TCG) is downloaded and unpacked, never installed, into
#   $QGA_VM_CACHE/kernel   (default /var/cache/qga-vm/kernel)
# which is where the tests look for it (they honour QGA_VM_CACHE too).
#
# Idempotent: a second run is a quick no-op. When not run as root, or not on
# Debian, it says what it skips and exits 0 (the VM tests then skip).
set -euo pipefail

CACHE=${QGA_VM_CACHE:-/var/cache/qga-vm}
KDIR=$CACHE/kernel
KFLAVOR=cloud-amd64
PKGS=(qemu-guest-agent busybox-static cpio e2fsprogs chromium chromium-driver)
BPO_PKGS=(qemu-system-x86 qemu-system-common qemu-system-data seabios)
export DEBIAN_FRONTEND=noninteractive

say() { printf 'install-deps: %s\n' "$*"; }

# First line of a command's output, or "missing" when it is not installed.
version_of() {
    local exe=$1
    shift
    if [ -x "$exe" ]; then
        { "$exe" "$@" 2>&1 || true; } | head -1
    else
        echo missing
    fi
}

summary() {
    local k
    k=$(ls "$KDIR"/boot/vmlinuz-* 2>/dev/null | head -1 || true)
    say "qemu:    $(version_of "$(command -v qemu-system-x86_64 || echo /nonexistent)" --version)"
    say "agent:   $(version_of /usr/sbin/qemu-ga -V)"
    say "busybox: $(version_of /bin/busybox --help)"
    say "mkfs:    $(command -v mkfs.ext4 || echo missing)"
    say "kernel:  ${k:-missing}"
}

if [ "$(id -u)" != 0 ]; then
    say "not root: skipping package installation (the VM tests skip when a piece below is missing)"
    summary
    exit 0
fi
if ! grep -qs '^ID=debian' /etc/os-release || ! grep -qs 'VERSION_CODENAME=bookworm' /etc/os-release; then
    say "not Debian bookworm: skipping package installation (the VM tests skip when a piece below is missing)"
    summary
    exit 0
fi

have_pkg() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }

missing=()
for p in "${PKGS[@]}"; do have_pkg "$p" || missing+=("$p"); done
if ! have_pkg qemu-system-x86; then
    for p in "${BPO_PKGS[@]}"; do missing+=("$p/bookworm-backports"); done
fi
kernel_ok=0
if [ -f "$KDIR/.package" ] && ls "$KDIR"/boot/vmlinuz-* >/dev/null 2>&1; then kernel_ok=1; fi

if [ ${#missing[@]} -eq 0 ] && [ $kernel_ok = 1 ]; then
    say "everything is already present"
    summary
    exit 0
fi

# The backports suite, from the same mirror as the main Debian source.
if ! grep -rqs 'bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/; then
    uri=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
    [ -n "$uri" ] || uri=$(awk '$1 == "deb" {print $2; exit}' /etc/apt/sources.list 2>/dev/null || true)
    [ -n "$uri" ] || uri=http://deb.debian.org/debian
    say "adding bookworm-backports ($uri)"
    printf 'Types: deb\nURIs: %s\nSuites: bookworm-backports\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
        "$uri" >/etc/apt/sources.list.d/bookworm-backports.sources
fi

say "apt-get update"
apt-get update -qq
if [ ${#missing[@]} -gt 0 ]; then
    say "installing ${missing[*]}"
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ $kernel_ok = 0 ]; then
    kpkg=$(apt-cache depends "linux-image-$KFLAVOR" | awk '/Depends: linux-image-/ {print $2; exit}')
    [ -n "$kpkg" ] || { say "cannot resolve linux-image-$KFLAVOR"; exit 1; }
    say "unpacking $kpkg into $KDIR"
    scratch=$(mktemp -d)
    trap 'rm -rf "$scratch"' EXIT
    (cd "$scratch" && apt-get download -qq "$kpkg" 2>/dev/null)
    rm -rf "$KDIR"
    mkdir -p "$KDIR"
    dpkg-deb -x "$scratch/${kpkg}"_*.deb "$KDIR"
    echo "$kpkg" >"$KDIR/.package"
fi
summary
