//! Replays the recorded qemu-ga transcript through the reader, the envelope
//! checks and the writer, and compares the reply bytes.
//!
//! Only exchanges decided at this layer are compared: JSON syntax errors,
//! limits, envelope errors, unknown commands, and the trivial commands
//! `guest-ping`, `guest-sync` and `guest-sync-delimited`. Every request is
//! still fed, in order, to one reader per agent, so state carried between
//! exchanges (a partial request, a scalar waiting for its delimiter) is
//! exercised too. Skipped when `../shared` is absent.

use std::collections::HashSet;
use std::path::PathBuf;

use serde_json::Value;

use super::{encode_reply, error_reply, success_reply, ErrorClass, Event, Reader, Request};

fn transcript_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/qga-oracle/transcript-qemu-ga.jsonl")
}

/// Payload bytes: latin-1 mapped text, or `None` when only a digest of a
/// big payload was recorded.
fn latin1(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| u8::try_from(u32::from(c)).expect("latin-1 code point"))
        .collect()
}

/// What was recorded for a payload.
enum Recorded {
    Bytes(Vec<u8>),
    /// Length, first and last bytes of a big payload.
    Digest(usize, Vec<u8>, Vec<u8>),
}

fn recorded(v: &Value) -> Option<Recorded> {
    match v {
        Value::String(s) => Some(Recorded::Bytes(latin1(s))),
        Value::Object(m) => Some(Recorded::Digest(
            m.get("len")?.as_u64()? as usize,
            latin1(m.get("head")?.as_str()?),
            latin1(m.get("tail")?.as_str()?),
        )),
        _ => None,
    }
}

