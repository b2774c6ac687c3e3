//! `-m virtio-serial`: a virtio-serial port such as
//! `/dev/virtio-ports/org.qemu.guest_agent.0`.
//!
//! The port is opened read-write and non-blocking, as qemu-ga opens it
//! (without its `O_ASYNC`: nothing here uses `SIGIO`). The port exists for
//! as long as the device does; the host attaching and detaching only
//! shows as `POLLHUP` and empty reads, handled by [`crate::server::serial`].

use super::TransportError;
use std::fs::{File, OpenOptions};
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

/// Opens the port at `path`.
pub fn open(path: &Path) -> Result<File, TransportError> {
    OpenOptions::new()
        .read(true)
        .write(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
        .map_err(|source| TransportError::Open {
            path: path.display().to_string(),
            source,
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_device_message() {
        let err = open(Path::new("/nonexistent/org.qemu.guest_agent.0")).unwrap_err();
        assert_eq!(
            err.to_string(),
            "error opening channel '/nonexistent/org.qemu.guest_agent.0': No such file or directory"
        );
    }
}
