//! What udev knows about a device, read from files rather than libudev:
//! the device node from the sysfs `uevent` file and properties from
//! udev's database (`/run/udev/data/b<major>:<minor>`).

use std::path::Path;

use crate::sys::fsutil::{host_path, read_attr, read_text_opt};

/// The value of `KEY=value` in a `uevent`-style text.
fn uevent_value<'a>(text: &'a str, key: &str) -> Option<&'a str> {
    text.lines()
        .filter_map(|line| line.split_once('='))
        .find(|(k, _)| *k == key)
        .map(|(_, v)| v)
}

/// The device node of the sysfs device directory `syspath` (a path below
/// `root`, such as `/sys/devices/.../block/vda`): `/dev/` followed by the
/// `DEVNAME` of its `uevent` file.
pub fn devnode(root: &Path, syspath: &str) -> Option<String> {
    let text = read_text_opt(&host_path(root, &format!("{syspath}/uevent"))).ok()??;
    let name = uevent_value(&text, "DEVNAME")?;
    if name.is_empty() {
        return None;
    }
    Some(if name.starts_with('/') {
        name.to_string()
    } else {
        format!("/dev/{name}")
    })
}

/// The `major:minor` of the sysfs device directory `syspath`, from its
/// `dev` file.
pub fn dev_numbers(root: &Path, syspath: &str) -> Option<(u32, u32)> {
    let text = read_attr(&host_path(root, &format!("{syspath}/dev")))?;
    let (major, minor) = text.split_once(':')?;
    Some((major.parse().ok()?, minor.parse().ok()?))
}

/// A property (`ID_SERIAL`, `DM_NAME`, ...) that udev recorded for block
/// device `major:minor`; `None` when udev has no record or no such key.
pub fn block_property(root: &Path, major: u32, minor: u32, key: &str) -> Option<String> {
    let path = host_path(root, &format!("/run/udev/data/b{major}:{minor}"));
    let text = read_text_opt(&path).ok()??;
    text.lines()
        .filter_map(|line| line.strip_prefix("E:"))
        .filter_map(|entry| entry.split_once('='))
        .find(|(k, _)| *k == key)
        .map(|(_, v)| v.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    #[test]
    fn reads_uevent_and_database() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let sys = root.join("sys/devices/x/block/vda");
        fs::create_dir_all(&sys).unwrap();
        fs::write(
            sys.join("uevent"),
            "MAJOR=253\nMINOR=0\nDEVNAME=vda\nDEVTYPE=disk\n",
        )
        .unwrap();
        fs::write(sys.join("dev"), "253:0\n").unwrap();
        assert_eq!(
            devnode(root, "/sys/devices/x/block/vda").as_deref(),
            Some("/dev/vda")
        );
        assert_eq!(
            dev_numbers(root, "/sys/devices/x/block/vda"),
            Some((253, 0))
        );
        assert_eq!(devnode(root, "/sys/devices/none"), None);
        fs::create_dir_all(root.join("run/udev/data")).unwrap();
        fs::write(
            root.join("run/udev/data/b253:0"),
            "S:disk/by-id/virtio-abc\nE:ID_SERIAL=abc\nE:DM_NAME=\nG:systemd\n",
        )
        .unwrap();
        assert_eq!(
            block_property(root, 253, 0, "ID_SERIAL").as_deref(),
            Some("abc")
        );
        assert_eq!(block_property(root, 253, 0, "DM_NAME").as_deref(), Some(""));
        assert_eq!(block_property(root, 253, 0, "NOPE"), None);
        assert_eq!(block_property(root, 8, 0, "ID_SERIAL"), None);
        fs::write(sys.join("uevent"), "DEVNAME=\nbroken\n").unwrap();
        assert_eq!(devnode(root, "/sys/devices/x/block/vda"), None);
        fs::write(sys.join("dev"), "253-0\n").unwrap();
        assert_eq!(dev_numbers(root, "/sys/devices/x/block/vda"), None);
    }
}
