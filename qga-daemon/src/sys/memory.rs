//! Memory blocks of `/sys/devices/system/memory` (`guest-get-memory-blocks`,
//! `guest-set-memory-blocks`, `guest-get-memory-block-info`).

use std::io;
use std::path::{Path, PathBuf};

use super::error::{SysError, SysResult};
use super::fsutil::{dir_names, host_path, read_text};

/// One memory block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MemoryBlock {
    /// The `N` of `memoryN`.
    pub phys_index: u64,
    /// Whether its state is `online`.
    pub online: bool,
    /// Whether it is removable (old kernels without `state` or
    /// `removable` cannot offline).
    pub can_offline: bool,
}

/// The outcome of asking for a memory block's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MemoryBlockSet {
    /// The new state was written.
    Changed,
    /// It already was in that state.
    Unchanged,
    /// No such block.
    NotFound,
    /// The kernel cannot change memory state (no `memory` directory, or a
    /// block without `state` that would have to go offline).
    NotSupported,
    /// Reading or writing failed, with this errno (0 if unknown).
    Failed(i32),
}

const MEMORY_DIR: &str = "/sys/devices/system/memory";

fn block_dir(root: &Path, index: u64) -> PathBuf {
    host_path(root, &format!("{MEMORY_DIR}/memory{index}"))
}

/// The `memoryN` directories, ascending; `None` when the kernel exposes no
/// memory blocks.
pub fn memory_block_indexes(root: &Path) -> SysResult<Option<Vec<u64>>> {
    let names = match dir_names(&host_path(root, MEMORY_DIR)) {
        Ok(names) => names,
        Err(e) if e.is_not_found() => return Ok(None),
        Err(e) => return Err(e),
    };
    let mut ids: Vec<u64> = names
        .iter()
        .filter(|n| root_is_dir(root, n))
        .filter_map(|n| n.strip_prefix("memory")?.parse().ok())
        .collect();
    ids.sort_unstable();
    Ok(Some(ids))
}

fn root_is_dir(root: &Path, name: &str) -> bool {
    host_path(root, &format!("{MEMORY_DIR}/{name}")).is_dir()
}

fn first_byte(path: &Path) -> Result<Option<u8>, SysError> {
    match std::fs::read(path) {
        Ok(bytes) => match bytes.first() {
            Some(&b) => Ok(Some(b)),
            None => Err(SysError::format(path, "unexpected EOF")),
        },
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(SysError::io("open", path, e)),
    }
}

/// Reads memory block `index`.
pub fn read_memory_block(root: &Path, index: u64) -> SysResult<MemoryBlock> {
    let dir = block_dir(root, index);
    if !dir.is_dir() {
        return Err(SysError::io(
            "open",
            &dir,
            io::Error::from(io::ErrorKind::NotFound),
        ));
    }
    let state = dir.join("state");
    let text = match std::fs::read(&state) {
        Ok(bytes) if bytes.is_empty() => return Err(SysError::format(&state, "unexpected EOF")),
        Ok(bytes) => bytes,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            return Ok(MemoryBlock {
                phys_index: index,
                online: true,
                can_offline: false,
            })
        }
        Err(e) => return Err(SysError::io("open", &state, e)),
    };
    let can_offline = first_byte(&dir.join("removable"))?.is_some_and(|b| b != b'0');
    Ok(MemoryBlock {
        phys_index: index,
        online: text.starts_with(b"online"),
        can_offline,
    })
}

/// Reads every memory block; `None` when the kernel exposes none.
pub fn read_memory_blocks(root: &Path) -> SysResult<Option<Vec<MemoryBlock>>> {
    let Some(ids) = memory_block_indexes(root)? else {
        return Ok(None);
    };
    ids.into_iter()
        .map(|i| read_memory_block(root, i))
        .collect::<SysResult<Vec<_>>>()
        .map(Some)
}

fn errno_of(e: &io::Error) -> i32 {
    e.raw_os_error().unwrap_or(0)
}

