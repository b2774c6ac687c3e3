//! Filesystems and disks: `guest-get-fsinfo`, `guest-get-disks`,
//! `guest-get-diskstats`, `guest-get-cpustats` ([`Storage`]) and
//! `guest-fstrim` ([`Trimmer`]), following qemu-ga 10.x.
//!
//! Where this differs from qemu-ga 10.x:
//!
//! - `guest-get-disks` never reports `smart` (NVMe SMART data needs an
//!   ioctl with a pointer argument, that is `unsafe` code), and lists disks
//!   in name order where qemu-ga follows `readdir` order.
//! - udev's view comes from files (`uevent`, `/run/udev/data`) instead of
//!   libudev; device-mapper aliases fall back to `dm/name`.
//! - `guest-fstrim` runs util-linux's `fstrim`, which does not report the
//!   minimum length the kernel applied: `minimum` is the requested one.
//! - A `cpuN` line of `/proc/stat` with fewer than four counters is
//!   skipped; qemu-ga stops reading there. Its `softirq` read past the end
//!   of a 6-counter line is not reproduced.

pub mod convert;
pub mod disks;
pub mod error;
pub mod fsinfo;
pub mod mounts;
pub mod storage;
pub mod trim;

pub use error::FsError;
pub use storage::Storage;
pub use trim::Trimmer;

#[cfg(test)]
mod oracle;
#[cfg(test)]
mod shape_tests;
#[cfg(test)]
mod tests;
