//! The pest grammar (`grammar.pest`) and the [`Value`] builder over it:
//! the fast path every schema value is read with.
//!
//! The grammar accepts exactly the values QEMU accepts, but a failed pest
//! parse says little about *why*, while QEMU reports the first problem in
//! token order with a precise message. So reading is split in two:
//!
//! * fast path (here): one pest parse per top-level value, over exactly
//!   the bytes the value spans (found by [`super::nesting::extent`], which
//!   also bounds the nesting so that pest's recursion stays shallow), then
//!   one walk over the pairs that builds the [`Value`] tree, locating
//!   spans incrementally (the lexer's position tracker only moves
//!   forward). A value that is ASCII without `#` (nearly every one) is
//!   parsed with `item_plain`, the same rules with gaps of ASCII blanks
//!   only, which spares each gap a failed look for a comment and a
//!   Unicode property lookup;
//! * diagnostic path ([`super::reader`]): when the grammar rejects the
//!   value, or a key repeats (which a grammar cannot see), the value is
//!   read again token by token to find QEMU's exact first error.
//!
//! The tests hold the two paths to each other: random token soup and the
//! whole corpus must give the same acceptance, the same trees and spans,
//! and the same duplicate-key errors.

use crate::hash::HashSet;

use pest::iterators::Pair;
use pest::Parser as _;

use crate::diag::Error;
use crate::syntax::{Key, Value, ValueKind};

use super::lexer::{unescape, Lexer, Tok, Token};
use super::nesting;

/// The grammar (see `grammar.pest`).
#[derive(pest_derive::Parser, Debug)]
#[grammar = "parse/grammar.pest"]
struct Grammar;

/// Objects with more members than this check duplicates with a hash set.
const LINEAR_DUP_CHECK: usize = 8;

/// Read the value whose first token is `first`, and the token after it:
/// with the grammar when it accepts the value, else token by token (which
/// then finds the error).
pub(crate) fn read_value(lx: &mut Lexer, first: Token) -> Result<(Value, Token), Error> {
    if matches!(first.kind, Tok::LBrace | Tok::LBracket) {
        if let nesting::Extent::End(end) = nesting::extent(lx.source(), first.start, lx.compat()) {
            if let Ok(Some(value)) = read(lx, first.start, end) {
                lx.seek(end);
                return Ok((value, lx.next(true)?));
            }
        }
    }
    super::reader::read(lx, first)
}

/// Read the value that fills bytes `start..end` of the lexer's file
/// (trailing blanks and comments allowed).
///
/// `Ok(None)` when the grammar rejects it (the caller then finds QEMU's
/// exact error). The only error found here is a duplicate key, which the
/// grammar cannot see. The text must not nest deeper than
/// [`super::nesting::LIMIT`].
pub(crate) fn read(lexer: &mut Lexer, start: usize, end: usize) -> Result<Option<Value>, Error> {
    let file = lexer.file().clone();
    let Some(input) = file.text.get(start..end) else {
        return Ok(None);
    };
    let compat = lexer.compat();
    let rule = if compat {
        Rule::item_compat
    } else if input.is_ascii() && !input.contains('#') {
        Rule::item_plain
    } else {
        Rule::item
    };
    let Ok(mut pairs) = Grammar::parse(rule, input) else {
        return Ok(None);
    };
    let Some(pair) = pairs.find(|p| p.as_rule() != Rule::comment) else {
        return Ok(None);
    };
    let mut builder = Builder {
        lexer,
        base: start,
        compat,
    };
    builder.value(pair)
}

/// Turns pairs into values, locating them in increasing order.
struct Builder<'l> {
    lexer: &'l mut Lexer,
    /// Offset of the parsed input in the file.
    base: usize,
    /// Whether the old syntax is read.
    compat: bool,
}

