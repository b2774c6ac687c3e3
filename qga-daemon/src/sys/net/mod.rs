//! Network state: interfaces and their counters, addresses (netlink, with
//! `/proc/net/if_inet6` for IPv6 as a file-based source) and routes.

pub mod links;
pub mod netlink;
pub mod routes;

pub use links::{read_if_inet6, read_links, read_net_dev, Inet6Address, NetDevStats, NetLink};
pub use netlink::{read_addresses, IfAddress};
pub use routes::{read_ipv4_routes, read_ipv6_routes, Ipv4Route, Ipv6Route};
