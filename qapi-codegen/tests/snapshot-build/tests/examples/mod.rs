//! Round trip of the doc examples of a schema through generated code.

use qapi_codegen::examples::{messages, Direction};
use serde_json::Value;

/// A command's arguments object.
pub type Args = Option<serde_json::Map<String, Value>>;

/// What the generated code does with a request and a reply.
pub struct Codec {
    /// Read the arguments of `command` and write them back.
    pub request: fn(&str, Args) -> Result<Value, String>,
    /// Read the return value of `command` and write it back.
    pub response: fn(&str, Value) -> Result<Value, String>,
    /// Whether `command` is compiled in.
    pub known: fn(&str) -> bool,
}

/// Every example request and reply of `schema` must read and write back
/// unchanged. Returns how many messages were checked.
pub fn round_trip(schema: &str, codec: &Codec) -> usize {
    let parsed = qapi_parser::load(schema, &Default::default())
        .unwrap_or_else(|e| panic!("{schema}: {}", e.0[0]));
    let mut checked = 0;
    let mut failures = Vec::new();
    for doc in &parsed.docs {
        let mut command: Option<String> = None;
        for m in messages(doc) {
            let Ok(v) = serde_json::from_str::<Value>(&m.text) else {
                continue; // elided ("...") or not JSON
            };
            match m.direction {
                Direction::ToServer => {
                    let Some(name) = v.get("execute").and_then(Value::as_str) else {
                        continue;
                    };
                    command = Some(name.to_string());
                    if !(codec.known)(name) {
                        continue;
                    }
                    let args = v.get("arguments").and_then(Value::as_object).cloned();
                    let expected = Value::Object(args.clone().unwrap_or_default());
                    match (codec.request)(name, args) {
                        Ok(back) if back == expected => checked += 1,
                        Ok(back) => failures.push(format!("{name}: {back} != {expected}")),
                        Err(e) => failures.push(format!("{name}: {e}")),
                    }
                }
                Direction::ToClient => {
                    let (Some(name), Some(ret)) = (&command, v.get("return")) else {
                        continue;
                    };
                    if !(codec.known)(name) {
                        continue;
                    }
                    match (codec.response)(name, ret.clone()) {
                        Ok(back) if back == *ret => checked += 1,
                        Ok(back) => failures.push(format!("{name} reply: {back} != {ret}")),
                        Err(e) => failures.push(format!("{name} reply: {e}")),
                    }
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    checked
}
