//! A drop-in replacement for the QEMU guest agent.
//!
//! - [`protocol`]: qemu-ga's wire protocol: the streaming JSON reader (QEMU's
//!   JSON dialect and limits), the request envelope, the reply writer.
//! - [`config`]: qemu-ga's command line and configuration file.

pub mod config;
pub mod protocol;
