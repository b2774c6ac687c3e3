//! `qga-client` end to end: the built client against the built agent on a
//! unix socket, and against scripted peers for what an agent cannot be
//! made to do safely (a silent peer, a command that shuts the host down).

mod wire_support;

use serde_json::Value;
use std::ffi::OsStr;
use std::io::{BufRead, BufReader, Write};
use std::os::unix::net::UnixListener;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::Instant;
use wire_support::{AgentProcess, PATIENCE};

/// Runs the client with `args` (and `stdin`), never waiting for an agent
/// longer than the tests' patience.
fn client_with_stdin<S: AsRef<OsStr>>(args: &[S], stdin: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_qga-client"))
        .args(args)
        .arg("--timeout")
        .arg(PATIENCE.as_secs().to_string())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start the client");
    let mut input = child.stdin.take().expect("piped stdin");
    input.write_all(stdin).unwrap();
    drop(input);
    child.wait_with_output().unwrap()
}

fn client<S: AsRef<OsStr>>(args: &[S]) -> Output {
    client_with_stdin(args, b"")
}

/// The client's stdout as text, after checking it exited with `code`.
fn expect(output: &Output, code: i32) -> String {
    assert_eq!(
        output.status.code(),
        Some(code),
        "stdout: {}\nstderr: {}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

/// `[socket, command, arguments...]` as the client's operands.
fn call(agent: &AgentProcess, rest: &[&str]) -> Output {
    let mut args = vec![agent.sock().into_os_string()];
    args.extend(rest.iter().map(Into::into));
    client(&args)
}

#[test]
fn ping_prints_the_empty_return() {
    let agent = AgentProcess::start(&[], false);
    let out = call(&agent, &["guest-ping"]);
    assert_eq!(expect(&out, 0), "{}\n");
    assert_eq!(stderr(&out), "");
}

#[test]
fn guest_info_pretty_and_compact() {
    let agent = AgentProcess::start(&[], false);
    let pretty = expect(&call(&agent, &["guest-info"]), 0);
    assert!(pretty.lines().count() > 10, "{pretty}");
    let info = json(&pretty);
    assert!(info["version"].is_string());
    let commands = info["supported_commands"].as_array().unwrap();
    assert!(commands.iter().any(|c| c["name"] == "guest-ping"));

    let compact = expect(&call(&agent, &["guest-info", "--compact"]), 0);
    assert_eq!(compact.lines().count(), 1);
    assert_eq!(json(&compact), info);
}

#[test]
fn arguments_from_the_command_line_and_stdin() {
    let agent = AgentProcess::start(&[], false);
    let out = call(&agent, &["guest-sync", r#"{"id": 12345}"#]);
    assert_eq!(expect(&out, 0), "12345\n");

    let mut args = vec![agent.sock().into_os_string()];
    args.extend(["guest-sync-delimited".into(), "-".into()]);
    let out = client_with_stdin(&args, br#"{"id": -7}"#);
    assert_eq!(expect(&out, 0), "-7\n");
}

#[test]
fn error_replies_exit_1_with_class_and_desc() {
    let agent = AgentProcess::start(&[], false);
    let out = call(&agent, &["guest-file-read", r#"{"handle": 999999}"#]);
    assert_eq!(expect(&out, 1), "");
    assert_eq!(
        stderr(&out),
        "GenericError: handle '999999' has not been found\n"
    );
}

#[test]
fn wrong_arguments_fail_locally_with_the_agents_error() {
    let agent = AgentProcess::start(&[], false);
    let wrong = r#"{"handle": "x"}"#;
    // Sent unchecked, the agent's answer...
    let raw = call(&agent, &["guest-file-read", wrong, "--raw"]);
    expect(&raw, 1);
    let agents = stderr(&raw);
    assert_eq!(
        agents,
        "GenericError: Invalid parameter type for 'handle', expected: integer\n"
    );
    // ...is the client's own, and it does not even connect: the address
    // leads nowhere, yet the status is 1 (an error reply), not 2.
    let nowhere = agent.dir().join("no-such.sock");
    let local = client(&[
        nowhere.as_os_str(),
        OsStr::new("guest-file-read"),
        OsStr::new(wrong),
    ]);
    expect(&local, 1);
    let text = stderr(&local);
    let mut lines = text.lines();
    assert_eq!(lines.next(), agents.lines().next());
    assert!(
        lines.next().is_some_and(|l| l.contains("not sent")),
        "{text}"
    );

    // An unknown command too; --raw lets the agent say so.
    let local = client(&[nowhere.as_os_str(), OsStr::new("guest-nope")]);
    expect(&local, 1);
    let raw = call(&agent, &["guest-nope", "--raw"]);
    expect(&raw, 1);
    assert_eq!(
        stderr(&raw),
        "CommandNotFound: The command guest-nope has not been found\n"
    );
    assert!(stderr(&local).starts_with(&stderr(&raw)));
}

#[test]
fn list_shows_every_command_and_marks_disabled_ones() {
    let agent = AgentProcess::start(&["-b", "guest-exec"], false);
    let list = expect(
        &client(&[agent.sock().as_os_str(), OsStr::new("--list")]),
        0,
    );
    let rows: Vec<Vec<&str>> = list
        .lines()
        .map(|l| l.split_whitespace().collect())
        .collect();
    assert!(rows.contains(&vec!["guest-ping"]), "{list}");
    assert!(rows.contains(&vec!["guest-exec", "disabled"]), "{list}");
    assert_eq!(rows.iter().filter(|r| r.len() > 1).count(), 1, "{list}");
    let names: Vec<&str> = rows.iter().map(|r| r[0]).collect();
    let mut expected: Vec<String> = json(&expect(&call(&agent, &["guest-info"]), 0))
        ["supported_commands"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap().to_owned())
        .collect();
    expected.sort_unstable();
    assert_eq!(names, expected);
}

#[test]
fn file_round_trip_with_decode() {
    let agent = AgentProcess::start(&[], false);
    let data: Vec<u8> = (0..=255u8).chain(*b"\nend\xff").collect();
    let file = agent.dir().join("payload.bin");
    std::fs::write(&file, &data).unwrap();

    let open = format!(r#"{{"path": {}}}"#, Value::from(file.to_str().unwrap()));
    let handle = json(&expect(&call(&agent, &["guest-file-open", &open]), 0));
    let handle = handle.as_i64().expect("a handle");

    let read = format!(r#"{{"handle": {handle}, "count": 65536}}"#);
    let out = call(&agent, &["guest-file-read", &read, "--decode"]);
    expect(&out, 0);
    assert_eq!(out.stdout, data);

    // Without --decode, the JSON reply.
    let again = json(&expect(&call(&agent, &["guest-file-read", &read]), 0));
    assert_eq!(again["eof"], true);
    assert_eq!(again["count"], 0);

    let close = format!(r#"{{"handle": {handle}}}"#);
    assert_eq!(
        expect(&call(&agent, &["guest-file-close", &close]), 0),
        "{}\n"
    );
    expect(&call(&agent, &["guest-file-read", &read]), 1);
}

/// Starts `script` with `sh -c` through guest-exec and returns the output
/// of the first guest-exec-status --decode that finds it exited.
fn exec_to_completion(agent: &AgentProcess, script: &str) -> Output {
    let exec = serde_json::json!({
        "path": "sh",
        "arg": ["-c", script],
        "capture-output": true,
    })
    .to_string();
    let pid = json(&expect(&call(agent, &["guest-exec", &exec]), 0))["pid"]
        .as_i64()
        .expect("a pid");
    let status = format!(r#"{{"pid": {pid}}}"#);
    let deadline = Instant::now() + PATIENCE;
    loop {
        let out = call(agent, &["guest-exec-status", &status, "--decode"]);
        if out.status.code() != Some(3) {
            return out;
        }
        assert_eq!(stderr(&out), "qga-client: the process is still running\n");
        assert!(Instant::now() < deadline, "the process never exited");
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
}

#[test]
fn exec_and_status_with_decode() {
    let agent = AgentProcess::start(&[], false);
    let out = exec_to_completion(&agent, "printf 'out\\n'; printf err >&2");
    assert_eq!(expect(&out, 0), "out\n");
    assert_eq!(stderr(&out), "err");

    let out = exec_to_completion(&agent, "printf partial; exit 3");
    assert_eq!(expect(&out, 4), "partial");
    assert_eq!(stderr(&out), "qga-client: the process exited with code 3\n");

    let out = exec_to_completion(&agent, "kill -9 $$");
    expect(&out, 4);
    assert_eq!(
        stderr(&out),
        "qga-client: the process was killed by signal 9\n"
    );
}

#[test]
fn decode_only_applies_to_payload_commands() {
    let out = client(&["/nonexistent.sock", "guest-ping", "--decode"]);
    expect(&out, 2);
    assert!(
        stderr(&out).contains("--decode applies to"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn an_unreachable_socket_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let sock = dir.path().join("none.sock");
    let out = client(&[sock.as_os_str(), OsStr::new("guest-ping")]);
    assert_eq!(expect(&out, 2), "");
    assert!(
        stderr(&out).starts_with(&format!("qga-client: cannot connect to {}", sock.display())),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_silent_peer_times_out_with_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let sock = dir.path().join("silent.sock");
    let listener = UnixListener::bind(&sock).unwrap();
    // Accepts, reads, never answers; ends when the client hangs up.
    let peer = std::thread::spawn(move || {
        let (conn, _) = listener.accept().unwrap();
        std::io::copy(&mut &conn, &mut std::io::sink()).unwrap();
    });
    let out = Command::new(env!("CARGO_BIN_EXE_qga-client"))
        .arg(&sock)
        .args(["guest-ping", "--timeout", "0.2"])
        .output()
        .unwrap();
    assert_eq!(expect(&out, 2), "");
    assert!(
        stderr(&out).starts_with("qga-client: no answer to the handshake within 0.2 s"),
        "{}",
        stderr(&out)
    );
    peer.join().unwrap();
}

/// A peer that answers the handshake after replies queued for earlier
/// clients (one of them an earlier handshake's echo), then records the
/// next request line.
fn scripted_peer(sock: &Path) -> std::thread::JoinHandle<String> {
    let listener = UnixListener::bind(sock).unwrap();
    std::thread::spawn(move || {
        let (conn, _) = listener.accept().unwrap();
        let mut reader = BufReader::new(&conn);
        let mut line = Vec::new();
        reader.read_until(b'\n', &mut line).unwrap();
        let sync = line.strip_prefix(b"\xff").expect("0xFF first");
        let request: Value = serde_json::from_slice(sync).unwrap();
        assert_eq!(request["execute"], "guest-sync-delimited");
        let id = request["arguments"]["id"].as_i64().expect("an integer id");
        let mut answer = b"{\"return\": {}}\n\xff".to_vec();
        answer.extend(format!("{{\"return\": {}}}\n", id + 1).bytes());
        answer.extend(
            br#"{"error": {"class": "GenericError", "desc": "JSON parse error, stray '\uFFFD'"}}"#,
        );
        answer.extend(b"\n\xff");
        answer.extend(format!("{{\"return\": {id}}}\n").bytes());
        (&conn).write_all(&answer).unwrap();
        let mut request = String::new();
        reader.read_line(&mut request).unwrap();
        request
    })
}

#[test]
fn stale_replies_are_skipped_and_commands_without_a_reply_print_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let sock = dir.path().join("peer.sock");
    let peer = scripted_peer(&sock);
    let out = client(&[
        sock.as_os_str(),
        OsStr::new("guest-shutdown"),
        OsStr::new(r#"{"mode": "reboot"}"#),
    ]);
    assert_eq!(expect(&out, 0), "");
    assert_eq!(stderr(&out), "");
    assert_eq!(
        peer.join().unwrap(),
        "{\"execute\":\"guest-shutdown\",\"arguments\":{\"mode\":\"reboot\"}}\n"
    );
}

#[test]
fn vsock_addresses_are_used_and_failures_exit_2() {
    // CID 1 is the local host; nothing listens on this port (and without
    // vsock support the connect fails at once): either way, exit 2.
    let out = client(&["vsock:1:4294967294", "guest-ping"]);
    assert_eq!(expect(&out, 2), "");
    assert!(
        stderr(&out).starts_with("qga-client: cannot connect to vsock:1:4294967294: "),
        "{}",
        stderr(&out)
    );
    let out = client(&["vsock:1", "guest-ping"]);
    expect(&out, 2);
    assert!(
        stderr(&out).contains("error parsing address '1'"),
        "{}",
        stderr(&out)
    );
}
