//! Hostile input: deep nesting, huge files, token soup.

use std::sync::Arc;

use super::{err_one, parse_one};
use crate::parse::lexer::{Lexer, Tok};
use crate::parse::{nesting, reader, values};
use crate::source::SourceFile;

#[test]
fn deep_nesting_is_a_located_error() {
    let deep = "[".repeat(100_000);
    assert_eq!(err_one(&deep), "t.json:1:513: nesting too deep (limit 512)");
    let deep = format!("\n{}", "{ 'a': ".repeat(100_000));
    assert_eq!(
        err_one(&deep),
        "t.json:2:3585: nesting too deep (limit 512)"
    );
    let closing = "]".repeat(100_000);
    assert_eq!(
        err_one(&closing),
        "t.json:1:1: expected '{', '[', string, or boolean"
    );
}

#[test]
fn nesting_up_to_the_limit_is_fine() {
    let inner = format!(
        "{}{}",
        "[".repeat(nesting::LIMIT - 1),
        "]".repeat(nesting::LIMIT - 1)
    );
    let parsed = parse_one(&format!("{{ 'a': {inner} }}")).unwrap();
    assert_eq!(parsed.exprs.len(), 1);
    let inner = format!(
        "{}{}",
        "[".repeat(nesting::LIMIT),
        "]".repeat(nesting::LIMIT)
    );
    assert_eq!(
        err_one(&format!("{{ 'a': {inner} }}")),
        format!(
            "t.json:1:{}: nesting too deep (limit 512)",
            8 + nesting::LIMIT - 1
        )
    );
}

#[test]
fn arrays_of_arrays_parse() {
    let parsed = parse_one("{ 'data': [ [ 'int' ], [ [ ] ] ] }").unwrap();
    assert_eq!(parsed.exprs.len(), 1);
}

#[test]
fn long_lines_and_many_items_take_linear_time() {
    // A 1 MB line of top-level objects and one of a huge array; quadratic
    // column computation would take minutes here.
    let many = "{ 'a': 'b' }".repeat(100_000);
    let parsed = parse_one(&many).unwrap();
    assert_eq!(parsed.exprs.len(), 100_000);
    let items = vec!["'x'"; 200_000].join(",");
    let text = format!("{{ 'a': [{items}] }} ;");
    let want = format!("t.json:1:{}: stray ';'", text.len());
    assert_eq!(err_one(&text), want);
    let text = format!("{{ 'a': [{items},] }}");
    assert!(err_one(&text).ends_with("expected '{', '[', string, or boolean"));
}

/// A tiny deterministic generator, so failures reproduce.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n
    }
}

const SOUP: &[&str] = &[
    "{", "{", "}", "}", "[", "[", "]", "]", ":", ":", ",", ",", "'a'", "'b'", "'a'", "true",
    "false", " ", "\n", "\t", "# c\n", "##\n", "x", "'\\\\'", "'\\n'", "'é'", "trueX", "'",
    "\u{a0}", "\x1c",
];

fn file(text: &str) -> Arc<SourceFile> {
    Arc::new(SourceFile {
        path: "t.json".to_string(),
        text: Arc::from(text),
        included_from: None,
    })
}

/// The grammar and the reader must agree on every value: the grammar
/// accepts exactly what the reader reads (and gives the same tree), and a
/// duplicate key is the same error in both.
#[test]
fn grammar_and_reader_agree_on_token_soup() {
    let mut rng = Lcg(7);
    for round in 0..20_000 {
        let compat = round % 3 == 0;
        let len = 1 + rng.next(14);
        let mut text = String::from(if rng.next(2) == 0 { "{" } else { "[" });
        for _ in 0..len {
            text.push_str(SOUP[rng.next(SOUP.len())]);
        }
        text.push('\n');
        let f = file(&text);
        let grammar = match nesting::extent(&text, 0, compat) {
            nesting::Extent::End(end) => values::read(&mut Lexer::new(f.clone(), compat), 0, end)
                .map(|v| v.map(|v| (v, end))),
            _ => Ok(None),
        };
        let mut lx = Lexer::new(f.clone(), compat);
        let first = lx.next(true).unwrap();
        let read = reader::read(&mut lx, first);
        match (grammar, read) {
            (Ok(Some((want, _))), Ok((got, _))) => assert_eq!(got, want, "{text:?}"),
            (Ok(Some((_, end))), Err(err)) => {
                let at = err.span.map_or(0, |s| s.start as usize);
                assert!(at >= end, "{text:?}: grammar accepts, reader says {err}");
            }
            (Ok(None), Err(_)) => {}
            (Ok(None), Ok(_)) => panic!("{text:?}: grammar rejects, reader accepts"),
            (Err(want), got) => {
                let got = got.err().map(|e| e.to_string());
                assert_eq!(got, Some(want.to_string()), "{text:?}");
            }
        }
        // And the whole pass never panics.
        let _ = super::parse_with(&[("t.json", &text)], "t.json", compat);
    }
}

#[test]
fn soup_at_the_top_level_never_panics() {
    let mut rng = Lcg(11);
    for _ in 0..5_000 {
        let mut text = String::new();
        for _ in 0..rng.next(30) {
            text.push_str(SOUP[rng.next(SOUP.len())]);
        }
        let _ = parse_one(&text);
        let mut lx = Lexer::new(file(&format!("{text}\n")), false);
        for _ in 0..100 {
            match lx.next(false) {
                Ok(t) if t.kind == Tok::Eof => break,
                Ok(_) => {}
                Err(_) => break,
            }
        }
    }
}
