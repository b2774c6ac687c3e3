//! The host end of the probe port: a plain line channel to programs the
//! agent started in the guest, independent of the agent.
//!
//! While the guest's filesystems are frozen the agent refuses almost every
//! command, so a program started before the freeze is told through this
//! port when to act, and reports back through it what it did.

use std::io::{ErrorKind, Read, Write};
use std::os::unix::net::UnixStream;
use std::path::Path;
use std::thread;
use std::time::{Duration, Instant};

/// Longest line accepted from the guest.
const MAX_LINE: usize = 4096;

/// A connection to qemu's socket for the probe port.
#[derive(Debug)]
pub struct ProbePort {
    stream: UnixStream,
    buf: Vec<u8>,
}

impl ProbePort {
    /// Connects, retrying until the socket exists or `deadline`.
    pub fn connect(path: &Path, deadline: Instant) -> Result<Self, String> {
        loop {
            match UnixStream::connect(path) {
                Ok(stream) => return Ok(Self::from_stream(stream)),
                Err(e) if Instant::now() >= deadline => {
                    return Err(format!("connecting to {}: {e}", path.display()))
                }
                Err(_) => thread::sleep(Duration::from_millis(50)),
            }
        }
    }

    /// Wraps an already connected stream (for tests).
    pub fn from_stream(stream: UnixStream) -> Self {
        Self {
            stream,
            buf: Vec::new(),
        }
    }

    /// Sends one line (a newline is appended).
    pub fn send_line(&mut self, line: &str) -> Result<(), String> {
        self.stream
            .set_write_timeout(Some(Duration::from_secs(10)))
            .map_err(|e| e.to_string())?;
        self.stream
            .write_all(format!("{line}\n").as_bytes())
            .map_err(|e| format!("writing to the probe port: {e}"))
    }

    /// The next line, without its newline; `Ok(None)` when none is
    /// complete by `deadline`.
    pub fn read_line(&mut self, deadline: Instant) -> Result<Option<String>, String> {
        loop {
            if let Some(nl) = self.buf.iter().position(|&b| b == b'\n') {
                let line: Vec<u8> = self.buf.drain(..=nl).collect();
                let text = String::from_utf8_lossy(&line);
                return Ok(Some(text.trim_end_matches(['\n', '\r']).to_owned()));
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Ok(None);
            }
            self.stream
                .set_read_timeout(Some(left))
                .map_err(|e| e.to_string())?;
            let mut chunk = [0u8; 512];
            match self.stream.read(&mut chunk) {
                Ok(0) => return Err("the probe port was closed".to_owned()),
                Ok(n) => {
                    self.buf
                        .extend_from_slice(chunk.get(..n).unwrap_or_default());
                    if self.buf.len() > MAX_LINE {
                        return Err(format!("probe line longer than {MAX_LINE} bytes"));
                    }
                }
                Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                    return Ok(None)
                }
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                Err(e) => return Err(format!("reading the probe port: {e}")),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn soon() -> Instant {
        Instant::now() + Duration::from_secs(5)
    }

    #[test]
    fn lines_both_ways() {
        let (a, mut guest) = UnixStream::pair().expect("socketpair");
        let mut probe = ProbePort::from_stream(a);
        probe.send_line("go").expect("send");
        let mut got = [0u8; 3];
        guest.read_exact(&mut got).expect("read");
        assert_eq!(&got, b"go\n");

        let quick = Instant::now() + Duration::from_millis(50);
        assert_eq!(probe.read_line(quick).expect("quiet"), None);
        guest.write_all(b"writ").expect("w");
        assert_eq!(probe.read_line(quick).expect("partial"), None);
        guest.write_all(b"ten\r\nsecond\n").expect("w");
        assert_eq!(
            probe.read_line(soon()).expect("line").as_deref(),
            Some("written")
        );
        assert_eq!(
            probe.read_line(soon()).expect("line").as_deref(),
            Some("second")
        );
        drop(guest);
        assert!(probe.read_line(soon()).is_err());
    }

    #[test]
    fn overlong_lines_are_refused() {
        let (a, mut guest) = UnixStream::pair().expect("socketpair");
        let mut probe = ProbePort::from_stream(a);
        guest.write_all(&[b'x'; MAX_LINE + 1]).expect("w");
        assert!(probe.read_line(soon()).is_err());
    }

    #[test]
    fn connect_gives_up_at_the_deadline() {
        let missing = Path::new("/nonexistent/probe.sock");
        let e = ProbePort::connect(missing, Instant::now()).unwrap_err();
        assert!(e.contains("/nonexistent/probe.sock"), "{e}");
    }
}
