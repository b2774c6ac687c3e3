//! Builds the `guest-network-get-route` reply from the kernel's routing
//! tables.
//!
//! Members follow the schema: unsigned kernel fields (IPv6 metric and
//! flags) keep their unsigned value, where qemu-ga 10.0 sign-extends
//! them (`flags` 0x80200001 becomes 18446744071564165121, metric
//! 0xffffffff becomes -1); prefix lengths are decimal strings, as the
//! schema says.

use std::path::Path;

use qga_generated::GuestNetworkRoute;

use super::error::{reason, NetError};
use crate::sys::net::{read_ipv4_routes, read_ipv6_routes, Ipv4Route, Ipv6Route};
use crate::sys::SysError;

const IPV4_TABLE: &str = "/proc/net/route";
const IPV6_TABLE: &str = "/proc/net/ipv6_route";

/// The wire form of an IPv4 route.
pub fn ipv4(r: &Ipv4Route) -> GuestNetworkRoute {
    GuestNetworkRoute {
        iface: r.iface.clone(),
        destination: r.destination.to_string(),
        metric: r.metric.into(),
        gateway: Some(r.gateway.to_string()),
        mask: Some(r.mask.to_string()),
        irtt: Some(r.irtt.into()),
        flags: Some(r.flags.into()),
        refcnt: Some(r.refcnt.into()),
        r#use: Some(r.use_count.into()),
        window: Some(r.window.into()),
        mtu: Some(r.mtu.into()),
        desprefixlen: None,
        source: None,
        srcprefixlen: None,
        nexthop: None,
        version: 4,
    }
}

/// The wire form of an IPv6 route.
pub fn ipv6(r: &Ipv6Route) -> GuestNetworkRoute {
    GuestNetworkRoute {
        iface: r.iface.clone(),
        destination: r.destination.to_string(),
        metric: r.metric.into(),
        gateway: None,
        mask: None,
        irtt: None,
        flags: Some(r.flags.into()),
        refcnt: Some(r.refcnt.into()),
        r#use: Some(r.use_count.into()),
        window: None,
        mtu: None,
        desprefixlen: Some(r.destination_prefix_len.to_string()),
        source: Some(r.source.to_string()),
        srcprefixlen: Some(r.source_prefix_len.to_string()),
        nexthop: Some(r.next_hop.to_string()),
        version: 6,
    }
}

fn open_error(path: &'static str, e: &SysError) -> NetError {
    NetError::Open {
        path,
        reason: match e {
            SysError::Io { source, .. } => reason(source),
            SysError::Format { message, .. } => message.clone(),
        },
    }
}

/// Every route of the system below `root`: IPv4, then IPv6.
pub fn collect(root: &Path) -> Result<Vec<GuestNetworkRoute>, NetError> {
    let v4 = read_ipv4_routes(root).map_err(|e| open_error(IPV4_TABLE, &e))?;
    let v6 = read_ipv6_routes(root).map_err(|e| open_error(IPV6_TABLE, &e))?;
    Ok(v4.iter().map(ipv4).chain(v6.iter().map(ipv6)).collect())
}
