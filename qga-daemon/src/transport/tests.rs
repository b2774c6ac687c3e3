//! The serial transports over pseudo-terminals, and retrying.

use super::*;
use crate::server::testing::{echo_handler, LineCodec};
use crate::server::Codec;
use nix::fcntl::{fcntl, FcntlArg, OFlag};
use nix::pty::openpty;
use std::io::{Read, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;
use std::sync::mpsc;
use std::time::Instant;

fn codecs() -> Arc<CodecFactory> {
    Arc::new(|| Box::new(LineCodec::default()) as Box<dyn Codec>)
}

/// Reads one `\n`-terminated line from a blocking file, giving up after
/// `limit` bytes.
fn read_line(file: &mut File, limit: usize) -> String {
    let mut out = Vec::new();
    let mut byte = [0u8; 1];
    while out.len() < limit && file.read(&mut byte).unwrap_or(0) == 1 {
        out.push(byte[0]);
        if byte[0] == b'\n' {
            break;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Opens the terminal at `path` as a host would, in raw mode.
fn open_host_end(path: &Path) -> File {
    let file = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .custom_flags(libc::O_NOCTTY)
        .open(path)
        .unwrap();
    isa_serial::configure(&file).unwrap();
    file
}

/// CPU time (user + system) of thread `tid` of this process, in clock
/// ticks.
fn thread_cpu_ticks(tid: i32) -> u64 {
    let stat = std::fs::read_to_string(format!("/proc/self/task/{tid}/stat")).unwrap();
    let (_, after_name) = stat.rsplit_once(')').unwrap();
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    // Fields 14 and 15 of the file (utime, stime); field 3 is the first
    // after the name.
    fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap()
}

#[test]
fn isa_serial_round_trip_over_a_pty() {
    let pty = openpty(None, None).unwrap();
    let path = nix::unistd::ttyname(&pty.slave).unwrap();
    let opened = open(&Channel::IsaSerial(path.display().to_string())).unwrap();
    assert!(matches!(opened, Opened::Serial(_)));
    let shutdown = Shutdown::new().unwrap();
    let server = {
        let shutdown = shutdown.clone();
        std::thread::spawn(move || {
            opened.serve(
                codecs(),
                Arc::new(echo_handler),
                &shutdown,
                Retry::new(false),
            )
        })
    };
    let mut host = File::from(pty.master);
    host.write_all(b"{\"execute\":\"guest-ping\"}\n").unwrap();
    assert_eq!(read_line(&mut host, 100), "{\"return\":\"guest-ping\"}\n");
    host.write_all(b"{\"execute\":").unwrap();
    host.write_all(b"\"split\"}\n").unwrap();
    assert_eq!(read_line(&mut host, 100), "{\"return\":\"split\"}\n");
    shutdown.request();
    server.join().unwrap().unwrap();
}

#[test]
fn virtio_port_survives_host_reconnects_without_spinning() {
    port_survives_host_reconnects_without_spinning(SerialKind::Virtio);
}

#[test]
fn isa_port_survives_host_reconnects_without_spinning() {
    port_survives_host_reconnects_without_spinning(SerialKind::Isa);
}

/// The host closes the port mid-request and opens it again: the agent
/// waits without spinning, keeps its reader state, and serves the host
/// when it is back.
fn port_survives_host_reconnects_without_spinning(kind: SerialKind) {
    // The agent holds the pty master, which (like a virtio-serial port or
    // a UART) outlives the host side; the host side is the slave, closed
    // and opened again.
    let pty = openpty(None, None).unwrap();
    let slave_path = nix::unistd::ttyname(&pty.slave).unwrap();
    fcntl(&pty.master, FcntlArg::F_SETFL(OFlag::O_NONBLOCK)).unwrap();
    let port = SerialPort {
        kind,
        path: slave_path.clone(),
        file: File::from(pty.master),
    };
    isa_serial::configure(&File::from(pty.slave.try_clone().unwrap())).unwrap();
    let mut host = File::from(pty.slave);

    let shutdown = Shutdown::new().unwrap();
    let (tid_tx, tid_rx) = mpsc::channel();
    let server = {
        let shutdown = shutdown.clone();
        std::thread::spawn(move || {
            tid_tx.send(nix::unistd::gettid().as_raw()).unwrap();
            Opened::Serial(port).serve(
                codecs(),
                Arc::new(echo_handler),
                &shutdown,
                Retry::new(false),
            )
        })
    };
    let tid = tid_rx.recv().unwrap();

    host.write_all(b"{\"execute\":\"one\"}\n").unwrap();
    assert_eq!(read_line(&mut host, 100), "{\"return\":\"one\"}\n");
    // Half a request, then the host goes away.
    host.write_all(b"{\"execute\":").unwrap();
    std::thread::sleep(Duration::from_millis(100));
    drop(host);

    let before = thread_cpu_ticks(tid);
    let start = Instant::now();
    std::thread::sleep(Duration::from_secs(1));
    let spent = thread_cpu_ticks(tid) - before;
    let ticks_per_second = 100;
    assert!(
        spent * 20 <= ticks_per_second * start.elapsed().as_secs().max(1),
        "the server used {spent} ticks in {:?} while the host was away",
        start.elapsed()
    );

    // The host comes back; the reader state survived.
    let mut host = open_host_end(&slave_path);
    host.write_all(b"\"two\"}\n").unwrap();
    assert_eq!(read_line(&mut host, 100), "{\"return\":\"two\"}\n");
    // And again, right away this time.
    drop(host);
    let mut host = open_host_end(&slave_path);
    host.write_all(b"{\"execute\":\"three\"}\n").unwrap();
    assert_eq!(read_line(&mut host, 100), "{\"return\":\"three\"}\n");
    shutdown.request();
    server.join().unwrap().unwrap();
}

#[test]
fn missing_port_fails_without_retry() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("port").display().to_string();
    let shutdown = Shutdown::new().unwrap();
    let err = open_with_retry(
        &Channel::VirtioSerial(path.clone()),
        Retry::new(false),
        &shutdown,
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        format!("error opening channel '{path}': No such file or directory")
    );
}

#[test]
fn retry_waits_for_the_port_to_appear() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("port");
    let pty = openpty(None, None).unwrap();
    let slave_path = nix::unistd::ttyname(&pty.slave).unwrap();
    let retry = Retry {
        enabled: true,
        interval: Duration::from_millis(50),
    };
    let shutdown = Shutdown::new().unwrap();
    let channel = Channel::VirtioSerial(path.display().to_string());
    let opener = {
        let shutdown = shutdown.clone();
        std::thread::spawn(move || open_with_retry(&channel, retry, &shutdown))
    };
    std::thread::sleep(Duration::from_millis(200));
    std::os::unix::fs::symlink(&slave_path, &path).unwrap();
    let opened = opener.join().unwrap().unwrap();
    assert!(matches!(opened, Some(Opened::Serial(_))));
}

#[test]
fn shutdown_ends_the_retry_loop() {
    let dir = tempfile::tempdir().unwrap();
    let channel = Channel::IsaSerial(dir.path().join("port").display().to_string());
    let shutdown = Shutdown::new().unwrap();
    let opener = {
        let shutdown = shutdown.clone();
        std::thread::spawn(move || open_with_retry(&channel, Retry::new(true), &shutdown))
    };
    std::thread::sleep(Duration::from_millis(100));
    let start = Instant::now();
    shutdown.request();
    assert!(opener.join().unwrap().unwrap().is_none());
    assert!(start.elapsed() < RETRY_INTERVAL);
}

#[test]
fn sockets_are_not_retried() {
    let dir = tempfile::tempdir().unwrap();
    let channel = Channel::UnixListen(dir.path().join("no/sock").display().to_string());
    let shutdown = Shutdown::new().unwrap();
    assert!(matches!(
        open_with_retry(&channel, Retry::new(true), &shutdown),
        Err(TransportError::Bind { .. })
    ));
}
