//! The allocator's policy for large blocks: give them back at once.
//!
//! glibc's `malloc` serves a block of 128 KiB or more with a mapping of
//! its own, unmapped when it is freed, but after freeing one it raises
//! that threshold to the block's size (up to 32 MiB): from then on blocks
//! below it come from a heap, which keeps the memory after they are
//! freed. One large `guest-file-read` (its read buffer, the reply's
//! pieces) would leave the agent holding tens of MiB for good. Fixing the
//! threshold at glibc's default turns that adjustment off, so that every
//! large block is a mapping, returned as soon as it is freed. musl's
//! allocator, which the static build uses, already works this way.

#![allow(unsafe_code)]

/// The size from which a block gets a mapping of its own: glibc's default.
pub const LARGE_BLOCK: usize = 128 * 1024;

/// Makes the allocator map every block of [`LARGE_BLOCK`] bytes or more
/// and unmap it when freed. Returns whether that is now the policy.
pub fn return_large_blocks() -> bool {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        let threshold = libc::c_int::try_from(LARGE_BLOCK).unwrap_or(libc::c_int::MAX);
        // SAFETY: mallopt takes two integers and only changes malloc's
        // tunables, under malloc's own lock; no memory is handed over.
        unsafe { libc::mallopt(libc::M_MMAP_THRESHOLD, threshold) == 1 }
    }
    #[cfg(not(all(target_os = "linux", target_env = "gnu")))]
    {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Anonymous memory resident in this process, in KiB.
    fn rss_anon() -> u64 {
        let status = std::fs::read_to_string("/proc/self/status").unwrap();
        status
            .lines()
            .find_map(|l| l.strip_prefix("RssAnon:"))
            .and_then(|v| v.trim().trim_end_matches(" kB").parse().ok())
            .unwrap()
    }

    /// Set in the child process that runs the measurement alone.
    const ALONE: &str = "QGA_MEMORY_TEST_ALONE";

    #[test]
    fn freed_large_blocks_leave_the_process() {
        if std::env::var_os(ALONE).is_none() {
            // Other tests allocate at the same time in this process: run
            // this one alone in a child.
            let name = "daemon::memory::tests::freed_large_blocks_leave_the_process";
            let status = std::process::Command::new(std::env::current_exe().unwrap())
                .args([name, "--exact", "--nocapture", "--test-threads=1"])
                .env(ALONE, "1")
                .status()
                .unwrap();
            assert!(status.success());
            return;
        }
        assert!(return_large_blocks());
        // Without the fixed threshold, freeing the first block raises it
        // and the second one stays in the heap once freed.
        for _ in 0..2 {
            let before = rss_anon();
            let block = std::hint::black_box(vec![1u8; 24 << 20]);
            assert!(rss_anon() >= before + (20 << 10), "the block is resident");
            drop(block);
            let after = rss_anon();
            assert!(after < before + (1 << 10), "{before} KiB, then {after} KiB");
        }
    }
}
