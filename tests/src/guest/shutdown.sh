#!/bin/sh
# Stand-in for shutdown(8), which busybox lacks. Guest agents run
# "shutdown -P|-H|-r [+0] [message]". The forced variants call reboot(2)
# directly: the plain ones would signal PID 1, a shell that would just die.
sync
# Unmount the block-device file systems so the data disk is clean.
for mp in $(awk '$1 ~ /^\/dev\// { print $2 }' /proc/mounts); do
    umount "$mp" 2>/dev/null || mount -o remount,ro "$mp"
done
case "$1" in
-r) exec busybox reboot -f ;;
-H) exec busybox halt -f ;;
*) exec busybox poweroff -f ;;
esac
