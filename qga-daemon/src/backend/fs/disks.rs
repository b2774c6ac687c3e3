//! `guest-get-disks`: the disks of `/sys/block` and their partitions, with
//! dependencies, device-mapper aliases, addresses and, for NVMe disks, the
//! SMART / Health log.

use qga_generated::{GuestDiskInfo, GuestDiskSmart};

use super::convert::{disk_address, nvme_smart};
use super::error::FsError;
use super::storage::Storage;
use crate::backend::freeze::errno::error_text;
use crate::log;
use crate::sys::block::{list_disks, BlockDisk, BusType};
use crate::sys::fsutil::host_path;
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
            let smart = self.smart_of(&disk);
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
                smart,
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

    /// The SMART data of a disk whose address says NVMe, read through its
    /// device node, as qemu-ga does; a device that does not answer has
    /// none (qemu-ga only logs that, at debug level).
    fn smart_of(&self, disk: &BlockDisk) -> Option<GuestDiskSmart> {
        let address = disk.address.as_ref().filter(|_| !disk.is_virtual)?;
        if address.address.bus_type != BusType::Nvme {
            return None;
        }
        match self.smart.nvme_smart(&host_path(&self.root, &disk.dev)) {
            Ok(health) => Some(nvme_smart(&health)),
            Err(e) => {
                log::debug(format_args!(
                    "Failed to get smart: {}: {}",
                    disk.dev,
                    error_text(&e)
                ));
                None
            }
        }
    }
}
