//! Filesystems and disks: `guest-get-fsinfo`, `guest-get-disks`,
//! `guest-get-diskstats`, `guest-get-cpustats` ([`Storage`]) and
//! `guest-fstrim` ([`Trimmer`]), following qemu-ga 10.x.
//!
//! Where this differs from qemu-ga 10.x:
//!
//! - `guest-get-disks` lists disks in name order where qemu-ga follows
//!   `readdir` order.
//! - udev's view comes from files (`uevent`, `/run/udev/data`) instead of
//!   libudev; device-mapper aliases fall back to `dm/name`.
//! - A `cpuN` line of `/proc/stat` with fewer than four counters is
//!   skipped; qemu-ga stops reading there. Its `softirq` read past the end
//!   of a 6-counter line is not reproduced.

pub mod convert;
pub mod disks;
pub mod error;
pub mod fsinfo;
pub mod mounts;
pub mod smart;
pub mod storage;
pub mod trim;

pub use error::FsError;
pub use smart::{DeviceSmart, SmartSource};
pub use storage::Storage;
pub use trim::Trimmer;

#[cfg(test)]
mod oracle;
#[cfg(test)]
mod shape_tests;
#[cfg(test)]
mod tests;
