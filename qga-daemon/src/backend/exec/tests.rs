//! Behaviour of guest-exec and guest-exec-status with real children.

use std::time::{Duration, Instant};

use qga_generated::{GuestExecArg, GuestExecCaptureOutput, GuestExecCaptureOutputMode as Mode};

use super::*;

fn request(path: &str, args: &[&str]) -> GuestExecArg {
    GuestExecArg {
        path: path.into(),
        arg: Some(args.iter().map(|a| (*a).to_owned()).collect()),
        env: None,
        input_data: None,
        capture_output: Some(GuestExecCaptureOutput::Flag(true)),
    }
}

fn sh(script: &str) -> GuestExecArg {
    request("/bin/sh", &["-c", script])
}

/// Polls until the child is reported as ended.
fn wait_status(procs: &Processes, pid: i64) -> GuestExecStatus {
    let start = Instant::now();
    loop {
        let status = procs.status(pid).unwrap();
        if status.exited {
            return status;
        }
        assert_eq!(status, running());
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "child {pid} never ended"
        );
        std::thread::sleep(Duration::from_millis(2));
    }
}

fn run(procs: &Processes, req: GuestExecArg) -> GuestExecStatus {
    let pid = procs.exec(req).unwrap().pid;
    wait_status(procs, pid)
}

fn decoded(data: &Option<String>) -> Vec<u8> {
    base64::decode(data.as_deref().unwrap_or_default()).unwrap()
}

/// The process state letter of `pid` in /proc, if it exists.
fn proc_state(pid: i64) -> Option<char> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    stat.rsplit(')').next()?.trim_start().chars().next()
}

#[test]
fn echo_is_reported_once() {
    let procs = Processes::new();
    let pid = procs
        .exec(request("/bin/echo", &["hello", "world"]))
        .unwrap()
        .pid;
    let status = wait_status(&procs, pid);
    assert_eq!(
        status,
        GuestExecStatus {
            exited: true,
            exitcode: Some(0),
            signal: None,
            out_data: Some("aGVsbG8gd29ybGQK".into()),
            err_data: None,
            out_truncated: None,
            err_truncated: None,
        }
    );
    assert_eq!(
        procs.status(pid).unwrap_err().to_string(),
        "Invalid parameter 'pid'"
    );
    assert_eq!(procs.tracked(), 0);
    // Reaped: no zombie is left behind.
    assert_ne!(proc_state(pid), Some('Z'));
}

#[test]
fn unknown_pid() {
    let procs = Processes::new();
    assert_eq!(
        procs.status(1).unwrap_err().to_string(),
        "Invalid parameter 'pid'"
    );
}

#[test]
fn exit_codes_and_signals() {
    let procs = Processes::new();
    let status = run(&procs, sh("exit 3"));
    assert_eq!((status.exitcode, status.signal), (Some(3), None));
    assert_eq!(status.out_data, None);
    let status = run(&procs, sh("kill -9 $$"));
    assert_eq!((status.exitcode, status.signal), (None, Some(9)));
}

#[test]
fn separated_streams() {
    let procs = Processes::new();
    let status = run(&procs, sh("echo out; echo err >&2; exit 0"));
    assert_eq!(status.out_data.as_deref(), Some("b3V0Cg=="));
    assert_eq!(status.err_data.as_deref(), Some("ZXJyCg=="));
    assert_eq!((status.out_truncated, status.err_truncated), (None, None));
}

