//! QEMU's value parser, token by token: builds a [`Value`] or stops at the
//! first problem in token order (a bad token, an unexpected token, a
//! duplicate key, nesting deeper than [`nesting::LIMIT`]) with QEMU's
//! message. Iterative, with an explicit stack, so depth costs no call
//! stack.

use crate::hash::HashSet;

use crate::diag::Error;
use crate::source::Span;
use crate::syntax::{Key, Value, ValueKind};

use super::lexer::{Lexer, Tok, Token};
use super::nesting;

/// Objects with more members than this check duplicates with a hash set.
const LINEAR_DUP_CHECK: usize = 8;

/// An object or array being read.
struct Open {
    /// Where it starts (end not known yet).
    span: Span,
    kind: OpenKind,
}

enum OpenKind {
    Object {
        members: Vec<(Key, Value)>,
        /// The key whose value is being read.
        key: Option<Key>,
        /// Key names, once the object is large.
        seen: Option<HashSet<String>>,
    },
    Array(Vec<Value>),
}

/// Read the value whose first token is `first`; returns it and the token
/// after it.
pub(crate) fn read(lx: &mut Lexer, first: Token) -> Result<(Value, Token), Error> {
    let compat = lx.compat();
    let mut stack: Vec<Open> = Vec::new();
    let mut tok = first;
    'value: loop {
        // A value starts at `tok` (QEMU's get_expr).
        let mut done = match tok.kind {
            Tok::LBrace | Tok::LBracket if stack.len() >= nesting::LIMIT => {
                return Err(lx.error_at(tok, nesting::too_deep_message()));
            }
            Tok::LBrace => {
                let span = lx.span(tok.start, tok.end);
                tok = lx.next(true)?;
                match tok.kind {
                    Tok::RBrace => {
                        let value = finish(span, tok, ValueKind::Object(Vec::new()));
                        tok = lx.next(true)?;
                        value
                    }
                    Tok::Str => {
                        let mut open = Open {
                            span,
                            kind: OpenKind::Object {
                                members: Vec::new(),
                                key: None,
                                seen: None,
                            },
                        };
                        tok = member(lx, &mut open, tok)?;
                        stack.push(open);
                        continue 'value;
                    }
                    _ => return Err(lx.error_at(tok, "expected string or '}'")),
                }
            }
            Tok::LBracket => {
                let span = lx.span(tok.start, tok.end);
                tok = lx.next(true)?;
                match tok.kind {
                    Tok::RBracket => {
                        let value = finish(span, tok, ValueKind::Array(Vec::new()));
                        tok = lx.next(true)?;
                        value
                    }
                    Tok::LBrace | Tok::LBracket | Tok::Str | Tok::True | Tok::False => {
                        stack.push(Open {
                            span,
                            kind: OpenKind::Array(Vec::new()),
                        });
                        continue 'value;
                    }
                    _ => {
                        let msg = "expected '{', '[', ']', string, or boolean";
                        return Err(lx.error_at(tok, msg));
                    }
                }
            }
            Tok::Str | Tok::True | Tok::False => {
                let span = lx.span(tok.start, tok.end);
                let kind = match tok.kind {
                    Tok::Str => ValueKind::Str(lx.string_value(tok)),
                    kind => ValueKind::Bool(kind == Tok::True),
                };
                tok = lx.next(true)?;
                Value { kind, span }
            }
            _ => return Err(lx.error_at(tok, "expected '{', '[', string, or boolean")),
        };
        // Value `done` just ended; `tok` follows it.
        loop {
            let Some(open) = stack.last_mut() else {
                return Ok((done, tok));
            };
            match &mut open.kind {
                OpenKind::Object { members, key, .. } => {
                    if let Some(key) = key.take() {
                        members.push((key, done));
                    }
                    match tok.kind {
                        Tok::RBrace => {}
                        Tok::Comma => {
                            tok = lx.next(true)?;
                            if tok.kind != Tok::Str {
                                return Err(lx.error_at(tok, "expected string"));
                            }
                            tok = member(lx, open, tok)?;
                            continue 'value;
                        }
                        Tok::Str if compat => {
                            tok = member(lx, open, tok)?;
                            continue 'value;
                        }
                        _ => return Err(lx.error_at(tok, "expected ',' or '}'")),
                    }
                }
                OpenKind::Array(items) => {
                    items.push(done);
                    match tok.kind {
                        Tok::RBracket => {}
                        Tok::Comma => {
                            tok = lx.next(true)?;
                            continue 'value;
                        }
                        _ => return Err(lx.error_at(tok, "expected ',' or ']'")),
                    }
                }
            }
            // `tok` closes the innermost open value.
            let Some(open) = stack.pop() else {
                return Err(lx.error_at(tok, "unbalanced brackets"));
            };
            let kind = match open.kind {
                OpenKind::Object { members, .. } => ValueKind::Object(members),
                OpenKind::Array(items) => ValueKind::Array(items),
            };
            done = finish(open.span, tok, kind);
            tok = lx.next(true)?;
        }
    }
}