impl Recorded {
    fn matches(&self, bytes: &[u8]) -> bool {
        match self {
            Recorded::Bytes(b) => b == bytes,
            Recorded::Digest(len, head, tail) => {
                bytes.len() == *len && bytes.starts_with(head) && bytes.ends_with(tail)
            }
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

/// The replies a minimal agent gives, or `None` when some reply depends on
/// more than this layer (a real command, argument validation, ...).
fn replies(events: Vec<Event>, known: Option<&HashSet<String>>, plain: bool) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    for event in events {
        let request = match Request::from_event(event) {
            Ok(request) => request,
            Err(reply) => {
                encode_reply(&mut out, &reply, false);
                continue;
            }
        };
        let known = known?;
        if !known.contains(&request.execute) {
            let desc = format!("The command {} has not been found", request.execute);
            let reply = error_reply(ErrorClass::CommandNotFound, desc, request.id);
            encode_reply(&mut out, &reply, false);
            continue;
        }
        if !plain {
            return None;
        }
        let args = &request.arguments;
        match request.execute.as_str() {
            "guest-ping" if args.is_empty() => {
                encode_reply(
                    &mut out,
                    &success_reply(Value::Object(Default::default()), request.id),
                    false,
                );
            }
            "guest-sync" | "guest-sync-delimited" => {
                let id = args
                    .get("id")
                    .filter(|v| v.as_i64().is_some() && args.len() == 1)?;
                let delimited = request.execute == "guest-sync-delimited";
                encode_reply(&mut out, &success_reply(id.clone(), request.id), delimited);
            }
            _ => return None,
        }
    }
    Some(out)
}

/// Command names an agent lists in its `guest-info` reply.
fn command_names(response: &[u8]) -> Option<HashSet<String>> {
    let line = response.split(|&b| b == b'\n').next()?;
    let v: Value = serde_json::from_slice(line).ok()?;
    let commands = v.get("return")?.get("supported_commands")?.as_array()?;
    Some(
        commands
            .iter()
            .filter_map(|c| c.get("name")?.as_str().map(str::to_owned))
            .collect(),
    )
}

#[derive(Default)]
struct Agent {
    name: String,
    reader: Reader,
    known: Option<HashSet<String>>,
    deferred: Vec<u8>,
}

#[test]
fn transcript_replay() {
    let path = transcript_path();
    let Ok(text) = std::fs::read_to_string(&path) else {
        println!(
            "skipped: no transcript at {} (../shared is absent)",
            path.display()
        );
        return;
    };
    let verbose = std::env::var_os("QGA_TRANSCRIPT_VERBOSE").is_some();
    let mut agents: Vec<Agent> = Vec::new();
    let (mut compared, mut skipped) = (0, 0);
    let mut failures = Vec::new();
    for line in text.lines() {
        let record: Value = serde_json::from_str(line).expect("transcript line");
        let Some(request) = record.get("request") else {
            continue;
        };
        let agent_name = record["agent"].as_str().unwrap_or_default().to_owned();
        let name = record["name"].as_str().unwrap_or_default().to_owned();
        let response = recorded(&record["response"]).expect("recorded response");
        let index = match agents.iter().position(|a| a.name == agent_name) {
            Some(i) => i,
            None => {
                agents.push(Agent {
                    name: agent_name.clone(),
                    ..Agent::default()
                });
                agents.len() - 1
            }
        };
        let agent = &mut agents[index];
        let plain = agent_name == "qemu-ga-7.2.22" || agent_name == "qemu-ga-10.0.2";

        let bytes = match recorded(request).expect("recorded request") {
            Recorded::Bytes(b) => b,
            digest @ Recorded::Digest(..) => match rebuild(&name) {
                Some(b) if digest.matches(&b) => b,
                _ => {
                    // A complete request this test cannot rebuild: the
                    // reader would be idle after it, as it is before.
                    assert!(agent.reader.is_idle(), "{agent_name} #{name}");
                    skipped += 1;
                    continue;
                }
            },
        };
        if name.contains("while first is connected") {
            // Not read until the first client goes away.
            agent.deferred = bytes;
            skipped += 1;
            continue;
        }
        let mut input = std::mem::take(&mut agent.deferred);
        input.extend_from_slice(&bytes);

        let events: Vec<Event> = agent.reader.feed(&input).collect();

        if name == "guest-info" {
            if let Recorded::Bytes(b) = &response {
                agent.known = command_names(b);
            }
        }
        match replies(events, agent.known.as_ref(), plain) {
            Some(out) => {
                compared += 1;
                if !response.matches(&out) {
                    failures.push(format!(
                        "{agent_name} #{} {name}: got {:?}",
                        record["n"],
                        String::from_utf8_lossy(&out[..out.len().min(300)])
                    ));
                }
            }
            None => {
                if verbose {
                    println!("skipped: {agent_name} #{} {name}", record["n"]);
                }
                skipped += 1;
            }
        }
    }
    println!("transcript: {compared} exchanges compared, {skipped} skipped");
    assert!(
        failures.is_empty(),
        "{} mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(compared >= 140, "only {compared} exchanges compared");
}

/// Every recorded request (not rebuilt big ones) fed byte by byte gives the
/// same events as fed in one piece, starting from a fresh reader.
#[test]
fn transcript_requests_split_anywhere() {
    let path = transcript_path();
    let Ok(text) = std::fs::read_to_string(&path) else {
        println!(
            "skipped: no transcript at {} (../shared is absent)",
            path.display()
        );
        return;
    };
    let mut checked = 0;
    for line in text.lines() {
        let record: Value = serde_json::from_str(line).expect("transcript line");
        let Some(Recorded::Bytes(input)) = record.get("request").and_then(recorded) else {
            continue;
        };
        let whole: Vec<Event> = Reader::new().feed(&input).collect();
        let mut reader = Reader::new();
        let mut split = Vec::new();
        for b in &input {
            split.extend(reader.feed(std::slice::from_ref(b)));
        }
        assert_eq!(whole, split, "{}", record["name"]);
        // And in two pieces at every cut point, for short requests.
        if input.len() <= 200 {
            for cut in 0..=input.len() {
                let mut reader = Reader::new();
                let mut two: Vec<Event> = reader.feed(&input[..cut]).collect();
                two.extend(reader.feed(&input[cut..]));
                assert_eq!(whole, two, "{} cut at {cut}", record["name"]);
            }
        }
        checked += 1;
    }
    println!("transcript: {checked} requests checked split byte by byte");
    assert!(checked >= 380);
}

fn reverse_members(value: &mut Value) {
    match value {
        Value::Object(map) => {
            let members: Vec<(String, Value)> = std::mem::take(map).into_iter().rev().collect();
            for (key, mut member) in members {
                reverse_members(&mut member);
                map.insert(key, member);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(reverse_members),
        _ => {}
    }
}

/// Every recorded reply line, read back and written again, gives the same
/// bytes: member order, escaping and number formatting all match.
#[test]
fn transcript_replies_round_trip() {
    let path = transcript_path();
    let Ok(text) = std::fs::read_to_string(&path) else {
        println!(
            "skipped: no transcript at {} (../shared is absent)",
            path.display()
        );
        return;
    };
    let mut lines = 0;
    for line in text.lines() {
        let record: Value = serde_json::from_str(line).expect("transcript line");
        let Some(Recorded::Bytes(response)) = record.get("response").and_then(recorded) else {
            continue;
        };
        for reply in response.split_inclusive(|&b| b == b'\n') {
            let body = reply.strip_prefix(&[super::SENTINEL]).unwrap_or(reply);
            let mut reader = Reader::new();
            let events: Vec<Event> = reader.feed(body).collect();
            let [Event::Value(value)] = &events[..] else {
                panic!("{}: {events:?}", record["name"]);
            };
            // Within a bucket the wire shows the newest member first, so
            // insertion order is the reverse of the order read.
            let mut value = value.clone();
            reverse_members(&mut value);
            let mut out = Vec::new();
            super::write_value(&mut out, &value);
            out.push(b'\n');
            assert_eq!(
                String::from_utf8_lossy(&out),
                String::from_utf8_lossy(body),
                "{}",
                record["name"]
            );
            lines += 1;
        }
    }
    println!("transcript: {lines} reply lines round-tripped");
    assert!(lines >= 450, "only {lines} reply lines");
}
