//! Serving requests over a channel: the seam between the transports and
//! the command layer.
//!
//! - [`Handler`]: what the command layer implements: a request (a JSON
//!   value) in, a [`Reply`] (or none) out. A reply is serialised in full,
//!   but for a large base64 member, which is encoded as it is written.
//! - [`Codec`]: the stream reader for one channel: bytes in, requests and
//!   ready-made error replies ([`Inbound`]) out. The protocol's
//!   [`Reader`](crate::protocol::Reader) is the real one
//!   ([`protocol_codecs`]).
//! - [`connection::serve`]: the loop over one byte stream: read, decode,
//!   dispatch, write each reply with one `write`.
//! - [`listener::serve`]: the socket transports: accept clients, one
//!   thread each, up to [`listener::MAX_CONNECTIONS`] at once.
//! - [`serial::serve`]: the serial transports: one port, whose reader
//!   state survives the host closing and reopening it.
//! - [`Shutdown`]: the request to stop, which every loop waits on.
//!
//! # Concurrency
//!
//! qemu-ga serves one client at a time and shares one parser between all
//! of them, so a client inherits whatever the previous one left half-sent,
//! and a slow command blocks everybody. We serve socket clients
//! concurrently instead, each with its own reader, on its own thread: a
//! client cannot stall or corrupt another's stream. The number of clients
//! served at once is capped; further connections wait in the listen
//! backlog, as they would with qemu-ga. Commands therefore run
//! concurrently too: a [`Handler`] must be [`Sync`].
//!
//! A serial port is a single stream from the host's point of view, so it
//! keeps one reader for as long as the agent runs, like qemu-ga.

mod codec;
pub mod connection;
pub mod listener;
mod reply;
pub mod serial;
mod shutdown;
#[cfg(test)]
pub(crate) mod testing;

pub use codec::protocol_codecs;
pub use reply::Reply;
pub use shutdown::Shutdown;

use serde_json::Value;

/// The command layer: runs one request.
///
/// `handle` is called once per complete request, in order for each
/// client, possibly from several threads at once (one per client). It
/// returns the reply to send, or `None` for requests that get no reply
/// (e.g. `guest-shutdown`).
pub trait Handler: Send + Sync {
    /// Runs `request` (any JSON value: envelope checks are the handler's).
    fn handle(&self, request: Value) -> Option<Reply>;
}

impl<F> Handler for F
where
    F: Fn(Value) -> Option<Reply> + Send + Sync,
{
    fn handle(&self, request: Value) -> Option<Reply> {
        self(request)
    }
}

/// What a [`Codec`] makes of the input.
#[derive(Debug, Clone, PartialEq)]
pub enum Inbound {
    /// A complete request, for the [`Handler`].
    Request(Value),
    /// A reply to send as is: the error for malformed input.
    Reply(Reply),
}

/// The stream reader of one channel. It keeps whatever part of a request
/// it has seen until the rest arrives.
pub trait Codec: Send {
    /// Reads `bytes` (a chunk split anywhere) and appends what it
    /// completes to `out`, in order.
    fn feed(&mut self, bytes: &[u8], out: &mut Vec<Inbound>);
}

/// Makes a fresh [`Codec`] for each new client.
pub type CodecFactory = dyn Fn() -> Box<dyn Codec> + Send + Sync;
