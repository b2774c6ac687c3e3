//! The state directory (`-t`): the file handle counter and the frozen
//! marker.
//!
//! - `qga.state` is a GLib key file, `[global]\nfd_counter=N\n`, where `N`
//!   is the next file handle. It is created with 1000 when missing (unless
//!   the agent starts frozen: then only when first needed), and every
//!   [`StateDir::next_handle`] rewrites it atomically (temporary file,
//!   fsync, rename), so handles stay unique across restarts. A file that
//!   cannot be read or whose counter is not a number is an error: we do not
//!   start over at 1000 silently, which could hand out handles again.
//! - `qga.state.isfrozen` is an empty marker present while filesystems are
//!   frozen; found at start-up, the agent starts frozen.

use crate::config::keyfile::KeyFile;
use crate::log::strerror;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use thiserror::Error;

/// The name of the counter file inside the state directory.
pub const STATE_FILE: &str = "qga.state";
/// The name of the frozen marker inside the state directory.
pub const FROZEN_MARKER: &str = "qga.state.isfrozen";
/// The first file handle of a new state directory.
pub const FIRST_HANDLE: i64 = 1000;

/// A failure to read or write the state directory. `Display` gives
/// qemu-ga's message where it has one.
#[derive(Debug, Error)]
pub enum StateError {
    /// The state file exists but cannot be examined.
    #[error("unable to access state file at path {path}: {message}")]
    Access {
        /// The file.
        path: String,
        /// strerror of the failure.
        message: String,
    },
    /// The state file cannot be read or parsed.
    #[error("error loading persistent state from path: {path}, {message}")]
    Load {
        /// The file.
        path: String,
        /// What is wrong with it.
        message: String,
    },
    /// The state file cannot be written.
    #[error("failed to write persistent state to {path}: {message}")]
    Write {
        /// The file.
        path: String,
        /// strerror of the failure.
        message: String,
    },
    /// Every handle up to `i64::MAX` has been given out.
    #[error("file handle counter exhausted")]
    Exhausted,
}

/// What is wrong with a state file's contents.
fn bad_counter(text: &str) -> String {
    format!("Key file contains key “fd_counter” in group “global” which has a value that cannot be interpreted: {text}")
}

/// The state directory and the handle counter it persists.
#[derive(Debug)]
pub struct StateDir {
    dir: PathBuf,
    /// The next handle to give out; `None` until the file is loaded or
    /// created (it is deferred while frozen).
    next: Mutex<Option<i64>>,
}

impl StateDir {
    /// Opens the state directory: reads `qga.state`, or creates it with
    /// [`FIRST_HANDLE`] if missing, except when `frozen`, in which case
    /// creating it waits until the first [`next_handle`](Self::next_handle).
    pub fn open(dir: impl Into<PathBuf>, frozen: bool) -> Result<Self, StateError> {
        let state = StateDir {
            dir: dir.into(),
            next: Mutex::new(None),
        };
        let loaded = state.load()?;
        let next = match loaded {
            Some(next) => Some(next),
            None if frozen => None,
            None => {
                state.store(FIRST_HANDLE)?;
                Some(FIRST_HANDLE)
            }
        };
        if let Ok(mut slot) = state.next.lock() {
            *slot = next;
        }
        Ok(state)
    }

    /// The directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The path of `qga.state`.
    pub fn state_path(&self) -> PathBuf {
        self.dir.join(STATE_FILE)
    }

    /// The path of the frozen marker.
    pub fn frozen_marker_path(&self) -> PathBuf {
        self.dir.join(FROZEN_MARKER)
    }

    /// Reads the counter; `None` if the file does not exist.
    fn load(&self) -> Result<Option<i64>, StateError> {
        let path = self.state_path();
        let shown = path.display().to_string();
        let data = match fs::read(&path) {
            Ok(data) => data,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(e) => {
                return Err(StateError::Access {
                    path: shown,
                    message: strerror(&e),
                })
            }
        };
        let load_error = |message: String| StateError::Load {
            path: shown.clone(),
            message,
        };
        let keyfile = KeyFile::parse(&data).map_err(|e| load_error(e.to_string()))?;
        match keyfile.string("global", "fd_counter") {
            // A file without the key is one qemu-ga could have written
            // before it kept a counter: start at the default.
            None => Ok(Some(FIRST_HANDLE)),
            Some(Err(e)) => Err(load_error(e.to_string())),
            Some(Ok(text)) => match text.trim().parse::<i64>() {
                Ok(value) if value >= 0 => Ok(Some(value)),
                _ => Err(load_error(bad_counter(&text))),
            },
        }
    }

