//! Serving the clients of a listening socket, one thread each.
//!
//! Each accepted client gets a thread and a fresh [`Codec`](super::Codec), and is served
//! by [`connection::serve`] until it goes away. At most
//! [`MAX_CONNECTIONS`] clients are served at once: past that, the loop
//! stops accepting, and new clients wait in the kernel's listen backlog
//! until a slot frees up. On shutdown the loop stops accepting and gives
//! the clients' threads [`DRAIN_TIMEOUT`] to finish.

use super::{connection, CodecFactory, Handler, Shutdown};
use crate::log;
use nix::errno::Errno;
use nix::poll::{poll, PollFd, PollFlags, PollTimeout};
use std::io::{self, Read, Write};
use std::os::fd::AsFd;
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

/// Clients served at once.
pub const MAX_CONNECTIONS: usize = 64;
/// How long a shutdown waits for the clients' threads.
pub const DRAIN_TIMEOUT: Duration = Duration::from_secs(2);
/// How often a full server checks for shutdown while waiting for a slot.
const SLOT_POLL: Duration = Duration::from_millis(100);

/// A listening socket in non-blocking mode.
pub trait Listener: AsFd {
    /// The accepted connections.
    type Stream: Read + Write + AsFd + Send + 'static;

    /// Accepts one client, returning its stream in non-blocking mode.
    /// `WouldBlock` means nobody is waiting after all.
    fn accept_client(&self) -> io::Result<Self::Stream>;
}

impl Listener for std::os::unix::net::UnixListener {
    type Stream = std::os::unix::net::UnixStream;

    fn accept_client(&self) -> io::Result<Self::Stream> {
        let (stream, _) = self.accept()?;
        stream.set_nonblocking(true)?;
        Ok(stream)
    }
}

impl Listener for vsock::VsockListener {
    type Stream = vsock::VsockStream;

    fn accept_client(&self) -> io::Result<Self::Stream> {
        let (stream, _) = self.accept()?;
        stream.set_nonblocking(true)?;
        Ok(stream)
    }
}

/// The number of clients being served, with a way to wait for changes.
#[derive(Default)]
struct Slots {
    active: Mutex<usize>,
    changed: Condvar,
}

impl Slots {
    fn count(&self) -> usize {
        *self.active.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Waits up to `timeout` for fewer than `limit` active clients.
    fn wait_below(&self, limit: usize, timeout: Duration) -> bool {
        let guard = self.active.lock().unwrap_or_else(|p| p.into_inner());
        let (guard, _) = self
            .changed
            .wait_timeout_while(guard, timeout, |active| *active >= limit)
            .unwrap_or_else(|p| p.into_inner());
        *guard < limit
    }

    fn acquire(self: &Arc<Self>) -> SlotGuard {
        *self.active.lock().unwrap_or_else(|p| p.into_inner()) += 1;
        SlotGuard(self.clone())
    }
}

/// Frees its slot when the client's thread ends, even by panicking.
struct SlotGuard(Arc<Slots>);

impl Drop for SlotGuard {
    fn drop(&mut self) {
        let mut active = self.0.active.lock().unwrap_or_else(|p| p.into_inner());
        *active = active.saturating_sub(1);
        self.0.changed.notify_all();
    }
}

/// Waits until the listener has a client or the shutdown is requested;
/// returns whether to go on.
fn wait_for_client<L: AsFd>(listener: &L, shutdown: &Shutdown) -> io::Result<bool> {
    loop {
        let mut fds = [
            PollFd::new(listener.as_fd(), PollFlags::POLLIN),
            PollFd::new(shutdown.fd(), PollFlags::POLLIN),
        ];
        match poll(&mut fds, PollTimeout::NONE) {
            Ok(_) => {}
            Err(Errno::EINTR) => continue,
            Err(e) => return Err(e.into()),
        }
        if shutdown.is_requested() {
            return Ok(false);
        }
        let [listen_fd, _] = fds;
        if listen_fd.revents().is_some_and(|r| !r.is_empty()) {
            return Ok(true);
        }
    }
}

/// Accepts and serves clients until the shutdown is requested, with at
/// most `max_connections` (at least 1) served at once. Returns an error
/// only if the listening socket itself fails.
pub fn serve<L: Listener>(
    listener: &L,
    codecs: Arc<CodecFactory>,
    handler: Arc<dyn Handler>,
    shutdown: &Shutdown,
    max_connections: usize,
) -> io::Result<()> {
    let limit = max_connections.max(1);
    let slots = Arc::new(Slots::default());
    let result = 'accept: loop {
        while !slots.wait_below(limit, SLOT_POLL) {
            if shutdown.is_requested() {
                break 'accept Ok(());
            }
        }
        match wait_for_client(listener, shutdown) {
            Ok(true) => {}
            Ok(false) => break Ok(()),
            Err(e) => break Err(e),
        }
        let mut stream = match listener.accept_client() {
            Ok(stream) => stream,
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock
                        | io::ErrorKind::Interrupted
                        | io::ErrorKind::ConnectionAborted
                ) =>
            {
                continue
            }
            Err(e) => {
                // Out of descriptors or memory: wait a little, as the
                // condition may pass, and do not spin.
                log::warning(format_args!(
                    "error accepting connection: {}",
                    log::strerror(&e)
                ));
                if shutdown.wait(SLOT_POLL) {
                    break Ok(());
                }
                continue;
            }
        };
        let guard = slots.acquire();
        let codecs = codecs.clone();
        let handler = handler.clone();
        let client_shutdown = shutdown.clone();
        let spawned = std::thread::Builder::new()
            .name("qga-client".to_owned())
            .spawn(move || {
                let _guard = guard;
                let mut codec = codecs();
                let end = connection::serve(
                    &mut stream,
                    codec.as_mut(),
                    handler.as_ref(),
                    &client_shutdown,
                );
                if let connection::End::Failed(e) = end {
                    log::warning(format_args!("error reading channel: {}", log::strerror(&e)));
                }
            });
        if let Err(e) = spawned {
            log::warning(format_args!(
                "error setting up connection: {}",
                log::strerror(&e)
            ));
        }
    };
    drain(&slots);
    result
}

