//! The command layer: the generated [`Commands`] trait implemented on top
//! of the backends, and the [`Handler`](crate::server::Handler) that runs
//! one request from the wire.
//!
//! A request goes through, in qemu-ga's order:
//!
//! 1. the envelope checks, by the generated handler
//!    ([`qga_generated::handle`]);
//! 2. the command lookup in the generated registry: `CommandNotFound`,
//!    `The command X has not been found`;
//! 3. the [`Gate`], through the trait's `gate` hook: `-b`/`-a` and frozen
//!    mode, *before* the arguments are looked at: `CommandNotFound`,
//!    `Command X has been disabled: the command is not allowed`;
//! 4. the generated argument decoding and the trait call;
//! 5. the reply, with the 0xFF sentinel for a successful
//!    `guest-sync-delimited`, none for a successful `guest-shutdown` or
//!    `guest-suspend-*`.
//!
//! The registry keeps every command enabled: all three reasons to refuse
//! a command answer with qemu-ga 10.0's one text, which the gate gives.
//!
//! Each trait method (see `commands.rs`) is thin: audit message (see
//! `audit.rs`), backend call and error mapping. `guest-sync`,
//! `guest-sync-delimited`, `guest-ping` and `guest-info` need no backend;
//! the others use, over the real system root `/` and real programs:
//!
//! - the file commands [`backend::files`](crate::backend::files),
//!   `guest-exec*` [`backend::exec`](crate::backend::exec);
//! - the freeze commands [`backend::freeze`](crate::backend::freeze), the
//!   filesystem, disk and CPU statistics commands
//!   [`backend::fs`](crate::backend::fs);
//! - `guest-get-time`, `guest-set-time`, `guest-get-timezone`
//!   [`backend::time`](crate::backend::time); `guest-get-host-name`,
//!   `guest-get-osinfo`, `guest-get-load`
//!   [`backend::identity`](crate::backend::identity);
//! - `guest-get-users`, `guest-set-user-password`
//!   [`backend::users`](crate::backend::users), `guest-ssh-*`
//!   [`backend::ssh`](crate::backend::ssh);
//! - `guest-network-*` [`backend::net`](crate::backend::net),
//!   `guest-get-vcpus`, `guest-set-vcpus`
//!   [`backend::cpu`](crate::backend::cpu), the memory block commands
//!   [`backend::memory`](crate::backend::memory);
//! - `guest-shutdown` [`backend::power`](crate::backend::power),
//!   `guest-suspend-*` [`backend::suspend`](crate::backend::suspend).
//!
//! `guest-get-devices` is Windows-only: not registered on Linux, it
//! answers `CommandNotFound`.
//!
//! [`Commands`]: qga_generated::Commands

mod audit;
mod backends;
mod commands;
mod gate;
mod handler;
mod info;

pub use gate::{Gate, FROZEN_SAFE};
pub use info::agent_info;

use crate::config::Config;
use crate::daemon::Frozen;
use crate::state::StateDir;
use backends::Backends;
use qga_generated::qapi;
use std::sync::Arc;

/// The guest agent's command layer, shared by every client.
#[derive(Debug)]
pub struct Agent {
    registry: qapi::Registry,
    gate: Gate,
    backends: Backends,
}

impl Agent {
    /// The agent for `config` (`-b`/`-a`, `-F`, `--freeze-timeout`), over
    /// the running system, following and driving `frozen` mode, with file
    /// handles from the state directory `state`.
    pub fn new(config: &Config, frozen: Arc<Frozen>, state: Arc<StateDir>) -> Self {
        Agent {
            registry: qga_generated::registry(),
            gate: Gate::new(config, frozen.clone()),
            backends: Backends::system(config, frozen, state),
        }
    }

    /// Thaws the filesystems, as SIGTERM/SIGINT do while frozen; a failure
    /// is logged.
    pub fn thaw(&self) {
        if let Err(e) = self.backends.freezer.thaw() {
            crate::log::warning(format_args!("failed to thaw filesystems: {e}"));
            audit::thaw_at_exit_failed(e);
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
