//! Errors of the freeze commands, with qemu-ga's messages.

use std::io;

use super::errno::error_text;
use super::hook::HookError;
use crate::backend::fs::mounts::MountTableError;

/// Why `guest-fsfreeze-freeze`, `-freeze-list` or `-thaw` failed.
#[derive(Debug, thiserror::Error)]
pub enum FreezeError {
    /// The fsfreeze hook failed.
    #[error(transparent)]
    Hook(#[from] HookError),
    /// The mount table could not be read.
    #[error(transparent)]
    MountTable(#[from] MountTableError),
    /// A mount point could not be opened for freezing.
    #[error("failed to open {dir}: {}", error_text(.source))]
    Open {
        /// The mount point, as the mount table names it.
        dir: String,
        /// The error of `open`.
        #[source]
        source: io::Error,
    },
    /// A freeze was asked for while the filesystems are frozen (the
    /// dispatcher normally refuses such a call before it gets here).
    #[error("the guest filesystems are already frozen")]
    AlreadyFrozen,
    /// `FIFREEZE` failed with an error other than "not supported" and
    /// "already frozen".
    #[error("failed to freeze {dir}: {}", error_text(.source))]
    Freeze {
        /// The mount point, as the mount table names it.
        dir: String,
        /// The error of the request.
        #[source]
        source: io::Error,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages() {
        let e = FreezeError::Open {
            dir: "/mnt".into(),
            source: io::Error::from_raw_os_error(13),
        };
        assert_eq!(e.to_string(), "failed to open /mnt: Permission denied");
        let e = FreezeError::Freeze {
            dir: "/".into(),
            source: io::Error::from_raw_os_error(30),
        };
        assert_eq!(e.to_string(), "failed to freeze /: Read-only file system");
    }
}
