//! A small, strict reader and value escaper for GLib key files.
//!
//! qemu-ga reads its configuration with GLib's `GKeyFile`, so the accepted
//! syntax and the error messages here follow GLib (as measured against the
//! real agent):
//!
//! - lines are split on `\n`; one `\r` before the `\n` is dropped;
//! - leading ASCII whitespace is ignored; empty lines and lines starting with
//!   `#` are comments;
//! - `[name]` (optionally followed by spaces or tabs) opens a group; a group
//!   seen twice is reopened;
//! - `key=value`: whitespace around the key and before the value is dropped,
//!   trailing whitespace of the value is kept; a repeated key replaces the
//!   earlier value; `key[locale]` is a distinct key;
//! - a key/value line before any group, a bad group or key name, an
//!   `Encoding` other than UTF-8 in the first group, or any other line is an
//!   error that rejects the whole file.
//!
//! Values are decoded on access ([`KeyFile::string`], [`KeyFile::boolean`],
//! [`KeyFile::unsigned`]), again with GLib's rules and messages.

use std::fmt;

/// Why a key file, or one of its values, was rejected. `Display` gives
/// GLib's own message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyFileError {
    /// A line that is neither a comment, a group header nor `key=value`.
    NotKeyValue(String),
    /// A `key=value` line before the first group header.
    NoGroup,
    /// A group header with an empty name or a `[` or control character.
    InvalidGroupName(String),
    /// A key that is empty, starts or ends with a space, or has a malformed
    /// `[locale]` suffix.
    InvalidKeyName(String),
    /// `Encoding=` in the first group with a value other than `UTF-8`.
    UnsupportedEncoding(String),
    /// A string value that is not valid UTF-8.
    NotUtf8 {
        /// The key.
        key: String,
        /// The value, with invalid sequences replaced.
        value: String,
    },
    /// A string with a bad escape sequence, or a boolean that is not
    /// `true`, `false`, `1` or `0`.
    InvalidValue {
        /// The key.
        key: String,
    },
    /// A value that is not an unsigned number in range.
    InvalidNumber {
        /// The key.
        key: String,
        /// The group holding the key.
        group: String,
    },
}

impl fmt::Display for KeyFileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotKeyValue(line) => write!(
                f,
                "Key file contains line \u{201c}{line}\u{201d} which is not a key-value pair, group, or comment"
            ),
            Self::NoGroup => f.write_str("Key file does not start with a group"),
            Self::InvalidGroupName(name) => write!(f, "Invalid group name: {name}"),
            Self::InvalidKeyName(name) => write!(f, "Invalid key name: {name}"),
            Self::UnsupportedEncoding(enc) => write!(
                f,
                "Key file contains unsupported encoding \u{201c}{enc}\u{201d}"
            ),
            Self::NotUtf8 { key, value } => write!(
                f,
                "Key file contains key \u{201c}{key}\u{201d} with value \u{201c}{value}\u{201d} which is not UTF-8"
            ),
            Self::InvalidValue { key } => write!(
                f,
                "Key file contains key \u{201c}{key}\u{201d} which has a value that cannot be interpreted."
            ),
            Self::InvalidNumber { key, group } => write!(
                f,
                "Key file contains key \u{201c}{key}\u{201d} in group \u{201c}{group}\u{201d} which has a value that cannot be interpreted."
            ),
        }
    }
}

impl std::error::Error for KeyFileError {}

/// One `[group]` and its keys, in file order.
#[derive(Debug, Clone, Default)]
struct Group {
    name: Vec<u8>,
    entries: Vec<(Vec<u8>, Vec<u8>)>,
}

/// A parsed key file: groups of raw (still escaped) values.
#[derive(Debug, Clone, Default)]
pub struct KeyFile {
    groups: Vec<Group>,
}

/// GLib's `g_ascii_isspace`: space, `\t`, `\n`, `\f`, `\r` (not `\v`).
fn is_space(b: u8) -> bool {
    b.is_ascii_whitespace()
}

