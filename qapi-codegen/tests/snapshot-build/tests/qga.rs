//! The generated code of the guest agent schema: it compiles (it is
//! included here), and it reads and writes the wire form as QEMU's guest
//! agent does (the error texts are those recorded from qemu-ga).

use qapi_snapshot_build::qga;

use qga::qapi::{Error, ErrorClass, Map};
use qga::{Commands, Request, Response};
use serde_json::{json, Value};

fn args(v: Value) -> Option<Map> {
    match v {
        Value::Object(m) => Some(m),
        _ => None,
    }
}

fn parse_err(name: &str, a: Value) -> String {
    Request::from_qapi(name, args(a)).unwrap_err().desc
}

#[test]
fn arguments_are_read_in_schema_order() {
    let r = Request::from_qapi("guest-file-open", args(json!({"path": "/x", "mode": "w"})));
    assert_eq!(
        r.unwrap(),
        Request::GuestFileOpen(qga::GuestFileOpenArg {
            path: "/x".into(),
            mode: Some("w".into()),
        })
    );
    assert_eq!(
        parse_err("guest-file-open", json!({})),
        "Parameter 'path' is missing"
    );
    assert_eq!(
        parse_err("guest-file-open", json!({"path": 1})),
        "Invalid parameter type for 'path', expected: string"
    );
    // Declared parameters first, leftovers after.
    assert_eq!(
        parse_err("guest-sync", json!({"bogus": 1})),
        "Parameter 'id' is missing"
    );
    assert_eq!(
        parse_err("guest-sync", json!({"id": "x", "bogus": 1})),
        "Invalid parameter type for 'id', expected: integer"
    );
    assert_eq!(
        parse_err("guest-sync", json!({"id": 1, "bogus": 1})),
        "Parameter 'bogus' is unexpected"
    );
    assert_eq!(
        parse_err("guest-ping", json!({"x": 1})),
        "Parameter 'x' is unexpected"
    );
}

#[test]
fn integers_take_exactly_the_int64_range() {
    for ok in [i64::MAX, i64::MIN] {
        assert_eq!(
            Request::from_qapi("guest-sync", args(json!({ "id": ok }))).unwrap(),
            Request::GuestSync(qga::GuestSyncArg { id: ok })
        );
    }
    for bad in [
        json!(9223372036854775808u64),
        json!(1.5),
        json!(1e3),
        json!(true),
    ] {
        assert_eq!(
            parse_err("guest-sync", json!({ "id": bad })),
            "Invalid parameter type for 'id', expected: integer"
        );
    }
}

#[test]
fn enums_and_alternates() {
    assert_eq!(
        parse_err(
            "guest-file-seek",
            json!({"handle": 1000, "offset": 0, "whence": "middle"})
        ),
        "Parameter 'whence' does not accept value 'middle'"
    );
    assert_eq!(
        parse_err(
            "guest-file-seek",
            json!({"handle": 1000, "offset": 0, "whence": true})
        ),
        "Invalid parameter type for 'whence', expected: GuestFileWhence"
    );
    let Request::GuestFileSeek(a) = Request::from_qapi(
        "guest-file-seek",
        args(json!({"handle": 1000, "offset": 0, "whence": 2})),
    )
    .unwrap() else {
        panic!("wrong request");
    };
    assert_eq!(a.whence, qga::GuestFileWhence::Value(2));
    let Request::GuestExec(a) = Request::from_qapi(
        "guest-exec",
        args(json!({"path": "ls", "capture-output": "stdout"})),
    )
    .unwrap() else {
        panic!("wrong request");
    };
    assert_eq!(
        a.capture_output,
        Some(qga::GuestExecCaptureOutput::Mode(
            qga::GuestExecCaptureOutputMode::Stdout
        ))
    );
    assert_eq!(
        parse_err("guest-exec", json!({"path": "ls", "arg": ["a", 2]})),
        "Invalid parameter type for 'arg[1]', expected: string"
    );
}

#[test]
fn unknown_commands_are_not_found() {
    let e = Request::from_qapi("nope", None).unwrap_err();
    assert_eq!(e.class, ErrorClass::CommandNotFound);
    assert_eq!(e.desc, "The command nope has not been found");
    let e = Request::from_qapi("", None).unwrap_err();
    assert_eq!(e.desc, "The command  has not been found");
}

#[test]
fn requests_and_responses_round_trip() {
    let a = json!({"path": "ls", "arg": ["-l"], "env": ["A=b"], "capture-output": true});
    let r = Request::from_qapi("guest-exec", args(a.clone())).unwrap();
    assert_eq!(r.name(), "guest-exec");
    assert_eq!(Value::Object(r.into_qapi()), a);
    let ret = json!({"count": 6, "buf-b64": "Z3Vlc3QK", "eof": true});
    let r = Response::from_qapi("guest-file-read", ret.clone()).unwrap();
    assert_eq!(r.into_qapi(), ret);
    let r = Response::from_qapi("guest-ping", json!({})).unwrap();
    assert_eq!(r.into_qapi(), json!({}));
    assert!(Response::from_qapi("guest-file-read", json!({"count": 1})).is_err());
}

/// A server with a few commands.
#[derive(Default)]
struct Agent {
    pings: std::sync::atomic::AtomicU32,
    shutdowns: std::sync::Mutex<Vec<Option<String>>>,
}

