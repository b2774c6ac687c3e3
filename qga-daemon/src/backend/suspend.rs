//! `guest-suspend-disk`, `guest-suspend-ram` and `guest-suspend-hybrid`.
//!
//! The methods are tried in qemu-ga's order until one works:
//!
//! 1. systemd, when it runs the system (`/run/systemd/system` exists) and
//!    `systemctl status systemd-<mode>.service` exits with 0 to 3 (the unit
//!    exists): `systemctl hibernate|suspend|hybrid-sleep`;
//! 2. pm-utils, when `pm-is-supported --<mode>` exits with 0:
//!    `pm-hibernate|pm-suspend|pm-suspend-hybrid`;
//! 3. the kernel: `disk` or `mem` written to `/sys/power/state` when that
//!    file lists it. Hybrid suspend there needs `/sys/power/disk` to offer
//!    `suspend`, which is written to it before `disk` goes to the state
//!    file (qemu-ga has no kernel method for hybrid suspend).
//!
//! Programs are run by absolute path from the usual system directories,
//! through a [`Runner`] so that tests never suspend anything. When no
//! method applies the error is qemu-ga's "not supported" one; when a method
//! applied but failed, the last failure is reported.

pub mod error;
pub mod runner;
#[cfg(test)]
mod tests;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::sys::fsutil::host_path;
pub use error::SuspendError;
pub use runner::{RunOutcome, Runner, SystemRunner};

/// A way to suspend the guest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SuspendMode {
    /// Suspend to disk (hibernate).
    Disk,
    /// Suspend to RAM (sleep).
    Ram,
    /// Save memory to disk, then sleep.
    Hybrid,
}

impl SuspendMode {
    fn systemd_unit(self) -> &'static str {
        match self {
            SuspendMode::Disk => "systemd-hibernate.service",
            SuspendMode::Ram => "systemd-suspend.service",
            SuspendMode::Hybrid => "systemd-hybrid-sleep.service",
        }
    }

    fn systemctl_verb(self) -> &'static str {
        match self {
            SuspendMode::Disk => "hibernate",
            SuspendMode::Ram => "suspend",
            SuspendMode::Hybrid => "hybrid-sleep",
        }
    }

    fn pm_is_supported_option(self) -> &'static str {
        match self {
            SuspendMode::Disk => "--hibernate",
            SuspendMode::Ram => "--suspend",
            SuspendMode::Hybrid => "--suspend-hybrid",
        }
    }

    fn pm_program(self) -> &'static str {
        match self {
            SuspendMode::Disk => "pm-hibernate",
            SuspendMode::Ram => "pm-suspend",
            SuspendMode::Hybrid => "pm-suspend-hybrid",
        }
    }
}

/// Directories searched for the helper programs, in order.
const PROGRAM_DIRS: [&str; 4] = ["/usr/sbin", "/usr/bin", "/sbin", "/bin"];

const STATE_FILE: &str = "/sys/power/state";
const DISK_FILE: &str = "/sys/power/disk";

/// Whether a method was usable, and how it ended.
enum Attempt {
    /// The method does not apply to this guest.
    Unsupported,
    /// The method applies; this is how it ended.
    Tried(Result<(), SuspendError>),
}

/// The suspend commands, on the system below `root`.
pub struct Suspender {
    root: PathBuf,
    runner: Arc<dyn Runner>,
}

impl std::fmt::Debug for Suspender {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Suspender")
            .field("root", &self.root)
            .finish_non_exhaustive()
    }
}

impl Suspender {
    /// Works on the tree below `root` (`/` in production), running
    /// programs with `runner`.
    pub fn new(root: impl Into<PathBuf>, runner: Arc<dyn Runner>) -> Self {
        Suspender {
            root: root.into(),
            runner,
        }
    }

    /// Suspends the guest in `mode`. Success means the method reported
    /// success; the guest may already have slept and woken up.
    pub fn suspend(&self, mode: SuspendMode) -> Result<(), SuspendError> {
        let mut supported = false;
        let mut last = None;
        for attempt in [self.systemd(mode), self.pm_utils(mode), self.kernel(mode)] {
            match attempt {
                Attempt::Unsupported => {}
                Attempt::Tried(Ok(())) => return Ok(()),
                Attempt::Tried(Err(e)) => {
                    supported = true;
                    last = Some(e);
                }
            }
        }
        match last {
            Some(e) if supported => Err(e),
            _ => Err(SuspendError::NotSupported),
        }
    }

