//! The serialiser: JSON text exactly as qemu-ga writes it.
//!
//! - one line: `": "` after keys, `", "` between members and elements,
//!   `{}` / `[]` when empty;
//! - object members in QEMU's dictionary order (see [`qdict`]);
//! - strings: `\"`, `\\`, `\b \f \n \r \t`; every other control
//!   character, DEL and non-ASCII character as `\uXXXX` with upper-case
//!   hex, astral characters as a surrogate pair; Unicode noncharacters as
//!   `\uFFFD` (QEMU cannot encode them); `/` as is;
//! - integers as they are, doubles as `%.17g`.
//!
//! The writer appends to a `Vec<u8>` and keeps its own stack, so it needs
//! no call stack however deep the value.
//!
//! [`qdict`]: super::qdict

use serde_json::{Number, Value};

use super::float::write_g17;
use super::qdict;
use super::utf8;

const HEX: &[u8; 16] = b"0123456789ABCDEF";

/// Appends the JSON text of `value` to `out`.
pub fn write_value(out: &mut Vec<u8>, value: &Value) {
    Writer::default().write(out, value);
}

/// Appends the JSON text of `value` with the string `hole`, a reference
/// to a string inside `value`, written empty, and returns where its text
/// goes: the offset in `out` between its quotes. `None` (and the hole
/// written as it is) when `hole` is not a string of `value`.
///
/// This lets a caller produce a huge string member piece by piece, in
/// place, with everything around it serialised exactly as here.
pub fn write_value_with_hole(out: &mut Vec<u8>, value: &Value, hole: &Value) -> Option<usize> {
    let mut writer = Writer {
        hole: Some(hole).filter(|h| h.is_string()),
        ..Writer::default()
    };
    writer.write(out, value);
    writer.hole_at
}

/// The JSON text of `value`.
pub fn to_vec(value: &Value) -> Vec<u8> {
    let mut out = Vec::new();
    write_value(&mut out, value);
    out
}

/// A container being written.
enum Frame<'a> {
    Array(std::slice::Iter<'a, Value>, bool),
    /// The members in `members[start..end]`; `next` is the next to write.
    Object {
        start: usize,
        next: usize,
        end: usize,
    },
}

#[derive(Default)]
struct Writer<'a> {
    stack: Vec<Frame<'a>>,
    /// Members of the objects being written, each object's already sorted.
    members: Vec<(u16, &'a str, &'a Value)>,
    /// The string to write empty (see [`write_value_with_hole`]).
    hole: Option<&'a Value>,
    /// Where the hole's text goes, once written.
    hole_at: Option<usize>,
}

impl<'a> Writer<'a> {
    fn write(&mut self, out: &mut Vec<u8>, value: &'a Value) {
        let mut pending = Some(value);
        loop {
            if let Some(value) = pending.take() {
                self.open(out, value);
            }
            match self.stack.last_mut() {
                None => return,
                Some(Frame::Array(items, first)) => match items.next() {
                    Some(item) => {
                        if !*first {
                            out.extend_from_slice(b", ");
                        }
                        *first = false;
                        pending = Some(item);
                    }
                    None => {
                        out.push(b']');
                        self.stack.pop();
                    }
                },
                Some(Frame::Object { start, next, end }) => {
                    if let Some(&(_, key, item)) = self.members.get(*next).filter(|_| next < end) {
                        if next > start {
                            out.extend_from_slice(b", ");
                        }
                        *next += 1;
                        write_string(out, key);
                        out.extend_from_slice(b": ");
                        pending = Some(item);
                    } else {
                        let start = *start;
                        out.push(b'}');
                        self.members.truncate(start);
                        self.stack.pop();
                    }
                }
            }
        }
    }

    /// Writes a scalar, or the opening of a container (pushing a frame).
    fn open(&mut self, out: &mut Vec<u8>, value: &'a Value) {
        if self.hole.is_some_and(|hole| std::ptr::eq(hole, value)) {
            out.push(b'"');
            self.hole_at = Some(out.len());
            out.push(b'"');
            return;
        }
        match value {
            Value::Null => out.extend_from_slice(b"null"),
            Value::Bool(true) => out.extend_from_slice(b"true"),
            Value::Bool(false) => out.extend_from_slice(b"false"),
            Value::Number(n) => write_number(out, n),
            Value::String(s) => write_string(out, s),
            Value::Array(items) if items.is_empty() => out.extend_from_slice(b"[]"),
            Value::Array(items) => {
                out.push(b'[');
                self.stack.push(Frame::Array(items.iter(), true));
            }
            Value::Object(map) if map.is_empty() => out.extend_from_slice(b"{}"),
            Value::Object(map) => {
                out.push(b'{');
                let start = self.members.len();
                self.members.extend(
                    map.iter()
                        .rev()
                        .map(|(k, v)| (qdict::bucket(k), k.as_str(), v)),
                );
                let end = self.members.len();
                if let Some(members) = self.members.get_mut(start..) {
                    // Stable: same-bucket members keep reversed insertion order.
                    members.sort_by_key(|m| m.0);
                }
                self.stack.push(Frame::Object {
                    start,
                    next: start,
                    end,
                });
            }
        }
    }
}

