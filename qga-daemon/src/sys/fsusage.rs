//! Filesystem usage from `statvfs`, computed as `guest-get-fsinfo` does.

use std::path::Path;

use super::error::{SysError, SysResult};

/// Space figures of a mounted filesystem, in bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FsUsage {
    /// `(f_blocks - f_bfree) * f_frsize`.
    pub used_bytes: u64,
    /// Space an unprivileged user can see: `(f_blocks - f_bfree +
    /// f_bavail) * f_frsize`.
    pub total_bytes: u64,
    /// All space, including the part reserved for root:
    /// `f_blocks * f_frsize`.
    pub total_bytes_privileged: u64,
}

impl FsUsage {
    /// Computes the figures from `statvfs` fields. Arithmetic wraps, as the
    /// C computation on `unsigned long` does.
    pub fn from_counts(frsize: u64, blocks: u64, bfree: u64, bavail: u64) -> Self {
        let used = blocks.wrapping_sub(bfree);
        FsUsage {
            used_bytes: used.wrapping_mul(frsize),
            total_bytes: used.wrapping_add(bavail).wrapping_mul(frsize),
            total_bytes_privileged: blocks.wrapping_mul(frsize),
        }
    }
}

/// Calls `statvfs` on `path` (an already root-resolved path: the mount
/// point to measure).
pub fn fs_usage(path: &Path) -> SysResult<FsUsage> {
    let st = rustix::fs::statvfs(path).map_err(|e| SysError::io("statvfs", path, e.into()))?;
    Ok(FsUsage::from_counts(
        st.f_frsize,
        st.f_blocks,
        st.f_bfree,
        st.f_bavail,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas() {
        let u = FsUsage::from_counts(4096, 1000, 400, 300);
        assert_eq!(u.used_bytes, 600 * 4096);
        assert_eq!(u.total_bytes, 900 * 4096);
        assert_eq!(u.total_bytes_privileged, 1000 * 4096);
        let w = FsUsage::from_counts(2, 1, 3, 0);
        assert_eq!(w.used_bytes, u64::MAX - 3);
    }

    #[test]
    fn real_root_and_missing() {
        let u = fs_usage(Path::new("/")).unwrap();
        assert!(u.total_bytes_privileged >= u.used_bytes);
        let e = fs_usage(Path::new("/definitely/not/here")).unwrap_err();
        assert!(e.is_not_found());
    }
}
