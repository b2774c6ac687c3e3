//! A disk's hardware address as qemu-ga derives it from the sysfs device
//! path: the PCI controller (walking up bridges until a known storage
//! driver), the bus type, and bus/target/unit; or the CCW address on s390.

use std::path::Path;

use super::syspath::{
    ccw_address, first_pci_function, host_entry_number, next_pci_function, scsi_target,
    storage_host, CcwAddress, PciAddress,
};
use crate::sys::fsutil::{dir_names, host_path};

/// The bus a disk hangs on, as far as qemu-ga tells them apart on Linux.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum BusType {
    /// Not recognised.
    #[default]
    Unknown,
    /// IDE (`ata_piix`).
    Ide,
    /// SCSI (`sym53c8xx`, virtio-scsi).
    Scsi,
    /// virtio-blk.
    Virtio,
    /// SATA (`ahci`).
    Sata,
    /// NVMe.
    Nvme,
    /// USB (`ehci-pci`, `xhci_hcd`).
    Usb,
}

impl BusType {
    /// The name qemu-ga's schema gives the bus type.
    pub fn as_str(self) -> &'static str {
        match self {
            BusType::Unknown => "unknown",
            BusType::Ide => "ide",
            BusType::Scsi => "scsi",
            BusType::Virtio => "virtio",
            BusType::Sata => "sata",
            BusType::Nvme => "nvme",
            BusType::Usb => "usb",
        }
    }
}

/// Where a disk is attached.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DiskAddress {
    /// The storage controller's PCI function, if known (qemu-ga reports
    /// -1 in every field when not).
    pub pci_controller: Option<PciAddress>,
    /// The bus type.
    pub bus_type: BusType,
    /// Bus number (IDE channel, virtio-scsi channel).
    pub bus: u32,
    /// Target number.
    pub target: u32,
    /// Unit (LUN, or position on the bus).
    pub unit: u32,
    /// The CCW address on s390.
    pub ccw_address: Option<CcwAddress>,
}

/// Drivers at which the walk up the PCI path stops.
const STORAGE_DRIVERS: &[&str] = &[
    "ata_piix",
    "sym53c8xx",
    "virtio-pci",
    "ahci",
    "nvme",
    "xhci_hcd",
    "ehci-pci",
];

/// The basename of the `driver` symlink of sysfs directory `dir`.
fn driver_of(root: &Path, dir: &str) -> Option<String> {
    let target = std::fs::read_link(host_path(root, &format!("{dir}/driver"))).ok()?;
    target
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
}

/// Sorted numbers of the `ataN`/`hostN` entries of `dir` (at most 8, as
/// qemu-ga keeps).
fn host_numbers(root: &Path, dir: &str, ata: bool) -> Option<Vec<u32>> {
    let names = dir_names(&host_path(root, dir)).ok()?;
    let mut numbers: Vec<u32> = names
        .iter()
        .filter_map(|n| host_entry_number(n, ata))
        .take(8)
        .collect();
    numbers.sort_unstable();
    Some(numbers)
}

