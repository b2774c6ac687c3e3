//! Network interfaces from sysfs (`/sys/class/net`), their counters from
//! `/proc/net/dev`, and IPv6 addresses from `/proc/net/if_inet6`.

use std::net::Ipv6Addr;
use std::path::Path;

use super::routes::ipv6_from_hex;
use crate::sys::error::SysResult;
use crate::sys::fsutil::{dir_names, host_path, read_attr, read_text, read_text_opt};

/// A network interface of `/sys/class/net`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NetLink {
    /// Interface name.
    pub name: String,
    /// Interface index, if readable.
    pub index: Option<u32>,
    /// Hardware address as sysfs prints it (`52:54:00:12:34:56`), if any.
    pub hardware_address: Option<String>,
    /// `IFF_*` flags.
    pub flags: Option<u32>,
    /// MTU.
    pub mtu: Option<u32>,
    /// Operational state (`up`, `down`, `unknown`, ...).
    pub operstate: Option<String>,
    /// `ARPHRD_*` link type (1 for Ethernet, 772 for loopback).
    pub link_type: Option<u16>,
}

/// The counters of one interface in `/proc/net/dev`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NetDevStats {
    /// Interface name.
    pub name: String,
    /// Bytes received.
    pub rx_bytes: u64,
    /// Packets received.
    pub rx_packets: u64,
    /// Receive errors.
    pub rx_errs: u64,
    /// Received packets dropped.
    pub rx_dropped: u64,
    /// Receive FIFO errors.
    pub rx_fifo: u64,
    /// Receive frame errors.
    pub rx_frame: u64,
    /// Compressed packets received.
    pub rx_compressed: u64,
    /// Multicast packets received.
    pub rx_multicast: u64,
    /// Bytes sent.
    pub tx_bytes: u64,
    /// Packets sent.
    pub tx_packets: u64,
    /// Send errors.
    pub tx_errs: u64,
    /// Packets dropped on send.
    pub tx_dropped: u64,
    /// Send FIFO errors.
    pub tx_fifo: u64,
    /// Collisions.
    pub tx_colls: u64,
    /// Carrier errors.
    pub tx_carrier: u64,
    /// Compressed packets sent.
    pub tx_compressed: u64,
}

/// One line of `/proc/net/if_inet6`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inet6Address {
    /// The address.
    pub address: Ipv6Addr,
    /// Interface index.
    pub index: u32,
    /// Prefix length.
    pub prefix_len: u8,
    /// Scope (`IPV6_ADDR_*` scope bits: 0 global, 0x10 host, 0x20 link).
    pub scope: u32,
    /// `IFA_F_*` flags.
    pub flags: u32,
    /// Interface name.
    pub iface: String,
}

fn hex_attr(root: &Path, dir: &str, name: &str) -> Option<u32> {
    let text = read_attr(&host_path(root, &format!("{dir}/{name}")))?;
    u32::from_str_radix(text.trim_start_matches("0x"), 16).ok()
}

fn dec_attr<T: std::str::FromStr>(root: &Path, dir: &str, name: &str) -> Option<T> {
    read_attr(&host_path(root, &format!("{dir}/{name}")))?
        .parse()
        .ok()
}

/// The interfaces of `/sys/class/net`, by index (those without a
/// readable index last, by name).
pub fn read_links(root: &Path) -> SysResult<Vec<NetLink>> {
    let mut links: Vec<NetLink> = dir_names(&host_path(root, "/sys/class/net"))?
        .into_iter()
        .map(|name| {
            let dir = format!("/sys/class/net/{name}");
            NetLink {
                index: dec_attr(root, &dir, "ifindex"),
                hardware_address: read_attr(&host_path(root, &format!("{dir}/address"))),
                flags: hex_attr(root, &dir, "flags"),
                mtu: dec_attr(root, &dir, "mtu"),
                operstate: read_attr(&host_path(root, &format!("{dir}/operstate"))),
                link_type: dec_attr(root, &dir, "type"),
                name,
            }
        })
        .filter(|l| !l.name.is_empty())
        .collect();
    links.sort_by(|a, b| {
        (a.index.is_none(), a.index, &a.name).cmp(&(b.index.is_none(), b.index, &b.name))
    });
    Ok(links)
}

/// Parses `/proc/net/dev`: lines `name: 16 counters`; header and malformed
/// lines are skipped.
pub fn parse_net_dev(text: &str) -> Vec<NetDevStats> {
    text.lines()
        .filter_map(|line| {
            let (name, counters) = line.split_once(':')?;
            let name = name.trim();
            let v: Vec<u64> = counters
                .split_whitespace()
                .map(|f| f.parse().ok())
                .collect::<Option<_>>()?;
            let [rx_bytes, rx_packets, rx_errs, rx_dropped, rx_fifo, rx_frame, rx_compressed, rx_multicast, tx_bytes, tx_packets, tx_errs, tx_dropped, tx_fifo, tx_colls, tx_carrier, tx_compressed, ..] =
                v.as_slice()
            else {
                return None;
            };
            (!name.is_empty()).then(|| NetDevStats {
                name: name.to_string(),
                rx_bytes: *rx_bytes,
                rx_packets: *rx_packets,
                rx_errs: *rx_errs,
                rx_dropped: *rx_dropped,
                rx_fifo: *rx_fifo,
                rx_frame: *rx_frame,
                rx_compressed: *rx_compressed,
                rx_multicast: *rx_multicast,
                tx_bytes: *tx_bytes,
                tx_packets: *tx_packets,
                tx_errs: *tx_errs,
                tx_dropped: *tx_dropped,
                tx_fifo: *tx_fifo,
                tx_colls: *tx_colls,
                tx_carrier: *tx_carrier,
                tx_compressed: *tx_compressed,
            })
        })
        .collect()
}

