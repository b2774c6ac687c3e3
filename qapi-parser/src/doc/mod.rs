//! Documentation comments: `##` blocks parsed into structure.
//!
//! The block parser runs while the file is parsed (its errors carry a
//! column); the checks against the definitions run in the schema builder.
//!
//! A block is read line by line (`reader`), each line linted as QEMU
//! 10.2 does (`lint`) and sorted into sections (`block`, `builder`).

use std::fmt;

use crate::diag::Error;
use crate::source::Info;

mod block;
mod builder;
mod lint;
mod patterns;
mod reader;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_corpus;
#[cfg(test)]
mod tests_text;

use block::BlockParser;
use reader::{Halt, Reader};

/// What a section of a doc block is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SectionKind {
    /// Untagged text: the body, or paragraphs after the descriptions.
    Plain,
    /// `@member: text`.
    Member,
    /// `@feature: text` after `Features:`.
    Feature,
    /// `Returns: text`.
    Returns,
    /// `Errors: text`.
    Errors,
    /// `Since: text`.
    Since,
    /// `TODO: text`.
    Todo,
}

/// The words QEMU's test dump prints (`section=Since`).
impl fmt::Display for SectionKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            SectionKind::Plain => "Plain",
            SectionKind::Member => "Member",
            SectionKind::Feature => "Feature",
            SectionKind::Returns => "Returns",
            SectionKind::Errors => "Errors",
            SectionKind::Since => "Since",
            SectionKind::Todo => "Todo",
        })
    }
}

/// One section of a doc block.
#[derive(Debug, Clone)]
pub struct DocSection {
    /// What it is.
    pub kind: SectionKind,
    /// The member or feature described (`Member` / `Feature` sections only).
    pub name: Option<String>,
    /// The text, tag word removed, leading and trailing blank lines removed,
    /// lines keeping the indentation they had after `# `.
    pub text: String,
    /// Where the section starts.
    pub info: Info,
}

/// A `##` ... `##` block.
#[derive(Debug, Clone)]
pub struct DocBlock {
    /// The line of the opening `##`.
    pub info: Info,
    /// `Some(name)` for definition documentation (`# @name:` first line),
    /// `None` for free-form documentation.
    pub symbol: Option<String>,
    /// Every section in source order. The first is always the body (a
    /// `Plain` section, possibly empty).
    pub sections: Vec<DocSection>,
}

impl DocBlock {
    /// The body: untagged text before the first description.
    pub fn body(&self) -> &DocSection {
        &self.sections[0]
    }

    /// Member descriptions, in order.
    pub fn args(&self) -> impl Iterator<Item = &DocSection> {
        self.sections
            .iter()
            .filter(|s| s.kind == SectionKind::Member)
    }

    /// Feature descriptions, in order.
    pub fn features(&self) -> impl Iterator<Item = &DocSection> {
        self.sections
            .iter()
            .filter(|s| s.kind == SectionKind::Feature)
    }

    /// Every section after the body that is not a description.
    pub fn other_sections(&self) -> impl Iterator<Item = &DocSection> {
        self.sections
            .iter()
            .skip(1)
            .filter(|s| !matches!(s.kind, SectionKind::Member | SectionKind::Feature))
    }

    /// The first section of `kind` (for `Plain`: the body).
    pub fn section(&self, kind: SectionKind) -> Option<&DocSection> {
        self.sections.iter().find(|s| s.kind == kind)
    }

    /// The `Returns:` section.
    pub fn returns(&self) -> Option<&DocSection> {
        self.section(SectionKind::Returns)
    }

    /// The `Errors:` section.
    pub fn errors(&self) -> Option<&DocSection> {
        self.section(SectionKind::Errors)
    }

    /// The `Since:` section.
    pub fn since(&self) -> Option<&DocSection> {
        self.section(SectionKind::Since)
    }

    /// The description of member `name`.
    pub fn arg(&self, name: &str) -> Option<&DocSection> {
        self.args().find(|s| s.name.as_deref() == Some(name))
    }

    /// The description of feature `name`.
    pub fn feature(&self, name: &str) -> Option<&DocSection> {
        self.features().find(|s| s.name.as_deref() == Some(name))
    }

