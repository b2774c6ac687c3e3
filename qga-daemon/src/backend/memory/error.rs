//! Why a memory block command failed, with qemu-ga's texts.

use std::path::Path;

use crate::sys::fsutil::host_path;
use crate::sys::SysError;

pub use crate::backend::cpu::error::reason;

/// The directory of the memory blocks.
pub const MEMORY_DIR: &str = "/sys/devices/system/memory";

/// The file holding the block size, in hexadecimal.
const BLOCK_SIZE_FILE: &str = "block_size_bytes";

/// A failed memory block command; `Display` is qemu-ga's message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MemoryError {
    /// The memory directory exists but cannot be listed.
    #[error("Can't open directory\"/sys/devices/system/memory/\": {reason}")]
    List {
        /// `strerror` of the failure.
        reason: String,
    },
    /// The memory directory holds no block.
    #[error("guest reported zero memory blocks!")]
    NoBlocks,
    /// A directory cannot be opened.
    #[error("open(\"{path}\"): {reason}")]
    OpenDir {
        /// The directory, as qemu-ga writes it (with a final slash).
        path: String,
        /// `strerror` of the failure.
        reason: String,
    },
    /// A file of a block (or the block size file) cannot be read.
    #[error("open sysfs file \"{name}\": {reason}")]
    OpenFile {
        /// The file name (`state`, `removable`, `block_size_bytes`).
        name: String,
        /// `strerror` of the failure.
        reason: String,
    },
    /// A file is empty.
    #[error("pread sysfs file \"{name}\": unexpected EOF")]
    Eof {
        /// The file name.
        name: String,
    },
    /// The block size is not a hexadecimal number.
    #[error("invalid memory block size in sysfs file \"{BLOCK_SIZE_FILE}\"")]
    BadBlockSize,
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn sys_reason(e: &SysError) -> String {
    match e {
        SysError::Io { source, .. } => reason(source),
        SysError::Format { message, .. } => message.clone(),
    }
}

impl MemoryError {
    /// The memory directory could not be listed.
    pub fn list(e: &SysError) -> Self {
        MemoryError::List {
            reason: sys_reason(e),
        }
    }

    /// A reader's failure on block `index`.
    pub fn from_block(index: u64, e: &SysError) -> Self {
        match e {
            SysError::Io { path, source, .. } => {
                let name = file_name(path);
                if name.starts_with("memory") {
                    MemoryError::OpenDir {
                        path: format!("{MEMORY_DIR}/memory{index}/"),
                        reason: reason(source),
                    }
                } else {
                    MemoryError::OpenFile {
                        name,
                        reason: reason(source),
                    }
                }
            }
            SysError::Format { path, .. } => MemoryError::Eof {
                name: file_name(path),
            },
        }
    }

    /// A failure reading the block size below `root`.
    pub fn block_size(root: &Path, e: &SysError) -> Self {
        match e {
            SysError::Io { source, .. } => MemoryError::OpenFile {
                name: BLOCK_SIZE_FILE.to_string(),
                reason: reason(source),
            },
            SysError::Format { .. } => {
                let path = host_path(root, &format!("{MEMORY_DIR}/{BLOCK_SIZE_FILE}"));
                if std::fs::read(path).is_ok_and(|b| b.is_empty()) {
                    MemoryError::Eof {
                        name: BLOCK_SIZE_FILE.to_string(),
                    }
                } else {
                    MemoryError::BadBlockSize
                }
            }
        }
    }
}
