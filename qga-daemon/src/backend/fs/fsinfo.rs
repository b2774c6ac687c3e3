//! `guest-get-fsinfo`: each local filesystem with its device, its space
//! figures and the disks under it (through device-mapper and md layers).

use qga_generated::GuestFilesystemInfo;

use super::convert::disk_address;
use super::error::FsError;
use super::mounts::{mount_list, mount_path};
use super::storage::Storage;
use crate::sys::block::fs_devices;
use crate::sys::fsusage::fs_usage;

impl Storage {
    /// `guest-get-fsinfo`, in qemu-ga's order (the reverse of mount
    /// order). Space figures are left out when `statvfs` fails; a failure
    /// while walking a device's sysfs entries fails the command.
    pub fn fsinfo(&self) -> Result<Vec<GuestFilesystemInfo>, FsError> {
        let mounts = mount_list(&self.root)?;
        let mut out = Vec::with_capacity(mounts.len());
        for mount in mounts.iter().rev() {
            let devices =
                fs_devices(&self.root, mount.major, mount.minor).map_err(|e| self.sys_error(e))?;
            let usage = fs_usage(&mount_path(&self.root, &mount.dir)).ok();
            out.push(GuestFilesystemInfo {
                name: devices.name,
                mountpoint: mount.dir.to_string_lossy().into_owned(),
                r#type: mount.fs_type.clone(),
                used_bytes: usage.map(|u| u.used_bytes),
                total_bytes: usage.map(|u| u.total_bytes),
                total_bytes_privileged: usage.map(|u| u.total_bytes_privileged),
                disk: devices.disks.iter().map(disk_address).collect(),
            });
        }
        Ok(out)
    }
}
