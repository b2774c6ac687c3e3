//! Writing a user's `~/.ssh/authorized_keys`: the directory created 0700
//! and the file 0600, both owned by the user; the file replaced at once
//! (a temporary file in the same directory, synced, given to the user,
//! then renamed over the old one).

use std::fs::{self, OpenOptions};
use std::io::{self, Write};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

use super::error::SshError;

/// Changes owners; replaced by a recorder in tests.
pub trait Owner: Send + Sync {
    /// Gives `path` (not following a final symlink) to `uid`:`gid`.
    fn chown(&self, path: &Path, uid: u32, gid: u32) -> io::Result<()>;
}

/// The real [`Owner`]: `lchown(2)`.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemOwner;

impl Owner for SystemOwner {
    fn chown(&self, path: &Path, uid: u32, gid: u32) -> io::Result<()> {
        std::os::unix::fs::lchown(path, Some(uid), Some(gid))
    }
}

/// Whose file it is, and how to give it to them.
pub struct Account<'a> {
    /// The user id.
    pub uid: u32,
    /// The primary group id.
    pub gid: u32,
    /// How ownership is changed.
    pub owner: &'a dyn Owner,
}

impl std::fmt::Debug for Account<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Account")
            .field("uid", &self.uid)
            .field("gid", &self.gid)
            .finish()
    }
}

fn loop_error() -> io::Error {
    io::Error::from_raw_os_error(libc::ELOOP)
}

/// Makes sure `dir` (named `shown` in errors) is a directory, creating it
/// 0700 and owned by the account when it is missing. A symlink is refused,
/// so that the agent never writes where the user's link points.
pub fn ensure_dir(dir: &Path, shown: &str, account: &Account<'_>) -> Result<(), SshError> {
    match fs::symlink_metadata(dir) {
        Ok(m) if m.is_dir() => return Ok(()),
        Ok(m) if m.file_type().is_symlink() => {
            return Err(SshError::CreateDir {
                path: shown.to_string(),
                source: loop_error(),
            })
        }
        _ => {}
    }
    let created = fs::DirBuilder::new().mode(0o700).create(dir);
    created.map_err(|source| SshError::CreateDir {
        path: shown.to_string(),
        source,
    })?;
    account
        .owner
        .chown(dir, account.uid, account.gid)
        .map_err(|source| SshError::Chown {
            path: shown.to_string(),
            source,
        })?;
    fs::set_permissions(dir, fs::Permissions::from_mode(0o700)).map_err(|source| {
        SshError::ChmodDir {
            path: shown.to_string(),
            source,
        }
    })
}

static COUNTER: AtomicU64 = AtomicU64::new(0);

/// Replaces `file` (named `shown` in errors) with `text`, 0600 and owned
/// by the account; the old content stays whole until the rename.
pub fn replace(
    file: &Path,
    shown: &str,
    text: &str,
    account: &Account<'_>,
) -> Result<(), SshError> {
    let write_err = |source| SshError::Write {
        path: shown.to_string(),
        source,
    };
    let dir = file
        .parent()
        .ok_or_else(|| write_err(io::ErrorKind::NotFound.into()))?;
    if fs::symlink_metadata(dir).is_ok_and(|m| m.file_type().is_symlink()) {
        return Err(write_err(loop_error()));
    }
    let (tmp, mut out) = create_temp(dir).map_err(write_err)?;
    let result = (|| {
        out.write_all(text.as_bytes()).map_err(write_err)?;
        out.sync_all().map_err(write_err)?;
        account
            .owner
            .chown(&tmp, account.uid, account.gid)
            .map_err(|source| SshError::Chown {
                path: shown.to_string(),
                source,
            })?;
        out.set_permissions(fs::Permissions::from_mode(0o600))
            .map_err(|source| SshError::ChmodFile {
                path: shown.to_string(),
                source,
            })?;
        fs::rename(&tmp, file).map_err(write_err)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

fn create_temp(dir: &Path) -> io::Result<(std::path::PathBuf, fs::File)> {
    let mut last = io::Error::from(io::ErrorKind::AlreadyExists);
    for _ in 0..16 {
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let path = dir.join(format!(".authorized_keys.{}.{n}", std::process::id()));
        match OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .custom_flags(libc::O_NOFOLLOW | libc::O_CLOEXEC)
            .open(&path)
        {
            Ok(f) => return Ok((path, f)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => last = e,
            Err(e) => return Err(e),
        }
    }
    Err(last)
}
