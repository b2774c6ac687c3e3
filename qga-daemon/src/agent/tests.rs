//! The command layer end to end, without a channel: request values in,
//! reply bytes out.

use super::*;
use crate::daemon::frozen::Deferred;
use crate::state::StateDir;
use serde_json::{json, Value};

/// An agent over a fresh state directory, with `args` as extra options.
fn agent_with(args: &[&str], frozen: bool) -> (Agent, Arc<Frozen>, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let mut argv = vec!["qemu-ga", "-m", "unix-listen", "-p", "/nonexistent/sock"];
    argv.extend_from_slice(args);
    let action = crate::config::load(
        argv,
        |_| None,
        |_| Err(std::io::Error::from(std::io::ErrorKind::NotFound)),
    )
    .unwrap();
    let crate::config::Action::Run(config) = action else {
        panic!("not a run");
    };
    let state = Arc::new(StateDir::open(dir.path(), frozen).unwrap());
    let frozen = Arc::new(Frozen::new(state.clone(), frozen, Deferred::default()));
    (Agent::new(&config, frozen.clone(), state), frozen, dir)
}

fn agent() -> Agent {
    agent_with(&[], false).0
}

fn wire(agent: &Agent, request: Value) -> String {
    let reply = agent.run(request).expect("a reply");
    String::from_utf8_lossy(&reply.to_bytes()).into_owned()
}

#[test]
fn core_commands() {
    let a = agent();
    assert_eq!(
        wire(&a, json!({"execute": "guest-ping"})),
        "{\"return\": {}}\n"
    );
    assert_eq!(
        wire(&a, json!({"execute": "guest-ping", "id": 99})),
        "{\"return\": {}, \"id\": 99}\n"
    );
    assert_eq!(
        wire(
            &a,
            json!({"execute": "guest-sync", "arguments": {"id": -5}})
        ),
        "{\"return\": -5}\n"
    );
    let reply = a
        .run(json!({"execute": "guest-sync-delimited", "arguments": {"id": 7}, "id": "x"}))
        .unwrap();
    assert_eq!(
        &reply.to_bytes()[..],
        b"\xff{\"return\": 7, \"id\": \"x\"}\n"
    );
}

#[test]
fn only_a_successful_sync_delimited_gets_the_sentinel() {
    let a = agent();
    let reply = a
        .run(json!({"execute": "guest-sync-delimited", "arguments": {"id": "x"}}))
        .unwrap();
    assert_eq!(
        &reply.to_bytes()[..],
        &b"{\"error\": {\"class\": \"GenericError\", \"desc\": \"Invalid parameter type for 'id', expected: integer\"}}\n"[..]
    );
}

#[test]
fn envelope_lookup_and_arguments() {
    let a = agent();
    assert_eq!(
        wire(&a, json!([1, 2])),
        "{\"error\": {\"class\": \"GenericError\", \"desc\": \"QMP input must be a JSON object\"}}\n"
    );
    assert_eq!(
        wire(&a, json!({"id": 7})),
        "{\"id\": 7, \"error\": {\"class\": \"GenericError\", \"desc\": \"QMP input lacks member 'execute'\"}}\n"
    );
    assert_eq!(
        wire(&a, json!({"execute": "guest-no-such", "id": "abc"})),
        "{\"id\": \"abc\", \"error\": {\"class\": \"CommandNotFound\", \"desc\": \"The command guest-no-such has not been found\"}}\n"
    );
    // The whole envelope is checked before the command is looked up.
    assert_eq!(
        wire(&a, json!({"execute": "nope", "foo": 1, "id": [1]})),
        "{\"id\": [1], \"error\": {\"class\": \"GenericError\", \"desc\": \"QMP input member 'foo' is unexpected\"}}\n"
    );
    assert_eq!(
        wire(&a, json!({"execute": "guest-ping", "arguments": null})),
        "{\"error\": {\"class\": \"GenericError\", \"desc\": \"QMP input member 'arguments' must be an object\"}}\n"
    );
    assert_eq!(
        wire(&a, json!({"execute": "guest-sync", "id": 5})),
        "{\"id\": 5, \"error\": {\"class\": \"GenericError\", \"desc\": \"Parameter 'id' is missing\"}}\n"
    );
    assert_eq!(
        wire(&a, json!({"execute": "guest-ping", "arguments": {"bogus": 1}})),
        "{\"error\": {\"class\": \"GenericError\", \"desc\": \"Parameter 'bogus' is unexpected\"}}\n"
    );
}

