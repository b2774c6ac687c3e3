//! The wire trace: with `-v`, each request and reply at `debug` level.
//!
//! [`Traced`] wraps the command layer's [`Handler`]: it logs the request
//! as received (re-serialised JSON) and the reply as sent, each cut to
//! [`MAX_TRACE`] bytes. The trace goes to the log like any debug message,
//! so it also contains what the host sends (file contents, passwords):
//! it exists only with `-v`.

use crate::server::{Handler, Reply};
use serde_json::Value;
use std::fmt;
use std::sync::Arc;

/// The longest request or reply text traced, in bytes.
pub const MAX_TRACE: usize = 512;

/// A [`Handler`] that traces what goes through it.
pub struct Traced {
    inner: Arc<dyn Handler>,
}

impl fmt::Debug for Traced {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Traced").finish_non_exhaustive()
    }
}

impl Traced {
    /// Traces `inner`'s requests and replies.
    pub fn new(inner: Arc<dyn Handler>) -> Self {
        Traced { inner }
    }
}

/// `text`, cut to at most `max` bytes on a character boundary, with a note
/// of the full length when cut.
pub fn truncate(text: &str, max: usize) -> String {
    cut(text, text.len(), max)
}

/// The start of a text of `len` bytes, `start`, cut to at most `max`
/// bytes on a character boundary, with a note of `len` when cut.
fn cut(start: &str, len: usize, max: usize) -> String {
    if len <= max && start.len() == len {
        return start.to_owned();
    }
    let mut end = max.min(start.len());
    while !start.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}... ({len} bytes)", &start[..end])
}

/// A reply's JSON text, without the 0xFF sentinel and the final newline,
/// cut to [`MAX_TRACE`] bytes: a large streamed reply is not encoded in
/// full for the trace.
fn reply_text(reply: &Reply) -> String {
    let start = reply.prefix(MAX_TRACE + 2);
    let sentinel = usize::from(start.first() == Some(&0xFF));
    let len = reply.len().saturating_sub(sentinel + 1);
    let start = start.get(sentinel..).unwrap_or_default();
    let start = start.get(..len.min(start.len())).unwrap_or_default();
    cut(&String::from_utf8_lossy(start), len, MAX_TRACE)
}

impl Handler for Traced {
    fn handle(&self, request: Value) -> Option<Reply> {
        let tracing = tracing::enabled!(target: "wire", tracing::Level::DEBUG);
        if tracing {
            let text = truncate(&request.to_string(), MAX_TRACE);
            super::debug(format_args!("wire: request: {text}"));
        }
        let reply = self.inner.handle(request);
        if tracing {
            match &reply {
                Some(reply) => {
                    let text = reply_text(reply);
                    super::debug(format_args!("wire: reply: {text}"));
                }
                None => super::debug("wire: no reply"),
            }
        }
        reply
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::log::{LogLayer, Logger};
    use serde_json::json;
    use std::sync::Mutex;
    use tracing_subscriber::layer::SubscriberExt;

    #[test]
    fn truncates_on_char_boundaries() {
        assert_eq!(truncate("abc", 3), "abc");
        assert_eq!(truncate("abcd", 3), "abc... (4 bytes)");
        assert_eq!(truncate("aé", 2), "a... (3 bytes)");
    }

    fn run(verbose: bool, request: Value) -> (Option<Reply>, String) {
        let buffer = Arc::new(Mutex::new(Vec::new()));
        let logger = Arc::new(Logger::memory(buffer.clone(), verbose));
        let subscriber = tracing_subscriber::registry().with(LogLayer::new(logger));
        let echo = |request: Value| {
            request
                .get("execute")
                .map(|_| Reply::new(&json!({"return": {}}), true))
        };
        let traced = Traced::new(Arc::new(echo));
        let reply = tracing::subscriber::with_default(subscriber, || traced.handle(request));
        let text = String::from_utf8(buffer.lock().unwrap().clone()).unwrap();
        (reply, text)
    }

    #[test]
    fn traces_request_and_reply_when_verbose() {
        let (reply, text) = run(true, json!({"execute": "guest-ping"}));
        assert!(reply.is_some());
        let lines: Vec<_> = text
            .lines()
            .map(|l| l.split_once(": ").unwrap().1)
            .collect();
        assert_eq!(
            lines,
            [
                r#"debug: wire: request: {"execute":"guest-ping"}"#,
                r#"debug: wire: reply: {"return": {}}"#,
            ]
        );
    }

    #[test]
    fn silent_when_quiet_and_notes_missing_replies() {
        let (reply, text) = run(false, json!({"execute": "x"}));
        assert!(reply.is_some());
        assert_eq!(text, "");
        let (reply, text) = run(true, json!(1));
        assert!(reply.is_none());
        assert!(text.ends_with("debug: wire: no reply\n"), "{text}");
    }

    #[test]
    fn streamed_replies_are_cut_without_encoding_them() {
        let template = json!({"return": {"buf-b64": ""}});
        let hole = template.pointer("/return/buf-b64").unwrap();
        let reply = Reply::with_base64(&template, hole, vec![0; 3000]).unwrap();
        let text = reply_text(&reply);
        assert!(
            text.starts_with("{\"return\": {\"buf-b64\": \"AAAA"),
            "{text}"
        );
        assert!(
            text.ends_with(&format!("A... ({} bytes)", 24 + 4000 + 3)),
            "{text}"
        );
        let short = Reply::with_base64(&template, hole, vec![0; 3]).unwrap();
        assert_eq!(reply_text(&short), "{\"return\": {\"buf-b64\": \"AAAA\"}}");
        let delimited = Reply::new(&json!({"return": 1}), true);
        assert_eq!(reply_text(&delimited), "{\"return\": 1}");
    }

    #[test]
    fn long_replies_are_cut() {
        let long = "x".repeat(2 * MAX_TRACE);
        let (_, text) = run(true, json!({ "execute": long }));
        assert!(
            text.contains(&format!("... ({} bytes)", long.len() + 14)),
            "{text}"
        );
    }
}
