//! The errors of the ssh-key commands, worded as qemu-ga words them.

use std::io;

use crate::log::strerror;

/// Why an ssh-key command failed.
#[derive(Debug, thiserror::Error)]
pub enum SshError {
    /// A key is empty of meaning for sshd: it starts with `#`, or has a
    /// newline or NUL in it.
    #[error("invalid OpenSSH public key: '{0}'")]
    InvalidKey(String),
    /// The account is not in `/etc/passwd`.
    #[error("failed to lookup user '{0}'")]
    NoSuchUser(String),
    /// `/etc/passwd` could not be read.
    #[error("failed to lookup user '{user}': {reason}")]
    Lookup {
        /// The account asked for.
        user: String,
        /// Why the lookup failed.
        reason: String,
    },
    /// The key file could not be read.
    #[error("failed to read '{path}': Failed to open file \u{201c}{path}\u{201d}: {}", strerror(.source))]
    Read {
        /// The file, as the guest names it.
        path: String,
        /// The failure.
        source: io::Error,
    },
    /// `~/.ssh` could not be created.
    #[error("failed to create directory '{path}': {}", strerror(.source))]
    CreateDir {
        /// The directory.
        path: String,
        /// The failure.
        source: io::Error,
    },
    /// A new `~/.ssh` or the key file could not be given to the user.
    #[error("failed to set ownership of directory '{path}': {}", strerror(.source))]
    Chown {
        /// The directory or file.
        path: String,
        /// The failure.
        source: io::Error,
    },
    /// A new `~/.ssh` could not be made private.
    #[error("failed to set permissions of directory '{path}': {}", strerror(.source))]
    ChmodDir {
        /// The directory.
        path: String,
        /// The failure.
        source: io::Error,
    },
    /// The key file could not be made private.
    #[error("failed to set permissions of '{path}': {}", strerror(.source))]
    ChmodFile {
        /// The file.
        path: String,
        /// The failure.
        source: io::Error,
    },
    /// The key file could not be written.
    #[error("failed to write to '{path}': {}", strerror(.source))]
    Write {
        /// The file.
        path: String,
        /// The failure.
        source: io::Error,
    },
}