impl Builder<'_> {
    fn range(&self, pair: &Pair<'_, Rule>) -> (usize, usize) {
        let span = pair.as_span();
        (self.base + span.start(), self.base + span.end())
    }

    /// The value of `pair`; `Ok(None)` where it turns out not to be valid.
    fn value(&mut self, pair: Pair<'_, Rule>) -> Result<Option<Value>, Error> {
        let (start, end) = self.range(&pair);
        let span = self.lexer.span(start, end);
        let kind = match pair.as_rule() {
            Rule::object | Rule::object_p | Rule::object_c => match self.object(pair)? {
                Some(kind) => kind,
                None => return Ok(None),
            },
            Rule::array | Rule::array_p | Rule::array_c => {
                let inner = pair.into_inner();
                // (Comments, rare inside values, count too: never short.)
                let mut items = Vec::with_capacity(inner.len());
                for inner in inner.filter(|p| p.as_rule() != Rule::comment) {
                    match self.value(inner)? {
                        Some(item) => items.push(item),
                        None => return Ok(None),
                    }
                }
                ValueKind::Array(items)
            }
            Rule::string | Rule::string_c => match self.string_value(&pair) {
                Some(text) => ValueKind::Str(text),
                None => return Ok(None),
            },
            Rule::true_lit => ValueKind::Bool(true),
            Rule::false_lit => ValueKind::Bool(false),
            _ => return Ok(None),
        };
        Ok(Some(Value { kind, span }))
    }

    fn object(&mut self, pair: Pair<'_, Rule>) -> Result<Option<ValueKind>, Error> {
        let inner = pair.into_inner();
        let mut members: Vec<(Key, Value)> = Vec::with_capacity(inner.len() / 2);
        let mut seen: Option<HashSet<String>> = None;
        let mut inner = inner.filter(|p| p.as_rule() != Rule::comment);
        while let Some(key) = inner.next() {
            let (kstart, kend) = self.range(&key);
            let Some(value) = inner.next() else {
                return Ok(None);
            };
            let Some(name) = self.string_value(&key) else {
                return Ok(None);
            };
            let key = Key {
                span: self.lexer.span(kstart, kend),
                name,
            };
            let duplicate = match &mut seen {
                Some(set) => !set.insert(key.name.clone()),
                None => members.iter().any(|(k, _)| k.name == key.name),
            };
            if duplicate {
                let (vstart, vend) = self.range(&value);
                let msg = format!("duplicate key '{}'", key.name);
                return Err(self.lexer.error(vstart, vend, msg));
            }
            let Some(value) = self.value(value)? else {
                return Ok(None);
            };
            members.push((key, value));
            if seen.is_none() && members.len() >= LINEAR_DUP_CHECK {
                seen = Some(members.iter().map(|(k, _)| k.name.clone()).collect());
            }
        }
        Ok(Some(ValueKind::Object(members)))
    }

    /// The value of a string pair: `None` where the body has a character
    /// other than printable ASCII (accepted by the old syntax only).
    fn string_value(&self, pair: &Pair<'_, Rule>) -> Option<String> {
        let quoted = pair.as_str();
        let body = quoted
            .strip_prefix('\'')
            .and_then(|s| s.strip_suffix('\''))
            .unwrap_or(quoted);
        if !self.compat && !body.bytes().all(|b| (0x20..=0x7e).contains(&b)) {
            return None;
        }
        Some(unescape(body))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceFile;
    use std::sync::Arc;

    fn lexer(text: &str, compat: bool) -> Lexer {
        let file = Arc::new(SourceFile {
            path: "t.json".to_string(),
            text: Arc::from(text),
            included_from: None,
        });
        Lexer::new(file, compat)
    }

    fn read_at(text: &str, start: usize, compat: bool) -> Result<Option<Value>, String> {
        read(&mut lexer(text, compat), start, text.len()).map_err(|e| e.to_string())
    }

    #[test]
    fn builds_located_values() {
        let text = "\n{ 'a': [ 'x\\\\y', true ],\n\t'b': { }, 'c': false } # c\n";
        let v = read_at(text, 1, false).unwrap().unwrap();
        assert_eq!(&text[v.span.end as usize - 1..v.span.end as usize], "}");
        assert_eq!((v.span.line, v.span.col, v.span.start), (2, 1, 1));
        let members = v.as_object().unwrap();
        assert_eq!(members.len(), 3);
        assert_eq!(
            (members[0].0.name.as_str(), members[0].0.span.col),
            ("a", 3)
        );
        let arr = members[0].1.as_array().unwrap();
        assert_eq!(arr[0].as_str(), Some("x\\y"));
        assert_eq!((arr[0].span.line, arr[0].span.col), (2, 10));
        assert_eq!(arr[1].as_bool(), Some(true));
        assert_eq!((members[1].0.span.line, members[1].0.span.col), (3, 1));
        assert_eq!(members[1].1.as_object().map(<[_]>::len), Some(0));
        assert_eq!(members[2].1.as_bool(), Some(false));
    }

    #[test]
    fn comments_inside_values_are_skipped() {
        let text = "[ 'a', # one\n # two\n 'b' ]\n";
        let v = read_at(text, 0, false).unwrap().unwrap();
        assert_eq!(v.as_array().map(<[_]>::len), Some(2));
        let text = "{ # a\n 'k' # b\n : # c\n 'v' # d\n , 'l': # e\n [ # f\n ] }\n";
        let v = read_at(text, 0, false).unwrap().unwrap();
        let members = v.as_object().unwrap();
        assert_eq!(members.len(), 2);
        assert_eq!(members[0].1.as_str(), Some("v"));
    }

    #[test]
    fn rejects_what_qemu_rejects() {
        for bad in [
            "{ 'a' 'b' }",
            "{ 'a': 'b', }",
            "[ 'a', ]",
            "{ 'a': 'b' ## x\n}",
            "[ 'a\\n' ]",
            "[ 'é' ]",
            "[ truex ]",
            "[ null ]",
            "{ 'a': 'b'",
            "{ 'a': 'b' } x",
            "{ 'a': 'b' } { }",
        ] {
            let text = format!("{bad}\n");
            assert_eq!(read_at(&text, 0, false).unwrap(), None, "{bad}");
        }
    }

    #[test]
    fn duplicate_keys_are_reported_at_the_value() {
        let err = read_at("{ 'k': 1,\n  'k': [ ] }\n", 0, false);
        assert!(err.unwrap().is_none());
        let err = read_at("{ 'k': 'a',\n  'k':\t[ ] }\n", 0, false).unwrap_err();
        assert_eq!(err, "t.json:2:7: duplicate key 'k'");
        let many: Vec<String> = (0..20).map(|i| format!("'k{i}': true")).collect();
        let text = format!("{{ {}, 'k13': false }}\n", many.join(", "));
        let err = read_at(&text, 0, false).unwrap_err();
        assert!(err.ends_with("duplicate key 'k13'"), "{err}");
    }

    #[test]
    fn compat_reads_old_syntax() {
        let text = "{ 'command': 'x'\n  'data': { 'a': 'it\\'s é' } }\n";
        assert_eq!(read_at(text, 0, false).unwrap(), None);
        let v = read_at(text, 0, true).unwrap().unwrap();
        let data = v.get("data").unwrap();
        assert_eq!(data.get("a").and_then(Value::as_str), Some("it's é"));
    }
}
