//! The parser: turns the tokens of one request into a value, with QEMU's
//! error messages and their precedence (the first error met, left to
//! right, innermost first).
//!
//! It runs on an explicit stack, so nesting depth costs no call stack.

use serde_json::{Map, Number, Value};

use super::error::ReadError;
use super::lexer::TokenKind;
use super::streamer::Token;
use super::utf8;

/// QEMU formats parser messages into a 1024-byte buffer.
const MESSAGE_MAX: usize = 1023;

fn syntax(message: &str) -> ReadError {
    ReadError::Syntax(message.to_owned())
}

fn premature_end() -> ReadError {
    syntax("premature EOI")
}

/// A container whose members are still being parsed.
enum Frame {
    Array(Vec<Value>),
    /// An object, with the key of the member whose value comes next.
    Object(Map<String, Value>, Option<String>),
}

struct Cursor<'a> {
    tokens: &'a [Token],
    text: &'a [u8],
    pos: usize,
}

impl<'a> Cursor<'a> {
    fn peek(&self) -> Option<Token> {
        self.tokens.get(self.pos).copied()
    }

    fn next(&mut self) -> Option<Token> {
        let token = self.peek();
        if token.is_some() {
            self.pos += 1;
        }
        token
    }

    fn text(&self, token: Token) -> &'a [u8] {
        let (start, end) = (token.start as usize, token.end as usize);
        self.text.get(start..end).unwrap_or_default()
    }
}

/// Parses one request's tokens into a value.
pub(crate) fn parse(tokens: &[Token], text: &[u8]) -> Result<Value, ReadError> {
    let mut cur = Cursor {
        tokens,
        text,
        pos: 0,
    };
    let mut stack: Vec<Frame> = Vec::new();
    'value: loop {
        let token = cur.peek().ok_or_else(premature_end)?;
        let mut value = match token.kind {
            TokenKind::LCurly | TokenKind::LSquare => {
                cur.next();
                let closer = if token.kind == TokenKind::LCurly {
                    TokenKind::RCurly
                } else {
                    TokenKind::RSquare
                };
                let next = cur.peek().ok_or_else(premature_end)?;
                if next.kind != closer {
                    stack.push(if token.kind == TokenKind::LCurly {
                        Frame::Object(Map::new(), None)
                    } else {
                        Frame::Array(Vec::new())
                    });
                    continue 'value;
                }
                cur.next();
                if token.kind == TokenKind::LCurly {
                    Value::Object(Map::new())
                } else {
                    Value::Array(Vec::new())
                }
            }
            TokenKind::String => {
                cur.next();
                Value::String(decode_string(cur.text(token))?)
            }
            TokenKind::Integer => {
                cur.next();
                integer(cur.text(token))
            }
            TokenKind::Float => {
                cur.next();
                float(cur.text(token))
            }
            TokenKind::Keyword => {
                cur.next();
                keyword(cur.text(token))?
            }
            _ => return Err(syntax("expecting value")),
        };
        // A value is complete: hand it to the containers that wait for it.
        loop {
            let Some(frame) = stack.pop() else {
                return Ok(value);
            };
            match frame {
                Frame::Object(map, None) => {
                    let Value::String(key) = value else {
                        return Err(syntax("key is not a string in object"));
                    };
                    match cur.next() {
                        None => return Err(premature_end()),
                        Some(t) if t.kind == TokenKind::Colon => {}
                        Some(_) => return Err(syntax("missing : in object pair")),
                    }
                    stack.push(Frame::Object(map, Some(key)));
                    continue 'value;
                }
                Frame::Object(mut map, Some(key)) => {
                    if map.contains_key(&key) {
                        return Err(syntax("duplicate key"));
                    }
                    map.insert(key, value);
                    match cur.next().map(|t| t.kind) {
                        None => return Err(premature_end()),
                        Some(TokenKind::RCurly) => value = Value::Object(map),
                        Some(TokenKind::Comma) => {
                            stack.push(Frame::Object(map, None));
                            continue 'value;
                        }
                        Some(_) => return Err(syntax("expected separator in dict")),
                    }
                }
                Frame::Array(mut items) => {
                    items.push(value);
                    match cur.next().map(|t| t.kind) {
                        None => return Err(premature_end()),
                        Some(TokenKind::RSquare) => value = Value::Array(items),
                        Some(TokenKind::Comma) => {
                            stack.push(Frame::Array(items));
                            continue 'value;
                        }
                        Some(_) => return Err(syntax("expected separator in list")),
                    }
                }
            }
        }
    }
}

/// An integer token: int64 if it fits, else uint64, else a double.
fn integer(text: &[u8]) -> Value {
    let text = std::str::from_utf8(text).unwrap_or_default();
    if let Ok(n) = text.parse::<i64>() {
        return Value::Number(n.into());
    }
    if !text.starts_with('-') {
        if let Ok(n) = text.parse::<u64>() {
            return Value::Number(n.into());
        }
    }
    float(text.as_bytes())
}

