//! Readers of the guest's system state: procfs, sysfs, `/etc` files and a
//! few system calls, returning plain Rust data for the command backends.
//!
//! Every reader takes `root`, the directory that stands for `/` (`/` in
//! production, a prepared fake tree in tests). Malformed lines are skipped
//! where the kernel format makes that meaningful; files that cannot be
//! read are reported as [`SysError`]; nothing panics on odd input.

pub mod block;
pub mod cpus;
pub mod cpustats;
pub mod diskstats;
pub mod error;
pub mod fsusage;
pub mod fsutil;
pub mod identity;
// The one place with `unsafe` code: the ioctl requests.
#[allow(unsafe_code)]
pub mod ioctl;
pub mod loadavg;
pub mod memory;
pub mod mountinfo;
pub mod net;
pub mod nvme;
pub mod osrelease;
pub mod tz;
pub mod utmp;

pub use error::{SysError, SysResult};
