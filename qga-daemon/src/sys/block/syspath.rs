//! Pure parsers for the pieces of a sysfs device path that identify a
//! disk's controller and position (PCI functions, SCSI targets, hosts, CCW
//! subchannels).

/// A PCI function address (`domain:bus:slot.function`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PciAddress {
    /// PCI domain (segment).
    pub domain: u32,
    /// Bus number.
    pub bus: u32,
    /// Slot (device) number.
    pub slot: u32,
    /// Function number.
    pub function: u32,
}

/// An s390 channel I/O device address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CcwAddress {
    /// Channel subsystem id.
    pub cssid: u32,
    /// Subchannel set id.
    pub ssid: u32,
    /// Subchannel number.
    pub subchno: u32,
    /// Device number.
    pub devno: u32,
}

/// Splits a leading run of hex digits off `s`.
fn hex(s: &str) -> Option<(u32, &str)> {
    let end = s.find(|c: char| !c.is_ascii_hexdigit()).unwrap_or(s.len());
    let value = u32::from_str_radix(s.get(..end)?, 16).ok()?;
    Some((value, s.get(end..)?))
}

/// Splits a leading run of decimal digits off `s`.
fn dec(s: &str) -> Option<(u32, &str)> {
    let end = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    let value = s.get(..end)?.parse::<u32>().ok()?;
    Some((value, s.get(end..)?))
}

fn lit<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    s.strip_prefix(prefix)
}

/// Parses `DDDD:BB:SS.F` at the start of `s`; returns the address and the
/// rest.
pub fn parse_pci_function(s: &str) -> Option<(PciAddress, &str)> {
    let (domain, s) = hex(s)?;
    let (bus, s) = hex(lit(s, ":")?)?;
    let (slot, s) = hex(lit(s, ":")?)?;
    let (function, s) = hex(lit(s, ".")?)?;
    Some((
        PciAddress {
            domain,
            bus,
            slot,
            function,
        },
        s,
    ))
}

/// Finds the root-port PCI function after `/devices/pciDDDD:BB/` in a
/// sysfs path. Returns the address and the byte offset in `path` just
/// after it.
pub fn first_pci_function(path: &str) -> Option<(PciAddress, usize)> {
    const MARK: &str = "/devices/pci";
    let start = path.find(MARK)? + MARK.len();
    let rest = path.get(start..)?;
    let (_, rest) = hex(rest)?;
    let (_, rest) = hex(lit(rest, ":")?)?;
    let (addr, rest) = parse_pci_function(lit(rest, "/")?)?;
    Some((addr, path.len() - rest.len()))
}

/// Parses a `/DDDD:BB:SS.F` component at `offset` of `path` (a PCI bridge's
/// child). Returns the address and the offset just after it.
pub fn next_pci_function(path: &str, offset: usize) -> Option<(PciAddress, usize)> {
    let rest = lit(path.get(offset..)?, "/")?;
    let (addr, rest) = parse_pci_function(rest)?;
    Some((addr, path.len() - rest.len()))
}

/// The `channel`, `target` and `lun` of the SCSI device under the first
/// `/targetH:C:T/` component: from `/targetH:C:T/H:C:T:L`.
pub fn scsi_target(path: &str) -> Option<[u32; 3]> {
    const MARK: &str = "/target";
    let rest = path.get(path.find(MARK)? + MARK.len()..)?;
    let (_, rest) = dec(rest)?;
    let (_, rest) = dec(lit(rest, ":")?)?;
    let (_, rest) = dec(lit(rest, ":")?)?;
    let (_, rest) = dec(lit(rest, "/")?)?;
    let (channel, rest) = dec(lit(rest, ":")?)?;
    let (target, rest) = dec(lit(rest, ":")?)?;
    let (lun, _) = dec(lit(rest, ":")?)?;
    Some([channel, target, lun])
}

/// The host component of a storage path: the first `/ataN` if any, else
/// the first `/hostN`. Returns whether it is ATA, the number, and the
/// offset of the component (its parent directory is `path[..offset]`).
/// `None` when neither is there or the number does not parse.
pub fn storage_host(path: &str) -> Option<(bool, u32, usize)> {
    let (ata, offset, skip) = match path.find("/ata") {
        Some(at) => (true, at, 4),
        None => (false, path.find("/host")?, 5),
    };
    let (number, _) = dec(path.get(offset + skip..)?)?;
    Some((ata, number, offset))
}

/// The number of a directory entry named `ataN` (when `ata`) or `hostN`.
pub fn host_entry_number(name: &str, ata: bool) -> Option<u32> {
    let rest = name.strip_prefix(if ata { "ata" } else { "host" })?;
    dec(rest).map(|(n, _)| n)
}

