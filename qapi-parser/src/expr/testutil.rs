//! A tiny reader of schema text for the unit tests of this module (it
//! does not depend on the real parser; no error reporting to speak of).

use std::sync::Arc;

use crate::parse::{Parsed, Pragma, TopExpr};
use crate::source::{Info, SourceFile, Span};
use crate::syntax::{Key, Value, ValueKind};

struct Reader<'a> {
    text: &'a str,
    pos: usize,
    line: u32,
    line_start: usize,
}

impl Reader<'_> {
    fn skip_ws(&mut self) {
        while let Some(c) = self.text[self.pos..].chars().next() {
            if c == '#' {
                let end = self.text[self.pos..]
                    .find('\n')
                    .map_or(self.text.len(), |i| self.pos + i);
                self.pos = end;
            } else if c.is_whitespace() {
                if c == '\n' {
                    self.line += 1;
                    self.line_start = self.pos + 1;
                }
                self.pos += c.len_utf8();
            } else {
                break;
            }
        }
    }

    fn span(&self, start: usize, line: u32, col: u32) -> Span {
        Span {
            start: start as u32,
            end: self.pos as u32,
            line,
            col,
        }
    }

    fn peek(&mut self) -> Option<char> {
        self.skip_ws();
        self.text[self.pos..].chars().next()
    }

    fn expect(&mut self, c: char) {
        assert_eq!(self.peek(), Some(c), "test schema: expected {c:?}");
        self.pos += 1;
    }

    /// A string; a backslash takes the next character literally (as QEMU
    /// 1.2 to 2.3 did; only `\\` remains valid today).
    fn string(&mut self) -> String {
        self.expect('\'');
        let mut out = String::new();
        let mut chars = self.text[self.pos..].char_indices();
        while let Some((i, c)) = chars.next() {
            match c {
                '\'' => {
                    self.pos += i + 1;
                    return out;
                }
                '\\' => out.extend(chars.next().map(|(_, c)| c)),
                c => out.push(c),
            }
        }
        panic!("test schema: unterminated string")
    }

    /// A `,` between members or elements; old schemas sometimes lack one.
    fn comma(&mut self) {
        if self.peek() == Some(',') {
            self.pos += 1;
        }
    }

    fn value(&mut self) -> Value {
        let c = self.peek().expect("test schema: value expected");
        let (start, line) = (self.pos, self.line);
        let col = (self.pos - self.line_start) as u32 + 1;
        let kind = match c {
            '{' => {
                self.pos += 1;
                let mut members = Vec::new();
                while self.peek() != Some('}') {
                    if !members.is_empty() {
                        self.comma();
                    }
                    let (kstart, kline) = (self.pos, self.line);
                    let kcol = (self.pos - self.line_start) as u32 + 1;
                    let name = self.string();
                    let key = Key {
                        name,
                        span: self.span(kstart, kline, kcol),
                    };
                    self.expect(':');
                    members.push((key, self.value()));
                }
                self.pos += 1;
                ValueKind::Object(members)
            }
            '[' => {
                self.pos += 1;
                let mut items = Vec::new();
                while self.peek() != Some(']') {
                    if !items.is_empty() {
                        self.comma();
                    }
                    items.push(self.value());
                }
                self.pos += 1;
                ValueKind::Array(items)
            }
            '\'' => ValueKind::Str(self.string()),
            _ if self.text[self.pos..].starts_with("true") => {
                self.pos += 4;
                ValueKind::Bool(true)
            }
            _ if self.text[self.pos..].starts_with("false") => {
                self.pos += 5;
                ValueKind::Bool(false)
            }
            _ => panic!("test schema: bad character {c:?}"),
        };
        Value {
            kind,
            span: self.span(start, line, col),
        }
    }
}

fn reader(text: &str) -> Reader<'_> {
    Reader {
        text,
        pos: 0,
        line: 1,
        line_start: 0,
    }
}

/// One value.
pub(crate) fn value(text: &str) -> Value {
    reader(text).value()
}

/// A whole schema file named `test.json`: pragmas applied, includes
/// recorded but not followed, doc comments ignored.
pub(crate) fn parsed(text: &str, pragma: Pragma) -> Parsed {
    parsed_file("test.json", text, pragma)
}

/// Like [`parsed`], for file `path`.
pub(crate) fn parsed_file(path: &str, text: &str, mut pragma: Pragma) -> Parsed {
    let file = Arc::new(SourceFile {
        path: path.to_string(),
        text: Arc::from(text),
        included_from: None,
    });
    let mut r = reader(text);
    let mut exprs = Vec::new();
    while r.peek().is_some() {
        let value = r.value();
        let info = Info::new(file.clone(), value.span.line, value.span.col);
        if let Some(path) = value.get("include").and_then(Value::as_str) {
            exprs.push(TopExpr::Include {
                path: path.to_string(),
                info,
            });
        } else if let Some(fields) = value.get("pragma").and_then(Value::as_object) {
            for (key, v) in fields {
                apply_pragma(&mut pragma, &key.name, v);
            }
        } else {
            exprs.push(TopExpr::Expr {
                value,
                info,
                doc: None,
            });
        }
    }
    Parsed {
        files: vec![file],
        exprs,
        docs: Vec::new(),
        pragma,
    }
}

fn apply_pragma(pragma: &mut Pragma, key: &str, v: &Value) {
    let list = || -> Vec<String> {
        v.as_array()
            .unwrap_or_default()
            .iter()
            .filter_map(|s| s.as_str().map(str::to_string))
            .collect()
    };
    match key {
        "doc-required" => pragma.doc_required = v.as_bool() == Some(true),
        "command-name-exceptions" => pragma.command_name_exceptions = list(),
        "command-returns-exceptions" => pragma.command_returns_exceptions = list(),
        "member-name-exceptions" => pragma.member_name_exceptions = list(),
        "documentation-exceptions" => pragma.documentation_exceptions = list(),
        _ => {}
    }
}
