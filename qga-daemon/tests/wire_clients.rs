//! Several clients of the built agent's unix socket at once: a client
//! stuck in the middle of a request, or waiting for a command that does
//! not finish, delays nobody else. (qemu-ga serves one client at a time;
//! see `server` for why we do not.)

mod wire_support;

use std::io::{ErrorKind, Read};
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use wire_support::AgentProcess;

const PING: &[u8] = br#"{"execute":"guest-ping"}"#;
const PONG: &[u8] = b"{\"return\": {}}\n";

/// Writes an fsfreeze hook that, for `thaw`, waits until someone opens
/// and closes the FIFO `release` for writing: a command that takes as
/// long as the test wants, without a clock.
fn blocking_hook(dir: &Path) -> (String, std::path::PathBuf) {
    let release = dir.join("release");
    nix::unistd::mkfifo(&release, nix::sys::stat::Mode::from_bits_truncate(0o600)).unwrap();
    let hook = dir.join("hook.sh");
    std::fs::write(
        &hook,
        format!(
            "#!/bin/sh\n[ \"$1\" = thaw ] && touch '{}' && cat '{}' > /dev/null\nexit 0\n",
            dir.join("started").display(),
            release.display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&hook, std::fs::Permissions::from_mode(0o700)).unwrap();
    (format!("--fsfreeze-hook={}", hook.display()), release)
}

/// Whether nothing has arrived on `stream` yet.
fn nothing_yet(stream: &std::os::unix::net::UnixStream) -> bool {
    stream.set_nonblocking(true).unwrap();
    let mut byte = [0u8; 1];
    let idle = matches!((&*stream).read(&mut byte), Err(e) if e.kind() == ErrorKind::WouldBlock);
    stream.set_nonblocking(false).unwrap();
    idle
}

#[test]
fn a_stuck_client_and_a_long_command_do_not_delay_a_ping() {
    let hook_dir = tempfile::tempdir().unwrap();
    let (hook_option, release) = blocking_hook(hook_dir.path());
    let agent = AgentProcess::start(&[&hook_option], false);

    // A command that runs until released: thaw waits for its hook.
    let mut long = agent.connect();
    assert_eq!(
        long.exchange(br#"{"execute":"guest-fsfreeze-thaw"}"#, 1, 0),
        b""
    );
    // The hook runs, and cannot end before the release.
    let deadline = std::time::Instant::now() + wire_support::PATIENCE;
    while !hook_dir.path().join("started").exists() {
        assert!(std::time::Instant::now() < deadline, "the hook never ran");
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    // A client that sent half a request and stopped.
    let mut half = agent.connect();
    assert_eq!(
        half.exchange(br#"{"execute":"guest-sync","argu"#, 1, 0),
        b""
    );

    // Meanwhile, a third client is served at once, again and again.
    let mut quick = agent.connect();
    for _ in 0..3 {
        assert_eq!(quick.exchange(PING, 1, 1), PONG);
    }
    assert!(nothing_yet(long.stream()), "the long command ended early");

    // The half request completes; then the long command is released.
    assert_eq!(
        half.exchange(br#"ments":{"id":8}}"#, 1, 1),
        b"{\"return\": 8}\n"
    );
    drop(
        std::fs::OpenOptions::new()
            .write(true)
            .open(&release)
            .unwrap(),
    );
    let reply = long.line();
    assert!(
        reply.starts_with(b"{\"return\": "),
        "{}",
        String::from_utf8_lossy(&reply)
    );
    assert_eq!(quick.exchange(PING, 1, 1), PONG);
}
