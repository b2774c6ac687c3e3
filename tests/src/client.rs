//! The host end of the agent protocol: one JSON request, one reply line.
//!
//! `guest-sync-delimited` replies are preceded by a 0xFF byte; a 0xFF in
//! the stream means "drop what came before". Requests sent before the agent
//! opened its port are queued by qemu and answered later, in order, so the
//! handshake accepts only the reply to the most recent sync id.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::io::{ErrorKind, Read, Write};
use std::os::unix::net::UnixStream;
use std::path::Path;
use std::thread;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde_json::{json, Value};

/// Delimiter byte of the protocol.
const DELIMITER: u8 = 0xFF;
/// Longest reply accepted (guest-file-read replies are the big ones).
const MAX_LINE: usize = 16 << 20;

/// A connection to the agent's port.
#[derive(Debug)]
pub struct AgentClient {
    stream: UnixStream,
    buf: Vec<u8>,
}

/// A random positive id for `guest-sync-delimited`.
pub fn random_id() -> u64 {
    let mut h = RandomState::new().build_hasher();
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    h.write_u128(now.as_nanos());
    (h.finish() >> 33) + 1
}

impl AgentClient {
    /// Connects to qemu's socket, retrying until it exists or `deadline`.
    pub fn connect(path: &Path, deadline: Instant) -> Result<Self, String> {
        loop {
            match UnixStream::connect(path) {
                Ok(stream) => {
                    return Ok(Self {
                        stream,
                        buf: Vec::new(),
                    })
                }
                Err(e) if Instant::now() >= deadline => {
                    return Err(format!("connecting to {}: {e}", path.display()))
                }
                Err(_) => thread::sleep(Duration::from_millis(50)),
            }
        }
    }

    /// Wraps an already connected stream (for tests).
    pub fn from_stream(stream: UnixStream) -> Self {
        Self {
            stream,
            buf: Vec::new(),
        }
    }

    /// Sends raw bytes.
    pub fn send_raw(&mut self, bytes: &[u8]) -> Result<(), String> {
        self.stream
            .set_write_timeout(Some(Duration::from_secs(10)))
            .map_err(|e| e.to_string())?;
        self.stream
            .write_all(bytes)
            .map_err(|e| format!("sending: {e}"))
    }

    /// Sends one request object.
    pub fn send(&mut self, request: &Value) -> Result<(), String> {
        let mut line = request.to_string().into_bytes();
        line.push(b'\n');
        self.send_raw(&line)
    }

    /// Reads more bytes, waiting until `deadline`. `Ok(false)` on timeout.
    fn fill(&mut self, deadline: Instant) -> Result<bool, String> {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Ok(false);
        }
        self.stream
            .set_read_timeout(Some(left))
            .map_err(|e| e.to_string())?;
        let mut chunk = [0u8; 65536];
        match self.stream.read(&mut chunk) {
            Ok(0) => Err("the agent's socket was closed".to_owned()),
            Ok(n) => {
                self.buf
                    .extend_from_slice(chunk.get(..n).unwrap_or_default());
                if self.buf.len() > MAX_LINE {
                    return Err(format!("reply longer than {MAX_LINE} bytes"));
                }
                Ok(true)
            }
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => Ok(false),
            Err(e) if e.kind() == ErrorKind::Interrupted => Ok(true),
            Err(e) => Err(format!("reading: {e}")),
        }
    }

    /// The next complete reply line, parsed; `Ok(None)` on timeout. Data
    /// before a 0xFF is discarded, and so are blank lines.
    pub fn read_reply(&mut self, deadline: Instant) -> Result<Option<Value>, String> {
        loop {
            if let Some(ff) = self.buf.iter().position(|&b| b == DELIMITER) {
                let nl = self.buf.iter().position(|&b| b == b'\n');
                if nl.map_or(true, |nl| ff < nl) {
                    self.buf.drain(..=ff);
                    continue;
                }
            }
            if let Some(nl) = self.buf.iter().position(|&b| b == b'\n') {
                let line: Vec<u8> = self.buf.drain(..=nl).collect();
                let text = String::from_utf8_lossy(&line);
                if text.trim().is_empty() {
                    continue;
                }
                return serde_json::from_str(&text)
                    .map(Some)
                    .map_err(|e| format!("reply is not JSON ({e}): {}", text.trim()));
            }
            if !self.fill(deadline)? {
                return Ok(None);
            }
        }
    }

    /// Handshake: sends 0xFF + `guest-sync-delimited` with a fresh random
    /// id every `interval` until the reply to the latest id arrives.
    /// Returns that id.
    pub fn sync(&mut self, deadline: Instant, interval: Duration) -> Result<u64, String> {
        while Instant::now() < deadline {
            let id = random_id();
            let mut bytes = vec![DELIMITER];
            let request = json!({"execute": "guest-sync-delimited", "arguments": {"id": id}});
            bytes.extend_from_slice(request.to_string().as_bytes());
            bytes.push(b'\n');
            self.send_raw(&bytes)?;
            let round_end = (Instant::now() + interval).min(deadline);
            while let Some(reply) = self.read_reply(round_end)? {
                if reply.get("return").and_then(Value::as_u64) == Some(id) {
                    return Ok(id);
                }
                // Anything else: replies to stale ids or the parse error
                // the agent reports for the 0xFF itself.
            }
        }
        Err("no reply to guest-sync-delimited before the deadline".to_owned())
    }

    /// Sends `{"execute": name, "arguments": args}` (no arguments when
    /// `args` is null) and returns the reply.
    pub fn call(&mut self, name: &str, args: &Value, timeout: Duration) -> Result<Value, String> {
        self.send(&request(name, args))?;
        self.read_reply(Instant::now() + timeout)?
            .ok_or_else(|| format!("{name}: no reply within {timeout:?}"))
    }
}

