//! Errors of `guest-exec` and `guest-exec-status`, worded as qemu-ga
//! 10 words them.

use crate::backend::files::base64::InvalidBase64;
use crate::backend::files::error::OsError;

/// Why `guest-exec` or `guest-exec-status` failed. The `Display` text is
/// qemu-ga's error description for the case.
#[derive(Debug, thiserror::Error)]
pub enum ExecError {
    /// `input-data` is not base64.
    #[error(transparent)]
    Base64(#[from] InvalidBase64),
    /// The program could not be started: not found, not executable, or no
    /// resources. The program is named as the request gave it, between
    /// GLib's curly quotes.
    #[error("Failed to execute child process \u{201c}{program}\u{201d} ({source})")]
    Spawn {
        /// `path` as given.
        program: String,
        /// The failure.
        source: OsError,
    },
    /// The pipe for `capture-output: merged` could not be made.
    #[error("Failed to create pipe for communicating with child process ({0})")]
    Pipe(OsError),
    /// As many processes as allowed are running or waiting for their
    /// status to be collected.
    #[error(
        "too many processes started by guest-exec ({0}) have not been collected \
         by guest-exec-status"
    )]
    TooMany(usize),
    /// `guest-exec-status` for a pid that guest-exec did not start, or
    /// whose end was already reported. (qemu-ga 10 says `PID ld does not
    /// exist` here, a format-string bug; this is the 7.2 wording.)
    #[error("Invalid parameter 'pid'")]
    UnknownPid(i64),
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io;

    #[test]
    fn messages() {
        let os = |n| OsError(io::Error::from_raw_os_error(n));
        assert_eq!(
            ExecError::Spawn {
                program: "/nonexistent/binary".into(),
                source: os(2)
            }
            .to_string(),
            "Failed to execute child process \u{201C}/nonexistent/binary\u{201D} \
             (No such file or directory)"
        );
        assert_eq!(
            ExecError::UnknownPid(1).to_string(),
            "Invalid parameter 'pid'"
        );
        assert_eq!(
            ExecError::from(InvalidBase64).to_string(),
            "Base64 data contains invalid characters"
        );
        assert_eq!(
            ExecError::Pipe(os(24)).to_string(),
            "Failed to create pipe for communicating with child process (Too many open files)"
        );
        assert!(ExecError::TooMany(1024).to_string().contains("1024"));
    }
}
