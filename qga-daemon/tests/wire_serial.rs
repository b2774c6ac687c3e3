//! The built agent on a serial channel: `-m isa-serial` and `-m
//! virtio-serial` on a pseudo-terminal, whose other end the test holds as
//! the host. (The port surviving the host closing and opening it again,
//! without spinning meanwhile, is tested in process: a pty's host end,
//! the master, cannot be opened again once closed.)

mod wire_support;

use nix::sys::termios::{self, SetArg};
use std::fs::File;
use std::io::{Read, Write};
use std::os::fd::AsFd;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use wire_support::PATIENCE;

/// The agent on a pty, and the host end of it.
struct SerialAgent {
    child: Child,
    host: Option<File>,
    _dir: tempfile::TempDir,
}

impl SerialAgent {
    fn start(method: &str) -> SerialAgent {
        let pty = nix::pty::openpty(None, None).unwrap();
        // Raw, as a virtio port or a host's chardev is: no echo, no line
        // editing (the agent sets this itself only for isa-serial).
        let mut tio = termios::tcgetattr(&pty.master).unwrap();
        termios::cfmakeraw(&mut tio);
        termios::tcsetattr(&pty.master, SetArg::TCSANOW, &tio).unwrap();
        let path = nix::unistd::ttyname(&pty.slave).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let child = Command::new(env!("CARGO_BIN_EXE_qga-daemon"))
            .args(["-m", method, "-p"])
            .arg(&path)
            .arg("-t")
            .arg(dir.path())
            .env("QGA_CONF", dir.path().join("no-such.conf"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        drop(pty.slave);
        let mut agent = SerialAgent {
            child,
            host: Some(File::from(pty.master)),
            _dir: dir,
        };
        agent.handshake();
        agent
    }

    fn host(&mut self) -> &mut File {
        self.host.as_mut().expect("the host end is open")
    }

    /// Reads what arrives within `wait`.
    fn read_for(&mut self, wait: Duration) -> Vec<u8> {
        let mut out = Vec::new();
        let end = Instant::now() + wait;
        while let Some(left) = end.checked_duration_since(Instant::now()) {
            let host = self.host();
            let mut fds = [nix::poll::PollFd::new(
                host.as_fd(),
                nix::poll::PollFlags::POLLIN,
            )];
            let ms = u16::try_from(left.as_millis()).unwrap_or(u16::MAX);
            if nix::poll::poll(&mut fds, ms).unwrap_or(0) == 0 {
                continue;
            }
            let mut buf = [0u8; 4096];
            match self.host().read(&mut buf) {
                Ok(n) if n > 0 => out.extend_from_slice(&buf[..n]),
                _ => break,
            }
        }
        out
    }

    /// Reads until `expected` has arrived; returns everything read.
    fn read_until(&mut self, expected: &[u8]) -> Vec<u8> {
        let deadline = Instant::now() + PATIENCE;
        let mut out = Vec::new();
        while !out.windows(expected.len()).any(|w| w == expected) {
            assert!(Instant::now() < deadline, "no {expected:?} in {out:?}");
            out.extend(self.read_for(Duration::from_millis(100)));
        }
        out
    }

    /// The client handshake, repeated until the agent answers (input sent
    /// before it opened the port may be flushed), then once more so that
    /// nothing is left in flight.
    fn handshake(&mut self) {
        let deadline = Instant::now() + PATIENCE;
        loop {
            assert!(Instant::now() < deadline, "the agent never answered");
            if let Some(status) = self.child.try_wait().unwrap() {
                panic!("the agent exited: {status}");
            }
            self.send(b"\xff{\"execute\":\"guest-sync-delimited\",\"arguments\":{\"id\":1}}");
            let got = self.read_for(Duration::from_millis(200));
            if got.windows(2).any(|w| w == b"\xff{") {
                break;
            }
        }
        self.send(b"\xff{\"execute\":\"guest-sync-delimited\",\"arguments\":{\"id\":2}}");
        self.read_until(b"\xff{\"return\": 2}\n");
    }

    fn send(&mut self, bytes: &[u8]) {
        self.host().write_all(bytes).unwrap();
    }

    /// Sends `signal` and waits for the agent to exit.
    fn stop_with(&mut self, signal: nix::sys::signal::Signal) -> std::process::ExitStatus {
        let pid = nix::unistd::Pid::from_raw(i32::try_from(self.child.id()).unwrap());
        nix::sys::signal::kill(pid, signal).unwrap();
        self.child.wait().unwrap()
    }

    /// Sends `bytes` and reads exactly `len` bytes of reply.
    fn exchange(&mut self, bytes: &[u8], len: usize) -> Vec<u8> {
        self.send(bytes);
        let deadline = Instant::now() + PATIENCE;
        let mut out = Vec::new();
        while out.len() < len {
            assert!(Instant::now() < deadline, "only {out:?}");
            out.extend(self.read_for(Duration::from_millis(50)));
        }
        out
    }
}

impl Drop for SerialAgent {
    fn drop(&mut self) {
        let pid = nix::unistd::Pid::from_raw(i32::try_from(self.child.id()).unwrap());
        let _ = nix::sys::signal::kill(pid, nix::sys::signal::Signal::SIGKILL);
        let _ = self.child.wait();
    }
}

fn round_trips(method: &str) {
    let mut agent = SerialAgent::start(method);
    let pong = b"{\"return\": {}}\n";
    assert_eq!(
        agent.exchange(b"{\"execute\":\"guest-ping\"}", pong.len()),
        pong
    );
    // The handshake's exact bytes: the 0xFF's error, then the sentinel.
    let stray = b"{\"error\": {\"class\": \"GenericError\", \"desc\": \"JSON parse error, stray '\\uFFFD'\"}}\n";
    let synced = b"\xff{\"return\": 42}\n";
    assert_eq!(
        agent.exchange(
            b"\xff{\"execute\":\"guest-sync-delimited\",\"arguments\":{\"id\":42}}",
            stray.len() + synced.len()
        ),
        [&stray[..], synced].concat()
    );
    // A request in pieces, then two in one write.
    agent.send(b"{\"execute\":\"guest-sy");
    assert_eq!(agent.read_for(Duration::from_millis(100)), b"");
    let replies = b"{\"return\": 7}\n{\"return\": {}}\n";
    assert_eq!(
        agent.exchange(
            b"nc\",\"arguments\":{\"id\":7}}{\"execute\":\"guest-ping\"}",
            replies.len()
        ),
        replies
    );
}

#[test]
fn isa_serial_round_trips() {
    round_trips("isa-serial");
}

#[test]
fn virtio_serial_round_trips() {
    round_trips("virtio-serial");
}

#[test]
fn the_host_going_away_does_not_stop_the_agent() {
    let mut agent = SerialAgent::start("virtio-serial");
    // The pty is gone for good: the agent waits for a host that cannot
    // come back, until it is told to stop.
    agent.host = None;
    std::thread::sleep(Duration::from_millis(300));
    assert!(
        agent.child.try_wait().unwrap().is_none(),
        "the agent exited"
    );
    let status = agent.stop_with(nix::sys::signal::Signal::SIGTERM);
    assert_eq!(status.code(), Some(0));
}
