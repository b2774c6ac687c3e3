//! The three per-filesystem operations behind `guest-fsfreeze-*` and
//! `guest-fstrim`: freeze (`FIFREEZE`), thaw (`FITHAW`) and discard unused
//! blocks (`FITRIM`), behind a trait so that tests freeze nothing real.
//!
//! The production implementation, [`KernelControl`], opens the mount point
//! read-only and issues the request on it (see [`crate::sys::ioctl`]), as
//! qemu-ga does; an open failure is told apart from a request failure
//! because qemu-ga words the two differently.

use std::fmt;
use std::fs::File;
use std::io;
use std::path::Path;

use super::errno::error_text;
use crate::sys::ioctl::{self, TrimRange};

/// `EBUSY`: freezing a filesystem that is already frozen.
pub const EBUSY: i32 = libc::EBUSY;
/// `EINVAL`: thawing a filesystem that is not frozen.
pub const EINVAL: i32 = libc::EINVAL;
/// `ENOTTY`: the file does not take the request (trim on a CD-ROM).
pub const ENOTTY: i32 = libc::ENOTTY;
/// `EOPNOTSUPP`: the filesystem does not implement the request.
pub const EOPNOTSUPP: i32 = libc::EOPNOTSUPP;

/// Why an operation on a mount point failed.
#[derive(Debug)]
pub enum FsOpError {
    /// The mount point could not be opened.
    Open(io::Error),
    /// The request itself failed.
    Request(io::Error),
}

impl FsOpError {
    /// The errno of a failed request (`None` for open failures and errors
    /// without an errno).
    pub fn request_errno(&self) -> Option<i32> {
        match self {
            FsOpError::Request(e) => e.raw_os_error(),
            FsOpError::Open(_) => None,
        }
    }
}

/// What `FITRIM` reports back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TrimOutcome {
    /// Bytes discarded.
    pub trimmed: u64,
    /// The minimum extent length that was applied.
    pub minimum: u64,
}

/// Freeze, thaw and trim of the filesystem mounted at a directory (a path
/// already resolved below the backend's root).
pub trait FsControl: Send + Sync + fmt::Debug {
    /// `FIFREEZE` on `dir`.
    fn freeze(&self, dir: &Path) -> Result<(), FsOpError>;
    /// `FITHAW` on `dir`.
    fn thaw(&self, dir: &Path) -> Result<(), FsOpError>;
    /// `FITRIM` on `dir` over the whole filesystem, skipping free extents
    /// shorter than `minimum` bytes.
    fn trim(&self, dir: &Path, minimum: u64) -> Result<TrimOutcome, FsOpError>;
}

/// [`FsControl`] through the kernel's requests on the mount point.
#[derive(Debug, Clone, Copy, Default)]
pub struct KernelControl;

/// Opens a mount point as qemu-ga does (read-only; close-on-exec comes
/// with `File`).
fn open_dir(dir: &Path) -> Result<File, FsOpError> {
    File::open(dir).map_err(FsOpError::Open)
}

impl FsControl for KernelControl {
    fn freeze(&self, dir: &Path) -> Result<(), FsOpError> {
        ioctl::freeze(open_dir(dir)?).map_err(FsOpError::Request)
    }

    fn thaw(&self, dir: &Path) -> Result<(), FsOpError> {
        ioctl::thaw(open_dir(dir)?).map_err(FsOpError::Request)
    }

    fn trim(&self, dir: &Path, minimum: u64) -> Result<TrimOutcome, FsOpError> {
        let done =
            ioctl::trim(open_dir(dir)?, TrimRange::whole(minimum)).map_err(FsOpError::Request)?;
        Ok(TrimOutcome {
            trimmed: done.len,
            minimum: done.minimum_length,
        })
    }
}

/// The text qemu-ga puts after `: ` for an operation error.
pub fn op_error_text(error: &FsOpError) -> String {
    match error {
        FsOpError::Open(e) | FsOpError::Request(e) => error_text(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_mount_point_is_an_open_error() {
        let c = KernelControl;
        let missing = Path::new("/definitely/not/here");
        let e = c.freeze(missing).unwrap_err();
        assert!(matches!(e, FsOpError::Open(_)));
        assert_eq!(op_error_text(&e), "No such file or directory");
        assert_eq!(e.request_errno(), None);
        assert!(matches!(c.thaw(missing), Err(FsOpError::Open(_))));
        assert!(matches!(c.trim(missing, 0), Err(FsOpError::Open(_))));
    }

    #[test]
    fn request_errors_keep_their_errno() {
        // procfs can be neither frozen nor trimmed (EPERM without
        // CAP_SYS_ADMIN); a thaw of what is not frozen is EINVAL.
        let c = KernelControl;
        let proc_dir = Path::new("/proc");
        let e = c.freeze(proc_dir).unwrap_err();
        assert!(
            matches!(e.request_errno(), Some(EOPNOTSUPP | libc::EPERM)),
            "{e:?}"
        );
        let e = c.trim(proc_dir, 0).unwrap_err();
        assert_eq!(e.request_errno(), Some(ENOTTY));
        assert_eq!(op_error_text(&e), "Inappropriate ioctl for device");
        let e = c.thaw(proc_dir).unwrap_err();
        assert!(
            matches!(e.request_errno(), Some(EINVAL | libc::EPERM)),
            "{e:?}"
        );
    }
}
