//! A drop-in replacement for the QEMU guest agent.
//!
//! - [`agent`]: the command layer: the generated `Commands` trait on top of
//!   the backends, gating (`-b`/`-a`, frozen mode), the request handler.
//! - [`protocol`]: qemu-ga's wire protocol: the streaming JSON reader (QEMU's
//!   JSON dialect and limits), the request envelope, the reply writer.
//! - [`config`]: qemu-ga's command line and configuration file.
//! - [`server`]: the request loop over a channel, and the [`server::Handler`]
//!   seam the command layer implements.
//! - [`transport`]: the four channels (`-m`): unix-listen, vsock-listen,
//!   virtio-serial, isa-serial.
//! - [`state`]: the state directory: file handle counter, frozen marker.
//! - [`daemon`]: daemonizing, the pid file, signals.
//! - [`log`]: qemu-ga's log format and levels.
//! - [`sys`]: readers of the guest's procfs, sysfs and system files, each
//!   taking the filesystem root so that it can be tested on a fake tree.
//! - [`client`]: the logic of `qga-client`, the host-side command-line
//!   client built on the generated `Client`.

pub mod agent;
pub mod backend;
pub mod client;
pub mod config;
pub mod daemon;
pub mod log;
pub mod protocol;
pub mod server;
pub mod state;
pub mod sys;
#[cfg(test)]
pub(crate) mod testing;
pub mod transport;