    /// Add an empty description of member `name`, for a definition whose
    /// undocumented members are tolerated (`documentation-exceptions`).
    ///
    /// It goes after the member descriptions that follow the body (right
    /// after the body when there are none); its location is the block's.
    pub fn add_undocumented_member(&mut self, name: &str) {
        let at = 1 + self
            .sections
            .iter()
            .skip(1)
            .take_while(|s| s.kind == SectionKind::Member)
            .count();
        let section = DocSection {
            kind: SectionKind::Member,
            name: Some(name.to_string()),
            text: String::new(),
            info: self.info.clone(),
        };
        self.sections.insert(at.min(self.sections.len()), section);
    }
}

/// One comment token of a doc block, as the lexer saw it.
#[derive(Debug, Clone)]
pub struct DocToken {
    /// The whole comment, `#` included, up to (not including) the newline.
    pub text: String,
    /// Its line.
    pub line: u32,
    /// Column of its `#` (QEMU's column arithmetic).
    pub col: u32,
}

/// A [`DocToken`] borrowing its text from the file: what the schema
/// reader hands to [`parse_lines`], saving a copy of every comment line.
#[derive(Debug, Clone, Copy)]
pub struct DocLine<'a> {
    /// The whole comment, `#` included, up to (not including) the newline.
    pub text: &'a str,
    /// Its line.
    pub line: u32,
    /// Column of its `#` (QEMU's column arithmetic).
    pub col: u32,
}

impl DocToken {
    /// The same token, borrowed.
    pub fn as_line(&self) -> DocLine<'_> {
        DocLine {
            text: &self.text,
            line: self.line,
            col: self.col,
        }
    }
}

/// Parse one doc block.
///
/// `start` is the opening `##` (its file is the block's file); `lines` are
/// the comment tokens between the opening and the closing comment; `end`
/// is the closing comment, any comment starting with `##` (one with
/// something after the `##` is reported here, after the lines, as QEMU
/// does).
///
/// Errors are QEMU's: `FILE:LINE:COL` for the syntax of a line, `FILE:LINE`
/// for section-level errors (duplicates, empty sections, bad names).
///
/// QEMU reports an empty section (`text required after 'Errors:'`) only
/// after it has read the token following the block; a lexer that wants the
/// same order on a file with two errors checks that token first.
///
/// With `opts.compat` nothing about the text is an error: no lint,
/// `#text` lines, free-form blocks starting `@Name` (no colon), old
/// `Notes:`/`Example:` paragraphs (kept as untagged text), unindented
/// continuation lines, duplicates, empty and out-of-order sections are
/// all accepted, and so is a closing comment with junk after its `##`
/// (`###`).
pub fn parse_block(
    start: &Info,
    lines: &[DocToken],
    end: &DocToken,
    opts: &crate::Options,
) -> Result<DocBlock, Error> {
    let lines: Vec<DocLine<'_>> = lines.iter().map(DocToken::as_line).collect();
    parse_lines(start, &lines, &end.as_line(), opts)
}

/// [`parse_block`] on borrowed lines.
pub fn parse_lines(
    start: &Info,
    lines: &[DocLine<'_>],
    end: &DocLine<'_>,
    opts: &crate::Options,
) -> Result<DocBlock, Error> {
    let rd = Reader::new(start, lines, Some(end), opts.compat);
    BlockParser::new(rd, opts.compat)
        .run(start)
        .map_err(|halt| match halt {
            Halt::Error(e) => e,
            Halt::Unterminated => Error::parse(
                &Info::new(start.file.clone(), end.line, 0),
                end.col,
                "documentation comment must end with '##'",
            ),
        })
}

/// For a block that is never closed (a non-comment token or the end of
/// the file follows `lines`): the error QEMU meets in `lines` before it
/// gets to say `documentation comment must end with '##'`, if any.
///
/// Section-level errors found only once a block is closed (empty
/// sections) are not reported; in compat mode there are none at all,
/// and whether an unclosed block is an error is the lexer's decision
/// (schemas from before doc comments existed have stray `##` lines).
pub fn check_unterminated(
    start: &Info,
    lines: &[DocToken],
    opts: &crate::Options,
) -> Option<Error> {
    let lines: Vec<DocLine<'_>> = lines.iter().map(DocToken::as_line).collect();
    check_unterminated_lines(start, &lines, opts)
}

/// [`check_unterminated`] on borrowed lines.
pub fn check_unterminated_lines(
    start: &Info,
    lines: &[DocLine<'_>],
    opts: &crate::Options,
) -> Option<Error> {
    let rd = Reader::new(start, lines, None, opts.compat);
    match BlockParser::new(rd, opts.compat).run(start) {
        Err(Halt::Error(e)) => Some(e),
        Err(Halt::Unterminated) | Ok(_) => None,
    }
}
