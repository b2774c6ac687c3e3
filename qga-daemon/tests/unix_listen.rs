//! The unix-listen transport end to end: a real socket, the protocol
//! reader, and a handler that answers `{"return": {}}` to everything.

use qga_daemon::config::Channel;
use qga_daemon::server::{protocol_codecs, Reply, Shutdown};
use qga_daemon::transport::{self, Opened, Retry, TransportError};
use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Read, Write};
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

/// `(started, released)` of the `slow` requests, sent by one test only.
static SLOW: (Mutex<(bool, bool)>, Condvar) = (Mutex::new((false, false)), Condvar::new());

/// Answers `{"return": {}}`; `slow` says it started and waits for its
/// release ([`SLOW`]), `big` returns 1 MiB.
fn dummy(request: Value) -> Option<Reply> {
    match request["execute"].as_str() {
        Some("slow") => {
            let (state, changed) = &SLOW;
            let mut state = state.lock().unwrap();
            state.0 = true;
            changed.notify_all();
            while !state.1 {
                state = changed.wait(state).unwrap();
            }
        }
        Some("big") => return Some(Reply::new(&json!({"return": "x".repeat(1 << 20)}), false)),
        _ => {}
    }
    Some(Reply::new(&json!({"return": {}}), false))
}

struct Server {
    _dir: tempfile::TempDir,
    path: PathBuf,
    shutdown: Shutdown,
    thread: Option<JoinHandle<Result<(), TransportError>>>,
}

impl Server {
    fn start() -> Server {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("qga.sock");
        let opened = transport::open(&Channel::UnixListen(path.display().to_string())).unwrap();
        let shutdown = Shutdown::new().unwrap();
        let thread = {
            let shutdown = shutdown.clone();
            std::thread::spawn(move || {
                opened.serve(
                    protocol_codecs(),
                    Arc::new(dummy),
                    &shutdown,
                    Retry::new(false),
                )
            })
        };
        Server {
            _dir: dir,
            path,
            shutdown,
            thread: Some(thread),
        }
    }

    fn connect(&self) -> UnixStream {
        let stream = UnixStream::connect(&self.path).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        stream
    }

    fn stop(mut self) {
        self.shutdown.request();
        if let Some(thread) = self.thread.take() {
            thread.join().unwrap().unwrap();
        }
    }
}

fn read_line(stream: &UnixStream) -> String {
    let mut line = String::new();
    BufReader::new(stream).read_line(&mut line).unwrap();
    line
}

const OK: &str = "{\"return\": {}}\n";

