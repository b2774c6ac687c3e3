//! The request envelope, and the replies.
//!
//! A request is a JSON object with a string `execute`, an optional object
//! `arguments` and an optional `id` of any type, which every reply to it
//! echoes. qemu-ga checks the members in its dictionary order and reports
//! the first bad one; only then does it look for a missing `execute`.

use std::io;

use serde_json::{Map, Value};

use super::error::ReadError;
use super::qdict;
use super::reader::Event;
use super::writer;

/// The byte `guest-sync-delimited` puts before its reply.
pub const SENTINEL: u8 = 0xFF;

/// A request that passed the envelope checks.
#[derive(Debug, Clone, PartialEq)]
pub struct Request {
    /// The command name, verbatim.
    pub execute: String,
    /// The arguments; empty when the request has none.
    pub arguments: Map<String, Value>,
    /// The request's `id`, to be echoed in the reply.
    pub id: Option<Value>,
}

/// A request rejected by the envelope checks.
#[derive(Debug, Clone, PartialEq)]
pub struct EnvelopeError {
    /// The error text (class `GenericError`).
    pub desc: String,
    /// The request's `id`, to be echoed in the reply.
    pub id: Option<Value>,
}

impl EnvelopeError {
    /// The error reply qemu-ga sends for it.
    pub fn into_reply(self) -> Value {
        error_reply(ErrorClass::GenericError, self.desc, self.id)
    }
}

impl Request {
    /// Checks a parsed value the way qemu-ga checks a request.
    pub fn from_value(value: Value) -> Result<Request, EnvelopeError> {
        let Value::Object(mut map) = value else {
            return Err(EnvelopeError {
                desc: "QMP input must be a JSON object".to_owned(),
                id: None,
            });
        };
        if let Some(desc) = envelope_problem(&map) {
            let id = map.remove("id");
            return Err(EnvelopeError { desc, id });
        }
        let id = map.remove("id");
        let execute = match map.remove("execute") {
            Some(Value::String(name)) => name,
            _ => {
                return Err(EnvelopeError {
                    desc: "QMP input lacks member 'execute'".to_owned(),
                    id,
                })
            }
        };
        let arguments = match map.remove("arguments") {
            Some(Value::Object(arguments)) => arguments,
            _ => Map::new(),
        };
        Ok(Request {
            execute,
            arguments,
            id,
        })
    }

    /// Turns a reader event into a request, or into the error reply to
    /// send instead.
    pub fn from_event(event: Event) -> Result<Request, Value> {
        match event {
            Event::Value(value) => Request::from_value(value).map_err(EnvelopeError::into_reply),
            Event::Error(error) => Err(read_error_reply(&error)),
        }
    }
}

/// The first problem with a request object, in qemu-ga's order.
fn envelope_problem(map: &Map<String, Value>) -> Option<String> {
    let mut has_execute = false;
    for (key, member) in qdict::ordered(map) {
        match key {
            "execute" if !member.is_string() => {
                return Some("QMP input member 'execute' must be a string".to_owned())
            }
            "execute" => has_execute = true,
            "arguments" if !member.is_object() => {
                return Some("QMP input member 'arguments' must be an object".to_owned())
            }
            "arguments" | "id" => {}
            other => return Some(format!("QMP input member '{other}' is unexpected")),
        }
    }
    (!has_execute).then(|| "QMP input lacks member 'execute'".to_owned())
}

/// The error classes of QEMU's protocol.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorClass {
    /// Almost every error.
    GenericError,
    /// Unknown or disabled command.
    CommandNotFound,
    /// A device exists but is not active.
    DeviceNotActive,
    /// A device was not found.
    DeviceNotFound,
    /// KVM lacks a required capability.
    KvmMissingCap,
}

impl ErrorClass {
    /// The name used on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorClass::GenericError => "GenericError",
            ErrorClass::CommandNotFound => "CommandNotFound",
            ErrorClass::DeviceNotActive => "DeviceNotActive",
            ErrorClass::DeviceNotFound => "DeviceNotFound",
            ErrorClass::KvmMissingCap => "KVMMissingCap",
        }
    }
}

