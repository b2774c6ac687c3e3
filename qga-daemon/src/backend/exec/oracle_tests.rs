//! guest-exec and guest-exec-status side by side with qemu-ga 7.2 on this
//! machine.
//!
//! Known differences, allowed below:
//! - 7.2 sends `out-truncated`/`err-truncated: false` next to every
//!   non-empty `out-data`/`err-data`; we send them only when the output was
//!   truncated (as 10.x does, but with the value `true`).
//! - 7.2 wants a bool `capture-output`; the modes ("merged", ...) are 8.0
//!   additions, so they are not compared.
//! - A spawn failure is wrapped by 7.2 in `Guest agent command failed,
//!   error was '...'`; 10.x and we give the inner message alone.

use std::time::{Duration, Instant};

use qga_generated::qapi::IntoQapi;
use qga_generated::{GuestExecArg, GuestExecCaptureOutput};
use serde_json::{json, Value};

use super::*;
use crate::backend::files::oracle::{differences, shape, QemuGa};

const TRUNCATION_FLAGS: &[&str] = &["out-truncated", "err-truncated"];

fn request(path: &str, args: &[&str]) -> GuestExecArg {
    GuestExecArg {
        path: path.into(),
        arg: Some(args.iter().map(|a| (*a).to_owned()).collect()),
        env: None,
        input_data: None,
        capture_output: Some(GuestExecCaptureOutput::Flag(true)),
    }
}

/// The same request on the wire.
fn wire(req: &GuestExecArg) -> Value {
    req.clone().into_qapi()
}

fn theirs_status(ga: &mut QemuGa, pid: &Value) -> Value {
    let start = Instant::now();
    loop {
        let status = ga.call("guest-exec-status", json!({ "pid": pid })).unwrap();
        if status["exited"] == json!(true) {
            return status;
        }
        assert!(start.elapsed() < Duration::from_secs(20));
        std::thread::sleep(Duration::from_millis(2));
    }
}

fn ours_status(procs: &Processes, pid: i64) -> Value {
    let start = Instant::now();
    loop {
        let status = procs.status(pid).unwrap();
        if status.exited {
            return status.into_qapi();
        }
        assert!(start.elapsed() < Duration::from_secs(20));
        std::thread::sleep(Duration::from_millis(2));
    }
}

#[test]
fn replies_and_errors_match_qemu_ga() {
    let Some(mut ga) = QemuGa::start() else {
        return;
    };
    let procs = Processes::new();
    let mut with_input = request("/bin/cat", &[]);
    with_input.input_data = Some("c3RkaW4gZGF0YQo=".into());
    let mut with_env = request("/usr/bin/env", &[]);
    with_env.env = Some(vec!["FOO=bar".into()]);
    let mut no_capture = request("/bin/echo", &["nocapture"]);
    no_capture.capture_output = None;
    let cases = [
        request("/bin/echo", &["hello", "world"]),
        request("/bin/sh", &["-c", "exit 3"]),
        request("/bin/sh", &["-c", "echo out; echo err >&2; exit 0"]),
        request("/bin/sh", &["-c", "kill -9 $$"]),
        request("sh", &["-c", "echo $0"]),
        with_input,
        with_env,
        no_capture,
    ];
    for case in cases {
        let what = format!("{case:?}");
        let theirs_reply = ga.call("guest-exec", wire(&case)).unwrap();
        let ours = procs.exec(case).unwrap();
        let ours_pid = ours.pid;
        let diff = differences(&shape(&ours.into_qapi()), &shape(&theirs_reply), &[], &[]);
        assert!(diff.is_empty(), "{what}: {diff:?}");
        let theirs_pid = theirs_reply["pid"].clone();

        let theirs = theirs_status(&mut ga, &theirs_pid);
        let ours = ours_status(&procs, ours_pid);
        let diff = differences(&shape(&ours), &shape(&theirs), &[], TRUNCATION_FLAGS);
        assert!(
            diff.is_empty(),
            "{what}: {diff:?}\nours: {ours}\nqemu-ga: {theirs}"
        );
        for member in ["exitcode", "signal", "out-data", "err-data", "exited"] {
            assert_eq!(ours.get(member), theirs.get(member), "{what}: {member}");
        }

        // Collected once: asking again is the same error in both.
        let theirs = ga.call("guest-exec-status", json!({ "pid": theirs_pid }));
        let ours = procs.status(ours_pid).map_err(|e| e.to_string());
        assert_eq!(ours.map(|_| ()), theirs.map(|_| ()), "{what}: again");
    }

    // Running.
    let sleep = request("/bin/sleep", &["0.3"]);
    let theirs_pid = ga.call("guest-exec", wire(&sleep)).unwrap()["pid"].clone();
    let ours_pid = procs.exec(sleep).unwrap().pid;
    let theirs = ga
        .call("guest-exec-status", json!({ "pid": theirs_pid }))
        .unwrap();
    let ours = procs.status(ours_pid).unwrap().into_qapi();
    assert_eq!(ours, theirs);
    assert_eq!(ours, json!({"exited": false}));
    theirs_status(&mut ga, &theirs_pid);
    ours_status(&procs, ours_pid);

    // Errors.
    assert_eq!(
        procs.status(1).map_err(|e| e.to_string()).map(|_| ()),
        ga.call("guest-exec-status", json!({"pid": 1})).map(|_| ())
    );
    let missing = request("/nonexistent/binary", &[]);
    let theirs = ga.call("guest-exec", wire(&missing)).unwrap_err();
    let ours = procs.exec(missing).unwrap_err().to_string();
    assert_eq!(
        theirs,
        format!("Guest agent command failed, error was '{ours}'")
    );
    let mut bad_input = request("/bin/cat", &[]);
    bad_input.input_data = Some("!!!".into());
    let theirs = ga.call("guest-exec", wire(&bad_input)).unwrap_err();
    assert_eq!(procs.exec(bad_input).unwrap_err().to_string(), theirs);
}

#[test]
fn truncated_output_matches_qemu_ga_but_for_the_flag() {
    let Some(mut ga) = QemuGa::start() else {
        return;
    };
    let procs = Processes::new();
    let big = request("/usr/bin/head", &["-c", "17000000", "/dev/zero"]);
    let theirs_pid = ga.call("guest-exec", wire(&big)).unwrap()["pid"].clone();
    let ours_pid = procs.exec(big).unwrap().pid;
    let theirs = theirs_status(&mut ga, &theirs_pid);
    let ours = ours_status(&procs, ours_pid);
    assert_eq!(ours["out-data"], theirs["out-data"]);
    assert_eq!(ours["out-truncated"], json!(true));
    assert_eq!(theirs["out-truncated"], json!(true));
    let diff = differences(&shape(&ours), &shape(&theirs), &[], &[]);
    assert!(diff.is_empty(), "{diff:?}");
}
