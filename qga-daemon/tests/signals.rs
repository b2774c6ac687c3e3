//! SIGTERM and SIGINT stop a started agent cleanly; while frozen, the
//! thaw hook runs first. One test only: the signals go to the whole
//! process.

use qga_daemon::config::{self, Action, Channel, Config};
use qga_daemon::daemon::{start, Started};
use qga_daemon::server::{protocol_codecs, Reply};
use serde_json::json;
use std::io::{self, BufRead, BufReader, Write};
use std::os::unix::net::UnixStream;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

fn config(dir: &Path) -> (Config, Channel) {
    let sock = dir.join("qga.sock").display().to_string();
    let statedir = dir.display().to_string();
    let args = ["qemu-ga", "-m", "unix-listen", "-p", &sock, "-t", &statedir];
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
    (*config, channel)
}

/// Starts an agent in `dir`, pings it, sends `signal` and checks that it
/// stops and removes its socket. Returns how often the thaw hook ran.
fn run_until(dir: &Path, signal: nix::sys::signal::Signal) -> usize {
    let thaws = Arc::new(AtomicUsize::new(0));
    let (config, channel) = config(dir);
    let Started::Running(mut agent) = start(&config, &channel).unwrap() else {
        panic!("not running");
    };
    {
        let thaws = thaws.clone();
        let frozen = agent.frozen().clone();
        agent.set_thaw_hook(move || {
            thaws.fetch_add(1, Ordering::SeqCst);
            frozen.unset_frozen();
        });
    }
    let server = std::thread::spawn(move || {
        let handler = |_request| Some(Reply::new(&json!({"return": {}}), false));
        agent.serve(protocol_codecs(), Arc::new(handler))
    });
    let sock = dir.join("qga.sock");
    let mut client = UnixStream::connect(&sock).unwrap();
    client
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    client.write_all(b"{\"execute\":\"guest-ping\"}").unwrap();
    let mut line = String::new();
    BufReader::new(&client).read_line(&mut line).unwrap();
    assert_eq!(line, "{\"return\": {}}\n");

    nix::sys::signal::raise(signal).unwrap();
    server.join().unwrap().unwrap();
    assert!(!sock.exists(), "socket left behind");
    thaws.load(Ordering::SeqCst)
}

#[test]
fn quit_signals_stop_the_agent() {
    use nix::sys::signal::Signal;

    let dir = tempfile::tempdir().unwrap();
    assert_eq!(run_until(dir.path(), Signal::SIGTERM), 0);

    let dir = tempfile::tempdir().unwrap();
    assert_eq!(run_until(dir.path(), Signal::SIGINT), 0);

    // Started frozen: the signal thaws first.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("qga.state.isfrozen"), "").unwrap();
    assert_eq!(run_until(dir.path(), Signal::SIGTERM), 1);
}
