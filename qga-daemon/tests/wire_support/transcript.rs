//! The recorded qemu-ga transcript (`../shared/qga-oracle`), and which of
//! its exchanges the agent must reproduce byte for byte at this stage.

use qga_daemon::protocol::{Event, Reader, Request};
use serde_json::Value;
use std::path::PathBuf;

/// The recording's agent we follow.
pub const ORACLE: &str = "qemu-ga-10.0.2";

/// The commands implemented without a backend.
pub const CORE: &[&str] = &["guest-ping", "guest-sync", "guest-sync-delimited"];

/// The transcript's text, or `None` (with the reason printed) when
/// `../shared` is absent.
pub fn load() -> Option<String> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/qga-oracle/transcript-qemu-ga.jsonl");
    match std::fs::read_to_string(&path) {
        Ok(text) => Some(text),
        Err(e) => {
            println!("skipped: no transcript at {} ({e})", path.display());
            None
        }
    }
}

/// One recorded exchange.
pub struct Exchange {
    /// Which agent answered (`qemu-ga-10.0.2`, `qemu-ga-10.0.2/-b_guest-exec`, ...).
    pub agent: String,
    /// The exchange's name.
    pub name: String,
    /// Its number within its agent's run.
    pub n: u64,
    /// Which client connection it used.
    pub conn: String,
    /// The request bytes, `None` if only a digest was kept and the request
    /// cannot be rebuilt.
    pub request: Option<Vec<u8>>,
    /// In how many writes the request was sent.
    pub writes: usize,
    /// The recorded response.
    pub response: Recorded,
    /// How many reply lines came back.
    pub replies: usize,
}

/// Every exchange with a request, in order.
pub fn exchanges(text: &str) -> Vec<Exchange> {
    text.lines()
        .filter_map(|line| {
            let record: Value = serde_json::from_str(line).expect("transcript line");
            let request = record.get("request")?;
            let name = record["name"].as_str()?.to_owned();
            let request = match recorded(request)? {
                Recorded::Bytes(bytes) => Some(bytes),
                digest @ Recorded::Digest(..) => rebuild(&name).filter(|b| digest.matches(b)),
            };
            Some(Exchange {
                agent: record["agent"].as_str()?.to_owned(),
                n: record["n"].as_u64()?,
                conn: record["conn"].as_str().unwrap_or("main").to_owned(),
                request,
                writes: usize::try_from(record["writes"].as_u64().unwrap_or(1)).ok()?,
                response: recorded(&record["response"])?,
                replies: usize::try_from(record["replies"].as_u64()?).ok()?,
                name,
            })
        })
        .collect()
}

/// Payload bytes mapped 1:1 to code points U+0000..U+00FF.
fn latin1(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| u8::try_from(u32::from(c)).expect("latin-1 code point"))
        .collect()
}

/// What was recorded of a payload.
pub enum Recorded {
    /// All of it.
    Bytes(Vec<u8>),
    /// Length, first and last bytes of a big payload.
    Digest(usize, Vec<u8>, Vec<u8>),
}

fn recorded(v: &Value) -> Option<Recorded> {
    match v {
        Value::String(s) => Some(Recorded::Bytes(latin1(s))),
        Value::Object(m) => Some(Recorded::Digest(
            usize::try_from(m.get("len")?.as_u64()?).ok()?,
            latin1(m.get("head")?.as_str()?),
            latin1(m.get("tail")?.as_str()?),
        )),
        _ => None,
    }
}

impl Recorded {
    /// Whether `bytes` are what was recorded.
    pub fn matches(&self, bytes: &[u8]) -> bool {
        match self {
            Recorded::Bytes(b) => b == bytes,
            Recorded::Digest(len, head, tail) => {
                bytes.len() == *len && bytes.starts_with(head) && bytes.ends_with(tail)
            }
        }
    }

    /// The reply lines, when all of them were kept.
    pub fn lines(&self) -> Option<Vec<&[u8]>> {
        match self {
            Recorded::Bytes(b) => Some(b.split_inclusive(|&c| c == b'\n').collect()),
            Recorded::Digest(..) => None,
        }
    }
}

/// Rebuilds the big requests the probe generates, from their names.
fn rebuild(name: &str) -> Option<Vec<u8>> {
    let string_arg = |len: usize| {
        let mut req = br#"{"execute":"guest-ping","arguments":{"x":""#.to_vec();
        req.resize(req.len() + len, b'A');
        req.extend_from_slice(br#""}}"#);
        req
    };
    if name.starts_with("10 MiB string argument") {
        return Some(string_arg(10 << 20));
    }
    if name.starts_with("65 MiB string argument") {
        return Some(string_arg(65 << 20));
    }
    if name.starts_with("2Mi+ tokens") {
        let mut req = br#"{"execute":"guest-ping","arguments":{"x":["#.to_vec();
        for _ in 0..(1024 * 1024 + 8) {
            req.extend_from_slice(b"1,");
        }
        req.extend_from_slice(b"1]}}");
        return Some(req);
    }
    None
}

/// The wire error of a reply line, if it is one.
fn error_of(line: &[u8]) -> Option<(String, String)> {
    let body = line.strip_prefix(&[0xFF]).unwrap_or(line);
    let v: Value = serde_json::from_slice(body).ok()?;
    let e = v.get("error")?;
    Some((
        e["class"].as_str()?.to_owned(),
        e["desc"].as_str()?.to_owned(),
    ))
}

/// Whether the reply to one request is decided before any command runs
/// (syntax, envelope, lookup, gating, arguments) or by a core command.
fn decided_here(event: &Event, line: Option<&[u8]>) -> bool {
    let Event::Value(value) = event else {
        return true;
    };
    let Ok(request) = Request::from_value(value.clone()) else {
        return true;
    };
    if let Some((class, desc)) = line.and_then(error_of) {
        if class == "CommandNotFound"
            || desc.starts_with("Parameter '")
            || desc.starts_with("Invalid parameter type for '")
        {
            return true;
        }
    }
    CORE.contains(&request.execute.as_str())
}

/// How a stream reader of the requests sent so far classifies the next
/// exchange.
#[derive(Default)]
pub struct Mirror {
    reader: Reader,
}

/// What to do with an exchange.
#[derive(Debug, PartialEq, Eq)]
pub enum Plan {
    /// Send it and compare the reply bytes.
    Compare,
    /// Send it (it completes a request in progress) without comparing.
    SendOnly,
    /// Leave it out, for this reason.
    Skip(&'static str),
}

impl Mirror {
    /// Decides what to do with `x`, following the stream state.
    pub fn plan(&mut self, x: &Exchange) -> Plan {
        let Some(request) = &x.request else {
            return Plan::Skip("big request that cannot be rebuilt");
        };
        let idle = self.reader.is_idle();
        let events: Vec<Event> = self.reader.feed(request).collect();
        let lines = x.response.lines();
        let all_here = events.len() == x.replies
            && events
                .iter()
                .enumerate()
                .all(|(i, e)| decided_here(e, lines.as_ref().and_then(|l| l.get(i).copied())));
        match (all_here, idle && self.reader.is_idle()) {
            (true, _) => Plan::Compare,
            (false, true) => Plan::Skip("needs a command backend"),
            (false, false) => Plan::SendOnly,
        }
    }
}
