//! The streaming tokenizer, token for token the behaviour of QEMU's
//! `QAPISchemaParser.accept()`.
//!
//! It drives the top level (one value or doc block at a time), collects doc
//! comment lines and feeds the value reader. Errors are QEMU's messages at
//! QEMU's positions.

use std::sync::Arc;

use crate::diag::Error;
use crate::source::{Info, SourceFile, Span};

use super::position::Tracker;

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tok {
    /// `{`
    LBrace,
    /// `}`
    RBrace,
    /// `[`
    LBracket,
    /// `]`
    RBracket,
    /// `:`
    Colon,
    /// `,`
    Comma,
    /// A quoted string.
    Str,
    /// `true`
    True,
    /// `false`
    False,
    /// A comment (only returned for doc comments or when asked for).
    Comment,
    /// End of file; the token is the file's final newline.
    Eof,
}

/// A token: its kind and byte range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Token {
    pub(crate) kind: Tok,
    pub(crate) start: usize,
    pub(crate) end: usize,
}

/// Python's `str.isspace()`.
pub(crate) fn is_space(ch: char) -> bool {
    ch.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&ch)
}

/// Characters that end a stray run.
fn ends_stray(ch: char) -> bool {
    matches!(ch, '[' | ']' | '{' | '}' | ':' | ',' | '\'') || is_space(ch)
}

/// The value of a string token's body (between the quotes): a backslash
/// takes the next character literally. The lexer has already rejected
/// every escape but `\\` unless in compatibility mode.
pub(crate) fn unescape(body: &str) -> String {
    if !body.contains('\\') {
        return body.to_string();
    }
    let mut out = String::with_capacity(body.len());
    let mut chars = body.chars();
    while let Some(ch) = chars.next() {
        if ch == '\\' {
            if let Some(next) = chars.next() {
                out.push(next);
            }
        } else {
            out.push(ch);
        }
    }
    out
}

/// The tokenizer for one file.
#[derive(Debug, Clone)]
pub(crate) struct Lexer {
    file: Arc<SourceFile>,
    cursor: usize,
    compat: bool,
    tracker: Tracker,
}

impl Lexer {
    /// A lexer at the start of `file`.
    pub(crate) fn new(file: Arc<SourceFile>, compat: bool) -> Self {
        Lexer {
            file,
            cursor: 0,
            compat,
            tracker: Tracker::default(),
        }
    }

    /// The file being read.
    pub(crate) fn file(&self) -> &Arc<SourceFile> {
        &self.file
    }

    /// The text being read.
    pub(crate) fn source(&self) -> &str {
        &self.file.text
    }

    /// Whether the old syntax is accepted.
    pub(crate) fn compat(&self) -> bool {
        self.compat
    }

    /// Continue reading at byte offset `pos`.
    pub(crate) fn seek(&mut self, pos: usize) {
        self.cursor = pos;
    }

    /// Line and column of byte offset `pos`.
    pub(crate) fn locate(&mut self, pos: usize) -> (u32, u32) {
        self.tracker.locate(&self.file.text, pos)
    }

    /// The located span `start..end`.
    pub(crate) fn span(&mut self, start: usize, end: usize) -> Span {
        self.tracker.span(&self.file.text, start, end)
    }

    /// An info for the line and column of byte offset `pos`.
    pub(crate) fn info_at(&mut self, pos: usize) -> Info {
        let (line, col) = self.locate(pos);
        Info::new(self.file.clone(), line, col)
    }

    /// A parse error (`FILE:LINE:COL: msg`) about the text `start..end`.
    pub(crate) fn error(&mut self, start: usize, end: usize, msg: impl Into<String>) -> Error {
        let span = self.span(start, end);
        let info = Info::new(self.file.clone(), span.line, span.col);
        Error::parse(&info, span.col, msg).with_span(span)
    }

    /// A parse error about token `tok`.
    pub(crate) fn error_at(&mut self, tok: Token, msg: impl Into<String>) -> Error {
        self.error(tok.start, tok.end, msg)
    }

    /// The text of token `tok`.
    pub(crate) fn slice(&self, tok: Token) -> &str {
        self.file.text.get(tok.start..tok.end).unwrap_or_default()
    }

    /// The value of string token `tok`.
    pub(crate) fn string_value(&self, tok: Token) -> String {
        let body = self
            .file
            .text
            .get(tok.start + 1..tok.end.saturating_sub(1))
            .unwrap_or_default();
        unescape(body)
    }

    /// Read the next token. Comments are skipped unless `skip_comment` is
    /// false, except that a comment starting with `##` is always returned.
    pub(crate) fn next(&mut self, skip_comment: bool) -> Result<Token, Error> {
        match scan(&self.file.text, self.cursor, skip_comment, self.compat) {
            Ok(tok) => {
                self.cursor = tok.end;
                Ok(tok)
            }
            Err(fault) => Err(self.error(fault.start, fault.end, fault.msg)),
        }
    }
}

