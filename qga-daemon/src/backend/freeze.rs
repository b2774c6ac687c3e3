//! Filesystem freeze and thaw (`guest-fsfreeze-status`, `-freeze`,
//! `-freeze-list`, `-thaw`), following qemu-ga 10.x.
//!
//! - [`Freezer`]: the commands, over an injectable [`FsControl`] (the
//!   `FIFREEZE`/`FITHAW` requests) and [`FrozenMarker`] (the
//!   `qga.state.isfrozen` file of the state directory).
//! - [`hook`]: the `-F` fsfreeze hook.
//! - [`control`]: the per-filesystem requests, also used by `guest-fstrim`;
//!   [`KernelControl`] issues them to the kernel, as qemu-ga does.
//!
//! Where this differs from qemu-ga 10.x:
//!
//! - A freeze asked for while frozen is refused
//!   ([`FreezeError::AlreadyFrozen`]); qemu-ga relies on its dispatcher
//!   alone, and would otherwise leave frozen filesystems marked thawed.
//! - The hook runs in a new process group rather than a new session.
//! - `--freeze-timeout` (auto-thaw) is ours; qemu-ga has no such option.

pub mod control;
pub mod errno;
pub mod error;
pub mod freezer;
pub mod hook;
pub mod marker;

pub use control::{FsControl, FsOpError, KernelControl, TrimOutcome};
pub use error::FreezeError;
pub use freezer::{FreezeOptions, Freezer};
pub use hook::{HookArg, HookError};
pub use marker::{FileMarker, FrozenMarker, MemoryMarker};

#[cfg(test)]
pub(crate) mod fake;
#[cfg(test)]
mod real_tests;
#[cfg(test)]
mod tests;
