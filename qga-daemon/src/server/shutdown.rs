//! A shutdown request every loop of the agent can wait on.

use nix::fcntl::OFlag;
use nix::poll::{poll, PollFd, PollFlags, PollTimeout};
use std::fmt;
use std::io;
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

struct Inner {
    requested: AtomicBool,
    /// Read end of a pipe that becomes readable, for good, on shutdown:
    /// loops poll it next to their channel. Nothing ever reads from it.
    wake_read: OwnedFd,
    wake_write: OwnedFd,
}

/// A shutdown request: a flag plus a file descriptor that becomes
/// readable when the flag is set, so that a loop blocked in `poll` wakes
/// up at once. Cloning gives another handle on the same request.
#[derive(Clone)]
pub struct Shutdown {
    inner: Arc<Inner>,
}

impl fmt::Debug for Shutdown {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Shutdown")
            .field("requested", &self.is_requested())
            .finish()
    }
}

impl Shutdown {
    /// A shutdown not requested yet.
    pub fn new() -> io::Result<Self> {
        let (wake_read, wake_write) = nix::unistd::pipe2(OFlag::O_CLOEXEC | OFlag::O_NONBLOCK)?;
        Ok(Shutdown {
            inner: Arc::new(Inner {
                requested: AtomicBool::new(false),
                wake_read,
                wake_write,
            }),
        })
    }

    /// Requests the shutdown and wakes every waiter. Idempotent.
    pub fn request(&self) {
        if !self.inner.requested.swap(true, Ordering::SeqCst) {
            // The pipe is empty, so this cannot block or fail for lack of
            // room; a failure would only delay the waiters to their next
            // flag check.
            let _ = nix::unistd::write(&self.inner.wake_write, &[1]);
        }
    }

    /// Whether the shutdown was requested.
    pub fn is_requested(&self) -> bool {
        self.inner.requested.load(Ordering::SeqCst)
    }

    /// The descriptor to poll for `POLLIN`: readable once requested.
    pub fn fd(&self) -> BorrowedFd<'_> {
        self.inner.wake_read.as_fd()
    }

    /// Sleeps for `timeout`, or less if the shutdown is requested; returns
    /// whether it was.
    pub fn wait(&self, timeout: Duration) -> bool {
        if self.is_requested() {
            return true;
        }
        let timeout = PollTimeout::try_from(timeout).unwrap_or(PollTimeout::MAX);
        let mut fds = [PollFd::new(self.fd(), PollFlags::POLLIN)];
        // EINTR or any other failure just ends the sleep early.
        let _ = poll(&mut fds, timeout);
        self.is_requested()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Instant;

    #[test]
    fn wait_times_out_when_not_requested() {
        let shutdown = Shutdown::new().unwrap();
        let start = Instant::now();
        assert!(!shutdown.wait(Duration::from_millis(30)));
        assert!(start.elapsed() >= Duration::from_millis(25));
    }

    #[test]
    fn request_wakes_a_waiter_in_another_thread() {
        let shutdown = Shutdown::new().unwrap();
        let other = shutdown.clone();
        let start = Instant::now();
        let waiter = std::thread::spawn(move || other.wait(Duration::from_secs(10)));
        std::thread::sleep(Duration::from_millis(20));
        shutdown.request();
        shutdown.request();
        assert!(waiter.join().unwrap());
        assert!(start.elapsed() < Duration::from_secs(5));
        assert!(shutdown.is_requested());
        assert!(shutdown.wait(Duration::from_secs(10)));
    }
}
