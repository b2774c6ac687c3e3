//! The persistent "frozen" marker: qemu-ga keeps an empty
//! `<statedir>/qga.state.isfrozen` while filesystems are frozen, so that an
//! agent restarted after a crash knows it must stay in frozen mode.

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use crate::daemon::Frozen;

/// The marker's file name inside the state directory.
pub const FROZEN_MARKER_NAME: &str = crate::state::FROZEN_MARKER;

/// Where the frozen state is recorded across restarts.
pub trait FrozenMarker: Send + Sync + fmt::Debug {
    /// Whether the marker is present (the agent starts frozen if it is).
    fn is_set(&self) -> bool;
    /// Records the frozen state.
    fn set(&self) -> io::Result<()>;
    /// Removes the record; a missing marker is not an error.
    fn clear(&self) -> io::Result<()>;
}

/// The marker as a file, qemu-ga's `qga.state.isfrozen`.
#[derive(Debug, Clone)]
pub struct FileMarker {
    path: PathBuf,
}

impl FileMarker {
    /// A marker at an explicit path.
    pub fn new(path: impl Into<PathBuf>) -> Self {
        FileMarker { path: path.into() }
    }

    /// qemu-ga's marker in state directory `state_dir`.
    pub fn in_state_dir(state_dir: &Path) -> Self {
        FileMarker::new(state_dir.join(FROZEN_MARKER_NAME))
    }

    /// The marker file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl FrozenMarker for FileMarker {
    fn is_set(&self) -> bool {
        self.path.symlink_metadata().is_ok()
    }

    fn set(&self) -> io::Result<()> {
        std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(false)
            .open(&self.path)
            .map(drop)
    }

    fn clear(&self) -> io::Result<()> {
        match std::fs::remove_file(&self.path) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
            other => other,
        }
    }
}

/// A marker kept in memory only (for agents without a state directory and
/// for tests).
#[derive(Debug, Default)]
pub struct MemoryMarker {
    set: AtomicBool,
}

impl MemoryMarker {
    /// A marker that starts present or absent.
    pub fn new(initially_set: bool) -> Self {
        MemoryMarker {
            set: AtomicBool::new(initially_set),
        }
    }
}

impl FrozenMarker for MemoryMarker {
    fn is_set(&self) -> bool {
        self.set.load(Ordering::SeqCst)
    }

    fn set(&self) -> io::Result<()> {
        self.set.store(true, Ordering::SeqCst);
        Ok(())
    }

    fn clear(&self) -> io::Result<()> {
        self.set.store(false, Ordering::SeqCst);
        Ok(())
    }
}

/// A shared marker is a marker.
impl<T: FrozenMarker + ?Sized> FrozenMarker for Arc<T> {
    fn is_set(&self) -> bool {
        (**self).is_set()
    }

    fn set(&self) -> io::Result<()> {
        (**self).set()
    }

    fn clear(&self) -> io::Result<()> {
        (**self).clear()
    }
}

/// The agent's frozen mode: entering it suspends the log and writes
/// `qga.state.isfrozen`; leaving it does the reverse (failures to write
/// the marker are logged there, as qemu-ga does, not reported here).
impl FrozenMarker for Frozen {
    fn is_set(&self) -> bool {
        self.is_frozen()
    }

    fn set(&self) -> io::Result<()> {
        self.set_frozen();
        Ok(())
    }

    fn clear(&self) -> io::Result<()> {
        self.unset_frozen();
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_marker_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let m = FileMarker::in_state_dir(dir.path());
        assert_eq!(m.path(), dir.path().join("qga.state.isfrozen"));
        assert!(!m.is_set());
        m.set().unwrap();
        assert!(m.is_set());
        assert_eq!(std::fs::read(m.path()).unwrap(), b"");
        m.set().unwrap();
        m.clear().unwrap();
        assert!(!m.is_set());
        m.clear().unwrap();
        let bad = FileMarker::new(dir.path().join("missing/dir/marker"));
        assert!(bad.set().is_err());
    }

    #[test]
    fn agent_frozen_mode_as_marker() {
        use crate::daemon::frozen::Deferred;
        use crate::state::StateDir;
        let dir = tempfile::tempdir().unwrap();
        let state = Arc::new(StateDir::open(dir.path(), false).unwrap());
        let frozen = Arc::new(Frozen::new(state.clone(), false, Deferred::default()));
        let marker: Box<dyn FrozenMarker> = Box::new(frozen.clone());
        assert!(!marker.is_set());
        marker.set().unwrap();
        assert!(frozen.is_frozen());
        assert!(dir.path().join(FROZEN_MARKER_NAME).exists());
        marker.clear().unwrap();
        assert!(!frozen.is_frozen());
        assert!(!dir.path().join(FROZEN_MARKER_NAME).exists());
    }

    #[test]
    fn memory_marker() {
        let m = MemoryMarker::new(true);
        assert!(m.is_set());
        m.clear().unwrap();
        assert!(!m.is_set());
        m.set().unwrap();
        assert!(m.is_set());
    }
}