/// Fills `disk` for a device below a PCI controller; false when the path
/// or driver is not one qemu-ga knows. The PCI address may be set even
/// when this fails, as in qemu-ga.
fn pci_device(root: &Path, syspath: &str, disk: &mut DiskAddress) -> bool {
    let Some((mut pci, mut offset)) = first_pci_function(syspath) else {
        return false;
    };
    let driver = loop {
        let dir = syspath.get(..offset).unwrap_or(syspath);
        if let Some(driver) = driver_of(root, dir).filter(|d| STORAGE_DRIVERS.contains(&d.as_str()))
        {
            break driver;
        }
        match next_pci_function(syspath, offset) {
            Some((next, end)) => (pci, offset) = (next, end),
            None => return false,
        }
    };
    let target = scsi_target(syspath);
    let host = storage_host(syspath).map(|(ata, number, at)| {
        let parent = syspath.get(..at).unwrap_or_default();
        (number, host_numbers(root, parent, ata))
    });
    // An unreadable host directory is a failure before the address is set.
    let host = match host {
        Some((number, Some(list))) => Some((number, list)),
        Some((_, None)) => return false,
        None => None,
    };
    disk.pci_controller = Some(pci);
    let host_index = || {
        let (number, list) = host.as_ref()?;
        let index = list.iter().position(|h| h == number)?;
        u32::try_from(index).ok()
    };
    match driver.as_str() {
        "ata_piix" => {
            let (Some(t), Some(index)) = (target, host_index()) else {
                return false;
            };
            disk.bus_type = BusType::Ide;
            disk.bus = index;
            disk.unit = t[1];
        }
        "sym53c8xx" => {
            let Some(t) = target else { return false };
            disk.bus_type = BusType::Scsi;
            disk.unit = t[1];
        }
        "virtio-pci" => match target {
            Some(t) => {
                disk.bus_type = BusType::Scsi;
                disk.unit = t[2];
            }
            None => disk.bus_type = BusType::Virtio,
        },
        "ahci" => {
            let (Some(_), Some(index)) = (target, host_index()) else {
                return false;
            };
            disk.bus_type = BusType::Sata;
            disk.unit = index;
        }
        "nvme" => disk.bus_type = BusType::Nvme,
        _ => disk.bus_type = BusType::Usb,
    }
    true
}

/// Fills `disk` for a virtio device that is not on PCI (s390 CCW, MMIO).
fn nonpci_virtio(syspath: &str, disk: &mut DiskAddress) -> bool {
    if !syspath.contains("/virtio") || !syspath.contains("/block") {
        return false;
    }
    match scsi_target(syspath) {
        Some([bus, target, unit]) => {
            disk.bus_type = BusType::Scsi;
            disk.bus = bus;
            disk.target = target;
            disk.unit = unit;
        }
        None => disk.bus_type = BusType::Virtio,
    }
    true
}

