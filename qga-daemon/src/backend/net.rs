//! `guest-network-get-interfaces` and `guest-network-get-route`.
//!
//! Interfaces come from `/sys/class/net` (every link, by index, with its
//! hardware address), addresses from the kernel (a netlink dump, through
//! an [`AddressSource`] so tests can give their own), counters from
//! `/proc/net/dev`; routes from `/proc/net/route` and
//! `/proc/net/ipv6_route`.
//!
//! As with qemu-ga, an IPv4 address whose label differs from its link's
//! name (an alias such as `eth0:1`) is reported under the label, as an
//! interface of its own; `ip-addresses` and `statistics` are present only
//! for interfaces that have at least one address. The hardware address
//! is sysfs's, unchanged: qemu-ga cuts every address to six bytes and
//! reports `00:00:00:00:00:00` for links without one (tun, WireGuard),
//! where we leave the member out.

pub mod error;
pub mod interfaces;
#[cfg(test)]
mod oracle_tests;
pub mod routes;
#[cfg(test)]
mod tests;

use std::io;
use std::path::PathBuf;

use qga_generated::{GuestNetworkInterface, GuestNetworkRoute};

use crate::sys::net::IfAddress;
pub use error::NetError;

/// Where interface addresses come from.
pub trait AddressSource: Send + Sync {
    /// Every address of every interface, IPv4 first, as the kernel lists
    /// them.
    fn addresses(&self) -> io::Result<Vec<IfAddress>>;
}

/// The running kernel's addresses, from a netlink dump.
#[derive(Debug, Default, Clone, Copy)]
pub struct KernelAddresses;

impl AddressSource for KernelAddresses {
    fn addresses(&self) -> io::Result<Vec<IfAddress>> {
        crate::sys::net::read_addresses()
    }
}

/// The network commands, on the system below `root`.
pub struct Network {
    root: PathBuf,
    addresses: Box<dyn AddressSource>,
}

impl std::fmt::Debug for Network {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Network")
            .field("root", &self.root)
            .finish_non_exhaustive()
    }
}

impl Network {
    /// Works on the tree below `root` (`/` in production), with the
    /// running kernel's addresses.
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self::with_addresses(root, Box::new(KernelAddresses))
    }

    /// Works on the tree below `root`, with addresses from `addresses`.
    pub fn with_addresses(root: impl Into<PathBuf>, addresses: Box<dyn AddressSource>) -> Self {
        Network {
            root: root.into(),
            addresses,
        }
    }

    /// `guest-network-get-interfaces`.
    pub fn interfaces(&self) -> Result<Vec<GuestNetworkInterface>, NetError> {
        let addresses = self
            .addresses
            .addresses()
            .map_err(|e| NetError::Addresses(error::reason(&e)))?;
        Ok(interfaces::collect(&self.root, &addresses))
    }

    /// `guest-network-get-route`: the IPv4 routes, then the IPv6 ones
    /// (none when the kernel has no IPv6).
    pub fn routes(&self) -> Result<Vec<GuestNetworkRoute>, NetError> {
        routes::collect(&self.root)
    }
}
