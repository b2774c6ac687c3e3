//! `guest-get-fsinfo` and `guest-get-disks` over a fake sysfs tree: a
//! virtio disk `vda` with partitions `vda1` (mounted on `/`) and `vda2`,
//! and a device-mapper volume `dm-0` on `vda2` (mounted on `/srv`).

use std::fs;
use std::io;
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use qga_generated::{GuestDiskBusType, GuestDiskInfo, GuestDiskSmartBranch};

use super::*;
use crate::sys::fsutil::host_path;
use crate::sys::nvme::SmartHealthLog;

const VDA: &str = "/sys/devices/pci0000:00/0000:00:02.0/virtio1/block/vda";
const DM0: &str = "/sys/devices/virtual/block/dm-0";

fn write(root: &Path, abs: &str, text: &str) {
    let p = host_path(root, abs);
    fs::create_dir_all(p.parent().unwrap()).unwrap();
    fs::write(p, text).unwrap();
}

fn link(root: &Path, abs: &str, target: &str) {
    let p = host_path(root, abs);
    fs::create_dir_all(p.parent().unwrap()).unwrap();
    symlink(host_path(root, target), p).unwrap();
}

fn block_dev(root: &Path, syspath: &str, name: &str, numbers: &str, size: &str) {
    write(root, &format!("{syspath}/dev"), &format!("{numbers}\n"));
    write(root, &format!("{syspath}/size"), &format!("{size}\n"));
    write(
        root,
        &format!("{syspath}/uevent"),
        &format!("DEVNAME={name}\n"),
    );
    link(root, &format!("/sys/dev/block/{numbers}"), syspath);
}

fn tree(root: &Path) {
    fs::create_dir_all(host_path(root, "/sys/bus/pci/drivers/virtio-pci")).unwrap();
    link(
        root,
        "/sys/devices/pci0000:00/0000:00:02.0/driver",
        "/sys/bus/pci/drivers/virtio-pci",
    );
    block_dev(root, VDA, "vda", "253:0", "2097152");
    fs::create_dir_all(host_path(root, &format!("{VDA}/slaves"))).unwrap();
    block_dev(root, &format!("{VDA}/vda1"), "vda1", "253:1", "2048");
    block_dev(root, &format!("{VDA}/vda2"), "vda2", "253:2", "4096");
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
    write(root, "/run/udev/data/b253:0", "E:ID_SERIAL=serial0\n");
    write(
        root,
        "/proc/self/mountinfo",
        "1 0 253:1 / / rw - ext4 /dev/vda1 rw\n\
         2 1 0:5 / /proc rw - proc proc rw\n\
         3 1 254:0 / /srv rw - xfs /dev/mapper/vg-root rw\n",
    );
}

#[test]
fn fsinfo_over_fake_tree() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    tree(root);
    let info = Storage::new(root).fsinfo().unwrap();
    assert_eq!(info.len(), 2);
    let srv = &info[0];
    assert_eq!(
        (srv.name.as_str(), srv.mountpoint.as_str()),
        ("dm-0", "/srv")
    );
    assert_eq!(srv.r#type, "xfs");
    // `/srv` does not exist below the root: no space figures.
    assert_eq!(srv.used_bytes, None);
    assert_eq!(srv.total_bytes_privileged, None);
    assert_eq!(srv.disk.len(), 1);
    assert_eq!(srv.disk[0].dev.as_deref(), Some("/dev/vda2"));
    assert_eq!(srv.disk[0].bus_type, GuestDiskBusType::Virtio);
    let slash = &info[1];
    assert_eq!(
        (slash.name.as_str(), slash.mountpoint.as_str()),
        ("vda1", "/")
    );
    assert!(slash.total_bytes.is_some() && slash.used_bytes.is_some());
    assert!(slash.total_bytes_privileged >= slash.total_bytes);
    let d = &slash.disk[0];
    assert_eq!(d.pci_controller.slot, 2);
    assert_eq!((d.bus, d.target, d.unit), (0, 0, 0));
}

#[test]
fn fsinfo_errors() {
    let dir = tempfile::tempdir().unwrap();
    let e = Storage::new(dir.path()).fsinfo().unwrap_err();
    assert_eq!(
        e.to_string(),
        "failed to open mtab file: '/proc/self/mounts'"
    );
    // A device without a sysfs entry is named by its numbers.
    write(
        dir.path(),
        "/proc/self/mountinfo",
        "1 0 9:9 / / rw - ext4 /dev/x rw\n",
    );
    let info = Storage::new(dir.path()).fsinfo().unwrap();
    assert_eq!(info[0].name, "9:9");
    assert!(info[0].disk.is_empty());
}

fn names(disks: &[GuestDiskInfo]) -> Vec<&str> {
    disks.iter().map(|d| d.name.as_str()).collect()
}