/// Reads `/proc/net/dev` below `root`.
pub fn read_net_dev(root: &Path) -> SysResult<Vec<NetDevStats>> {
    Ok(parse_net_dev(&read_text(&host_path(
        root,
        "/proc/net/dev",
    ))?))
}

/// Parses `/proc/net/if_inet6`, skipping malformed lines.
pub fn parse_if_inet6(text: &str) -> Vec<Inet6Address> {
    text.lines()
        .filter_map(|line| {
            let f: Vec<&str> = line.split_whitespace().collect();
            let [addr, index, prefix, scope, flags, iface] = f.as_slice() else {
                return None;
            };
            Some(Inet6Address {
                address: ipv6_from_hex(addr)?,
                index: u32::from_str_radix(index, 16).ok()?,
                prefix_len: u8::from_str_radix(prefix, 16).ok()?,
                scope: u32::from_str_radix(scope, 16).ok()?,
                flags: u32::from_str_radix(flags, 16).ok()?,
                iface: iface.to_string(),
            })
        })
        .collect()
}

/// Reads `/proc/net/if_inet6` below `root`; without IPv6 the file is
/// missing, which gives no addresses.
pub fn read_if_inet6(root: &Path) -> SysResult<Vec<Inet6Address>> {
    let text = read_text_opt(&host_path(root, "/proc/net/if_inet6"))?;
    Ok(text.map(|t| parse_if_inet6(&t)).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    const NET_DEV: &str = "\
Inter-|   Receive                                                |  Transmit
 face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
    lo:    1000      10    0    0    0     0          0         0     1000      10    0    0    0     0       0          0
  eth0:18446744073709551615 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16
  bad: 1 2 3
";

    #[test]
    fn net_dev() {
        let s = parse_net_dev(NET_DEV);
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].name, "lo");
        assert_eq!(s[0].tx_bytes, 1000);
        assert_eq!(s[1].rx_bytes, u64::MAX);
        assert_eq!(s[1].rx_dropped, 4);
        assert_eq!(s[1].tx_bytes, 9);
        assert_eq!(s[1].tx_dropped, 12);
        assert_eq!(s[1].tx_compressed, 16);
    }

    #[test]
    fn if_inet6() {
        let a = parse_if_inet6(
            "fe8000000000000000fc00fffe000001 04 40 20 80     eth0\n\
             00000000000000000000000000000001 01 80 10 80       lo\nbad\n",
        );
        assert_eq!(a.len(), 2);
        assert_eq!(
            a[0].address,
            "fe80::fc:ff:fe00:1".parse::<Ipv6Addr>().unwrap()
        );
        assert_eq!((a[0].index, a[0].prefix_len, a[0].scope), (4, 64, 0x20));
        assert_eq!(a[1].prefix_len, 128);
    }

    #[test]
    fn links_from_tree() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        assert!(read_links(root).is_err());
        assert!(read_if_inet6(root).unwrap().is_empty());
        for (name, index, mac) in [
            ("eth0", "2", Some("52:54:00:12:34:56")),
            ("lo", "1", Some("00:00:00:00:00:00")),
            ("tun0", "x", None),
        ] {
            let d = root.join("sys/class/net").join(name);
            fs::create_dir_all(&d).unwrap();
            fs::write(d.join("ifindex"), format!("{index}\n")).unwrap();
            if let Some(mac) = mac {
                fs::write(d.join("address"), format!("{mac}\n")).unwrap();
            }
            fs::write(d.join("flags"), "0x1003\n").unwrap();
        }
        let links = read_links(root).unwrap();
        let names: Vec<_> = links.iter().map(|l| l.name.as_str()).collect();
        assert_eq!(names, vec!["lo", "eth0", "tun0"]);
        assert_eq!(
            links[1].hardware_address.as_deref(),
            Some("52:54:00:12:34:56")
        );
        assert_eq!(links[1].flags, Some(0x1003));
        assert_eq!(links[2].hardware_address, None);
        assert_eq!(links[2].index, None);
    }

    #[test]
    fn real_system() {
        let root = Path::new("/");
        if let Ok(links) = read_links(root) {
            assert!(links.iter().all(|l| !l.name.is_empty()));
        }
        if let Ok(stats) = read_net_dev(root) {
            assert!(stats.iter().all(|s| !s.name.is_empty()));
        }
        assert!(read_if_inet6(root).is_ok());
    }
}