fn lossy(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Whether `line` (without its leading whitespace) is a group header.
fn is_group_line(line: &[u8]) -> bool {
    let Some(rest) = line.strip_prefix(b"[") else {
        return false;
    };
    match rest.iter().position(|&b| b == b']') {
        Some(close) => rest
            .get(close + 1..)
            .unwrap_or_default()
            .iter()
            .all(|&b| b == b' ' || b == b'\t'),
        None => false,
    }
}

fn is_group_name(name: &[u8]) -> bool {
    !name.is_empty()
        && name
            .iter()
            .all(|&b| b != b'[' && b != b']' && !b.is_ascii_control())
}

/// GLib's key name rule: non-empty, no `=`, `[` or `]` except for one
/// trailing `[locale]` made of alphanumerics and `-_.@`, no space at either
/// end of the name proper.
fn is_key_name(key: &[u8]) -> bool {
    let stop = key
        .iter()
        .position(|&b| b == b'[' || b == b']')
        .unwrap_or(key.len());
    let Some(name) = key.get(..stop).filter(|n| !n.is_empty()) else {
        return false;
    };
    if name.first() == Some(&b' ') || name.last() == Some(&b' ') {
        return false;
    }
    let tail = key.get(stop..).unwrap_or_default();
    let Some(locale) = tail.strip_prefix(b"[") else {
        return tail.is_empty();
    };
    match locale.split_last() {
        Some((b']', body)) => std::str::from_utf8(body)
            .is_ok_and(|s| s.chars().all(|c| c.is_alphanumeric() || "-_.@".contains(c))),
        _ => false,
    }
}

impl KeyFile {
    /// Parses the whole text of a key file.
    pub fn parse(data: &[u8]) -> Result<Self, KeyFileError> {
        let mut file = KeyFile::default();
        let mut current: Option<usize> = None;
        for raw in data.split(|&b| b == b'\n') {
            let line = raw.strip_suffix(b"\r").unwrap_or(raw);
            // GLib handles lines as C strings: nothing after a NUL counts.
            let line = match line.iter().position(|&b| b == 0) {
                Some(nul) => line.get(..nul).unwrap_or_default(),
                None => line,
            };
            let start = line
                .iter()
                .position(|&b| !is_space(b))
                .unwrap_or(line.len());
            let body = line.get(start..).unwrap_or_default();
            if body.is_empty() || body.first() == Some(&b'#') {
                continue;
            }
            if is_group_line(body) {
                current = Some(file.open_group(body)?);
            } else if body.contains(&b'=') && body.first() != Some(&b'=') {
                let index = current.ok_or(KeyFileError::NoGroup)?;
                file.add_pair(index, body)?;
            } else {
                return Err(KeyFileError::NotKeyValue(lossy(line)));
            }
        }
        Ok(file)
    }

    /// Opens (or reopens) the group of a header line; returns its index.
    fn open_group(&mut self, header: &[u8]) -> Result<usize, KeyFileError> {
        let inner = header.get(1..).unwrap_or_default();
        let close = inner.iter().position(|&b| b == b']').unwrap_or(inner.len());
        let name = inner.get(..close).unwrap_or_default();
        if !is_group_name(name) {
            return Err(KeyFileError::InvalidGroupName(lossy(name)));
        }
        if let Some(index) = self.groups.iter().position(|g| g.name == name) {
            return Ok(index);
        }
        self.groups.push(Group {
            name: name.to_vec(),
            entries: Vec::new(),
        });
        Ok(self.groups.len() - 1)
    }

    /// Adds the `key=value` line `line` to group `index`.
    fn add_pair(&mut self, index: usize, line: &[u8]) -> Result<(), KeyFileError> {
        let eq = line.iter().position(|&b| b == b'=').unwrap_or(line.len());
        let mut key = line.get(..eq).unwrap_or_default();
        while let Some((&last, rest)) = key.split_last() {
            if !is_space(last) {
                break;
            }
            key = rest;
        }
        if !is_key_name(key) {
            return Err(KeyFileError::InvalidKeyName(lossy(key)));
        }
        let mut value = line.get(eq + 1..).unwrap_or_default();
        while let Some((&first, rest)) = value.split_first() {
            if !is_space(first) {
                break;
            }
            value = rest;
        }
        if index == 0 && key == b"Encoding" && !value.eq_ignore_ascii_case(b"UTF-8") {
            return Err(KeyFileError::UnsupportedEncoding(lossy(value)));
        }
        let Some(group) = self.groups.get_mut(index) else {
            return Err(KeyFileError::NoGroup);
        };
        match group.entries.iter_mut().find(|(k, _)| k == key) {
            Some(entry) => entry.1 = value.to_vec(),
            None => group.entries.push((key.to_vec(), value.to_vec())),
        }
        Ok(())
    }

    /// The raw (undecoded) value of `key` in `group`, if present.
    pub fn raw(&self, group: &str, key: &str) -> Option<&[u8]> {
        self.groups
            .iter()
            .find(|g| g.name == group.as_bytes())?
            .entries
            .iter()
            .find(|(k, _)| k == key.as_bytes())
            .map(|(_, v)| v.as_slice())
    }

    /// The value of `key` as a string (`g_key_file_get_string`): it must be
    /// UTF-8, and the escapes `\s \n \t \r \\` are decoded.
    pub fn string(&self, group: &str, key: &str) -> Option<Result<String, KeyFileError>> {
        let raw = self.raw(group, key)?;
        let Ok(text) = std::str::from_utf8(raw) else {
            return Some(Err(KeyFileError::NotUtf8 {
                key: key.to_owned(),
                value: lossy(raw),
            }));
        };
        Some(unescape(text).ok_or_else(|| KeyFileError::InvalidValue {
            key: key.to_owned(),
        }))
    }

    /// The value of `key` as a boolean (`g_key_file_get_boolean`): `true`
    /// or `1`, `false` or `0`, case-sensitive, trailing whitespace allowed.
    pub fn boolean(&self, group: &str, key: &str) -> Option<Result<bool, KeyFileError>> {
        let raw = trim_end(self.raw(group, key)?);
        Some(match raw {
            b"true" | b"1" => Ok(true),
            b"false" | b"0" => Ok(false),
            _ => Err(KeyFileError::InvalidValue {
                key: key.to_owned(),
            }),
        })
    }

    /// The value of `key` as an unsigned 32-bit decimal number (trailing
    /// whitespace allowed).
    pub fn unsigned(&self, group: &str, key: &str) -> Option<Result<u32, KeyFileError>> {
        let raw = trim_end(self.raw(group, key)?);
        let parsed = std::str::from_utf8(raw)
            .ok()
            .filter(|s| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|s| s.parse().ok());
        Some(parsed.ok_or_else(|| KeyFileError::InvalidNumber {
            key: key.to_owned(),
            group: group.to_owned(),
        }))
    }
}

fn trim_end(mut raw: &[u8]) -> &[u8] {
    while let Some((&last, rest)) = raw.split_last() {
        if !is_space(last) {
            break;
        }
        raw = rest;
    }
    raw
}

/// Decodes GLib string escapes; `None` for an unknown or dangling escape.
fn unescape(text: &str) -> Option<String> {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        out.push(match chars.next()? {
            's' => ' ',
            'n' => '\n',
            't' => '\t',
            'r' => '\r',
            '\\' => '\\',
            _ => return None,
        });
    }
    Some(out)
}