#[test]
fn every_capture_mode() {
    let procs = Processes::new();
    let script = "echo out; echo err >&2";
    let with = |capture| {
        let mut req = sh(script);
        req.capture_output = capture;
        let s = run(&procs, req);
        (decoded(&s.out_data), decoded(&s.err_data))
    };
    let both = (b"out\n".to_vec(), b"err\n".to_vec());
    let nothing = (Vec::new(), Vec::new());
    assert_eq!(with(None), nothing);
    assert_eq!(with(Some(GuestExecCaptureOutput::Flag(false))), nothing);
    assert_eq!(with(Some(GuestExecCaptureOutput::Flag(true))), both);
    let mode = |m| with(Some(GuestExecCaptureOutput::Mode(m)));
    assert_eq!(mode(Mode::None), nothing);
    assert_eq!(mode(Mode::Separated), both);
    assert_eq!(mode(Mode::Stdout), (b"out\n".to_vec(), Vec::new()));
    assert_eq!(mode(Mode::Stderr), (Vec::new(), b"err\n".to_vec()));
    assert_eq!(mode(Mode::Merged), (b"out\nerr\n".to_vec(), Vec::new()));
}

#[test]
fn input_data_then_end_of_input() {
    let procs = Processes::new();
    let mut req = request("/bin/cat", &[]);
    req.input_data = Some("c3RkaW4gZGF0YQo=".into());
    let status = run(&procs, req);
    assert_eq!(status.out_data.as_deref(), Some("c3RkaW4gZGF0YQo="));

    // Without input-data, standard input is /dev/null.
    let status = run(&procs, sh("cat; readlink /proc/self/fd/0"));
    assert_eq!(decoded(&status.out_data), b"/dev/null\n");

    // Empty input-data: a pipe that is closed at once.
    let mut req = sh("cat; echo done");
    req.input_data = Some(String::new());
    assert_eq!(decoded(&run(&procs, req).out_data), b"done\n");

    let mut req = request("/bin/cat", &[]);
    req.input_data = Some("!!!".into());
    assert_eq!(
        procs.exec(req).unwrap_err().to_string(),
        "Base64 data contains invalid characters"
    );
    assert_eq!(procs.tracked(), 0);
}

#[test]
fn large_input_and_output_at_once() {
    // cat echoes while it is fed: both directions must progress together.
    let data: Vec<u8> = (0..3_000_000u32).map(|i| (i % 253) as u8).collect();
    let procs = Processes::new();
    let mut req = request("/bin/cat", &[]);
    req.input_data = Some(base64::encode(&data));
    let status = run(&procs, req);
    assert_eq!(decoded(&status.out_data), data);
}

#[test]
fn unread_input_does_not_hang() {
    let procs = Processes::new();
    let mut req = request("/bin/true", &[]);
    req.input_data = Some(base64::encode(&vec![0u8; 1 << 20]));
    assert_eq!(run(&procs, req).exitcode, Some(0));
}

#[test]
fn env_replaces_the_environment() {
    let procs = Processes::new();
    let mut req = request("/usr/bin/env", &[]);
    req.env = Some(vec!["FOO=bar".into(), "NOEQUALS".into(), "A=b=c".into()]);
    let status = run(&procs, req);
    let mut lines: Vec<String> = String::from_utf8(decoded(&status.out_data))
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect();
    lines.sort();
    assert_eq!(lines, ["A=b=c", "FOO=bar"]);

    // Without env, the agent's environment is inherited.
    let status = run(&procs, request("/usr/bin/env", &[]));
    assert!(!decoded(&status.out_data).is_empty());
}

#[test]
fn path_search_and_argv0() {
    let procs = Processes::new();
    let status = run(&procs, request("sh", &["-c", "echo $0"]));
    assert_eq!(decoded(&status.out_data), b"sh\n");
    // The program is searched in the agent's PATH even when env has none.
    let mut req = request("env", &[]);
    req.env = Some(vec!["X=1".into()]);
    assert_eq!(decoded(&run(&procs, req).out_data), b"X=1\n");
}

