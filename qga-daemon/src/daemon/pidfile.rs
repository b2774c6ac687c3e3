//! The pid file (`-f`), written in daemon mode only, as qemu-ga does.
//!
//! Created with mode 0600, write-locked for as long as the agent runs (an
//! open-file-description lock, which also conflicts with the POSIX locks
//! qemu-ga takes), then truncated and filled with `<pid>\n`. A second
//! agent with the same pid file fails with qemu-ga's `Cannot lock pid
//! file: Resource temporarily unavailable`. The file is removed when the
//! [`PidFile`] is dropped, if the path still names it.

use crate::log::strerror;
use nix::fcntl::{fcntl, FcntlArg};
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::os::unix::fs::{MetadataExt, OpenOptionsExt};
use std::path::{Path, PathBuf};
use thiserror::Error;

/// Why the pid file could not be written; `Display` gives qemu-ga's
/// message.
#[derive(Debug, Error)]
pub enum PidFileError {
    /// The file could not be created or opened.
    #[error("Could not create '{path}': {}", strerror(source))]
    Create {
        /// The pid file.
        path: String,
        /// Why.
        source: io::Error,
    },
    /// The file could not be examined.
    #[error("Cannot stat file: {}", strerror(.0))]
    Stat(io::Error),
    /// Another process holds the lock: another agent is running.
    #[error("Cannot lock pid file: {}", strerror(.0))]
    Lock(io::Error),
    /// The file could not be truncated.
    #[error("Failed to truncate pid file: {}", strerror(.0))]
    Truncate(io::Error),
    /// The pid could not be written.
    #[error("Failed to write pid file")]
    Write(io::Error),
}

/// A locked pid file holding our pid.
#[derive(Debug)]
pub struct PidFile {
    path: PathBuf,
    /// Keeps the lock.
    file: File,
}

/// Takes a write lock on the whole of `file`, without waiting.
fn lock(file: &File) -> io::Result<()> {
    let whole = libc::flock {
        l_type: libc::F_WRLCK as libc::c_short,
        l_whence: libc::SEEK_SET as libc::c_short,
        l_start: 0,
        l_len: 0,
        l_pid: 0,
    };
    fcntl(file, FcntlArg::F_OFD_SETLK(&whole))
        .map(drop)
        .map_err(io::Error::from)
}

fn same_file(a: &fs::Metadata, b: &fs::Metadata) -> bool {
    (a.dev(), a.ino()) == (b.dev(), b.ino())
}

impl PidFile {
    /// Creates, locks and writes the pid file at `path`.
    pub fn create(path: impl Into<PathBuf>) -> Result<Self, PidFileError> {
        let path = path.into();
        let file = loop {
            let file = OpenOptions::new()
                .write(true)
                .create(true)
                // Not before the lock: the file may be another agent's.
                .truncate(false)
                .mode(0o600)
                .open(&path)
                .map_err(|source| PidFileError::Create {
                    path: path.display().to_string(),
                    source,
                })?;
            let opened = file.metadata().map_err(PidFileError::Stat)?;
            lock(&file).map_err(PidFileError::Lock)?;
            // The file we locked may have been removed or replaced by the
            // agent we raced with; lock the one at the path then.
            match fs::metadata(&path) {
                Ok(current) if same_file(&opened, &current) => break file,
                _ => continue,
            }
        };
        let mut pidfile = PidFile { path, file };
        pidfile.file.set_len(0).map_err(PidFileError::Truncate)?;
        let text = format!("{}\n", std::process::id());
        pidfile
            .file
            .write_all(text.as_bytes())
            .map_err(PidFileError::Write)?;
        Ok(pidfile)
    }

    /// The file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for PidFile {
    fn drop(&mut self) {
        let ours = match (self.file.metadata(), fs::metadata(&self.path)) {
            (Ok(held), Ok(current)) => same_file(&held, &current),
            _ => false,
        };
        if ours {
            let _ = fs::remove_file(&self.path);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn writes_pid_with_mode_0600_and_removes_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("qemu-ga.pid");
        let pidfile = PidFile::create(&path).unwrap();
        assert_eq!(
            fs::read_to_string(&path).unwrap(),
            format!("{}\n", std::process::id())
        );
        assert_eq!(
            fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o600
        );
        assert_eq!(pidfile.path(), path);
        drop(pidfile);
        assert!(!path.exists());
    }

    #[test]
    fn second_instance_cannot_lock() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("qemu-ga.pid");
        let first = PidFile::create(&path).unwrap();
        let err = PidFile::create(&path).unwrap_err();
        assert_eq!(
            err.to_string(),
            "Cannot lock pid file: Resource temporarily unavailable"
        );
        // The loser must not remove the winner's file.
        assert!(path.exists());
        drop(first);
        let _again = PidFile::create(&path).unwrap();
    }

    #[test]
    fn stale_content_is_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("qemu-ga.pid");
        fs::write(&path, "99999999999\n").unwrap();
        let _pidfile = PidFile::create(&path).unwrap();
        assert_eq!(
            fs::read_to_string(&path).unwrap(),
            format!("{}\n", std::process::id())
        );
    }

    #[test]
    fn missing_directory() {
        let err = PidFile::create("/nonexistent/qemu-ga.pid").unwrap_err();
        assert_eq!(
            err.to_string(),
            "Could not create '/nonexistent/qemu-ga.pid': No such file or directory"
        );
    }
}
