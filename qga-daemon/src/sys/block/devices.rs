//! The disks of `/sys/block` with their partitions, dependencies and
//! identity, as `guest-get-disks` lists them.

use std::path::Path;

use super::syspath::scsi_hctl;
use super::udev;
use super::walk::{disk_info_address, is_virtual, resolve, FsDisk};
use crate::sys::error::{SysError, SysResult};
use crate::sys::fsutil::{dir_names, host_path, read_attr};

/// A partition of a disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlockPartition {
    /// Kernel name (`vda1`, `nvme0n1p2`).
    pub name: String,
    /// Device node (`/dev/vda1`).
    pub dev: String,
    /// `major:minor`, if readable.
    pub numbers: Option<(u32, u32)>,
}

/// A whole disk (or virtual block device) of `/sys/block`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlockDisk {
    /// Kernel name (`vda`, `dm-0`, `nvme0n1`).
    pub name: String,
    /// Resolved sysfs path (below the root).
    pub syspath: String,
    /// Device node (`/dev/vda`): `DEVNAME` of the `uevent` file.
    pub dev: String,
    /// `major:minor`, if readable.
    pub numbers: Option<(u32, u32)>,
    /// Size in 512-byte sectors.
    pub size_sectors: u64,
    /// Whether it is a virtual device (dm, md, loop, zram, ...).
    pub is_virtual: bool,
    /// Device-mapper name (udev `DM_NAME`, else `dm/name`).
    pub alias: Option<String>,
    /// Hardware address of a real disk.
    pub address: Option<FsDisk>,
    /// Device nodes of the devices it is built on (`slaves/`); `None` when
    /// it has no `slaves` directory.
    pub dependencies: Option<Vec<String>>,
    /// Kernel names of the devices built on it (`holders/`).
    pub holders: Vec<String>,
    /// Its partitions.
    pub partitions: Vec<BlockPartition>,
    /// Serial: udev `ID_SERIAL`, else sysfs `device/serial` or `serial`.
    pub serial: Option<String>,
    /// World-wide id (`wwid` or `device/wwid`).
    pub wwid: Option<String>,
    /// Vendor (`device/vendor`).
    pub vendor: Option<String>,
    /// Model (`device/model`).
    pub model: Option<String>,
    /// NVMe namespace id (`nsid`).
    pub nvme_nsid: Option<u32>,
    /// SCSI `host:channel:target:lun` from the device path.
    pub scsi_hctl: Option<[u32; 4]>,
}

fn attr(root: &Path, dir: &str, name: &str) -> Option<String> {
    read_attr(&host_path(root, &format!("{dir}/{name}")))
}

/// Whether `entry` names a partition of disk `disk`: `<disk><digit>...` or
/// `<disk>p<digit>...`.
pub fn is_partition_name(disk: &str, entry: &str) -> bool {
    let Some(rest) = entry.strip_prefix(disk) else {
        return false;
    };
    let rest = rest
        .strip_prefix('p')
        .filter(|r| r.starts_with(|c: char| c.is_ascii_digit()))
        .unwrap_or(rest);
    rest.starts_with(|c: char| c.is_ascii_digit())
}

fn sorted_names(root: &Path, dir: &str) -> Option<Vec<String>> {
    let mut names = dir_names(&host_path(root, dir)).ok()?;
    names.sort();
    Some(names)
}

fn partitions(root: &Path, disk_dir: &str, disk: &str) -> Vec<BlockPartition> {
    let names = sorted_names(root, disk_dir).unwrap_or_default();
    names
        .into_iter()
        .filter(|n| is_partition_name(disk, n))
        .filter(|n| host_path(root, &format!("{disk_dir}/{n}")).is_dir())
        .filter_map(|n| {
            let dir = format!("{disk_dir}/{n}");
            Some(BlockPartition {
                dev: udev::devnode(root, &dir)?,
                numbers: udev::dev_numbers(root, &dir),
                name: n,
            })
        })
        .collect()
}

fn dependencies(root: &Path, disk_dir: &str) -> Option<Vec<String>> {
    let slaves = format!("{disk_dir}/slaves");
    let names = sorted_names(root, &slaves)?;
    Some(
        names
            .into_iter()
            .filter_map(|n| {
                let path = resolve(root, &format!("{slaves}/{n}")).ok()?;
                udev::devnode(root, &path)
            })
            .collect(),
    )
}

fn read_disk(root: &Path, name: &str) -> SysResult<Option<BlockDisk>> {
    let link = format!("/sys/block/{name}");
    let Some(size) = attr(root, &link, "size") else {
        return Ok(None);
    };
    let size_sectors = size.parse::<u64>().unwrap_or(0);
    if size_sectors == 0 {
        return Ok(None);
    }
    let syspath =
        resolve(root, &link).map_err(|e| SysError::io("realpath", &host_path(root, &link), e))?;
    // A device without a node (such as the hidden per-path disk
    // `nvme0c0n1` under NVMe multipath) is left out, as qemu-ga does.
    let Some(dev) = udev::devnode(root, &syspath) else {
        return Ok(None);
    };
    let numbers = udev::dev_numbers(root, &syspath);
    let udev_prop = |key: &str| {
        numbers
            .and_then(|(ma, mi)| udev::block_property(root, ma, mi, key))
            .filter(|v| !v.is_empty())
    };
    let virt = is_virtual(&syspath);
    let address = if virt {
        None
    } else {
        disk_info_address(root, &link).ok().flatten()
    };
    Ok(Some(BlockDisk {
        name: name.to_string(),
        dev,
        numbers,
        size_sectors,
        is_virtual: virt,
        alias: udev_prop("DM_NAME").or_else(|| attr(root, &syspath, "dm/name")),
        address,
        dependencies: dependencies(root, &syspath),
        holders: sorted_names(root, &format!("{syspath}/holders")).unwrap_or_default(),
        partitions: partitions(root, &syspath, name),
        serial: udev_prop("ID_SERIAL")
            .or_else(|| attr(root, &syspath, "device/serial"))
            .or_else(|| attr(root, &syspath, "serial")),
        wwid: attr(root, &syspath, "wwid").or_else(|| attr(root, &syspath, "device/wwid")),
        vendor: attr(root, &syspath, "device/vendor"),
        model: attr(root, &syspath, "device/model"),
        nvme_nsid: attr(root, &syspath, "nsid").and_then(|v| v.parse().ok()),
        scsi_hctl: scsi_hctl(&syspath),
        syspath,
    }))
}

/// The disks of `/sys/block` (symlink entries whose size is readable and
/// not zero, and that have a device node), sorted by name.
pub fn list_disks(root: &Path) -> SysResult<Vec<BlockDisk>> {
    let block = host_path(root, "/sys/block");
    let mut names = dir_names(&block)?;
    names.sort();
    let mut disks = Vec::new();
    for name in names {
        let is_link = std::fs::symlink_metadata(block.join(&name))
            .map(|m| m.file_type().is_symlink())
            .unwrap_or(false);
        if !is_link {
            continue;
        }
        if let Some(disk) = read_disk(root, &name)? {
            disks.push(disk);
        }
    }
    Ok(disks)
}
