//! [`Storage`]: the read-only filesystem and disk commands over a root
//! directory. `guest-get-diskstats` and `guest-get-cpustats` are here;
//! `guest-get-fsinfo` and `guest-get-disks` in their own modules.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use qga_generated::{GuestCpuStats, GuestDiskStatsInfo};

use super::convert::{cpu_stats, disk_stats};
use super::error::FsError;
use super::smart::{DeviceSmart, SmartSource};
use crate::sys::cpustats::{clock_ticks_per_second, read_cpustats};
use crate::sys::diskstats::read_diskstats;

/// The backend of `guest-get-fsinfo`, `guest-get-disks`,
/// `guest-get-diskstats` and `guest-get-cpustats`.
#[derive(Debug, Clone)]
pub struct Storage {
    pub(super) root: PathBuf,
    ticks_per_second: u64,
    pub(super) smart: Arc<dyn SmartSource>,
}

impl Storage {
    /// Reads the system below `root` (`/` in production), NVMe SMART data
    /// from the devices themselves.
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Storage {
            root: root.into(),
            ticks_per_second: clock_ticks_per_second(),
            smart: Arc::new(DeviceSmart),
        }
    }

    /// Takes NVMe SMART data from `smart` instead of the devices.
    pub fn with_smart_source(mut self, smart: Arc<dyn SmartSource>) -> Self {
        self.smart = smart;
        self
    }

    /// Uses `ticks_per_second` instead of the kernel's `USER_HZ` to convert
    /// `/proc/stat` counters (for a fake tree made elsewhere).
    pub fn with_clock_ticks(mut self, ticks_per_second: u64) -> Self {
        self.ticks_per_second = ticks_per_second;
        self
    }

    /// The root directory that stands for `/`.
    pub fn root(&self) -> &Path {
        &self.root
    }

    pub(super) fn sys_error(&self, error: crate::sys::SysError) -> FsError {
        FsError::from_sys(&self.root, error)
    }

    /// `guest-get-diskstats`: every line of `/proc/diskstats`, in file
    /// order.
    pub fn diskstats(&self) -> Result<Vec<GuestDiskStatsInfo>, FsError> {
        let stats = read_diskstats(&self.root).map_err(|e| self.sys_error(e))?;
        Ok(stats.into_iter().map(disk_stats).collect())
    }

    /// `guest-get-cpustats`: the `cpuN` lines of `/proc/stat`, in
    /// milliseconds.
    pub fn cpustats(&self) -> Result<Vec<GuestCpuStats>, FsError> {
        let cpus = read_cpustats(&self.root).map_err(|e| self.sys_error(e))?;
        Ok(cpus
            .iter()
            .map(|c| cpu_stats(c, self.ticks_per_second))
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use qga_generated::GuestCpuStatsBranch;
    use std::fs;

    #[test]
    fn diskstats_from_fake_proc() {
        let dir = tempfile::tempdir().unwrap();
        let s = Storage::new(dir.path());
        let e = s.diskstats().unwrap_err();
        assert_eq!(
            e.to_string(),
            "open(\"/proc/diskstats\"): No such file or directory"
        );
        fs::create_dir_all(dir.path().join("proc")).unwrap();
        fs::write(
            dir.path().join("proc/diskstats"),
            " 253 0 vda 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17\n 253 1 vda1 1 2 3 4\n",
        )
        .unwrap();
        let d = s.diskstats().unwrap();
        assert_eq!(d.len(), 2);
        assert_eq!(
            (d[0].name.as_str(), d[0].major, d[0].minor),
            ("vda", 253, 0)
        );
        assert_eq!(d[0].stats.flush_ticks, Some(17));
        assert_eq!(d[1].stats.write_sectors, Some(4));
        assert_eq!(d[1].stats.read_merges, None);
    }

    #[test]
    fn cpustats_from_fake_proc() {
        let dir = tempfile::tempdir().unwrap();
        let s = Storage::new(dir.path()).with_clock_ticks(100);
        let e = s.cpustats().unwrap_err();
        assert_eq!(
            e.to_string(),
            "open(\"/proc/stat\"): No such file or directory"
        );
        fs::create_dir_all(dir.path().join("proc")).unwrap();
        fs::write(
            dir.path().join("proc/stat"),
            "cpu 9 9 9 9\ncpu0 1 2 3 4 5 6 7 8 9 10\ncpu1 1 2 3 4\nintr 1\n",
        )
        .unwrap();
        let c = s.cpustats().unwrap();
        assert_eq!(c.len(), 2);
        let GuestCpuStatsBranch::Linux(l) = &c[0].branch;
        assert_eq!((l.cpu, l.user, l.guestnice), (0, 10, Some(100)));
        let GuestCpuStatsBranch::Linux(l) = &c[1].branch;
        assert_eq!((l.cpu, l.idle, l.iowait), (1, 40, None));
    }

    #[test]
    fn real_system() {
        let s = Storage::new("/");
        assert_eq!(s.root(), Path::new("/"));
        if let Ok(c) = s.cpustats() {
            assert!(!c.is_empty());
        }
        if let Ok(d) = s.diskstats() {
            assert!(d.iter().all(|i| !i.name.is_empty()));
        }
    }
}