#[test]
fn arguments_are_checked_before_the_backend() {
    let a = agent();
    assert_eq!(
        wire(&a, json!({"execute": "guest-file-open", "arguments": {}})),
        "{\"error\": {\"class\": \"GenericError\", \"desc\": \"Parameter 'path' is missing\"}}\n"
    );
    assert_eq!(
        wire(&a, json!({"execute": "guest-shutdown", "arguments": {"mode": 1}})),
        "{\"error\": {\"class\": \"GenericError\", \"desc\": \"Invalid parameter type for 'mode', expected: string\"}}\n"
    );
}

#[test]
fn windows_only_device_list_is_not_registered() {
    assert_eq!(
        wire(&agent(), json!({"execute": "guest-get-devices"})),
        "{\"error\": {\"class\": \"CommandNotFound\", \"desc\": \"The command guest-get-devices has not been found\"}}\n"
    );
}

/// The `return` member of the reply to `request`.
fn returned(a: &Agent, request: Value) -> Value {
    let reply: Value =
        serde_json::from_slice(&a.run(request).expect("a reply").to_bytes()).unwrap();
    reply
        .get("return")
        .cloned()
        .unwrap_or_else(|| panic!("not a success: {reply}"))
}

#[test]
fn read_only_commands_reach_their_backends() {
    let a = agent();
    let time = returned(&a, json!({"execute": "guest-get-time"}));
    // After 2020-01-01, in nanoseconds.
    assert!(time.as_i64().unwrap() > 1_577_836_800_000_000_000, "{time}");
    let tz = returned(&a, json!({"execute": "guest-get-timezone"}));
    assert!(tz["offset"].is_i64(), "{tz}");
    let host = returned(&a, json!({"execute": "guest-get-host-name"}));
    assert!(host["host-name"].is_string(), "{host}");
    let os = returned(&a, json!({"execute": "guest-get-osinfo"}));
    assert!(os["kernel-release"].is_string(), "{os}");
    let load = returned(&a, json!({"execute": "guest-get-load"}));
    assert!(load["load1m"].is_number(), "{load}");
    assert!(returned(&a, json!({"execute": "guest-get-users"})).is_array());
    let vcpus = returned(&a, json!({"execute": "guest-get-vcpus"}));
    assert!(!vcpus.as_array().unwrap().is_empty(), "{vcpus}");
    let routes = returned(&a, json!({"execute": "guest-network-get-route"}));
    assert!(routes.is_array(), "{routes}");
}

#[test]
fn failing_changes_reach_their_backends() {
    let a = agent();
    assert_eq!(
        wire(&a, json!({"execute": "guest-shutdown", "arguments": {"mode": "nap"}})),
        "{\"error\": {\"class\": \"GenericError\", \"desc\": \"mode is invalid (valid values are: halt|powerdown|reboot\"}}\n"
    );
    assert_eq!(
        wire(
            &a,
            json!({"execute": "guest-set-time", "arguments": {"time": -1}})
        ),
        "{\"error\": {\"class\": \"GenericError\", \"desc\": \"Invalid time\"}}\n"
    );
    assert_eq!(
        wire(
            &a,
            json!({"execute": "guest-set-user-password", "arguments": {"username": "no:body", "password": "eA==", "crypted": false}})
        ),
        "{\"error\": {\"class\": \"GenericError\", \"desc\": \"forbidden characters in username\"}}\n"
    );
    assert!(wire(
        &a,
        json!({"execute": "guest-ssh-get-authorized-keys", "arguments": {"username": "no-such-user-qga"}})
    )
    .contains("no-such-user-qga"));
}

#[test]
fn blocked_commands_fail_before_their_arguments() {
    let (a, _, _dir) = agent_with(&["-b", "guest-exec,guest-sync"], false);
    let disabled = |name: &str| {
        format!("{{\"error\": {{\"class\": \"CommandNotFound\", \"desc\": \"Command {name} has been disabled: the command is not allowed\"}}}}\n")
    };
    assert_eq!(
        wire(
            &a,
            json!({"execute": "guest-exec", "arguments": {"bogus": 1}})
        ),
        disabled("guest-exec")
    );
    assert_eq!(
        wire(&a, json!({"execute": "guest-sync"})),
        disabled("guest-sync")
    );
    assert_eq!(
        wire(&a, json!({"execute": "guest-ping"})),
        "{\"return\": {}}\n"
    );
    // Unknown commands stay unknown.
    assert!(wire(&a, json!({"execute": "guest-bogus"})).contains("has not been found"));
}

