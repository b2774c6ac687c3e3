//! Tests of the block readers over a fake sysfs tree.

use std::fs;
use std::os::unix::fs::symlink;
use std::path::Path;

use super::*;
use crate::sys::fsutil::host_path;

const VDA: &str = "/sys/devices/pci0000:00/0000:00:02.0/virtio1/block/vda";
const DM0: &str = "/sys/devices/virtual/block/dm-0";

fn write(root: &Path, abs: &str, text: &str) {
    let p = host_path(root, abs);
    fs::create_dir_all(p.parent().unwrap()).unwrap();
    fs::write(p, text).unwrap();
}

fn link(root: &Path, abs: &str, target_abs: &str) {
    let p = host_path(root, abs);
    fs::create_dir_all(p.parent().unwrap()).unwrap();
    symlink(host_path(root, target_abs), p).unwrap();
}

fn block_dev(root: &Path, syspath: &str, name: &str, numbers: &str, size: &str) {
    write(root, &format!("{syspath}/dev"), &format!("{numbers}\n"));
    write(root, &format!("{syspath}/size"), &format!("{size}\n"));
    write(
        root,
        &format!("{syspath}/uevent"),
        &format!("MAJOR=x\nDEVNAME={name}\n"),
    );
    link(root, &format!("/sys/dev/block/{numbers}"), syspath);
}

/// vda (virtio-blk) with partitions vda1 and vda2; dm-0 on vda2; loop0
/// with size 0; a plain file in /sys/block.
fn tree(root: &Path) {
    fs::create_dir_all(host_path(root, "/sys/bus/pci/drivers/virtio-pci")).unwrap();
    link(
        root,
        "/sys/devices/pci0000:00/0000:00:02.0/driver",
        "/sys/bus/pci/drivers/virtio-pci",
    );
    block_dev(root, VDA, "vda", "253:0", "2097152");
    write(root, &format!("{VDA}/serial"), "disk-serial\n");
    block_dev(root, &format!("{VDA}/vda1"), "vda1", "253:1", "2048");
    block_dev(root, &format!("{VDA}/vda2"), "vda2", "253:2", "4096");
    link(root, &format!("{VDA}/vda2/holders/dm-0"), DM0);
    link(root, "/sys/block/vda", VDA);
    block_dev(root, DM0, "dm-0", "254:0", "4000");
    write(root, &format!("{DM0}/dm/name"), "vg-root\n");
    link(root, &format!("{DM0}/slaves/vda2"), &format!("{VDA}/vda2"));
    link(root, "/sys/block/dm-0", DM0);
    block_dev(
        root,
        "/sys/devices/virtual/block/loop0",
        "loop0",
        "7:0",
        "0",
    );
    link(root, "/sys/block/loop0", "/sys/devices/virtual/block/loop0");
    write(root, "/sys/block/stray", "");
    write(root, "/run/udev/data/b253:0", "E:ID_SERIAL=udev-serial\n");
}

#[test]
fn fsinfo_of_partition() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    tree(root);
    let d = fs_devices(root, 253, 1).unwrap();
    assert_eq!(d.name, "vda1");
    assert_eq!(d.disks.len(), 1);
    let disk = &d.disks[0];
    assert_eq!(disk.dev.as_deref(), Some("/dev/vda1"));
    assert_eq!(disk.serial, None);
    assert_eq!(disk.address.bus_type, BusType::Virtio);
    assert_eq!(disk.address.pci_controller.unwrap().slot, 2);
}

#[test]
fn fsinfo_through_device_mapper() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    tree(root);
    let d = fs_devices(root, 254, 0).unwrap();
    assert_eq!(d.name, "dm-0");
    assert_eq!(d.disks.len(), 1);
    assert_eq!(d.disks[0].dev.as_deref(), Some("/dev/vda2"));
}

#[test]
fn fsinfo_missing_device() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    tree(root);
    let d = fs_devices(root, 9, 9).unwrap();
    assert_eq!(d.name, "9:9");
    assert!(d.disks.is_empty());
}

