//! Interface addresses (IPv4 and IPv6) through an `RTM_GETADDR` dump on a
//! `NETLINK_ROUTE` socket: what `getifaddrs` reports, without libc.
//!
//! The message parser is separate from the socket so that it can be tested
//! on prepared bytes.

use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use rustix::net::netlink::SocketAddrNetlink;
use rustix::net::{AddressFamily, RecvFlags, SendFlags, SocketType};

const NLMSG_HDRLEN: usize = 16;
const NLMSG_ERROR: u16 = 2;
const NLMSG_DONE: u16 = 3;
const RTM_NEWADDR: u16 = 20;
const RTM_GETADDR: u16 = 22;
const NLM_F_REQUEST: u16 = 0x1;
const NLM_F_DUMP: u16 = 0x300;
const IFADDRMSG_LEN: usize = 8;
const IFA_ADDRESS: u16 = 1;
const IFA_LOCAL: u16 = 2;
const IFA_LABEL: u16 = 3;
const IFA_FLAGS: u16 = 8;
const AF_INET: u8 = 2;
const AF_INET6: u8 = 10;

/// One interface address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IfAddress {
    /// Interface index.
    pub index: u32,
    /// The address (the local one on point-to-point links).
    pub address: IpAddr,
    /// Prefix length.
    pub prefix_len: u8,
    /// The label (IPv4 only: `eth0`, or an alias such as `eth0:1`), which
    /// `getifaddrs` reports as the interface name.
    pub label: Option<String>,
    /// Address scope (`RT_SCOPE_*`: 0 universe, 253 link, 254 host).
    pub scope: u8,
    /// `IFA_F_*` flags (the 32-bit `IFA_FLAGS` when present).
    pub flags: u32,
}

/// What a chunk of a dump held.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct DumpChunk {
    /// Addresses found.
    pub addresses: Vec<IfAddress>,
    /// Whether the dump ended (`NLMSG_DONE`).
    pub done: bool,
    /// A negative errno from an `NLMSG_ERROR` message, if any.
    pub error: Option<i32>,
}

