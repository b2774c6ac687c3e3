//! Running as a daemon: detaching (`-d`), the pid file, signals.
//!
//! - [`detach`]: `-d`. The agent re-executes itself in a new session
//!   (there is no fork without `unsafe`), and the parent exits only once
//!   the child says it is ready, with the child's status if it failed:
//!   qemu-ga's parent exits 0 before the child has even locked its pid file.
//! - [`pidfile`]: the locked `<pid>\n` file, removed on a clean exit.
//! - [`signals`]: SIGTERM/SIGINT → hook (thaw), then a clean shutdown.

pub mod detach;
pub mod pidfile;
pub mod signals;

pub use detach::{daemonize, Daemonized, Detach};
pub use pidfile::{PidFile, PidFileError};
pub use signals::{watch, SignalWatcher};
