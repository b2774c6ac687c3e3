//! Logical CPUs of `/sys/devices/system/cpu` and their online state
//! (`guest-get-vcpus`, `guest-set-vcpus`).

use std::io;
use std::os::unix::fs::FileExt;
use std::path::Path;

use super::error::{SysError, SysResult};
use super::fsutil::{dir_names, host_path};

/// One logical CPU.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Vcpu {
    /// The `N` of `cpuN`.
    pub logical_id: u32,
    /// Whether it is online.
    pub online: bool,
    /// Whether it can be taken offline (it has an `online` file; the boot
    /// CPU often has none).
    pub can_offline: bool,
}

/// The result of asking for a CPU's online state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SetOnline {
    /// The state was written.
    Changed,
    /// It already was in that state; nothing was written.
    Unchanged,
    /// Offlining was asked for a CPU without an `online` file.
    CannotOffline,
}

fn cpu_dir(root: &Path, id: u32) -> std::path::PathBuf {
    host_path(root, &format!("/sys/devices/system/cpu/cpu{id}"))
}

/// Whether the first byte of an open `online` file is not `0`.
fn read_online_flag(file: &std::fs::File, path: &Path) -> SysResult<bool> {
    let mut byte = [0u8; 1];
    let n = file
        .read_at(&mut byte, 0)
        .map_err(|e| SysError::io("pread", path, e))?;
    if n == 0 {
        return Err(SysError::format(path, "unexpected EOF"));
    }
    Ok(byte[0] != b'0')
}

/// Reads the state of CPU `id`.
pub fn read_vcpu(root: &Path, id: u32) -> SysResult<Vcpu> {
    let dir = cpu_dir(root, id);
    if !dir.is_dir() {
        return Err(SysError::io(
            "open",
            &dir,
            io::Error::from(io::ErrorKind::NotFound),
        ));
    }
    let path = dir.join("online");
    match std::fs::File::open(&path) {
        Ok(f) => Ok(Vcpu {
            logical_id: id,
            online: read_online_flag(&f, &path)?,
            can_offline: true,
        }),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(Vcpu {
            logical_id: id,
            online: true,
            can_offline: false,
        }),
        Err(e) => Err(SysError::io("open", &path, e)),
    }
}

/// The ids of the `cpuN` entries of `/sys/devices/system/cpu`, ascending.
pub fn cpu_ids(root: &Path) -> SysResult<Vec<u32>> {
    let names = dir_names(&host_path(root, "/sys/devices/system/cpu"))?;
    let mut ids: Vec<u32> = names
        .iter()
        .filter_map(|n| n.strip_prefix("cpu")?.parse().ok())
        .collect();
    ids.sort_unstable();
    Ok(ids)
}

/// Reads every logical CPU, by id.
pub fn read_vcpus(root: &Path) -> SysResult<Vec<Vcpu>> {
    cpu_ids(root)?
        .into_iter()
        .map(|id| read_vcpu(root, id))
        .collect()
}

/// Brings CPU `id` online or offline, writing only on a change.
pub fn set_vcpu_online(root: &Path, id: u32, online: bool) -> SysResult<SetOnline> {
    let dir = cpu_dir(root, id);
    if !dir.is_dir() {
        return Err(SysError::io(
            "open",
            &dir,
            io::Error::from(io::ErrorKind::NotFound),
        ));
    }
    let path = dir.join("online");
    let file = match std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(&path)
    {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            return Ok(if online {
                SetOnline::Unchanged
            } else {
                SetOnline::CannotOffline
            });
        }
        Err(e) => return Err(SysError::io("open", &path, e)),
    };
    if read_online_flag(&file, &path)? == online {
        return Ok(SetOnline::Unchanged);
    }
    let flag: &[u8] = if online { b"1" } else { b"0" };
    file.write_at(flag, 0)
        .map_err(|e| SysError::io("pwrite", &path, e))?;
    Ok(SetOnline::Changed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn tree() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let base = dir.path().join("sys/devices/system/cpu");
        for n in ["cpu0", "cpu1", "cpu10", "cpu2", "cpufreq", "cpuidle"] {
            fs::create_dir_all(base.join(n)).unwrap();
        }
        fs::write(base.join("online"), "0-2,10\n").unwrap();
        fs::write(base.join("cpu1/online"), "1\n").unwrap();
        fs::write(base.join("cpu2/online"), "0\n").unwrap();
        fs::write(base.join("cpu10/online"), "").unwrap();
        dir
    }

    #[test]
    fn reads_states() {
        let dir = tree();
        let root = dir.path();
        assert_eq!(cpu_ids(root).unwrap(), vec![0, 1, 2, 10]);
        let v = read_vcpu(root, 0).unwrap();
        assert!(v.online && !v.can_offline);
        let v = read_vcpu(root, 1).unwrap();
        assert!(v.online && v.can_offline);
        let v = read_vcpu(root, 2).unwrap();
        assert!(!v.online && v.can_offline);
        assert!(matches!(read_vcpu(root, 10), Err(SysError::Format { .. })));
        assert!(read_vcpus(root).is_err());
        assert!(read_vcpu(root, 99).unwrap_err().is_not_found());
    }

    #[test]
    fn writes_states() {
        let dir = tree();
        let root = dir.path();
        assert_eq!(
            set_vcpu_online(root, 0, true).unwrap(),
            SetOnline::Unchanged
        );
        assert_eq!(
            set_vcpu_online(root, 0, false).unwrap(),
            SetOnline::CannotOffline
        );
        assert_eq!(
            set_vcpu_online(root, 1, true).unwrap(),
            SetOnline::Unchanged
        );
        assert_eq!(set_vcpu_online(root, 1, false).unwrap(), SetOnline::Changed);
        assert!(!read_vcpu(root, 1).unwrap().online);
        assert_eq!(set_vcpu_online(root, 2, true).unwrap(), SetOnline::Changed);
        assert!(read_vcpu(root, 2).unwrap().online);
        assert!(set_vcpu_online(root, 42, true).unwrap_err().is_not_found());
    }

    #[test]
    fn real_system() {
        if let Ok(cpus) = read_vcpus(Path::new("/")) {
            assert!(!cpus.is_empty());
            assert!(cpus.iter().any(|c| c.online));
        }
    }
}