    /// Writes `next` as the counter: a temporary file in the same
    /// directory, synced, then renamed over `qga.state`.
    fn store(&self, next: i64) -> Result<(), StateError> {
        static SEQUENCE: AtomicU64 = AtomicU64::new(0);
        let path = self.state_path();
        let temp = self.dir.join(format!(
            ".{STATE_FILE}.{}.{}",
            std::process::id(),
            SEQUENCE.fetch_add(1, Ordering::Relaxed)
        ));
        let write = || -> io::Result<()> {
            let mut file = OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&temp)?;
            file.write_all(format!("[global]\nfd_counter={next}\n").as_bytes())?;
            file.sync_all()?;
            fs::rename(&temp, &path)?;
            // Make the rename itself durable.
            File::open(&self.dir)?.sync_all()
        };
        write().map_err(|e| {
            let _ = fs::remove_file(&temp);
            StateError::Write {
                path: path.display().to_string(),
                message: strerror(&e),
            }
        })
    }

    /// Gives out the next file handle and persists the one after it. On
    /// error the counter is left as it was.
    pub fn next_handle(&self) -> Result<i64, StateError> {
        let mut slot = self.next.lock().unwrap_or_else(|p| p.into_inner());
        let current = match *slot {
            Some(value) => value,
            None => self.load()?.unwrap_or(FIRST_HANDLE),
        };
        let following = current.checked_add(1).ok_or(StateError::Exhausted)?;
        self.store(following)?;
        *slot = Some(following);
        Ok(current)
    }

    /// Whether the frozen marker exists. Any error other than "not found"
    /// is reported (qemu-ga refuses to start then).
    pub fn is_marked_frozen(&self) -> Result<bool, StateError> {
        let path = self.frozen_marker_path();
        match fs::symlink_metadata(&path) {
            Ok(_) => Ok(true),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(false),
            Err(e) => Err(StateError::Access {
                path: path.display().to_string(),
                message: strerror(&e),
            }),
        }
    }

    /// Creates the frozen marker (mode 0600), if it is not there already.
    pub fn mark_frozen(&self) -> Result<(), StateError> {
        let path = self.frozen_marker_path();
        let mut options = OpenOptions::new();
        options.write(true).create(true);
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        options
            .open(&path)
            .map(drop)
            .map_err(|e| StateError::Write {
                path: path.display().to_string(),
                message: strerror(&e),
            })
    }

    /// Removes the frozen marker; a missing one is fine.
    pub fn clear_frozen(&self) -> Result<(), StateError> {
        let path = self.frozen_marker_path();
        match fs::remove_file(&path) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(StateError::Write {
                path: path.display().to_string(),
                message: strerror(&e),
            }),
        }
    }
}

