//! The channels the agent talks over (`-m`), and running them.
//!
//! [`open`] turns a checked [`Channel`] into an [`Opened`] channel (socket
//! bound, port open): the agent does this before it reports itself ready.
//! [`Opened::serve`] then serves it until the shutdown is requested:
//!
//! - `unix-listen` ([`unix_listen`]) and `vsock-listen` ([`vsock_listen`]):
//!   [`server::listener`], each client with its own reader;
//! - `virtio-serial` ([`virtio_serial`]) and `isa-serial` ([`isa_serial`]):
//!   [`server::serial`], one reader for the life of the agent.
//!
//! With `-r` ([`Retry`]), a serial port that cannot be opened, or fails
//! while served, is opened again every 5 seconds, with qemu-ga's warnings
//! (`agent stopped unexpectedly, restarting...`, `waiting for channel
//! path...`); the reader state is kept.

pub mod isa_serial;
pub mod unix_listen;
pub mod virtio_serial;
pub mod vsock_listen;

use crate::config::Channel;
use crate::log::{self, strerror};
use crate::server::{self, CodecFactory, Handler, Shutdown};
use std::fs::File;
use std::io;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use thiserror::Error;
use unix_listen::UnixSocket;

/// How qemu-ga waits between attempts to open a channel with `-r`.
pub const RETRY_INTERVAL: Duration = Duration::from_secs(5);

/// Logged after an open failure, as qemu-ga does.
pub const CREATE_FAILED: &str = "failed to create guest agent channel";
/// Logged after [`CREATE_FAILED`], as qemu-ga does.
pub const INIT_FAILED: &str = "failed to initialize guest agent channel";

/// A channel that cannot be opened or served. `Display` gives qemu-ga's
/// message where it has one.
#[derive(Debug, Error)]
pub enum TransportError {
    /// A serial port could not be opened or set up.
    #[error("error opening channel '{path}': {}", strerror(source))]
    Open {
        /// The port.
        path: String,
        /// Why.
        source: io::Error,
    },
    /// A unix socket could not be bound.
    #[error("Failed to bind socket to {path}: {}", strerror(source))]
    Bind {
        /// The socket path.
        path: String,
        /// Why.
        source: io::Error,
    },
    /// Something other than a socket is at the unix socket path.
    #[error(
        "Failed to bind socket to {path}: the path exists and is not a socket (not removing it)"
    )]
    NotASocket {
        /// The socket path.
        path: String,
    },
    /// A vsock socket could not be bound or listened on.
    #[error("Failed to listen on vsock address {address}: {}", strerror(source))]
    Vsock {
        /// `<cid>:<port>`.
        address: String,
        /// Why.
        source: io::Error,
    },
    /// The channel failed while being served.
    #[error("error reading channel: {}", strerror(.0))]
    Serve(io::Error),
}

/// Whether and how often to retry a serial port (`-r`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retry {
    /// Retry at all.
    pub enabled: bool,
    /// The pause between attempts.
    pub interval: Duration,
}

impl Retry {
    /// `-r` given or not, with qemu-ga's interval.
    pub fn new(enabled: bool) -> Self {
        Retry {
            enabled,
            interval: RETRY_INTERVAL,
        }
    }
}

/// The kind of serial port, which decides how it is opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SerialKind {
    /// A virtio-serial port.
    Virtio,
    /// A UART, set to raw mode.
    Isa,
}

/// An open serial port, with what it takes to open it again.
#[derive(Debug)]
pub struct SerialPort {
    /// How to open it.
    pub kind: SerialKind,
    /// Where it is.
    pub path: PathBuf,
    /// The open port (non-blocking).
    pub file: File,
}

impl SerialPort {
    /// Opens the port of `kind` at `path`.
    pub fn open(kind: SerialKind, path: PathBuf) -> Result<Self, TransportError> {
        let file = match kind {
            SerialKind::Virtio => virtio_serial::open(&path)?,
            SerialKind::Isa => isa_serial::open(&path)?,
        };
        Ok(SerialPort { kind, path, file })
    }
}

