//! Routing tables: `/proc/net/route` (IPv4) and `/proc/net/ipv6_route`
//! (`guest-network-get-route`).

use std::net::{Ipv4Addr, Ipv6Addr};
use std::path::Path;

use crate::sys::error::SysResult;
use crate::sys::fsutil::{host_path, read_text, read_text_opt};

/// One line of `/proc/net/route`. Widths follow the kernel's format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ipv4Route {
    /// Output interface.
    pub iface: String,
    /// Destination network.
    pub destination: Ipv4Addr,
    /// Gateway (`0.0.0.0` for none).
    pub gateway: Ipv4Addr,
    /// `RTF_*` flags.
    pub flags: u32,
    /// Reference count (always 0 on modern kernels).
    pub refcnt: i32,
    /// Use count (always 0 on modern kernels).
    pub use_count: u32,
    /// Route metric (priority).
    pub metric: i32,
    /// Destination mask.
    pub mask: Ipv4Addr,
    /// MTU advertised (0 when not set).
    pub mtu: i32,
    /// TCP window (always 0 on modern kernels).
    pub window: u32,
    /// Initial round-trip time (always 0 on modern kernels).
    pub irtt: u32,
}

/// One line of `/proc/net/ipv6_route`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ipv6Route {
    /// Destination network.
    pub destination: Ipv6Addr,
    /// Destination prefix length.
    pub destination_prefix_len: u32,
    /// Source network.
    pub source: Ipv6Addr,
    /// Source prefix length.
    pub source_prefix_len: u32,
    /// Next hop (`::` for none).
    pub next_hop: Ipv6Addr,
    /// Route metric.
    pub metric: u32,
    /// Reference count.
    pub refcnt: u32,
    /// Use count.
    pub use_count: u32,
    /// `RTF_*` flags.
    pub flags: u32,
    /// Output interface.
    pub iface: String,
}

/// An IPv4 address as the kernel prints it in `/proc/net/route`: the
/// network-order bytes read as a native integer.
fn ipv4_from_hex(field: &str) -> Option<Ipv4Addr> {
    let value = u32::from_str_radix(field, 16).ok()?;
    Some(Ipv4Addr::from(value.to_ne_bytes()))
}

/// An IPv6 address as 32 hex digits, network order.
pub fn ipv6_from_hex(field: &str) -> Option<Ipv6Addr> {
    if field.len() != 32 {
        return None;
    }
    let value = u128::from_str_radix(field, 16).ok()?;
    Some(Ipv6Addr::from(value))
}

fn hex_u32(field: &str) -> Option<u32> {
    u32::from_str_radix(field, 16).ok()
}

fn parse_ipv4_line(line: &str) -> Option<Ipv4Route> {
    let f: Vec<&str> = line.split_whitespace().collect();
    let [iface, dest, gw, flags, refcnt, use_count, metric, mask, mtu, window, irtt, ..] =
        f.as_slice()
    else {
        return None;
    };
    Some(Ipv4Route {
        iface: iface.to_string(),
        destination: ipv4_from_hex(dest)?,
        gateway: ipv4_from_hex(gw)?,
        flags: hex_u32(flags)?,
        refcnt: refcnt.parse().ok()?,
        use_count: use_count.parse().ok()?,
        metric: metric.parse().ok()?,
        mask: ipv4_from_hex(mask)?,
        mtu: mtu.parse().ok()?,
        window: window.parse().ok()?,
        irtt: irtt.parse().ok()?,
    })
}

/// Parses `/proc/net/route`: the header line is dropped, malformed lines
/// are skipped.
pub fn parse_ipv4_routes(text: &str) -> Vec<Ipv4Route> {
    text.lines().skip(1).filter_map(parse_ipv4_line).collect()
}

