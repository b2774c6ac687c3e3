//! Finding QEMU's exact error in a value the grammar rejected.
//!
//! QEMU reads a value token by token with a recursive-descent parser and
//! stops at the first problem in token order: a bad token, an unexpected
//! token, a duplicate key. This module replays that walk over the tokens of
//! [`Lexer`], iteratively (with an explicit stack, so depth costs no call
//! stack), and reports the first problem with QEMU's message.

use std::collections::HashSet;

use crate::diag::Error;

use super::lexer::{Lexer, Tok, Token};
use super::nesting;

/// What is open around the current point.
enum Open {
    /// An object, with the keys seen so far.
    Object(HashSet<String>),
    /// An array.
    Array,
}

/// Find the first error of the value whose first token starts at byte
/// `start`. `None` when the value is in fact fine (which means the grammar
/// and this walk disagree).
pub(crate) fn first_error(lexer: &mut Lexer, start: usize) -> Option<Error> {
    lexer.seek(start);
    walk(lexer).err()
}

fn walk(lx: &mut Lexer) -> Result<(), Error> {
    let compat = lx.compat();
    let mut stack: Vec<Open> = Vec::new();
    let mut tok = lx.next(true)?;
    'value: loop {
        // A value starts at `tok` (QEMU's get_expr).
        match tok.kind {
            Tok::LBrace | Tok::LBracket if stack.len() >= nesting::LIMIT => {
                return Err(lx.error_at(tok, nesting::too_deep_message()));
            }
            Tok::LBrace => {
                tok = lx.next(true)?;
                match tok.kind {
                    Tok::RBrace => tok = lx.next(true)?,
                    Tok::Str => {
                        stack.push(Open::Object(HashSet::new()));
                        tok = member(lx, &mut stack, tok)?;
                        continue 'value;
                    }
                    _ => return Err(lx.error_at(tok, "expected string or '}'")),
                }
            }
            Tok::LBracket => {
                tok = lx.next(true)?;
                match tok.kind {
                    Tok::RBracket => tok = lx.next(true)?,
                    Tok::LBrace | Tok::LBracket | Tok::Str | Tok::True | Tok::False => {
                        stack.push(Open::Array);
                        continue 'value;
                    }
                    _ => {
                        let msg = "expected '{', '[', ']', string, or boolean";
                        return Err(lx.error_at(tok, msg));
                    }
                }
            }
            Tok::Str | Tok::True | Tok::False => tok = lx.next(true)?,
            _ => return Err(lx.error_at(tok, "expected '{', '[', string, or boolean")),
        }
        // A value just ended; `tok` follows it.
        loop {
            match stack.last() {
                None => return Ok(()),
                Some(Open::Object(_)) => match tok.kind {
                    Tok::RBrace => {
                        stack.pop();
                        tok = lx.next(true)?;
                    }
                    Tok::Comma => {
                        tok = lx.next(true)?;
                        if tok.kind != Tok::Str {
                            return Err(lx.error_at(tok, "expected string"));
                        }
                        tok = member(lx, &mut stack, tok)?;
                        continue 'value;
                    }
                    Tok::Str if compat => {
                        tok = member(lx, &mut stack, tok)?;
                        continue 'value;
                    }
                    _ => return Err(lx.error_at(tok, "expected ',' or '}'")),
                },
                Some(Open::Array) => match tok.kind {
                    Tok::RBracket => {
                        stack.pop();
                        tok = lx.next(true)?;
                    }
                    Tok::Comma => {
                        tok = lx.next(true)?;
                        continue 'value;
                    }
                    _ => return Err(lx.error_at(tok, "expected ',' or ']'")),
                },
            }
        }
    }
}

/// Read `KEY :` of an object member, `key` being the key's token; return
/// the first token of the member's value.
fn member(lx: &mut Lexer, stack: &mut [Open], key: Token) -> Result<Token, Error> {
    let name = lx.string_value(key);
    let colon = lx.next(true)?;
    if colon.kind != Tok::Colon {
        return Err(lx.error_at(colon, "expected ':'"));
    }
    let tok = lx.next(true)?;
    if let Some(Open::Object(keys)) = stack.last_mut() {
        if !keys.insert(name.clone()) {
            return Err(lx.error_at(tok, format!("duplicate key '{name}'")));
        }
    }
    Ok(tok)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceFile;
    use std::sync::Arc;

    fn diag(text: &str, compat: bool) -> Option<String> {
        let file = Arc::new(SourceFile {
            path: "t.json".to_string(),
            text: Arc::from(text),
            included_from: None,
        });
        let start = text.len() - text.trim_start().len();
        first_error(&mut Lexer::new(file, compat), start).map(|e| e.to_string())
    }

    fn err(text: &str) -> String {
        diag(text, false).expect(text)
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
