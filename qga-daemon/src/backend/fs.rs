//! Filesystems and disks: `guest-get-fsinfo`, `guest-get-disks`,
//! `guest-get-diskstats`, `guest-get-cpustats` ([`Storage`]) and
//! `guest-fstrim` ([`Trimmer`]), following qemu-ga 10.x.

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
