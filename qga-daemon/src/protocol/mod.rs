//! qemu-ga's wire protocol, without any I/O of its own.
//!
//! - [`Reader`]: a streaming reader of QEMU's JSON dialect. Bytes go in, in
//!   chunks split anywhere; complete values and errors ([`Event`]) come
//!   out, with QEMU's error texts, limits and recovery.
//! - [`Request`]: the request envelope checks, and the reply builders
//!   ([`success_reply`], [`error_reply`], [`read_error_reply`]).
//! - [`encode_reply`] / [`write_value`]: the serialiser, byte-compatible
//!   with qemu-ga (member order, escaping, `%.17g` doubles);
//!   [`encode_reply_with_hole`] leaves one string to be written later, in
//!   pieces (a large `guest-file-read`).
//! - [`base64`]: base64 as qemu-ga encodes and (leniently) decodes it.
//!
//! A server loop reads the channel, feeds the [`Reader`], turns each event
//! into a [`Request`] or an error reply, runs the command and sends each
//! reply with [`encode_reply`], prefixing 0xFF only for the reply to
//! `guest-sync-delimited`.

pub mod base64;
mod envelope;
mod error;
mod float;
mod lexer;
mod parser;
pub mod qdict;
mod reader;
mod streamer;
mod utf8;
mod writer;

#[cfg(test)]
mod transcript_tests;

pub use envelope::{
    encode_reply, encode_reply_with_hole, error_reply, read_error_reply, success_reply,
    write_reply, EnvelopeError, ErrorClass, Request, SENTINEL,
};
pub use error::ReadError;
pub use float::write_g17;
pub use reader::{Event, Feed, Reader};
pub use writer::{to_vec, write_value, write_value_with_hole};