fn write_number(out: &mut Vec<u8>, n: &Number) {
    if let Some(i) = n.as_i64() {
        if i < 0 {
            out.push(b'-');
        }
        write_u64(out, i.unsigned_abs());
    } else if let Some(u) = n.as_u64() {
        write_u64(out, u);
    } else if let Some(f) = n.as_f64() {
        write_g17(out, f);
    }
}

fn write_u64(out: &mut Vec<u8>, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    loop {
        at -= 1;
        if let Some(slot) = digits.get_mut(at) {
            // The remainder is a single decimal digit.
            *slot = b'0' + (n % 10) as u8;
        }
        n /= 10;
        if n == 0 || at == 0 {
            break;
        }
    }
    out.extend_from_slice(digits.get(at..).unwrap_or_default());
}

/// Whether a byte is copied as is inside a string.
fn is_plain(b: u8) -> bool {
    (0x20..0x7F).contains(&b) && b != b'"' && b != b'\\'
}

fn write_u_escape(out: &mut Vec<u8>, unit: u32) {
    out.extend_from_slice(b"\\u");
    for shift in [12, 8, 4, 0] {
        let nibble = (unit >> shift) & 0xF;
        out.push(HEX.get(nibble as usize).copied().unwrap_or(b'0'));
    }
}

