//! A short-named scratch directory, removed when dropped.
//!
//! Short because qemu's unix socket lives in it and socket paths are
//! limited to 108 bytes.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

/// A fresh directory `/tmp/qga-vm-<pid>-<n>`.
#[derive(Debug)]
pub struct WorkDir {
    path: PathBuf,
}

impl WorkDir {
    /// Creates a new, empty directory.
    pub fn new() -> Result<Self, String> {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let path = PathBuf::from(format!("/tmp/qga-vm-{}-{n}", std::process::id()));
        // A leftover from an earlier process with the same pid.
        let _ = fs::remove_dir_all(&path);
        fs::create_dir_all(&path).map_err(|e| format!("creating {}: {e}", path.display()))?;
        Ok(Self { path })
    }

    /// The directory.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for WorkDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directories_are_distinct_short_and_removed() {
        let a = WorkDir::new().expect("a");
        let b = WorkDir::new().expect("b");
        assert_ne!(a.path(), b.path());
        assert!(a.path().join("qga.sock").as_os_str().len() < 108);
        let kept = a.path().to_owned();
        fs::write(kept.join("f"), "x").expect("write");
        drop(a);
        assert!(!kept.exists());
        assert!(b.path().is_dir());
    }
}
