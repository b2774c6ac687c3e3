//! `guest-fstrim`: discard unused blocks on every local filesystem, with a
//! result (or an error text) per mount point.

use std::path::PathBuf;
use std::sync::Arc;

use qga_generated::{GuestFilesystemTrimResponse, GuestFilesystemTrimResult};

use super::error::FsError;
use super::mounts::{mount_list, mount_path};
use crate::backend::freeze::control::{op_error_text, FsControl, FsOpError, ENOTTY, EOPNOTSUPP};

/// The backend of `guest-fstrim`.
#[derive(Debug, Clone)]
pub struct Trimmer {
    root: PathBuf,
    control: Arc<dyn FsControl>,
}

impl Trimmer {
    /// Trims the filesystems of the mount table below `root` through
    /// `control`.
    pub fn new(root: impl Into<PathBuf>, control: Arc<dyn FsControl>) -> Self {
        Trimmer {
            root: root.into(),
            control,
        }
    }

    /// `guest-fstrim`: one result per local filesystem, in qemu-ga's order
    /// (the reverse of mount order). `minimum` is the smallest free extent
    /// worth discarding, in bytes (0 when absent; a negative value is
    /// passed on as its 64-bit unsigned image, as qemu-ga does).
    pub fn fstrim(&self, minimum: Option<i64>) -> Result<GuestFilesystemTrimResponse, FsError> {
        let mounts = mount_list(&self.root)?;
        let minimum = minimum.unwrap_or(0) as u64;
        let paths = mounts
            .iter()
            .rev()
            .map(|mount| {
                let path = mount.dir.to_string_lossy().into_owned();
                match self
                    .control
                    .trim(&mount_path(&self.root, &mount.dir), minimum)
                {
                    Ok(outcome) => GuestFilesystemTrimResult {
                        path,
                        trimmed: Some(outcome.trimmed as i64),
                        minimum: Some(outcome.minimum as i64),
                        error: None,
                    },
                    Err(e) => GuestFilesystemTrimResult {
                        path,
                        trimmed: None,
                        minimum: None,
                        error: Some(trim_error(&e)),
                    },
                }
            })
            .collect();
        Ok(GuestFilesystemTrimResponse { paths })
    }
}

/// qemu-ga's per-path error text.
fn trim_error(e: &FsOpError) -> String {
    match e {
        FsOpError::Open(_) => format!("failed to open: {}", op_error_text(e)),
        FsOpError::Request(_) if matches!(e.request_errno(), Some(ENOTTY | EOPNOTSUPP)) => {
            "trim not supported".to_string()
        }
        FsOpError::Request(_) => format!("failed to trim: {}", op_error_text(e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::freeze::fake::{Fail, FakeControl};
    use std::fs;

    #[test]
    fn results_per_path() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::create_dir_all(root.join("proc/self")).unwrap();
        fs::write(
            root.join("proc/self/mountinfo"),
            "1 0 8:1 / / rw - ext4 /dev/sda1 rw\n\
             2 1 8:2 / /a rw - ext4 /dev/sda2 rw\n\
             3 1 8:3 / /b rw - ext4 /dev/sda3 rw\n\
             4 1 8:4 / /c rw - iso9660 /dev/sr0 ro\n\
             5 1 8:5 / /d rw - vfat /dev/sda5 rw\n\
             6 1 0:9 / /tmp rw - tmpfs tmpfs rw\n",
        )
        .unwrap();
        let control = Arc::new(FakeControl::new(root));
        control.fail("/a", Fail::Open(13));
        control.fail("/b", Fail::Request(95));
        control.fail("/c", Fail::Request(25));
        control.fail("/d", Fail::Request(30));
        let t = Trimmer::new(root, control.clone());
        let r = t.fstrim(Some(4096)).unwrap();
        let paths: Vec<_> = r.paths.iter().map(|p| p.path.as_str()).collect();
        assert_eq!(paths, ["/d", "/c", "/b", "/a", "/"]);
        let errors: Vec<_> = r.paths.iter().map(|p| p.error.as_deref()).collect();
        assert_eq!(
            errors,
            [
                Some("failed to trim: Read-only file system"),
                Some("trim not supported"),
                Some("trim not supported"),
                Some("failed to open: Permission denied"),
                None
            ]
        );
        let ok = &r.paths[4];
        assert_eq!(ok.minimum, Some(4096));
        assert_eq!(ok.trimmed, Some(4096));
        assert!(r.paths[0].trimmed.is_none() && r.paths[0].minimum.is_none());
        assert!(control.log().contains(&"trim 4096 /".to_string()));

        t.fstrim(None).unwrap();
        assert!(control.log().contains(&"trim 0 /".to_string()));
        t.fstrim(Some(-1)).unwrap();
        assert!(control.log().contains(&format!("trim {} /", u64::MAX)));
    }

    #[test]
    fn unreadable_mount_table() {
        let dir = tempfile::tempdir().unwrap();
        let t = Trimmer::new(dir.path(), Arc::new(FakeControl::new(dir.path())));
        let e = t.fstrim(None).unwrap_err();
        assert_eq!(
            e.to_string(),
            "failed to open mtab file: '/proc/self/mounts'"
        );
    }
}
