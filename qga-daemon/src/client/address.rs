//! Where the agent listens: a unix socket path or a vsock address.

use crate::config::VsockAddress;
use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;

/// The prefix that marks a vsock address.
const VSOCK_PREFIX: &str = "vsock:";

/// The agent's address as given on the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Address {
    /// A unix stream socket: the host end of QEMU's virtio-serial chardev,
    /// or an agent run with `-m unix-listen`.
    Unix(PathBuf),
    /// `vsock:CID:PORT`: an agent run with `-m vsock-listen`.
    Vsock(VsockAddress),
}

impl FromStr for Address {
    type Err = String;

    /// `vsock:CID:PORT` (the numbers read as the agent reads its own
    /// `-p CID:PORT`), otherwise a non-empty path.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        if let Some(vsock) = text.strip_prefix(VSOCK_PREFIX) {
            return VsockAddress::parse(vsock)
                .map(Address::Vsock)
                .map_err(|e| e.to_string());
        }
        if text.is_empty() {
            return Err("the socket path is empty".to_owned());
        }
        Ok(Address::Unix(PathBuf::from(text)))
    }
}

impl fmt::Display for Address {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Address::Unix(path) => write!(f, "{}", path.display()),
            Address::Vsock(vsock) => write!(f, "{VSOCK_PREFIX}{vsock}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_and_vsock() {
        assert_eq!(
            "/run/qga.sock".parse::<Address>(),
            Ok(Address::Unix("/run/qga.sock".into()))
        );
        assert_eq!(
            "vsock:3:1234".parse::<Address>(),
            Ok(Address::Vsock(VsockAddress { cid: 3, port: 1234 }))
        );
        assert_eq!(
            "vsock:3:1234".parse::<Address>().unwrap().to_string(),
            "vsock:3:1234"
        );
        // A relative path that merely contains the word is a path.
        assert_eq!(
            "./vsock:3:1".parse::<Address>(),
            Ok(Address::Unix("./vsock:3:1".into()))
        );
    }

    #[test]
    fn bad_addresses() {
        assert!("".parse::<Address>().is_err());
        assert_eq!(
            "vsock:3".parse::<Address>(),
            Err("error parsing address '3'".to_owned())
        );
        assert!("vsock:x:1".parse::<Address>().is_err());
        assert!("vsock:3:99999999999".parse::<Address>().is_err());
    }
}