/// A number token read as a double, rounded to nearest like `strtod()`.
///
/// Out of range magnitudes saturate to the largest finite double: JSON
/// has no infinity, and QEMU would print an unparsable `inf`.
fn float(text: &[u8]) -> Value {
    let parsed = std::str::from_utf8(text)
        .ok()
        .and_then(|t| t.parse::<f64>().ok())
        .unwrap_or(0.0);
    let finite = if parsed.is_infinite() {
        f64::MAX.copysign(parsed)
    } else {
        parsed
    };
    Number::from_f64(finite).map_or(Value::Null, Value::Number)
}

fn keyword(text: &[u8]) -> Result<Value, ReadError> {
    match text {
        b"true" => Ok(Value::Bool(true)),
        b"false" => Ok(Value::Bool(false)),
        b"null" => Ok(Value::Null),
        _ => {
            let mut message = b"invalid keyword '".to_vec();
            message.extend_from_slice(text);
            message.push(b'\'');
            message.truncate(MESSAGE_MAX);
            Err(ReadError::Syntax(utf8::lossy(&message)))
        }
    }
}

/// The value of four hex digits at `at`, if they are there.
fn hex4(bytes: &[u8], at: usize) -> Option<u32> {
    let digits = bytes.get(at..at.checked_add(4)?)?;
    digits.iter().try_fold(0u32, |acc, &b| {
        let digit = char::from(b).to_digit(16)?;
        Some(acc << 4 | digit)
    })
}

/// Whether QEMU can encode `cp` in a string.
fn encodable(cp: u32) -> bool {
    cp <= 0x10_FFFF && !utf8::is_noncharacter(cp) && !(0xD800..=0xDFFF).contains(&cp)
}

/// Length of the leading run of ASCII bytes other than `quote` and the
/// backslash.
fn ascii_run(bytes: &[u8], quote: u8) -> usize {
    const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
    const HIGH: u64 = u64::from_ne_bytes([0x80; 8]);
    let has_zero = |v: u64| v.wrapping_sub(ONES) & !v & HIGH != 0;
    let quotes = u64::from_ne_bytes([quote; 8]);
    let backslashes = u64::from_ne_bytes([b'\\'; 8]);
    let mut n = 0;
    for word in bytes.chunks_exact(8) {
        let mut lanes = [0u8; 8];
        lanes.copy_from_slice(word);
        let v = u64::from_ne_bytes(lanes);
        if v & HIGH != 0 || has_zero(v ^ quotes) || has_zero(v ^ backslashes) {
            break;
        }
        n += 8;
    }
    let rest = bytes.get(n..).unwrap_or_default();
    n + rest
        .iter()
        .position(|&b| b == quote || b == b'\\' || b >= 0x80)
        .unwrap_or(rest.len())
}

