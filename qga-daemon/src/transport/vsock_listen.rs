//! `-m vsock-listen`: a listening AF_VSOCK socket at `-p <cid>:<port>`.

use super::TransportError;
use crate::config::VsockAddress;
use vsock::VsockListener;

/// Binds and listens on `address`, in non-blocking mode.
pub fn bind(address: VsockAddress) -> Result<VsockListener, TransportError> {
    let listener =
        VsockListener::bind_with_cid_port(address.cid, address.port).map_err(|source| {
            TransportError::Vsock {
                address: address.to_string(),
                source,
            }
        })?;
    listener
        .set_nonblocking(true)
        .map_err(|source| TransportError::Vsock {
            address: address.to_string(),
            source,
        })?;
    Ok(listener)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn binds_or_reports_why_not() {
        // Machines without a vsock transport cannot bind; the error must
        // then name the address.
        let address = VsockAddress {
            cid: u32::MAX,
            port: 40_000 + std::process::id() % 20_000,
        };
        match bind(address) {
            Ok(listener) => {
                let local = listener.local_addr().unwrap();
                assert_eq!(local.port(), address.port);
            }
            Err(e) => assert!(
                e.to_string()
                    .starts_with(&format!("Failed to listen on vsock address {address}: ")),
                "{e}"
            ),
        }
    }
}
