//! `guest-ssh-get-authorized-keys`, `guest-ssh-add-authorized-keys` and
//! `guest-ssh-remove-authorized-keys` on `~/.ssh/authorized_keys`.
//!
//! Where this differs from qemu-ga 10.x:
//!
//! - Accounts come from `/etc/passwd` only (qemu-ga asks NSS).
//! - An unknown user gives `failed to lookup user 'NAME'`; qemu-ga appends
//!   a stale system error text (`: Success`).
//! - The file is written with a newline after every line (qemu-ga leaves
//!   the last one out, and keeps a blank line when it adds to a file that
//!   ended with one); ownership is given before the file takes its place.
//! - A key with a NUL is refused; a symlinked `~/.ssh` is refused (`Too
//!   many levels of symbolic links`) rather than followed.
//!
//! As in qemu-ga, `get` lists the keys last line first, and the text for a
//! file that cannot be given to its user names it a directory.

pub mod error;
pub mod keys;
pub mod store;

use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use qga_generated::GuestAuthorizedKeys;

pub use error::SshError;
use store::{Account, Owner, SystemOwner};

use crate::sys::fsutil::host_path;
use crate::sys::identity::{lookup_user, PasswdEntry};

/// The ssh keys of the guest's accounts.
pub struct Ssh {
    root: PathBuf,
    owner: Arc<dyn Owner>,
}

impl std::fmt::Debug for Ssh {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Ssh").field("root", &self.root).finish()
    }
}

/// Where one account's key file is: as the guest names it, and on disk.
struct KeyFile {
    entry: PasswdEntry,
    dir_shown: String,
    file_shown: String,
    dir: PathBuf,
    file: PathBuf,
}

impl Ssh {
    /// Accounts and homes below `root`, ownership changed by `owner`.
    pub fn new(root: impl Into<PathBuf>, owner: Arc<dyn Owner>) -> Self {
        Ssh {
            root: root.into(),
            owner,
        }
    }

    /// The real system.
    pub fn system() -> Self {
        Ssh::new("/", Arc::new(SystemOwner))
    }

    fn locate(&self, username: &str) -> Result<KeyFile, SshError> {
        let entry = match lookup_user(&self.root, username) {
            Ok(Some(e)) => e,
            Ok(None) => return Err(SshError::NoSuchUser(username.to_string())),
            Err(e) => {
                return Err(SshError::Lookup {
                    user: username.to_string(),
                    reason: match e.errno() {
                        Some(n) => crate::log::strerror(&io::Error::from_raw_os_error(n)),
                        None => e.to_string(),
                    },
                })
            }
        };
        let dir_shown = entry.home.join(".ssh");
        let file_shown = dir_shown.join("authorized_keys");
        let dir = host_path(&self.root, &dir_shown.to_string_lossy());
        let file = dir.join("authorized_keys");
        Ok(KeyFile {
            dir_shown: dir_shown.to_string_lossy().into_owned(),
            file_shown: file_shown.to_string_lossy().into_owned(),
            entry,
            dir,
            file,
        })
    }

    fn account(&self, entry: &PasswdEntry) -> Account<'_> {
        Account {
            uid: entry.uid,
            gid: entry.gid,
            owner: self.owner.as_ref(),
        }
    }

    /// `guest-ssh-get-authorized-keys`.
    pub fn get(&self, username: &str) -> Result<GuestAuthorizedKeys, SshError> {
        let at = self.locate(username)?;
        let text = read(&at.file, &at.file_shown)?;
        Ok(GuestAuthorizedKeys {
            keys: keys::listed_keys(&text),
        })
    }

    /// `guest-ssh-add-authorized-keys`: adds the keys not yet there, or,
    /// with `reset`, makes them the whole file.
    pub fn add(&self, username: &str, new: &[String], reset: bool) -> Result<(), SshError> {
        keys::check_keys(new)?;
        let at = self.locate(username)?;
        let existing = if reset {
            None
        } else {
            read(&at.file, &at.file_shown).ok()
        };
        let account = self.account(&at.entry);
        if existing.is_none() {
            store::ensure_dir(&at.dir, &at.dir_shown, &account)?;
        }
        let lines = keys::added(
            existing.as_deref().map(keys::lines).unwrap_or_default(),
            new,
        );
        store::replace(&at.file, &at.file_shown, &keys::text(&lines), &account)
    }

    /// `guest-ssh-remove-authorized-keys`: drops every line equal to one
    /// of the keys; nothing happens when the file does not exist.
    pub fn remove(&self, username: &str, gone: &[String]) -> Result<(), SshError> {
        keys::check_keys(gone)?;
        let at = self.locate(username)?;
        if std::fs::symlink_metadata(&at.file).is_err() {
            return Ok(());
        }
        let text = read(&at.file, &at.file_shown)?;
        let lines = keys::removed(keys::lines(&text), gone);
        store::replace(
            &at.file,
            &at.file_shown,
            &keys::text(&lines),
            &self.account(&at.entry),
        )
    }
}

fn read(file: &Path, shown: &str) -> Result<String, SshError> {
    std::fs::read(file)
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .map_err(|source| SshError::Read {
            path: shown.to_string(),
            source,
        })
}

#[cfg(test)]
mod tests;
