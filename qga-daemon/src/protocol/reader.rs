//! The streaming JSON reader: bytes in, requests (or errors) out.

use serde_json::Value;

use super::error::ReadError;
use super::lexer::Lexer;
use super::streamer::Streamer;

/// One outcome of reading the input stream.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// A complete top-level JSON value.
    Value(Value),
    /// A lexical or syntax error, or a limit hit. Whatever had been
    /// collected of the request in progress is discarded.
    Error(ReadError),
}

/// A streaming reader of qemu-ga's JSON dialect.
///
/// Feed it the bytes of the channel in chunks of any size, split anywhere;
/// it yields each complete top-level value, or error, in order. Between
/// chunks it keeps only the request in progress, so the same reader can
/// simply carry on when a client reconnects, as qemu-ga's does.
///
/// ```
/// use qga_daemon::protocol::{Event, Reader};
///
/// let mut reader = Reader::new();
/// assert_eq!(reader.feed(br#"{"execute":"#).count(), 0);
/// let events: Vec<Event> = reader.feed(br#""guest-ping"}"#).collect();
/// assert!(matches!(&events[..], [Event::Value(_)]));
/// ```
#[derive(Debug, Default)]
pub struct Reader {
    lexer: Lexer,
    streamer: Streamer,
}

impl Reader {
    /// A reader at the start of a stream.
    pub fn new() -> Self {
        Self::default()
    }

    /// Reads `input`, yielding the events it completes.
    ///
    /// The input is consumed lazily, as the iterator is advanced. If the
    /// iterator is dropped early the rest of `input` is still read, and
    /// its events are yielded first by the next call.
    pub fn feed<'a>(&'a mut self, input: &'a [u8]) -> Feed<'a> {
        Feed {
            reader: self,
            input,
        }
    }

    /// Whether no part of a request is held: everything read so far has
    /// been delivered as events (or skipped as whitespace or garbage).
    pub fn is_idle(&self) -> bool {
        self.lexer.is_between_tokens() && self.streamer.is_empty()
    }

    /// How many bytes the reader holds for the request in progress.
    pub fn held_bytes(&self) -> usize {
        self.streamer.held_bytes()
    }
}

/// Iterator over the events of one chunk of input; see [`Reader::feed`].
#[derive(Debug)]
pub struct Feed<'a> {
    reader: &'a mut Reader,
    input: &'a [u8],
}

impl Feed<'_> {
    fn advance(&mut self) {
        let used = self
            .reader
            .lexer
            .feed(self.input, &mut self.reader.streamer);
        self.input = self.input.get(used..).unwrap_or_default();
    }
}

impl Iterator for Feed<'_> {
    type Item = Event;

    fn next(&mut self) -> Option<Event> {
        loop {
            if let Some(event) = self.reader.streamer.pop_event() {
                return Some(event);
            }
            if self.input.is_empty() {
                return None;
            }
            self.advance();
        }
    }
}

