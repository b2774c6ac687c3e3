//! The agent's frozen mode, as qemu-ga keeps it.
//!
//! While filesystems are frozen, anything that writes to them would hang
//! the agent, so: the log is suspended, a log file or pid file not opened
//! yet (because the agent started frozen) waits, and the marker
//! `qga.state.isfrozen` records the state for the next agent. Which
//! commands stay enabled is the command layer's business; it asks
//! [`Frozen::is_frozen`].

use super::pidfile::PidFile;
use crate::log;
use crate::state::StateDir;
use std::fmt;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

/// What waits for the thaw.
#[derive(Debug, Default)]
pub struct Deferred {
    /// The log file to open (`-l`).
    pub logfile: Option<PathBuf>,
    /// The pid file to write (`-f` with `-d`).
    pub pidfile: Option<PathBuf>,
}

/// The frozen flag, with what freezing and thawing involve.
pub struct Frozen {
    frozen: AtomicBool,
    state: Arc<StateDir>,
    deferred: Mutex<Deferred>,
    /// The pid file written at the thaw, kept (locked) until the agent
    /// ends.
    pidfile: Mutex<Option<PidFile>>,
}

impl fmt::Debug for Frozen {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Frozen")
            .field("frozen", &self.is_frozen())
            .finish_non_exhaustive()
    }
}

impl Frozen {
    /// The mode at start-up: `frozen` if the marker was found, with what
    /// was put off because of it.
    pub fn new(state: Arc<StateDir>, frozen: bool, deferred: Deferred) -> Self {
        if frozen {
            log::logger().set_suspended(true);
        }
        Frozen {
            frozen: AtomicBool::new(frozen),
            state,
            deferred: Mutex::new(deferred),
            pidfile: Mutex::new(None),
        }
    }

    /// Whether filesystems are (believed to be) frozen.
    pub fn is_frozen(&self) -> bool {
        self.frozen.load(Ordering::SeqCst)
    }

    /// Enters frozen mode (after a successful freeze): suspends the log
    /// and creates the marker.
    pub fn set_frozen(&self) {
        if self.frozen.swap(true, Ordering::SeqCst) {
            return;
        }
        log::warning("disabling logging due to filesystem freeze");
        log::logger().set_suspended(true);
        if self.state.mark_frozen().is_err() {
            log::warning(format_args!(
                "unable to create {}, fsfreeze may not function properly",
                self.state.frozen_marker_path().display()
            ));
        }
    }

    /// Leaves frozen mode (after a thaw): opens what was put off, resumes
    /// the log and removes the marker.
    pub fn unset_frozen(&self) {
        if !self.frozen.load(Ordering::SeqCst) {
            return;
        }
        let deferred =
            std::mem::take(&mut *self.deferred.lock().unwrap_or_else(|p| p.into_inner()));
        if let Some(path) = deferred.logfile {
            // qemu-ga falls back to stderr, which the logger already uses.
            let _ = log::logger().redirect_to_file(&path);
        }
        log::logger().set_suspended(false);
        log::warning("logging re-enabled due to filesystem unfreeze");
        if let Some(path) = deferred.pidfile {
            match PidFile::create(path) {
                Ok(pidfile) => {
                    *self.pidfile.lock().unwrap_or_else(|p| p.into_inner()) = Some(pidfile)
                }
                Err(e) => log::warning(e),
            }
        }
        self.frozen.store(false, Ordering::SeqCst);
        if self.state.clear_frozen().is_err() {
            log::warning(format_args!(
                "unable to delete {}, fsfreeze may not function properly",
                self.state.frozen_marker_path().display()
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn freeze_and_thaw_keep_the_marker_and_deferred_files() {
        let dir = tempfile::tempdir().unwrap();
        let state = Arc::new(StateDir::open(dir.path(), true).unwrap());
        state.mark_frozen().unwrap();
        let pid_path = dir.path().join("pid");
        let frozen = Frozen::new(
            state.clone(),
            true,
            Deferred {
                logfile: None,
                pidfile: Some(pid_path.clone()),
            },
        );
        assert!(frozen.is_frozen());
        assert!(!pid_path.exists());
        frozen.unset_frozen();
        assert!(!frozen.is_frozen());
        assert!(!state.is_marked_frozen().unwrap());
        assert_eq!(
            std::fs::read_to_string(&pid_path).unwrap(),
            format!("{}\n", std::process::id())
        );
        frozen.set_frozen();
        assert!(frozen.is_frozen());
        assert!(state.is_marked_frozen().unwrap());
        frozen.unset_frozen();
        assert!(!state.is_marked_frozen().unwrap());
        drop(frozen);
        assert!(!pid_path.exists(), "the pid file outlived the agent");
    }
}
