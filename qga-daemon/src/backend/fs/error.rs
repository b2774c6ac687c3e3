//! Errors of the filesystem and disk commands, with qemu-ga's messages.

use std::io;
use std::path::Path;

use super::mounts::MountTableError;
use crate::backend::freeze::errno::error_text;
use crate::sys::SysError;

/// Why `guest-get-fsinfo`, `guest-get-disks`, `guest-get-diskstats`,
/// `guest-get-cpustats` or `guest-fstrim` failed as a whole.
#[derive(Debug, thiserror::Error)]
pub enum FsError {
    /// The mount table could not be read.
    #[error(transparent)]
    MountTable(#[from] MountTableError),
    /// `/sys/block` could not be listed.
    #[error("Can't open directory \"/sys/block\": {}", error_text(.0))]
    SysBlock(#[source] io::Error),
    /// A system call on a system file failed: `open("/proc/stat"): ...`,
    /// `realpath("/sys/dev/block/8:1"): ...`.
    #[error("{op}(\"{path}\"): {}", error_text(.source))]
    Io {
        /// The call that failed.
        op: &'static str,
        /// The system path it was applied to (as seen from the guest's
        /// `/`).
        path: String,
        /// Its error.
        #[source]
        source: io::Error,
    },
    /// A system file had unusable content.
    #[error("{path}: {message}")]
    Format {
        /// The system path.
        path: String,
        /// What is wrong.
        message: String,
    },
}

/// The guest's view of `path`, a path below `root`.
fn guest_path(root: &Path, path: &Path) -> String {
    match path.strip_prefix(root) {
        Ok(rel) => format!("/{}", rel.display()),
        Err(_) => path.display().to_string(),
    }
}

impl FsError {
    /// Converts a system reader's error, naming paths as the guest sees
    /// them rather than below the backend's root.
    pub fn from_sys(root: &Path, error: SysError) -> Self {
        match error {
            SysError::Io { op, path, source } => FsError::Io {
                op,
                path: guest_path(root, &path),
                source,
            },
            SysError::Format { path, message } => FsError::Format {
                path: guest_path(root, &path),
                message,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages() {
        let root = Path::new("/tmp/fake");
        let e = FsError::from_sys(
            root,
            SysError::io(
                "open",
                Path::new("/tmp/fake/proc/stat"),
                io::Error::from_raw_os_error(2),
            ),
        );
        assert_eq!(
            e.to_string(),
            "open(\"/proc/stat\"): No such file or directory"
        );
        let e = FsError::from_sys(
            Path::new("/"),
            SysError::io(
                "realpath",
                Path::new("/sys/dev/block/8:1"),
                io::Error::from_raw_os_error(40),
            ),
        );
        assert_eq!(
            e.to_string(),
            "realpath(\"/sys/dev/block/8:1\"): Too many levels of symbolic links"
        );
        let e = FsError::from_sys(root, SysError::format(Path::new("/elsewhere"), "bad"));
        assert_eq!(e.to_string(), "/elsewhere: bad");
        let e = FsError::SysBlock(io::Error::from_raw_os_error(2));
        assert_eq!(
            e.to_string(),
            "Can't open directory \"/sys/block\": No such file or directory"
        );
    }
}
