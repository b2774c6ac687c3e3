//! `-d` end to end. The test re-executes this test binary as the daemon
//! (the agent re-executes itself), so this file holds a single test: in
//! the background copy it runs the agent, in the original it checks it.

use qga_daemon::config::{self, Action};
use qga_daemon::daemon::{start, Started};
use qga_daemon::server::{protocol_codecs, Reply};
use serde_json::json;
use std::io::{self, BufRead, BufReader, Write};
use std::os::unix::net::UnixStream;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

const DIR_ENV: &str = "QGA_TEST_DAEMON_DIR";
const SOCK_ENV: &str = "QGA_TEST_DAEMON_SOCK";

/// Starts the agent as a daemon with its files in `dir`, listening at the
/// socket named by `$QGA_TEST_DAEMON_SOCK`.
fn start_daemon(dir: &Path) -> Started {
    let sock = dir
        .join(std::env::var(SOCK_ENV).unwrap())
        .display()
        .to_string();
    let pidfile = dir.join("qga.pid").display().to_string();
    let statedir = dir.display().to_string();
    let args = [
        "qemu-ga",
        "-d",
        "-m",
        "unix-listen",
        "-p",
        &sock,
        "-t",
        &statedir,
        "-f",
        &pidfile,
    ];
    let action = config::load(
        args,
        |_| None,
        |_| Err(io::Error::from(io::ErrorKind::NotFound)),
    )
    .unwrap();
    let Action::Run(config) = action else {
        panic!("not a run");
    };
    let channel = config.validate().unwrap();
    start(&config, &channel).unwrap_or(Started::Exit(1))
}

fn wait_until(what: &str, condition: impl Fn() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while !condition() {
        assert!(Instant::now() < deadline, "timed out waiting: {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn daemon_starts_reports_ready_and_stops_cleanly() {
    if let Some(dir) = std::env::var_os(DIR_ENV) {
        // The background copy.
        match start_daemon(Path::new(&dir)) {
            Started::Running(mut agent) => {
                let handler = |_request| Some(Reply::new(&json!({"return": {}}), false));
                let _ = agent.serve(protocol_codecs(), Arc::new(handler));
                return;
            }
            Started::Exit(status) => std::process::exit(status),
        }
    }

    let dir = tempfile::tempdir().unwrap();
    std::env::set_var(DIR_ENV, dir.path());
    std::env::set_var(SOCK_ENV, "first.sock");
    let Started::Exit(status) = start_daemon(dir.path()) else {
        panic!("the original process must not run the agent");
    };
    assert_eq!(status, 0);
    // Ready means the pid file is written and the socket listening.
    let pidfile = dir.path().join("qga.pid");
    let pid: i32 = std::fs::read_to_string(&pidfile)
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    assert_ne!(pid, std::process::id() as i32);
    let sock = dir.path().join("first.sock");
    let client = UnixStream::connect(&sock).unwrap();
    (&client)
        .write_all(b"{\"execute\":\"guest-ping\"}")
        .unwrap();
    let mut line = String::new();
    BufReader::new(&client).read_line(&mut line).unwrap();
    assert_eq!(line, "{\"return\": {}}\n");

    // A second daemon with the same pid file fails, and says so.
    std::env::set_var(SOCK_ENV, "second.sock");
    let Started::Exit(status) = start_daemon(dir.path()) else {
        panic!("the original process must not run the agent");
    };
    assert_eq!(status, 1);
    assert!(!dir.path().join("second.sock").exists());

    // SIGTERM: the daemon removes its socket and pid file.
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(pid),
        nix::sys::signal::Signal::SIGTERM,
    )
    .unwrap();
    wait_until("the pid file to go", || !pidfile.exists());
    wait_until("the socket to go", || !sock.exists());
}
