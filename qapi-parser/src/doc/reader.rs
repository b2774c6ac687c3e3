//! Reading a doc block line by line, as QEMU's `get_doc_line()`.
//!
//! Each comment token becomes the text after `# ` (trailing blanks
//! removed), `#` alone a blank line, the closing `##` the end. Lines are
//! linted when read (outside literal blocks), so lint errors come in the
//! same order relative to structural errors as QEMU's.

use std::sync::Arc;

use super::lint::{self, Lint};
use super::patterns::{rstrip, spaces_of, starts_literal};
use super::DocLine;
use crate::diag::Error;
use crate::source::{column_of, Info, SourceFile};

/// Why reading stopped before the block was complete.
#[derive(Debug)]
pub(super) enum Halt {
    /// A located error, exactly as QEMU reports it.
    Error(Error),
    /// The tokens ran out before a closing `##`: the caller reports
    /// `documentation comment must end with '##'`.
    Unterminated,
}

impl From<Error> for Halt {
    fn from(e: Error) -> Self {
        Halt::Error(e)
    }
}

/// The line reader of one block.
#[derive(Debug)]
pub(super) struct Reader<'a> {
    file: Arc<SourceFile>,
    tokens: &'a [DocLine<'a>],
    end: Option<&'a DocLine<'a>>,
    /// Index of the next token in `tokens`.
    next: usize,
    /// Line and column of the token read last (the closing `##` at the end).
    line: u32,
    col: u32,
    /// Lenient reading: no lint, `#text` accepted.
    compat: bool,
    /// Inside a literal block (lint suspended).
    literal: bool,
    /// Indentation of the literal block's first non-blank line; 0 while
    /// not known yet.
    literal_indent: usize,
}

impl<'a> Reader<'a> {
    /// A reader over `tokens`, closed by `end` (`None`: not closed).
    pub(super) fn new(
        start: &Info,
        tokens: &'a [DocLine<'a>],
        end: Option<&'a DocLine<'a>>,
        compat: bool,
    ) -> Self {
        Reader {
            file: start.file.clone(),
            tokens,
            end,
            next: 0,
            line: start.line,
            col: start.col,
            compat,
            literal: false,
            literal_indent: 0,
        }
    }

    /// Where the token read last is, as a section's location.
    pub(super) fn info(&self) -> Info {
        Info::new(self.file.clone(), self.line, self.col)
    }

    /// A parse error at the token read last.
    pub(super) fn error(&self, msg: impl Into<String>) -> Halt {
        self.error_at(self.col, msg)
    }

    /// A parse error on the line of the token read last, at column `col`.
    fn error_at(&self, col: u32, msg: impl Into<String>) -> Halt {
        Halt::Error(Error::parse(
            &Info::new(self.file.clone(), self.line, 0),
            col,
            msg,
        ))
    }

    /// The next line: `Some(text)`, or `None` at the closing `##`.
    pub(super) fn next_line(&mut self) -> Result<Option<&'a str>, Halt> {
        let tokens = self.tokens;
        let Some(tok) = tokens.get(self.next) else {
            return self.finish();
        };
        self.next += 1;
        self.line = tok.line;
        self.col = tok.col;
        let after_hash = tok.text.get(1..).unwrap_or("");
        if after_hash.is_empty() {
            return Ok(Some(""));
        }
        let text = match after_hash.strip_prefix(' ') {
            Some(text) => text,
            None if self.compat => after_hash,
            None => return Err(self.error("missing space after #")),
        };
        let line = rstrip(text);
        if !self.compat {
            self.track_literal(line);
            if !self.literal {
                self.lint(tok, line)?;
            }
        }
        Ok(Some(line))
    }

    /// The closing token.
    fn finish(&mut self) -> Result<Option<&'a str>, Halt> {
        let Some(end) = self.end else {
            return Err(Halt::Unterminated);
        };
        self.line = end.line;
        self.col = end.col;
        self.literal = false;
        if end.text == "##" || (self.compat && end.text.starts_with("##")) {
            Ok(None)
        } else if end.text.starts_with("##") {
            Err(self.error("junk after '##' at end of documentation comment"))
        } else {
            Err(self.error("documentation comment must end with '##'"))
        }
    }

    /// Enter or leave literal mode for `line`.
    fn track_literal(&mut self, line: &str) {
        if starts_literal(line) {
            self.literal = true;
            self.literal_indent = 0;
        } else if self.literal && !line.is_empty() {
            let indent = spaces_of(line);
            if self.literal_indent == 0 {
                self.literal_indent = indent;
            } else if indent < self.literal_indent {
                self.literal = false;
            }
        }
    }

    /// Apply the formatting rules to `line`, the text of `tok`.
    fn lint(&self, tok: &DocLine<'_>, line: &str) -> Result<(), Halt> {
        match lint::check(line) {
            None => Ok(()),
            Some(Lint::TooLong) => Err(self.error(lint::TOO_LONG)),
            Some(Lint::OneSpace(index)) => {
                // QEMU counts the column from the start of the physical
                // line as if `# ` started it, whatever precedes the `#`.
                let raw = self
                    .file
                    .line_text(tok.line)
                    .filter(|raw| raw.ends_with(tok.text))
                    .unwrap_or(tok.text);
                let before: String = raw.chars().take(index + 3).collect();
                Err(self.error_at(column_of(&before), lint::ONE_SPACE))
            }
        }
    }
}