#[test]
fn allow_list() {
    let (a, _, _dir) = agent_with(&["-a", "guest-ping,guest-info"], false);
    assert_eq!(
        wire(&a, json!({"execute": "guest-ping"})),
        "{\"return\": {}}\n"
    );
    assert!(wire(
        &a,
        json!({"execute": "guest-sync-delimited", "arguments": {"id": 1}})
    )
    .contains("Command guest-sync-delimited has been disabled"));
}

fn listed(a: &Agent) -> Vec<(String, bool, bool)> {
    let reply: Value =
        serde_json::from_slice(&a.run(json!({"execute": "guest-info"})).unwrap().to_bytes())
            .unwrap();
    assert_eq!(
        reply["return"]["version"],
        crate::config::QEMU_COMPAT_VERSION
    );
    reply["return"]["supported_commands"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["name"].as_str().unwrap().to_owned(),
                c["enabled"].as_bool().unwrap(),
                c["success-response"].as_bool().unwrap(),
            )
        })
        .collect()
}

#[test]
fn info_lists_every_command_in_reverse_schema_order() {
    let list = listed(&agent());
    let names: Vec<&str> = list.iter().map(|c| c.0.as_str()).collect();
    let mut expected: Vec<&str> = command_names().collect();
    expected.reverse();
    assert_eq!(names, expected);
    assert_eq!(names.first(), Some(&"guest-network-get-route"));
    assert_eq!(names.last(), Some(&"guest-sync-delimited"));
    assert!(!names.contains(&"guest-get-devices"));
    assert!(list.iter().all(|c| c.1));
    for (name, _, success) in &list {
        let quiet = name == "guest-shutdown" || name.starts_with("guest-suspend-");
        assert_eq!(*success, !quiet, "{name}");
    }
}

#[test]
fn info_follows_the_gate() {
    let (a, frozen, _dir) = agent_with(&["-b", "guest-exec"], false);
    let enabled = |a: &Agent, name: &str| listed(a).iter().find(|c| c.0 == name).unwrap().1;
    assert!(!enabled(&a, "guest-exec"));
    assert!(enabled(&a, "guest-get-time"));
    frozen.set_frozen();
    assert!(!enabled(&a, "guest-get-time"));
    assert!(enabled(&a, "guest-fsfreeze-thaw"));
    assert!(wire(&a, json!({"execute": "guest-get-time"})).contains("has been disabled"));
    frozen.unset_frozen();
    assert!(enabled(&a, "guest-get-time"));
    assert!(!enabled(&a, "guest-exec"));
}

#[test]
fn frozen_at_start() {
    let (a, _, _dir) = agent_with(&[], true);
    assert_eq!(
        wire(&a, json!({"execute": "guest-ping"})),
        "{\"return\": {}}\n"
    );
    assert!(wire(
        &a,
        json!({"execute": "guest-file-open", "arguments": {"path": "/x"}})
    )
    .contains("Command guest-file-open has been disabled: the command is not allowed"));
    let enabled: Vec<String> = listed(&a)
        .into_iter()
        .filter(|c| c.1)
        .map(|c| c.0)
        .collect();
    let mut safe: Vec<&str> = FROZEN_SAFE.to_vec();
    safe.sort_unstable();
    let mut enabled: Vec<&str> = enabled.iter().map(String::as_str).collect();
    enabled.sort_unstable();
    assert_eq!(enabled, safe);
}

#[test]
fn command_names_are_in_schema_order() {
    let names: Vec<&str> = command_names().collect();
    assert_eq!(
        names.get(..3),
        Some(&["guest-sync-delimited", "guest-sync", "guest-ping"][..])
    );
}

#[test]
fn file_commands_reach_their_backend() {
    let (a, _, dir) = agent_with(&[], false);
    let path = dir.path().join("small.txt");
    std::fs::write(&path, "hello qga\n").unwrap();
    let path = path.to_str().unwrap();
    assert_eq!(
        wire(
            &a,
            json!({"execute": "guest-file-open", "arguments": {"path": path}})
        ),
        "{\"return\": 1000}\n"
    );
    assert_eq!(
        wire(
            &a,
            json!({"execute": "guest-file-read", "arguments": {"handle": 1000, "count": 5}})
        ),
        "{\"return\": {\"count\": 5, \"buf-b64\": \"aGVsbG8=\", \"eof\": false}}\n"
    );
    assert_eq!(
        wire(
            &a,
            json!({"execute": "guest-file-close", "arguments": {"handle": 1000}})
        ),
        "{\"return\": {}}\n"
    );
    assert_eq!(
        wire(&a, json!({"execute": "guest-file-close", "arguments": {"handle": 1000}})),
        "{\"error\": {\"class\": \"GenericError\", \"desc\": \"handle '1000' has not been found\"}}\n"
    );
    // The counter is the state directory's.
    assert_eq!(
        std::fs::read_to_string(dir.path().join("qga.state")).unwrap(),
        "[global]\nfd_counter=1001\n"
    );
}

