//! Tests of the client connection over a scripted stream.

use std::io::{self, Read, Write};

use super::support::*;
use serde_json::json;

/// Replies from a fixed script, in pieces of `chunk` bytes; records what
/// is written.
struct Script {
    input: Vec<u8>,
    pos: usize,
    chunk: usize,
    written: Vec<u8>,
}

impl Script {
    fn new(input: &[u8], chunk: usize) -> Self {
        Script {
            input: input.to_vec(),
            pos: 0,
            chunk,
            written: Vec::new(),
        }
    }
}

impl Read for Script {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let rest = &self.input[self.pos..];
        let n = rest.len().min(buf.len()).min(self.chunk);
        buf[..n].copy_from_slice(&rest[..n]);
        self.pos += n;
        Ok(n)
    }
}

impl Write for Script {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.written.extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[test]
fn calls_read_one_line_each_in_any_chunking() {
    for chunk in [1, 3, 4096] {
        let mut c = Connection::new(Script::new(
            b"{\"return\": 1}\n\n{\"event\": \"X\"}\n{\"return\": {\"a\": 2}}\n",
            chunk,
        ));
        assert_eq!(c.call("x", None).unwrap(), json!(1));
        assert_eq!(c.call("y", Some(Map::new())).unwrap(), json!({"a": 2}));
        assert_eq!(
            c.get_ref().written,
            b"{\"execute\":\"x\"}\n{\"execute\":\"y\",\"arguments\":{}}\n"
        );
        assert!(matches!(c.call("z", None), Err(ClientError::Io(_))));
    }
}

#[test]
fn errors_and_bad_replies() {
    let mut c = Connection::new(Script::new(
        b"{\"error\": {\"class\": \"CommandNotFound\", \"desc\": \"no\"}}\nnot json\n[]\n{}\n",
        7,
    ));
    match c.call("x", None) {
        Err(ClientError::Qapi(e)) => {
            assert_eq!(
                (e.class, e.desc.as_str()),
                (ErrorClass::CommandNotFound, "no")
            )
        }
        other => panic!("{other:?}"),
    }
    for _ in 0..3 {
        assert!(matches!(c.read_reply(), Err(ClientError::Protocol(_))));
    }
}

#[test]
fn the_handshake_skips_garbage_before_the_delimiter() {
    let mut c = Connection::new(Script::new(
        b"{\"return\": 5}\n{\"error\": {\"class\": \"GenericError\", \"desc\": \"stray\"}}\n\xff{\"return\": 42}\n{\"return\": 1}\n",
        5,
    ));
    c.sync_delimited("guest-sync-delimited", 42).unwrap();
    assert_eq!(
        c.get_ref().written,
        b"\xff{\"execute\":\"guest-sync-delimited\",\"arguments\":{\"id\":42}}\n"
    );
    assert_eq!(c.read_reply().unwrap(), json!(1));
    // A stale echo (another id) is skipped; EOF before ours is an error.
    let mut c = Connection::new(Script::new(b"\xff{\"return\": 41}\n", 64));
    assert!(c.sync_delimited("guest-sync-delimited", 42).is_err());
    let mut c = Connection::new(Script::new(
        b"\xff{\"return\": 41}\n\xff{\"return\": 42}\n{\"return\": 7}\n",
        64,
    ));
    c.sync_delimited("guest-sync-delimited", 42).unwrap();
    assert_eq!(c.read_reply().unwrap(), json!(7));
    let mut c = Connection::new(Script::new(b"\xff{\"return\": \"x\"}\n", 64));
    assert!(matches!(
        c.sync_delimited("guest-sync-delimited", 42),
        Err(ClientError::Protocol(_))
    ));
}

#[test]
fn return_values_are_checked() {
    assert_eq!(decode_return::<i64>(json!(3)).unwrap(), 3);
    assert!(matches!(
        decode_return::<i64>(json!("x")),
        Err(ClientError::Protocol(_))
    ));
}
