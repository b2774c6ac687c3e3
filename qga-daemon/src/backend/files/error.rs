//! Errors of the guest-file commands, worded as qemu-ga words them.

use std::fmt;
use std::io;

use super::base64::InvalidBase64;
use crate::log::strerror;

/// An errno-carrying error shown as `strerror()` shows it, without the
/// ` (os error N)` suffix that Rust adds.
#[derive(Debug)]
pub struct OsError(pub io::Error);

impl fmt::Display for OsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&strerror(&self.0))
    }
}

impl std::error::Error for OsError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.0)
    }
}

impl From<io::Error> for OsError {
    fn from(err: io::Error) -> Self {
        OsError(err)
    }
}

/// Why a guest-file command failed. The `Display` text is qemu-ga's error
/// description for the case.
#[derive(Debug, thiserror::Error)]
pub enum FileError {
    /// `guest-file-open` with a mode that is not an `fopen()` mode.
    #[error("invalid file open mode '{0}'")]
    InvalidMode(String),
    /// `open()` failed.
    #[error("failed to open file '{path}' (mode: '{mode}'): {source}")]
    Open {
        /// The path as given.
        path: String,
        /// The mode as given (or `r` by default).
        mode: String,
        /// The failure.
        source: OsError,
    },
    /// The handle source could not record the next handle.
    #[error("failed to commit persistent state to disk")]
    PersistState(#[source] io::Error),
    /// No open file has this handle.
    #[error("handle '{0}' has not been found")]
    HandleNotFound(i64),
    /// A read count out of 0..=48 MiB, or a write count out of
    /// 0..=decoded length.
    #[error("value '{0}' is invalid for argument count")]
    InvalidCount(i64),
    /// The data of `guest-file-write` is not base64.
    #[error(transparent)]
    Base64(#[from] InvalidBase64),
    /// A whence code other than 0, 1 or 2.
    #[error("invalid whence code {0}")]
    InvalidWhence(i64),
    /// `read()` failed.
    #[error("failed to read file: {0}")]
    Read(OsError),
    /// `write()` failed.
    #[error("failed to write to file: {0}")]
    Write(OsError),
    /// `lseek()` failed.
    #[error("failed to seek file: {0}")]
    Seek(OsError),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn os_errors_read_as_strerror() {
        let os = |n| OsError(io::Error::from_raw_os_error(n)).to_string();
        assert_eq!(os(2), "No such file or directory");
        assert_eq!(os(11), "Resource temporarily unavailable");
        assert_eq!(OsError(io::Error::other("plain")).to_string(), "plain");
    }

    #[test]
    fn messages_match_qemu_ga() {
        let os = |n| OsError(io::Error::from_raw_os_error(n));
        assert_eq!(
            FileError::Open {
                path: "/x".into(),
                mode: "r".into(),
                source: os(2)
            }
            .to_string(),
            "failed to open file '/x' (mode: 'r'): No such file or directory"
        );
        assert_eq!(
            FileError::InvalidMode("rz".into()).to_string(),
            "invalid file open mode 'rz'"
        );
        assert_eq!(
            FileError::HandleNotFound(999999).to_string(),
            "handle '999999' has not been found"
        );
        assert_eq!(
            FileError::InvalidCount(-1).to_string(),
            "value '-1' is invalid for argument count"
        );
        assert_eq!(
            FileError::Read(os(21)).to_string(),
            "failed to read file: Is a directory"
        );
        assert_eq!(
            FileError::Write(os(9)).to_string(),
            "failed to write to file: Bad file descriptor"
        );
        assert_eq!(
            FileError::Seek(os(22)).to_string(),
            "failed to seek file: Invalid argument"
        );
        assert_eq!(
            FileError::InvalidWhence(5).to_string(),
            "invalid whence code 5"
        );
        assert_eq!(
            FileError::from(InvalidBase64).to_string(),
            "Base64 data contains invalid characters"
        );
        assert_eq!(
            FileError::PersistState(io::Error::other("disk full")).to_string(),
            "failed to commit persistent state to disk"
        );
    }
}