/// Escapes a string the way `g_key_file_set_string` stores it: `\n`, `\r`
/// and `\\` everywhere, and spaces and tabs (as `\s`, `\t`) only before the
/// first other character.
pub fn escape_value(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut leading = true;
    for c in value.chars() {
        match c {
            ' ' if leading => out.push_str("\\s"),
            '\t' if leading => out.push_str("\\t"),
            ' ' | '\t' => out.push(c),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\\' => {
                out.push_str("\\\\");
                leading = false;
            }
            _ => {
                out.push(c);
                leading = false;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<KeyFile, KeyFileError> {
        KeyFile::parse(text.as_bytes())
    }

    fn err(text: &str) -> String {
        parse(text).unwrap_err().to_string()
    }

    fn get(text: &str, key: &str) -> Option<Result<String, KeyFileError>> {
        parse(text).unwrap().string("general", key)
    }

    #[test]
    fn groups_keys_comments_and_blank_lines() {
        let kf = parse("# top\n\n[general]\n  # indented comment\n  method = isa-serial\n\t\n[other]\nfoo=bar\n").unwrap();
        assert_eq!(kf.raw("general", "method"), Some(&b"isa-serial"[..]));
        assert_eq!(kf.raw("other", "foo"), Some(&b"bar"[..]));
        assert_eq!(kf.raw("general", "foo"), None);
        assert_eq!(kf.raw("missing", "foo"), None);
    }

    #[test]
    fn empty_file_and_missing_final_newline() {
        assert!(parse("").unwrap().raw("general", "x").is_none());
        let kf = parse("[general]\nmethod=isa-serial").unwrap();
        assert_eq!(kf.raw("general", "method"), Some(&b"isa-serial"[..]));
    }

    #[test]
    fn crlf_drops_one_carriage_return_only() {
        let kf = parse("[general]\r\nmethod=isa-serial\r\npath=/x\r\r\n").unwrap();
        assert_eq!(kf.raw("general", "method"), Some(&b"isa-serial"[..]));
        assert_eq!(kf.raw("general", "path"), Some(&b"/x\r"[..]));
    }

    #[test]
    fn value_keeps_trailing_but_not_leading_whitespace() {
        let kf = parse("[general]\npath=  /x  \n").unwrap();
        assert_eq!(kf.raw("general", "path"), Some(&b"/x  "[..]));
    }

    #[test]
    fn later_keys_and_reopened_groups_win() {
        let kf = parse("[general]\nm=a\nm=b\n[x]\n[general]\nm=c\n").unwrap();
        assert_eq!(kf.raw("general", "m"), Some(&b"c"[..]));
    }

    #[test]
    fn group_header_may_have_trailing_blanks() {
        assert!(parse("[general] \t\nm=a\n").is_ok());
    }

    #[test]
    fn bad_lines_are_errors() {
        assert_eq!(
            err("garbage\n"),
            "Key file contains line \u{201c}garbage\u{201d} which is not a key-value pair, group, or comment"
        );
        assert_eq!(
            err("[general]x\n"),
            "Key file contains line \u{201c}[general]x\u{201d} which is not a key-value pair, group, or comment"
        );
        assert_eq!(
            err("[general]\n  =x\n"),
            "Key file contains line \u{201c}  =x\u{201d} which is not a key-value pair, group, or comment"
        );
        assert_eq!(
            err("\u{feff}[general]\n"),
            "Key file contains line \u{201c}\u{feff}[general]\u{201d} which is not a key-value pair, group, or comment"
        );
    }

    #[test]
    fn key_before_group_is_an_error() {
        assert_eq!(err("m=a\n"), "Key file does not start with a group");
    }

    #[test]
    fn group_names_are_checked() {
        assert_eq!(err("[]\n"), "Invalid group name: ");
        assert_eq!(err("[gen[eral]\n"), "Invalid group name: gen[eral");
        assert_eq!(err("[gen\u{1}eral]\n"), "Invalid group name: gen\u{1}eral");
    }

    #[test]
    fn key_names_are_checked() {
        assert_eq!(err("[g]\nx[d e]=z\n"), "Invalid key name: x[d e]");
        assert_eq!(err("[g]\nx]=z\n"), "Invalid key name: x]");
        assert_eq!(err("[g]\n[x=z\n"), "Invalid key name: [x");
        assert_eq!(err("[g]\nx [de]=z\n"), "Invalid key name: x [de]");
        let kf = parse("[g]\nx y=1\npath[de]=/loc\nk[sr@latin]=2\n").unwrap();
        assert_eq!(kf.raw("g", "x y"), Some(&b"1"[..]));
        assert_eq!(kf.raw("g", "path"), None);
        assert_eq!(kf.raw("g", "path[de]"), Some(&b"/loc"[..]));
    }

    #[test]
    fn encoding_only_checked_in_first_group() {
        assert_eq!(
            err("[general]\nEncoding=latin1\n"),
            "Key file contains unsupported encoding \u{201c}latin1\u{201d}"
        );
        assert!(parse("[general]\nEncoding=utf-8\n").is_ok());
        assert!(parse("[a]\n[general]\nEncoding=latin1\n").is_ok());
    }

    #[test]
    fn vertical_tab_is_not_whitespace() {
        let kf = parse("[general]\n\x0bmethod=isa-serial\n").unwrap();
        assert_eq!(kf.raw("general", "method"), None);
        assert_eq!(kf.raw("general", "\x0bmethod"), Some(&b"isa-serial"[..]));
    }

    #[test]
    fn nul_ends_a_line() {
        let kf = parse("[general]\npath=/a\0junk\n").unwrap();
        assert_eq!(kf.raw("general", "path"), Some(&b"/a"[..]));
    }

    #[test]
    fn string_escapes() {
        let text = "[general]\npath=\\s\\sa\\tb\\nc\\\\d\\re\n";
        assert_eq!(get(text, "path").unwrap().unwrap(), "  a\tb\nc\\d\re");
        assert_eq!(get(text, "nope"), None);
        for bad in ["a\\qb", "ab\\", "a\\;b", "a\\,b"] {
            let text = format!("[general]\npath={bad}\n");
            assert_eq!(
                get(&text, "path").unwrap().unwrap_err().to_string(),
                "Key file contains key \u{201c}path\u{201d} which has a value that cannot be interpreted."
            );
        }
    }

    #[test]
    fn string_must_be_utf8() {
        let kf = KeyFile::parse(b"[general]\npath=\xff\n").unwrap();
        assert_eq!(
            kf.string("general", "path").unwrap().unwrap_err().to_string(),
            "Key file contains key \u{201c}path\u{201d} with value \u{201c}\u{fffd}\u{201d} which is not UTF-8"
        );
    }

    #[test]
    fn booleans() {
        let kf =
            parse("[g]\na=true\nb=1\nc=false\nd=0\ne=true \t\nf=True\ng=yes\nh=\ni=10\nj=truex\n")
                .unwrap();
        let b = |k| kf.boolean("g", k).unwrap();
        assert_eq!(b("a"), Ok(true));
        assert_eq!(b("b"), Ok(true));
        assert_eq!(b("c"), Ok(false));
        assert_eq!(b("d"), Ok(false));
        assert_eq!(b("e"), Ok(true));
        for bad in ["f", "g", "h", "i", "j"] {
            assert_eq!(
                b(bad).unwrap_err().to_string(),
                format!("Key file contains key \u{201c}{bad}\u{201d} which has a value that cannot be interpreted.")
            );
        }
        assert!(kf.boolean("g", "zz").is_none());
    }

    #[test]
    fn unsigned_numbers() {
        let kf = parse("[g]\na=30\nb=0 \nc=-1\nd=4294967296\ne=\nf=+3\ng=4294967295\n").unwrap();
        let n = |k| kf.unsigned("g", k).unwrap();
        assert_eq!(n("a"), Ok(30));
        assert_eq!(n("b"), Ok(0));
        assert_eq!(n("g"), Ok(u32::MAX));
        for bad in ["c", "d", "e", "f"] {
            assert_eq!(
                n(bad).unwrap_err().to_string(),
                format!("Key file contains key \u{201c}{bad}\u{201d} in group \u{201c}g\u{201d} which has a value that cannot be interpreted.")
            );
        }
    }

    #[test]
    fn escaping_round_trips() {
        assert_eq!(escape_value("  a\tb \nc\\d\r"), "\\s\\sa\tb \\nc\\\\d\\r");
        assert_eq!(escape_value("\ta"), "\\ta");
        assert_eq!(escape_value(" y, x"), "\\sy, x");
        assert_eq!(escape_value("\\ x"), "\\\\ x");
        assert_eq!(escape_value(""), "");
        for s in ["  a\tb \nc\\d\r", "plain", " \t lead", "x\n "] {
            let text = format!("[g]\nk={}\n", escape_value(s));
            assert_eq!(parse(&text).unwrap().string("g", "k").unwrap().unwrap(), s);
        }
    }
}
