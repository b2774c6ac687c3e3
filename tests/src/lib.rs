//! End-to-end test harness: a guest agent inside a real VM.
//!
//! A Debian kernel boots under qemu (TCG) from an initramfs built here:
//! busybox, the virtio and ext4 drivers, and the agent under test, which
//! listens on the virtio-serial port `org.qemu.guest_agent.0`. The host
//! connects to that port through a unix socket, performs the
//! `guest-sync-delimited` handshake and drives the agent through a fixed
//! scenario ([`run_scenario`]), ending with `guest-shutdown`.
//!
//! The pieces come from `scripts/install-deps.sh` (see [`host`]). When one
//! is missing a test skips with the reason printed, unless
//! `QGA_VM_REQUIRED=1` is set, which turns the skip into a failure.

pub mod agent;
pub mod base64;
pub mod client;
pub mod cpio;
pub mod host;
pub mod initramfs;
pub mod modules;
pub mod probe;
pub mod record;
pub mod scenario;
pub mod shape;
mod steps;
pub mod vm;
pub mod workdir;

pub use agent::AgentSpec;
pub use scenario::{run_scenario, ScenarioResult};