    /// The absolute path of `name` in the system directories, if any.
    fn program(&self, name: &str) -> Option<PathBuf> {
        PROGRAM_DIRS.iter().find_map(|dir| {
            let path = format!("{dir}/{name}");
            host_path(&self.root, &path)
                .is_file()
                .then(|| PathBuf::from(path))
        })
    }

    /// Runs `name` (found by [`Suspender::program`], and given to the runner
    /// by its path in the guest); `None` when it is not installed.
    fn run(&self, name: &str, args: &[&str]) -> Option<RunOutcome> {
        let path = self.program(name)?;
        Some(self.runner.run(&path, args))
    }

    fn systemd(&self, mode: SuspendMode) -> Attempt {
        if !host_path(&self.root, "/run/systemd/system").is_dir() {
            return Attempt::Unsupported;
        }
        match self.run("systemctl", &["status", mode.systemd_unit()]) {
            Some(RunOutcome::Exited(0..=3)) => {}
            _ => return Attempt::Unsupported,
        }
        let what = format!("systemctl {}", mode.systemctl_verb());
        let outcome = self.run("systemctl", &[mode.systemctl_verb()]);
        Attempt::Tried(helper_result(&what, outcome))
    }

    fn pm_utils(&self, mode: SuspendMode) -> Attempt {
        match self.run("pm-is-supported", &[mode.pm_is_supported_option()]) {
            Some(RunOutcome::Exited(0)) => {}
            _ => return Attempt::Unsupported,
        }
        let outcome = self.run(mode.pm_program(), &[]);
        Attempt::Tried(helper_result(mode.pm_program(), outcome))
    }

    fn kernel(&self, mode: SuspendMode) -> Attempt {
        let states = read_small(&host_path(&self.root, STATE_FILE));
        let offers = |word: &str| states.split_whitespace().any(|w| w == word);
        match mode {
            SuspendMode::Disk if offers("disk") => Attempt::Tried(self.write(STATE_FILE, "disk")),
            SuspendMode::Ram if offers("mem") => Attempt::Tried(self.write(STATE_FILE, "mem")),
            SuspendMode::Hybrid if offers("disk") => {
                let methods = read_small(&host_path(&self.root, DISK_FILE));
                let has_suspend = methods
                    .split_whitespace()
                    .any(|w| w.trim_matches(['[', ']']) == "suspend");
                if !has_suspend {
                    return Attempt::Unsupported;
                }
                Attempt::Tried(
                    self.write(DISK_FILE, "suspend")
                        .and_then(|()| self.write(STATE_FILE, "disk")),
                )
            }
            _ => Attempt::Unsupported,
        }
    }

    /// Writes `value` to the sysfs file `file` (an absolute guest path).
    fn write(&self, file: &'static str, value: &str) -> Result<(), SuspendError> {
        let path = host_path(&self.root, file);
        let written = std::fs::OpenOptions::new()
            .write(true)
            .truncate(true)
            .open(&path)
            .and_then(|mut f| std::io::Write::write_all(&mut f, value.as_bytes()));
        written.map_err(|e| SuspendError::Write {
            file,
            reason: crate::backend::cpu::error::reason(&e),
        })
    }
}

/// The first bytes of a small sysfs file, or nothing when unreadable.
fn read_small(path: &Path) -> String {
    std::fs::read(path)
        .map(|b| String::from_utf8_lossy(b.get(..4096).unwrap_or(&b)).into_owned())
        .unwrap_or_default()
}

/// How running helper `what` ended, as a command result.
fn helper_result(what: &str, outcome: Option<RunOutcome>) -> Result<(), SuspendError> {
    match outcome {
        Some(RunOutcome::Exited(0)) => Ok(()),
        None | Some(RunOutcome::NotFound) => Err(SuspendError::HelperNotFound(what.to_string())),
        Some(RunOutcome::Exited(code)) => Err(SuspendError::HelperStatus {
            what: what.to_string(),
            code,
        }),
        Some(RunOutcome::Signaled(signal)) => Err(SuspendError::HelperSignal {
            what: what.to_string(),
            signal,
        }),
        Some(RunOutcome::SpawnFailed(message)) => Err(SuspendError::Spawn(message)),
    }
}