/// The value that started at `span` and ends with token `close`.
fn finish(mut span: Span, close: Token, kind: ValueKind) -> Value {
    span.end = super::position::to_u32(close.end);
    Value { kind, span }
}

/// Read `KEY :` of a member of object `open`, `key` being the key's token;
/// return the first token of the member's value.
fn member(lx: &mut Lexer, open: &mut Open, key: Token) -> Result<Token, Error> {
    let key = Key {
        span: lx.span(key.start, key.end),
        name: lx.string_value(key),
    };
    let colon = lx.next(true)?;
    if colon.kind != Tok::Colon {
        return Err(lx.error_at(colon, "expected ':'"));
    }
    let tok = lx.next(true)?;
    if let OpenKind::Object {
        members,
        key: pending,
        seen,
    } = &mut open.kind
    {
        let duplicate = match seen {
            Some(set) => !set.insert(key.name.clone()),
            None => members.iter().any(|(k, _)| k.name == key.name),
        };
        if duplicate {
            // QEMU reports it at the value's first token; the span covers
            // the value where its extent is plain.
            let end = match tok.kind {
                Tok::LBrace | Tok::LBracket => {
                    match nesting::extent(lx.source(), tok.start, lx.compat()) {
                        nesting::Extent::End(end) => end,
                        _ => tok.end,
                    }
                }
                _ => tok.end,
            };
            let msg = format!("duplicate key '{}'", key.name);
            return Err(lx.error(tok.start, end, msg));
        }
        if seen.is_none() && members.len() + 1 >= LINEAR_DUP_CHECK {
            let mut set: HashSet<String> = members.iter().map(|(k, _)| k.name.clone()).collect();
            set.insert(key.name.clone());
            *seen = Some(set);
        }
        *pending = Some(key);
    }
    Ok(tok)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceFile;
    use std::sync::Arc;

    fn read_text(text: &str, compat: bool) -> Result<(Value, Token), String> {
        let file = Arc::new(SourceFile {
            path: "t.json".to_string(),
            text: Arc::from(text),
            included_from: None,
        });
        let mut lx = Lexer::new(file, compat);
        let first = lx.next(true).map_err(|e| e.to_string())?;
        read(&mut lx, first).map_err(|e| e.to_string())
    }

    fn diag(text: &str, compat: bool) -> Option<String> {
        read_text(text, compat).err()
    }

    fn err(text: &str) -> String {
        diag(text, false).expect(text)
    }

    #[test]
    fn builds_located_values() {
        let text = "\n{ 'a': [ 'x\\\\y', true ],\n\t'b': { }, 'c': false } # c\n";
        let (v, next) = read_text(text, false).unwrap();
        assert_eq!(next.kind, Tok::Eof);
        assert_eq!((v.span.line, v.span.col, v.span.start), (2, 1, 1));
        assert_eq!(&text[v.span.end as usize - 1..v.span.end as usize], "}");
        let members = v.as_object().unwrap();
        assert_eq!(members.len(), 3);
        assert_eq!(
            (members[0].0.name.as_str(), members[0].0.span.col),
            ("a", 3)
        );
        assert_eq!((members[0].0.span.start, members[0].0.span.end), (3, 6));
        let arr = members[0].1.as_array().unwrap();
        assert_eq!(arr[0].as_str(), Some("x\\y"));
        assert_eq!((arr[0].span.line, arr[0].span.col), (2, 10));
        assert_eq!(arr[1].as_bool(), Some(true));
        assert_eq!((members[1].0.span.line, members[1].0.span.col), (3, 1));
        assert_eq!(members[1].1.as_object().map(<[_]>::len), Some(0));
        assert_eq!(members[2].1.as_bool(), Some(false));
    }

    #[test]
    fn duplicate_key_spans_cover_the_value() {
        let span = |text: &str| {
            let file = Arc::new(SourceFile {
                path: "t.json".to_string(),
                text: Arc::from(text),
                included_from: None,
            });
            let mut lx = Lexer::new(file, false);
            let first = lx.next(true).unwrap();
            let err = read(&mut lx, first).unwrap_err();
            err.span.map(|s| (s.start, s.end))
        };
        assert_eq!(span("{ 'a': 'x', 'a': [ [ ] ] }\n"), Some((17, 24)));
        assert_eq!(span("{ 'a': 'x', 'a': 'yz' }\n"), Some((17, 21)));
        assert_eq!(span("{ 'a': 'x', 'a': [ 'b\n ] }\n"), Some((17, 18)));
    }

    #[test]
    fn duplicate_keys_in_large_objects() {
        let many: Vec<String> = (0..20).map(|i| format!("'k{i}': true")).collect();
        let text = format!("{{ {}, 'k13': false }}\n", many.join(", "));
        let err = diag(&text, false).unwrap();
        assert!(err.ends_with("duplicate key 'k13'"), "{err}");
        let text = format!("{{ {}, 'k20': false }}\n", many.join(", "));
        assert_eq!(diag(&text, false), None);
    }

    #[test]
    fn valid_values_have_no_error() {
        for ok in [
            "{ }\n",
            "[ ]\n",
            "'x'\n",
            "true\n",
            "{ 'a': [ { 'b': false }, [ [ ] ] ], 'c': 'd' }\n",
        ] {
            assert_eq!(diag(ok, false), None, "{ok}");
        }
    }

    #[test]
    fn qemu_messages() {
        assert_eq!(
            err("{ 'key': 'value' 'key2': 'v' }\n"),
            "t.json:1:18: expected ',' or '}'"
        );
        assert_eq!(
            err("{ , 'a': 'b' }\n"),
            "t.json:1:3: expected string or '}'"
        );
        assert_eq!(err("{ 'a' 'b' }\n"), "t.json:1:7: expected ':'");
        assert_eq!(err("{ 'a': 'b', }\n"), "t.json:1:13: expected string");
        assert_eq!(
            err("[ , ]\n"),
            "t.json:1:3: expected '{', '[', ']', string, or boolean"
        );
        assert_eq!(err("[ 'a' 'b' ]\n"), "t.json:1:7: expected ',' or ']'");
        assert_eq!(
            err("[ 'a', ]\n"),
            "t.json:1:8: expected '{', '[', string, or boolean"
        );
        assert_eq!(
            err("{ 'a': : }\n"),
            "t.json:1:8: expected '{', '[', string, or boolean"
        );
        assert_eq!(
            err("}\n"),
            "t.json:1:1: expected '{', '[', string, or boolean"
        );
        // The token after the value is read too.
        assert_eq!(err("{ 'a': 'b' } ;\n"), "t.json:1:14: stray ';'");
    }

    #[test]
    fn end_of_file_is_the_final_newline() {
        assert_eq!(err("{ 'a': 'b'\n"), "t.json:1:11: expected ',' or '}'");
        assert_eq!(err("{ 'a': 'b',\n\n"), "t.json:2:1: expected string");
        assert_eq!(
            err("[\n"),
            "t.json:1:2: expected '{', '[', ']', string, or boolean"
        );
    }

    #[test]
    fn first_problem_in_token_order_wins() {
        // The duplicate key is seen when the token after the colon is read.
        assert_eq!(err("{ 'k': 1, 'k': 2 }\n"), "t.json:1:8: stray '1'");
        assert_eq!(err("{ 'k': 'a', 'k': ; }\n"), "t.json:1:18: stray ';'");
        assert_eq!(
            err("{ 'k': 'a', 'k': [ ; }\n"),
            "t.json:1:18: duplicate key 'k'"
        );
        assert_eq!(err("{ 'a': trueX }\n"), "t.json:1:12: stray 'X'");
        assert_eq!(err("[ true false ]\n"), "t.json:1:8: expected ',' or ']'");
        assert_eq!(
            err("{ 'a': 'b' ## doc\n}\n"),
            "t.json:1:12: expected ',' or '}'"
        );
        assert_eq!(
            err("{ 'a': 'b' # c\n , 'a\\x' }\n"),
            "t.json:2:4: unknown escape \\x"
        );
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let deep = format!("{}\n", "[".repeat(100_000));
        assert_eq!(err(&deep), "t.json:1:513: nesting too deep (limit 512)");
        let early = format!("[ x {}\n", "[".repeat(100_000));
        assert_eq!(err(&early), "t.json:1:3: stray 'x'");
        let ok = format!("{}{}\n", "[".repeat(512), "]".repeat(512));
        assert_eq!(diag(&ok, false), None);
    }

    #[test]
    fn compat_allows_missing_commas_between_members() {
        let text = "{ 'command': 'x'\n  'data': { 'a': 'b' } }\n";
        assert_eq!(
            diag(text, false).as_deref(),
            Some("t.json:2:3: expected ',' or '}'")
        );
        assert_eq!(diag(text, true), None);
        assert_eq!(
            diag("[ 'a' 'b' ]\n", true).as_deref(),
            Some("t.json:1:7: expected ',' or ']'")
        );
    }
}