fn with_id(mut reply: Map<String, Value>, id: Option<Value>) -> Value {
    if let Some(id) = id {
        reply.insert("id".to_owned(), id);
    }
    Value::Object(reply)
}

/// `{"return": ret}`, plus the request's `id` if it had one.
pub fn success_reply(ret: Value, id: Option<Value>) -> Value {
    let mut reply = Map::new();
    reply.insert("return".to_owned(), ret);
    with_id(reply, id)
}

/// `{"error": {"class": ..., "desc": ...}}`, plus the request's `id` if it
/// had one.
pub fn error_reply(class: ErrorClass, desc: impl Into<String>, id: Option<Value>) -> Value {
    let mut error = Map::new();
    error.insert("class".to_owned(), Value::from(class.as_str()));
    error.insert("desc".to_owned(), Value::String(desc.into()));
    let mut reply = Map::new();
    reply.insert("error".to_owned(), Value::Object(error));
    with_id(reply, id)
}

/// The reply to a JSON syntax error or a limit hit (never with an `id`).
pub fn read_error_reply(error: &ReadError) -> Value {
    error_reply(ErrorClass::GenericError, error.to_string(), None)
}

/// Appends a reply as qemu-ga sends it: one line ending in `\n`, after
/// the 0xFF sentinel if `delimited` (the reply to `guest-sync-delimited`).
pub fn encode_reply(out: &mut Vec<u8>, reply: &Value, delimited: bool) {
    if delimited {
        out.push(SENTINEL);
    }
    writer::write_value(out, reply);
    out.push(b'\n');
}

/// [`encode_reply`] with the string `hole`, a reference into `reply`,
/// written empty; returns where its text goes (see
/// [`write_value_with_hole`](super::write_value_with_hole)).
pub fn encode_reply_with_hole(
    out: &mut Vec<u8>,
    reply: &Value,
    hole: &Value,
    delimited: bool,
) -> Option<usize> {
    if delimited {
        out.push(SENTINEL);
    }
    let at = writer::write_value_with_hole(out, reply, hole);
    out.push(b'\n');
    at
}