/// The CCW address in `/devices/cssN/C.S.SUBCH/X.Y.DEVNO/`.
pub fn ccw_address(path: &str) -> Option<CcwAddress> {
    const MARK: &str = "/devices/css";
    let rest = path.get(path.find(MARK)? + MARK.len()..)?;
    let (_, rest) = hex(rest)?;
    let (cssid, rest) = hex(lit(rest, "/")?)?;
    let (ssid, rest) = hex(lit(rest, ".")?)?;
    let (subchno, rest) = hex(lit(rest, ".")?)?;
    let (_, rest) = hex(lit(rest, "/")?)?;
    let (_, rest) = hex(lit(rest, ".")?)?;
    let (devno, rest) = hex(lit(rest, ".")?)?;
    lit(rest, "/")?;
    Some(CcwAddress {
        cssid,
        ssid,
        subchno,
        devno,
    })
}

/// The SCSI `host:channel:target:lun` of a device path: the component
/// right before `/block/`, such as `2:0:3:7` in `.../2:0:3:7/block/sdb`.
pub fn scsi_hctl(path: &str) -> Option<[u32; 4]> {
    let before = path.get(..path.find("/block/")?)?;
    let component = before.rsplit('/').next()?;
    let mut parts = component.split(':').map(|p| p.parse::<u32>().ok());
    let hctl = [
        parts.next()??,
        parts.next()??,
        parts.next()??,
        parts.next()??,
    ];
    parts.next().is_none().then_some(hctl)
}

#[cfg(test)]
mod tests {
    use super::*;

    const VIRTIO: &str = "/sys/devices/pci0000:00/0000:00:02.0/virtio1/block/vda";
    const SCSI: &str = "/sys/devices/pci0000:00/0000:00:1c.0/0000:01:00.0/virtio2/host2/target2:0:3/2:0:3:7/block/sdb";

    #[test]
    fn pci_chain() {
        let (a, off) = first_pci_function(VIRTIO).unwrap();
        assert_eq!((a.domain, a.bus, a.slot, a.function), (0, 0, 2, 0));
        assert_eq!(&VIRTIO[off..], "/virtio1/block/vda");
        assert!(next_pci_function(VIRTIO, off).is_none());
        let (a, off) = first_pci_function(SCSI).unwrap();
        assert_eq!(a.slot, 0x1c);
        let (b, off2) = next_pci_function(SCSI, off).unwrap();
        assert_eq!((b.bus, b.slot, b.function), (1, 0, 0));
        assert!(SCSI[off2..].starts_with("/virtio2"));
        assert!(first_pci_function("/sys/devices/platform/x").is_none());
        assert!(first_pci_function("/sys/devices/pci0000:00").is_none());
        assert!(first_pci_function("/sys/devices/pciZZ/0000:00:02.0").is_none());
    }

    #[test]
    fn scsi_and_hosts() {
        assert_eq!(scsi_target(SCSI), Some([0, 3, 7]));
        assert_eq!(scsi_target(VIRTIO), None);
        assert_eq!(scsi_hctl(SCSI), Some([2, 0, 3, 7]));
        assert_eq!(scsi_hctl(VIRTIO), None);
        assert_eq!(scsi_hctl("/a/1:2:3:4:5/block/sda"), None);
        assert_eq!(scsi_target("/x/target1:0:0/garbage"), None);
        assert_eq!(storage_host(SCSI).map(|h| (h.0, h.1)), Some((false, 2)));
        let ata = "/sys/devices/pci0000:00/0000:00:1f.2/ata3/host2/target2:0:0/2:0:0:0/block/sda";
        let (is_ata, n, off) = storage_host(ata).unwrap();
        assert!(is_ata);
        assert_eq!(n, 3);
        assert_eq!(&ata[..off], "/sys/devices/pci0000:00/0000:00:1f.2");
        assert_eq!(storage_host("/x/hostX"), None);
        assert_eq!(host_entry_number("host12", false), Some(12));
        assert_eq!(host_entry_number("ata1", true), Some(1));
        assert_eq!(host_entry_number("ata1", false), None);
        assert_eq!(host_entry_number("power", false), None);
    }

    #[test]
    fn ccw() {
        let p = "/sys/devices/css0/0.0.0002/0.0.1a2b/virtio0/block/vda";
        let c = ccw_address(p).unwrap();
        assert_eq!((c.cssid, c.ssid, c.subchno, c.devno), (0, 0, 2, 0x1a2b));
        assert!(ccw_address("/sys/devices/css0/0.0.0002").is_none());
        assert!(ccw_address("/sys/devices/pci0000:00").is_none());
    }
}
