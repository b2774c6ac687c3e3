//! Serving a serial port (virtio-serial or a UART).
//!
//! The port stays open while the host connects and disconnects. When no
//! host is attached, a virtio-serial port (or a pty whose other side is
//! closed) reports `POLLHUP` continuously and reads give 0 bytes or `EIO`;
//! polling it again at once would spin. qemu-ga sleeps 100 ms each time;
//! so do we ([`HANGUP_BACKOFF`]), waking early for a shutdown. The reader
//! state is kept across these gaps, as qemu-ga keeps it.

use super::connection::{self, End};
use super::{Codec, Handler, Shutdown};
use crate::log;
use std::io::{self, Read, Write};
use std::os::fd::AsFd;
use std::time::Duration;

/// The pause after the port reports that no host is attached.
pub const HANGUP_BACKOFF: Duration = Duration::from_millis(100);

/// Serves `port` (non-blocking) until the shutdown is requested (`Ok`) or
/// the port fails with an error other than the host going away (`Err`).
pub fn serve<P: Read + Write + AsFd>(
    port: &mut P,
    codec: &mut dyn Codec,
    handler: &dyn Handler,
    shutdown: &Shutdown,
) -> io::Result<()> {
    loop {
        match connection::serve(port, codec, handler, shutdown) {
            End::Shutdown => return Ok(()),
            End::Eof | End::Hangup => {
                if shutdown.wait(HANGUP_BACKOFF) {
                    return Ok(());
                }
            }
            End::Failed(e) => {
                log::warning("error reading channel");
                return Err(e);
            }
        }
    }
}
