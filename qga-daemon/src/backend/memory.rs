//! `guest-get-memory-blocks`, `guest-set-memory-blocks` and
//! `guest-get-memory-block-info`: the blocks of
//! `/sys/devices/system/memory`.
//!
//! A guest whose kernel exposes no memory blocks lists none. Changes are
//! reported per block, as the schema's `GuestMemoryBlockResponse`:
//! `error-code` (an errno) is present exactly when the change failed.
//! qemu-ga also sends an `error-code` of 2 with `success` when a block
//! without a `state` file is asked to go online; that contradicts the
//! schema and is not reproduced.

pub mod error;
#[cfg(test)]
mod oracle_tests;
#[cfg(test)]
mod tests;

use std::path::PathBuf;

use qga_generated::{
    GuestMemoryBlock, GuestMemoryBlockInfo, GuestMemoryBlockResponse, GuestMemoryBlockResponseType,
};

use crate::sys::fsutil::host_path;
use crate::sys::memory::{self, MemoryBlockSet};
pub use error::MemoryError;

/// The memory block commands, on the system below `root`.
#[derive(Debug, Clone)]
pub struct MemoryBlocks {
    root: PathBuf,
}

impl MemoryBlocks {
    /// Works on the tree below `root` (`/` in production).
    pub fn new(root: impl Into<PathBuf>) -> Self {
        MemoryBlocks { root: root.into() }
    }

    /// `guest-get-memory-blocks`: every block, by index, with
    /// `can-offline` always filled in; none when the kernel exposes no
    /// memory directory.
    pub fn get(&self) -> Result<Vec<GuestMemoryBlock>, MemoryError> {
        let Some(indexes) =
            memory::memory_block_indexes(&self.root).map_err(|e| MemoryError::list(&e))?
        else {
            return Ok(Vec::new());
        };
        if indexes.is_empty() {
            return Err(MemoryError::NoBlocks);
        }
        indexes
            .into_iter()
            .map(|index| {
                let block = memory::read_memory_block(&self.root, index)
                    .map_err(|e| MemoryError::from_block(index, &e))?;
                Ok(GuestMemoryBlock {
                    phys_index: block.phys_index,
                    online: block.online,
                    can_offline: Some(block.can_offline),
                })
            })
            .collect()
    }

    /// `guest-set-memory-blocks`: one response per entry, in order.
    /// `can-offline` of the entries is ignored.
    pub fn set(&self, blocks: &[GuestMemoryBlock]) -> Vec<GuestMemoryBlockResponse> {
        blocks
            .iter()
            .map(|block| {
                let outcome =
                    memory::set_memory_block_online(&self.root, block.phys_index, block.online);
                let (response, error_code) = match outcome {
                    MemoryBlockSet::Changed | MemoryBlockSet::Unchanged => {
                        (GuestMemoryBlockResponseType::Success, None)
                    }
                    MemoryBlockSet::NotFound => {
                        (GuestMemoryBlockResponseType::NotFound, Some(libc::ENOENT))
                    }
                    MemoryBlockSet::NotSupported => (
                        GuestMemoryBlockResponseType::OperationNotSupported,
                        Some(libc::ENOENT),
                    ),
                    MemoryBlockSet::Failed(errno) => {
                        (GuestMemoryBlockResponseType::OperationFailed, Some(errno))
                    }
                };
                GuestMemoryBlockResponse {
                    phys_index: block.phys_index,
                    response,
                    error_code: error_code.map(i64::from),
                }
            })
            .collect()
    }

    /// `guest-get-memory-block-info`: the block size in bytes.
    pub fn info(&self) -> Result<GuestMemoryBlockInfo, MemoryError> {
        let dir = host_path(&self.root, error::MEMORY_DIR);
        if let Err(e) = std::fs::read_dir(&dir) {
            return Err(MemoryError::OpenDir {
                path: format!("{}/", error::MEMORY_DIR),
                reason: error::reason(&e),
            });
        }
        match memory::read_block_size(&self.root) {
            Ok(size) => Ok(GuestMemoryBlockInfo { size }),
            Err(e) => Err(MemoryError::block_size(&self.root, &e)),
        }
    }
}