/// The warning qemu-ga gives when it finds the frozen marker at start-up.
pub fn frozen_at_startup_warning(marker: &Path) -> String {
    format!(
        "previous instance appears to have exited with frozen filesystems. \
         deferring logging/pidfile creation and disabling non-fsfreeze-safe \
         commands until guest-fsfreeze-thaw is issued, or filesystems are \
         manually unfrozen and the file {} is removed",
        marker.display()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_state(dir: &Path) -> String {
        fs::read_to_string(dir.join(STATE_FILE)).unwrap()
    }

    #[test]
    fn creates_counter_at_1000() {
        let dir = tempfile::tempdir().unwrap();
        let _state = StateDir::open(dir.path(), false).unwrap();
        assert_eq!(read_state(dir.path()), "[global]\nfd_counter=1000\n");
    }

    #[test]
    fn handles_count_up_and_survive_restarts() {
        let dir = tempfile::tempdir().unwrap();
        let state = StateDir::open(dir.path(), false).unwrap();
        assert_eq!(state.next_handle().unwrap(), 1000);
        assert_eq!(state.next_handle().unwrap(), 1001);
        assert_eq!(read_state(dir.path()), "[global]\nfd_counter=1002\n");
        drop(state);
        let state = StateDir::open(dir.path(), false).unwrap();
        assert_eq!(state.next_handle().unwrap(), 1002);
        // No temporary files are left behind.
        let names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, [STATE_FILE]);
    }

    #[test]
    fn reads_qemu_ga_files() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(
            dir.path().join(STATE_FILE),
            "# written by qemu-ga\n[global]\nfd_counter=4242\n",
        )
        .unwrap();
        let state = StateDir::open(dir.path(), false).unwrap();
        assert_eq!(state.next_handle().unwrap(), 4242);
    }

    #[test]
    fn missing_key_starts_at_default() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join(STATE_FILE), "[global]\n").unwrap();
        let state = StateDir::open(dir.path(), false).unwrap();
        assert_eq!(state.next_handle().unwrap(), 1000);
    }

    #[test]
    fn corrupt_file_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(STATE_FILE);
        fs::write(&path, "[global]\nfd_counter=lots\n").unwrap();
        let err = StateDir::open(dir.path(), false).unwrap_err().to_string();
        assert!(
            err.starts_with(&format!(
                "error loading persistent state from path: {}, ",
                path.display()
            )),
            "{err}"
        );
        assert!(err.contains("lots"), "{err}");
        fs::write(&path, "not a key file\n").unwrap();
        assert!(matches!(
            StateDir::open(dir.path(), false),
            Err(StateError::Load { .. })
        ));
        fs::write(&path, "[global]\nfd_counter=-5\n").unwrap();
        assert!(StateDir::open(dir.path(), false).is_err());
        // The corrupt file is left for a person to look at.
        assert_eq!(read_state(dir.path()), "[global]\nfd_counter=-5\n");
    }

    #[test]
    fn exhausted_counter() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(
            dir.path().join(STATE_FILE),
            format!("[global]\nfd_counter={}\n", i64::MAX),
        )
        .unwrap();
        let state = StateDir::open(dir.path(), false).unwrap();
        assert!(matches!(state.next_handle(), Err(StateError::Exhausted)));
    }

    #[test]
    fn missing_directory_is_a_write_error() {
        let dir = tempfile::tempdir().unwrap();
        let err = StateDir::open(dir.path().join("nope"), false).unwrap_err();
        assert!(
            err.to_string().ends_with(": No such file or directory"),
            "{err}"
        );
    }

    #[test]
    fn frozen_start_defers_creation() {
        let dir = tempfile::tempdir().unwrap();
        let state = StateDir::open(dir.path(), true).unwrap();
        assert!(!dir.path().join(STATE_FILE).exists());
        assert_eq!(state.next_handle().unwrap(), 1000);
        assert_eq!(read_state(dir.path()), "[global]\nfd_counter=1001\n");
    }

    #[test]
    fn frozen_marker_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let state = StateDir::open(dir.path(), false).unwrap();
        assert!(!state.is_marked_frozen().unwrap());
        state.mark_frozen().unwrap();
        state.mark_frozen().unwrap();
        assert!(state.is_marked_frozen().unwrap());
        assert_eq!(fs::read(state.frozen_marker_path()).unwrap(), b"");
        state.clear_frozen().unwrap();
        state.clear_frozen().unwrap();
        assert!(!state.is_marked_frozen().unwrap());
    }

    #[test]
    fn frozen_warning_text() {
        let text = frozen_at_startup_warning(Path::new("/run/qga.state.isfrozen"));
        assert_eq!(
            text,
            "previous instance appears to have exited with frozen filesystems. \
             deferring logging/pidfile creation and disabling non-fsfreeze-safe \
             commands until guest-fsfreeze-thaw is issued, or filesystems are \
             manually unfrozen and the file /run/qga.state.isfrozen is removed"
        );
    }
}
