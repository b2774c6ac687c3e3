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
fn dump_conf() {
    let o = agent(&[
        "-D",
        "-m",
        "unix-listen",
        "-p",
        "/run/x.sock",
        "-b",
        "guest-exec",
    ]);
    assert!(o.status.success());
    let text = stdout(&o);
    assert!(text.starts_with("[general]\n"), "{text}");
    assert!(text.contains("method=unix-listen\n"));
    assert!(text.contains("block-rpcs=guest-exec\n"));
}

#[test]
fn sigterm_and_sigint_exit_0() {
    for signal in [Signal::SIGTERM, Signal::SIGINT] {
        let agent = AgentProcess::start(&[], false);
        assert_eq!(
            agent.connect().request(br#"{"execute":"guest-ping"}"#),
            "{\"return\": {}}\n"
        );
        let sock = agent.sock();
        let status = agent.stop_with(signal);
        assert_eq!(status.code(), Some(0), "{signal}");
        assert!(!sock.exists(), "the socket outlived the agent");
    }
}