impl Commands for Agent {
    fn guest_ping(&self) -> Result<(), Error> {
        self.pings
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        Ok(())
    }

    fn guest_sync(&self, id: i64) -> Result<i64, Error> {
        Ok(id)
    }

    fn guest_sync_delimited(&self, id: i64) -> Result<i64, Error> {
        Ok(id)
    }

    fn guest_shutdown(&self, mode: Option<String>) -> Result<(), Error> {
        self.shutdowns.lock().unwrap().push(mode);
        Ok(())
    }
}

#[test]
fn execute_dispatches_and_answers() {
    let agent = Agent::default();
    let reg = qga::registry();
    assert_eq!(
        qga::execute(&agent, &reg, "guest-ping", None).unwrap(),
        Some(json!({}))
    );
    assert_eq!(agent.pings.load(std::sync::atomic::Ordering::Relaxed), 1);
    assert_eq!(
        qga::execute(&agent, &reg, "guest-sync", args(json!({"id": 42}))).unwrap(),
        Some(json!(42))
    );
    // No reply on success for guest-shutdown.
    assert_eq!(
        qga::execute(
            &agent,
            &reg,
            "guest-shutdown",
            args(json!({"mode": "halt"}))
        )
        .unwrap(),
        None
    );
    assert_eq!(
        *agent.shutdowns.lock().unwrap(),
        vec![Some("halt".to_string())]
    );
    // Not implemented: QEMU's "unsupported" error.
    let e = qga::execute(&agent, &reg, "guest-get-time", None).unwrap_err();
    assert_eq!(e.desc, "this feature or command is not currently supported");
    assert_eq!(
        e.to_reply(),
        json!({"error": {"class": "GenericError",
                         "desc": "this feature or command is not currently supported"}})
    );
}

#[test]
fn the_registry_lists_every_command_in_schema_order() {
    let names: Vec<&str> = qga::COMMANDS.iter().map(|c| c.name).collect();
    assert_eq!(
        &names[..3],
        &["guest-sync-delimited", "guest-sync", "guest-ping"]
    );
    let silent: Vec<&str> = qga::COMMANDS
        .iter()
        .filter(|c| !c.success_response)
        .map(|c| c.name)
        .collect();
    assert_eq!(
        silent,
        [
            "guest-shutdown",
            "guest-suspend-disk",
            "guest-suspend-ram",
            "guest-suspend-hybrid"
        ]
    );
    let info = qga::command_info("guest-exec").unwrap();
    assert!(info.success_response && !info.allow_oob);
    assert!(qga::command_info("nope").is_none());
    // Windows-only commands are compiled out on other targets.
    assert_eq!(
        qga::command_info("guest-get-devices").is_some(),
        cfg!(windows)
    );
}

mod examples;

#[test]
fn the_schema_examples_round_trip() {
    let codec = examples::Codec {
        request: |name, a| {
            Request::from_qapi(name, a)
                .map(|r| Value::Object(r.into_qapi()))
                .map_err(|e| e.desc)
        },
        response: |name, v| {
            Response::from_qapi(name, v)
                .map(Response::into_qapi)
                .map_err(|e| e.desc)
        },
        known: |name| qga::command_info(name).is_some(),
    };
    let schema = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../schema/qga/qapi-schema.json"
    );
    let n = examples::round_trip(schema, &codec);
    assert!(n >= 10, "only {n} example messages checked");
}

mod fake;

#[test]
fn the_client_talks_to_a_server() {
    use qga::qapi::ClientError;
    let (stream, thread) = fake::start(|req| {
        let agent = Agent::default();
        let reg = qga::registry();
        reg.disable("guest-exec");
        qga::handle(&agent, &reg, req)
    });
    // Something stale in the stream before the handshake.
    let mut stale = stream.try_clone().unwrap();
    std::io::Write::write_all(&mut stale, b"{\"execute\":\"guest-ping\"}\n").unwrap();
    drop(stale);
    let mut client = qga::Client::new(stream);
    client.sync_delimited(77).unwrap();
    assert_eq!(client.guest_sync(5).unwrap(), 5);
    client.guest_ping().unwrap();
    // No reply awaited for guest-shutdown; the next call still matches.
    client.guest_shutdown(Some("halt".into())).unwrap();
    assert_eq!(client.guest_sync(6).unwrap(), 6);
    match client.guest_get_time() {
        Err(ClientError::Qapi(e)) => assert_eq!(e.class, ErrorClass::GenericError),
        other => panic!("{other:?}"),
    }
    match client.guest_exec("ls".into(), None, None, None, None) {
        Err(ClientError::Qapi(e)) => {
            assert_eq!(e.class, ErrorClass::CommandNotFound);
            assert_eq!(e.desc, "Command guest-exec has been disabled");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        client
            .call(Request::GuestSync(qga::GuestSyncArg { id: 9 }))
            .unwrap(),
        Some(Response::GuestSync(9))
    );
    drop(client);
    thread.join().unwrap();
}

#[test]
fn the_client_reports_malformed_replies() {
    use qga::qapi::ClientError;
    // A server whose replies have the wrong type.
    let (stream, thread) = fake::start(|_| Some(json!({"return": "not an int"})));
    let mut client = qga::Client::new(stream);
    assert!(matches!(
        client.guest_sync(1),
        Err(ClientError::Protocol(_))
    ));
    drop(client);
    thread.join().unwrap();
}