fn parse_ipv6_line(line: &str) -> Option<Ipv6Route> {
    let f: Vec<&str> = line.split_whitespace().collect();
    let [dest, dlen, src, slen, hop, metric, refcnt, use_count, flags, iface] = f.as_slice() else {
        return None;
    };
    Some(Ipv6Route {
        destination: ipv6_from_hex(dest)?,
        destination_prefix_len: hex_u32(dlen)?,
        source: ipv6_from_hex(src)?,
        source_prefix_len: hex_u32(slen)?,
        next_hop: ipv6_from_hex(hop)?,
        metric: hex_u32(metric)?,
        refcnt: hex_u32(refcnt)?,
        use_count: hex_u32(use_count)?,
        flags: hex_u32(flags)?,
        iface: iface.to_string(),
    })
}

/// Parses `/proc/net/ipv6_route` (no header), skipping malformed lines.
pub fn parse_ipv6_routes(text: &str) -> Vec<Ipv6Route> {
    text.lines().filter_map(parse_ipv6_line).collect()
}

/// Reads `/proc/net/route` below `root`.
pub fn read_ipv4_routes(root: &Path) -> SysResult<Vec<Ipv4Route>> {
    Ok(parse_ipv4_routes(&read_text(&host_path(
        root,
        "/proc/net/route",
    ))?))
}

/// Reads `/proc/net/ipv6_route` below `root`; a kernel without IPv6 has no
/// such file, which gives no routes.
pub fn read_ipv6_routes(root: &Path) -> SysResult<Vec<Ipv6Route>> {
    let text = read_text_opt(&host_path(root, "/proc/net/ipv6_route"))?;
    Ok(text.map(|t| parse_ipv6_routes(&t)).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    const ROUTE: &str = "\
Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT
eth0\t00000000\t0102A8C0\t0003\t0\t0\t100\t00000000\t0\t0\t0
eth0\t0002A8C0\t00000000\t0001\t0\t0\t100\t00FFFFFF\t0\t0\t0
bad line
eth1\tZZZZZZZZ\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0
";

    const ROUTE6: &str = "\
fe800000000000000000000000000000 40 00000000000000000000000000000000 00 00000000000000000000000000000000 00000100 00000001 00000000 00000001     eth0
00000000000000000000000000000001 80 00000000000000000000000000000000 00 00000000000000000000000000000000 00000000 00000002 00000000 80200001       lo
short line
";

    #[test]
    fn ipv4() {
        let r = parse_ipv4_routes(ROUTE);
        assert_eq!(r.len(), 2);
        assert_eq!(r[0].destination, Ipv4Addr::UNSPECIFIED);
        if cfg!(target_endian = "little") {
            assert_eq!(r[0].gateway, Ipv4Addr::new(192, 168, 2, 1));
            assert_eq!(r[1].mask, Ipv4Addr::new(255, 255, 255, 0));
        }
        assert_eq!(r[0].flags, 3);
        assert_eq!(r[0].metric, 100);
    }

    #[test]
    fn ipv6() {
        let r = parse_ipv6_routes(ROUTE6);
        assert_eq!(r.len(), 2);
        assert_eq!(r[0].destination, "fe80::".parse::<Ipv6Addr>().unwrap());
        assert_eq!(r[0].destination_prefix_len, 64);
        assert_eq!(r[0].metric, 256);
        assert_eq!(r[1].destination, Ipv6Addr::LOCALHOST);
        assert_eq!(r[1].flags, 0x8020_0001);
        assert_eq!(r[1].iface, "lo");
        assert!(ipv6_from_hex("00").is_none());
    }

    #[test]
    fn ipv6_absent_is_empty() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        assert!(read_ipv6_routes(root).unwrap().is_empty());
        assert!(read_ipv4_routes(root).unwrap_err().is_not_found());
        fs::create_dir_all(root.join("proc/net")).unwrap();
        fs::write(root.join("proc/net/route"), ROUTE).unwrap();
        fs::write(root.join("proc/net/ipv6_route"), ROUTE6).unwrap();
        assert_eq!(read_ipv4_routes(root).unwrap().len(), 2);
        assert_eq!(read_ipv6_routes(root).unwrap().len(), 2);
    }

    #[test]
    fn real_system() {
        let root = Path::new("/");
        let _ = read_ipv4_routes(root);
        assert!(read_ipv6_routes(root).is_ok());
    }
}