/// A lexical error: QEMU's message about text `start..end`.
struct Fault {
    start: usize,
    end: usize,
    msg: String,
}

fn fault(start: usize, end: usize, msg: impl Into<String>) -> Fault {
    Fault {
        start,
        end,
        msg: msg.into(),
    }
}

/// The token at or after byte `cursor` of `text` (see [`Lexer::next`]).
/// ASCII is handled byte by byte; other characters are decoded.
fn scan(text: &str, mut cursor: usize, skip_comment: bool, compat: bool) -> Result<Token, Fault> {
    let bytes = text.as_bytes();
    loop {
        let start = cursor;
        let Some(&b) = bytes.get(start) else {
            // Only reachable on text without a final newline.
            return Ok(tok(Tok::Eof, text.len().saturating_sub(1), text.len()));
        };
        cursor += 1;
        let single = |kind| Ok(tok(kind, start, start + 1));
        match b {
            b'#' => {
                let doc = bytes.get(cursor) == Some(&b'#');
                let end = bytes
                    .get(cursor..)
                    .and_then(|rest| rest.iter().position(|&c| c == b'\n'))
                    .map_or(text.len(), |i| cursor + i);
                if doc || !skip_comment {
                    return Ok(tok(Tok::Comment, start, end));
                }
                cursor = end;
            }
            b'{' => return single(Tok::LBrace),
            b'}' => return single(Tok::RBrace),
            b'[' => return single(Tok::LBracket),
            b']' => return single(Tok::RBracket),
            b':' => return single(Tok::Colon),
            b',' => return single(Tok::Comma),
            b'\'' => return string(text, start, compat),
            b't' if bytes[start..].starts_with(b"true") => {
                return Ok(tok(Tok::True, start, start + 4))
            }
            b'f' if bytes[start..].starts_with(b"false") => {
                return Ok(tok(Tok::False, start, start + 5));
            }
            b'\n' => {
                if cursor >= text.len() {
                    return Ok(tok(Tok::Eof, start, cursor));
                }
            }
            b' ' | b'\t' | 0x0b | 0x0c | b'\r' | 0x1c..=0x1f => {}
            _ => {
                let ch = text
                    .get(start..)
                    .and_then(|r| r.chars().next())
                    .unwrap_or('\0');
                cursor = start + ch.len_utf8();
                if !is_space(ch) {
                    return Err(stray(text, start));
                }
            }
        }
    }
}

/// The error for a stray character at `start`: the run up to the next
/// blank, quote or structural character.
fn stray(text: &str, start: usize) -> Fault {
    let rest = text.get(start..).unwrap_or_default();
    let len = rest
        .char_indices()
        .find(|&(_, c)| ends_stray(c))
        .map_or(rest.len(), |(i, _)| i);
    fault(start, start + len, format!("stray '{}'", &rest[..len]))
}

/// Read a string whose opening quote is at `start`. Errors point at the
/// opening quote.
fn string(text: &str, start: usize, compat: bool) -> Result<Token, Fault> {
    let bytes = text.as_bytes();
    let missing = |end| fault(start, end, "missing terminating \"'\"");
    let char_at = |i: usize| text.get(i..).and_then(|r| r.chars().next());
    let mut i = start + 1;
    loop {
        let Some(&b) = bytes.get(i) else {
            return Err(missing(text.len()));
        };
        match b {
            b'\'' => return Ok(tok(Tok::Str, start, i + 1)),
            b'\n' => return Err(missing(i)),
            b'\\' => {
                let Some(ch) = char_at(i + 1) else {
                    return Err(missing(text.len()));
                };
                if ch == '\n' {
                    return Err(missing(i + 1));
                }
                let end = i + 1 + ch.len_utf8();
                if ch != '\\' && !compat {
                    return Err(fault(start, end, format!("unknown escape \\{ch}")));
                }
                i = end;
            }
            0x20..=0x7e => i += 1,
            _ => {
                let len = char_at(i).map_or(1, char::len_utf8);
                if !compat {
                    return Err(fault(start, i + len, "funny character in string"));
                }
                i += len;
            }
        }
    }
}