/// Writes a reply with a single `write_all`, as qemu-ga writes each reply
/// in one piece.
pub fn write_reply<W: io::Write>(sink: &mut W, reply: &Value, delimited: bool) -> io::Result<()> {
    let mut out = Vec::new();
    encode_reply(&mut out, reply, delimited);
    sink.write_all(&out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn reject(value: Value) -> (String, Option<Value>) {
        let e = Request::from_value(value).unwrap_err();
        (e.desc, e.id)
    }

    fn line(reply: &Value, delimited: bool) -> Vec<u8> {
        let mut out = Vec::new();
        encode_reply(&mut out, reply, delimited);
        out
    }

    #[test]
    fn accepts_a_request() {
        let r = Request::from_value(
            json!({"execute": "guest-sync", "arguments": {"id": 1}, "id": "x"}),
        )
        .unwrap();
        assert_eq!(r.execute, "guest-sync");
        assert_eq!(Value::Object(r.arguments), json!({"id": 1}));
        assert_eq!(r.id, Some(json!("x")));
    }

    #[test]
    fn absent_and_empty_arguments_are_equivalent() {
        let a = Request::from_value(json!({"execute": "guest-ping"})).unwrap();
        let b = Request::from_value(json!({"execute": "guest-ping", "arguments": {}})).unwrap();
        assert_eq!(a, b);
        assert_eq!(a.id, None);
    }

    #[test]
    fn non_object() {
        for v in [json!([1, 2]), json!(42), json!("hi"), json!(null)] {
            assert_eq!(reject(v), ("QMP input must be a JSON object".into(), None));
        }
    }

    #[test]
    fn envelope_errors_echo_the_id() {
        assert_eq!(
            reject(json!({"id": 7})),
            ("QMP input lacks member 'execute'".into(), Some(json!(7)))
        );
        assert_eq!(
            reject(json!({"arguments": {}})),
            ("QMP input lacks member 'execute'".into(), None)
        );
        assert_eq!(
            reject(json!({"execute": 42})),
            ("QMP input member 'execute' must be a string".into(), None)
        );
        for args in [json!([]), json!("x"), json!(null)] {
            assert_eq!(
                reject(json!({"execute": "guest-ping", "arguments": args})),
                (
                    "QMP input member 'arguments' must be an object".into(),
                    None
                )
            );
        }
        assert_eq!(
            reject(json!({"execute": "guest-ping", "foo": 1})),
            ("QMP input member 'foo' is unexpected".into(), None)
        );
        assert_eq!(
            reject(json!({"exec-oob": "guest-ping"})),
            ("QMP input member 'exec-oob' is unexpected".into(), None)
        );
        assert_eq!(
            reject(json!({"execute": "guest-ping", "id": [1, {"a": null}], "foo": 1})),
            (
                "QMP input member 'foo' is unexpected".into(),
                Some(json!([1, {"a": null}]))
            )
        );
        // The whole envelope is checked before the command is looked up.
        assert_eq!(
            reject(json!({"execute": "nope", "foo": 1})),
            ("QMP input member 'foo' is unexpected".into(), None)
        );
    }

    #[test]
    fn first_problem_in_qdict_order_wins() {
        // Buckets: bogus 136 < execute 299 < arguments 447 < foo 490.
        assert_eq!(
            reject(json!({"execute": 42, "bogus": 1})).0,
            "QMP input member 'bogus' is unexpected"
        );
        assert_eq!(
            reject(json!({"foo": 1, "execute": 42})).0,
            "QMP input member 'execute' must be a string"
        );
        assert_eq!(
            reject(json!({"arguments": [], "foo": 1})).0,
            "QMP input member 'arguments' must be an object"
        );
        assert_eq!(
            reject(json!({"arguments": [], "execute": true})).0,
            "QMP input member 'execute' must be a string"
        );
    }

    #[test]
    fn reply_bytes() {
        assert_eq!(
            line(&success_reply(json!({}), None), false),
            b"{\"return\": {}}\n"
        );
        assert_eq!(
            line(&success_reply(json!({}), Some(json!(99))), false),
            b"{\"return\": {}, \"id\": 99}\n"
        );
        assert_eq!(
            line(&success_reply(json!(42), None), true),
            b"\xff{\"return\": 42}\n"
        );
        assert_eq!(
            line(
                &error_reply(
                    ErrorClass::CommandNotFound,
                    "The command guest-no-such has not been found",
                    Some(json!("abc"))
                ),
                false
            ),
            &b"{\"id\": \"abc\", \"error\": {\"class\": \"CommandNotFound\", \"desc\": \"The command guest-no-such has not been found\"}}\n"[..]
        );
        assert_eq!(
            line(&read_error_reply(&ReadError::Stray("\u{FFFD}".into())), false),
            &b"{\"error\": {\"class\": \"GenericError\", \"desc\": \"JSON parse error, stray '\\uFFFD'\"}}\n"[..]
        );
    }

    #[test]
    fn from_event() {
        let ok = Request::from_event(Event::Value(json!({"execute": "guest-ping"})));
        assert_eq!(ok.unwrap().execute, "guest-ping");
        let bad = Request::from_event(Event::Value(json!({"id": 1})));
        assert_eq!(
            bad.unwrap_err(),
            json!({"id": 1, "error": {"class": "GenericError", "desc": "QMP input lacks member 'execute'"}})
        );
        let syntax = Request::from_event(Event::Error(ReadError::NestingLimit));
        assert_eq!(
            syntax.unwrap_err(),
            json!({"error": {"class": "GenericError", "desc": "JSON nesting depth limit exceeded"}})
        );
    }

    #[test]
    fn write_reply_is_one_write() {
        struct Count(usize, Vec<u8>);
        impl io::Write for Count {
            fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
                self.0 += 1;
                self.1.extend_from_slice(buf);
                Ok(buf.len())
            }
            fn flush(&mut self) -> io::Result<()> {
                Ok(())
            }
        }
        let mut sink = Count(0, Vec::new());
        write_reply(&mut sink, &success_reply(json!(5), None), true).unwrap();
        assert_eq!(sink.0, 1);
        assert_eq!(sink.1, b"\xff{\"return\": 5}\n");
    }
}