/// An opened channel, ready to serve.
#[derive(Debug)]
pub enum Opened {
    /// A listening unix socket.
    Unix(UnixSocket),
    /// A listening vsock socket.
    Vsock(vsock::VsockListener),
    /// A serial port.
    Serial(SerialPort),
}

/// Opens `channel` once.
pub fn open(channel: &Channel) -> Result<Opened, TransportError> {
    Ok(match channel {
        Channel::UnixListen(path) => Opened::Unix(UnixSocket::bind(path)?),
        Channel::VsockListen(address) => Opened::Vsock(vsock_listen::bind(*address)?),
        Channel::VirtioSerial(path) => {
            Opened::Serial(SerialPort::open(SerialKind::Virtio, path.into())?)
        }
        Channel::IsaSerial(path) => Opened::Serial(SerialPort::open(SerialKind::Isa, path.into())?),
    })
}

/// Logs qemu-ga's retry warnings and waits; returns whether to go on.
fn wait_to_retry(retry: Retry, shutdown: &Shutdown) -> bool {
    log::warning("agent stopped unexpectedly, restarting...");
    log::warning("waiting for channel path...");
    !shutdown.wait(retry.interval)
}

/// Opens `channel`, retrying a serial port every `retry.interval` while
/// `retry.enabled`. `Ok(None)`: the shutdown came first.
pub fn open_with_retry(
    channel: &Channel,
    retry: Retry,
    shutdown: &Shutdown,
) -> Result<Option<Opened>, TransportError> {
    let serial = matches!(channel, Channel::VirtioSerial(_) | Channel::IsaSerial(_));
    loop {
        match open(channel) {
            Ok(opened) => return Ok(Some(opened)),
            Err(e) if serial && retry.enabled => {
                log::critical(&e);
                log::critical(CREATE_FAILED);
                log::critical(INIT_FAILED);
                if !wait_to_retry(retry, shutdown) {
                    return Ok(None);
                }
            }
            Err(e) => return Err(e),
        }
    }
}

impl Opened {
    /// Serves the channel until the shutdown is requested. `codecs` makes
    /// the reader of each socket client, or the one reader of a serial
    /// port. A serial port that fails is reopened if `retry.enabled`.
    pub fn serve(
        self,
        codecs: Arc<CodecFactory>,
        handler: Arc<dyn Handler>,
        shutdown: &Shutdown,
        retry: Retry,
    ) -> Result<(), TransportError> {
        let max = server::listener::MAX_CONNECTIONS;
        match self {
            Opened::Unix(socket) => {
                server::listener::serve(socket.listener(), codecs, handler, shutdown, max)
                    .map_err(TransportError::Serve)
            }
            Opened::Vsock(listener) => {
                server::listener::serve(&listener, codecs, handler, shutdown, max)
                    .map_err(TransportError::Serve)
            }
            Opened::Serial(port) => serve_serial(port, codecs, handler, shutdown, retry),
        }
    }
}

fn serve_serial(
    mut port: SerialPort,
    codecs: Arc<CodecFactory>,
    handler: Arc<dyn Handler>,
    shutdown: &Shutdown,
    retry: Retry,
) -> Result<(), TransportError> {
    let mut codec = codecs();
    loop {
        let result =
            server::serial::serve(&mut port.file, codec.as_mut(), handler.as_ref(), shutdown);
        let error = match result {
            Ok(()) => return Ok(()),
            Err(e) => TransportError::Serve(e),
        };
        if !retry.enabled {
            return Err(error);
        }
        log::critical(&error);
        loop {
            if !wait_to_retry(retry, shutdown) {
                return Ok(());
            }
            match SerialPort::open(port.kind, port.path.clone()) {
                Ok(reopened) => {
                    port = reopened;
                    break;
                }
                Err(e) => log::critical(&e),
            }
        }
    }
}

#[cfg(test)]
mod tests;