impl Drop for Feed<'_> {
    fn drop(&mut self) {
        while !self.input.is_empty() {
            self.advance();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn events(reader: &mut Reader, input: &[u8]) -> Vec<Event> {
        reader.feed(input).collect()
    }

    /// Events rendered as strings: the value's JSON or the error text.
    fn show(events: &[Event]) -> Vec<String> {
        events
            .iter()
            .map(|e| match e {
                Event::Value(v) => v.to_string(),
                Event::Error(e) => e.to_string(),
            })
            .collect()
    }

    fn read_all(input: &[u8]) -> Vec<String> {
        show(&events(&mut Reader::new(), input))
    }

    #[test]
    fn dispatch_without_newline() {
        assert_eq!(
            read_all(br#"{"execute":"guest-ping"}"#),
            [r#"{"execute":"guest-ping"}"#]
        );
    }

    #[test]
    fn whitespace_alone_gives_nothing() {
        let mut r = Reader::new();
        assert!(events(&mut r, b"\n").is_empty());
        assert!(events(&mut r, b"  \r\n\t \n").is_empty());
        assert!(r.is_idle());
    }

    #[test]
    fn several_requests_in_one_chunk() {
        assert_eq!(
            read_all(b"{\"a\":1}{\"b\":2}\n{\"c\":3}\r\n"),
            [r#"{"a":1}"#, r#"{"b":2}"#, r#"{"c":3}"#]
        );
    }

    #[test]
    fn incomplete_request_waits_and_survives() {
        let mut r = Reader::new();
        assert!(events(&mut r, b"{\"execute\":\"guest-ping\"\n").is_empty());
        assert!(!r.is_idle());
        // A "new client" continues the same stream.
        assert_eq!(
            show(&events(&mut r, b", \"id\": 1}")),
            [r#"{"execute":"guest-ping","id":1}"#]
        );
        assert!(r.is_idle());
    }

    #[test]
    fn top_level_scalar_waits_for_a_delimiter() {
        let mut r = Reader::new();
        assert!(events(&mut r, b"42").is_empty());
        assert_eq!(show(&events(&mut r, b" ")), ["42"]);
        assert_eq!(show(&events(&mut r, br#""hi""#)), [r#""hi""#]);
    }

    #[test]
    fn ff_discards_the_partial_request() {
        let mut r = Reader::new();
        assert!(events(&mut r, br#"{"execute":"guest-ping""#).is_empty());
        let out = show(&events(
            &mut r,
            b"\xff{\"execute\":\"guest-sync-delimited\",\"arguments\":{\"id\":42}}",
        ));
        assert_eq!(
            out,
            [
                "JSON parse error, stray '\u{FFFD}'",
                r#"{"execute":"guest-sync-delimited","arguments":{"id":42}}"#,
            ]
        );
    }

    #[test]
    fn nul_byte_error_text_is_cut() {
        assert_eq!(
            read_all(b"\x00{\"a\":1}"),
            ["JSON parse error, stray ''", r#"{"a":1}"#]
        );
    }

    #[test]
    fn recovery_produces_follow_up_errors() {
        assert_eq!(
            read_all(br#"{"execute":guest-ping}"#),
            [
                "JSON parse error, stray '-p'",
                "JSON parse error, expecting value"
            ]
        );
        assert_eq!(
            read_all(br#"{"execute":"guest-ping"}}"#),
            [
                r#"{"execute":"guest-ping"}"#,
                "JSON parse error, expecting value"
            ]
        );
        assert_eq!(
            read_all(br#"{"execute":"guest-sync","arguments":{"id":01}}"#),
            [
                "JSON parse error, stray '01'",
                "JSON parse error, expecting value",
                "JSON parse error, expecting value"
            ]
        );
        assert_eq!(
            read_all(b"{\"execute\":\"a\x08b\"}"),
            [
                "JSON parse error, stray '\"a\u{8}'",
                "JSON parse error, expecting value"
            ]
        );
    }

    #[test]
    fn duplicate_key_and_bad_utf8() {
        assert_eq!(
            read_all(br#"{"execute":"guest-nope","execute":"guest-ping"}"#),
            ["JSON parse error, duplicate key"]
        );
        assert_eq!(
            read_all(b"{\"execute\":\"guest-\xc3\x28ping\"}"),
            ["JSON parse error, invalid UTF-8 sequence in string"]
        );
    }

    #[test]
    fn single_quotes_and_escapes() {
        let mut r = Reader::new();
        let ev = events(&mut r, br#"{'execute':'guest-\u0070ing'}"#);
        assert_eq!(ev, [Event::Value(json!({"execute": "guest-ping"}))]);
    }

    #[test]
    fn nesting_limit() {
        let ok = format!("{}{}", "[".repeat(1024), "]".repeat(1024));
        let out = read_all(ok.as_bytes());
        assert_eq!(out.len(), 1);
        assert!(out[0].starts_with("[[[["));

        // Depth 1027 in all: the 1025th opener fails, the rest is re-read.
        let bad = format!(
            r#"{{"execute":"guest-ping","arguments":{{"x":{}{}}}}}"#,
            "[".repeat(1025),
            "]".repeat(1025)
        );
        let out = read_all(bad.as_bytes());
        assert_eq!(out.len(), 1027);
        assert_eq!(out[0], "JSON nesting depth limit exceeded");
        assert_eq!(out[1], "[[]]");
        assert!(out[2..]
            .iter()
            .all(|e| e == "JSON parse error, expecting value"));
    }

    #[test]
    fn token_count_limit() {
        // 11 envelope tokens, then 1,1,...,1: the error hits on a comma.
        let n = 1024 * 1024 + 8;
        let mut req = br#"{"execute":"guest-ping","arguments":{"x":["#.to_vec();
        for _ in 0..n {
            req.extend_from_slice(b"1,");
        }
        req.extend_from_slice(b"1]}}");
        let out = read_all(&req);
        assert_eq!(out.len(), 31);
        assert_eq!(out[0], "JSON token count limit exceeded");
        for pair in out[1..29].chunks(2) {
            assert_eq!(pair[0], "1");
            assert_eq!(pair[1], "JSON parse error, expecting value");
        }
        assert_eq!(out[29], "JSON parse error, expecting value");
        assert_eq!(out[30], "JSON parse error, expecting value");
    }

    #[test]
    fn exactly_the_token_count_limit_is_accepted() {
        // `[` + `1,` × n + `[]]`: 2n + 4 = 2^21 tokens.
        let ones = (1 << 20) - 2;
        let mut req = b"[".to_vec();
        for _ in 0..ones {
            req.extend_from_slice(b"1,");
        }
        req.extend_from_slice(b"[]]");
        let out = events(&mut Reader::new(), &req);
        assert_eq!(out.len(), 1);
        assert!(matches!(&out[0], Event::Value(Value::Array(a)) if a.len() == ones + 1));
        // More tokens are too many.
        req.splice(1..1, *b"1,");
        let out = read_all(&req);
        assert_eq!(out[0], "JSON token count limit exceeded");
    }

    #[test]
    fn token_size_limit() {
        // A string token longer than 64 MiB is cut off by the lexer.
        let mut req = br#"{"execute":"guest-ping","arguments":{"x":""#.to_vec();
        req.resize(req.len() + (65 << 20), b'A');
        req.extend_from_slice(br#""}}"#);
        let out = read_all(&req);
        assert_eq!(
            out,
            [
                "JSON token size limit exceeded",
                "JSON parse error, stray 'A'",
                "JSON parse error, expecting value",
                "JSON parse error, expecting value"
            ]
        );
    }

    #[test]
    fn token_size_limit_counts_all_tokens() {
        // Two strings that fit alone but not together.
        let half = 32 << 20;
        let mut req = b"[\"".to_vec();
        req.resize(req.len() + half, b'A');
        req.extend_from_slice(b"\",\"");
        req.resize(req.len() + half, b'B');
        req.extend_from_slice(b"\"]");
        let out = read_all(&req);
        assert_eq!(out[0], "JSON token size limit exceeded");
        // Just below the limit in total is fine: tokens must sum to less
        // than 64 MiB.
        let mut req = b"[\"".to_vec();
        req.resize(req.len() + (64 << 20) - 5, b'A');
        req.extend_from_slice(b"\"]");
        let out = events(&mut Reader::new(), &req);
        assert!(matches!(&out[..], [Event::Value(_)]));
        let mut req = b"[\"".to_vec();
        req.resize(req.len() + (64 << 20) - 4, b'A');
        req.extend_from_slice(b"\"]");
        assert_eq!(read_all(&req)[0], "JSON token size limit exceeded");
    }

    #[test]
    fn byte_by_byte_equals_one_chunk() {
        let input: &[u8] = b"\xff{\"execute\":\"guest-sync\",\"arguments\":{\"id\":77}}\
            {'a':\"\\ud83d\\ude00\"} 42 [1,2]}{\"x\":guest}\x00\"abc\x01 -1.5e3\n";
        let whole = show(&events(&mut Reader::new(), input));
        let mut r = Reader::new();
        let mut split = Vec::new();
        for b in input {
            split.extend(events(&mut r, std::slice::from_ref(b)));
        }
        assert_eq!(whole, show(&split));
        assert_eq!(whole.len(), 9, "{whole:?}");
    }

    #[test]
    fn dropped_iterator_keeps_events() {
        let mut r = Reader::new();
        {
            let mut feed = r.feed(b"1 2 3 ");
            assert_eq!(feed.next(), Some(Event::Value(json!(1))));
        }
        let rest: Vec<Event> = r.feed(b"").collect();
        assert_eq!(rest, [Event::Value(json!(2)), Event::Value(json!(3))]);
    }

    #[test]
    fn memory_is_released_after_a_big_request() {
        let mut r = Reader::new();
        let mut req = b"[\"".to_vec();
        req.resize(4 << 20, b'A');
        assert!(events(&mut r, &req).is_empty());
        assert!(r.held_bytes() >= 4 << 20);
        assert_eq!(events(&mut r, b"\"]").len(), 1);
        assert_eq!(r.held_bytes(), 0);
    }
}
