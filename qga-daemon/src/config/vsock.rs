//! The `<cid>:<port>` address of the vsock-listen method.

use super::ConfigError;
use std::fmt;

/// A vsock address: context id and port.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct VsockAddress {
    /// The context id (`4294967295`, i.e. `VMADDR_CID_ANY`, listens on all).
    pub cid: u32,
    /// The port.
    pub port: u32,
}

impl fmt::Display for VsockAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.cid, self.port)
    }
}

/// At most this many bytes are read for each of the CID and the port.
const FIELD_MAX: usize = 32;

impl VsockAddress {
    /// Parses `<cid>:<port>` with QEMU's rules and messages: each part is
    /// at most 32 bytes, the port ends at the end or at a `,` (which is
    /// then "trailing characters"), and each number is decimal, optionally
    /// preceded by whitespace and `+`, and fits in 32 bits.
    pub fn parse(text: &str) -> Result<Self, ConfigError> {
        let bad = || ConfigError::VsockAddress(text.to_owned());
        let colon = text.find(':').ok_or_else(bad)?;
        let cid = text.get(..colon).unwrap_or_default();
        if cid.is_empty() || cid.len() > FIELD_MAX {
            return Err(bad());
        }
        let rest = text.get(colon + 1..).unwrap_or_default();
        let port_end = rest.find(',').unwrap_or(rest.len()).min(FIELD_MAX);
        // Never split a character: back off to a boundary.
        let port_end = (0..=port_end)
            .rev()
            .find(|&i| rest.is_char_boundary(i))
            .unwrap_or(0);
        let (port, trailing) = rest.split_at(port_end);
        if port.is_empty() {
            return Err(bad());
        }
        if !trailing.is_empty() {
            return Err(ConfigError::VsockTrailing(text.to_owned()));
        }
        let cid_value = parse_u32(cid).ok_or_else(|| ConfigError::VsockCid(cid.to_owned()))?;
        let port_value = parse_u32(port).ok_or_else(|| ConfigError::VsockPort(port.to_owned()))?;
        Ok(VsockAddress {
            cid: cid_value,
            port: port_value,
        })
    }
}

/// `strtoul`-style decimal: leading whitespace, an optional `+`, digits,
/// nothing after, and no more than `u32::MAX`.
fn parse_u32(text: &str) -> Option<u32> {
    let text = text.trim_start_matches([' ', '\t', '\n', '\x0b', '\x0c', '\r']);
    let digits = text.strip_prefix('+').unwrap_or(text);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn msg(text: &str) -> String {
        VsockAddress::parse(text).unwrap_err().to_string()
    }

    #[test]
    fn valid_addresses() {
        let ok = |t| VsockAddress::parse(t).unwrap();
        assert_eq!(ok("3:5555"), VsockAddress { cid: 3, port: 5555 });
        assert_eq!(
            ok("4294967295:4294967295"),
            VsockAddress {
                cid: u32::MAX,
                port: u32::MAX
            }
        );
        assert_eq!(ok(" 1:5"), VsockAddress { cid: 1, port: 5 });
        assert_eq!(ok("+1:+5"), VsockAddress { cid: 1, port: 5 });
        assert_eq!(ok("1: 5"), VsockAddress { cid: 1, port: 5 });
        assert_eq!(ok("007:8"), VsockAddress { cid: 7, port: 8 });
        assert_eq!(ok("7:8").to_string(), "7:8");
    }

    #[test]
    fn shape_errors() {
        for t in [
            "bogus",
            "",
            "1:",
            ":5",
            "123456789012345678901234567890123:5",
        ] {
            assert_eq!(msg(t), format!("error parsing address '{t}'"));
        }
        for t in [
            "1:5,x",
            "1:5,",
            "1:x,y",
            "1:123456789012345678901234567890123",
        ] {
            assert_eq!(msg(t), format!("trailing characters in address '{t}'"));
        }
    }

    #[test]
    fn number_errors() {
        assert_eq!(msg("0x10:5"), "Failed to parse cid '0x10'");
        assert_eq!(msg("-1:5"), "Failed to parse cid '-1'");
        assert_eq!(msg("4294967296:1"), "Failed to parse cid '4294967296'");
        assert_eq!(msg("a,b:5"), "Failed to parse cid 'a,b'");
        assert_eq!(
            msg("12345678901234567890123456789012:5"),
            "Failed to parse cid '12345678901234567890123456789012'"
        );
        assert_eq!(msg("1:x"), "Failed to parse port 'x'");
        assert_eq!(msg("1:5 "), "Failed to parse port '5 '");
        assert_eq!(msg("1:-5"), "Failed to parse port '-5'");
        assert_eq!(msg("1:2:3"), "Failed to parse port '2:3'");
        assert_eq!(msg("1:4294967296"), "Failed to parse port '4294967296'");
    }

    #[test]
    fn multibyte_port_does_not_panic() {
        let text = format!("1:{}", "é".repeat(20));
        assert!(VsockAddress::parse(&text).is_err());
    }
}
