//! The opening handshake: 0xFF, then `guest-sync-delimited` with a random
//! id, until the agent echoes that id.
//!
//! The 0xFF resets the agent's parser, whose state outlives connections
//! (an earlier client may have left half a request in it). Whatever
//! arrives before the echo is dropped: the error the 0xFF itself causes,
//! and replies queued for earlier clients (QEMU keeps requests made before
//! the guest opened its port, and the agent answers them later).
//!
//! This is the generated `sync_delimited` made tolerant: that one takes the
//! first 0xFF it sees, so a stale delimited reply fails the id check, and
//! it waits forever on an agent that refuses `guest-sync-delimited`
//! (`-a` without it, or an agent that lacks it).

use qga_generated::qapi::{self, ClientError, Connection, DELIMITER};
use qga_generated::GuestSyncDelimitedArg;
use serde_json::Value;
use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::io::{Read, Write};

/// The command of the handshake.
pub const SYNC_COMMAND: &str = "guest-sync-delimited";

/// How the handshake ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Synced {
    /// The agent echoed the id after its 0xFF.
    Echoed,
    /// The agent refused the command (disabled or unknown). Its answer to
    /// this very request has arrived, so the stream is in step all the
    /// same; only the parser reset relies on the 0xFF alone.
    Refused(qapi::Error),
}

/// A random id: the echo must not be mistaken for a stale reply to an
/// earlier client's handshake.
pub fn random_id() -> i64 {
    // RandomState's keys come from the operating system's random source:
    // enough for an id, without another dependency. 53 bits, so that an
    // agent whose JSON numbers are doubles echoes it unchanged.
    let bits = RandomState::new().build_hasher().finish() >> 11;
    i64::try_from(bits).unwrap_or_default()
}

/// Runs the handshake with `id` on `conn`.
pub fn synchronize<T: Read + Write>(
    conn: &mut Connection<T>,
    id: i64,
) -> Result<Synced, ClientError> {
    conn.write_raw(&[DELIMITER])?;
    let arguments = qapi::encode_arguments(GuestSyncDelimitedArg { id });
    conn.send(SYNC_COMMAND, Some(arguments))?;
    loop {
        let line = conn.read_line()?;
        match classify(&line, id) {
            Line::Echo => return Ok(Synced::Echoed),
            Line::Refusal(e) => return Ok(Synced::Refused(e)),
            Line::Other => {}
        }
    }
}

/// What one line read during the handshake is.
#[derive(Debug, PartialEq)]
enum Line {
    /// The delimited echo of our id.
    Echo,
    /// The refusal of `guest-sync-delimited`.
    Refusal(qapi::Error),
    /// Anything else: stale replies, the 0xFF's error, garbage.
    Other,
}

fn classify(line: &[u8], id: i64) -> Line {
    // The delimiter may follow the remains of a reply an earlier client
    // stopped reading halfway: the candidate is what follows the last one.
    if let Some(at) = line.iter().rposition(|&b| b == DELIMITER) {
        let reply: Option<Value> = line
            .get(at + 1..)
            .and_then(|r| serde_json::from_slice(r).ok());
        let echoed = reply.as_ref().and_then(|r| r.get("return")?.as_i64());
        return if echoed == Some(id) {
            Line::Echo
        } else {
            Line::Other
        };
    }
    match serde_json::from_slice::<Value>(line) {
        Ok(reply) => refusal(&reply).map_or(Line::Other, Line::Refusal),
        Err(_) => Line::Other,
    }
}

/// The error of a reply that refuses the handshake command: class
/// `CommandNotFound` naming it (`The command X has not been found`,
/// `Command X has been disabled...`).
fn refusal(reply: &Value) -> Option<qapi::Error> {
    let error = reply.get("error")?;
    let class = error.get("class")?.as_str()?;
    let desc = error.get("desc")?.as_str()?;
    let names_sync = desc
        .split(|c: char| c.is_whitespace() || c == ':')
        .any(|word| word == SYNC_COMMAND);
    let class = qapi::ErrorClass::from_wire(class);
    (class == qapi::ErrorClass::CommandNotFound && names_sync).then(|| qapi::Error {
        class,
        desc: desc.to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{self, Cursor};

    /// A peer whose answers are written in advance.
    struct Scripted {
        answers: Cursor<Vec<u8>>,
        sent: Vec<u8>,
    }

    impl Read for Scripted {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            self.answers.read(buf)
        }
    }

    impl Write for Scripted {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.sent.write(buf)
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    const STRAY: &[u8] =
        br#"{"error": {"class": "GenericError", "desc": "JSON parse error, stray '\uFFFD'"}}"#;

    fn connection(answers: &[&[u8]]) -> Connection<Scripted> {
        Connection::new(Scripted {
            answers: Cursor::new(answers.concat()),
            sent: Vec::new(),
        })
    }

    #[test]
    fn sends_delimiter_then_request() {
        let mut conn = connection(&[STRAY, b"\n\xff{\"return\": 42}\n"]);
        assert_eq!(synchronize(&mut conn, 42).unwrap(), Synced::Echoed);
        assert_eq!(
            conn.get_ref().sent,
            b"\xff{\"execute\":\"guest-sync-delimited\",\"arguments\":{\"id\":42}}\n"
        );
    }

    #[test]
    fn skips_stale_replies_and_keeps_what_follows() {
        let mut conn = connection(&[
            b"{\"return\": {}}\n\xff{\"return\": 7}\n{\"retu",
            b"\xff{\"return\": 7}\n",
            STRAY,
            b"\nnot json\n\xff{\"return\": 42}\n{\"return\": \"next\"}\n",
        ]);
        assert_eq!(synchronize(&mut conn, 42).unwrap(), Synced::Echoed);
        assert_eq!(conn.read_reply().unwrap(), Value::from("next"));
    }

    #[test]
    fn refusals_end_the_handshake() {
        for desc in [
            "Command guest-sync-delimited has been disabled: the command is not allowed",
            "Command guest-sync-delimited has been disabled",
            "The command guest-sync-delimited has not been found",
        ] {
            let refused = format!(
                "{{\"error\": {{\"class\": \"CommandNotFound\", \"desc\": \"{desc}\"}}}}\n"
            );
            let mut conn = connection(&[STRAY, b"\n", refused.as_bytes()]);
            let Synced::Refused(e) = synchronize(&mut conn, 1).unwrap() else {
                panic!("not refused: {desc}");
            };
            assert_eq!(e.desc, desc);
        }
    }

    #[test]
    fn other_errors_do_not_end_it() {
        let other = br#"{"error": {"class": "CommandNotFound", "desc": "Command guest-exec has been disabled"}}"#;
        let mut conn = connection(&[other, b"\n\xff{\"return\": 5}\n"]);
        assert_eq!(synchronize(&mut conn, 5).unwrap(), Synced::Echoed);
    }

    #[test]
    fn a_closed_connection_is_an_error() {
        let mut conn = connection(&[STRAY, b"\n"]);
        let Err(ClientError::Io(e)) = synchronize(&mut conn, 5) else {
            panic!("no error");
        };
        assert_eq!(e.kind(), io::ErrorKind::UnexpectedEof);
    }

    #[test]
    fn ids_are_positive_and_vary() {
        let ids: Vec<i64> = (0..8).map(|_| random_id()).collect();
        assert!(ids.iter().all(|&id| (0..1 << 53).contains(&id)));
        assert!(ids.windows(2).any(|w| w[0] != w[1]));
    }
}