#[test]
fn exec_commands_reach_their_backend() {
    let a = agent();
    let reply: Value = serde_json::from_slice(
        &a.run(json!({"execute": "guest-exec", "arguments": {"path": "/bin/sh", "arg": ["-c", "exit 3"]}}))
            .unwrap()
            .to_bytes()[..],
    )
    .unwrap();
    let pid = reply["return"]["pid"].as_i64().expect("a pid");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let status = wire(
            &a,
            json!({"execute": "guest-exec-status", "arguments": {"pid": pid}}),
        );
        if status != "{\"return\": {\"exited\": false}}\n" {
            assert_eq!(
                status,
                "{\"return\": {\"exitcode\": 3, \"exited\": true}}\n"
            );
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the child never ended"
        );
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    assert!(wire(
        &a,
        json!({"execute": "guest-exec-status", "arguments": {"pid": pid}})
    )
    .contains("GenericError"));
}

#[test]
fn file_reads_are_streamed_with_the_bytes_of_the_typed_reply() {
    use qga_generated::qapi::{self, IntoQapi};
    use qga_generated::Commands;

    let (a, _frozen, _state) = agent_with(&[], false);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("data");
    let data: Vec<u8> = (0..3_000_000u32).map(|i| (i * 31 % 251) as u8).collect();
    std::fs::write(&path, &data).unwrap();
    let open = || {
        returned(
            &a,
            json!({"execute": "guest-file-open", "arguments": {"path": path}}),
        )
        .as_i64()
        .unwrap()
    };
    // Two handles on the file, read in step: one over the wire path, one
    // through the typed trait method, whose reply is serialised whole.
    let (wire_handle, typed_handle) = (open(), open());
    for count in [
        Some(0),
        None,
        Some(1),
        Some(5),
        Some(1_000_000),
        Some(50_331_648),
    ] {
        let mut arguments = json!({"handle": wire_handle});
        if let Some(count) = count {
            arguments["count"] = json!(count);
        }
        let streamed = a
            .run(json!({"execute": "guest-file-read", "arguments": arguments, "id": [count]}))
            .unwrap();
        assert!(streamed.is_streamed());
        let typed = a.guest_file_read(typed_handle, count).unwrap();
        let whole = crate::server::Reply::new(
            &qapi::reply(Ok(typed.into_qapi()), Some(json!([count]))),
            false,
        );
        assert_eq!(streamed.to_bytes(), whole.to_bytes(), "count {count:?}");
    }
    // Errors are plain replies.
    let reply = a
        .run(json!({"execute": "guest-file-read", "arguments": {"handle": 5}}))
        .unwrap();
    assert!(!reply.is_streamed());
    assert_eq!(
        String::from_utf8_lossy(&reply.to_bytes()),
        "{\"error\": {\"class\": \"GenericError\", \"desc\": \"handle '5' has not been found\"}}\n"
    );
}

/// Runs `f` with the audit channel going to a syslog socket of ours;
/// returns the messages sent, without syslog's prefix.
fn audited(f: impl FnOnce(&crate::log::Logger)) -> Vec<String> {
    use crate::log::{syslog::Syslog, LogLayer, Logger};
    use tracing_subscriber::layer::SubscriberExt;

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("log");
    let socket = std::os::unix::net::UnixDatagram::bind(&path).unwrap();
    let logger = Arc::new(Logger::memory(Default::default(), false));
    logger.set_syslog(Syslog::connect(&path, "qga", 7).unwrap());
    let subscriber = tracing_subscriber::registry().with(LogLayer::new(logger.clone()));
    tracing::subscriber::with_default(subscriber, || f(&logger));
    socket.set_nonblocking(true).unwrap();
    let mut messages = Vec::new();
    let mut buffer = vec![0u8; 65536];
    while let Ok(n) = socket.recv(&mut buffer) {
        let line = String::from_utf8_lossy(&buffer[..n]).into_owned();
        let (_, message) = line.split_once(" qga[7]: info: ").unwrap();
        messages.push(message.to_owned());
    }
    messages
}

