//! From a device number to the disks below it, as `guest-get-fsinfo` does:
//! resolve `/sys/dev/block/MAJ:MIN`, and for a virtual device (device
//! mapper, md, ...) follow its `slaves/` recursively.

use std::io;
use std::path::Path;

use super::address::{disk_address, DiskAddress};
use super::udev;
use crate::sys::error::{SysError, SysResult};
use crate::sys::fsutil::{base_name, dir_names, host_path};

/// How deep `slaves/` links are followed (stacked dm/md devices).
const MAX_DEPTH: usize = 16;

/// A physical disk under a filesystem.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FsDisk {
    /// Where it is attached.
    pub address: DiskAddress,
    /// Its device node (`/dev/vda`), if known.
    pub dev: Option<String>,
    /// Its serial as udev records it (`ID_SERIAL`), if any.
    pub serial: Option<String>,
}

/// The devices under one mounted filesystem.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FsDevices {
    /// The kernel name of the mounted device (`vda1`, `dm-0`), or
    /// `MAJ:MIN` when it has no sysfs entry.
    pub name: String,
    /// The physical disks, in qemu-ga's order (the last one found first).
    pub disks: Vec<FsDisk>,
}

/// Resolves the absolute path `abs` below `root` through its symlinks,
/// giving the result again as an absolute path below `root`.
pub fn resolve(root: &Path, abs: &str) -> io::Result<String> {
    let real = std::fs::canonicalize(host_path(root, abs))?;
    let base = std::fs::canonicalize(root)?;
    let rel = real
        .strip_prefix(&base)
        .map_err(|_| io::Error::other("path resolves outside the root"))?;
    Ok(format!("/{}", rel.to_string_lossy()))
}

/// Whether a resolved sysfs path is a virtual block device.
pub fn is_virtual(syspath: &str) -> bool {
    syspath.contains("/devices/virtual/block/")
}

/// The disk information of the real device at resolved `syspath`, kept
/// under qemu-ga's rule: hardware found, or a device node, or a serial.
pub fn real_disk(root: &Path, syspath: &str) -> Option<FsDisk> {
    let (address, found) = disk_address(root, syspath);
    let dev = udev::devnode(root, syspath);
    let serial = udev::dev_numbers(root, syspath)
        .and_then(|(major, minor)| udev::block_property(root, major, minor, "ID_SERIAL"))
        .filter(|s| !s.is_empty());
    (found || dev.is_some() || serial.is_some()).then_some(FsDisk {
        address,
        dev,
        serial,
    })
}

fn walk(root: &Path, devpath: &str, out: &mut FsDevices, depth: usize) -> SysResult<()> {
    let syspath = match resolve(root, devpath) {
        Ok(p) => p,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            if out.name.is_empty() {
                out.name = base_name(Path::new(devpath)).unwrap_or_default();
            }
            return Ok(());
        }
        Err(e) => return Err(SysError::io("realpath", &host_path(root, devpath), e)),
    };
    if out.name.is_empty() {
        out.name = base_name(Path::new(&syspath)).unwrap_or_default();
    }
    if !is_virtual(&syspath) {
        if let Some(disk) = real_disk(root, &syspath) {
            out.disks.insert(0, disk);
        }
        return Ok(());
    }
    if depth >= MAX_DEPTH {
        return Ok(());
    }
    let slaves = format!("{syspath}/slaves");
    let names = match dir_names(&host_path(root, &slaves)) {
        Ok(names) => names,
        Err(e) if e.is_not_found() => return Ok(()),
        Err(e) => return Err(e),
    };
    for name in names {
        let link = format!("{slaves}/{name}");
        let is_link = std::fs::symlink_metadata(host_path(root, &link))
            .map(|m| m.file_type().is_symlink())
            .unwrap_or(false);
        if is_link {
            walk(root, &link, out, depth + 1)?;
        }
    }
    Ok(())
}

/// The devices under the filesystem on block device `major:minor`,
/// starting from `/sys/dev/block/MAJ:MIN`.
pub fn fs_devices(root: &Path, major: u32, minor: u32) -> SysResult<FsDevices> {
    let mut out = FsDevices::default();
    walk(
        root,
        &format!("/sys/dev/block/{major}:{minor}"),
        &mut out,
        0,
    )?;
    Ok(out)
}

/// The address information of one disk directory (such as
/// `/sys/block/vda`), as `guest-get-disks` gets it: the first disk the
/// walk finds.
pub fn disk_info_address(root: &Path, disk_dir: &str) -> SysResult<Option<FsDisk>> {
    let mut out = FsDevices::default();
    walk(root, disk_dir, &mut out, 0)?;
    Ok(out.disks.into_iter().next())
}
