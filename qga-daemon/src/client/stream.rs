//! The connection to the agent: a unix or vsock stream with timeouts.

use super::address::Address;
use rustix::net::{AddressFamily, SocketAddrUnix, SocketFlags, SocketType};
use std::io::{self, Read, Write};
use std::os::unix::net::UnixStream;
use std::path::Path;
use std::time::Duration;
use vsock::VsockStream;

/// A connected stream to an agent.
#[derive(Debug)]
pub enum Stream {
    /// A unix stream socket.
    Unix(UnixStream),
    /// A vsock stream.
    Vsock(VsockStream),
}

impl Stream {
    /// Connects to `address`; every later read and write gives up after
    /// `timeout` (`None`: never).
    ///
    /// A unix connect honours the timeout too (it blocks while the
    /// listener's backlog is full). A vsock connect is bounded by the
    /// kernel's own connect timeout (2 s by default).
    pub fn connect(address: &Address, timeout: Option<Duration>) -> io::Result<Stream> {
        let stream = match address {
            Address::Unix(path) => Stream::Unix(connect_unix(path, timeout)?),
            Address::Vsock(vsock) => {
                Stream::Vsock(VsockStream::connect_with_cid_port(vsock.cid, vsock.port)?)
            }
        };
        stream.set_timeouts(timeout)?;
        Ok(stream)
    }

    fn set_timeouts(&self, timeout: Option<Duration>) -> io::Result<()> {
        match self {
            Stream::Unix(s) => {
                s.set_read_timeout(timeout)?;
                s.set_write_timeout(timeout)
            }
            Stream::Vsock(s) => {
                s.set_read_timeout(timeout)?;
                s.set_write_timeout(timeout)
            }
        }
    }
}

/// `connect(2)` on a new unix stream socket whose send timeout is already
/// set, so that a listener that never accepts cannot hang the connect.
fn connect_unix(path: &Path, timeout: Option<Duration>) -> io::Result<UnixStream> {
    let fd = rustix::net::socket_with(
        AddressFamily::UNIX,
        SocketType::STREAM,
        SocketFlags::CLOEXEC,
        None,
    )?;
    rustix::net::sockopt::set_socket_timeout(&fd, rustix::net::sockopt::Timeout::Send, timeout)?;
    rustix::net::connect(&fd, &SocketAddrUnix::new(path)?)?;
    Ok(UnixStream::from(fd))
}

impl Read for Stream {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Stream::Unix(s) => s.read(buf),
            Stream::Vsock(s) => s.read(buf),
        }
    }
}

impl Write for Stream {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Stream::Unix(s) => s.write(buf),
            Stream::Vsock(s) => s.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Stream::Unix(s) => s.flush(),
            Stream::Vsock(s) => s.flush(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::net::UnixListener;

    #[test]
    fn unix_round_trip_and_read_timeout() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s");
        let listener = UnixListener::bind(&path).unwrap();
        let mut stream = Stream::connect(
            &Address::Unix(path.clone()),
            Some(Duration::from_millis(50)),
        )
        .unwrap();
        let (mut peer, _) = listener.accept().unwrap();
        stream.write_all(b"ping").unwrap();
        let mut got = [0u8; 4];
        peer.read_exact(&mut got).unwrap();
        assert_eq!(&got, b"ping");
        // The peer says nothing: the read gives up instead of blocking.
        let err = stream.read(&mut got).unwrap_err();
        assert!(
            matches!(
                err.kind(),
                io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
            ),
            "{err:?}"
        );
    }

    #[test]
    fn missing_socket() {
        let dir = tempfile::tempdir().unwrap();
        let err = Stream::connect(&Address::Unix(dir.path().join("none")), None).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::NotFound);
    }
}