/// Puts memory block `index` online or offline, writing only on a change.
pub fn set_memory_block_online(root: &Path, index: u64, online: bool) -> MemoryBlockSet {
    if !host_path(root, MEMORY_DIR).is_dir() {
        return MemoryBlockSet::NotSupported;
    }
    let dir = block_dir(root, index);
    if !dir.is_dir() {
        return MemoryBlockSet::NotFound;
    }
    let state = dir.join("state");
    let current = match std::fs::read(&state) {
        Ok(bytes) if bytes.is_empty() => return MemoryBlockSet::Failed(0),
        Ok(bytes) => bytes.starts_with(b"online"),
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            return if online {
                MemoryBlockSet::Unchanged
            } else {
                MemoryBlockSet::NotSupported
            };
        }
        Err(e) => return MemoryBlockSet::Failed(errno_of(&e)),
    };
    if current == online {
        return MemoryBlockSet::Unchanged;
    }
    let value = if online { "online" } else { "offline" };
    match std::fs::OpenOptions::new().write(true).open(&state) {
        Ok(mut f) => match io::Write::write_all(&mut f, value.as_bytes()) {
            Ok(()) => MemoryBlockSet::Changed,
            Err(e) => MemoryBlockSet::Failed(errno_of(&e)),
        },
        Err(e) => MemoryBlockSet::Failed(errno_of(&e)),
    }
}

/// The memory block size in bytes, from the hexadecimal
/// `block_size_bytes`.
pub fn read_block_size(root: &Path) -> SysResult<u64> {
    let path = host_path(root, &format!("{MEMORY_DIR}/block_size_bytes"));
    let text = read_text(&path)?;
    let hex = text.trim();
    let hex = hex.strip_prefix("0x").unwrap_or(hex);
    u64::from_str_radix(hex, 16).map_err(|_| SysError::format(&path, "not a hexadecimal size"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn tree() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let base = dir.path().join("sys/devices/system/memory");
        for (n, state, removable) in [
            ("memory0", Some("online\n"), Some("0\n")),
            ("memory8", Some("offline\n"), Some("1\n")),
            ("memory2", Some("online\n"), None),
            ("memory3", None, None),
        ] {
            fs::create_dir_all(base.join(n)).unwrap();
            if let Some(s) = state {
                fs::write(base.join(n).join("state"), s).unwrap();
            }
            if let Some(r) = removable {
                fs::write(base.join(n).join("removable"), r).unwrap();
            }
        }
        fs::write(base.join("block_size_bytes"), "8000000\n").unwrap();
        fs::write(base.join("memoryX"), "").unwrap();
        dir
    }

    #[test]
    fn reads_blocks() {
        let dir = tree();
        let blocks = read_memory_blocks(dir.path()).unwrap().unwrap();
        let summary: Vec<_> = blocks
            .iter()
            .map(|b| (b.phys_index, b.online, b.can_offline))
            .collect();
        assert_eq!(
            summary,
            vec![
                (0, true, false),
                (2, true, false),
                (3, true, false),
                (8, false, true)
            ]
        );
        assert_eq!(read_block_size(dir.path()).unwrap(), 0x800_0000);
    }

    #[test]
    fn sets_blocks() {
        let dir = tree();
        let root = dir.path();
        assert_eq!(
            set_memory_block_online(root, 0, true),
            MemoryBlockSet::Unchanged
        );
        assert_eq!(
            set_memory_block_online(root, 8, true),
            MemoryBlockSet::Changed
        );
        assert!(read_memory_block(root, 8).unwrap().online);
        assert_eq!(
            set_memory_block_online(root, 3, false),
            MemoryBlockSet::NotSupported
        );
        assert_eq!(
            set_memory_block_online(root, 3, true),
            MemoryBlockSet::Unchanged
        );
        assert_eq!(
            set_memory_block_online(root, 77, true),
            MemoryBlockSet::NotFound
        );
    }

    #[test]
    fn no_memory_directory() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(read_memory_blocks(dir.path()).unwrap(), None);
        assert_eq!(
            set_memory_block_online(dir.path(), 0, true),
            MemoryBlockSet::NotSupported
        );
        assert!(read_block_size(dir.path()).unwrap_err().is_not_found());
    }

    #[test]
    fn bad_block_size() {
        let dir = tree();
        fs::write(
            dir.path()
                .join("sys/devices/system/memory/block_size_bytes"),
            "zz\n",
        )
        .unwrap();
        assert!(matches!(
            read_block_size(dir.path()),
            Err(SysError::Format { .. })
        ));
    }

    #[test]
    fn real_system() {
        if let Ok(Some(blocks)) = read_memory_blocks(Path::new("/")) {
            assert!(blocks.windows(2).all(|w| w[0].phys_index < w[1].phys_index));
        }
        if let Ok(size) = read_block_size(Path::new("/")) {
            assert!(size > 0);
        }
    }
}
