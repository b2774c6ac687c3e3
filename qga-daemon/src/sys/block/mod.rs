//! Block devices from sysfs: the disks under a mounted filesystem
//! (`guest-get-fsinfo`) and the list of disks (`guest-get-disks`).
//!
//! udev's view is read from files: device nodes from `uevent`, properties
//! such as `ID_SERIAL` and `DM_NAME` from `/run/udev/data`.

pub mod address;
pub mod devices;
pub mod syspath;
pub mod udev;
pub mod walk;

pub use address::{BusType, DiskAddress};
pub use devices::{list_disks, BlockDisk, BlockPartition};
pub use syspath::{CcwAddress, PciAddress};
pub use walk::{fs_devices, FsDevices, FsDisk};

#[cfg(test)]
mod tests;