#[test]
fn concurrent_clients_with_interleaved_partial_requests() {
    let server = Server::start();
    let mut clients: Vec<UnixStream> = (0..8).map(|_| server.connect()).collect();
    let request = br#"{"execute": "guest-ping", "arguments": {}}"#;
    // Every client sends its request in three pieces, the pieces of all
    // clients interleaved.
    let pieces = [&request[..5], &request[5..20], &request[20..]];
    for piece in pieces {
        for client in &mut clients {
            client.write_all(piece).unwrap();
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    for client in &clients {
        assert_eq!(read_line(client), OK);
    }
    // Several requests in one write, and garbage, on one client.
    let client = &mut clients[0];
    client
        .write_all(b"{\"execute\":\"a\"}{\"execute\":\"b\"}\xff")
        .unwrap();
    let mut reader = BufReader::new(&*client);
    let mut lines = Vec::new();
    for _ in 0..3 {
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        lines.push(line);
    }
    assert_eq!(lines[0], OK);
    assert_eq!(lines[1], OK);
    assert_eq!(
        lines[2],
        "{\"error\": {\"class\": \"GenericError\", \"desc\": \"JSON parse error, stray '\\uFFFD'\"}}\n"
    );
    server.stop();
}

#[test]
fn a_client_closing_mid_request_does_not_affect_others() {
    let server = Server::start();
    let mut steady = server.connect();
    steady.write_all(b"{\"execute\":").unwrap();
    {
        let mut quitter = server.connect();
        quitter.write_all(b"{\"execute\":\"guest-sy").unwrap();
        // Gone mid-request.
    }
    {
        // Sends and leaves without reading the reply.
        let mut rude = server.connect();
        rude.write_all(b"{\"execute\":\"guest-ping\"}").unwrap();
    }
    // A new client starts from a clean reader: the quitter's half request
    // is not prepended to its input (it would turn into errors).
    let mut fresh = server.connect();
    fresh.write_all(b"{\"execute\":\"guest-ping\"}").unwrap();
    assert_eq!(read_line(&fresh), OK);
    steady.write_all(b"\"guest-ping\"}").unwrap();
    assert_eq!(read_line(&steady), OK);
    server.stop();
}

#[test]
fn socket_file_is_removed_on_shutdown() {
    let server = Server::start();
    let path = server.path.clone();
    let mut client = server.connect();
    client.write_all(b"{\"execute\":\"guest-ping\"}").unwrap();
    assert_eq!(read_line(&client), OK);
    assert!(path.exists());
    server.stop();
    assert!(!path.exists());
    // The connected client sees the end of the stream.
    let mut rest = Vec::new();
    (&client).read_to_end(&mut rest).unwrap();
    assert!(rest.is_empty());
}

#[test]
fn a_regular_file_at_the_path_is_not_unlinked() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("not-a-socket");
    std::fs::write(&path, "keep me").unwrap();
    let err = transport::open(&Channel::UnixListen(path.display().to_string())).unwrap_err();
    assert!(matches!(err, TransportError::NotASocket { .. }), "{err}");
    assert!(
        err.to_string()
            .starts_with(&format!("Failed to bind socket to {}: ", path.display())),
        "{err}"
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "keep me");
}

#[test]
fn opened_kind() {
    let server = Server::start();
    assert!(Path::new(&server.path).exists());
    let opened = transport::open(&Channel::UnixListen(server.path.display().to_string()));
    // A second agent on the same path is refused, not silently let in.
    assert!(matches!(opened, Err(TransportError::Bind { .. })));
    assert!(!matches!(opened, Ok(Opened::Unix(_))));
    server.stop();
}

#[test]
fn a_slow_command_does_not_stall_other_clients() {
    let server = Server::start();
    let mut slow = server.connect();
    slow.write_all(b"{\"execute\":\"slow\"}").unwrap();
    let (state, changed) = &SLOW;
    drop(changed.wait_while(state.lock().unwrap(), |s| !s.0).unwrap());
    // Served while the slow command runs and cannot finish.
    let mut quick = server.connect();
    for _ in 0..3 {
        quick.write_all(b"{\"execute\":\"guest-ping\"}").unwrap();
        assert_eq!(read_line(&quick), OK);
    }
    slow.set_nonblocking(true).unwrap();
    let mut byte = [0u8; 1];
    assert!(
        matches!(slow.read(&mut byte), Err(e) if e.kind() == std::io::ErrorKind::WouldBlock),
        "the slow command ended before its release"
    );
    slow.set_nonblocking(false).unwrap();
    state.lock().unwrap().1 = true;
    changed.notify_all();
    assert_eq!(read_line(&slow), OK);
    server.stop();
}

#[test]
fn a_large_reply_arrives_whole() {
    let server = Server::start();
    let mut client = server.connect();
    client
        .write_all(b"{\"execute\":\"big\"}{\"execute\":\"guest-ping\"}")
        .unwrap();
    let mut reader = BufReader::new(&client);
    let mut line = String::new();
    reader.read_line(&mut line).unwrap();
    assert_eq!(line.len(), (1 << 20) + "{\"return\": \"\"}\n".len());
    line.clear();
    reader.read_line(&mut line).unwrap();
    assert_eq!(line, OK);
    server.stop();
}
