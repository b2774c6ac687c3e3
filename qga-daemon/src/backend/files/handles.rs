//! Where guest file handles come from.
//!
//! qemu-ga numbers open files from a counter that starts at 1000 and is
//! saved in its state directory on every open, so that a handle is never
//! reused, even across restarts. The backend only asks for the next number;
//! the state directory keeps the counter.

use std::io;
use std::sync::atomic::{AtomicI64, Ordering};

pub use crate::state::FIRST_HANDLE;

/// A supplier of unique file handles.
pub trait HandleSource: Send + Sync {
    /// The next unused handle, after recording that it is taken.
    fn next_handle(&self) -> io::Result<i64>;
}

/// A counter kept in memory only: handles restart at [`FIRST_HANDLE`] with
/// the process. Meant for tests and for agents without a state directory.
#[derive(Debug)]
pub struct MemoryHandles {
    next: AtomicI64,
}

impl MemoryHandles {
    /// A counter whose first handle is `first`.
    pub fn starting_at(first: i64) -> Self {
        MemoryHandles {
            next: AtomicI64::new(first),
        }
    }
}

impl Default for MemoryHandles {
    fn default() -> Self {
        MemoryHandles::starting_at(FIRST_HANDLE)
    }
}

impl HandleSource for MemoryHandles {
    fn next_handle(&self) -> io::Result<i64> {
        let mut current = self.next.load(Ordering::Relaxed);
        loop {
            let next = current
                .checked_add(1)
                .ok_or_else(|| io::Error::other("file handle counter exhausted"))?;
            match self
                .next
                .compare_exchange(current, next, Ordering::Relaxed, Ordering::Relaxed)
            {
                Ok(_) => return Ok(current),
                Err(seen) => current = seen,
            }
        }
    }
}

/// The state directory's persistent counter.
impl HandleSource for crate::state::StateDir {
    fn next_handle(&self) -> io::Result<i64> {
        crate::state::StateDir::next_handle(self).map_err(io::Error::other)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_up_from_1000() {
        let handles = MemoryHandles::default();
        assert_eq!(handles.next_handle().unwrap(), 1000);
        assert_eq!(handles.next_handle().unwrap(), 1001);
    }

    #[test]
    fn the_state_directory_is_a_source() {
        let dir = tempfile::tempdir().unwrap();
        let state = crate::state::StateDir::open(dir.path(), false).unwrap();
        let source: &dyn HandleSource = &state;
        assert_eq!(source.next_handle().unwrap(), 1000);
        assert_eq!(source.next_handle().unwrap(), 1001);
    }

    #[test]
    fn refuses_to_wrap() {
        let handles = MemoryHandles::starting_at(i64::MAX - 1);
        assert_eq!(handles.next_handle().unwrap(), i64::MAX - 1);
        assert!(handles.next_handle().is_err());
        assert!(handles.next_handle().is_err());
    }
}
