//! A fake server on one end of a unix socket pair: it reads request lines
//! and answers each through `answer` (the generated `handle`), like the
//! guest agent: a 0xFF byte gets a "stray" error line, and the reply to
//! `guest-sync-delimited` starts with 0xFF.

use std::io::{BufRead, BufReader, Write};
use std::os::unix::net::UnixStream;
use std::thread::JoinHandle;

use serde_json::{json, Value};

/// Start serving; returns the client's end and the server thread.
pub fn start<F>(answer: F) -> (UnixStream, JoinHandle<()>)
where
    F: Fn(Value) -> Option<Value> + Send + 'static,
{
    let (client, server) = UnixStream::pair().expect("socket pair");
    let thread = std::thread::spawn(move || {
        let mut out = server.try_clone().expect("clone");
        let mut input = BufReader::new(server);
        let mut line = Vec::new();
        loop {
            line.clear();
            match input.read_until(b'\n', &mut line) {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
            let mut text: &[u8] = &line;
            while let [0xFF, rest @ ..] = text {
                let stray = json!({"error": {"class": "GenericError",
                                             "desc": "JSON parse error, stray '\u{FFFD}'"}});
                let _ = out.write_all(format!("{stray}\n").as_bytes());
                text = rest;
            }
            let Ok(request) = serde_json::from_slice::<Value>(text) else {
                continue;
            };
            let delimited = request["execute"] == "guest-sync-delimited";
            if let Some(reply) = answer(request) {
                let mut bytes = if delimited { vec![0xFF] } else { Vec::new() };
                bytes.extend_from_slice(format!("{reply}\n").as_bytes());
                if out.write_all(&bytes).is_err() {
                    return;
                }
            }
        }
    });
    (client, thread)
}
