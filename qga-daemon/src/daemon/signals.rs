//! SIGTERM and SIGINT: a clean shutdown.
//!
//! A thread waits for the signals (through `signal-hook`'s self-pipe, so
//! the handler itself does nothing but write a byte). For each one it runs
//! the caller's hook first (the agent thaws frozen filesystems there:
//! qemu-ga ignores the signals while frozen, which leaves a guest frozen
//! by an agent that cannot be stopped), logs qemu-ga's `received signal
//! num N, quitting` and requests the [`Shutdown`].
//!
//! SIGPIPE needs nothing here: the Rust runtime ignores it before `main`,
//! so writing to a client that went away gives `EPIPE`, which ends that
//! connection only. Children started with `std::process::Command` get the
//! default disposition back.

use crate::log;
use crate::server::Shutdown;
use signal_hook::consts::{SIGINT, SIGTERM};
use signal_hook::iterator::{Handle, Signals};
use std::fmt;
use std::io;
use std::thread::JoinHandle;

/// The signals that stop the agent.
pub const QUIT_SIGNALS: [i32; 2] = [SIGTERM, SIGINT];

/// Watches for [`QUIT_SIGNALS`] until dropped.
pub struct SignalWatcher {
    handle: Handle,
    thread: Option<JoinHandle<()>>,
}

impl fmt::Debug for SignalWatcher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SignalWatcher").finish_non_exhaustive()
    }
}

/// Starts watching: on SIGTERM or SIGINT, runs `before_quit` with the
/// signal number, then requests `shutdown`.
pub fn watch(
    shutdown: Shutdown,
    before_quit: impl Fn(i32) + Send + 'static,
) -> io::Result<SignalWatcher> {
    watch_signals(&QUIT_SIGNALS, shutdown, before_quit)
}

/// [`watch`] for the given signals.
fn watch_signals(
    which: &[i32],
    shutdown: Shutdown,
    before_quit: impl Fn(i32) + Send + 'static,
) -> io::Result<SignalWatcher> {
    let mut signals = Signals::new(which)?;
    let handle = signals.handle();
    let thread = std::thread::Builder::new()
        .name("qga-signals".to_owned())
        .spawn(move || {
            for signal in signals.forever() {
                before_quit(signal);
                log::debug(format_args!("received signal num {signal}, quitting"));
                shutdown.request();
            }
        })?;
    Ok(SignalWatcher {
        handle,
        thread: Some(thread),
    })
}

impl Drop for SignalWatcher {
    fn drop(&mut self) {
        self.handle.close();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Whether SIGPIPE is ignored in this process (from `/proc/self/status`).
pub fn sigpipe_ignored() -> io::Result<bool> {
    let status = std::fs::read_to_string("/proc/self/status")?;
    let mask = status
        .lines()
        .find_map(|line| line.strip_prefix("SigIgn:"))
        .and_then(|hex| u64::from_str_radix(hex.trim(), 16).ok())
        .ok_or_else(|| io::Error::other("no SigIgn line in /proc/self/status"))?;
    Ok(mask & (1 << (libc::SIGPIPE - 1)) != 0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;
    use std::time::Duration;

    #[test]
    fn quit_signals() {
        assert_eq!(QUIT_SIGNALS, [libc::SIGTERM, libc::SIGINT]);
    }

    /// SIGUSR2 stands in for SIGTERM: other tests of this process run
    /// agents that watch SIGTERM.
    #[test]
    fn signal_runs_the_hook_then_requests_shutdown() {
        let shutdown = Shutdown::new().unwrap();
        let (tx, rx) = mpsc::channel();
        let watcher = {
            let shutdown = shutdown.clone();
            let hook_shutdown = shutdown.clone();
            watch_signals(&[libc::SIGUSR2], shutdown, move |signal| {
                // The shutdown is requested only after the hook.
                tx.send((signal, hook_shutdown.is_requested())).unwrap();
            })
            .unwrap()
        };
        nix::sys::signal::raise(nix::sys::signal::Signal::SIGUSR2).unwrap();
        let (signal, requested_before) = rx.recv_timeout(Duration::from_secs(5)).unwrap();
        assert_eq!(signal, libc::SIGUSR2);
        assert!(!requested_before);
        assert!(shutdown.wait(Duration::from_secs(5)));
        drop(watcher);
    }

    #[test]
    fn sigpipe_is_ignored() {
        assert!(sigpipe_ignored().unwrap());
    }
}
