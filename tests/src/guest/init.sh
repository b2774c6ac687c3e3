#!/bin/sh
# PID 1 of the test VM (busybox ash). Prepares a minimal system, then runs
# the guest agent until it exits, and powers the VM off after that.
#
# Unknown NAME=VALUE words of the kernel command line arrive here as
# environment variables:
#   AGENT_EXTRA   extra words appended to the agent's command line
#   DATA_LABEL    label of the ext4 data disk (default qgadata)
export PATH=/sbin:/bin:/usr/sbin:/usr/bin

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts /dev/shm /dev/virtio-ports
mount -t devpts devpts /dev/pts
mount -t tmpfs -o mode=0755 tmpfs /run
exec </dev/console >/dev/console 2>&1

note() { echo "e2e-init [$(cut -d' ' -f1 /proc/uptime)] $*"; }
note "up"

# Drivers, in the order the host computed from the module dependencies.
while read -r module; do
    insmod "/lib/modules/$module" || note "cannot load $module"
done </etc/modules.load

hostname -F /etc/hostname
ip link set lo up

# Every NIC up; eth0 gets the address user-mode networking would hand out.
# No default route: the host side is isolated anyway (restrict=on). Router
# advertisements and duplicate address detection are off so the set of
# addresses does not change while the tests look at it.
for path in /sys/class/net/*; do
    nic=${path##*/}
    [ "$nic" = lo ] && continue
    echo 0 >"/proc/sys/net/ipv6/conf/$nic/accept_ra" 2>/dev/null
    echo 0 >"/proc/sys/net/ipv6/conf/$nic/accept_dad" 2>/dev/null
    ip link set "$nic" up
done
[ -d /sys/class/net/eth0 ] && ip addr add 10.0.2.15/24 dev eth0

# Without udev, name the virtio-serial ports ourselves:
# /dev/virtio-ports/<port name> -> ../vportXpY. Ports and their names may
# show up late: wait until there is one and every port has its name.
tries=0
while [ $tries -lt 50 ]; do
    named=0
    unnamed=0
    for port in /sys/class/virtio-ports/vport*; do
        name=$(cat "$port/name" 2>/dev/null)
        if [ -z "$name" ]; then
            unnamed=1
            continue
        fi
        ln -sf "../${port##*/}" "/dev/virtio-ports/$name"
        named=1
    done
    [ $named = 1 ] && [ $unnamed = 0 ] && break
    tries=$((tries + 1))
    sleep 0.1
done

# libudev-based agents read disk serial numbers from udev's database;
# record what the block drivers expose in sysfs there.
mkdir -p /run/udev/data
for blk in /sys/block/*; do
    [ -r "$blk/serial" ] && [ -r "$blk/dev" ] || continue
    serial=$(cat "$blk/serial")
    [ -n "$serial" ] && echo "E:ID_SERIAL=$serial" >"/run/udev/data/b$(cat "$blk/dev")"
done

disk=$(findfs "LABEL=${DATA_LABEL:-qgadata}" 2>/dev/null)
if [ -n "$disk" ] && mount -t ext4 "$disk" /mnt/data; then
    note "data disk $disk on /mnt/data"
else
    note "no data disk"
fi

note "agent: $(cat /etc/agent.cmdline) $AGENT_EXTRA"
# shellcheck disable=SC2086
/usr/sbin/start-agent $AGENT_EXTRA &
agent=$!
echo "E2E-AGENT-STARTED $agent"

# PID 1 must not exit. Reap whatever gets re-parented to us until the agent
# is gone, then power off so that the host sees qemu exit.
status=
while kill -0 "$agent" 2>/dev/null; do
    wait "$agent"
    status=$?
done
note "agent exited with status ${status:-unknown}"
exec /sbin/shutdown -P