#[test]
fn disks_over_fake_tree() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    tree(root);
    let disks = Storage::new(root).disks().unwrap();
    assert_eq!(
        names(&disks),
        ["/dev/vda2", "/dev/vda1", "/dev/vda", "/dev/dm-0"]
    );
    let part = &disks[0];
    assert!(part.partition);
    assert_eq!(
        part.dependencies.as_deref(),
        Some(&["/dev/vda".to_string()][..])
    );
    assert!(part.address.is_none() && part.alias.is_none() && part.smart.is_none());
    let vda = &disks[2];
    assert!(!vda.partition);
    assert_eq!(vda.dependencies.as_deref(), Some(&[][..]));
    let addr = vda.address.as_ref().unwrap();
    assert_eq!(addr.bus_type, GuestDiskBusType::Virtio);
    assert_eq!(addr.serial.as_deref(), Some("serial0"));
    assert_eq!(addr.dev.as_deref(), Some("/dev/vda"));
    let dm = &disks[3];
    assert_eq!(dm.alias.as_deref(), Some("vg-root"));
    assert!(dm.address.is_none());
    assert_eq!(
        dm.dependencies.as_deref(),
        Some(&["/dev/vda2".to_string()][..])
    );
}

const NVME: &str = "/sys/devices/pci0000:00/0000:00:04.0/nvme/nvme0/nvme0n1";

/// The fake tree plus an NVMe namespace `nvme0n1` on a controller driven
/// by `nvme`.
fn tree_with_nvme(root: &Path) {
    tree(root);
    fs::create_dir_all(host_path(root, "/sys/bus/pci/drivers/nvme")).unwrap();
    link(
        root,
        "/sys/devices/pci0000:00/0000:00:04.0/driver",
        "/sys/bus/pci/drivers/nvme",
    );
    block_dev(root, NVME, "nvme0n1", "259:0", "1000");
    link(root, "/sys/block/nvme0n1", NVME);
}

/// A [`SmartSource`] that answers with a fixed log (or an error) and
/// records the device paths it was asked about.
#[derive(Debug)]
struct FakeSmart {
    answer: Option<SmartHealthLog>,
    asked: Mutex<Vec<PathBuf>>,
}

impl SmartSource for FakeSmart {
    fn nvme_smart(&self, dev: &Path) -> io::Result<SmartHealthLog> {
        self.asked.lock().unwrap().push(dev.to_path_buf());
        self.answer
            .ok_or_else(|| io::Error::from_raw_os_error(libc::ENOTTY))
    }
}

fn fake_smart(answer: Option<SmartHealthLog>) -> Arc<FakeSmart> {
    Arc::new(FakeSmart {
        answer,
        asked: Mutex::default(),
    })
}

#[test]
fn nvme_disks_carry_smart_data() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    tree_with_nvme(root);
    let health = SmartHealthLog {
        temperature: 311,
        power_on_hours: (2 << 64) | 40,
        ..SmartHealthLog::default()
    };
    let source = fake_smart(Some(health));
    let disks = Storage::new(root)
        .with_smart_source(source.clone())
        .disks()
        .unwrap();
    // Only the NVMe disk is asked, through its device node.
    assert_eq!(*source.asked.lock().unwrap(), [root.join("dev/nvme0n1")]);
    let nvme = disks.iter().find(|d| d.name == "/dev/nvme0n1").unwrap();
    assert_eq!(
        nvme.address.as_ref().map(|a| a.bus_type),
        Some(GuestDiskBusType::Nvme)
    );
    let smart = nvme.smart.as_ref().expect("no smart for the NVMe disk");
    let GuestDiskSmartBranch::Nvme(s) = &smart.branch else {
        panic!("smart of another bus: {smart:?}");
    };
    assert_eq!(s.temperature, 311);
    assert_eq!((s.power_on_hours_lo, s.power_on_hours_hi), (40, 2));
    assert!(disks
        .iter()
        .filter(|d| d.name != "/dev/nvme0n1")
        .all(|d| d.smart.is_none()));
}

#[test]
fn nvme_disk_without_answer_has_no_smart() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    tree_with_nvme(root);
    let source = fake_smart(None);
    let disks = Storage::new(root)
        .with_smart_source(source.clone())
        .disks()
        .unwrap();
    assert_eq!(source.asked.lock().unwrap().len(), 1);
    assert_eq!(disks.len(), 5);
    assert!(disks.iter().all(|d| d.smart.is_none()));
    // The real source on the fake tree: there is no device node to open.
    let disks = Storage::new(root).disks().unwrap();
    assert!(disks.iter().all(|d| d.smart.is_none()));
}

#[test]
fn disks_without_sys_block() {
    let dir = tempfile::tempdir().unwrap();
    let e = Storage::new(dir.path()).disks().unwrap_err();
    assert_eq!(
        e.to_string(),
        "Can't open directory \"/sys/block\": No such file or directory"
    );
}

#[test]
fn real_system_does_not_fail() {
    let s = Storage::new("/");
    if let Ok(info) = s.fsinfo() {
        assert!(info.iter().all(|f| f.mountpoint.starts_with('/')));
    }
    if let Ok(disks) = s.disks() {
        assert!(disks.iter().all(|d| d.name.starts_with('/')));
    }
}
