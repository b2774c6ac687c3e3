//! Shared pieces of the wire tests: the built agent as a child process,
//! a raw client, and the recorded qemu-ga transcript.

#![allow(dead_code)]

pub mod transcript;

use std::io::{BufRead, BufReader, Write};
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

/// How long any single wait may take before the test fails.
pub const PATIENCE: Duration = Duration::from_secs(60);

/// The agent binary, started with `-m unix-listen -p <dir>/qga.sock -t
/// <dir>` and extra options; stopped with SIGTERM when dropped.
pub struct AgentProcess {
    child: Option<Child>,
    dir: tempfile::TempDir,
    extra: Vec<String>,
}

impl AgentProcess {
    /// Starts the agent with `extra` options, after creating the frozen
    /// marker in its state directory if `frozen`, and waits until its
    /// socket accepts connections.
    pub fn start(extra: &[&str], frozen: bool) -> AgentProcess {
        let dir = tempfile::tempdir().unwrap();
        if frozen {
            std::fs::write(dir.path().join("qga.state.isfrozen"), "").unwrap();
        }
        let mut agent = AgentProcess {
            child: None,
            dir,
            extra: extra.iter().map(|s| (*s).to_owned()).collect(),
        };
        agent.spawn();
        agent
    }

    /// Starts the binary and waits until it listens.
    fn spawn(&mut self) {
        let sock = self.sock();
        let child = Command::new(env!("CARGO_BIN_EXE_qga-daemon"))
            .args(["-m", "unix-listen", "-p"])
            .arg(&sock)
            .arg("-t")
            .arg(self.dir.path())
            .args(&self.extra)
            .env("QGA_CONF", self.dir.path().join("no-such.conf"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start the agent");
        self.child = Some(child);
        let deadline = Instant::now() + PATIENCE;
        while UnixStream::connect(&sock).is_err() {
            if let Some(status) = self.child_mut().try_wait().unwrap() {
                panic!("the agent exited at start: {status}");
            }
            assert!(Instant::now() < deadline, "the agent never listened");
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    /// Stops the agent with `signal`, then starts it again with the same
    /// options and state directory; returns how the first one exited.
    pub fn restart(&mut self, signal: nix::sys::signal::Signal) -> ExitStatus {
        let mut child = self.child.take().expect("running");
        let status = stop(&mut child, signal);
        self.spawn();
        status
    }

    fn child_mut(&mut self) -> &mut Child {
        self.child.as_mut().expect("running")
    }

    /// The agent's process id.
    pub fn pid(&self) -> u32 {
        self.child.as_ref().expect("running").id()
    }

    /// A figure of the agent's `/proc/PID/status`, in KiB (`VmHWM`,
    /// `RssAnon`...).
    pub fn status_kib(&self, field: &str) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid())).unwrap();
        status
            .lines()
            .find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))
            .and_then(|v| v.trim().trim_end_matches(" kB").parse().ok())
            .unwrap_or_else(|| panic!("no {field} in the agent's status"))
    }

    /// The state directory.
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// The socket path.
    pub fn sock(&self) -> PathBuf {
        self.dir.path().join("qga.sock")
    }

    /// A new client connection.
    pub fn connect(&self) -> Client {
        Client::connect(&self.sock())
    }

    /// Sends `signal` and waits for the exit status.
    pub fn stop_with(mut self, signal: nix::sys::signal::Signal) -> ExitStatus {
        let mut child = self.child.take().expect("running");
        stop(&mut child, signal)
    }
}

fn stop(child: &mut Child, signal: nix::sys::signal::Signal) -> ExitStatus {
    let pid = nix::unistd::Pid::from_raw(i32::try_from(child.id()).unwrap());
    let _ = nix::sys::signal::kill(pid, signal);
    let deadline = Instant::now() + PATIENCE;
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            return child.wait().unwrap();
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

impl Drop for AgentProcess {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            stop(&mut child, nix::sys::signal::Signal::SIGTERM);
        }
    }
}

/// A raw client: bytes out, reply lines in.
pub struct Client {
    reader: BufReader<UnixStream>,
}

impl Client {
    /// Connects to `sock`.
    pub fn connect(sock: &Path) -> Client {
        let stream = UnixStream::connect(sock).unwrap();
        stream.set_read_timeout(Some(PATIENCE)).unwrap();
        Client {
            reader: BufReader::new(stream),
        }
    }

    /// Sends `bytes` in `writes` pieces (a short pause between them) while
    /// reading `lines` reply lines, and returns the bytes of those lines.
    pub fn exchange(&mut self, bytes: &[u8], writes: usize, lines: usize) -> Vec<u8> {
        let stream = self.reader.get_ref().try_clone().unwrap();
        std::thread::scope(|scope| {
            let writer = scope.spawn(move || {
                let mut stream = stream;
                let size = bytes.len().div_ceil(writes.max(1)).max(1);
                for (i, piece) in bytes.chunks(size).enumerate() {
                    if i > 0 {
                        std::thread::sleep(Duration::from_millis(20));
                    }
                    stream.write_all(piece).unwrap();
                }
            });
            let mut out = Vec::new();
            for _ in 0..lines {
                let before = out.len();
                self.reader.read_until(b'\n', &mut out).unwrap();
                assert!(out.len() > before, "the agent closed the connection");
            }
            writer.join().unwrap();
            out
        })
    }

    /// The socket (bytes already buffered by the client are not on it).
    pub fn stream(&self) -> &UnixStream {
        self.reader.get_ref()
    }

    /// Reads one reply line.
    pub fn line(&mut self) -> Vec<u8> {
        let mut line = Vec::new();
        self.reader.read_until(b'\n', &mut line).unwrap();
        assert!(!line.is_empty(), "the agent closed the connection");
        line
    }

    /// Sends `bytes`, then 0xFF and `guest-sync-delimited` with `id`, and
    /// returns every reply line before the sync reply (the 0xFF's own
    /// error line last): how a client resynchronises after garbage.
    pub fn until_sync(&mut self, bytes: &[u8], id: u64) -> Vec<Vec<u8>> {
        let stream = self.reader.get_ref().try_clone().unwrap();
        let mut sync = vec![0xFF];
        sync.extend(
            format!(r#"{{"execute":"guest-sync-delimited","arguments":{{"id":{id}}}}}"#).as_bytes(),
        );
        let mut end = vec![0xFF];
        end.extend(format!("{{\"return\": {id}}}\n").as_bytes());
        std::thread::scope(|scope| {
            scope.spawn(move || {
                let mut stream = stream;
                stream.write_all(bytes).unwrap();
                stream.write_all(&sync).unwrap();
            });
            let mut lines = Vec::new();
            loop {
                let line = self.line();
                if line == end {
                    return lines;
                }
                lines.push(line);
            }
        })
    }

    /// Sends one request and reads one reply line.
    pub fn request(&mut self, bytes: &[u8]) -> String {
        String::from_utf8_lossy(&self.exchange(bytes, 1, 1)).into_owned()
    }
}