#[test]
fn audit_messages_of_file_commands() {
    let (a, _frozen, _state) = agent_with(&[], false);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("f");
    std::fs::write(&path, "data").unwrap();
    let path = path.to_str().unwrap();
    let messages = audited(|_| {
        let run = |request: Value| a.run(request).unwrap();
        run(json!({"execute": "guest-ping"}));
        run(json!({"execute": "guest-file-open", "arguments": {"path": path}}));
        run(
            json!({"execute": "guest-file-open", "arguments": {"path": "/nonexistent/x", "mode": "w"}}),
        );
        // A directory opens, but cannot be read or written.
        let dir = dir.path().to_str().unwrap();
        run(json!({"execute": "guest-file-open", "arguments": {"path": dir}}));
        run(json!({"execute": "guest-file-read", "arguments": {"handle": 1001}}));
        run(
            json!({"execute": "guest-file-write", "arguments": {"handle": 1001, "buf-b64": "aGk="}}),
        );
        // Refusals before any I/O are not failures of the file.
        run(json!({"execute": "guest-file-read", "arguments": {"handle": 1001, "count": -1}}));
        run(json!({"execute": "guest-file-read", "arguments": {"handle": 5}}));
        run(json!({"execute": "guest-file-read", "arguments": {"handle": 1000}}));
        run(json!({"execute": "guest-file-close", "arguments": {"handle": 1000}}));
        run(json!({"execute": "guest-file-close", "arguments": {"handle": 1000}}));
        // Argument errors stop a call before its message.
        run(json!({"execute": "guest-file-close", "arguments": {}}));
    });
    let dir = dir.path().display();
    assert_eq!(
        messages,
        [
            "guest-ping called".to_owned(),
            format!("guest-file-open called, filepath: {path}, mode: r"),
            "guest-file-open, handle: 1000".to_owned(),
            "guest-file-open called, filepath: /nonexistent/x, mode: w".to_owned(),
            format!("guest-file-open called, filepath: {dir}, mode: r"),
            "guest-file-open, handle: 1001".to_owned(),
            "guest-file-read failed, handle: 1001".to_owned(),
            "guest-file-write failed, handle: 1001".to_owned(),
            "guest-file-close called, handle: 1000".to_owned(),
            "guest-file-close called, handle: 1000".to_owned(),
        ]
    );
}

#[test]
fn audit_messages_of_commands_that_change_the_machine() {
    let (a, _frozen, _state) = agent_with(&[], false);
    let messages = audited(|_| {
        let run = |request: Value| a.run(request);
        run(
            json!({"execute": "guest-exec", "arguments": {"path": "/bin/true", "arg": ["a b", "c"]}}),
        );
        run(json!({"execute": "guest-exec-status", "arguments": {"pid": -1}}));
        // Refused before anything changes: invalid mode, time, user name.
        run(json!({"execute": "guest-shutdown", "arguments": {"mode": "nap"}}));
        run(json!({"execute": "guest-set-time", "arguments": {"time": -1}}));
        run(json!({"execute": "guest-set-user-password",
                   "arguments": {"username": "a:b", "password": "c2VjcmV0", "crypted": false}}));
        run(json!({"execute": "guest-ssh-add-authorized-keys",
                   "arguments": {"username": "qga-no-such-user", "keys": ["# x"], "reset": true}}));
        run(json!({"execute": "guest-ssh-remove-authorized-keys",
                   "arguments": {"username": "qga-no-such-user", "keys": []}}));
    });
    assert_eq!(
        messages,
        [
            "guest-exec called: \"/bin/true a b c\"",
            "guest-exec-status called, pid: -1",
            "guest-shutdown called, mode: nap",
            "guest-set-time called, time: -1",
            "guest-set-user-password called, username: a:b, crypted: false",
            "guest-ssh-add-authorized-keys called, username: qga-no-such-user, keys: 1, reset: true",
            "guest-ssh-remove-authorized-keys called, username: qga-no-such-user, keys: 0",
        ]
    );
    // The password itself never reaches the log.
    assert!(messages
        .iter()
        .all(|m| !m.contains("c2VjcmV0") && !m.contains("secret")));
}

#[test]
fn no_audit_messages_while_the_log_is_suspended() {
    // Frozen mode suspends the log, syslog included, as qemu-ga does:
    // writing to a frozen filesystem would block.
    let (a, _frozen, _state) = agent_with(&[], false);
    let messages = audited(|logger| {
        logger.set_suspended(true);
        a.run(json!({"execute": "guest-ping"}));
        logger.set_suspended(false);
        a.run(json!({"execute": "guest-ping", "id": 1}));
    });
    assert_eq!(messages, ["guest-ping called"]);
}
