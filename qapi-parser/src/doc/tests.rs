//! Error tests: every message, with QEMU's location. Also the small lexer
//! the doc tests use to cut blocks out of schema text.

use std::sync::Arc;

use super::{check_unterminated, parse_block, DocBlock, DocToken};
use crate::diag::Error;
use crate::source::{column_of, Info, SourceFile};
use crate::Options;

/// One `##` block as a lexer would hand it over.
#[derive(Debug)]
pub(super) struct RawBlock {
    pub start: Info,
    pub lines: Vec<DocToken>,
    /// `None` when a non-comment token or the end of the file came first.
    pub end: Option<DocToken>,
}

/// A source file called `path` holding `text`.
pub(super) fn source(path: &str, text: &str) -> Arc<SourceFile> {
    Arc::new(SourceFile {
        path: path.to_string(),
        text: text.into(),
        included_from: None,
    })
}

/// Where the comment of `line` starts (outside strings), if it has one,
/// and whether code precedes it.
fn comment_start(line: &str) -> (Option<usize>, bool) {
    let mut in_string = false;
    let mut escaped = false;
    let mut code = false;
    for (i, c) in line.char_indices() {
        if in_string {
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '\'') => in_string = false,
                _ => {}
            }
        } else if c == '#' {
            return (Some(i), code);
        } else if c == '\'' {
            in_string = true;
            code = true;
        } else if !c.is_whitespace() {
            code = true;
        }
    }
    (None, code)
}

/// Every doc block of `file`, cut out line by line.
pub(super) fn blocks(file: &Arc<SourceFile>) -> Vec<RawBlock> {
    let mut out = Vec::new();
    let mut open: Option<RawBlock> = None;
    for (n, text) in file.text.split('\n').enumerate() {
        let line = u32::try_from(n + 1).unwrap_or(u32::MAX);
        let (hash, code) = comment_start(text);
        if code {
            if let Some(block) = open.take() {
                out.push(block);
            }
        }
        let Some(at) = hash else { continue };
        let tok = DocToken {
            text: text[at..].to_string(),
            line,
            col: column_of(&text[..at]),
        };
        match open.as_mut() {
            Some(block) if tok.text.starts_with("##") => {
                block.end = Some(tok);
                out.extend(open.take());
            }
            Some(block) => block.lines.push(tok),
            None if tok.text.starts_with("##") => {
                open = Some(RawBlock {
                    start: Info::new(file.clone(), line, tok.col),
                    lines: Vec::new(),
                    end: None,
                });
            }
            None => {}
        }
    }
    out.extend(open);
    out
}

/// Parse `block` as the front end would.
pub(super) fn parse_raw(block: &RawBlock, opts: &Options) -> Result<DocBlock, Error> {
    match &block.end {
        Some(end) => parse_block(&block.start, &block.lines, end, opts),
        None => Err(check_unterminated(&block.start, &block.lines, opts)
            .unwrap_or_else(|| Error::bare("documentation comment must end with '##'"))),
    }
}

/// Parse the first block of `src` (file `t.json`).
pub(super) fn parse_with(src: &str, opts: &Options) -> Result<DocBlock, Error> {
    let file = source("t.json", src);
    let all = blocks(&file);
    let first = all.first().expect("test source has a doc block");
    parse_raw(first, opts)
}

/// Parse the first block of `src` strictly.
pub(super) fn parse(src: &str) -> Result<DocBlock, Error> {
    parse_with(src, &Options::default())
}

