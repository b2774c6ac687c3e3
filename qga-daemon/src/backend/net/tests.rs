//! The network commands on a fake tree with given addresses.

use std::fs;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::path::Path;

use qga_generated::{GuestIpAddress, GuestIpAddressType};

use super::*;

struct Fixed(io::Result<Vec<IfAddress>>);

impl AddressSource for Fixed {
    fn addresses(&self) -> io::Result<Vec<IfAddress>> {
        match &self.0 {
            Ok(a) => Ok(a.clone()),
            Err(e) => Err(io::Error::from_raw_os_error(e.raw_os_error().unwrap_or(0))),
        }
    }
}

fn addr(index: u32, address: IpAddr, prefix_len: u8, label: Option<&str>) -> IfAddress {
    IfAddress {
        index,
        address,
        prefix_len,
        label: label.map(str::to_string),
        scope: 0,
        flags: 0,
    }
}

const NET_DEV: &str = "\
Inter-|   Receive                                                |  Transmit
 face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
    lo:    1000      10    0    0    0     0          0         0     1000      10    0    0    0     0       0          0
  eth0: 18446744073709551615 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16
  ifb0: 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0
";

/// lo (1), eth0 (2), ifb0 (3, no address), tun0 (4, no MAC).
fn tree() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    for (name, index, mac) in [
        ("lo", 1, "00:00:00:00:00:00"),
        ("eth0", 2, "52:54:00:12:34:56"),
        ("ifb0", 3, "16:26:62:cc:dd:05"),
        ("tun0", 4, ""),
    ] {
        let d = root.join("sys/class/net").join(name);
        fs::create_dir_all(&d).unwrap();
        fs::write(d.join("ifindex"), format!("{index}\n")).unwrap();
        fs::write(d.join("address"), format!("{mac}\n")).unwrap();
    }
    fs::create_dir_all(root.join("proc/net")).unwrap();
    fs::write(root.join("proc/net/dev"), NET_DEV).unwrap();
    dir
}

fn addresses() -> Vec<IfAddress> {
    vec![
        addr(1, IpAddr::V4(Ipv4Addr::LOCALHOST), 8, Some("lo")),
        addr(2, IpAddr::V4(Ipv4Addr::new(192, 0, 2, 2)), 24, Some("eth0")),
        addr(
            2,
            IpAddr::V4(Ipv4Addr::new(192, 0, 2, 9)),
            32,
            Some("eth0:1"),
        ),
        addr(1, IpAddr::V6(Ipv6Addr::LOCALHOST), 128, None),
        addr(
            2,
            IpAddr::V6("fe80::fc:ff:fe00:1".parse().unwrap()),
            64,
            None,
        ),
        addr(4, IpAddr::V6("fd00::4".parse().unwrap()), 64, None),
        addr(99, IpAddr::V6("fd00::99".parse().unwrap()), 64, None),
    ]
}

fn ip(text: &str, prefix: i64) -> GuestIpAddress {
    GuestIpAddress {
        ip_address: text.to_string(),
        ip_address_type: if text.contains(':') {
            GuestIpAddressType::Ipv6
        } else {
            GuestIpAddressType::Ipv4
        },
        prefix,
    }
}

#[test]
fn interfaces_from_links_addresses_and_counters() {
    let dir = tree();
    let net = Network::with_addresses(dir.path(), Box::new(Fixed(Ok(addresses()))));
    let got = net.interfaces().unwrap();
    let names: Vec<_> = got.iter().map(|i| i.name.as_str()).collect();
    assert_eq!(names, ["lo", "eth0", "ifb0", "tun0", "eth0:1"]);

    let lo = &got[0];
    assert_eq!(lo.hardware_address.as_deref(), Some("00:00:00:00:00:00"));
    assert_eq!(
        lo.ip_addresses.as_deref(),
        Some(&[ip("127.0.0.1", 8), ip("::1", 128)][..])
    );
    assert_eq!(lo.statistics.as_ref().map(|s| s.rx_packets), Some(10));

    let eth0 = &got[1];
    assert_eq!(
        eth0.ip_addresses.as_deref(),
        Some(&[ip("192.0.2.2", 24), ip("fe80::fc:ff:fe00:1", 64)][..])
    );
    let s = eth0.statistics.as_ref().unwrap();
    assert_eq!(
        (s.rx_bytes, s.rx_dropped, s.tx_bytes, s.tx_dropped),
        (u64::MAX, 4, 9, 12)
    );

    let ifb0 = &got[2];
    assert_eq!(ifb0.hardware_address.as_deref(), Some("16:26:62:cc:dd:05"));
    assert_eq!((&ifb0.ip_addresses, &ifb0.statistics), (&None, &None));

    let tun0 = &got[3];
    assert_eq!(tun0.hardware_address, None);
    assert_eq!(tun0.ip_addresses.as_deref(), Some(&[ip("fd00::4", 64)][..]));
    assert_eq!(tun0.statistics, None, "not in /proc/net/dev");

    let alias = &got[4];
    assert_eq!(alias.hardware_address.as_deref(), Some("52:54:00:12:34:56"));
    assert_eq!(
        alias.ip_addresses.as_deref(),
        Some(&[ip("192.0.2.9", 32)][..])
    );
    assert_eq!(alias.statistics, None);
}

