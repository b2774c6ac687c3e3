//! `guest-shutdown`: power the guest off, halt it or reboot it.
//!
//! The first of these that exists does the work:
//!
//! 1. `shutdown` (`/sbin`, `/usr/sbin`, `/bin`, `/usr/bin`), run as
//!    qemu-ga runs it: `shutdown -h -P|-H|-r +0 "hypervisor initiated
//!    shutdown"`;
//! 2. `systemctl poweroff|halt|reboot` (`/bin`, `/usr/bin`);
//! 3. `sync` and the `reboot(2)` system call, so that a minimal guest
//!    without either program still obeys.
//!
//! Where this differs from qemu-ga 10.x: qemu-ga 10.2 prefers
//! `/sbin/poweroff`, `/sbin/halt` and `/sbin/reboot` when they exist and
//! fails when `/sbin/shutdown` does not exist; the program is started in
//! its own process group rather than its own session. The invalid-mode
//! message is qemu-ga's, unbalanced parenthesis included, and so is the
//! text for a program that cannot be started (ending in a newline, as
//! qemu-ga's child prints it with `perror`).

pub mod runner;

use std::path::PathBuf;
use std::sync::Arc;

use runner::{find_program, run_action, CommandError, Runner};

/// What `guest-shutdown` asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShutdownMode {
    /// Power the machine off (the default).
    Powerdown,
    /// Stop the machine without powering it off.
    Halt,
    /// Restart the machine.
    Reboot,
}

impl ShutdownMode {
    /// The mode named by the `mode` argument (`None` is `powerdown`).
    pub fn parse(mode: Option<&str>) -> Result<Self, PowerError> {
        match mode {
            None | Some("powerdown") => Ok(ShutdownMode::Powerdown),
            Some("halt") => Ok(ShutdownMode::Halt),
            Some("reboot") => Ok(ShutdownMode::Reboot),
            Some(_) => Err(PowerError::InvalidMode),
        }
    }

    fn shutdown_flag(self) -> &'static str {
        match self {
            ShutdownMode::Powerdown => "-P",
            ShutdownMode::Halt => "-H",
            ShutdownMode::Reboot => "-r",
        }
    }

    fn systemctl_verb(self) -> &'static str {
        match self {
            ShutdownMode::Powerdown => "poweroff",
            ShutdownMode::Halt => "halt",
            ShutdownMode::Reboot => "reboot",
        }
    }
}

/// Why `guest-shutdown` failed, in qemu-ga's words.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PowerError {
    /// `mode` is not one of the three.
    #[error("mode is invalid (valid values are: halt|powerdown|reboot")]
    InvalidMode,
    /// The program failed.
    #[error(transparent)]
    Command(#[from] CommandError),
    /// The `reboot(2)` system call failed.
    #[error("failed to shutdown: {0}")]
    Syscall(String),
}

/// The last resort when no program is installed: `sync` then
/// `reboot(2)`; replaced by a fake in tests.
pub trait RebootCall: Send + Sync {
    /// Flushes the filesystems and asks the kernel for `mode`; returns only
    /// on failure (or from a fake).
    fn reboot(&self, mode: ShutdownMode) -> std::io::Result<()>;
}

/// The real [`RebootCall`].
#[derive(Debug, Default, Clone, Copy)]
pub struct KernelReboot;

impl RebootCall for KernelReboot {
    fn reboot(&self, mode: ShutdownMode) -> std::io::Result<()> {
        use rustix::system::RebootCommand;
        rustix::fs::sync();
        let command = match mode {
            ShutdownMode::Powerdown => RebootCommand::PowerOff,
            ShutdownMode::Halt => RebootCommand::Halt,
            ShutdownMode::Reboot => RebootCommand::Restart,
        };
        rustix::system::reboot(command).map_err(std::io::Error::from)
    }
}

const SHUTDOWN: &[&str] = &[
    "/sbin/shutdown",
    "/usr/sbin/shutdown",
    "/bin/shutdown",
    "/usr/bin/shutdown",
];
const SYSTEMCTL: &[&str] = &["/bin/systemctl", "/usr/bin/systemctl"];

/// Carries out `guest-shutdown`.
pub struct Power {
    root: PathBuf,
    runner: Arc<dyn Runner>,
    kernel: Arc<dyn RebootCall>,
}

impl std::fmt::Debug for Power {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Power").field("root", &self.root).finish()
    }
}

impl Power {
    /// Looks programs up below `root`, runs them with `runner`, and falls
    /// back on `kernel`.
    pub fn new(
        root: impl Into<PathBuf>,
        runner: Arc<dyn Runner>,
        kernel: Arc<dyn RebootCall>,
    ) -> Self {
        Power {
            root: root.into(),
            runner,
            kernel,
        }
    }

    /// The real system: `/`, real programs, the real system call.
    pub fn system() -> Self {
        Power::new("/", Arc::new(runner::SystemRunner), Arc::new(KernelReboot))
    }

    /// `guest-shutdown` with its `mode` argument.
    pub fn shutdown(&self, mode: Option<&str>) -> Result<(), PowerError> {
        let mode = ShutdownMode::parse(mode)?;
        if let Some(program) = find_program(&self.root, SHUTDOWN) {
            let args = [
                "-h",
                mode.shutdown_flag(),
                "+0",
                "hypervisor initiated shutdown",
            ];
            return Ok(run_action(
                self.runner.as_ref(),
                &program,
                &args,
                None,
                "shutdown",
            )?);
        }
        if let Some(program) = find_program(&self.root, SYSTEMCTL) {
            let args = [mode.systemctl_verb()];
            return Ok(run_action(
                self.runner.as_ref(),
                &program,
                &args,
                None,
                "shutdown",
            )?);
        }
        self.kernel
            .reboot(mode)
            .map_err(|e| PowerError::Syscall(crate::log::strerror(&e)))
    }
}

#[cfg(test)]
mod tests;