/// The error QEMU prints for the first block of `src`.
fn err(src: &str) -> String {
    match parse(src) {
        Ok(doc) => panic!("expected an error, got {doc:?}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn line_forms() {
    assert_eq!(
        err("##\n# @foo:\n#wef\n##\n"),
        "t.json:3:1: missing space after #"
    );
    assert_eq!(err("##\n#\tx\n##\n"), "t.json:2:1: missing space after #");
    assert_eq!(
        err("  ##\n  #x\n  ##\n"),
        "t.json:2:3: missing space after #"
    );
    assert!(parse("##\n#\n#   \n# x\n##\n").is_ok());
}

#[test]
fn end_of_block() {
    assert_eq!(
        err("##\n# x\n## \n"),
        "t.json:3:1: junk after '##' at end of documentation comment"
    );
    assert_eq!(
        err("##\n# x\n ##x\n"),
        "t.json:3:2: junk after '##' at end of documentation comment"
    );
    let file = source("t.json", "##\n# ok\n#bad\n{");
    let block = &blocks(&file)[0];
    assert!(block.end.is_none());
    let e = check_unterminated(&block.start, &block.lines, &Options::default());
    assert_eq!(e.unwrap().to_string(), "t.json:3:1: missing space after #");
    let file = source("t.json", "##\n# @foo:\n# Returns:\n{");
    let block = &blocks(&file)[0];
    // Empty sections are found only once the block is closed.
    assert!(check_unterminated(&block.start, &block.lines, &Options::default()).is_none());
}

#[test]
fn symbol_line() {
    assert_eq!(
        err("##\n# @missing-colon\n##\n"),
        "t.json:2:1: line should end with ':'"
    );
    assert_eq!(
        err("##\n# @foo: bar\n##\n"),
        "t.json:2:1: line should end with ':'"
    );
    assert_eq!(err("##\n# @:\n##\n"), "t.json:2:1: name required after '@'");
    let doc = parse("##\n# @foo:\n##\n").unwrap();
    assert_eq!(doc.symbol.as_deref(), Some("foo"));
    let doc = parse("##\n#  @foo:\n##\n").unwrap();
    assert_eq!(doc.symbol, None);
}

#[test]
fn free_form_refuses_descriptions() {
    assert_eq!(
        err("##\n# freeform\n# @note: foo\n##\n"),
        "t.json:3:1: '@note:' not allowed in free-form documentation"
    );
    assert_eq!(
        err("##\n# @a b: c\n##\n"),
        "t.json:2:1: line should end with ':'"
    );
    assert_eq!(
        err("##\n# x\n# @a b: c\n##\n"),
        "t.json:3:1: '@a b:' not allowed in free-form documentation"
    );
    assert!(parse("##\n# x\n#  @a: b\n# @var {x}\n# = Title\n##\n").is_ok());
}

#[test]
fn de_indent() {
    let src = "##\n# @foo:\n# @a: line one\n#   line two\n# line three\n##\n";
    assert_eq!(
        err(src),
        "t.json:5:1: unexpected de-indent (expected at least 2 spaces)"
    );
    let src = "##\n# @foo:\n# @a:\n#\n#     one\n#   two\n##\n";
    assert_eq!(
        err(src),
        "t.json:6:1: unexpected de-indent (expected at least 4 spaces)"
    );
    let src = "##\n# @foo:\n# Returns: x\n#    y\n#  z\n##\n";
    assert_eq!(
        err(src),
        "t.json:5:1: unexpected de-indent (expected at least 3 spaces)"
    );
    // Only the line right after the first indented one is checked.
    let src = "##\n# @foo:\n# @a: one\n#   two\n#   three\n# four\n##\n";
    assert!(parse(src).is_ok());
    // A blank line is not a de-indent.
    let src = "##\n# @foo:\n# @a: one\n#   two\n#\n#   three\n##\n";
    assert!(parse(src).is_ok());
}

#[test]
fn features() {
    let src = "##\n# @foo:\n#\n# Features:\n# @feat: mumble\n#\n# Features:\n##\n";
    assert_eq!(err(src), "t.json:7:1: duplicated 'Features:' line");
    let src = "##\n# @foo:\n#\n# Features:\n#\n##\n";
    assert_eq!(err(src), "t.json:6:1: feature descriptions expected");
    let src = "##\n# @foo:\n# Features:\n# text\n##\n";
    assert_eq!(err(src), "t.json:4:1: feature descriptions expected");
    let src = "##\n# @foo:\n# Features:\n# @f: x\n# @f: y\n##\n";
    assert_eq!(err(src), "t.json:5: 'f' parameter name duplicated");
    let src = "##\n# @foo:\n# @f: member\n# Features:\n# @f: feature\n##\n";
    assert!(parse(src).is_ok());
}

#[test]
fn descriptions() {
    assert_eq!(
        err("##\n# @foo:\n# @:\n##\n"),
        "t.json:3: invalid parameter name"
    );
    assert_eq!(
        err("##\n# @foo:\n# @a: x\n# @a: y\n##\n"),
        "t.json:4: 'a' parameter name duplicated"
    );
    assert_eq!(
        err("##\n# @foo:\n# @a:\n##\n"),
        "t.json:3: text required after 'Member:'"
    );
    assert_eq!(
        err("##\n# @foo:\n# Features:\n# @f:\n#\n##\n"),
        "t.json:4: text required after 'Feature:'"
    );
    let src = "##\n# @foo:\n#\n# Returns: x\n#\n# @a: y\n##\n";
    assert_eq!(
        err(src),
        "t.json:6:1: description of '@a:' follows a section"
    );
    let src = "##\n# @foo:\n#\n# Features:\n# @f: x\n#\n# x\n#\n# @a: y\n##\n";
    assert_eq!(
        err(src),
        "t.json:9:1: description of '@a:' follows a section"
    );
    // Right after the features, a description is one more feature.
    let src = "##\n# @foo:\n#\n# Features:\n# @f: x\n#\n# @a: y\n##\n";
    assert_eq!(parse(src).unwrap().features().count(), 2);
    let src = "##\n# @foo:\n# @a: x\n#\n# text\n#\n# @b: y\n##\n";
    assert_eq!(
        err(src),
        "t.json:7:1: description of '@b:' follows a section"
    );
}

#[test]
fn tagged_sections() {
    let src = "##\n# @foo:\n#\n# Returns: 0\n#\n# Returns: 1\n##\n";
    assert_eq!(err(src), "t.json:6: duplicated 'Returns' section");
    let src = "##\n# @foo:\n# Errors: a\n# Errors: b\n##\n";
    assert_eq!(err(src), "t.json:4: duplicated 'Errors' section");
    let src = "##\n# @foo:\n# Since: 1\n# Since: 2\n##\n";
    assert_eq!(err(src), "t.json:4: duplicated 'Since' section");
    assert!(parse("##\n# @foo:\n# TODO: a\n# TODO: b\n##\n").is_ok());
    let src = "##\n# @foo:\n#\n# Errors:\n##\n";
    assert_eq!(err(src), "t.json:4: text required after 'Errors:'");
    let src = "##\n# @foo:\n# TODO:\n#\n##\n";
    assert_eq!(err(src), "t.json:3: text required after 'Todo:'");
    assert_eq!(
        err("##\n# @foo:\n# Since:\n# Returns: x\n##\n"),
        "t.json:3: text required after 'Since:'"
    );
}

#[test]
fn retired_sections() {
    let note = |w: &str| {
        format!(
            "t.json:3:1: The '{w}' section is no longer supported. Please use rST's \
             '.. note::' or '.. admonition:: notes' directives, or another suitable \
             admonition instead."
        )
    };
    let example = |w: &str| {
        format!(
            "t.json:3:1: The '{w}' section is no longer supported. Please use the \
             '.. qmp-example::' directive, or other suitable markup instead."
        )
    };
    assert_eq!(err("##\n# @foo:\n# Note: x\n##\n"), note("Note"));
    assert_eq!(err("##\n# @foo:\n# Notes:\n##\n"), note("Notes"));
    assert_eq!(err("##\n# @foo:\n# Example: x\n##\n"), example("Example"));
    assert_eq!(err("##\n# @foo:\n# Examples:\n##\n"), example("Examples"));
    assert!(parse("##\n# @foo:\n# Note:: x\n# Examples::\n##\n").is_ok());
    // Inside a paragraph the words are plain text.
    assert!(parse("##\n# @foo:\n# Text\n# Note: x\n##\n").is_ok());
}

#[test]
fn heading_markup() {
    assert_eq!(
        err("##\n# @foo:\n# == x\n##\n"),
        "t.json:3:1: unexpected '=' markup in definition documentation"
    );
    assert!(parse("##\n# @foo:\n# Title\n# =====\n##\n").is_ok());
}

#[test]
fn long_lines() {
    let long = format!("# {}\n", "x".repeat(69));
    let ok = format!("# {}\n", "x".repeat(68));
    assert_eq!(
        err(&format!("##\n# @foo:\n#\n{long}##\n")),
        "t.json:4:1: documentation line longer than 70 characters"
    );
    assert!(parse(&format!("##\n{ok}##\n")).is_ok());
    assert_eq!(
        err(&format!("##\n    {long}##\n")),
        "t.json:2:5: documentation line longer than 70 characters"
    );
    let url = format!("#    https://example.org/{}\n", "a".repeat(70));
    assert!(parse(&format!("##\n# @foo:\n# @a: see\n{url}##\n")).is_ok());
    // The lint applies to the symbol line too, and comes before structure.
    let sym = format!("# @{}\n", "x".repeat(69));
    assert_eq!(
        err(&format!("##\n{sym}##\n")),
        "t.json:2:1: documentation line longer than 70 characters"
    );
}

#[test]
fn sentence_spacing() {
    let src = "##\n# @foo:\n#\n# Sentences should be separated by two spaces. But here is only one.\n##\n";
    assert_eq!(
        err(src),
        "t.json:4:47: Use two spaces between sentences\n\
         If this not the end of a sentence, please report a bug."
    );
    // The column counts from the start of the physical line.
    let src = "##\n  # One. Two\n##\n";
    assert!(err(src).starts_with("t.json:2:7: Use two spaces"));
    let src = "##\n\t# One. Two\n##\n";
    assert!(err(src).starts_with("t.json:2:6: Use two spaces"));
    assert!(parse("##\n# e.g. This\n# 1. Item\n# A.  B\n##\n").is_ok());
}

#[test]
fn literal_blocks_suspend_the_lint() {
    let long = "x".repeat(80);
    let src = format!("##\n# @foo:\n#\n# Text::\n#\n#     {long}\n##\n");
    assert!(err(&src).starts_with("t.json:6:1: documentation line longer"));
    let src = format!("##\n# @foo:\n#\n# ::\n#\n#     {long}\n#     A. B\n##\n");
    assert!(parse(&src).is_ok());
    let src = format!("##\n# @foo:\n#\n# .. qmp-example::\n#\n#    -> {long}\n##\n");
    assert!(parse(&src).is_ok());
    // Literal mode ends at the first line indented less than the block.
    let src = format!("##\n# @foo:\n#\n#   ::\n#\n#     a\n#    {long}\n##\n");
    assert!(err(&src).starts_with("t.json:7:1: documentation line longer"));
    // The first non-blank line sets the indentation, even when it is 0.
    let src = format!("##\n# @foo:\n#\n# ::\n# {long}\n#  x\n# {long}\n##\n");
    assert!(err(&src).starts_with("t.json:7:1: documentation line longer"));
    let src = format!("##\n# ::\n# {long}\n# {long}\n#  x\n##\n");
    assert!(parse(&src).is_ok());
    // It does not carry over to the next block.
    let file = source(
        "t.json",
        &format!("##\n# ::\n#   x\n##\n##\n#   {long}\n##\n"),
    );
    let all = blocks(&file);
    assert!(parse_raw(&all[0], &Options::default()).is_ok());
    let e = parse_raw(&all[1], &Options::default()).unwrap_err();
    assert!(e
        .to_string()
        .starts_with("t.json:6:1: documentation line longer"));
}

#[test]
fn line_errors_come_before_structure_errors() {
    // The symbol line is read (and linted) before it is checked.
    assert_eq!(
        err("##\n# @x. Two\n##\n"),
        "t.json:2:6: Use two spaces between sentences\n\
         If this not the end of a sentence, please report a bug."
    );
    // The closing line is read before the last section is checked.
    assert_eq!(
        err("##\n# @foo:\n# Errors:\n## x\n"),
        "t.json:4:1: junk after '##' at end of documentation comment"
    );
    // Structure errors on a line come before anything on the next line.
    assert_eq!(
        err("##\n# @foo:\n# Returns: a\n# Returns: b\n#bad\n##\n"),
        "t.json:4: duplicated 'Returns' section"
    );
}

#[test]
fn compat_accepts_old_documentation() {
    let compat = Options { compat: true };
    let ok = |src: &str| parse_with(src, &compat).unwrap_or_else(|e| panic!("{src:?}: {e}"));
    ok("##\n#wef\n##\n");
    ok(&format!("##\n# {}. Two\n##\n", "x".repeat(90)));
    ok("##\n# @Name\n# text\n##\n");
    ok("##\n# freeform\n# @note: foo\n##\n");
    ok("##\n# @foo:\n# Returns:\n# Since:\n# Errors:\n##\n");
    ok("##\n# @foo:\n# @a:\n# @:\n# @a: again\n##\n");
    ok("##\n# @foo:\n# Returns: a\n# Returns: b\n##\n");
    ok("##\n# @foo:\n# Returns: a\n#\n# @a: late\n##\n");
    ok("##\n# @foo:\n# Features:\n# Features:\n#\n##\n");
    ok("##\n# @foo:\n# = Title\n##\n");
    ok("##\n# @foo:\n# @a: one\n#   two\n# three\n##\n");
    ok("##\n# @foo:\n# Notes: x\n# Example:\n#\n# -> { }\n##\n");
    ok("##\n# @:\n##\n");
    ok("##\n# @Abort\n###\n");
}

#[test]
fn odd_tokens_never_panic() {
    let file = source("t.json", "");
    let start = Info::new(file, 1, 1);
    let odd = [
        "",
        "é",
        "#",
        "#é",
        "# é. É",
        "#\u{1f}",
        "# \t. X",
        "##",
        "###",
        "x",
        "# @",
        "# @:",
        "# @é:",
        "# Features:",
        "# Returns:",
        "# ::",
        "#  e.g.",
    ];
    let toks: Vec<DocToken> = odd
        .iter()
        .enumerate()
        .map(|(i, t)| DocToken {
            text: t.to_string(),
            line: i as u32 + 2,
            col: 1,
        })
        .collect();
    for compat in [false, true] {
        let opts = Options { compat };
        for n in 0..toks.len() {
            for m in n..=toks.len() {
                let lines = &toks[n..m];
                for end in &toks {
                    let _ = parse_block(&start, lines, end, &opts);
                }
                let _ = check_unterminated(&start, lines, &opts);
            }
        }
    }
}
