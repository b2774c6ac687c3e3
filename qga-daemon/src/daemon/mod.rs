//! Running as a daemon: detaching (`-d`), the pid file, signals.
//!
//! - [`detach`]: `-d`. The agent re-executes itself in a new session
//!   (there is no fork without `unsafe`), and the parent exits only once
//!   the child says it is ready, with the child's status if it failed:
//!   qemu-ga's parent exits 0 before the child has even locked its pid file.
//! - [`pidfile`]: the locked `<pid>\n` file, removed on a clean exit.
//! - [`signals`]: SIGTERM/SIGINT → hook (thaw), then a clean shutdown.
//! - [`frozen`]: frozen mode: suspended log, deferred files, the marker.
//! - [`memory`]: large blocks go back to the system as soon as freed.
//! - [`startup`]: all of the above in qemu-ga's order, then serving.

pub mod detach;
pub mod frozen;
pub mod memory;
pub mod pidfile;
pub mod signals;
pub mod startup;

pub use detach::{daemonize, Daemonized, Detach};
pub use frozen::Frozen;
pub use pidfile::{PidFile, PidFileError};
pub use signals::{watch, SignalWatcher};
pub use startup::{start, Agent, Started};