#[test]
fn interfaces_without_sysfs_use_if_inet6_names() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join("proc/net")).unwrap();
    fs::write(
        dir.path().join("proc/net/if_inet6"),
        "00000000000000000000000000000001 01 80 10 80       lo\n",
    )
    .unwrap();
    let net = Network::with_addresses(dir.path(), Box::new(Fixed(Ok(addresses()))));
    let got = net.interfaces().unwrap();
    let names: Vec<_> = got.iter().map(|i| i.name.as_str()).collect();
    assert_eq!(names, ["lo", "eth0", "eth0:1"]);
    assert!(got.iter().all(|i| i.statistics.is_none()));
}

#[test]
fn address_failure_has_qemu_text() {
    let dir = tree();
    let net = Network::with_addresses(
        dir.path(),
        Box::new(Fixed(Err(io::Error::from_raw_os_error(libc::EACCES)))),
    );
    assert_eq!(
        net.interfaces().unwrap_err().to_string(),
        "getifaddrs failed: Permission denied"
    );
}

const ROUTE: &str = "\
Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT
eth0\t00000000\t010200C0\t0003\t0\t0\t100\t00000000\t0\t0\t0
eth0\t000200C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t1500\t0\t0
";

const ROUTE6: &str = "\
fd000000000000000000000000000000 40 00000000000000000000000000000000 00 00000000000000000000000000000000 00000100 00000001 00000000 00000001     eth0
00000000000000000000000000000001 80 00000000000000000000000000000000 00 00000000000000000000000000000000 00000000 00000002 00000000 80200001       lo
00000000000000000000000000000000 00 00000000000000000000000000000000 00 00000000000000000000000000000000 ffffffff 00000001 00000000 00200200       lo
";

fn route_tree(v6: bool) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join("proc/net")).unwrap();
    fs::write(dir.path().join("proc/net/route"), ROUTE).unwrap();
    if v6 {
        fs::write(dir.path().join("proc/net/ipv6_route"), ROUTE6).unwrap();
    }
    dir
}

fn routes(root: &Path) -> Result<Vec<GuestNetworkRoute>, NetError> {
    Network::with_addresses(root, Box::new(Fixed(Ok(Vec::new())))).routes()
}

#[test]
fn ipv4_and_ipv6_routes() {
    let dir = route_tree(true);
    let got = routes(dir.path()).unwrap();
    assert_eq!(got.len(), 5);
    assert!(got[..2].iter().all(|r| r.version == 4));
    assert!(got[2..].iter().all(|r| r.version == 6));
    if cfg!(target_endian = "little") {
        let r = &got[0];
        assert_eq!(
            (
                r.destination.as_str(),
                r.gateway.as_deref(),
                r.mask.as_deref()
            ),
            ("0.0.0.0", Some("192.0.2.1"), Some("0.0.0.0"))
        );
        assert_eq!(got[1].destination, "192.0.2.0");
        assert_eq!(got[1].mask.as_deref(), Some("255.255.255.0"));
    }
    assert_eq!((got[0].metric, got[0].flags), (100, Some(3)));
    assert_eq!(got[1].mtu, Some(1500));
    assert!(got[0].nexthop.is_none() && got[0].desprefixlen.is_none());

    let r = &got[2];
    assert_eq!(r.destination, "fd00::");
    assert_eq!(r.desprefixlen.as_deref(), Some("64"));
    assert_eq!(r.srcprefixlen.as_deref(), Some("0"));
    assert_eq!(r.source.as_deref(), Some("::"));
    assert_eq!(r.nexthop.as_deref(), Some("::"));
    assert_eq!((r.metric, r.refcnt, r.r#use), (256, Some(1), Some(0)));
    assert!(r.gateway.is_none() && r.mask.is_none() && r.mtu.is_none());
    // Unsigned values stay unsigned.
    assert_eq!(got[3].flags, Some(0x8020_0001));
    assert_eq!(got[4].metric, 0xffff_ffff);
}

#[test]
fn routes_without_ipv6() {
    let dir = route_tree(false);
    let got = routes(dir.path()).unwrap();
    assert_eq!(got.len(), 2);
}

#[test]
fn route_table_missing() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(
        routes(dir.path()).unwrap_err().to_string(),
        "open(\"/proc/net/route\"): No such file or directory"
    );
}

#[test]
fn real_system() {
    let net = Network::new("/");
    if let Ok(list) = net.interfaces() {
        assert!(list.iter().all(|i| !i.name.is_empty()));
    }
    if let Ok(list) = net.routes() {
        assert!(list.iter().all(|r| r.version == 4 || r.version == 6));
    }
}