fn u16_at(buf: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_ne_bytes(buf.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(buf: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_ne_bytes(buf.get(at..at + 4)?.try_into().ok()?))
}

fn align4(n: usize) -> usize {
    n.saturating_add(3) & !3
}

fn ip_from(family: u8, data: &[u8]) -> Option<IpAddr> {
    match family {
        AF_INET => Some(IpAddr::V4(Ipv4Addr::from(
            <[u8; 4]>::try_from(data.get(..4)?).ok()?,
        ))),
        AF_INET6 => Some(IpAddr::V6(Ipv6Addr::from(
            <[u8; 16]>::try_from(data.get(..16)?).ok()?,
        ))),
        _ => None,
    }
}

/// Parses one `RTM_NEWADDR` payload (`ifaddrmsg` and attributes).
fn parse_ifaddr(payload: &[u8]) -> Option<IfAddress> {
    let family = *payload.first()?;
    let prefix_len = *payload.get(1)?;
    let flags8 = *payload.get(2)?;
    let scope = *payload.get(3)?;
    let index = u32_at(payload, 4)?;
    let (mut address, mut local, mut label, mut flags) = (None, None, None, None);
    let mut at = IFADDRMSG_LEN;
    while at + 4 <= payload.len() {
        let len = usize::from(u16_at(payload, at)?);
        let kind = u16_at(payload, at + 2)?;
        if len < 4 || at + len > payload.len() {
            break;
        }
        let data = payload.get(at + 4..at + len)?;
        match kind {
            IFA_ADDRESS => address = ip_from(family, data),
            IFA_LOCAL => local = ip_from(family, data),
            IFA_LABEL => {
                let text = data.split(|&b| b == 0).next().unwrap_or_default();
                label = Some(String::from_utf8_lossy(text).into_owned());
            }
            IFA_FLAGS => flags = u32_at(data, 0),
            _ => {}
        }
        at += align4(len);
    }
    Some(IfAddress {
        index,
        address: local.or(address)?,
        prefix_len,
        label,
        scope,
        flags: flags.unwrap_or(u32::from(flags8)),
    })
}

/// Parses the netlink messages of one datagram of an address dump.
pub fn parse_dump(buf: &[u8]) -> DumpChunk {
    let mut chunk = DumpChunk::default();
    let mut at = 0;
    while at + NLMSG_HDRLEN <= buf.len() {
        let (Some(len), Some(kind)) = (u32_at(buf, at), u16_at(buf, at + 4)) else {
            break;
        };
        let len = usize::try_from(len).unwrap_or(usize::MAX);
        if len < NLMSG_HDRLEN || len > buf.len() - at {
            break;
        }
        let payload = buf.get(at + NLMSG_HDRLEN..at + len).unwrap_or_default();
        match kind {
            NLMSG_DONE => {
                chunk.done = true;
                return chunk;
            }
            NLMSG_ERROR => {
                let errno = u32_at(payload, 0).map(|e| e as i32).unwrap_or(-1);
                if errno != 0 {
                    chunk.error = Some(errno);
                    chunk.done = true;
                    return chunk;
                }
            }
            RTM_NEWADDR => chunk.addresses.extend(parse_ifaddr(payload)),
            _ => {}
        }
        at += align4(len);
    }
    chunk
}

/// The request message for a dump of all addresses.
pub fn dump_request(seq: u32) -> Vec<u8> {
    let len = NLMSG_HDRLEN + IFADDRMSG_LEN;
    let mut msg = Vec::with_capacity(len);
    msg.extend_from_slice(&(len as u32).to_ne_bytes());
    msg.extend_from_slice(&RTM_GETADDR.to_ne_bytes());
    msg.extend_from_slice(&(NLM_F_REQUEST | NLM_F_DUMP).to_ne_bytes());
    msg.extend_from_slice(&seq.to_ne_bytes());
    msg.extend_from_slice(&0u32.to_ne_bytes());
    msg.extend_from_slice(&[0u8; IFADDRMSG_LEN]);
    msg
}

/// Upper bound on datagrams read, against a kernel that never ends a dump.
const MAX_DATAGRAMS: usize = 100_000;

/// Dumps every interface address (IPv4 then IPv6, as the kernel orders
/// them) from the running kernel.
pub fn read_addresses() -> io::Result<Vec<IfAddress>> {
    let fd = rustix::net::socket(AddressFamily::NETLINK, SocketType::RAW, None)?;
    let kernel = SocketAddrNetlink::new(0, 0);
    rustix::net::bind(&fd, &SocketAddrNetlink::new(0, 0))?;
    rustix::net::sendto(&fd, &dump_request(1), SendFlags::empty(), &kernel)?;
    let mut buf = vec![0u8; 32 * 1024];
    let mut addresses = Vec::new();
    for _ in 0..MAX_DATAGRAMS {
        let (n, _) = rustix::net::recv(&fd, &mut buf[..], RecvFlags::empty())?;
        if n == 0 {
            break;
        }
        let chunk = parse_dump(buf.get(..n).unwrap_or_default());
        addresses.extend(chunk.addresses);
        if let Some(errno) = chunk.error {
            return Err(io::Error::from_raw_os_error(errno.saturating_neg()));
        }
        if chunk.done {
            break;
        }
    }
    Ok(addresses)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attr(kind: u16, data: &[u8]) -> Vec<u8> {
        let mut a = Vec::new();
        a.extend_from_slice(&((4 + data.len()) as u16).to_ne_bytes());
        a.extend_from_slice(&kind.to_ne_bytes());
        a.extend_from_slice(data);
        while a.len() % 4 != 0 {
            a.push(0);
        }
        a
    }

    fn message(kind: u16, payload: &[u8]) -> Vec<u8> {
        let mut m = Vec::new();
        m.extend_from_slice(&((NLMSG_HDRLEN + payload.len()) as u32).to_ne_bytes());
        m.extend_from_slice(&kind.to_ne_bytes());
        m.extend_from_slice(&[0u8; 10]);
        m.extend_from_slice(payload);
        while m.len() % 4 != 0 {
            m.push(0);
        }
        m
    }

    fn ifaddr(family: u8, prefix: u8, scope: u8, index: u32, attrs: &[Vec<u8>]) -> Vec<u8> {
        let mut p = vec![family, prefix, 0x80, scope];
        p.extend_from_slice(&index.to_ne_bytes());
        for a in attrs {
            p.extend_from_slice(a);
        }
        p
    }

    #[test]
    fn parses_v4_and_v6() {
        let mut buf = message(
            RTM_NEWADDR,
            &ifaddr(
                AF_INET,
                24,
                0,
                2,
                &[
                    attr(IFA_ADDRESS, &[10, 0, 0, 9]),
                    attr(IFA_LOCAL, &[192, 168, 1, 5]),
                    attr(IFA_LABEL, b"eth0:1\0"),
                ],
            ),
        );
        let v6: [u8; 16] = "fe80::1".parse::<Ipv6Addr>().unwrap().octets();
        buf.extend(message(
            RTM_NEWADDR,
            &ifaddr(
                AF_INET6,
                64,
                253,
                2,
                &[
                    attr(IFA_ADDRESS, &v6),
                    attr(IFA_FLAGS, &0x100u32.to_ne_bytes()),
                ],
            ),
        ));
        buf.extend(message(99, &[1, 2, 3]));
        let chunk = parse_dump(&buf);
        assert!(!chunk.done);
        assert_eq!(chunk.addresses.len(), 2);
        let a = &chunk.addresses[0];
        assert_eq!(a.address, IpAddr::V4(Ipv4Addr::new(192, 168, 1, 5)));
        assert_eq!((a.prefix_len, a.index, a.flags), (24, 2, 0x80));
        assert_eq!(a.label.as_deref(), Some("eth0:1"));
        let b = &chunk.addresses[1];
        assert_eq!(b.address, IpAddr::V6("fe80::1".parse().unwrap()));
        assert_eq!((b.scope, b.flags, b.label.as_ref()), (253, 0x100, None));
        let done = parse_dump(&message(NLMSG_DONE, &[0, 0, 0, 0]));
        assert!(done.done);
        let err = parse_dump(&message(NLMSG_ERROR, &(-13i32).to_ne_bytes()));
        assert_eq!(err.error, Some(-13));
    }

    #[test]
    fn truncated_and_garbage() {
        assert_eq!(parse_dump(&[]), DumpChunk::default());
        assert_eq!(parse_dump(&[0xff; 7]), DumpChunk::default());
        let mut m = message(
            RTM_NEWADDR,
            &ifaddr(AF_INET, 8, 0, 1, &[attr(IFA_ADDRESS, &[1, 2, 3, 4])]),
        );
        m.truncate(m.len() - 2);
        assert!(parse_dump(&m).addresses.is_empty());
        // An attribute claiming more than the payload, and no address.
        let mut bad = ifaddr(AF_INET, 8, 0, 1, &[]);
        bad.extend_from_slice(&200u16.to_ne_bytes());
        bad.extend_from_slice(&IFA_ADDRESS.to_ne_bytes());
        assert!(parse_dump(&message(RTM_NEWADDR, &bad)).addresses.is_empty());
        // A message of length 0 stops the walk instead of looping.
        let mut zero = vec![0u8; 16];
        zero[4] = 20;
        assert!(parse_dump(&zero).addresses.is_empty());
        assert_eq!(dump_request(7).len(), 24);
    }

    #[test]
    fn real_system() {
        let Ok(addrs) = read_addresses() else { return };
        assert!(addrs.iter().all(|a| a.prefix_len <= 128));
        // Every IPv6 address the kernel lists in procfs is in the dump.
        let root = std::path::Path::new("/");
        for a in crate::sys::net::read_if_inet6(root).unwrap_or_default() {
            assert!(
                addrs
                    .iter()
                    .any(|b| b.address == IpAddr::V6(a.address) && b.index == a.index),
                "{a:?} missing from {addrs:?}"
            );
        }
    }
}
