//! `-d`: running in the background.
//!
//! Forking a running Rust program needs `unsafe`, so the agent starts
//! itself again instead: [`daemonize`] in the original process spawns
//! `/proc/self/exe` with the same arguments and [`CHILD_ENV`] set, stdin
//! on `/dev/null`, stdout on a pipe and stderr inherited, then waits.
//! In the child, [`daemonize`] starts a new session (`setsid`), sets the
//! umask to 077 and changes to `/`, in qemu-ga's order; the agent then
//! writes its pid file and opens its log and channel, so that errors
//! still reach the terminal, and calls [`Detach::ready`]: one byte on the
//! pipe, then stdin, stdout and stderr on `/dev/null`.
//!
//! The parent exits 0 when the byte arrives, or with the child's status
//! (1 if it was killed) if the child exits first. qemu-ga's parent exits 0
//! at once, even when the child then fails.

use nix::sys::stat::{umask, Mode};
use std::ffi::OsString;
use std::fmt;
use std::fs::{File, OpenOptions};
use std::io::{self, Read, Write};
use std::process::{Command, Stdio};

/// Set in the environment of the re-executed child.
pub const CHILD_ENV: &str = "QGA_DAEMON_CHILD";
/// The byte the child writes when it is ready (ASCII ACK).
pub const READY_BYTE: u8 = 0x06;

/// Which side of [`daemonize`] we are on.
#[derive(Debug)]
pub enum Daemonized {
    /// The original process: exit with this status.
    Parent(i32),
    /// The background process: carry on, and call [`Detach::ready`] once
    /// started.
    Child(Detach),
}

/// The child's link to the waiting parent.
pub struct Detach {
    _private: (),
}

impl fmt::Debug for Detach {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Detach").finish_non_exhaustive()
    }
}

/// Starts the background copy of this process (in the parent), or
/// becomes it (in the child); see the module documentation.
pub fn daemonize() -> io::Result<Daemonized> {
    if std::env::var_os(CHILD_ENV).is_some() {
        return become_child().map(Daemonized::Child);
    }
    let mut args = std::env::args_os();
    let argv0 = args.next().unwrap_or_else(|| OsString::from("qemu-ga"));
    let mut command = Command::new("/proc/self/exe");
    std::os::unix::process::CommandExt::arg0(&mut command, argv0);
    command.args(args).env(CHILD_ENV, "1");
    spawn_and_wait(command).map(Daemonized::Parent)
}

/// Runs `command` as the background child and waits until it is ready
/// (returns 0) or exits (returns its status, or 1 if it was killed).
/// Whatever the child writes to stdout before it is ready is passed on.
pub fn spawn_and_wait(mut command: Command) -> io::Result<i32> {
    command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit());
    let mut child = command.spawn()?;
    let mut pipe = child
        .stdout
        .take()
        .ok_or_else(|| io::Error::other("no pipe to the child"))?;
    let mut buffer = [0u8; 4096];
    let mut stdout = io::stdout();
    loop {
        let count = match pipe.read(&mut buffer) {
            Ok(0) => break,
            Ok(count) => count,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        let chunk = buffer.get(..count).unwrap_or_default();
        match chunk.iter().position(|&b| b == READY_BYTE) {
            Some(at) => {
                let _ = stdout.write_all(chunk.get(..at).unwrap_or_default());
                let _ = stdout.flush();
                return Ok(0);
            }
            None => {
                let _ = stdout.write_all(chunk);
            }
        }
    }
    let _ = stdout.flush();
    let status = child.wait()?;
    Ok(status.code().unwrap_or(1))
}

/// The child's set-up: new session, umask 077, working directory `/`.
fn become_child() -> io::Result<Detach> {
    // Not inherited by what the agent starts later.
    std::env::remove_var(CHILD_ENV);
    nix::unistd::setsid()?;
    umask(Mode::from_bits_truncate(0o077));
    nix::unistd::chdir("/")?;
    Ok(Detach { _private: () })
}

impl Detach {
    /// Tells the parent the agent has started, and detaches stdin, stdout
    /// and stderr (to `/dev/null`).
    pub fn ready(self) -> io::Result<()> {
        let mut stdout = io::stdout().lock();
        stdout.write_all(&[READY_BYTE])?;
        stdout.flush()?;
        let null: File = OpenOptions::new()
            .read(true)
            .write(true)
            .open("/dev/null")?;
        nix::unistd::dup2_stdin(&null)?;
        nix::unistd::dup2_stdout(&null)?;
        nix::unistd::dup2_stderr(&null)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;
    use std::time::{Duration, Instant};

    /// Where the child of the tests below reports, and what it should do.
    const REPORT_ENV: &str = "QGA_TEST_DAEMON_REPORT";
    const MODE_ENV: &str = "QGA_TEST_DAEMON_MODE";

    /// The child side: a no-op in a normal test run; run by the tests
    /// below as the re-executed daemon.
    #[test]
    fn child_entry() {
        let Some(report) = std::env::var_os(REPORT_ENV).map(PathBuf::from) else {
            return;
        };
        let mode = std::env::var(MODE_ENV).unwrap_or_default();
        let Daemonized::Child(detach) = daemonize().unwrap() else {
            panic!("not the child");
        };
        if mode == "fail" {
            eprintln!("child failing on purpose");
            std::process::exit(3);
        }
        let pid = nix::unistd::getpid();
        let sid = nix::unistd::getsid(None).unwrap();
        let mask = umask(Mode::from_bits_truncate(0o077));
        let cwd = std::env::current_dir().unwrap();
        let env_cleared = std::env::var_os(CHILD_ENV).is_none();
        let text = format!(
            "{} {} {:o} {} {}\n",
            pid,
            sid,
            mask.bits(),
            cwd.display(),
            env_cleared
        );
        std::fs::write(report.with_extension("tmp"), text).unwrap();
        std::fs::rename(report.with_extension("tmp"), &report).unwrap();
        detach.ready().unwrap();
        // Nothing the test harness prints now may reach the parent.
        println!("after ready");
    }

    fn run_child(mode: &str, report: &std::path::Path) -> i32 {
        let mut command = Command::new(std::env::current_exe().unwrap());
        command
            .args([
                "--exact",
                "daemon::detach::tests::child_entry",
                "--nocapture",
                "--test-threads=1",
                "-q",
            ])
            .env(CHILD_ENV, "1")
            .env(REPORT_ENV, report)
            .env(MODE_ENV, mode);
        spawn_and_wait(command).unwrap()
    }

    #[test]
    fn parent_exits_0_once_the_child_is_ready() {
        let dir = tempfile::tempdir().unwrap();
        let report = dir.path().join("report");
        let start = Instant::now();
        assert_eq!(run_child("ok", &report), 0);
        assert!(start.elapsed() < Duration::from_secs(30));
        let text = std::fs::read_to_string(&report).unwrap();
        let fields: Vec<&str> = text.split_whitespace().collect();
        assert_eq!(fields.len(), 5, "{text}");
        assert_eq!(fields[0], fields[1], "not a session leader: {text}");
        assert_ne!(fields[0], std::process::id().to_string());
        assert_eq!(fields[2], "77");
        assert_eq!(fields[3], "/");
        assert_eq!(fields[4], "true");
    }

    #[test]
    fn parent_reports_the_child_failure() {
        let dir = tempfile::tempdir().unwrap();
        let report = dir.path().join("report");
        assert_eq!(run_child("fail", &report), 3);
        assert!(!report.exists());
    }
}
