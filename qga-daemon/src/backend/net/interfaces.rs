//! Builds the `guest-network-get-interfaces` reply from links, addresses
//! and counters.

use std::collections::HashMap;
use std::net::IpAddr;
use std::path::Path;

use qga_generated::{
    GuestIpAddress, GuestIpAddressType, GuestNetworkInterface, GuestNetworkInterfaceStat,
};

use crate::sys::net::{read_if_inet6, read_links, read_net_dev, IfAddress, NetDevStats};

/// One interface while the reply is built.
struct Entry {
    name: String,
    hardware_address: Option<String>,
    addresses: Vec<GuestIpAddress>,
}

/// The wire form of one address.
pub fn ip_address(address: &IfAddress) -> GuestIpAddress {
    let ip_address_type = match address.address {
        IpAddr::V4(_) => GuestIpAddressType::Ipv4,
        IpAddr::V6(_) => GuestIpAddressType::Ipv6,
    };
    GuestIpAddress {
        ip_address: address.address.to_string(),
        ip_address_type,
        prefix: address.prefix_len.into(),
    }
}

/// The counters of `name`, if `/proc/net/dev` has them.
pub fn statistics(stats: &[NetDevStats], name: &str) -> Option<GuestNetworkInterfaceStat> {
    let s = stats.iter().find(|s| s.name == name)?;
    Some(GuestNetworkInterfaceStat {
        rx_bytes: s.rx_bytes,
        rx_packets: s.rx_packets,
        rx_errs: s.rx_errs,
        rx_dropped: s.rx_dropped,
        tx_bytes: s.tx_bytes,
        tx_packets: s.tx_packets,
        tx_errs: s.tx_errs,
        tx_dropped: s.tx_dropped,
    })
}

/// The interfaces of the system below `root`, with `addresses`: every
/// link first (by index), then aliases in the order their addresses come.
/// Unreadable sysfs or counters leave out what they would have given.
pub fn collect(root: &Path, addresses: &[IfAddress]) -> Vec<GuestNetworkInterface> {
    let links = read_links(root).unwrap_or_default();
    let mut names: HashMap<u32, String> = HashMap::new();
    for a in read_if_inet6(root).unwrap_or_default() {
        names.insert(a.index, a.iface);
    }
    let mut hardware: HashMap<String, String> = HashMap::new();
    let mut entries: Vec<Entry> = Vec::with_capacity(links.len());
    for link in links {
        if let Some(index) = link.index {
            names.insert(index, link.name.clone());
        }
        if let Some(mac) = &link.hardware_address {
            hardware.insert(link.name.clone(), mac.clone());
        }
        entries.push(Entry {
            name: link.name,
            hardware_address: link.hardware_address,
            addresses: Vec::new(),
        });
    }
    for address in addresses {
        let name = match (&address.label, address.address) {
            (Some(label), IpAddr::V4(_)) => label.clone(),
            _ => match names.get(&address.index) {
                Some(name) => name.clone(),
                None => continue,
            },
        };
        let at = match entries.iter().position(|e| e.name == name) {
            Some(at) => at,
            None => {
                let base = name.split(':').next().unwrap_or_default();
                entries.push(Entry {
                    hardware_address: hardware.get(base).cloned(),
                    name,
                    addresses: Vec::new(),
                });
                entries.len() - 1
            }
        };
        if let Some(entry) = entries.get_mut(at) {
            entry.addresses.push(ip_address(address));
        }
    }
    let stats = read_net_dev(root).unwrap_or_default();
    entries
        .into_iter()
        .map(|e| {
            let has_addresses = !e.addresses.is_empty();
            GuestNetworkInterface {
                statistics: if has_addresses {
                    statistics(&stats, &e.name)
                } else {
                    None
                },
                ip_addresses: has_addresses.then_some(e.addresses),
                hardware_address: e.hardware_address,
                name: e.name,
            }
        })
        .collect()
}