/// Decodes a string token (quotes included): escapes, and raw text in
/// QEMU's modified UTF-8.
fn decode_string(token: &[u8]) -> Result<String, ReadError> {
    let Some((&quote, body)) = token.split_first() else {
        return Ok(String::new());
    };
    let mut out: Vec<u8> = Vec::with_capacity(body.len());
    let mut i = 0;
    loop {
        // Copy plain ASCII in bulk.
        let rest = body.get(i..).unwrap_or_default();
        let run = ascii_run(rest, quote);
        out.extend_from_slice(rest.get(..run).unwrap_or_default());
        i += run;
        let Some(&b) = body.get(i) else { break };
        if b == quote {
            break;
        }
        if b == b'\\' {
            let begin = i;
            let escaped = body.get(i + 1).copied();
            i += 2;
            let simple = match escaped {
                Some(b'"') => Some(b'"'),
                Some(b'\'') => Some(b'\''),
                Some(b'\\') => Some(b'\\'),
                Some(b'/') => Some(b'/'),
                Some(b'b') => Some(0x08),
                Some(b'f') => Some(0x0C),
                Some(b'n') => Some(b'\n'),
                Some(b'r') => Some(b'\r'),
                Some(b't') => Some(b'\t'),
                Some(b'u') => None,
                _ => return Err(syntax("invalid escape sequence in string")),
            };
            if let Some(byte) = simple {
                out.push(byte);
                continue;
            }
            let mut cp = hex4(body, i);
            i += 4;
            if let Some(high @ 0xD800..=0xDBFF) = cp {
                if body.get(i) == Some(&b'\\') && body.get(i + 1) == Some(&b'u') {
                    cp = match hex4(body, i + 2) {
                        Some(low @ 0xDC00..=0xDFFF) => {
                            i += 6;
                            Some(0x1_0000 + ((high & 0x3FF) << 10 | (low & 0x3FF)))
                        }
                        _ => None,
                    };
                }
            }
            match cp.filter(|&cp| encodable(cp)).and_then(char::from_u32) {
                Some(c) => out.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes()),
                None => {
                    let end = i.min(body.len());
                    let mut message = body.get(begin..end).unwrap_or_default().to_vec();
                    message.extend_from_slice(b" is not a valid Unicode character");
                    return Err(ReadError::Syntax(utf8::lossy(&message)));
                }
            }
            continue;
        }
        let (cp, used) = utf8::decode(body.get(i..).unwrap_or_default());
        match cp.and_then(char::from_u32) {
            Some(c) => out.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes()),
            None => return Err(syntax("invalid UTF-8 sequence in string")),
        }
        i += used.max(1);
    }
    String::from_utf8(out).map_err(|_| syntax("invalid UTF-8 sequence in string"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::reader::{Event, Reader};
    use serde_json::json;

    /// Feeds `input` plus a delimiter and returns the single outcome.
    fn one(input: &str) -> Result<Value, String> {
        one_bytes(input.as_bytes())
    }

    fn one_bytes(input: &[u8]) -> Result<Value, String> {
        let mut reader = Reader::new();
        let mut input = input.to_vec();
        input.push(b'\n');
        let mut events: Vec<Event> = reader.feed(&input).collect();
        assert_eq!(events.len(), 1, "{events:?}");
        match events.pop() {
            Some(Event::Value(v)) => Ok(v),
            Some(Event::Error(e)) => Err(e.to_string()),
            None => Err(String::new()),
        }
    }

    #[test]
    fn values() {
        assert_eq!(
            one(r#"{"a": [1, "x", true, false, null, {}, []], "b": {"c": -1.5}}"#),
            Ok(json!({"a": [1, "x", true, false, null, {}, []], "b": {"c": -1.5}}))
        );
    }

    #[test]
    fn member_order_is_kept() {
        let v = one(r#"{"z": 1, "a": 2, "m": 3}"#).unwrap();
        let keys: Vec<_> = v.as_object().unwrap().keys().cloned().collect();
        assert_eq!(keys, ["z", "a", "m"]);
    }

    #[test]
    fn integers_floats_and_ranges() {
        let max = one("9223372036854775807").unwrap();
        assert_eq!(max.as_i64(), Some(i64::MAX));
        let min = one("-9223372036854775808").unwrap();
        assert_eq!(min.as_i64(), Some(i64::MIN));
        let big = one("9223372036854775808").unwrap();
        assert_eq!((big.as_i64(), big.as_u64()), (None, Some(1 << 63)));
        let umax = one("18446744073709551615").unwrap();
        assert_eq!(umax.as_u64(), Some(u64::MAX));
        let over = one("18446744073709551616").unwrap();
        assert!(over.is_f64());
        assert_eq!(over.as_f64(), Some(18446744073709551616.0));
        let neg_over = one("-9223372036854775809").unwrap();
        assert!(neg_over.is_f64());
        assert!(one("1e3").unwrap().is_f64());
        assert!(one("1.0").unwrap().is_f64());
        assert_eq!(one("-0").unwrap().as_i64(), Some(0));
        assert_eq!(
            one("-0.0").unwrap().as_f64().map(f64::is_sign_negative),
            Some(true)
        );
        assert_eq!(one("1e400").unwrap().as_f64(), Some(f64::MAX));
        assert_eq!(one("-1e400").unwrap().as_f64(), Some(-f64::MAX));
    }

    #[test]
    fn keywords() {
        assert_eq!(one("true").unwrap(), json!(true));
        assert_eq!(
            one("nope"),
            Err("JSON parse error, invalid keyword 'nope'".into())
        );
        let long = "a".repeat(2000);
        let err = one(&long).unwrap_err();
        let expected_len = "JSON parse error, ".len() + MESSAGE_MAX;
        assert_eq!(err.len(), expected_len);
        assert!(err.starts_with("JSON parse error, invalid keyword 'aaa"));
    }

    #[test]
    fn string_escapes() {
        assert_eq!(
            one(r#""\"\\\/\b\f\n\r\t\'""#).unwrap(),
            json!("\"\\/\u{8}\u{c}\n\r\t'")
        );
        assert_eq!(one(r#"'a\'b"c'"#).unwrap(), json!("a'b\"c"));
        assert_eq!(one(r#""\u0070\u00E9\u20ac""#).unwrap(), json!("pé€"));
        assert_eq!(one(r#""\ud83d\ude00""#).unwrap(), json!("😀"));
        assert_eq!(one(r#""x\u0000y""#).unwrap(), json!("x\u{0}y"));
    }

    #[test]
    fn bad_escapes() {
        assert_eq!(
            one(r#""\x""#),
            Err("JSON parse error, invalid escape sequence in string".into())
        );
        assert_eq!(
            one(r#""\ud800""#),
            Err("JSON parse error, \\ud800 is not a valid Unicode character".into())
        );
        assert_eq!(
            one(r#""\ud800\u0041""#),
            Err("JSON parse error, \\ud800 is not a valid Unicode character".into())
        );
        assert_eq!(
            one(r#""\udc00""#),
            Err("JSON parse error, \\udc00 is not a valid Unicode character".into())
        );
        assert_eq!(
            one(r#""\uFFFE""#),
            Err("JSON parse error, \\uFFFE is not a valid Unicode character".into())
        );
        assert_eq!(
            one(r#""\u12""#),
            Err("JSON parse error, \\u12\" is not a valid Unicode character".into())
        );
        assert_eq!(
            one(r#""\u""#),
            Err("JSON parse error, \\u\" is not a valid Unicode character".into())
        );
        assert_eq!(
            one("\"\\u123\u{e9}\""),
            Err("JSON parse error, \\u123\u{FFFD} is not a valid Unicode character".into())
        );
        assert_eq!(
            one("\"\\u1\u{e9}\""),
            Err("JSON parse error, \\u1\u{e9}\" is not a valid Unicode character".into())
        );
        assert_eq!(
            one(r#""\ud800\u12""#),
            Err("JSON parse error, \\ud800 is not a valid Unicode character".into())
        );
    }

    #[test]
    fn raw_text_validation() {
        assert_eq!(one_bytes(b"\"\xC0\x80\"").unwrap(), json!("\u{0}"));
        assert_eq!(
            one_bytes(b"\"guest-\xC3(ping\""),
            Err("JSON parse error, invalid UTF-8 sequence in string".into())
        );
        assert_eq!(
            one("\"\u{FDD0}\""),
            Err("JSON parse error, invalid UTF-8 sequence in string".into())
        );
        assert_eq!(one("\"\u{10FFFD}\"").unwrap(), json!("\u{10FFFD}"));
        // The first error wins, left to right.
        assert_eq!(
            one_bytes(b"\"\xC3(\\x\""),
            Err("JSON parse error, invalid UTF-8 sequence in string".into())
        );
    }

    #[test]
    fn grammar_errors() {
        let e = |m: &str| Err(format!("JSON parse error, {m}"));
        assert_eq!(one("}"), e("expecting value"));
        assert_eq!(one(":"), e("expecting value"));
        assert_eq!(one("[1,]"), e("expecting value"));
        assert_eq!(one("[1 2]"), e("expected separator in list"));
        assert_eq!(one(r#"{"a" 1}"#), e("missing : in object pair"));
        assert_eq!(one(r#"{"a"}"#), e("missing : in object pair"));
        assert_eq!(one(r#"{"a":1,}"#), e("expecting value"));
        assert_eq!(one(r#"{"a":1 "b":2}"#), e("expected separator in dict"));
        assert_eq!(one(r#"{1:2}"#), e("key is not a string in object"));
        assert_eq!(one(r#"{{}:2}"#), e("key is not a string in object"));
        assert_eq!(one(r#"{"a":}"#), e("expecting value"));
        assert_eq!(one(r#"{"a":1,"a":2}"#), e("duplicate key"));
        assert_eq!(one(r#"{"a":1,"a":[}]"#), e("expecting value"));
        assert_eq!(one(r#"{{"a":1,"a":2}:1}"#), e("duplicate key"));
        assert_eq!(one("[}"), e("expecting value"));
        assert_eq!(one(r#"{"a":1]"#), e("expected separator in dict"));
    }

    #[test]
    fn empty_token_list_is_premature_end() {
        assert_eq!(parse(&[], b""), Err(premature_end()));
    }

    #[test]
    fn ascii_runs_stop_at_every_special_byte() {
        for special in [b'"', b'\\', 0x80, 0xFF] {
            for at in 0..20 {
                let mut bytes = vec![b'A'; 24];
                bytes[at] = special;
                assert_eq!(ascii_run(&bytes, b'"'), at, "{special:#x} at {at}");
            }
        }
        assert_eq!(ascii_run(&[0x7F; 17], b'"'), 17);
        assert_eq!(ascii_run(b"abcdefghij'", b'\''), 10);
    }

    #[test]
    fn deep_nesting_uses_no_call_stack() {
        let depth = 1024;
        let input = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
        let mut v = one(&input).unwrap();
        let mut seen = 1;
        while let Value::Array(mut items) = v {
            match items.pop() {
                Some(inner) => {
                    seen += 1;
                    v = inner;
                }
                None => break,
            }
        }
        assert_eq!(seen, depth);
    }
}
