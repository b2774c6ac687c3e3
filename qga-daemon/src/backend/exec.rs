//! `guest-exec` and `guest-exec-status`.
//!
//! `guest-exec` starts the program (see [`spawn`] for its arguments,
//! environment and streams) and returns its pid at once. One thread per
//! child feeds its input, collects its captured output (at most 16 MiB per
//! stream) and reaps it (see [`supervise`]). `guest-exec-status` answers
//! `{"exited": false}` until the child has ended and its captured streams
//! are closed; then it reports the exit code or the signal, the non-empty
//! captured data in base64, and `out-truncated`/`err-truncated: true` for a
//! stream that went past the cap, and forgets the child: asking again is
//! an error.
//!
//! Differences from qemu-ga 10, all deliberate:
//! - the truncation flags are present only when true, and then say true
//!   (qemu-ga 10 sends `false` when it truncated; 7.2 always sent them
//!   next to the data). Output of exactly 16 MiB is not truncated;
//! - an unknown pid gives qemu-ga 7.2's `Invalid parameter 'pid'`, not 10's
//!   garbled `PID ld does not exist`;
//! - at most [`MAX_TRACKED`] children are tracked (running, or ended but
//!   not yet collected); qemu-ga keeps any number;
//! - if the kernel reuses the pid of an ended child whose status was never
//!   collected, the new child replaces it.

pub mod capture;
pub mod error;
pub mod search;
pub mod spawn;
pub mod supervise;

#[cfg(test)]
mod oracle_tests;
#[cfg(test)]
mod tests;

use std::collections::HashMap;
use std::os::unix::process::ExitStatusExt;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use qga_generated::{
    GuestExec, GuestExecArg, GuestExecCaptureOutput, GuestExecCaptureOutputMode, GuestExecStatus,
};

use crate::backend::files::base64;
pub use capture::MAX_OUTPUT;
pub use error::ExecError;
use supervise::{Finished, Outcome};

/// How many children may be tracked at once.
pub const MAX_TRACKED: usize = 1024;

/// The children started by `guest-exec` whose status has not been
/// collected yet, by pid.
#[derive(Debug)]
pub struct Processes {
    children: Mutex<HashMap<i64, Outcome>>,
    limit: usize,
}

impl Default for Processes {
    fn default() -> Self {
        Processes::with_limit(MAX_TRACKED)
    }
}

impl Processes {
    /// No children; at most [`MAX_TRACKED`] at a time.
    pub fn new() -> Self {
        Self::default()
    }

    /// No children; at most `limit` at a time.
    pub fn with_limit(limit: usize) -> Self {
        Processes {
            children: Mutex::new(HashMap::new()),
            limit,
        }
    }

    /// How many children are tracked.
    pub fn tracked(&self) -> usize {
        self.table().len()
    }

    /// `guest-exec`: starts the program and returns its pid.
    pub fn exec(&self, request: GuestExecArg) -> Result<GuestExec, ExecError> {
        let input = request
            .input_data
            .as_deref()
            .map(base64::decode)
            .transpose()?;
        let mode = match request.capture_output {
            None | Some(GuestExecCaptureOutput::Flag(false)) => GuestExecCaptureOutputMode::None,
            Some(GuestExecCaptureOutput::Flag(true)) => GuestExecCaptureOutputMode::Separated,
            Some(GuestExecCaptureOutput::Mode(mode)) => mode,
        };
        let launch = spawn::Launch {
            program: &request.path,
            args: request.arg.as_deref().unwrap_or_default(),
            env: request.env.as_deref(),
            input,
            mode,
        };
        // The table stays locked while the child starts, so that
        // concurrent requests cannot exceed the limit together.
        let mut children = self.table();
        if children.len() >= self.limit {
            return Err(ExecError::TooMany(self.limit));
        }
        let path_var = std::env::var_os("PATH");
        let (child, pipes) = spawn::spawn(launch, path_var.as_deref())?;
        let pid = i64::from(child.id());
        let outcome = Outcome::default();
        let shared = Arc::clone(&outcome);
        let started = std::thread::Builder::new()
            .name("guest-exec".into())
            .stack_size(64 * 1024)
            .spawn(move || supervise::supervise(child, pipes, &shared));
        if let Err(e) = started {
            // Without its thread nobody would reap the child: stop it now.
            // The closure, and the child with it, was dropped: use the pid.
            kill_and_reap(pid);
            return Err(ExecError::Spawn {
                program: request.path,
                source: e.into(),
            });
        }
        children.insert(pid, outcome);
        Ok(GuestExec { pid })
    }

    /// `guest-exec-status`: whether the child has ended, and if so how,
    /// with its captured output. A reported end is reported only once.
    pub fn status(&self, pid: i64) -> Result<GuestExecStatus, ExecError> {
        let mut children = self.table();
        let outcome = children.get(&pid).ok_or(ExecError::UnknownPid(pid))?;
        let finished = outcome
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        match finished {
            None => Ok(running()),
            Some(finished) => {
                children.remove(&pid);
                drop(children);
                Ok(report(finished))
            }
        }
    }

    fn table(&self) -> MutexGuard<'_, HashMap<i64, Outcome>> {
        self.children.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Kills and waits for a child of ours that nothing else will reap.
fn kill_and_reap(pid: i64) {
    use nix::sys::{signal, wait};
    // A pid from `Child::id` is always positive; never signal 0 or -1,
    // which mean the process group and every process.
    let Some(pid) = i32::try_from(pid)
        .ok()
        .filter(|&p| p > 0)
        .map(nix::unistd::Pid::from_raw)
    else {
        return;
    };
    let _ = signal::kill(pid, signal::Signal::SIGKILL);
    let _ = wait::waitpid(pid, None);
}

fn running() -> GuestExecStatus {
    GuestExecStatus {
        exited: false,
        exitcode: None,
        signal: None,
        out_data: None,
        err_data: None,
        out_truncated: None,
        err_truncated: None,
    }
}

/// The status of an ended child.
fn report(finished: Finished) -> GuestExecStatus {
    let (out_data, out_truncated) = stream_report(finished.out.as_ref());
    let (err_data, err_truncated) = stream_report(finished.err.as_ref());
    let status = finished.status;
    GuestExecStatus {
        exited: true,
        exitcode: status.and_then(|s| s.code()).map(i64::from),
        signal: status.and_then(|s| s.signal()).map(i64::from),
        out_data,
        err_data,
        out_truncated,
        err_truncated,
    }
}

/// The base64 data of a stream if it is not empty, and `Some(true)` if it
/// was truncated.
fn stream_report(capture: Option<&capture::Capture>) -> (Option<String>, Option<bool>) {
    match capture {
        Some(c) if !c.data().is_empty() => (
            Some(base64::encode(c.data())),
            c.truncated().then_some(true),
        ),
        _ => (None, None),
    }
}