fn tok(kind: Tok, start: usize, end: usize) -> Token {
    Token { kind, start, end }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lexer(text: &str, compat: bool) -> Lexer {
        let file = Arc::new(SourceFile {
            path: "t.json".to_string(),
            text: Arc::from(text),
            included_from: None,
        });
        Lexer::new(file, compat)
    }

    /// Every token up to EOF (comments skipped), or the first error.
    fn lex_all(text: &str, compat: bool) -> Result<Vec<(Tok, String)>, String> {
        let mut lx = lexer(text, compat);
        let mut out = Vec::new();
        loop {
            let t = lx.next(true).map_err(|e| e.to_string())?;
            out.push((t.kind, lx.slice(t).to_string()));
            if t.kind == Tok::Eof {
                return Ok(out);
            }
        }
    }

    fn kinds(text: &str) -> Vec<Tok> {
        lex_all(text, false)
            .unwrap()
            .into_iter()
            .map(|(k, _)| k)
            .collect()
    }

    fn err(text: &str) -> String {
        lex_all(text, false).unwrap_err()
    }

    #[test]
    fn structural_strings_booleans() {
        use Tok::*;
        assert_eq!(
            kinds("{ 'a': [true, false] }\n"),
            vec![LBrace, Str, Colon, LBracket, True, Comma, False, RBracket, RBrace, Eof]
        );
        assert_eq!(kinds("truefalse\n"), vec![True, False, Eof]);
        assert_eq!(kinds("\n"), vec![Eof]);
        assert_eq!(kinds("\x1c\u{a0}\u{3000}\x0b\x0c\n"), vec![Eof]);
    }

    #[test]
    fn comments_are_skipped_but_doc_comments_returned() {
        assert_eq!(kinds("# x 'y\n{\n"), vec![Tok::LBrace, Tok::Eof]);
        let toks = lex_all("  ## doc\n", false).unwrap();
        assert_eq!(toks[0], (Tok::Comment, "## doc".to_string()));
        let mut lx = lexer("# plain\n\n  # two\n", false);
        let t = lx.next(false).unwrap();
        assert_eq!((t.kind, lx.slice(t)), (Tok::Comment, "# plain"));
        let t = lx.next(false).unwrap();
        assert_eq!(lx.locate(t.start), (3, 3));
        assert_eq!(lx.slice(t), "# two");
    }

    #[test]
    fn eof_is_the_final_newline() {
        let mut lx = lexer("{ 'a'\n  x\n", false);
        lx.seek(8);
        assert_eq!(
            lx.next(true).unwrap_err().to_string(),
            "t.json:2:3: stray 'x'"
        );
        let mut lx = lexer("a\n\t'b'\n", false);
        lx.seek(2);
        let t = lx.next(true).unwrap();
        assert_eq!(t.kind, Tok::Str);
        let t = lx.next(true).unwrap();
        assert_eq!((t.kind, lx.locate(t.start)), (Tok::Eof, (2, 4)));
    }

    #[test]
    fn stray_runs() {
        assert_eq!(err("{ 'a': 'b' ;\n"), "t.json:1:12: stray ';'");
        assert_eq!(err("  123]\n"), "t.json:1:3: stray '123'");
        assert_eq!(err("tru\n"), "t.json:1:1: stray 'tru'");
        assert_eq!(err("trueX\n"), "t.json:1:5: stray 'X'");
        assert_eq!(err("\"key\": 1\n"), "t.json:1:1: stray '\"key\"'");
        assert_eq!(err("\\'\n"), "t.json:1:1: stray '\\'");
        assert_eq!(err("\té\u{a0}\n"), "t.json:1:1: stray 'é'");
        assert_eq!(err("null'x'\n"), "t.json:1:1: stray 'null'");
    }

    #[test]
    fn string_errors_point_at_the_opening_quote() {
        assert_eq!(err("[ 'abc\n"), "t.json:1:3: missing terminating \"'\"");
        assert_eq!(err("  'a\\x'\n"), "t.json:1:3: unknown escape \\x");
        assert_eq!(err("'a\\'\n"), "t.json:1:1: unknown escape \\'");
        assert_eq!(err("'a\\\n"), "t.json:1:1: missing terminating \"'\"");
        assert_eq!(err("'\ta'\n"), "t.json:1:1: funny character in string");
        assert_eq!(err("x\n\t 'é'\n"), "t.json:1:1: stray 'x'");
        assert_eq!(err("\n\t 'é'\n"), "t.json:2:2: funny character in string");
        assert_eq!(err("'\u{7f}'\n"), "t.json:1:1: funny character in string");
        assert_eq!(err("'\\\t'\n"), "t.json:1:1: unknown escape \\\t");
    }

    #[test]
    fn string_values() {
        let toks = lex_all("'a\\\\b' '~ !'\n", false).unwrap();
        assert_eq!(toks[0].1, "'a\\\\b'");
        assert_eq!(unescape("a\\\\b"), "a\\b");
        assert_eq!(unescape("it\\'s"), "it's");
    }

    #[test]
    fn compat_accepts_old_escapes_and_characters() {
        let toks = lex_all("'it\\'s' 'é\t'\n", true).unwrap();
        assert_eq!(toks[0].1, "'it\\'s'");
        assert_eq!(toks[1].1, "'é\t'");
        assert!(lex_all("'a\n", true).is_err());
    }
}
