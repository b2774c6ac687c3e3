//! Test doubles: a newline-framed JSON codec and an echoing handler.

use super::{Codec, Inbound, Reply};
use serde_json::{json, Value};

/// Splits the input into lines; each non-empty line is a JSON request, or
/// else gets `{"error":"<line>"}`.
#[derive(Debug, Default)]
pub struct LineCodec {
    pending: Vec<u8>,
}

impl Codec for LineCodec {
    fn feed(&mut self, bytes: &[u8], out: &mut Vec<Inbound>) {
        for &byte in bytes {
            if byte != b'\n' {
                self.pending.push(byte);
                continue;
            }
            let line = std::mem::take(&mut self.pending);
            if line.is_empty() {
                continue;
            }
            out.push(match serde_json::from_slice::<Value>(&line) {
                Ok(value) => Inbound::Request(value),
                Err(_) => Inbound::Reply(line_reply(
                    &json!({"error": String::from_utf8_lossy(&line)}),
                )),
            });
        }
    }
}

/// A compact JSON line.
pub fn line_reply(value: &Value) -> Reply {
    let mut bytes = serde_json::to_vec(value).unwrap_or_default();
    bytes.push(b'\n');
    Reply::from_bytes(bytes)
}

/// Replies `{"return": <the request's execute member>}`.
pub fn echo_handler(request: Value) -> Option<Reply> {
    Some(line_reply(&json!({"return": request["execute"]})))
}