/// Appends `s` as a quoted, escaped JSON string.
pub(crate) fn write_string(out: &mut Vec<u8>, s: &str) {
    let bytes = s.as_bytes();
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    let mut i = 0;
    while let Some(rest) = bytes.get(i..).filter(|r| !r.is_empty()) {
        let run = rest
            .iter()
            .position(|&b| !is_plain(b))
            .unwrap_or(rest.len());
        out.extend_from_slice(rest.get(..run).unwrap_or_default());
        i += run;
        let Some(&b) = bytes.get(i) else { break };
        if b < 0x80 {
            match b {
                b'"' => out.extend_from_slice(b"\\\""),
                b'\\' => out.extend_from_slice(b"\\\\"),
                0x08 => out.extend_from_slice(b"\\b"),
                0x0C => out.extend_from_slice(b"\\f"),
                b'\n' => out.extend_from_slice(b"\\n"),
                b'\r' => out.extend_from_slice(b"\\r"),
                b'\t' => out.extend_from_slice(b"\\t"),
                _ => write_u_escape(out, u32::from(b)),
            }
            i += 1;
            continue;
        }
        let Some(c) = s.get(i..).and_then(|r| r.chars().next()) else {
            break;
        };
        i += c.len_utf8();
        let cp = u32::from(c);
        if utf8::is_noncharacter(cp) {
            write_u_escape(out, u32::from(utf8::REPLACEMENT));
        } else if cp > 0xFFFF {
            let offset = cp - 0x1_0000;
            write_u_escape(out, 0xD800 + (offset >> 10));
            write_u_escape(out, 0xDC00 + (offset & 0x3FF));
        } else {
            write_u_escape(out, cp);
        }
    }
    out.push(b'"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn text(value: &Value) -> String {
        String::from_utf8(to_vec(value)).unwrap()
    }

    #[test]
    fn separators_and_empties() {
        assert_eq!(text(&json!({"return": {}})), r#"{"return": {}}"#);
        assert_eq!(text(&json!([])), "[]");
        assert_eq!(text(&json!([1, [2, []], {}])), "[1, [2, []], {}]");
        assert_eq!(text(&json!(null)), "null");
        assert_eq!(text(&json!([true, false])), "[true, false]");
    }

    #[test]
    fn member_order_is_qdict_order() {
        assert_eq!(
            text(&json!({"return": {"eof": false, "buf-b64": "aGVsbG8=", "count": 5}})),
            r#"{"return": {"count": 5, "buf-b64": "aGVsbG8=", "eof": false}}"#
        );
        assert_eq!(
            text(&json!({"error": {"desc": "d", "class": "GenericError"}, "id": "abc"})),
            r#"{"id": "abc", "error": {"class": "GenericError", "desc": "d"}}"#
        );
        assert_eq!(
            text(&json!({"id": 99, "return": {}})),
            r#"{"return": {}, "id": 99}"#
        );
        assert_eq!(
            text(&json!({"id": [1, {"a": null}], "error": {}})),
            r#"{"id": [1, {"a": null}], "error": {}}"#
        );
    }

    #[test]
    fn same_bucket_members_come_newest_first() {
        // load1m and load5m share a bucket; guest-get-load inserts them in
        // schema order and the wire shows load5m first.
        let mut map = serde_json::Map::new();
        for (key, value) in [
            ("load1m", 0.1201171875),
            ("load5m", 0.20849609375),
            ("load15m", 0.5224609375),
        ] {
            map.insert(key.to_owned(), json!(value));
        }
        assert_eq!(
            text(&Value::Object(map)),
            r#"{"load15m": 0.5224609375, "load5m": 0.20849609375, "load1m": 0.1201171875}"#
        );
    }

    #[test]
    fn numbers() {
        assert_eq!(
            text(&json!([0, -5, i64::MAX, i64::MIN, u64::MAX])),
            "[0, -5, 9223372036854775807, -9223372036854775808, 18446744073709551615]"
        );
        assert_eq!(
            text(&json!([0.1, 1.5e300, 1.0, -0.0])),
            "[0.10000000000000001, 1.5000000000000001e+300, 1, -0]"
        );
    }

    #[test]
    fn string_escapes_as_on_the_wire() {
        let name = "a\"b\\c/d\u{7f}\u{1}\t\u{e9}\u{1F600}\u{e9}\u{1F600} z";
        assert_eq!(
            text(&json!(name)),
            r#""a\"b\\c/d\u007F\u0001\t\u00E9\uD83D\uDE00\u00E9\uD83D\uDE00 z""#
        );
        assert_eq!(
            text(&json!("a\u{8}\u{c}\r\n\u{1f}~~")),
            r#""a\b\f\r\n\u001F~~""#
        );
        assert_eq!(text(&json!("x\u{0}y")), r#""x\u0000y""#);
        assert_eq!(text(&json!("\u{201C}q\u{201D}")), r#""\u201Cq\u201D""#);
        assert_eq!(text(&json!("\u{FFFD}")), r#""\uFFFD""#);
        assert_eq!(text(&json!("\u{FFFE}\u{FDD0}")), r#""\uFFFD\uFFFD""#);
        assert_eq!(text(&json!("\u{10FFFF}")), r#""\uFFFD""#);
        assert_eq!(text(&json!("\u{10FFFD}")), r#""\uDBFF\uDFFD""#);
    }

    #[test]
    fn keys_are_escaped_too() {
        assert_eq!(text(&json!({"a\"\u{e9}": 1})), r#"{"a\"\u00E9": 1}"#);
    }

    #[test]
    fn a_hole_is_written_empty_where_its_text_goes() {
        let v =
            json!({"id": "\"buf-b64\": \"", "return": {"eof": true, "buf-b64": "xyz", "count": 3}});
        let hole = v.pointer("/return/buf-b64").unwrap();
        let mut out = b">".to_vec();
        let at = write_value_with_hole(&mut out, &v, hole).unwrap();
        let (head, tail) = out.split_at(at);
        let whole = [head, b"xyz", tail].concat();
        assert_eq!(whole, [&b">"[..], &to_vec(&v)].concat());
        assert!(
            head.ends_with(b"\"buf-b64\": \""),
            "{}",
            String::from_utf8_lossy(head)
        );
        // An equal string elsewhere is not the hole: only the reference counts.
        let v = json!(["xyz", "xyz"]);
        let mut out = Vec::new();
        assert_eq!(write_value_with_hole(&mut out, &v, &v[1]), Some(9));
        assert_eq!(out, br#"["xyz", ""]"#);
        // Not a string of the value: written whole, no hole.
        let mut out = Vec::new();
        assert_eq!(write_value_with_hole(&mut out, &v, &json!("xyz")), None);
        assert_eq!(out, br#"["xyz", "xyz"]"#);
        let mut out = Vec::new();
        assert_eq!(write_value_with_hole(&mut out, &v, &v), None);
    }

    #[test]
    fn deep_values_need_no_call_stack() {
        let mut v = json!(1);
        for _ in 0..100_000 {
            v = Value::Array(vec![v]);
        }
        let out = to_vec(&v);
        assert_eq!(out.len(), 200_001);
        // Take it apart iteratively: dropping it recursively could overflow.
        while let Value::Array(mut items) = v {
            v = items.pop().unwrap_or(Value::Null);
        }
    }
}