/// Gives the clients' threads [`DRAIN_TIMEOUT`] to notice the shutdown.
fn drain(slots: &Slots) {
    let deadline = Instant::now() + DRAIN_TIMEOUT;
    while slots.count() > 0 {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() || slots.wait_below(1, left) {
            break;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::testing::{echo_handler, LineCodec};
    use crate::server::Codec;
    use std::io::{BufRead, BufReader};
    use std::os::unix::net::{UnixListener, UnixStream};

    fn start(
        max: usize,
    ) -> (
        tempfile::TempDir,
        std::path::PathBuf,
        Shutdown,
        std::thread::JoinHandle<io::Result<()>>,
    ) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sock");
        let listener = UnixListener::bind(&path).unwrap();
        listener.set_nonblocking(true).unwrap();
        let shutdown = Shutdown::new().unwrap();
        let thread_shutdown = shutdown.clone();
        let codecs: Arc<CodecFactory> =
            Arc::new(|| Box::new(LineCodec::default()) as Box<dyn Codec>);
        let server = std::thread::spawn(move || {
            serve(
                &listener,
                codecs,
                Arc::new(echo_handler),
                &thread_shutdown,
                max,
            )
        });
        (dir, path, shutdown, server)
    }

    fn ask(stream: &mut UnixStream, name: &str) -> String {
        stream
            .write_all(format!("{{\"execute\":\"{name}\"}}\n").as_bytes())
            .unwrap();
        let mut line = String::new();
        BufReader::new(stream).read_line(&mut line).unwrap();
        line
    }

    #[test]
    fn clients_are_served_concurrently() {
        let (_dir, path, shutdown, server) = start(MAX_CONNECTIONS);
        let mut first = UnixStream::connect(&path).unwrap();
        first.write_all(b"{\"execute\":").unwrap();
        // The second client is served while the first is mid-request.
        let mut second = UnixStream::connect(&path).unwrap();
        assert_eq!(ask(&mut second, "b"), "{\"return\":\"b\"}\n");
        first.write_all(b"\"a\"}\n").unwrap();
        let mut line = String::new();
        BufReader::new(&mut first).read_line(&mut line).unwrap();
        assert_eq!(line, "{\"return\":\"a\"}\n");
        shutdown.request();
        server.join().unwrap().unwrap();
    }

    #[test]
    fn clients_beyond_the_cap_wait_for_a_slot() {
        let (_dir, path, shutdown, server) = start(1);
        let mut first = UnixStream::connect(&path).unwrap();
        assert_eq!(ask(&mut first, "a"), "{\"return\":\"a\"}\n");
        let mut second = UnixStream::connect(&path).unwrap();
        second.write_all(b"{\"execute\":\"b\"}\n").unwrap();
        second
            .set_read_timeout(Some(Duration::from_millis(200)))
            .unwrap();
        let mut byte = [0u8; 1];
        assert!(second.read(&mut byte).is_err(), "served beyond the cap");
        drop(first);
        second.set_read_timeout(None).unwrap();
        let mut line = String::new();
        BufReader::new(&mut second).read_line(&mut line).unwrap();
        assert_eq!(line, "{\"return\":\"b\"}\n");
        shutdown.request();
        server.join().unwrap().unwrap();
    }

    #[test]
    fn shutdown_ends_connected_clients() {
        let (_dir, path, shutdown, server) = start(4);
        let mut client = UnixStream::connect(&path).unwrap();
        assert_eq!(ask(&mut client, "a"), "{\"return\":\"a\"}\n");
        let start = Instant::now();
        shutdown.request();
        server.join().unwrap().unwrap();
        assert!(start.elapsed() < DRAIN_TIMEOUT);
        let mut rest = Vec::new();
        client.read_to_end(&mut rest).unwrap();
        assert!(rest.is_empty());
    }
}
