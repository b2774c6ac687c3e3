//! The command layer: the generated [`Commands`] trait implemented on top
//! of the backends, and the [`Handler`](crate::server::Handler) that runs
//! one request from the wire.
//!
//! A request goes through, in qemu-ga's order:
//!
//! 1. the envelope checks ([`protocol::Request`](crate::protocol::Request));
//! 2. the command lookup in the generated registry
//!    ([`qga_generated::command_info`]): `CommandNotFound`;
//! 3. the [`Gate`]: `-b`/`-a` and frozen mode, *before* the arguments are
//!    looked at: `CommandNotFound`, `Command X has been disabled: ...`;
//! 4. the generated argument decoding and the trait call
//!    ([`qga_generated::execute`]);
//! 5. the reply, with the 0xFF sentinel for a successful
//!    `guest-sync-delimited`, none for a successful `guest-shutdown` or
//!    `guest-suspend-*`.
//!
//! Each trait method (see `commands.rs`) is thin: backend call and error
//! mapping. The commands implemented here are the ones without a backend:
//! `guest-sync`, `guest-sync-delimited`, `guest-ping` and `guest-info`.
//! Every other command answers QAPI's `Unsupported` error until its backend
//! is wired in that one `impl`.
//!
//! [`Commands`]: qga_generated::Commands

mod commands;
mod gate;
mod handler;
mod info;

pub use gate::{Gate, FROZEN_SAFE};
pub use info::agent_info;

use crate::config::Config;
use crate::daemon::Frozen;
use std::sync::Arc;

/// The guest agent's command layer, shared by every client.
#[derive(Debug)]
pub struct Agent {
    gate: Gate,
}

impl Agent {
    /// The agent for `config` (its `-b`/`-a` lists), following `frozen`.
    pub fn new(config: &Config, frozen: Arc<Frozen>) -> Self {
        Agent {
            gate: Gate::new(config, frozen),
        }
    }

    /// Which commands are enabled right now.
    pub fn gate(&self) -> &Gate {
        &self.gate
    }
}

/// The name of every command, in schema order: what `-b help` and
/// `-a help` print, one per line.
pub fn command_names() -> impl Iterator<Item = &'static str> {
    qga_generated::COMMANDS.iter().map(|c| c.name)
}

#[cfg(test)]
mod tests;
