//! The executable's own behaviour: the listing, help and version options,
//! `-D`, qemu-ga's error reports and exit statuses, and signals.

mod wire_support;

use nix::sys::signal::Signal;
use std::process::{Command, Output};
use wire_support::AgentProcess;

fn agent(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_qga-daemon"))
        .args(args)
        .env("QGA_CONF", "/nonexistent/qemu-ga.conf")
        .output()
        .unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn rpc_listing_in_schema_order() {
    let expected: String = qga_generated::COMMANDS
        .iter()
        .map(|c| format!("{}\n", c.name))
        .collect();
    for args in [&["-b", "help"][..], &["--allow-rpcs=help"], &["-b", "?"]] {
        let o = agent(args);
        assert!(o.status.success(), "{args:?}");
        assert_eq!(stdout(&o), expected, "{args:?}");
    }
    assert!(expected.starts_with("guest-sync-delimited\nguest-sync\nguest-ping\n"));
    assert!(!expected.contains("guest-get-devices"));
}

#[test]
fn version_and_help() {
    let o = agent(&["-V"]);
    assert!(o.status.success());
    assert_eq!(
        stdout(&o),
        format!(
            "QEMU Guest Agent {}\n",
            qga_daemon::config::QEMU_COMPAT_VERSION
        )
    );
    let o = agent(&["--help"]);
    assert!(o.status.success());
    assert!(stdout(&o).starts_with("Usage: "));
    assert!(stdout(&o).contains("--block-rpcs"));
}

#[test]
fn usage_error() {
    let o = agent(&["--bogus"]);
    assert_eq!(o.status.code(), Some(1));
    let prog = env!("CARGO_BIN_EXE_qga-daemon");
    assert_eq!(
        stderr(&o),
        format!("{prog}: unrecognized option '--bogus'\n")
    );
    assert_eq!(
        stdout(&o),
        format!("Unknown option, try '{prog} --help' for more information.\n")
    );
}

#[test]
fn configuration_errors_exit_1() {
    let o = agent(&["-m", "unix-listen"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("CRITICAL **"), "{}", stderr(&o));
    assert!(stderr(&o).ends_with(": must specify a path for this channel\n"));

    let dir = tempfile::tempdir().unwrap();
    let statedir = dir.path().to_str().unwrap();
    let o = agent(&["-m", "carrier-pigeon", "-p", "x", "-t", statedir]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).ends_with(": critical: unsupported channel method/type: carrier-pigeon\n"));

    let o = agent(&[
        "-m",
        "unix-listen",
        "-p",
        "/nonexistent/dir/sock",
        "-t",
        statedir,
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("critical: failed to initialize guest agent channel"),
        "{}",
        stderr(&o)
    );

    let o = agent(&["-m", "unix-listen", "-p", "x", "-t", "relative/dir"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("critical: state directory must be an absolute path"));

    let o = agent(&["-c", "/nonexistent/qemu-ga.conf"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("error loading configuration from path: /nonexistent/qemu-ga.conf"));
}

#[test]
fn dump_conf_defaults() {
    let o = agent(&["-D"]);
    assert!(o.status.success());
    assert_eq!(
        stdout(&o),
        "[general]\ndaemon=false\nmethod=virtio-serial\npath=/dev/virtio-ports/org.qemu.guest_agent.0\n\
         pidfile=/var/run/qemu-ga.pid\nstatedir=/var/run\nverbose=false\nretry-path=false\n\
         block-rpcs=\nallow-rpcs=\n"
    );
}

#[test]
fn dump_conf_of_a_configuration_file_and_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let conf = dir.path().join("qemu-ga.conf");
    std::fs::write(
        &conf,
        "[general]\nmethod=virtio-serial\npath=/dev/x\nverbose=true\nstatedir=/tmp\n\
         block-rpcs=guest-exec,guest-ping\nallow-rpcs=guest-info\nunknown-key=1\n[other]\nx=y\n",
    )
    .unwrap();
    let conf = conf.to_str().unwrap();
    // The file, then the command line: options override keys, lists add
    // up (in qemu-ga's order: the file's, then the command line's, each
    // list reversed).
    let expected = "[general]\ndaemon=false\nmethod=unix-listen\npath=/tmp/s\n\
                    pidfile=/var/run/qemu-ga.pid\nstatedir=/tmp\nverbose=true\nretry-path=false\n\
                    block-rpcs=guest-ping,guest-exec,guest-info,guest-get-time,guest-set-time\n\
                    allow-rpcs=guest-info,guest-ping\n";
    let cli = [
        "-D",
        "-m",
        "unix-listen",
        "-p",
        "/tmp/s",
        "-b",
        "guest-get-time,guest-info",
        "-b",
        "guest-set-time",
        "--allow-rpcs=guest-ping",
    ];
    let mut with_c = vec!["-c", conf];
    with_c.extend(cli);
    let o = agent(&with_c);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o), expected);
    // The same file through QGA_CONF.
    let o = Command::new(env!("CARGO_BIN_EXE_qga-daemon"))
        .args(cli)
        .env("QGA_CONF", conf)
        .output()
        .unwrap();
    assert_eq!(stdout(&o), expected);
    // Without options the file's values stand.
    let o = agent(&["-D", "-c", conf]);
    assert_eq!(
        stdout(&o),
        "[general]\ndaemon=false\nmethod=virtio-serial\npath=/dev/x\n\
         pidfile=/var/run/qemu-ga.pid\nstatedir=/tmp\nverbose=true\nretry-path=false\n\
         block-rpcs=guest-ping,guest-exec\nallow-rpcs=guest-info\n"
    );
}

#[test]
fn sigterm_and_sigint_exit_0_leaving_no_files() {
    for signal in [Signal::SIGTERM, Signal::SIGINT] {
        let pidfile = tempfile::tempdir().unwrap();
        let pidfile = pidfile.path().join("qga.pid");
        let agent = AgentProcess::start(&["-f", pidfile.to_str().unwrap()], false);
        assert_eq!(
            agent.connect().request(br#"{"execute":"guest-ping"}"#),
            "{\"return\": {}}\n"
        );
        // As qemu-ga: the pid file is only written with -d.
        assert!(!pidfile.exists());
        let sock = agent.sock();
        let status = agent.stop_with(signal);
        assert_eq!(status.code(), Some(0), "{signal}");
        assert!(!sock.exists(), "the socket outlived the agent");
        assert!(!pidfile.exists(), "a pid file appeared");
    }
}

/// Whether process `pid` is gone (or a zombie nobody reaped yet).
fn gone(pid: i32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Err(_) => true,
        Ok(stat) => stat
            .rsplit_once(')')
            .is_some_and(|(_, rest)| rest.trim_start().starts_with('Z')),
    }
}

#[test]
fn a_daemon_stopped_by_a_signal_leaves_no_socket_and_no_pid_file() {
    for signal in [Signal::SIGTERM, Signal::SIGINT] {
        let dir = tempfile::tempdir().unwrap();
        let sock = dir.path().join("qga.sock");
        let pidfile = dir.path().join("qga.pid");
        let o = Command::new(env!("CARGO_BIN_EXE_qga-daemon"))
            .args(["-d", "-m", "unix-listen", "-p"])
            .arg(&sock)
            .arg("-t")
            .arg(dir.path())
            .arg("-f")
            .arg(&pidfile)
            .env("QGA_CONF", "/nonexistent/qemu-ga.conf")
            .output()
            .unwrap();
        // The parent returns once the daemon is ready.
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let text = std::fs::read_to_string(&pidfile).unwrap();
        let pid: i32 = text.trim_end().parse().unwrap();
        assert_eq!(text, format!("{pid}\n"));
        let mut client = wire_support::Client::connect(&sock);
        assert_eq!(
            client.request(br#"{"execute":"guest-ping"}"#),
            "{\"return\": {}}\n"
        );
        nix::sys::signal::kill(nix::unistd::Pid::from_raw(pid), signal).unwrap();
        let deadline = std::time::Instant::now() + wire_support::PATIENCE;
        while !gone(pid) {
            assert!(
                std::time::Instant::now() < deadline,
                "the daemon did not stop"
            );
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        assert!(!sock.exists(), "{signal}: the socket outlived the daemon");
        assert!(
            !pidfile.exists(),
            "{signal}: the pid file outlived the daemon"
        );
    }
}
