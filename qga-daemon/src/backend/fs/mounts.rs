//! The list of local filesystems that freeze, trim and fsinfo work on, as
//! qemu-ga 10.x builds it: `/proc/self/mountinfo` (or `/proc/self/mounts`
//! when that cannot be read), each block device once.

use std::path::{Path, PathBuf};

use crate::sys::fsutil::{host_path, read_text};
use crate::sys::mountinfo::{
    parse_mounts, read_mountinfo, select_local_mounts, select_local_mounts_from_mtab,
    unique_devices, FsMount,
};
use crate::sys::SysError;

/// Neither mount table could be read.
#[derive(Debug, thiserror::Error)]
#[error("failed to open mtab file: '/proc/self/mounts'")]
pub struct MountTableError(#[source] pub SysError);

/// The local filesystems in mount order, a device mounted several times
/// (bind mounts) listed at its first mount only.
pub fn mount_list(root: &Path) -> Result<Vec<FsMount>, MountTableError> {
    let mounts = match read_mountinfo(root) {
        Ok(Some(mounts)) => select_local_mounts(root, &mounts),
        // qemu-ga falls back whenever mountinfo cannot be opened.
        Ok(None) | Err(_) => {
            let text = read_text(&host_path(root, "/proc/self/mounts")).map_err(MountTableError)?;
            select_local_mounts_from_mtab(root, &parse_mounts(&text))
        }
    };
    Ok(unique_devices(&mounts))
}

/// The path of mount point `dir` (absolute, as the mount table names it)
/// below `root`.
pub fn mount_path(root: &Path, dir: &Path) -> PathBuf {
    root.join(dir.strip_prefix("/").unwrap_or(dir))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    #[test]
    fn bind_mounts_listed_once() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::create_dir_all(root.join("proc/self")).unwrap();
        fs::write(
            root.join("proc/self/mountinfo"),
            "1 0 8:1 / / rw - ext4 /dev/sda1 rw\n\
             2 1 0:5 / /proc rw - proc proc rw\n\
             3 1 8:2 / /data rw - xfs /dev/sda2 rw\n\
             4 1 8:2 /sub /bind rw - xfs /dev/sda2 rw\n",
        )
        .unwrap();
        let dirs: Vec<_> = mount_list(root)
            .unwrap()
            .into_iter()
            .map(|m| m.dir.to_string_lossy().into_owned())
            .collect();
        assert_eq!(dirs, ["/", "/data"]);
    }

    #[test]
    fn fallback_and_failure() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let e = mount_list(root).unwrap_err();
        assert_eq!(
            e.to_string(),
            "failed to open mtab file: '/proc/self/mounts'"
        );
        fs::create_dir_all(root.join("proc/self")).unwrap();
        fs::write(root.join("proc/self/mounts"), "/dev/sda1 / ext4 rw 0 0\n").unwrap();
        assert_eq!(mount_list(root).unwrap().len(), 1);
    }

    #[test]
    fn paths_below_root() {
        let root = Path::new("/tmp/r");
        assert_eq!(mount_path(root, Path::new("/")), PathBuf::from("/tmp/r/"));
        assert_eq!(
            mount_path(root, Path::new("/a b")),
            PathBuf::from("/tmp/r/a b")
        );
        assert_eq!(
            mount_path(Path::new("/"), Path::new("/x")),
            PathBuf::from("/x")
        );
    }
}
