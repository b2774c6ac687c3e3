//! One reply as it goes on the wire, and how it is written.
//!
//! Most replies are serialised in full when they are made. The reply to a
//! large `guest-file-read` would be 64 MiB of base64 text on top of the
//! 48 MiB it encodes, so it is kept as the data and the text around its
//! base64 member instead, and the data is encoded piece by piece as the
//! reply is written ([`Reply::write_pieces`]): the bytes on the wire are
//! the same, the memory is a third.

use crate::protocol::{base64, encode_reply, encode_reply_with_hole};
use serde_json::Value;
use std::borrow::Cow;
use std::convert::Infallible;
use std::fmt;

/// The size of the pieces a streamed reply is written in. A socket takes
/// a few hundred KiB per `write` at most, so larger pieces would not save
/// calls; smaller than the allocator's threshold for a mapping of its own
/// ([`LARGE_BLOCK`](crate::daemon::memory::LARGE_BLOCK)), the buffer is
/// reused from the heap instead of being mapped afresh for each reply.
const PIECE: usize = 64 * 1024;

/// The data bytes whose base64 text makes one piece.
const PIECE_DATA: usize = PIECE / 4 * 3;

/// One reply, as it goes on the wire: an optional 0xFF sentinel, one line
/// of JSON, and the `\n` that ends it.
#[derive(Clone, PartialEq, Eq)]
pub struct Reply {
    /// The serialised reply; with `streamed`, without the streamed text.
    bytes: Vec<u8>,
    /// A string member encoded only as the reply is written.
    streamed: Option<Streamed>,
}

/// Data written as base64 text at offset `at` of the reply's bytes.
#[derive(Clone, PartialEq, Eq)]
struct Streamed {
    at: usize,
    data: Vec<u8>,
}

impl Reply {
    /// Serialises `reply` as qemu-ga does (one line, `\n`), after the 0xFF
    /// sentinel if `delimited` (the reply to `guest-sync-delimited`).
    pub fn new(reply: &Value, delimited: bool) -> Self {
        let mut bytes = Vec::new();
        encode_reply(&mut bytes, reply, delimited);
        Reply::from_bytes(bytes)
    }

    /// A reply from its wire bytes, which should end with `\n`.
    pub fn from_bytes(bytes: Vec<u8>) -> Self {
        Reply {
            bytes,
            streamed: None,
        }
    }

    /// `reply` with its string member `hole` (a reference into `reply`;
    /// its value does not matter) being the base64 text of `data`,
    /// encoded only as the reply is written. The same bytes as
    /// [`Reply::new`] of `reply` with that text in place. `None` when
    /// `hole` is not a string inside `reply`.
    pub fn with_base64(reply: &Value, hole: &Value, data: Vec<u8>) -> Option<Self> {
        let mut bytes = Vec::new();
        let at = encode_reply_with_hole(&mut bytes, reply, hole, false)?;
        Some(Reply {
            bytes,
            streamed: Some(Streamed { at, data }),
        })
    }

    /// The number of bytes on the wire.
    pub fn len(&self) -> usize {
        let streamed = self
            .streamed
            .as_ref()
            .map_or(0, |s| base64::encoded_len(s.data.len()));
        self.bytes.len() + streamed
    }

    /// Whether part of the reply is encoded only as it is written.
    pub fn is_streamed(&self) -> bool {
        self.streamed.is_some()
    }

    /// Whether the reply has no bytes at all (never true of a real one).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Hands the bytes to `write` in order: all at once for a reply
    /// serialised in full; otherwise in pieces of about 64 KiB, the first
    /// starting with the text before the streamed member and the last
    /// ending with the text after it. Stops at the first error.
    pub fn write_pieces<E>(&self, mut write: impl FnMut(&[u8]) -> Result<(), E>) -> Result<(), E> {
        let Some(streamed) = &self.streamed else {
            return write(&self.bytes);
        };
        let (head, tail) = self
            .bytes
            .split_at_checked(streamed.at)
            .unwrap_or((&self.bytes, &[]));
        let text = base64::encoded_len(streamed.data.len());
        let mut piece = Vec::with_capacity(head.len() + text.min(PIECE) + tail.len());
        piece.extend_from_slice(head);
        for chunk in streamed.data.chunks(PIECE_DATA) {
            // Every chunk but the last is a multiple of 3 bytes long: only
            // the end of the text is padded.
            base64::encode_into(chunk, &mut piece);
            if piece.len() >= PIECE {
                write(&piece)?;
                piece.clear();
            }
        }
        piece.extend_from_slice(tail);
        write(&piece)
    }

    /// All the bytes, encoded in full if need be.
    pub fn to_bytes(&self) -> Cow<'_, [u8]> {
        if self.streamed.is_none() {
            return Cow::Borrowed(&self.bytes);
        }
        let mut out = Vec::with_capacity(self.len());
        let Ok(()) = self.write_pieces(|piece| {
            out.extend_from_slice(piece);
            Ok::<(), Infallible>(())
        });
        Cow::Owned(out)
    }

    /// The first `max` bytes (fewer if the reply is shorter), without
    /// encoding much more than that.
    pub fn prefix(&self, max: usize) -> Cow<'_, [u8]> {
        let head = self.streamed.as_ref().map_or(self.bytes.len(), |s| s.at);
        if max <= head {
            return Cow::Borrowed(self.bytes.get(..max).unwrap_or(&self.bytes));
        }
        let mut out = Vec::new();
        // The error stops the pieces once there are enough bytes.
        let _ = self.write_pieces(|piece| {
            let room = max.saturating_sub(out.len());
            out.extend_from_slice(piece.get(..room).unwrap_or(piece));
            if out.len() < max {
                Ok(())
            } else {
                Err(())
            }
        });
        Cow::Owned(out)
    }
}