/// The address of the real (non-virtual) block device whose resolved
/// sysfs path is `syspath` (such as
/// `/sys/devices/pci0000:00/0000:00:02.0/virtio1/block/vda`), and whether
/// hardware information was found (qemu-ga drops an address without it
/// unless the device node or serial is known).
pub fn disk_address(root: &Path, syspath: &str) -> (DiskAddress, bool) {
    let mut disk = DiskAddress::default();
    let found = if syspath.contains("/devices/pci") {
        pci_device(root, syspath, &mut disk)
    } else if syspath.contains("/devices/css") {
        match ccw_address(syspath) {
            Some(ccw) => {
                disk.ccw_address = Some(ccw);
                if syspath.contains("/virtio") {
                    nonpci_virtio(syspath, &mut disk);
                }
                true
            }
            None => false,
        }
    } else if syspath.contains("/virtio") {
        nonpci_virtio(syspath, &mut disk)
    } else {
        false
    };
    (disk, found)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;
    use std::os::unix::fs::symlink;

    fn with_driver(root: &Path, dir: &str, driver: &str) {
        let d = host_path(root, dir);
        fs::create_dir_all(&d).unwrap();
        symlink(
            format!("../../../bus/pci/drivers/{driver}"),
            d.join("driver"),
        )
        .unwrap();
    }

    #[test]
    fn virtio_blk() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        with_driver(root, "/sys/devices/pci0000:00/0000:00:02.0", "virtio-pci");
        let (a, found) = disk_address(
            root,
            "/sys/devices/pci0000:00/0000:00:02.0/virtio1/block/vda",
        );
        assert!(found);
        assert_eq!(a.bus_type, BusType::Virtio);
        assert_eq!(a.pci_controller.unwrap().slot, 2);
        assert_eq!(a.bus_type.as_str(), "virtio");
    }

    #[test]
    fn walks_up_bridges_to_virtio_scsi() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        with_driver(root, "/sys/devices/pci0000:00/0000:00:1c.0", "pcieport");
        with_driver(
            root,
            "/sys/devices/pci0000:00/0000:00:1c.0/0000:01:00.0",
            "virtio-pci",
        );
        let p = "/sys/devices/pci0000:00/0000:00:1c.0/0000:01:00.0/virtio2/host2/target2:0:3/2:0:3:7/block/sdb";
        fs::create_dir_all(host_path(root, p)).unwrap();
        let (a, found) = disk_address(root, p);
        assert!(found);
        assert_eq!(a.bus_type, BusType::Scsi);
        assert_eq!(a.unit, 7);
        let pci = a.pci_controller.unwrap();
        assert_eq!((pci.bus, pci.slot), (1, 0));
    }

    #[test]
    fn ide_and_sata_use_host_index() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let ctl = "/sys/devices/pci0000:00/0000:00:01.1";
        with_driver(root, ctl, "ata_piix");
        for h in ["ata1", "ata2", "power"] {
            fs::create_dir_all(host_path(root, &format!("{ctl}/{h}"))).unwrap();
        }
        let p = format!("{ctl}/ata2/host1/target1:0:1/1:0:1:0/block/sdb");
        let (a, found) = disk_address(root, &p);
        assert!(found);
        assert_eq!((a.bus_type, a.bus, a.unit), (BusType::Ide, 1, 1));

        let sata = "/sys/devices/pci0000:00/0000:00:1f.2";
        with_driver(root, sata, "ahci");
        for h in ["ata3", "ata1"] {
            fs::create_dir_all(host_path(root, &format!("{sata}/{h}"))).unwrap();
        }
        let p = format!("{sata}/ata3/host2/target2:0:0/2:0:0:0/block/sda");
        let (a, found) = disk_address(root, &p);
        assert!(found);
        assert_eq!((a.bus_type, a.unit), (BusType::Sata, 1));
        // A host missing from the list: the PCI address stays, no bus type.
        let p = format!("{sata}/ata9/host2/target2:0:0/2:0:0:0/block/sdc");
        let (a, found) = disk_address(root, &p);
        assert!(!found);
        assert!(a.pci_controller.is_some());
        assert_eq!(a.bus_type, BusType::Unknown);
    }

    #[test]
    fn nvme_usb_unknown_driver() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        with_driver(root, "/sys/devices/pci0000:00/0000:00:04.0", "nvme");
        let (a, found) = disk_address(
            root,
            "/sys/devices/pci0000:00/0000:00:04.0/nvme/nvme0/nvme0n1",
        );
        assert!(found);
        assert_eq!(a.bus_type, BusType::Nvme);
        with_driver(root, "/sys/devices/pci0000:00/0000:00:05.0", "xhci_hcd");
        let usb = "/sys/devices/pci0000:00/0000:00:05.0/usb2/2-1/2-1:1.0/host3/target3:0:0/3:0:0:0/block/sdd";
        let (_, found) = disk_address(root, usb);
        assert!(!found, "the host's directory cannot be listed");
        fs::create_dir_all(host_path(root, usb)).unwrap();
        let (a, found) = disk_address(root, usb);
        assert!(found);
        assert_eq!(a.bus_type, BusType::Usb);
        with_driver(root, "/sys/devices/pci0000:00/0000:00:06.0", "megaraid");
        let (a, found) = disk_address(root, "/sys/devices/pci0000:00/0000:00:06.0/host0/block/sde");
        assert!(!found);
        assert_eq!(a.pci_controller, None);
    }

    #[test]
    fn ccw_and_platform_virtio() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let (a, found) = disk_address(
            root,
            "/sys/devices/css0/0.0.0000/0.0.0001/virtio0/block/vda",
        );
        assert!(found);
        assert_eq!(a.ccw_address.unwrap().devno, 1);
        assert_eq!(a.bus_type, BusType::Virtio);
        let (a, found) = disk_address(
            root,
            "/sys/devices/platform/a003e00.virtio_mmio/virtio1/host0/target0:0:1/0:0:1:2/block/sda",
        );
        assert!(found);
        assert_eq!(
            (a.bus_type, a.bus, a.target, a.unit),
            (BusType::Scsi, 0, 1, 2)
        );
        let (_, found) = disk_address(root, "/sys/devices/platform/foo/block/mmcblk0");
        assert!(!found);
    }
}
