//! `guest-get-disks`: the disks of `/sys/block` and their partitions, with
//! dependencies, device-mapper aliases and addresses.
//!
//! NVMe SMART data (`smart`) is not reported: it needs the NVMe admin
//! `GET LOG PAGE` ioctl with a pointer argument, which cannot be issued
//! without `unsafe` code.

use qga_generated::GuestDiskInfo;

use super::convert::disk_address;
use super::error::FsError;
use super::storage::Storage;
use crate::sys::block::list_disks;
use crate::sys::SysError;

impl Storage {
    /// `guest-get-disks`, in qemu-ga's order: the list is built disk by
    /// disk, each followed by its partitions, and then reversed.
    pub fn disks(&self) -> Result<Vec<GuestDiskInfo>, FsError> {
        let disks = list_disks(&self.root).map_err(|e| match e {
            SysError::Io {
                op: "opendir",
                path,
                source,
            } if path.ends_with("sys/block") => FsError::SysBlock(source),
            other => self.sys_error(other),
        })?;
        let mut out = Vec::new();
        for disk in disks {
            let address = match (&disk.address, disk.is_virtual) {
                (Some(a), false) => Some(disk_address(a)),
                _ => None,
            };
            // qemu-ga prepends each dependency as it reads the directory.
            let dependencies = disk.dependencies.map(|mut deps| {
                deps.reverse();
                deps
            });
            out.push(GuestDiskInfo {
                name: disk.dev.clone(),
                partition: false,
                dependencies,
                address,
                alias: disk.alias.filter(|a| !a.is_empty()),
                smart: None,
            });
            for part in disk.partitions {
                out.push(GuestDiskInfo {
                    name: part.dev,
                    partition: true,
                    dependencies: Some(vec![disk.dev.clone()]),
                    address: None,
                    alias: None,
                    smart: None,
                });
            }
        }
        out.reverse();
        Ok(out)
    }
}