#[test]
fn spawn_failures() {
    let procs = Processes::new();
    assert_eq!(
        procs
            .exec(request("/nonexistent/binary", &[]))
            .unwrap_err()
            .to_string(),
        "Failed to execute child process \u{201C}/nonexistent/binary\u{201D} \
         (No such file or directory)"
    );
    assert_eq!(
        procs
            .exec(request("qga-no-such-program", &[]))
            .unwrap_err()
            .to_string(),
        "Failed to execute child process \u{201C}qga-no-such-program\u{201D} \
         (No such file or directory)"
    );
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("noexec");
    std::fs::write(&script, "#!/bin/sh\n").unwrap();
    let script = script.to_str().unwrap();
    assert_eq!(
        procs.exec(request(script, &[])).unwrap_err().to_string(),
        format!("Failed to execute child process \u{201C}{script}\u{201D} (Permission denied)")
    );
    assert_eq!(procs.tracked(), 0);
}

#[test]
fn running_then_ended() {
    let procs = Processes::new();
    let pid = procs.exec(request("/bin/sleep", &["0.3"])).unwrap().pid;
    assert_eq!(procs.status(pid).unwrap(), running());
    let status = wait_status(&procs, pid);
    assert_eq!(status.exitcode, Some(0));
}

#[test]
fn a_grandchild_holding_the_output_keeps_it_running_but_no_zombie() {
    let procs = Processes::new();
    let pid = procs.exec(sh("sleep 0.6 & echo started")).unwrap().pid;
    std::thread::sleep(Duration::from_millis(300));
    // The shell has ended and been reaped, but its output is still open.
    assert_eq!(procs.status(pid).unwrap(), running());
    assert_ne!(proc_state(pid), Some('Z'));
    let status = wait_status(&procs, pid);
    assert_eq!(decoded(&status.out_data), b"started\n");
}

#[test]
fn uncollected_children_are_reaped_anyway() {
    let procs = Processes::new();
    let pid = procs.exec(request("/bin/true", &[])).unwrap().pid;
    // Nobody asks for its status, yet the child disappears from /proc:
    // it was waited for, not left a zombie.
    let start = Instant::now();
    while proc_state(pid).is_some() {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "child {pid} still in /proc: {:?}",
            proc_state(pid)
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    assert_eq!(procs.tracked(), 1);
    assert_eq!(wait_status(&procs, pid).exitcode, Some(0));
}

#[test]
fn the_table_is_bounded() {
    let procs = Processes::with_limit(2);
    let a = procs.exec(request("/bin/true", &[])).unwrap().pid;
    let _b = procs.exec(request("/bin/true", &[])).unwrap().pid;
    let full = procs.exec(request("/bin/true", &[])).unwrap_err();
    assert!(matches!(full, ExecError::TooMany(2)), "{full}");
    wait_status(&procs, a);
    procs.exec(request("/bin/true", &[])).unwrap();
}

#[test]
fn output_is_capped_at_16_mib() {
    let procs = Processes::new();
    let status = run(
        &procs,
        request("/usr/bin/head", &["-c", "17000000", "/dev/zero"]),
    );
    assert_eq!(status.exitcode, Some(0));
    assert_eq!(status.out_truncated, Some(true));
    assert_eq!(status.err_truncated, None);
    let out = decoded(&status.out_data);
    assert_eq!(out.len(), MAX_OUTPUT);

    let exact = MAX_OUTPUT.to_string();
    let status = run(
        &procs,
        sh(&format!(
            "head -c {exact} /dev/zero; head -c 17000000 /dev/zero >&2"
        )),
    );
    assert_eq!(status.out_truncated, None);
    assert_eq!(status.err_truncated, Some(true));
    assert_eq!(decoded(&status.out_data).len(), MAX_OUTPUT);
}

#[test]
fn an_orphaned_child_is_killed_and_reaped() {
    let child = std::process::Command::new("/bin/sleep")
        .arg("30")
        .spawn()
        .unwrap();
    let pid = i64::from(child.id());
    drop(child);
    kill_and_reap(pid);
    assert_eq!(proc_state(pid), None);
    // Out-of-range pids are ignored.
    kill_and_reap(i64::MAX);
}