impl fmt::Debug for Reply {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.streamed {
            None => f
                .debug_tuple("Reply")
                .field(&String::from_utf8_lossy(&self.bytes))
                .finish(),
            Some(streamed) => f
                .debug_struct("Reply")
                .field("bytes", &String::from_utf8_lossy(&self.bytes))
                .field("base64_at", &streamed.at)
                .field("data_len", &streamed.data.len())
                .finish(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// A `guest-file-read` reply of `data`, with `id`, both ways.
    fn both(data: &[u8], id: Option<Value>) -> (Reply, Reply) {
        let reply = |text: &str| {
            let mut v = json!({"return": {"count": data.len(), "buf-b64": text, "eof": false}});
            if let Some(id) = &id {
                v["id"] = id.clone();
            }
            v
        };
        let whole = Reply::new(&reply(&base64::encode(data)), false);
        let template = reply("");
        let hole = template.pointer("/return/buf-b64").unwrap();
        let streamed = Reply::with_base64(&template, hole, data.to_vec()).unwrap();
        (whole, streamed)
    }

    fn pieces(reply: &Reply) -> Vec<Vec<u8>> {
        let mut out = Vec::new();
        let Ok(()) = reply.write_pieces(|p| {
            out.push(p.to_vec());
            Ok::<(), Infallible>(())
        });
        out
    }

    #[test]
    fn streamed_bytes_are_the_whole_bytes() {
        let data: Vec<u8> = (0..3 * PIECE + 5).map(|i| (i * 7 % 256) as u8).collect();
        let ids = [
            None,
            Some(json!(7)),
            Some(json!("\"buf-b64\": \"")),
            Some(json!({"a": [1, "x"]})),
        ];
        let lengths = [
            0,
            1,
            2,
            3,
            4,
            5,
            6,
            7,
            PIECE_DATA - 1,
            PIECE_DATA,
            PIECE_DATA + 1,
        ];
        for id in ids {
            for len in lengths.into_iter().chain([data.len()]) {
                let (whole, streamed) = both(&data[..len], id.clone());
                assert_eq!(streamed.to_bytes(), whole.to_bytes(), "{len} {id:?}");
                assert_eq!(streamed.len(), whole.len(), "{len} {id:?}");
                assert_eq!(pieces(&streamed).concat(), whole.to_bytes().to_vec());
            }
        }
    }

    #[test]
    fn member_order_is_qemu_gas() {
        let (_, streamed) = both(b"hello", Some(json!("x")));
        assert_eq!(
            streamed.to_bytes(),
            &b"{\"return\": {\"count\": 5, \"buf-b64\": \"aGVsbG8=\", \"eof\": false}, \"id\": \"x\"}\n"[..]
        );
    }

    #[test]
    fn pieces_are_of_the_piece_size() {
        let (whole, small) = both(&[1; 1000], None);
        assert!(small.is_streamed() && !whole.is_streamed());
        assert_eq!(pieces(&small).len(), 1, "a small reply takes one write");
        let (_, big) = both(&vec![1; 4 * PIECE_DATA + 10], None);
        let pieces = pieces(&big);
        assert_eq!(pieces.len(), 5);
        assert!(pieces[..4]
            .iter()
            .all(|p| p.len() >= PIECE && p.len() < PIECE + 100));
    }

    #[test]
    fn prefix_stops_early() {
        let (whole, streamed) = both(&vec![0xfb; 2 * PIECE], Some(json!(1)));
        for max in [0, 5, 40, 100, PIECE + 3] {
            assert_eq!(&streamed.prefix(max)[..], &whole.to_bytes()[..max], "{max}");
            assert_eq!(&whole.prefix(max)[..], &whole.to_bytes()[..max], "{max}");
        }
        assert_eq!(whole.prefix(usize::MAX).len(), whole.len());
        assert_eq!(streamed.prefix(usize::MAX).len(), whole.len());
    }

    #[test]
    fn errors_stop_the_pieces() {
        let (_, big) = both(&vec![1; 3 * PIECE_DATA], None);
        let mut calls = 0;
        let result = big.write_pieces(|_| {
            calls += 1;
            Err("gone")
        });
        assert_eq!(result, Err("gone"));
        assert_eq!(calls, 1);
    }

    #[test]
    fn a_hole_outside_the_reply_is_refused() {
        let v = json!({"return": {"buf-b64": ""}});
        assert!(Reply::with_base64(&v, &json!(""), vec![1]).is_none());
        assert!(Reply::with_base64(&v, &v["return"], vec![1]).is_none());
    }

    #[test]
    fn sentinel_and_plain_replies() {
        let reply = Reply::new(&json!({"return": 42}), true);
        assert_eq!(reply.to_bytes(), &b"\xff{\"return\": 42}\n"[..]);
        assert_eq!(reply.len(), 16);
        assert!(!reply.is_empty());
    }
}