#[test]
fn slave_loop_is_bounded() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    tree(root);
    link(root, &format!("{DM0}/slaves/dm-0"), DM0);
    let d = fs_devices(root, 254, 0).unwrap();
    assert!(!d.disks.is_empty());
}

#[test]
fn disks_without_a_device_node_are_left_out() {
    // NVMe multipath: the hidden per-path disk nvme0c0n1 has sysfs entries
    // but no node; its uevent names no DEVNAME.
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    tree(root);
    let hidden = "/sys/devices/pci0000:00/0000:00:04.0/nvme/nvme0/nvme0c0n1";
    block_dev(root, hidden, "nvme0c0n1", "259:1", "1000");
    write(root, &format!("{hidden}/uevent"), "DEVTYPE=disk\n");
    link(root, "/sys/block/nvme0c0n1", hidden);
    // A partition of vda without a node is left out too.
    block_dev(root, &format!("{VDA}/vda3"), "vda3", "253:3", "10");
    write(root, &format!("{VDA}/vda3/uevent"), "PARTN=3\n");
    let disks = list_disks(root).unwrap();
    let names: Vec<_> = disks.iter().map(|d| d.name.as_str()).collect();
    assert_eq!(names, vec!["dm-0", "vda"]);
    let parts: Vec<_> = disks[1]
        .partitions
        .iter()
        .map(|p| p.name.as_str())
        .collect();
    assert_eq!(parts, vec!["vda1", "vda2"]);
}

#[test]
fn disk_list() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    tree(root);
    let disks = list_disks(root).unwrap();
    let names: Vec<_> = disks.iter().map(|d| d.name.as_str()).collect();
    assert_eq!(names, vec!["dm-0", "vda"]);
    let dm = &disks[0];
    assert!(dm.is_virtual);
    assert_eq!(dm.alias.as_deref(), Some("vg-root"));
    assert_eq!(
        dm.dependencies.as_deref(),
        Some(&["/dev/vda2".to_string()][..])
    );
    assert!(dm.address.is_none());
    let vda = &disks[1];
    assert_eq!(vda.dev, "/dev/vda");
    assert_eq!(vda.numbers, Some((253, 0)));
    assert_eq!(vda.size_sectors, 2097152);
    assert_eq!(vda.serial.as_deref(), Some("udev-serial"));
    assert_eq!(vda.dependencies, None);
    let parts: Vec<_> = vda.partitions.iter().map(|p| p.dev.as_str()).collect();
    assert_eq!(parts, vec!["/dev/vda1", "/dev/vda2"]);
    let addr = vda.address.as_ref().unwrap();
    assert_eq!(addr.address.bus_type, BusType::Virtio);
    assert_eq!(addr.serial.as_deref(), Some("udev-serial"));
    assert!(vda.holders.is_empty());
}

#[test]
fn partition_names() {
    assert!(devices::is_partition_name("sda", "sda1"));
    assert!(devices::is_partition_name("nvme0n1", "nvme0n1p2"));
    assert!(!devices::is_partition_name("sda", "sdb1"));
    assert!(!devices::is_partition_name("sda", "sda"));
    assert!(!devices::is_partition_name("sda", "sdap"));
    assert!(!devices::is_partition_name("sda", "queue"));
}

#[test]
fn missing_sys_block() {
    let dir = tempfile::tempdir().unwrap();
    assert!(list_disks(dir.path()).unwrap_err().is_not_found());
}

#[test]
fn real_system() {
    let root = Path::new("/");
    if let Ok(disks) = list_disks(root) {
        for d in &disks {
            assert!(d.size_sectors > 0);
            assert!(d.dev.starts_with('/'));
        }
    }
    if let Ok(Some(mounts)) = crate::sys::mountinfo::read_mountinfo(root) {
        for m in crate::sys::mountinfo::select_local_mounts(root, &mounts) {
            let _ = fs_devices(root, m.major, m.minor);
        }
    }
}