/// The request object for a command.
pub fn request(name: &str, args: &Value) -> Value {
    if args.is_null() {
        json!({ "execute": name })
    } else {
        json!({ "execute": name, "arguments": args })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::BufRead;

    fn pair() -> (AgentClient, UnixStream) {
        let (a, b) = UnixStream::pair().expect("socketpair");
        (AgentClient::from_stream(a), b)
    }

    fn soon() -> Instant {
        Instant::now() + Duration::from_secs(5)
    }

    #[test]
    fn delimiter_discards_partial_data() {
        let (mut client, mut agent) = pair();
        agent
            .write_all(b"{\"garb\xff{\"return\": 1}\n\n{\"return\": {}}\n")
            .expect("w");
        assert_eq!(
            client.read_reply(soon()).expect("r"),
            Some(json!({"return": 1}))
        );
        assert_eq!(
            client.read_reply(soon()).expect("r"),
            Some(json!({"return": {}}))
        );
        let quick = Instant::now() + Duration::from_millis(50);
        assert_eq!(client.read_reply(quick).expect("timeout"), None);
        agent.write_all(b"not json\n").expect("w");
        assert!(client.read_reply(soon()).is_err());
        drop(agent);
        assert!(client.read_reply(soon()).is_err());
    }

    /// A fake agent: ignores the first sync, answers the next ones after a
    /// stale reply and a parse error, like a freshly started agent would.
    #[test]
    fn sync_accepts_only_the_latest_id() {
        let (mut client, agent) = pair();
        let fake = thread::spawn(move || {
            let mut reader = std::io::BufReader::new(agent.try_clone().expect("clone"));
            let mut agent = agent;
            let mut seen = 0;
            loop {
                let mut line = Vec::new();
                if reader.read_until(b'\n', &mut line).unwrap_or(0) == 0 {
                    return seen;
                }
                seen += 1;
                if seen == 1 {
                    continue;
                }
                let start = line.iter().position(|&b| b == b'{').unwrap_or(0);
                let v: Value = serde_json::from_slice(&line[start..]).expect("json");
                let id = &v["arguments"]["id"];
                let mut out = b"{\"error\": {\"class\": \"GenericError\"}}\n".to_vec();
                out.extend_from_slice(b"\xff{\"return\": 7}\n\xff");
                out.extend_from_slice(format!("{{\"return\": {id}}}\n").as_bytes());
                let _ = agent.write_all(&out);
            }
        });
        let id = client
            .sync(soon(), Duration::from_millis(100))
            .expect("sync");
        assert!(id > 0);
        let reply = client.read_reply(Instant::now() + Duration::from_millis(50));
        assert_eq!(reply.expect("clean pipe"), None);
        drop(client);
        assert_eq!(fake.join().expect("fake agent"), 2);
    }

    #[test]
    fn requests_omit_null_arguments() {
        assert_eq!(
            request("guest-ping", &Value::Null),
            json!({"execute": "guest-ping"})
        );
        assert_eq!(
            request("guest-exec-status", &json!({"pid": 1})),
            json!({"execute": "guest-exec-status", "arguments": {"pid": 1}})
        );
    }

    #[test]
    fn call_round_trips() {
        let (mut client, agent) = pair();
        let fake = thread::spawn(move || {
            let mut reader = std::io::BufReader::new(agent.try_clone().expect("clone"));
            let mut line = String::new();
            reader.read_line(&mut line).expect("read");
            let mut agent = agent;
            agent.write_all(b"{\"return\": {}}\n").expect("write");
            line
        });
        let reply = client
            .call("guest-ping", &Value::Null, Duration::from_secs(5))
            .expect("call");
        assert_eq!(reply, json!({"return": {}}));
        assert_eq!(fake.join().expect("fake"), "{\"execute\":\"guest-ping\"}\n");
    }
}
