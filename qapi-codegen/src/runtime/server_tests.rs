//! Tests of the registry and the request envelope.

use super::support::*;
use serde_json::{json, Value};

const CMDS: &[CommandInfo] = &[
    CommandInfo {
        name: "a",
        success_response: true,
        allow_oob: false,
        allow_preconfig: false,
        coroutine: false,
        features: &[],
        deprecated: false,
        unstable: false,
    },
    CommandInfo {
        name: "b",
        success_response: false,
        allow_oob: false,
        allow_preconfig: false,
        coroutine: false,
        features: &["deprecated"],
        deprecated: true,
        unstable: false,
    },
];

#[test]
fn the_registry_switches_commands_at_run_time() {
    let r = Registry::new(CMDS);
    assert_eq!(r.check("a").unwrap().name, "a");
    assert!(r.disable("a"));
    assert!(!r.disable("zz"));
    assert_eq!(r.is_enabled("a"), Some(false));
    assert_eq!(r.is_enabled("zz"), None);
    let e = r.check("a").unwrap_err();
    assert_eq!(
        (e.class, e.desc.as_str()),
        (ErrorClass::CommandNotFound, "Command a has been disabled")
    );
    let e = r.check("zz").unwrap_err();
    assert_eq!(
        (e.class, e.desc.as_str()),
        (
            ErrorClass::CommandNotFound,
            "The command zz has not been found"
        )
    );
    let listed: Vec<(&str, bool)> = r.iter().map(|(c, on)| (c.name, on)).collect();
    assert_eq!(listed, [("a", false), ("b", true)]);
    assert!(r.enable("a"));
    assert!(r.check("a").is_ok());
}

fn answer(req: Value) -> Option<Value> {
    handle_request(req, |name, args| match name {
        "echo" => Ok(Some(Value::Object(args.unwrap_or_default()))),
        "silent" => Ok(None),
        _ => Err(Error::command_not_found(name)),
    })
}

fn desc(reply: Option<Value>) -> Value {
    reply.unwrap()["error"]["desc"].clone()
}

#[test]
fn the_envelope_is_checked_like_qemu() {
    assert_eq!(desc(answer(json!(42))), "QMP input must be a JSON object");
    assert_eq!(
        answer(json!({"id": 7})),
        Some(json!({"error": {"class": "GenericError",
                   "desc": "QMP input lacks member 'execute'"}, "id": 7}))
    );
    assert_eq!(
        desc(answer(json!({"execute": 1}))),
        "QMP input member 'execute' must be a string"
    );
    assert_eq!(
        desc(answer(json!({"execute": "echo", "arguments": null}))),
        "QMP input member 'arguments' must be an object"
    );
    assert_eq!(
        desc(answer(json!({"execute": "nope", "foo": 1}))),
        "QMP input member 'foo' is unexpected"
    );
    assert_eq!(
        desc(answer(json!({"foo": 1}))),
        "QMP input member 'foo' is unexpected"
    );
    assert_eq!(
        desc(answer(json!({"execute": "exec-oob", "exec-oob": "x"}))),
        "QMP input member 'exec-oob' is unexpected"
    );
}

#[test]
fn replies_echo_the_id_of_any_type() {
    for id in [json!(99), json!("abc"), json!([1]), json!({"x": null})] {
        assert_eq!(
            answer(json!({"execute": "echo", "arguments": {"a": 1}, "id": id.clone()})),
            Some(json!({"return": {"a": 1}, "id": id.clone()}))
        );
        assert_eq!(
            answer(json!({"execute": "nope", "id": id.clone()})),
            Some(json!({"error": {"class": "CommandNotFound",
                       "desc": "The command nope has not been found"}, "id": id}))
        );
    }
    assert_eq!(answer(json!({"execute": "silent", "id": 1})), None);
    assert_eq!(
        answer(json!({"execute": "echo"})),
        Some(json!({"return": {}}))
    );
}

#[test]
fn buckets_follow_qemus_hash() {
    // Values checked against the order qemu-ga prints replies in.
    assert!(qdict_bucket("return") < qdict_bucket("id"));
    assert!(qdict_bucket("id") < qdict_bucket("error"));
    assert!(qdict_bucket("count") < qdict_bucket("buf-b64"));
    assert!(qdict_bucket("buf-b64") < qdict_bucket("eof"));
}
